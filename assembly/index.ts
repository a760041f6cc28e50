// The wasm module's entry: re-exports every kernel family. The exported names and parameter
// orders are the ABI documented in bindings/abi.ts.

/** First free byte after static data, 16-byte aligned: where the JS arena starts. */
export function heapBase(): usize {
  return (__heap_base + 15) & ~(<usize>15);
}

/**
 * The compile-time features of this build, as bits: 1 = relaxed SIMD (FMA in the GEMM
 * micro-kernel and the polynomial approximations), 2 = threads (imported shared memory).
 */
export function buildFeatures(): i32 {
  return (ASC_FEATURE_RELAXED_SIMD ? 1 : 0) | (ASC_FEATURE_THREADS ? 2 : 0);
}

export { threadScratchBytes, setThreadScratch } from './scratch';
export * from './elementwise';
export * from './activations';
export * from './softmax';
export * from './reduce';
export * from './gemm';
export * from './distance';
export * from './batchnorm';
export * from './random';
export * from './optim';
export * from './conv';
