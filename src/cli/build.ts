/**
 * The MLP `axon train` builds from its flags: for each hidden width, Dense (with the activation
 * fused in, or followed by BatchNorm1d and then the activation when `--batchnorm` is on), then
 * Dropout; a linear Dense output layer gives class logits for the cross-entropy loss. Every
 * layer gets a seed derived from `--seed`, so the same flags give the same initial weights.
 */
import { ACTIVATIONS, type Activation as KernelActivation } from '../kernels/kernels.js';
import { Activation } from '../nn/activations.js';
import { BatchNorm1d } from '../nn/batchnorm.js';
import { maxNorm } from '../nn/constraints.js';
import { Dense } from '../nn/dense.js';
import { Dropout } from '../nn/dropout.js';
import type { InitializerName } from '../nn/init.js';
import type { Module } from '../nn/module.js';
import { l2 } from '../nn/regularizers.js';
import { Sequential } from '../nn/sequential.js';

/** Hidden-layer activations `--activation` accepts (the kernel activations except the output-only ones). */
export const HIDDEN_ACTIVATIONS: readonly KernelActivation[] = ACTIVATIONS.filter((a) => a !== 'linear');

/** Initialiser names `--init` accepts. */
export const INIT_CHOICES = ['he', 'heUniform', 'heNormal', 'glorot', 'glorotUniform', 'glorotNormal', 'lecun', 'lecunNormal', 'lecunUniform', 'xavier', 'small', 'normal', 'uniform'] as const;

/** What {@link buildMlp} needs. */
export interface MlpOptions {
  inputs: number;
  hidden: readonly number[];
  classes: number;
  activation: KernelActivation;
  init: string;
  dropout: number;
  batchnorm: boolean;
  /** L2 penalty λ on every kernel (0: none). */
  l2: number;
  /** Max-norm constraint on every kernel (0: none). */
  maxNorm: number;
  seed: number;
}

/** Builds the model; see the file comment. */
export function buildMlp(o: MlpOptions): Sequential {
  const layers: Module[] = [];
  let prev = o.inputs;
  // Layer seeds: distinct per layer, reproducible per --seed, far from fit's shuffling seed.
  let seed = o.seed * 1000 + 17;
  const kernelExtras = {
    ...(o.l2 > 0 ? { kernelRegularizer: l2(o.l2) } : {}),
    ...(o.maxNorm > 0 ? { kernelConstraint: maxNorm(o.maxNorm) } : {}),
  };
  for (const width of o.hidden) {
    if (o.batchnorm) {
      layers.push(new Dense(prev, width, { init: o.init as InitializerName, bias: false, seed: seed++, ...kernelExtras }));
      layers.push(new BatchNorm1d(width));
      layers.push(new Activation(o.activation));
    } else {
      layers.push(new Dense(prev, width, { activation: o.activation, init: o.init as InitializerName, seed: seed++, ...kernelExtras }));
    }
    if (o.dropout > 0) layers.push(new Dropout(o.dropout, { seed: seed++ }));
    prev = width;
  }
  layers.push(new Dense(prev, o.classes, { init: 'glorotUniform', seed: seed++, ...kernelExtras }));
  return new Sequential(layers);
}

/** `784-512-256-10` style summary of the layer widths. */
export function describeMlp(o: MlpOptions): string {
  const parts = [`${[o.inputs, ...o.hidden, o.classes].join('-')} MLP`, `${o.activation}`, `init ${o.init}`];
  if (o.batchnorm) parts.push('batchnorm');
  if (o.dropout > 0) parts.push(`dropout ${o.dropout}`);
  if (o.l2 > 0) parts.push(`l2 ${o.l2}`);
  if (o.maxNorm > 0) parts.push(`max-norm ${o.maxNorm}`);
  return parts.join(', ');
}

/** Number of trainable values. */
export function countParameters(model: Module): number {
  return model.parameters().reduce((s, p) => s + p.size, 0);
}
