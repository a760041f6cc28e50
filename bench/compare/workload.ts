/**
 * What the comparison benchmark runs, defined once so every library gets identical inputs:
 * GEMM shapes and operands, the 784-256-128-10 MLP's weights, and its training batch.
 */
import { randomArray } from '../harness.js';
import type { DenseWeights } from './onnx.js';
import type { Budget } from './timer.js';

/** A GEMM form: NN = A·B, TN = Aᵀ·B, NT = A·Bᵀ. */
export type Form = 'NN' | 'TN' | 'NT';

/** One GEMM case: C[m, n] = op(A)·op(B) with inner size k. */
export interface GemmShape {
  form: Form;
  m: number;
  n: number;
  k: number;
  /** Row label in the table. */
  label: string;
}

/** FLOPs of one GEMM call (a multiply and an add per inner-product term). */
export function gemmFlops(s: GemmShape): number {
  return 2 * s.m * s.n * s.k;
}

/**
 * The operands of `s`, laid out as the form reads them: A is [k, m] for TN else [m, k];
 * B is [n, k] for NT else [k, n]. Same seeds for every library.
 */
export function gemmOperands(s: GemmShape): { a: Float32Array; b: Float32Array; aShape: [number, number]; bShape: [number, number] } {
  const transA = s.form === 'TN';
  const transB = s.form === 'NT';
  return {
    a: randomArray(s.m * s.k, 1),
    b: randomArray(s.k * s.n, 2),
    aShape: transA ? [s.k, s.m] : [s.m, s.k],
    bShape: transB ? [s.n, s.k] : [s.k, s.n],
  };
}

/**
 * A position-sensitive checksum of a result (so a transposed or shifted C does not pass),
 * computed in float64: Σ c[i]·((i mod 7) − 3).
 */
export function checksum(c: ArrayLike<number>): number {
  let s = 0;
  for (let i = 0; i < c.length; i++) s += c[i]! * ((i % 7) - 3);
  return s;
}

/**
 * Whether two checksums of an [m, n] result with inner size k agree: a wrong result differs by
 * about √(m·n·k) (inputs are uniform in [−1, 1)), float32 rounding by orders of magnitude less.
 */
export function checksumsAgree(a: number, b: number, s: GemmShape): boolean {
  return Math.abs(a - b) <= 1e-3 * Math.sqrt(s.m * s.n * s.k);
}

/** The GEMM rows: square 256/512/1024 and the MLP layers' forward/backward shapes, each in NN, TN, NT. */
export function gemmShapes(): GemmShape[] {
  const rows: GemmShape[] = [];
  for (const s of [256, 512, 1024]) {
    for (const form of ['NN', 'TN', 'NT'] as const) rows.push({ form, m: s, n: s, k: s, label: `${form} ${s}³` });
  }
  // Dense layer with batch B, in I, out O: forward NN (m=B, k=I, n=O), weight gradient
  // Xᵀ·dY TN (m=I, k=B, n=O), input gradient dY·Wᵀ NT (m=B, k=O, n=I).
  for (const [B, I, O] of [
    [128, 784, 256],
    [128, 256, 128],
    [128, 128, 10],
  ] as const) {
    rows.push({ form: 'NN', m: B, k: I, n: O, label: `NN ${B}×${I}×${O} (m=${B} k=${I} n=${O})` });
    rows.push({ form: 'TN', m: I, k: B, n: O, label: `TN ${B}×${I}×${O} (m=${I} k=${B} n=${O})` });
    rows.push({ form: 'NT', m: B, k: O, n: I, label: `NT ${B}×${I}×${O} (m=${B} k=${O} n=${I})` });
  }
  return rows;
}

/** Layer sizes of the benchmark MLP (ReLU between layers, logits out). */
export const MLP_SIZES = [784, 256, 128, 10] as const;
/** Training batch size. */
export const TRAIN_BATCH = 128;
/** Steps in one MNIST epoch at batch 128 (60 000 / 128, rounded up). */
export const MNIST_STEPS = Math.ceil(60000 / TRAIN_BATCH);

/** He-uniform weights (W [in, out], b small), the same for every library. */
export function mlpWeights(): DenseWeights[] {
  return MLP_SIZES.slice(0, -1).map((inputs, i) => {
    const outputs = MLP_SIZES[i + 1]!;
    const bound = Math.sqrt(6 / inputs);
    return {
      inputs,
      outputs,
      w: randomArray(inputs * outputs, 10 + i).map((v) => v * bound),
      b: randomArray(outputs, 20 + i).map((v) => v * 0.01),
    };
  });
}

/** A synthetic training batch: x [128, 784] in [−1, 1), labels as class indices. */
export function trainBatch(): { x: Float32Array; labels: Int32Array } {
  return {
    x: randomArray(TRAIN_BATCH * MLP_SIZES[0], 30),
    labels: Int32Array.from({ length: TRAIN_BATCH }, (_, i) => (i * 7 + 3) % MLP_SIZES[3]),
  };
}

/** Inference inputs [batch, 784]. */
export function inferInput(batch: number): Float32Array {
  return randomArray(batch * MLP_SIZES[0], 40 + batch);
}

/** The shared contract every engine (library × configuration) implements; absent methods show as '—'. */
export interface Engine {
  /** Column name. */
  readonly name: string;
  /** Why the engine cannot run here (its column shows '—'), or undefined. */
  unavailable?: string;
  /** Median seconds per GEMM call, and the checksum of the result. */
  gemm?(s: GemmShape, budget: Budget): Promise<{ seconds: number; checksum: number }>;
  /** Median seconds per training step (forward, cross-entropy, backward, Adam, loss read back). */
  train?(budget: Budget): Promise<number>;
  /** Median seconds to run a batch end to end (input array in, output array out), and that output. */
  infer?(batch: number, budget: Budget): Promise<{ seconds: number; output: Float32Array }>;
  /** Frees everything (pools, sessions, workers). */
  dispose(): Promise<void>;
}
