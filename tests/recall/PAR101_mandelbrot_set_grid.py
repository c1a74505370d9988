# Recall site: seanoramous/Mandelbrot mandelbrot.py (mandelbrot_set), escape-time count for every point of a 1000x1000 grid in one comprehension.
import numpy as np


def escape_time(point, limit):
    seed = point
    for step in range(limit):
        if abs(point) > 2:
            return step
        point = point * point + seed
    return limit


def mandelbrot_grid(re_lo, re_hi, im_lo, im_hi, columns, rows, limit):
    reals = np.linspace(re_lo, re_hi, columns)
    imags = np.linspace(im_lo, im_hi, rows)
    return (reals, imags, [escape_time(complex(re, im), limit) for re in reals for im in imags])  # recall: PAR101


grid = mandelbrot_grid(-0.74877, -0.74872, 0.06505, 0.06510, 1000, 1000, 2048)
