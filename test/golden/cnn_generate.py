#!/usr/bin/env python3
"""Golden fixtures for convolution, pooling, BatchNorm2d and a tiny LeNet (test/cnn.test.ts),
computed with PyTorch (Debian torch 1.13 + numpy).

Run:  /usr/bin/python3 test/golden/cnn_generate.py
Writes test/golden/cnn.json next to this file.

Inputs are drawn in float32; references are computed by torch in float64 from those inputs and
rounded to float32 when written (9 significant digits). Layout is NCHW; conv weights are
torch's [outC, inC, kH, kW]. Gradients are those of sum(y * dy) for a random upstream dy.

Explicit asymmetric padding [top, bottom, left, right] and TensorFlow-style 'same' with
stride > 1 (which torch's conv2d does not accept) are computed as F.pad + an unpadded conv.
"""
import json
import math
import os

import numpy as np
import torch
import torch.nn.functional as F

SEED = 4242
gen = torch.Generator().manual_seed(SEED)
F32 = torch.float32
F64 = torch.float64


def randn(*shape, scale=1.0):
    return (torch.randn(*shape, generator=gen, dtype=F32) * scale).to(F32)


def rand(*shape, lo=0.0, hi=1.0):
    return (torch.rand(*shape, generator=gen, dtype=F32) * (hi - lo) + lo).to(F32)


class Floats(list):
    """A flat list written as float32 values."""


def f32(t):
    a = t.detach().to(F32).cpu().numpy() if isinstance(t, torch.Tensor) else np.asarray(t, dtype=np.float32)
    return Floats(float(v) for v in a.reshape(-1))


def num(v):
    if math.isnan(v):
        return '"NaN"'
    if math.isinf(v):
        return '"Infinity"' if v > 0 else '"-Infinity"'
    return '%.9g' % v


def encode(o):
    if isinstance(o, Floats):
        return '[' + ','.join(num(v) for v in o) + ']'
    if isinstance(o, dict):
        return '{' + ','.join(json.dumps(k) + ':' + encode(v) for k, v in o.items()) + '}'
    if isinstance(o, (list, tuple)):
        return '[' + ','.join(encode(v) for v in o) + ']'
    if isinstance(o, float):
        return num(o)
    return json.dumps(o)


def leaf(t):
    return t.to(F64).clone().requires_grad_(True)


def pair(v):
    return (v, v) if isinstance(v, int) else tuple(v)


def same_pads(size, k, s, d):
    out = -(-size // s)
    total = max((out - 1) * s + d * (k - 1) + 1 - size, 0)
    return total // 2, total - total // 2


def pads_of(padding, h, w, k, s, d):
    """[top, bottom, left, right] for axon's padding spec."""
    if padding == 'valid':
        return [0, 0, 0, 0]
    if padding == 'same':
        t, b = same_pads(h, k[0], s[0], d[0])
        l, r = same_pads(w, k[1], s[1], d[1])
        return [t, b, l, r]
    if isinstance(padding, int):
        return [padding] * 4
    if len(padding) == 2:
        return [padding[0], padding[0], padding[1], padding[1]]
    return list(padding)


ACTS = {'linear': lambda z: z, 'relu': torch.relu, 'tanh': torch.tanh, 'sigmoid': torch.sigmoid}


# ---- conv2d -------------------------------------------------------------------------------------

def conv_case(name, xshape, wshape, bias=True, stride=1, padding='valid', dilation=1, activation='linear'):
    x = randn(*xshape)
    w = randn(*wshape, scale=0.5)
    b = randn(wshape[0], scale=0.5) if bias else None
    s, d, k = pair(stride), pair(dilation), (wshape[2], wshape[3])
    t, bo, l, r = pads_of(padding, xshape[2], xshape[3], k, s, d)
    xs, ws = leaf(x), leaf(w)
    bs = leaf(b) if bias else None
    z = F.conv2d(F.pad(xs, (l, r, t, bo)), ws, bs, stride=s, dilation=d)
    y = ACTS[activation](z)
    dy = randn(*y.shape)
    grads = torch.autograd.grad(y, [xs, ws] + ([bs] if bias else []), dy.to(F64))
    out = {'name': name, 'xShape': list(xshape), 'wShape': list(wshape), 'yShape': list(y.shape),
           'stride': stride, 'padding': padding, 'dilation': dilation, 'activation': activation,
           'x': f32(x), 'w': f32(w), 'y': f32(y), 'dy': f32(dy), 'dx': f32(grads[0]), 'dw': f32(grads[1])}
    if bias:
        out['b'] = f32(b)
        out['db'] = f32(grads[2])
    return out


def conv_cases():
    # torch's own padding='same' (stride 1) must agree with our pads: check it here once.
    x = randn(2, 3, 7, 9).to(F64)
    w = randn(4, 3, 2, 4).to(F64)
    t, bo, l, r = pads_of('same', 7, 9, (2, 4), (1, 1), (1, 1))
    assert torch.allclose(F.conv2d(x, w, padding='same'), F.conv2d(F.pad(x, (l, r, t, bo)), w))
    return [
        conv_case('odd sizes 2x3x7x9, 4 filters 3x2', (2, 3, 7, 9), (4, 3, 3, 2)),
        conv_case('stride 2, padding 1', (2, 3, 7, 9), (4, 3, 3, 2), stride=2, padding=1),
        conv_case("'same' with an even 2x4 kernel (asymmetric)", (2, 3, 7, 9), (4, 3, 2, 4), padding='same'),
        conv_case('dilation 2, padding [2, 1], stride [1, 2]', (2, 3, 7, 9), (4, 3, 3, 2), stride=[1, 2], padding=[2, 1], dilation=2),
        conv_case('explicit [top, bottom, left, right] = [1, 0, 2, 1]', (2, 3, 7, 9), (5, 3, 3, 3), padding=[1, 0, 2, 1]),
        conv_case("'same' with stride 2 (TensorFlow's rule)", (2, 3, 7, 9), (4, 3, 3, 4), stride=2, padding='same'),
        conv_case('no bias, 1x1 kernel, stride 2x3', (3, 4, 5, 7), (2, 4, 1, 1), bias=False, stride=[2, 3]),
        conv_case('fused relu', (2, 3, 6, 5), (4, 3, 3, 3), padding=1, activation='relu'),
        conv_case('tanh (pre-activation kept)', (2, 3, 6, 5), (4, 3, 3, 3), padding=1, activation='tanh'),
        conv_case('kernel as large as the input', (2, 2, 4, 3), (3, 2, 4, 3)),
    ]


# ---- pooling ------------------------------------------------------------------------------------

def pool_case(name, kind, xshape, kernel, stride=None, padding='valid', dilation=1, count_include_pad=True):
    x = randn(*xshape)
    k = pair(kernel)
    s = pair(stride) if stride is not None else k
    d = pair(dilation)
    t, bo, l, r = pads_of(padding, xshape[2], xshape[3], k, s, d)
    assert t == bo and l == r, 'torch pooling pads symmetrically'
    xs = leaf(x)
    if kind == 'max':
        y = F.max_pool2d(xs, k, s, (t, l), d)
    else:
        y = F.avg_pool2d(xs, k, s, (t, l), count_include_pad=count_include_pad)
    dy = randn(*y.shape)
    (dx,) = torch.autograd.grad(y, [xs], dy.to(F64))
    return {'name': name, 'kind': kind, 'xShape': list(xshape), 'yShape': list(y.shape), 'kernel': kernel,
            'stride': stride, 'padding': padding, 'dilation': dilation, 'countIncludePad': count_include_pad,
            'x': f32(x), 'y': f32(y), 'dy': f32(dy), 'dx': f32(dx)}


def pool_cases():
    return [
        pool_case('max 2x2 (stride 2) on 7x9: the last row/column dropped', 'max', (2, 3, 7, 9), 2),
        pool_case('max 3x3 stride 2 padding 1', 'max', (2, 3, 7, 9), 3, stride=2, padding=1),
        pool_case('max 2x2 stride 1 dilation 2', 'max', (2, 2, 6, 7), 2, stride=1, dilation=2),
        pool_case('max 2x3 window, stride [1, 2]', 'max', (1, 2, 5, 8), [2, 3], stride=[1, 2]),
        pool_case('avg 3x3 stride 2 padding 1, countIncludePad', 'avg', (2, 3, 7, 9), 3, stride=2, padding=1),
        pool_case('avg 3x3 stride 2 padding 1, without the padding', 'avg', (2, 3, 7, 9), 3, stride=2, padding=1, count_include_pad=False),
        pool_case('avg 2x3 window (stride = window)', 'avg', (2, 2, 6, 7), [2, 3]),
    ]


def global_avg_case():
    x = randn(2, 3, 5, 4)
    xs = leaf(x)
    y = F.adaptive_avg_pool2d(xs, 1).reshape(2, 3)
    dy = randn(2, 3)
    (dx,) = torch.autograd.grad(y, [xs], dy.to(F64))
    return {'xShape': [2, 3, 5, 4], 'x': f32(x), 'y': f32(y), 'dy': f32(dy), 'dx': f32(dx)}


# ---- BatchNorm2d --------------------------------------------------------------------------------

def batchnorm2d_case(xshape, momentum=0.1, eps=1e-5):
    c = xshape[1]
    x1 = randn(*xshape, scale=2.0) + 3.0
    x2 = randn(*xshape)
    gamma = rand(c, lo=0.5, hi=1.5)
    beta = randn(c, scale=0.3)
    dy = randn(*xshape)
    bn = torch.nn.BatchNorm2d(c, eps=eps, momentum=momentum).to(F64)
    with torch.no_grad():
        bn.weight.copy_(gamma.to(F64))
        bn.bias.copy_(beta.to(F64))
    bn.train()
    xs = leaf(x1)
    y1 = bn(xs)
    g1 = torch.autograd.grad(y1, [xs, bn.weight, bn.bias], dy.to(F64))
    rm1, rv1 = bn.running_mean.clone(), bn.running_var.clone()
    y2 = bn(x2.to(F64))
    rm2, rv2 = bn.running_mean.clone(), bn.running_var.clone()
    bn.eval()
    xe = leaf(x2)
    ye = bn(xe)
    ge = torch.autograd.grad(ye, [xe, bn.weight, bn.bias], dy.to(F64))
    return {'shape': list(xshape), 'eps': eps, 'momentum': momentum, 'x1': f32(x1), 'x2': f32(x2), 'gamma': f32(gamma), 'beta': f32(beta), 'dy': f32(dy),
            'train': {'y': f32(y1), 'dx': f32(g1[0]), 'dgamma': f32(g1[1]), 'dbeta': f32(g1[2]), 'runningMean': f32(rm1), 'runningVar': f32(rv1)},
            'train2': {'y': f32(y2), 'runningMean': f32(rm2), 'runningVar': f32(rv2)},
            'eval': {'y': f32(ye), 'dx': f32(ge[0]), 'dgamma': f32(ge[1]), 'dbeta': f32(ge[2])}}


# ---- a tiny LeNet -------------------------------------------------------------------------------

def lenet():
    """conv(1→4, 3, pad 1) relu → maxpool 2 → conv(4→6, 3) relu → maxpool 2 → flatten → dense(24→5),
    cross-entropy on class indices (mean). Dense weights are written in axon's [in, out] layout."""
    n, classes = 3, 5
    x = randn(n, 1, 12, 12)
    labels = torch.tensor([1, 4, 0])
    w1, b1 = randn(4, 1, 3, 3, scale=0.5), randn(4, scale=0.1)
    w2, b2 = randn(6, 4, 3, 3, scale=0.3), randn(6, scale=0.1)
    w3, b3 = randn(24, classes, scale=0.3), randn(classes, scale=0.1)
    xs, ps = leaf(x), [leaf(t) for t in (w1, b1, w2, b2, w3, b3)]
    h = F.max_pool2d(torch.relu(F.conv2d(xs, ps[0], ps[1], padding=1)), 2)
    h = F.max_pool2d(torch.relu(F.conv2d(h, ps[2], ps[3])), 2)
    logits = h.reshape(n, -1) @ ps[4] + ps[5]
    loss = F.cross_entropy(logits, labels)
    grads = torch.autograd.grad(loss, [xs] + ps)
    return {'x': f32(x), 'labels': [int(v) for v in labels], 'weights': [f32(t) for t in (w1, b1, w2, b2, w3, b3)],
            'logits': f32(logits), 'loss': float(loss), 'dx': f32(grads[0]), 'grads': [f32(g) for g in grads[1:]]}


def main():
    data = {
        'conv': conv_cases(),
        'pool': pool_cases(),
        'globalAvg': global_avg_case(),
        'batchnorm2d': [batchnorm2d_case((4, 3, 5, 6)), batchnorm2d_case((2, 2, 3, 4), momentum=0.3, eps=1e-3)],
        'lenet': lenet(),
    }
    path = os.path.join(os.path.dirname(os.path.abspath(__file__)), 'cnn.json')
    with open(path, 'w') as f:
        f.write(encode(data))
        f.write('\n')
    print('wrote', path, os.path.getsize(path), 'bytes')


if __name__ == '__main__':
    main()
