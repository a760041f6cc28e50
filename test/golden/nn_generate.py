#!/usr/bin/env python3
"""Golden fixtures for src/nn and src/losses, computed with PyTorch (Debian torch 1.13 + numpy).

Run:  /usr/bin/python3 test/golden/nn_generate.py
Writes test/golden/nn.json next to this file.

Every input is drawn in float32; references are computed by torch in float64 from those
inputs (true values, not float32 round-off) and rounded to float32 when written. Numbers are
written with 9 significant digits; non-finite values as "NaN" / "Infinity" / "-Infinity".
"""
import json
import math
import os

import numpy as np
import torch
import torch.nn.functional as F

SEED = 31337
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
    if isinstance(t, torch.Tensor):
        a = t.detach().to(F32).cpu().numpy()
    else:
        a = np.asarray(t, dtype=np.float32)
    return Floats(float(v) for v in a.reshape(-1))


def shape(t):
    return list(t.shape)


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


# ---- losses ---------------------------------------------------------------------------------

def loss_case(name, fn, pred, target, args=None, target_grad=False, target_is_index=False):
    p = leaf(pred)
    if target_is_index:
        t = target.to(torch.long)
    else:
        t = leaf(target) if target_grad else target.to(F64)
    value = fn(p, t)
    grads = torch.autograd.grad(value, [p, t] if target_grad else [p])
    out = {'loss': name, 'args': args or [], 'pred': f32(pred), 'predShape': shape(pred),
           'target': f32(target), 'targetShape': shape(target), 'value': float(value), 'dpred': f32(grads[0])}
    if target_grad:
        out['dtarget'] = f32(grads[1])
    return out


def hinge_ref(s, y, margin=1.0):
    n = s.shape[0]
    sy = s.gather(1, y.view(-1, 1))
    m = torch.relu(s - sy + margin)
    mask = torch.ones_like(s)
    mask.scatter_(1, y.view(-1, 1), 0.0)
    return (m * mask).sum() / n


def bce_ref(p, t):
    # torch's BCELoss formula (logs clamped at -100) in float64
    return F.binary_cross_entropy(p, t)


def losses():
    cases = []
    p = randn(5, 3)
    t = randn(5, 3)
    cases.append(loss_case('mse', F.mse_loss, p, t, target_grad=True))
    t2 = t.clone()
    t2[0, 0] = p[0, 0]  # an exact zero difference: l1's subgradient is 0 there
    cases.append(loss_case('l1', F.l1_loss, p, t2, target_grad=True))
    ph = randn(4, 4, scale=1.5)
    th = randn(4, 4)
    cases.append(loss_case('huber', lambda a, b: F.huber_loss(a, b, delta=1.0), ph, th, [1.0], target_grad=True))
    cases.append(loss_case('huber', lambda a, b: F.huber_loss(a, b, delta=0.5), ph, th, [0.5], target_grad=True))
    pb = rand(6, 2, lo=0.02, hi=0.98)
    tb = rand(6, 2)
    cases.append(loss_case('binaryCrossEntropy', bce_ref, pb, tb))
    # saturated probabilities: the -100 clamp of log p and log(1 - p)
    pe = torch.tensor([0.0, 1.0, 0.0, 1.0, 1e-30, 0.5], dtype=F32)
    te = torch.tensor([0.0, 1.0, 1.0, 0.0, 0.0, 0.25], dtype=F32)
    pe_leaf = leaf(pe)
    ve = F.binary_cross_entropy(pe_leaf, te.to(F64))
    (ge,) = torch.autograd.grad(ve, [pe_leaf])
    cases.append({'loss': 'binaryCrossEntropy', 'args': [], 'pred': f32(pe), 'predShape': [6], 'target': f32(te), 'targetShape': [6],
                  'value': float(ve), 'dpred': f32(ge)})
    xl = randn(3, 4, scale=4.0)
    xl[0, 0] = 40.0
    xl[0, 1] = -40.0
    tl = rand(3, 4)
    cases.append(loss_case('binaryCrossEntropyWithLogits', F.binary_cross_entropy_with_logits, xl, tl))
    logits = randn(6, 4, scale=2.0)
    idx = torch.tensor([0, 3, 1, 2, 3, 0])
    cases.append(loss_case('crossEntropy', F.cross_entropy, logits, idx, target_is_index=True))
    onehot = F.one_hot(idx, 4).to(F32)
    cases.append(dict(loss_case('crossEntropy', lambda a, b: F.cross_entropy(a, b), logits, onehot), labelsKind='rows'))
    soft = torch.softmax(randn(6, 4), 1).to(F32)
    cases.append(dict(loss_case('crossEntropy', lambda a, b: F.cross_entropy(a, b), logits, soft), labelsKind='rows'))
    big = torch.tensor([[1000.0, -1000.0, 0.0], [-500.0, 500.0, 499.0]], dtype=F32)
    cases.append(loss_case('crossEntropy', F.cross_entropy, big, torch.tensor([1, 2]), target_is_index=True))
    scores = randn(5, 4, scale=1.5)
    hy = torch.tensor([1, 0, 3, 2, 2])
    cases.append(loss_case('hinge', hinge_ref, scores, hy, target_is_index=True))
    cases.append(loss_case('hinge', lambda a, b: hinge_ref(a, b, 0.5), scores, hy, [0.5], target_is_index=True))
    return cases


# ---- an MLP's gradients ---------------------------------------------------------------------

def mlp():
    x = randn(6, 4)
    w1 = randn(4, 5, scale=0.7)
    b1 = randn(5, scale=0.1)
    w2 = randn(5, 3, scale=0.7)
    b2 = randn(3, scale=0.1)
    y = torch.tensor([2, 0, 1, 1, 0, 2])
    xs, W1, B1, W2, B2 = (leaf(t) for t in (x, w1, b1, w2, b2))
    h = torch.relu(xs @ W1 + B1)
    logits = h @ W2 + B2
    loss = F.cross_entropy(logits, y)
    g = torch.autograd.grad(loss, [xs, W1, B1, W2, B2])
    return {'x': f32(x), 'W1': f32(w1), 'b1': f32(b1), 'W2': f32(w2), 'b2': f32(b2), 'labels': [int(v) for v in y],
            'loss': float(loss), 'dx': f32(g[0]), 'dW1': f32(g[1]), 'db1': f32(g[2]), 'dW2': f32(g[3]), 'db2': f32(g[4])}


def dense_acts():
    """Dense 3 -> 4 with each fused activation: y and the gradients for a random upstream dy."""
    x = randn(5, 3)
    w = randn(3, 4)
    b = randn(4, scale=0.5)
    dy = randn(5, 4)
    acts = {
        'linear': lambda z: z,
        'relu': torch.relu,
        'leakyRelu': lambda z: F.leaky_relu(z, 0.01),
        'elu': F.elu,
        'selu': F.selu,
        'gelu': F.gelu,
        'geluTanh': lambda z: F.gelu(z, approximate='tanh'),
        'silu': F.silu,
        'sigmoid': torch.sigmoid,
        'tanh': torch.tanh,
        'softplus': F.softplus,
        'softsign': F.softsign,
        'hardTanh': F.hardtanh,
        'bipolarSigmoid': lambda z: 2 * torch.sigmoid(z) - 1,
        'softmax': lambda z: torch.softmax(z, 1),
    }
    cases = []
    for name, fn in acts.items():
        xs, W, B = leaf(x), leaf(w), leaf(b)
        out = fn(xs @ W + B)
        g = torch.autograd.grad(out, [xs, W, B], dy.to(F64))
        cases.append({'act': name, 'y': f32(out), 'dx': f32(g[0]), 'dW': f32(g[1]), 'db': f32(g[2])})
    return {'x': f32(x), 'W': f32(w), 'b': f32(b), 'dy': f32(dy), 'cases': cases}


# ---- activation layers --------------------------------------------------------------------------

def activation_layers():
    x = torch.cat([torch.tensor([-3.0, -1.0, -0.5, 0.0, 0.5, 1.0, 3.0, 25.0], dtype=F32), randn(16, scale=2.0)]).reshape(4, 6)
    dy = randn(4, 6)
    layers = [
        ('ReLU', [], torch.relu),
        ('LeakyReLU', [], lambda t: F.leaky_relu(t, 0.01)),
        ('LeakyReLU', [0.2], lambda t: F.leaky_relu(t, 0.2)),
        ('ELU', [], F.elu),
        ('ELU', [0.5], lambda t: F.elu(t, 0.5)),
        ('SELU', [], F.selu),
        ('GELU', [], F.gelu),
        ('GELU', [{'approximate': 'tanh'}], lambda t: F.gelu(t, approximate='tanh')),
        ('SiLU', [], F.silu),
        ('Sigmoid', [], torch.sigmoid),
        ('Tanh', [], torch.tanh),
        ('Softplus', [], F.softplus),
        ('Softsign', [], F.softsign),
        ('HardTanh', [], F.hardtanh),
        ('Step', [], lambda t: (t > 0).to(t.dtype) + 0 * t),
        ('Sign', [], torch.sign),
        ('BipolarSigmoid', [], lambda t: 2 * torch.sigmoid(t) - 1),
        ('Linear', [], lambda t: t),
        ('Softmax', [], lambda t: torch.softmax(t, -1)),
        ('Softmax', [0], lambda t: torch.softmax(t, 0)),
        ('LogSoftmax', [], lambda t: torch.log_softmax(t, -1)),
    ]
    cases = []
    for name, args, fn in layers:
        xs = leaf(x)
        y = fn(xs)
        (dx,) = torch.autograd.grad(y, [xs], dy.to(F64))
        cases.append({'layer': name, 'args': args, 'y': f32(y), 'dx': f32(dx)})
    return {'x': f32(x), 'shape': shape(x), 'dy': f32(dy), 'cases': cases}


# ---- BatchNorm1d --------------------------------------------------------------------------------

def batchnorm_case(xshape, momentum=0.1, eps=1e-5):
    c = xshape[1]
    x1 = randn(*xshape, scale=2.0) + 3.0
    x2 = randn(*xshape)
    gamma = rand(c, lo=0.5, hi=1.5)
    beta = randn(c, scale=0.3)
    dy = randn(*xshape)
    bn = torch.nn.BatchNorm1d(c, eps=eps, momentum=momentum).to(F64)
    with torch.no_grad():
        bn.weight.copy_(gamma.to(F64))
        bn.bias.copy_(beta.to(F64))
    bn.train()
    # two training steps: the running statistics after each
    xs = leaf(x1)
    y1 = bn(xs)
    g1 = torch.autograd.grad(y1, [xs, bn.weight, bn.bias], dy.to(F64))
    rm1, rv1 = bn.running_mean.clone(), bn.running_var.clone()
    y2 = bn(x2.to(F64))
    rm2, rv2 = bn.running_mean.clone(), bn.running_var.clone()
    # evaluation with the running statistics
    bn.eval()
    xe = leaf(x2)
    ye = bn(xe)
    ge = torch.autograd.grad(ye, [xe, bn.weight, bn.bias], dy.to(F64))
    return {'shape': list(xshape), 'eps': eps, 'momentum': momentum, 'x1': f32(x1), 'x2': f32(x2), 'gamma': f32(gamma), 'beta': f32(beta), 'dy': f32(dy),
            'train': {'y': f32(y1), 'dx': f32(g1[0]), 'dgamma': f32(g1[1]), 'dbeta': f32(g1[2]), 'runningMean': f32(rm1), 'runningVar': f32(rv1)},
            'train2': {'y': f32(y2), 'runningMean': f32(rm2), 'runningVar': f32(rv2)},
            'eval': {'y': f32(ye), 'dx': f32(ge[0]), 'dgamma': f32(ge[1]), 'dbeta': f32(ge[2])}}


def batchnorm():
    return [batchnorm_case((8, 3)), batchnorm_case((4, 3, 5), momentum=0.3, eps=1e-3)]


# ---- Maxout -------------------------------------------------------------------------------------

def maxout():
    x = randn(4, 3)
    w = randn(3, 2 * 3)
    b = randn(6, scale=0.2)
    dy = randn(4, 2)
    xs, W, B = leaf(x), leaf(w), leaf(b)
    z = (xs @ W + B).reshape(4, 2, 3)
    y = torch.amax(z, 2)
    g = torch.autograd.grad(y, [xs, W, B], dy.to(F64))
    return {'x': f32(x), 'W': f32(w), 'b': f32(b), 'dy': f32(dy), 'y': f32(y), 'dx': f32(g[0]), 'dW': f32(g[1]), 'db': f32(g[2])}


# ---- regularisers and the max-norm constraint (Keras formulas, float64) ------------------------

def regularizers():
    w = randn(3, 4)
    wv = leaf(w)
    pen = 0.01 * wv.abs().sum() + 0.02 * (wv * wv).sum()
    (g,) = torch.autograd.grad(pen, [wv])
    wd = w.to(F64)
    norms0 = torch.sqrt((wd * wd).sum(0, keepdim=True))
    c0 = wd * (norms0.clamp(0, 1.0) / (1e-7 + norms0))
    norms1 = torch.sqrt((wd * wd).sum(1, keepdim=True))
    c1 = wd * (norms1.clamp(0, 1.5) / (1e-7 + norms1))
    return {'w': f32(w), 'l1l2': {'l1': 0.01, 'l2': 0.02, 'value': float(pen), 'grad': f32(g)},
            'maxNorm0': {'c': 1.0, 'axis': 0, 'w': f32(c0)}, 'maxNorm1': {'c': 1.5, 'axis': 1, 'w': f32(c1)}}


# ---- the seed's worked example (2-2-2 sigmoid network, E = ½Σ(t − o)², SGD lr 0.5) ----------

def worked_example():
    w = [0.15, 0.20, 0.25, 0.30, 0.40, 0.45, 0.50, 0.55]
    i = torch.tensor([[0.05, 0.10]], dtype=F64)
    t = torch.tensor([[0.01, 0.99]], dtype=F64)
    W1 = torch.tensor([[w[0], w[2]], [w[1], w[3]]], dtype=F64, requires_grad=True)
    W2 = torch.tensor([[w[4], w[6]], [w[5], w[7]]], dtype=F64, requires_grad=True)
    b1 = torch.tensor([0.35, 0.35], dtype=F64, requires_grad=True)
    b2 = torch.tensor([0.60, 0.60], dtype=F64, requires_grad=True)
    h = torch.sigmoid(i @ W1 + b1)
    o = torch.sigmoid(h @ W2 + b2)
    e = 0.5 * ((t - o) ** 2).sum()
    g = torch.autograd.grad(e, [W1, W2])
    W1n = W1 - 0.5 * g[0]
    W2n = W2 - 0.5 * g[1]
    return {'E': float(e), 'W1': f32(W1n), 'W2': f32(W2n), 'out': f32(o)}


def main():
    data = {
        'losses': losses(),
        'mlp': mlp(),
        'denseActivations': dense_acts(),
        'activationLayers': activation_layers(),
        'batchnorm': batchnorm(),
        'maxout': maxout(),
        'regularizers': regularizers(),
        'workedExample': worked_example(),
    }
    path = os.path.join(os.path.dirname(os.path.abspath(__file__)), 'nn.json')
    with open(path, 'w') as f:
        f.write(encode(data))
        f.write('\n')
    print('wrote', path, os.path.getsize(path), 'bytes')


if __name__ == '__main__':
    main()
