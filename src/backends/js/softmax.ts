/**
 * Softmax family per row of a `[rows, cols]` matrix, max-subtracted, sums in float64.
 * A row containing NaN, or made only of −Inf, yields NaN (as torch).
 */

/** Row maximum that propagates NaN (a plain `>` scan would skip it). */
function rowMax(x: Float32Array, base: number, cols: number): number {
  let m = -Infinity;
  for (let j = 0; j < cols; j++) {
    const v = x[base + j]!;
    if (v > m || v !== v) m = v;
    if (m !== m) break;
  }
  return m;
}

/** Σ exp(x − m) over a row, in float64. */
function sumExp(x: Float32Array, base: number, cols: number, m: number): number {
  let s = 0;
  for (let j = 0; j < cols; j++) s += Math.exp(x[base + j]! - m);
  return s;
}

/** `out = softmax(x)` per row. In-place safe. */
export function softmax(x: Float32Array, out: Float32Array, rows: number, cols: number): void {
  for (let r = 0; r < rows; r++) {
    const base = r * cols;
    const m = rowMax(x, base, cols);
    const s = sumExp(x, base, cols, m);
    for (let j = 0; j < cols; j++) out[base + j] = Math.exp(x[base + j]! - m) / s;
  }
}

/** `out = x − max − log Σ exp(x − max)` per row. In-place safe. */
export function logSoftmax(x: Float32Array, out: Float32Array, rows: number, cols: number): void {
  for (let r = 0; r < rows; r++) {
    const base = r * cols;
    const m = rowMax(x, base, cols);
    const ls = Math.log(sumExp(x, base, cols, m));
    for (let j = 0; j < cols; j++) out[base + j] = x[base + j]! - m - ls;
  }
}

/** `dx = y ⊙ (dy − Σ_row dy ⊙ y)` from the softmax output y. In-place safe for dx === dy. */
export function softmaxBackward(y: Float32Array, dy: Float32Array, dx: Float32Array, rows: number, cols: number): void {
  for (let r = 0; r < rows; r++) {
    const base = r * cols;
    let dot = 0;
    for (let j = 0; j < cols; j++) dot += dy[base + j]! * y[base + j]!;
    for (let j = 0; j < cols; j++) dx[base + j] = y[base + j]! * (dy[base + j]! - dot);
  }
}

/** `dx = dy − exp(y)·Σ_row dy` from the logSoftmax output y. In-place safe for dx === dy. */
export function logSoftmaxBackward(y: Float32Array, dy: Float32Array, dx: Float32Array, rows: number, cols: number): void {
  for (let r = 0; r < rows; r++) {
    const base = r * cols;
    let sum = 0;
    for (let j = 0; j < cols; j++) sum += dy[base + j]!;
    for (let j = 0; j < cols; j++) dx[base + j] = dy[base + j]! - Math.exp(y[base + j]!) * sum;
  }
}

/**
 * Fused softmax + cross-entropy forward: `probs` = softmax(logits) per row and
 * `loss[r] = −Σ t·(x − lse)` from the log-sum-exp `lse`, where t is the one-hot of the index
 * label (`oneHot` false, labels `[rows]`) or the given distribution (`oneHot` true,
 * labels `[rows, cols]`). Safe when `probs === logits`.
 */
export function softmaxCrossEntropy(logits: Float32Array, labels: Float32Array, oneHot: boolean, probs: Float32Array, loss: Float32Array, rows: number, cols: number): void {
  for (let r = 0; r < rows; r++) {
    const base = r * cols;
    const m = rowMax(logits, base, cols);
    const s = sumExp(logits, base, cols, m);
    const lse = m + Math.log(s);
    let l: number;
    if (oneHot) {
      l = 0;
      for (let j = 0; j < cols; j++) l -= labels[base + j]! * (logits[base + j]! - lse);
    } else {
      l = -(logits[base + labels[r]!]! - lse);
    }
    loss[r] = l; // before probs, which may overwrite logits
    for (let j = 0; j < cols; j++) probs[base + j] = Math.exp(logits[base + j]! - m) / s;
  }
}

/** `dlogits = scale·(probs − target)`; target as in {@link softmaxCrossEntropy}. In-place safe for dlogits === probs. */
export function softmaxCrossEntropyBackward(probs: Float32Array, labels: Float32Array, oneHot: boolean, dlogits: Float32Array, rows: number, cols: number, scale: number): void {
  for (let r = 0; r < rows; r++) {
    const base = r * cols;
    const label = oneHot ? -1 : labels[r]!;
    for (let j = 0; j < cols; j++) {
      const t = oneHot ? labels[base + j]! : j === label ? 1 : 0;
      dlogits[base + j] = scale * (probs[base + j]! - t);
    }
  }
}
