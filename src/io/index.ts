/** src/io public surface: safetensors, model save/load. */
export { encodeSafetensors, decodeSafetensors, MAX_HEADER_BYTES, MAX_TENSOR_ELEMENTS, type SafeTensor, type SafetensorsFile } from './safetensors.js';
export { saveModel, MODEL_FORMAT, MODEL_FORMAT_VERSION, type SavedModel, type SavedModelConfig, type SavedOptimizer, type SaveOptions } from './save.js';
export { loadModel, type LoadOptions } from './load.js';
