# Recall site: ErikEkstedt/SpeechCorpus Robot/deprecated/fix_wavs.py (module-level loop), resamples every wav of the training set to 16 kHz with sox.
from os import listdir, makedirs
from os.path import basename, join
from subprocess import check_output
import shutil


audio_dir = "data/training_set/audio"
resampled_dir = "data/training_set/audio2"
makedirs(resampled_dir)


for wav in listdir(audio_dir):  # recall: PAR204
    check_output(f"sox {join(audio_dir, wav)} -r 16000 {join(resampled_dir, wav)}", shell=True)

answer = input("remove old files? (y/n)")
if answer.lower() == "y":
    shutil.rmtree(audio_dir)
    shutil.move(resampled_dir, audio_dir)
