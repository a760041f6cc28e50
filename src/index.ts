/**
 * axonjs — neural networks for TypeScript on WebAssembly SIMD (and WebGPU).
 * This core entry has no Node-specific import and no run-time code generation (DESIGN §7).
 */
export { init, getBackend, backends, type InitOptions } from './backend.js';
export { createBackend, registerBackend, BackendUnavailableError, type BackendName, type BackendOptions, type BackendFactory } from './backends/index.js';
export { JsBackend } from './backends/js/index.js';
export { WasmBackend, WasmStorage } from './backends/wasm/index.js';
export * from './kernels/kernels.js';
export { detectFeatures, type WasmFeatures } from '../bindings/features.js';
export { WasmLoadError, type WasmSource } from '../bindings/instantiate.js';
export { ArenaOutOfMemoryError } from '../bindings/arena.js';

// tensors, ops, autograd
export { Tensor, type TensorLike, type NestedArray } from './tensor.js';
export * from './ops/index.js';
export { tidy, memory, noGrad, type MemoryInfo } from './engine.js';
export { backward, type BackwardOptions } from './autograd/backward.js';
export { AxonError, ArgumentError, ShapeError, type AxonErrorCode } from './errors.js';
