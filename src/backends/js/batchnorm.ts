/**
 * Batch normalisation kernels. Every tensor is viewed as `[outer, channels, inner]`; per-channel
 * statistics run over the `outer·inner` values of a channel, in float64, two-pass (so a mean of
 * 1e4 with unit spread loses nothing to cancellation).
 */

/** Per-channel mean and biased variance. With no values (outer·inner = 0) both are NaN. */
export function batchNormStats(x: Float32Array, mean: Float32Array, variance: Float32Array, outer: number, channels: number, inner: number): void {
  const count = outer * inner;
  for (let c = 0; c < channels; c++) {
    let s = 0;
    for (let o = 0; o < outer; o++) {
      const base = (o * channels + c) * inner;
      for (let i = 0; i < inner; i++) s += x[base + i]!;
    }
    const mu = s / count;
    let ss = 0;
    for (let o = 0; o < outer; o++) {
      const base = (o * channels + c) * inner;
      for (let i = 0; i < inner; i++) {
        const d = x[base + i]! - mu;
        ss += d * d;
      }
    }
    mean[c] = mu;
    variance[c] = ss / count;
  }
}

/** `out = gamma·(x − mean)/sqrt(var + eps) + beta`; gamma/beta default to 1/0. In-place safe. */
export function batchNormForward(x: Float32Array, mean: Float32Array, variance: Float32Array, gamma: Float32Array | undefined, beta: Float32Array | undefined, out: Float32Array, outer: number, channels: number, inner: number, eps: number): void {
  for (let c = 0; c < channels; c++) {
    const mu = mean[c]!;
    const invStd = 1 / Math.sqrt(variance[c]! + eps);
    const g = gamma ? gamma[c]! : 1;
    const b = beta ? beta[c]! : 0;
    for (let o = 0; o < outer; o++) {
      const base = (o * channels + c) * inner;
      for (let i = 0; i < inner; i++) out[base + i] = g * (x[base + i]! - mu) * invStd + b;
    }
  }
}

/**
 * Training-mode gradients with N = outer·inner, x̂ = (x − mean)·invStd:
 * dbeta = Σ dy, dgamma = Σ dy·x̂, dx = gamma·invStd/N · (N·dy − dbeta − x̂·dgamma).
 * dgamma/dbeta are written when given (overwritten, not accumulated).
 */
export function batchNormBackward(x: Float32Array, mean: Float32Array, variance: Float32Array, gamma: Float32Array | undefined, dy: Float32Array, dx: Float32Array, dgamma: Float32Array | undefined, dbeta: Float32Array | undefined, outer: number, channels: number, inner: number, eps: number): void {
  const count = outer * inner;
  for (let c = 0; c < channels; c++) {
    const mu = mean[c]!;
    const invStd = 1 / Math.sqrt(variance[c]! + eps);
    let sumDy = 0;
    let sumDyXhat = 0;
    for (let o = 0; o < outer; o++) {
      const base = (o * channels + c) * inner;
      for (let i = 0; i < inner; i++) {
        const g = dy[base + i]!;
        sumDy += g;
        sumDyXhat += g * (x[base + i]! - mu) * invStd;
      }
    }
    if (dgamma) dgamma[c] = sumDyXhat;
    if (dbeta) dbeta[c] = sumDy;
    const k = ((gamma ? gamma[c]! : 1) * invStd) / count;
    for (let o = 0; o < outer; o++) {
      const base = (o * channels + c) * inner;
      for (let i = 0; i < inner; i++) {
        const xhat = (x[base + i]! - mu) * invStd;
        dx[base + i] = k * (count * dy[base + i]! - sumDy - xhat * sumDyXhat);
      }
    }
  }
}

/** torch's running update: rm ← (1−m)·rm + m·mean, rv ← (1−m)·rv + m·var·count/(count−1). */
export function batchNormRunningUpdate(runningMean: Float32Array, runningVar: Float32Array, mean: Float32Array, variance: Float32Array, channels: number, momentum: number, count: number): void {
  const unbias = count / (count - 1);
  for (let c = 0; c < channels; c++) {
    runningMean[c] = (1 - momentum) * runningMean[c]! + momentum * mean[c]!;
    runningVar[c] = (1 - momentum) * runningVar[c]! + momentum * variance[c]! * unbias;
  }
}
