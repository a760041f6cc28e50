#!/usr/bin/env python3
"""Golden fixtures for src/optim (optimisers, gradient clipping, LR schedules), from PyTorch 1.13.

Run:  /usr/bin/python3 test/golden/optim_generate.py
Writes test/golden/optim.json next to this file; test/optim.test.ts replays every case.

- Parameters and gradients are float32 values drawn once from a seeded generator and written
  exactly (a float32 value is exact in a double). Each step's gradients are given per parameter;
  `null` means "this parameter has no gradient in this step" (torch skips it, and its per-parameter
  step count does not advance).
- Optimisers run in float32 exactly as torch.optim does; `expected[t]` holds every parameter after
  step t + 1. `clip` in a case means torch.nn.utils.clip_grad_norm_/clip_grad_value_ was applied to
  the gradients before each step (axon: the `clipNorm` / `clipValue` options).
- Schedules: `lrs[e]` is the learning rate of epoch e (e = 0 before any scheduler.step()).
"""
import json
import os

import torch

SEED = 31337
gen = torch.Generator().manual_seed(SEED)
SHAPES = [[3], [2, 2], [1]]
STEPS = 5


def randn(shape, scale=1.0):
    return (torch.randn(shape, generator=gen, dtype=torch.float64) * scale).to(torch.float32)


def flat(t):
    return [float(x) for x in t.detach().reshape(-1).tolist()]


def make_problem(skip=None):
    """Initial parameters and a gradient sequence; `skip` = (step, param) pairs without gradient."""
    skip = skip or set()
    init = [randn(s) for s in SHAPES]
    grads = []
    for t in range(STEPS):
        row = []
        for i, s in enumerate(SHAPES):
            g = randn(s, scale=0.5 + t * 0.3)
            row.append(None if (t, i) in skip else g)
        grads.append(row)
    return init, grads


def run_optimizer(name, torch_cls, torch_opts, axon_opts, skip=None, clip=None):
    init, grads = make_problem(skip)
    params = [p.clone().requires_grad_(True) for p in init]
    opt = torch_cls(params, **torch_opts)
    expected = []
    for t in range(STEPS):
        for p, g in zip(params, grads[t]):
            p.grad = None if g is None else g.clone()
        if clip is not None:
            if 'norm' in clip:
                torch.nn.utils.clip_grad_norm_(params, clip['norm'])
            if 'value' in clip:
                torch.nn.utils.clip_grad_value_(params, clip['value'])
        opt.step()
        expected.append([flat(p) for p in params])
    return {
        'name': name,
        'optimizer': torch_cls.__name__,
        'options': axon_opts,
        'clip': clip,
        'shapes': SHAPES,
        'init': [flat(p) for p in init],
        'grads': [[None if g is None else flat(g) for g in row] for row in grads],
        'expected': expected,
    }


def optimizer_cases():
    O = torch.optim
    skip = {(1, 2), (2, 2)}  # parameter 2 has no gradient in steps 2 and 3
    return [
        run_optimizer('sgd plain', O.SGD, dict(lr=0.1), dict(lr=0.1)),
        run_optimizer('sgd momentum+dampening+weightDecay', O.SGD, dict(lr=0.05, momentum=0.9, dampening=0.3, weight_decay=0.01),
                      dict(lr=0.05, momentum=0.9, dampening=0.3, weightDecay=0.01), skip=skip),
        run_optimizer('sgd nesterov+weightDecay', O.SGD, dict(lr=0.05, momentum=0.8, nesterov=True, weight_decay=1e-3),
                      dict(lr=0.05, momentum=0.8, nesterov=True, weightDecay=1e-3)),
        run_optimizer('adam defaults (lr 1e-2)', O.Adam, dict(lr=1e-2), dict(lr=1e-2), skip=skip),
        run_optimizer('adam amsgrad+weightDecay', O.Adam, dict(lr=0.02, betas=(0.8, 0.95), eps=1e-6, weight_decay=0.05, amsgrad=True),
                      dict(lr=0.02, betas=[0.8, 0.95], eps=1e-6, weightDecay=0.05, amsgrad=True)),
        run_optimizer('adamw defaults (lr 1e-2)', O.AdamW, dict(lr=1e-2), dict(lr=1e-2)),
        run_optimizer('adamw amsgrad+weightDecay', O.AdamW, dict(lr=0.05, weight_decay=0.1, amsgrad=True, betas=(0.85, 0.99)),
                      dict(lr=0.05, weightDecay=0.1, amsgrad=True, betas=[0.85, 0.99]), skip=skip),
        run_optimizer('rmsprop plain', O.RMSprop, dict(lr=1e-2), dict(lr=1e-2)),
        run_optimizer('rmsprop centered+momentum+weightDecay', O.RMSprop, dict(lr=1e-2, alpha=0.9, momentum=0.5, centered=True, weight_decay=0.01),
                      dict(lr=1e-2, alpha=0.9, momentum=0.5, centered=True, weightDecay=0.01), skip=skip),
        run_optimizer('adagrad defaults', O.Adagrad, dict(), dict()),
        run_optimizer('adagrad lrDecay+initialAccumulator+weightDecay', O.Adagrad,
                      dict(lr=0.1, lr_decay=0.05, initial_accumulator_value=0.1, weight_decay=0.01, eps=1e-8),
                      dict(lr=0.1, lrDecay=0.05, initialAccumulatorValue=0.1, weightDecay=0.01, eps=1e-8), skip=skip),
        run_optimizer('adadelta defaults', O.Adadelta, dict(), dict()),
        run_optimizer('adadelta rho+weightDecay', O.Adadelta, dict(lr=0.5, rho=0.8, eps=1e-5, weight_decay=0.02),
                      dict(lr=0.5, rho=0.8, eps=1e-5, weightDecay=0.02)),
        run_optimizer('sgd momentum + clipNorm', O.SGD, dict(lr=0.1, momentum=0.9), dict(lr=0.1, momentum=0.9, clipNorm=0.7),
                      clip={'norm': 0.7}),
        run_optimizer('adam + clipValue', O.Adam, dict(lr=0.01), dict(lr=0.01, clipValue=0.4), clip={'value': 0.4}),
    ]


def clip_cases():
    cases = []
    for norm_type, max_norm in [(2.0, 1.0), (2.0, 100.0), (1.0, 0.5), (3.0, 0.8), ('inf', 0.3)]:
        grads = [randn(s, scale=1.5) for s in SHAPES]
        params = [torch.zeros(s, requires_grad=True) for s in SHAPES]
        for p, g in zip(params, grads):
            p.grad = g.clone()
        nt = float('inf') if norm_type == 'inf' else norm_type
        total = torch.nn.utils.clip_grad_norm_(params, max_norm, norm_type=nt)
        cases.append({
            'normType': norm_type, 'maxNorm': max_norm, 'shapes': SHAPES,
            'grads': [flat(g) for g in grads], 'total': float(total), 'clipped': [flat(p.grad) for p in params],
        })
    grads = [randn(s, scale=1.5) for s in SHAPES]
    params = [torch.zeros(s, requires_grad=True) for s in SHAPES]
    for p, g in zip(params, grads):
        p.grad = g.clone()
    torch.nn.utils.clip_grad_value_(params, 0.6)
    value_case = {'clipValue': 0.6, 'shapes': SHAPES, 'grads': [flat(g) for g in grads], 'clipped': [flat(p.grad) for p in params]}
    return cases, value_case


def schedule_lrs(make, epochs=20, metrics=None, base_lr=0.1):
    p = torch.zeros(1, requires_grad=True)
    opt = torch.optim.SGD([p], lr=base_lr)
    sched = make(opt)
    lrs = [opt.param_groups[0]['lr']]
    for e in range(epochs):
        opt.step()
        if metrics is None:
            sched.step()
        else:
            sched.step(metrics[e])
        lrs.append(opt.param_groups[0]['lr'])
    return lrs


def schedule_cases():
    S = torch.optim.lr_scheduler
    plateau_metric = [1.0, 0.9, 0.95, 0.91, 0.9, 0.899, 0.85, 0.86, 0.87, 0.88, 0.84, 0.85, 0.85, 0.85, 0.85, 0.6, 0.7, 0.7, 0.7, 0.7]
    acc_metric = [0.5, 0.6, 0.6, 0.61, 0.6, 0.7, 0.7, 0.7, 0.7, 0.8, 0.8, 0.8, 0.8, 0.8, 0.8, 0.9, 0.9, 0.9, 0.9, 0.9]
    return [
        {'name': 'StepLR', 'schedule': {'type': 'stepDecay', 'stepSize': 3, 'gamma': 0.5}, 'baseLr': 0.1,
         'lrs': schedule_lrs(lambda o: S.StepLR(o, step_size=3, gamma=0.5))},
        {'name': 'ExponentialLR', 'schedule': {'type': 'exponential', 'gamma': 0.9}, 'baseLr': 0.1,
         'lrs': schedule_lrs(lambda o: S.ExponentialLR(o, gamma=0.9))},
        {'name': 'CosineAnnealingLR', 'schedule': {'type': 'cosine', 'tMax': 8, 'etaMin': 0.001}, 'baseLr': 0.1,
         'lrs': schedule_lrs(lambda o: S.CosineAnnealingLR(o, T_max=8, eta_min=0.001))},
        {'name': 'ReduceLROnPlateau min rel', 'schedule': {'type': 'reduceOnPlateau', 'factor': 0.5, 'patience': 2, 'threshold': 1e-2, 'cooldown': 1, 'minLr': 0.02},
         'baseLr': 0.1, 'metrics': plateau_metric,
         'lrs': schedule_lrs(lambda o: S.ReduceLROnPlateau(o, factor=0.5, patience=2, threshold=1e-2, cooldown=1, min_lr=0.02), metrics=plateau_metric)},
        {'name': 'ReduceLROnPlateau max abs', 'schedule': {'type': 'reduceOnPlateau', 'mode': 'max', 'thresholdMode': 'abs', 'factor': 0.3, 'patience': 1, 'threshold': 0.05},
         'baseLr': 0.1, 'metrics': acc_metric,
         'lrs': schedule_lrs(lambda o: S.ReduceLROnPlateau(o, mode='max', threshold_mode='abs', factor=0.3, patience=1, threshold=0.05), metrics=acc_metric)},
        {'name': 'ReduceLROnPlateau defaults', 'schedule': {'type': 'reduceOnPlateau'}, 'baseLr': 0.1, 'metrics': [1.0] * 20,
         'lrs': schedule_lrs(lambda o: S.ReduceLROnPlateau(o), metrics=[1.0] * 20)},
    ]


def main():
    clip_norm, clip_value = clip_cases()
    out = {
        'torch': torch.__version__,
        'optimizers': optimizer_cases(),
        'clipGradNorm': clip_norm,
        'clipGradValue': clip_value,
        'schedules': schedule_cases(),
    }
    path = os.path.join(os.path.dirname(os.path.abspath(__file__)), 'optim.json')
    with open(path, 'w') as f:
        json.dump(out, f, separators=(',', ':'))
        f.write('\n')
    print(f'wrote {path}: {len(out["optimizers"])} optimiser cases, {len(clip_norm)} clip cases, {len(out["schedules"])} schedules')


if __name__ == '__main__':
    main()
