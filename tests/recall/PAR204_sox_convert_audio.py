# Recall site: Echooff3/PythonStuff WaveLoader/convert_audio.py (module-level loops), converts every wav/mp3/ogg to 8 kHz mono with sox, printing each name.
from glob import glob
from os.path import basename, join
import subprocess


for pattern in ('*.wav', '*.mp3', '*.ogg'):
    for track in glob(join("./audio", pattern)):  # recall: PAR204
        print(basename(track))
        subprocess.run(["sox", track, '-r', '8000', '-c', '1', join('./audio-converted', basename(track))])
