#!/usr/bin/env python3
"""Golden fixtures for convolution and pooling (NCHW), computed with PyTorch (Debian torch 1.13).

Run:  /usr/bin/python3 test/golden/conv_generate.py
Writes test/golden/conv.json next to this file; test/kernels/conv.test.ts reads it.

Each case carries the kernel contract's Conv2dGeometry (src/kernels/kernels.ts) for its shapes.
Inputs are drawn in float32; references are computed by torch in float64 from those inputs and
rounded to float32 once (max pooling and its indices are exact either way).

- conv:    F.conv2d forward (y) and backward (dx, dw, db for a random dy). Asymmetric 'same'
           padding (even kernels) is F.pad(x, (left, right, top, bottom)) then a valid conv.
- maxPool: F.max_pool2d values, indices (ih·W + iw within the plane, torch's convention) and
           the input gradient for a random dy; some inputs hold ties (torch keeps the first).
- avgPool: F.avg_pool2d with count_include_pad both ways, forward and input gradient. ceil_mode
           is used only with count_include_pad=False: with True torch's divisor for a window
           that runs past the right/bottom padding is clipped, while the contract's is kH·kW.
"""
import json
import math
import os

import numpy as np
import torch
import torch.nn.functional as F

SEED = 20261123
gen = torch.Generator().manual_seed(SEED)
F64 = torch.float64
F32 = torch.float32


def randn(*shape):
    return torch.randn(*shape, generator=gen, dtype=F32)


def ties(*shape):
    """Small integers: many equal values per window."""
    return torch.randint(-2, 3, shape, generator=gen).to(F32)


class F32List(list):
    """Marks a list of numbers to be written as float32 values."""


def f32(t):
    return F32List(float(v) for v in t.detach().to(F32).numpy().reshape(-1))


def fmt(v):
    if math.isnan(v):
        return '"NaN"'
    if math.isinf(v):
        return '"Infinity"' if v > 0 else '"-Infinity"'
    return '%.9g' % v


def dump(o):
    if isinstance(o, F32List):
        return '[' + ','.join(fmt(v) for v in o) + ']'
    if isinstance(o, dict):
        return '{' + ','.join(json.dumps(k) + ':' + dump(v) for k, v in o.items()) + '}'
    if isinstance(o, (list, tuple)):
        return '[' + ','.join(dump(v) for v in o) + ']'
    if isinstance(o, float):
        return fmt(o)
    return json.dumps(o)


def pair(v):
    return (v, v) if isinstance(v, int) else tuple(v)


def geometry(x_shape, k, s, pad_top, pad_left, d, out_hw):
    n, c, h, w = x_shape
    return {
        'batch': n, 'channels': c, 'height': h, 'width': w,
        'kernelH': k[0], 'kernelW': k[1], 'strideH': s[0], 'strideW': s[1],
        'padTop': pad_top, 'padLeft': pad_left, 'dilationH': d[0], 'dilationW': d[1],
        'outH': out_hw[0], 'outW': out_hw[1],
    }


# ---- convolution ------------------------------------------------------------------------

def conv_case(name, n, c, h, w, out_c, k, stride=1, pad=0, dilation=1):
    """pad: int, (ph, pw) symmetric, or (top, bottom, left, right)."""
    k, s, d = pair(k), pair(stride), pair(dilation)
    if isinstance(pad, int):
        pad = (pad, pad, pad, pad)
    elif len(pad) == 2:
        pad = (pad[0], pad[0], pad[1], pad[1])
    top, bottom, left, right = pad
    x = randn(n, c, h, w)
    wt = randn(out_c, c, k[0], k[1]) * (1.0 / math.sqrt(c * k[0] * k[1]))
    wt = wt.to(F32)
    b = randn(out_c)
    xd = x.to(F64).requires_grad_(True)
    wd = wt.to(F64).requires_grad_(True)
    bd = b.to(F64).requires_grad_(True)
    y = F.conv2d(F.pad(xd, (left, right, top, bottom)), wd, bd, stride=s, dilation=d)
    dy = randn(*y.shape)
    y.backward(dy.to(F64))
    return {
        'name': name,
        'g': geometry((n, c, h, w), k, s, top, left, d, y.shape[2:]),
        'outChannels': out_c,
        'x': f32(x), 'w': f32(wt), 'b': f32(b), 'y': f32(y), 'dy': f32(dy),
        'dx': f32(xd.grad), 'dw': f32(wd.grad), 'db': f32(bd.grad),
    }


CONV = [
    conv_case('3x3 same, 2×3×7×6 → 4', 2, 3, 7, 6, 4, 3, pad=1),
    conv_case('3x2 stride 2, pad (1, 0), 2×2×9×8 → 3', 2, 2, 9, 8, 3, (3, 2), stride=2, pad=(1, 0)),
    conv_case('3x3 stride (2, 3), pad 2, dilation 2, 1×3×11×10 → 2', 1, 3, 11, 10, 2, 3, stride=(2, 3), pad=2, dilation=2),
    conv_case('5x5 same (LeNet), 2×1×12×12 → 6', 2, 1, 12, 12, 6, 5, pad=2),
    conv_case("4x4 'same' (pad top 1 bottom 2 left 1 right 2), 2×2×6×7 → 3", 2, 2, 6, 7, 3, 4, pad=(1, 2, 1, 2)),
    conv_case('1x1 stride 2, 2×4×5×5 → 3', 2, 4, 5, 5, 3, 1, stride=2),
    conv_case('5x5 over a 3×2 image, pad 2, 1×2×3×2 → 2', 1, 2, 3, 2, 2, 5, pad=2),
    conv_case('2x3 dilation (2, 1), stride (1, 2), no pad, 3×2×8×9 → 5', 3, 2, 8, 9, 5, (2, 3), stride=(1, 2), dilation=(2, 1)),
]


# ---- pooling ----------------------------------------------------------------------------

def max_case(name, n, c, h, w, k, stride, pad=0, dilation=1, ceil=False, tie=False):
    k, s, p, d = pair(k), pair(stride), pair(pad), pair(dilation)
    x = ties(n, c, h, w) if tie else randn(n, c, h, w)
    xd = x.to(F64).requires_grad_(True)
    y, idx = F.max_pool2d(xd, k, s, p, d, ceil_mode=ceil, return_indices=True)
    dy = randn(*y.shape)
    y.backward(dy.to(F64))
    return {
        'name': name,
        'g': geometry((n, c, h, w), k, s, p[0], p[1], d, y.shape[2:]),
        'x': f32(x), 'y': f32(y), 'argmax': f32(idx.to(F64)), 'dy': f32(dy), 'dx': f32(xd.grad),
    }


def avg_case(name, n, c, h, w, k, stride, pad=0, count_include_pad=True, ceil=False):
    k, s, p = pair(k), pair(stride), pair(pad)
    x = randn(n, c, h, w)
    xd = x.to(F64).requires_grad_(True)
    y = F.avg_pool2d(xd, k, s, p, ceil_mode=ceil, count_include_pad=count_include_pad)
    dy = randn(*y.shape)
    y.backward(dy.to(F64))
    return {
        'name': name,
        'g': geometry((n, c, h, w), k, s, p[0], p[1], (1, 1), y.shape[2:]),
        'countIncludePad': count_include_pad,
        'x': f32(x), 'y': f32(y), 'dy': f32(dy), 'dx': f32(xd.grad),
    }


MAX = [
    max_case('2x2 stride 2, odd 7×9 (floor)', 2, 3, 7, 9, 2, 2),
    max_case('2x2 stride 2, odd 7×9, ceil_mode', 2, 3, 7, 9, 2, 2, ceil=True),
    max_case('3x3 stride 2, pad 1, 9×8', 2, 2, 9, 8, 3, 2, pad=1),
    max_case('3x3 stride 2, pad 1, dilation 2, 11×10', 1, 3, 11, 10, 3, 2, pad=1, dilation=2),
    max_case('3x2 stride (1, 2), pad (1, 1), dilation (1, 2), 6×7', 2, 2, 6, 7, (3, 2), (1, 2), pad=(1, 1), dilation=(1, 2)),
    max_case('3x3 stride 1, pad 1, ties', 2, 2, 6, 6, 3, 1, pad=1, tie=True),
    max_case('2x2 stride 2, ties, ceil_mode, 5×5', 1, 4, 5, 5, 2, 2, tie=True, ceil=True),
    max_case('2x2 stride 2, ties, 6×13 (vector path)', 2, 3, 6, 13, 2, 2, tie=True),
    max_case('2x2 stride (1, 2), pad 1, 5×12', 2, 2, 5, 12, 2, (1, 2), pad=1),
]

AVG = [
    avg_case('3x3 stride 2, pad 1, count_include_pad, 7×9', 2, 3, 7, 9, 3, 2, pad=1),
    avg_case('3x3 stride 2, pad 1, exclude pad, 7×9', 2, 3, 7, 9, 3, 2, pad=1, count_include_pad=False),
    avg_case('2x2 stride 2, 8×8', 2, 2, 8, 8, 2, 2),
    avg_case('2x2 stride 2, pad 1, exclude pad, 9×13', 2, 2, 9, 13, 2, 2, pad=1, count_include_pad=False),
    avg_case('5x5 stride 1, pad 2, count_include_pad, 6×5', 1, 2, 6, 5, 5, 1, pad=2),
    avg_case('5x5 stride 1, pad 2, exclude pad, 6×5', 1, 2, 6, 5, 5, 1, pad=2, count_include_pad=False),
    avg_case('3x2 stride (2, 1), pad (1, 1), exclude pad, ceil_mode, 8×7', 2, 2, 8, 7, (3, 2), (2, 1), pad=(1, 1), count_include_pad=False, ceil=True),
]


def main():
    out = {'seed': SEED, 'torch': torch.__version__, 'conv': CONV, 'maxPool': MAX, 'avgPool': AVG}
    path = os.path.join(os.path.dirname(os.path.abspath(__file__)), 'conv.json')
    with open(path, 'w') as f:
        f.write(dump(out))
        f.write('\n')
    print(f'wrote {path}: {len(CONV)} conv, {len(MAX)} max-pool, {len(AVG)} avg-pool cases')


if __name__ == '__main__':
    main()
