// The wasm module's entry: re-exports every kernel family. The exported names and parameter
// orders are the ABI documented in bindings/abi.ts.

/** First free byte after static data, 16-byte aligned: where the JS arena starts. */
export function heapBase(): usize {
  return (__heap_base + 15) & ~(<usize>15);
}

export * from './elementwise';
export * from './activations';
export * from './softmax';
export * from './reduce';
export * from './gemm';
export * from './distance';
export * from './batchnorm';
export * from './random';
export * from './optim';
