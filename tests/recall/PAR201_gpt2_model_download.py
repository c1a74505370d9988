# Recall site: openai/gpt-2 download_model.py (module-level loop), downloads the seven files of a model checkpoint one after another, each streamed to disk under a tqdm bar.
import os
import sys

import requests
from tqdm import tqdm

if len(sys.argv) != 2:
    print('You must enter the model name as a parameter, e.g.: download_model.py 124M')
    sys.exit(1)

model_name = sys.argv[1]

folder = os.path.join('models', model_name)
if not os.path.exists(folder):
    os.makedirs(folder)
folder = folder.replace('\\', '/')

for part in ['checkpoint', 'encoder.json', 'hparams.json', 'model.ckpt.data-00000-of-00001', 'model.ckpt.index', 'model.ckpt.meta', 'vocab.bpe']:  # recall: PAR201

    resp = requests.get("https://openaipublic.blob.core.windows.net/gpt-2/" + folder + "/" + part, stream=True)

    with open(os.path.join(folder, part), 'wb') as target:
        size = int(resp.headers["content-length"])
        step = 1000
        with tqdm(ncols=100, desc="Fetching " + part, total=size, unit_scale=True) as bar:
            for piece in resp.iter_content(chunk_size=step):
                target.write(piece)
                bar.update(step)
