/**
 * axonjs — neural networks for TypeScript on WebAssembly SIMD (and WebGPU).
 * This core entry has no Node-specific import and no run-time code generation (DESIGN §7).
 */
export { init, getBackend, backends, dispose, type InitOptions } from './backend.js';
export { createBackend, registerBackend, BackendUnavailableError, type BackendName, type BackendOptions, type BackendFactory } from './backends/index.js';
// The backends load with init() (their classes are values of 'axonjs/backends'; types here).
export type { JsBackend } from './backends/js/index.js';
export type { WasmBackend, WasmStorage, WasmBackendInfo, WasmBackendOptions } from './backends/wasm/index.js';
export * from './kernels/kernels.js';
export { detectFeatures, type WasmFeatures } from '../bindings/features.js';
export type { WasmSource } from '../bindings/instantiate.js';
export { WasmLoadError, ArenaOutOfMemoryError } from '../bindings/errors.js';

// tensors, ops, autograd
export { Tensor, type TensorLike, type NestedArray } from './tensor.js';
export * from './ops/index.js';
export { tidy, memory, noGrad, type MemoryInfo } from './engine.js';
export { canReadSync } from './readback.js';
export { backward, type BackwardOptions } from './autograd/backward.js';
export { gradcheck, gradcheckAsync, type GradcheckOptions, type GradcheckResult, type GradcheckWorst } from './autograd/gradcheck.js';
export { AxonError, ArgumentError, ShapeError, type AxonErrorCode } from './errors.js';

// optimisers, gradient clipping, learning-rate schedules (src/optim)
export * from './optim/index.js';

// layers, models, initialisers, regularisers, constraints and losses (src/nn, src/losses).
// `Activation` is the layer class here; the kernel contract's activation-name type is `ActivationName`'s subset.
export * from './nn/index.js';
export { Activation } from './nn/index.js';

// training API (src/train): model.compile/fit/evaluate/predict delegate here; metrics, callbacks, history
export {
  compileModel,
  fitModel,
  evaluateModel,
  predictModel,
  History,
  earlyStopping,
  EarlyStopping,
  lrScheduler,
  LrSchedulerCallback,
  accuracyMetric,
  topKAccuracy,
  mseMetric,
  maeMetric,
  METRIC_NAMES,
  CALLBACK_HOOKS,
  type CompileOptions,
  type CompileConfig,
  type TrainingState,
  type LossFn,
  type FitOptions,
  type Samples,
  type EvaluateOptions,
  type PredictOptions,
  type HistoryRecord,
  type Callback,
  type FitContext,
  type Logs,
  type BatchLogs,
  type EarlyStoppingOptions,
  type LrSchedulerOptions,
  type Metric,
  type MetricSpec,
} from './train/index.js';

// save/load (src/io): safetensors, model.save(), loadModel()
export {
  encodeSafetensors,
  decodeSafetensors,
  saveModel,
  loadModel,
  MODEL_FORMAT,
  MODEL_FORMAT_VERSION,
  type SafeTensor,
  type SafetensorsFile,
  type SavedModel,
  type SavedModelConfig,
  type SavedOptimizer,
  type SaveOptions,
  type LoadOptions,
} from './io/index.js';

// datasets, preprocessing, image augmentation (src/data, src/preprocess) and k-NN (src/classic)
export { Dataset, type DatasetOptions, type BatchOptions, type SplitOptions, type DatasetBatch } from './data/dataset.js';
export { type HostArray, type ArrayInput } from './data/host.js';
export {
  Preprocessor,
  MeanCenter,
  StandardScaler,
  MinMaxScaler,
  PCA,
  symmetricEigen,
  type FitInput,
  type StandardScalerOptions,
  type MinMaxScalerOptions,
  type PCAOptions,
  type EigenResult,
  type EigenOptions,
} from './preprocess/index.js';
export {
  shiftImages,
  randomShift,
  randomCrop,
  flipHorizontal,
  randomHorizontalFlip,
  randomBrightness,
  randomContrast,
  augmentImages,
  type ImageInput,
  type AugmentRandomOptions,
  type FillOptions,
  type ClipOptions,
  type AugmentOptions,
} from './data/augment.js';
export { KNearestNeighbors, type KnnMetric, type KNearestNeighborsOptions, type KnnPredictOptions, type KnnNeighbors } from './classic/knn.js';

// linear classifiers (src/classic/linear.ts) and random hyperparameter search (src/search)
export {
  LinearClassifier,
  SoftmaxRegression,
  LinearSVM,
  type LinearClassifierOptions,
  type LinearSVMOptions,
  type LinearInput,
  type LinearLabels,
  type LinearModel,
} from './classic/linear.js';
export {
  randomSearch,
  formatTable,
  formatValue,
  uniform,
  logUniform,
  intUniform,
  choice,
  sampleParams,
  sampleSpace,
  describeSpace,
  uniformAt,
  Sampler,
  UniformSampler,
  LogUniformSampler,
  IntUniformSampler,
  ChoiceSampler,
  type SearchSpace,
  type SampledParams,
  type RandomSearchOptions,
  type TrialResult,
  type SearchSamples,
  type FormatTableOptions,
} from './search/index.js';
