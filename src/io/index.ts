/** src/io public surface: safetensors, model save/load. */
export { encodeSafetensors, decodeSafetensors, MAX_HEADER_BYTES, MAX_TENSOR_ELEMENTS, type SafeTensor, type SafetensorsFile } from './safetensors.js';
export { MODEL_FORMAT, MODEL_FORMAT_VERSION } from './format.js';
export type { SavedModel, SavedModelConfig, SavedOptimizer, SaveOptions } from './save.js';
export type { LoadOptions } from './load.js';
// save/load load their implementations on first call (model-io.ts)
export { saveModel, loadModel } from './model-io.js';
