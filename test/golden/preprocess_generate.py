#!/usr/bin/env python3
"""Golden fixtures for src/preprocess (scalers, PCA, whitening), computed with NumPy.

Run:  /usr/bin/python3 test/golden/preprocess_generate.py
Writes test/golden/preprocess.json next to this file.

Inputs are drawn in float32; references are computed in float64 from those float32 values with
scikit-learn's definitions written out in NumPy (sklearn itself is not installed here):
- StandardScaler: mean, population variance (ddof=0), scale = std with zeros replaced by 1.
- MinMaxScaler: scale = (hi - lo) / (max - min) (zero range -> 1), min = lo - dataMin * scale.
- PCA: eigendecomposition of the sample covariance (ddof=1), components sorted by descending
  eigenvalue, each with its largest-magnitude entry (first on ties) made positive (svd_flip's
  rule on V); whitening divides projections by sqrt(eigenvalue + eps).
Numbers are written with 17 significant digits (repr of float64).
"""
import json
import os

import numpy as np

rng = np.random.default_rng(20240607)


def f32(a):
    return np.asarray(a, dtype=np.float32).astype(np.float64)


def standard(x):
    mean = x.mean(axis=0)
    var = x.var(axis=0)
    scale = np.sqrt(var)
    scale[scale < 10 * np.finfo(np.float64).eps] = 1.0
    return mean, var, scale


def minmax(x, lo, hi):
    dmin = x.min(axis=0)
    dmax = x.max(axis=0)
    rng_ = dmax - dmin
    rng_[rng_ < 10 * np.finfo(np.float64).eps] = 1.0
    scale = (hi - lo) / rng_
    mn = lo - dmin * scale
    return dmin, dmax, scale, mn


def pca(x):
    mean = x.mean(axis=0)
    cov = np.cov(x, rowvar=False, ddof=1)
    w, v = np.linalg.eigh(cov)
    order = np.argsort(-w, kind="stable")
    w = np.clip(w[order], 0, None)
    comps = v[:, order].T.copy()
    for c in range(comps.shape[0]):
        j = int(np.argmax(np.abs(comps[c])))
        if comps[c, j] < 0:
            comps[c] = -comps[c]
    return mean, w, comps


def lst(a):
    return np.asarray(a, dtype=np.float64).tolist()


out = {}

# --- scalers: 24 samples x 6 features at different offsets/scales; feature 5 is constant ---
xs = f32(rng.normal(size=(24, 6)) * np.array([1.0, 5.0, 0.1, 30.0, 2.0, 0.0]) + np.array([0.0, -3.0, 10.0, 100.0, 0.5, 3.25]))
qs = f32(rng.normal(size=(5, 6)) * np.array([1.0, 5.0, 0.1, 30.0, 2.0, 1.0]) + np.array([0.0, -3.0, 10.0, 100.0, 0.5, 3.25]))
mean, var, scale = standard(xs)
dmin, dmax, mmscale, mmmin = minmax(xs, 0.0, 1.0)
_, _, mmscale2, mmmin2 = minmax(xs, -1.0, 2.0)
out["scalers"] = {
    "x": lst(xs),
    "q": lst(qs),
    "mean": lst(mean),
    "var": lst(var),
    "scale": lst(scale),
    "standardX": lst((xs - mean) / scale),
    "standardQ": lst((qs - mean) / scale),
    "centeredQ": lst(qs - mean),
    "dataMin": lst(dmin),
    "dataMax": lst(dmax),
    "minmaxX": lst(xs * mmscale + mmmin),
    "minmaxQ": lst(qs * mmscale + mmmin),
    "minmaxRange": [-1.0, 2.0],
    "minmaxRangeX": lst(xs * mmscale2 + mmmin2),
}

# --- PCA: 40 samples in 6-D lying near a 3-D subspace (plus small noise), with an offset ---
z = rng.normal(size=(40, 3)) * np.array([4.0, 2.0, 1.0])
a = rng.normal(size=(3, 6))
xp = f32(z @ a + 0.05 * rng.normal(size=(40, 6)) + np.array([5.0, -2.0, 0.0, 1.0, 10.0, -7.0]))
qp = f32(rng.normal(size=(7, 3)) * np.array([4.0, 2.0, 1.0]) @ a + np.array([5.0, -2.0, 0.0, 1.0, 10.0, -7.0]))
mean, w, comps = pca(xp)
total = w.sum()
ratio = w / total
k = 3
eps = 1e-5
proj = (xp - mean) @ comps[:k].T
projq = (qp - mean) @ comps[:k].T
white = proj / np.sqrt(w[:k] + eps)
whiteq = projq / np.sqrt(w[:k] + eps)
recon = proj @ comps[:k] + mean
cum = np.cumsum(ratio)
out["pca"] = {
    "x": lst(xp),
    "q": lst(qp),
    "k": k,
    "eps": eps,
    "mean": lst(mean),
    "eigenvalues": lst(w),
    "components": lst(comps[:k]),
    "explainedVarianceRatio": lst(ratio),
    "projX": lst(proj),
    "projQ": lst(projq),
    "whiteX": lst(white),
    "whiteQ": lst(whiteq),
    "reconX": lst(recon),
    # the fewest components reaching each variance ratio
    "ratioTargets": [0.5, 0.9, 0.99, 0.9999],
    "ratioK": [int(np.searchsorted(cum, r, side="left") + 1) for r in [0.5, 0.9, 0.99, 0.9999]],
}

# --- symmetric eigendecomposition of a random 12x12 symmetric matrix ---
m = rng.normal(size=(12, 12))
sym = (m + m.T) / 2
ev, evec = np.linalg.eigh(sym)
order = np.argsort(-ev, kind="stable")
out["eigen"] = {"n": 12, "a": lst(sym), "values": lst(ev[order])}

path = os.path.join(os.path.dirname(os.path.abspath(__file__)), "preprocess.json")
with open(path, "w") as f:
    json.dump(out, f, separators=(",", ":"))
    f.write("\n")
print("wrote", path, os.path.getsize(path), "bytes")
