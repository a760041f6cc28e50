/** src/optim public surface: optimisers, gradient clipping, learning-rate schedules. */
export { Optimizer, type OptimizerState } from './optimizer.js';
export { FusedOptimizer, type BaseOptions, type BaseConfig, type OptimizerSpec } from './fused.js';
export { SGD, type SGDOptions, type SGDConfig } from './sgd.js';
export { Adam, AdamW, type AdamOptions, type AdamConfig } from './adam.js';
export { RMSprop, type RMSpropOptions, type RMSpropConfig } from './rmsprop.js';
export { Adagrad, type AdagradOptions, type AdagradConfig } from './adagrad.js';
export { Adadelta, type AdadeltaOptions, type AdadeltaConfig } from './adadelta.js';
export { createOptimizer, OPTIMIZER_NAMES } from './registry.js';
export { clipGradNorm, clipGradNormAsync, clipGradValue, GradClipper, type NormType } from './clip.js';
export { LrScheduler, ReduceOnPlateau, type LrSchedule, type ScheduleLike, type ReduceOnPlateauOptions } from './schedules.js';
export * as schedules from './schedules.js';
