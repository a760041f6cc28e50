/** Layers, models, initialisers, regularisers and constraints (src/nn), plus the losses. */
export { Module, type ModuleConfig } from './module.js';
export { registerModule, registeredModules, moduleFromConfig, type ModuleFactory } from './registry.js';
export { Sequential } from './sequential.js';
export { Dense, dense, type DenseOptions } from './dense.js';
export {
  Activation,
  Linear,
  ReLU,
  LeakyReLU,
  ELU,
  SELU,
  GELU,
  SiLU,
  Sigmoid,
  Tanh,
  Softplus,
  Softsign,
  HardTanh,
  Step,
  Sign,
  BipolarSigmoid,
  Softmax,
  LogSoftmax,
  ACTIVATION_NAMES,
  type ActivationName,
  type ActivationOptions,
} from './activations.js';
export { Maxout, type MaxoutOptions } from './maxout.js';
export { Dropout } from './dropout.js';
export { BatchNorm1d, BatchNorm2d, type BatchNormOptions } from './batchnorm.js';
export { Conv2d, convOutputShape, type Conv2dLayerOptions } from './conv.js';
export { MaxPool2d, AvgPool2d, GlobalAvgPool2d, type MaxPool2dLayerOptions, type AvgPool2dLayerOptions } from './pool.js';
export { Flatten } from './flatten.js';
export { Perceptron, type PerceptronOptions, type PerceptronHistory } from './perceptron.js';
export {
  initializers,
  getInitializer,
  computeFans,
  INITIALIZER_NAMES,
  type Initializer,
  type InitializerName,
  type InitContext,
} from './init.js';
export {
  Regularizer,
  l1,
  l2,
  l1l2,
  l1Regularizer,
  getRegularizer,
  REGULARIZER_NAMES,
  type RegularizerConfig,
  type RegularizerLike,
} from './regularizers.js';
export { MaxNorm, maxNorm, getConstraint, CONSTRAINT_NAMES, type Constraint, type ConstraintConfig, type ConstraintLike } from './constraints.js';
export { resetDefaultSeeds } from './seed.js';
export {
  mse,
  crossEntropy,
  binaryCrossEntropy,
  binaryCrossEntropyWithLogits,
  hinge,
  huber,
  l1Loss,
  getLoss,
  LOSS_NAMES,
  LOSS_TARGETS,
  type LossFunction,
  type LossName,
  type LabelsLike,
} from '../losses/index.js';
