/** src/train public surface: compile/fit/evaluate/predict machinery, metrics, callbacks, history. */
export { compileModel, trainingState, type CompileOptions, type CompileConfig, type TrainingState, type TrainableModel, type LossFn } from './compile.js';
export type { FitOptions } from './fit.js';
export type { EvaluateOptions } from './evaluate.js';
export { fitModel, evaluateModel } from './run.js';
export { predictModel, type PredictOptions } from './predict.js';
export { History, type HistoryRecord } from './history.js';
export { type Callback, type FitContext, type Logs, type BatchLogs, CALLBACK_HOOKS } from './callbacks.js';
export { earlyStopping, EarlyStopping, type EarlyStoppingOptions } from './early-stopping.js';
export { lrScheduler, LrSchedulerCallback, type LrSchedulerOptions } from './lr-scheduler.js';
export { accuracyMetric, topKAccuracy, mseMetric, maeMetric, METRIC_NAMES, type Metric, type MetricSpec } from './metrics.js';
export { permutation } from './shuffle.js';
export type { Samples } from './data.js';
