# Recall site: mwilliams123/motion-sensor process.py (module-level loop), re-encodes every motion-sensor clip with ffmpeg, one process after another.
import os
import subprocess
source_dir = '/home/pi/Desktop/videos/'
target_dir = '/home/pi/Desktop/processed/'
clips = os.listdir(source_dir)
for n in range(len(clips)):  # recall: PAR204
    clip = source_dir + clips[n]
    target = target_dir + 'video' + str(n) + '.mkv'
    subprocess.run(['ffmpeg', '-r', '30', '-i', clip, target])
