/**
 * The built-in layer types for `moduleFromConfig`, by config `type`. Kept in one table (not
 * registered by side effect in each layer's file) so that loading a model pulls in every layer
 * class even in tree-shaken bundles.
 */
import {
  Activation,
  BipolarSigmoid,
  ELU,
  GELU,
  HardTanh,
  LeakyReLU,
  Linear,
  LogSoftmax,
  ReLU,
  SELU,
  SiLU,
  Sigmoid,
  Sign,
  Softmax,
  Softplus,
  Softsign,
  Step,
  Tanh,
  type ActivationName,
  type ActivationOptions,
} from './activations.js';
import { BatchNorm1d, BatchNorm2d, type BatchNormOptions } from './batchnorm.js';
import { Conv2d, type Conv2dLayerOptions } from './conv.js';
import { Dense, type DenseOptions } from './dense.js';
import { Dropout } from './dropout.js';
import { Flatten } from './flatten.js';
import { Maxout, type MaxoutOptions } from './maxout.js';
import type { Module } from './module.js';
import { AvgPool2d, GlobalAvgPool2d, MaxPool2d, type AvgPool2dLayerOptions, type MaxPool2dLayerOptions } from './pool.js';
import { Perceptron, type PerceptronOptions } from './perceptron.js';
import { Sequential } from './sequential.js';
import type { Size2d } from '../ops/conv-geometry.js';

type Factory = (args: unknown[], children: Module[]) => Module;
type Num = number | undefined;

/** Factories of the built-in modules (args as written by each class's `getConfig()`). */
export const BUILTIN_MODULES: Record<string, Factory> = {
  Sequential: (_a, children) => new Sequential(children),
  Dense: (a) => new Dense(a[0] as number, a[1] as number, (a[2] ?? {}) as DenseOptions),
  Maxout: (a) => new Maxout(a[0] as number, a[1] as number, a[2] as number, (a[3] ?? {}) as MaxoutOptions),
  Dropout: (a) => new Dropout(a[0] as Num, (a[1] ?? {}) as { seed?: number }),
  BatchNorm1d: (a) => new BatchNorm1d(a[0] as number, (a[1] ?? {}) as BatchNormOptions),
  Flatten: (a) => new Flatten(a[0] as Num),
  Conv2d: (a) => new Conv2d(a[0] as number, a[1] as number, a[2] as Size2d, (a[3] ?? {}) as Conv2dLayerOptions),
  BatchNorm2d: (a) => new BatchNorm2d(a[0] as number, (a[1] ?? {}) as BatchNormOptions),
  MaxPool2d: (a) => new MaxPool2d(a[0] as Size2d, (a[1] ?? {}) as MaxPool2dLayerOptions),
  AvgPool2d: (a) => new AvgPool2d(a[0] as Size2d, (a[1] ?? {}) as AvgPool2dLayerOptions),
  GlobalAvgPool2d: (a) => new GlobalAvgPool2d((a[0] ?? {}) as { keepDims?: boolean }),
  Perceptron: (a) => new Perceptron(a[0] as number, (a[1] ?? {}) as PerceptronOptions),
  Activation: (a) => new Activation(a[0] as ActivationName, (a[1] ?? {}) as ActivationOptions),
  Linear: () => new Linear(),
  ReLU: () => new ReLU(),
  LeakyReLU: (a) => new LeakyReLU(a[0] as Num),
  ELU: (a) => new ELU(a[0] as Num),
  SELU: () => new SELU(),
  GELU: (a) => new GELU((a[0] ?? {}) as { approximate?: 'none' | 'tanh' }),
  SiLU: () => new SiLU(),
  Sigmoid: () => new Sigmoid(),
  Tanh: () => new Tanh(),
  Softplus: () => new Softplus(),
  Softsign: () => new Softsign(),
  HardTanh: () => new HardTanh(),
  Step: () => new Step(),
  Sign: () => new Sign(),
  BipolarSigmoid: () => new BipolarSigmoid(),
  Softmax: (a) => new Softmax(a[0] as Num),
  LogSoftmax: (a) => new LogSoftmax(a[0] as Num),
};
