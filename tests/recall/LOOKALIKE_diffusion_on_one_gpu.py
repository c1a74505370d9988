# Look-alike: tle19/sd_memorization image_generation.py, renders one image per prompt with a Stable Diffusion pipeline loaded once on the single GPU, numbering files with a running counter: processes would each have to load the model onto the same GPU.
import os

import torch
from diffusers import StableDiffusionPipeline


def generate_images(model_id, prompts, out_dir):
    pipe = StableDiffusionPipeline.from_pretrained(model_id, torch_dtype=torch.float16, safety_checker=None, requires_safety_checker=False)

    pipe = pipe.to("cuda")

    index = 0
    label = "{:0{width}d}".format(0, width=8)

    for prompt in prompts:  # lookalike: PAR101
        print("IMAGE", label, ":")
        picture = pipe(prompt).images[0]
        picture.save(os.path.join(out_dir, label + ".png"))

        index += 1
        label = "{:0{width}d}".format(index, width=8)
