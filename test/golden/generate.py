#!/usr/bin/env python3
"""Golden fixtures for the kernel contract, computed with PyTorch (Debian torch 1.13 + numpy).

Run:  /usr/bin/python3 test/golden/generate.py     (or `npm run golden`)
Writes test/golden/kernels.json next to this file.

Conventions:
- Every input is float32-representable (drawn in float32). Reference outputs of the
  stateless kernels are computed by torch in float64 from those inputs (so they are the
  true values, not torch's float32 round-off) and then rounded to float32.
- Optimisers run in float32, exactly as torch.optim would on float32 parameters.
- Numbers are written with 9 significant digits (round-trips float32); non-finite values
  are the strings "NaN", "Infinity", "-Infinity".
"""
import json
import math
import os

import numpy as np
import torch
import torch.nn.functional as F

SEED = 20240611
torch.manual_seed(SEED)
gen = torch.Generator().manual_seed(SEED)
F64 = torch.float64
F32 = torch.float32


def randn(*shape, scale=1.0):
    return (torch.randn(*shape, generator=gen, dtype=F32) * scale).to(F32)


def rand(*shape, lo=0.0, hi=1.0):
    return (torch.rand(*shape, generator=gen, dtype=F32) * (hi - lo) + lo).to(F32)


class F32List(list):
    """Marks a list of numbers to be written as float32 values."""


def f32(t):
    """Tensor/array/list -> flat list of float32 values (as Python floats)."""
    if isinstance(t, torch.Tensor):
        a = t.detach().to(F32).cpu().numpy()
    else:
        a = np.asarray(t, dtype=np.float32)
    return F32List(float(v) for v in a.reshape(-1))


def fmt(v):
    if math.isnan(v):
        return '"NaN"'
    if math.isinf(v):
        return '"Infinity"' if v > 0 else '"-Infinity"'
    s = '%.9g' % v
    return s


def dump(o):
    """Compact JSON writer with float32 formatting for F32List."""
    if isinstance(o, F32List):
        return '[' + ','.join(fmt(v) for v in o) + ']'
    if isinstance(o, dict):
        return '{' + ','.join(json.dumps(k) + ':' + dump(v) for k, v in o.items()) + '}'
    if isinstance(o, (list, tuple)):
        return '[' + ','.join(dump(v) for v in o) + ']'
    if isinstance(o, float):
        return fmt(o)
    return json.dumps(o)


# ---- activations -------------------------------------------------------------------------

ACT_X = torch.tensor([
    -30.0, -20.5, -19.5, -10.0, -5.0, -3.0, -2.0, -1.5, -1.0, -0.999, -0.5, -0.1, -1e-3, -1e-7, 0.0,
    1e-7, 1e-3, 0.1, 0.5, 0.999, 1.0, 1.5, 2.0, 3.0, 5.0, 10.0, 19.5, 20.5, 30.0, 0.7853982, -2.7182817,
], dtype=F32)


def act_cases():
    sqrt2 = math.sqrt(2.0)

    def step_fwd(x):
        return (x > 0).to(x.dtype) + 0 * x  # zero derivative, keeps the graph

    def sign_fwd(x):
        return torch.sign(x)

    return [
        ('linear', None, lambda x: x),
        ('relu', None, F.relu),
        ('leakyRelu', None, lambda x: F.leaky_relu(x, 0.01)),
        ('leakyRelu', 0.2, lambda x: F.leaky_relu(x, 0.2)),
        ('elu', None, lambda x: F.elu(x, 1.0)),
        ('elu', 0.7, lambda x: F.elu(x, 0.7)),
        ('selu', None, F.selu),
        ('gelu', None, lambda x: F.gelu(x)),
        ('geluTanh', None, lambda x: F.gelu(x, approximate='tanh')),
        ('silu', None, F.silu),
        ('sigmoid', None, torch.sigmoid),
        ('tanh', None, torch.tanh),
        ('softplus', None, F.softplus),
        ('softsign', None, F.softsign),
        ('hardTanh', None, F.hardtanh),
        ('step', None, step_fwd),
        ('sign', None, sign_fwd),
        ('bipolarSigmoid', None, lambda x: 2 * torch.sigmoid(x) - 1),
    ]


def activations():
    dy = randn(ACT_X.numel())
    cases = []
    for name, alpha, fn in act_cases():
        x = ACT_X.to(F64).clone().requires_grad_(True)
        y = fn(x)
        (dx,) = torch.autograd.grad(y, x, dy.to(F64))
        cases.append({'act': name, 'alpha': alpha, 'y': f32(y), 'dx': f32(dx)})
    return {'x': f32(ACT_X), 'dy': f32(dy), 'cases': cases}


# ---- softmax family ----------------------------------------------------------------------

def softmax_case(x, dy):
    rows, cols = x.shape
    out = {'rows': rows, 'cols': cols, 'x': f32(x), 'dy': f32(dy)}
    for key, fn in (('softmax', lambda t: torch.softmax(t, 1)), ('logSoftmax', lambda t: torch.log_softmax(t, 1))):
        xv = x.to(F64).clone().requires_grad_(True)
        y = fn(xv)
        (dx,) = torch.autograd.grad(y, xv, dy.to(F64))
        out[key] = f32(y)
        out[key + 'Grad'] = f32(dx)
    return out


def softmaxes():
    a = randn(4, 7, scale=3.0)
    big = torch.tensor([[1e4, -1e4, 0.0, 1e4 - 1, -3.0], [-1e4, -1e4 + 2, -1e4 + 1, -2e4, -1e4], [88.0, 89.0, 90.0, -90.0, 0.0]], dtype=F32)
    return [softmax_case(a, randn(4, 7)), softmax_case(big, randn(3, 5))]


def cross_entropy():
    cases = []
    rows, cols = 5, 6
    logits = randn(rows, cols, scale=2.0)
    logits[2, 1] = 30.0  # a confident row: p of others underflows relative to the target
    labels = torch.tensor([0, 3, 5, 2, 1])
    for one_hot in (False, True):
        if one_hot:
            t = torch.softmax(randn(rows, cols) * 2, 1).to(F32)
            t[1] = F.one_hot(torch.tensor(4), cols).to(F32)
            target64 = t.to(F64)
        else:
            target64 = labels
        x = logits.to(F64).clone().requires_grad_(True)
        loss = F.cross_entropy(x, target64, reduction='none')
        (g,) = torch.autograd.grad(loss.mean(), x)
        cases.append({
            'rows': rows, 'cols': cols, 'oneHot': one_hot, 'logits': f32(logits),
            'labels': f32(t if one_hot else labels.to(F32)),
            'probs': f32(torch.softmax(x.detach(), 1)), 'loss': f32(loss), 'grad': f32(g),
        })
    # extreme logits: the target's probability underflows float32 but the loss stays finite
    x = torch.tensor([[1e4, -1e4, 0.0], [-50.0, 60.0, 0.0]], dtype=F32)
    lab = torch.tensor([1, 0])
    xv = x.to(F64).clone().requires_grad_(True)
    loss = F.cross_entropy(xv, lab, reduction='none')
    (g,) = torch.autograd.grad(loss.mean(), xv)
    cases.append({'rows': 2, 'cols': 3, 'oneHot': False, 'logits': f32(x), 'labels': f32(lab.to(F32)),
                  'probs': f32(torch.softmax(xv.detach(), 1)), 'loss': f32(loss), 'grad': f32(g)})
    return cases


# ---- batch norm --------------------------------------------------------------------------

def batchnorm_case(shape, mean_shift=0.0, momentum=0.1, eps=1e-5):
    x = (randn(*shape) * 1.5 + mean_shift).to(F32)
    c = shape[1]
    gamma = rand(c, lo=0.5, hi=1.5)
    beta = randn(c)
    dy = randn(*shape)
    rm0 = randn(c)
    rv0 = rand(c, lo=0.5, hi=2.0)
    layer = torch.nn.BatchNorm1d(c, eps=eps, momentum=momentum).to(F64)
    with torch.no_grad():
        layer.weight.copy_(gamma.to(F64))
        layer.bias.copy_(beta.to(F64))
        layer.running_mean.copy_(rm0.to(F64))
        layer.running_var.copy_(rv0.to(F64))
    layer.train()
    xv = x.to(F64).clone().requires_grad_(True)
    y = layer(xv)
    dx, dgamma, dbeta = torch.autograd.grad(y, (xv, layer.weight, layer.bias), dy.to(F64))
    dims = [0] + ([2] if len(shape) == 3 else [])
    x64 = x.to(F64)
    mean = x64.mean(dim=dims)
    var = x64.var(dim=dims, unbiased=False)
    outer = shape[0]
    inner = shape[2] if len(shape) == 3 else 1
    return {
        'outer': outer, 'channels': c, 'inner': inner, 'eps': eps, 'momentum': momentum,
        'x': f32(x), 'gamma': f32(gamma), 'beta': f32(beta), 'dy': f32(dy),
        'runningMean0': f32(rm0), 'runningVar0': f32(rv0),
        'mean': f32(mean), 'var': f32(var), 'out': f32(y), 'dx': f32(dx), 'dgamma': f32(dgamma), 'dbeta': f32(dbeta),
        'runningMean': f32(layer.running_mean), 'runningVar': f32(layer.running_var),
    }


def batchnorms():
    return [
        batchnorm_case((8, 3)),
        batchnorm_case((4, 3, 5), momentum=0.2),
        batchnorm_case((16, 2), mean_shift=1e4),
    ]


# ---- optimisers --------------------------------------------------------------------------

OPTIMS = [
    ('sgd', 'plain', torch.optim.SGD, {'lr': 0.1}),
    ('sgd', 'momentum+dampening', torch.optim.SGD, {'lr': 0.05, 'momentum': 0.9, 'dampening': 0.3}),
    ('sgd', 'nesterov', torch.optim.SGD, {'lr': 0.05, 'momentum': 0.8, 'nesterov': True}),
    ('sgd', 'weightDecay', torch.optim.SGD, {'lr': 0.1, 'weight_decay': 0.05, 'momentum': 0.5}),
    ('adam', 'plain', torch.optim.Adam, {'lr': 0.01, 'betas': (0.8, 0.95), 'eps': 1e-6}),
    ('adam', 'largeEps', torch.optim.Adam, {'lr': 0.05, 'betas': (0.9, 0.99), 'eps': 0.1}),
    ('adam', 'amsgrad', torch.optim.Adam, {'lr': 0.02, 'amsgrad': True, 'weight_decay': 0.01}),
    ('adamw', 'weightDecay', torch.optim.AdamW, {'lr': 0.01, 'weight_decay': 0.1}),
    ('rmsprop', 'plain', torch.optim.RMSprop, {'lr': 0.01}),
    ('rmsprop', 'centered+momentum', torch.optim.RMSprop, {'lr': 0.01, 'alpha': 0.9, 'eps': 0.01, 'centered': True, 'momentum': 0.7, 'weight_decay': 0.02}),
    ('adagrad', 'lrDecay+init', torch.optim.Adagrad, {'lr': 0.1, 'lr_decay': 0.05, 'initial_accumulator_value': 0.1, 'eps': 0.05, 'weight_decay': 0.01}),
    ('adadelta', 'plain', torch.optim.Adadelta, {'lr': 1.0}),
    ('adadelta', 'weightDecay', torch.optim.Adadelta, {'lr': 0.5, 'rho': 0.8, 'eps': 1e-5, 'weight_decay': 0.05}),
]


def camel_options(o):
    names = {'weight_decay': 'weightDecay', 'lr_decay': 'lrDecay', 'initial_accumulator_value': 'initialAccumulatorValue'}
    out = {}
    for k, v in o.items():
        out[names.get(k, k)] = list(v) if isinstance(v, tuple) else v
    return out


def optimizers():
    n, steps = 6, 5
    cases = []
    for name, label, cls, opts in OPTIMS:
        p0 = randn(n)
        grads = [randn(n) for _ in range(steps)]
        p = torch.nn.Parameter(p0.clone())
        opt = cls([p], **opts)
        params = []
        for g in grads:
            p.grad = g.clone()
            opt.step()
            params.append(f32(p))
        cases.append({'optimizer': name, 'label': label, 'options': camel_options(opts), 'n': n,
                      'param0': f32(p0), 'grads': [f32(g) for g in grads], 'params': params})
    return cases


# ---- gemm and distances --------------------------------------------------------------------

def gemms():
    cases = []
    m, n, k = 3, 4, 5
    specs = [
        (False, False, 1.0, 0.0, False, None),
        (True, False, 0.5, 1.0, True, None),
        (False, True, -1.5, 0.25, False, None),
        (True, True, 2.0, -0.5, True, None),
        (False, False, 1.0, 0.0, True, 'relu'),
        (False, True, 0.75, 0.5, True, 'gelu'),
        (True, False, 1.0, 0.0, True, 'leakyRelu'),
    ]
    for ta, tb, alpha, beta, with_bias, act in specs:
        A = randn(k, m) if ta else randn(m, k)
        B = randn(n, k) if tb else randn(k, n)
        C0 = randn(m, n)
        bias = randn(n)
        opA = (A.T if ta else A).to(F64)
        opB = (B.T if tb else B).to(F64)
        c = alpha * (opA @ opB) + beta * C0.to(F64)
        if with_bias:
            c = c + bias.to(F64)
        if act == 'relu':
            c = F.relu(c)
        elif act == 'gelu':
            c = F.gelu(c)
        elif act == 'leakyRelu':
            c = F.leaky_relu(c, 0.1)
        case = {'m': m, 'n': n, 'k': k, 'transA': ta, 'transB': tb, 'alpha': alpha, 'beta': beta,
                'a': f32(A), 'b': f32(B), 'c0': f32(C0), 'c': f32(c)}
        if with_bias:
            case['bias'] = f32(bias)
        if act:
            case['activation'] = act
            if act == 'leakyRelu':
                case['activationAlpha'] = 0.1
        cases.append(case)
    return cases


def distances():
    m, n, d = 4, 5, 3
    a = randn(m, d, scale=2.0)
    b = randn(n, d, scale=2.0)
    b[0] = a[1]  # an exact match: distance 0
    a64, b64 = a.to(F64), b.to(F64)
    l2 = torch.cdist(a64, b64, p=2.0, compute_mode='donot_use_mm_for_euclid_dist') ** 2
    l1 = torch.cdist(a64, b64, p=1.0)
    return [
        {'metric': 'l2sq', 'm': m, 'n': n, 'd': d, 'a': f32(a), 'b': f32(b), 'out': f32(l2)},
        {'metric': 'l1', 'm': m, 'n': n, 'd': d, 'a': f32(a), 'b': f32(b), 'out': f32(l1)},
    ]


def main():
    data = {
        'meta': {'generator': 'test/golden/generate.py', 'torch': torch.__version__, 'seed': SEED},
        'activations': activations(),
        'softmax': softmaxes(),
        'crossEntropy': cross_entropy(),
        'batchNorm': batchnorms(),
        'optimizers': optimizers(),
        'gemm': gemms(),
        'distance': distances(),
    }
    path = os.path.join(os.path.dirname(os.path.abspath(__file__)), 'kernels.json')
    with open(path, 'w') as fh:
        fh.write(dump(data))
        fh.write('\n')
    print('wrote %s (%d bytes)' % (path, os.path.getsize(path)))


if __name__ == '__main__':
    main()
