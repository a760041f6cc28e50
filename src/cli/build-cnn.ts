/**
 * The LeNet-style CNN `axon train --model cnn` builds for image datasets (NCHW input
 * `[N, 1, H, W]`): one block per `--filters` entry — Conv2d (activation fused in, or followed by
 * BatchNorm2d and then the activation with `--batchnorm`) and a 2×2 max pool — then Flatten,
 * the `--layers` Dense hidden layers (each followed by Dropout) and a linear Dense output layer.
 *
 * Kernels: 5×5 without padding on images of side ≥ 20 (MNIST: 28 → 24 → 12 → 8 → 4, LeNet's
 * shapes), else 3×3 with 'same' padding (digits 8×8: 8 → 4 → 2). A block pools only while the
 * feature map is at least 2×2.
 */
import type { Activation as KernelActivation } from '../kernels/kernels.js';
import { Activation } from '../nn/activations.js';
import { BatchNorm2d } from '../nn/batchnorm.js';
import { Conv2d } from '../nn/conv.js';
import { Dense } from '../nn/dense.js';
import { Dropout } from '../nn/dropout.js';
import { Flatten } from '../nn/flatten.js';
import type { InitializerName } from '../nn/init.js';
import type { Module } from '../nn/module.js';
import { MaxPool2d } from '../nn/pool.js';
import { l2 } from '../nn/regularizers.js';
import { Sequential } from '../nn/sequential.js';

/** What {@link buildCnn} needs. */
export interface CnnOptions {
  /** Image height and width (one channel). */
  imageShape: readonly [number, number];
  /** Output channels of each conv block. */
  filters: readonly number[];
  /** Dense hidden widths after the conv blocks. */
  hidden: readonly number[];
  classes: number;
  activation: KernelActivation;
  init: string;
  dropout: number;
  batchnorm: boolean;
  /** L2 penalty λ on every kernel (0: none). */
  l2: number;
  seed: number;
}

/** One conv block's shape facts, for building and describing. */
interface Block {
  filters: number;
  kernel: number;
  padding: 'valid' | 'same';
  pool: boolean;
  /** Feature-map side after the block. */
  outH: number;
  outW: number;
}

/** The blocks' kernels, padding and output sizes; see the file comment. */
function plan(o: CnnOptions): { blocks: Block[]; flat: number } {
  let [h, w] = o.imageShape;
  const big = Math.min(h, w) >= 20;
  const kernel = big ? 5 : 3;
  const blocks: Block[] = [];
  let channels = 1;
  for (const f of o.filters) {
    const padding = big && Math.min(h, w) >= kernel ? 'valid' : 'same';
    if (padding === 'valid') {
      h -= kernel - 1;
      w -= kernel - 1;
    }
    const pool = Math.min(h, w) >= 2;
    if (pool) {
      h = Math.floor(h / 2);
      w = Math.floor(w / 2);
    }
    blocks.push({ filters: f, kernel, padding, pool, outH: h, outW: w });
    channels = f;
  }
  return { blocks, flat: channels * h * w };
}

/** Builds the model; see the file comment. */
export function buildCnn(o: CnnOptions): Sequential {
  const layers: Module[] = [];
  let seed = o.seed * 1000 + 17;
  const reg = o.l2 > 0 ? { kernelRegularizer: l2(o.l2) } : {};
  const init = o.init as InitializerName;
  let channels = 1;
  const { blocks, flat } = plan(o);
  for (const b of blocks) {
    const conv = { padding: b.padding, init, seed: seed++, ...reg };
    if (o.batchnorm) {
      layers.push(new Conv2d(channels, b.filters, b.kernel, { ...conv, bias: false }));
      layers.push(new BatchNorm2d(b.filters));
      layers.push(new Activation(o.activation));
    } else {
      layers.push(new Conv2d(channels, b.filters, b.kernel, { ...conv, activation: o.activation }));
    }
    if (b.pool) layers.push(new MaxPool2d(2));
    channels = b.filters;
  }
  layers.push(new Flatten());
  let prev = flat;
  for (const width of o.hidden) {
    layers.push(new Dense(prev, width, { activation: o.activation, init, seed: seed++, ...reg }));
    if (o.dropout > 0) layers.push(new Dropout(o.dropout, { seed: seed++ }));
    prev = width;
  }
  layers.push(new Dense(prev, o.classes, { init: 'glorotUniform', seed: seed++, ...reg }));
  return new Sequential(layers);
}

/** `conv 5×5 ×32 → pool → conv 5×5 ×64 → pool → 1024-128-10 CNN, relu, …` summary. */
export function describeCnn(o: CnnOptions): string {
  const { blocks, flat } = plan(o);
  const convs = blocks.map((b) => `conv ${b.kernel}×${b.kernel} ×${b.filters}${b.padding === 'same' ? ' same' : ''}${b.pool ? ' → pool' : ''}`);
  const parts = [`${convs.join(' → ')} → ${[flat, ...o.hidden, o.classes].join('-')} CNN`, o.activation, `init ${o.init}`];
  if (o.batchnorm) parts.push('batchnorm');
  if (o.dropout > 0 && o.hidden.length > 0) parts.push(`dropout ${o.dropout}`);
  if (o.l2 > 0) parts.push(`l2 ${o.l2}`);
  return parts.join(', ');
}
