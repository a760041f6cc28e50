/**
 * Input preprocessing the CLI applies and stores with a saved model, so `evaluate` and `predict`
 * feed the model exactly what it was trained on: raw file values are divided by `rawScale`
 * (the loaders' scaling, e.g. 255 for MNIST pixels) and, for tabular data, standardised with the
 * training set's mean and standard deviation (StandardScaler's statistics).
 */
import { StandardScaler } from '../preprocess/scalers.js';

/** What is stored in a saved model's metadata (plain JSON). */
export interface Standardization {
  mean: number[];
  scale: number[];
}

/** Fits StandardScaler on the training features `[n, width]` and returns its statistics. */
export function fitStandardization(x: Float32Array, n: number, width: number): Standardization {
  const s = new StandardScaler().fit({ data: x, shape: [n, width] });
  try {
    return { mean: Array.from(s.mean), scale: Array.from(s.scale) };
  } finally {
    s.dispose();
  }
}

/** `(x − mean) / scale` per feature, in place on a row-major `[n, width]` host array. */
export function applyStandardization(x: Float32Array, st: Standardization): Float32Array {
  const w = st.mean.length;
  for (let i = 0; i < x.length; i++) {
    const j = i % w;
    x[i] = (x[i]! - st.mean[j]!) / st.scale[j]!;
  }
  return x;
}
