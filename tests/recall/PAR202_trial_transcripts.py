# Recall site: Digital-History-Bielefeld/Witchcraft-on-Trial session_5/helpers/open_multiple_files.py (module-level loop), reads every transcript of the session's data folder.
import os

data_folder = './session_5/data/'
transcripts = []
for name in os.listdir(data_folder):  # recall: PAR202
    with open(os.path.join(data_folder, name), 'r', encoding='utf-8') as transcript:
        transcripts.append(transcript.read())
