/**
 * Adam and AdamW: torch.optim.Adam / AdamW — `lr=1e-3`, `betas=[0.9, 0.999]`, `eps=1e-8` (added
 * outside the square root), bias-corrected moments, optional AMSGrad. `weightDecay` is an L2
 * term added to the gradient in Adam (default 0) and a decoupled `p *= 1 − lr·weightDecay` in
 * AdamW (default 1e-2).
 */
import { ArgumentError, describeValue } from '../errors.js';
import type { Tensor } from '../tensor.js';
import { BASE_KEYS, FusedOptimizer, parseBase, type BaseConfig, type BaseOptions, type OptimizerSpec } from './fused.js';
import { boolOption, inRange, numOption } from './options.js';

/** Options of {@link Adam} and {@link AdamW}. */
export interface AdamOptions extends BaseOptions {
  /** Decay rates of the first and second moment estimates, each in [0, 1). Default [0.9, 0.999]. */
  betas?: [number, number] | readonly number[];
  /** Added to the denominator outside the square root (≥ 0), default 1e-8. */
  eps?: number;
  /** AMSGrad variant (keeps the running maximum of the second moment), default false. */
  amsgrad?: boolean;
}

/** Parsed options of {@link Adam} / {@link AdamW}. */
export interface AdamConfig extends BaseConfig {
  betas: [number, number];
  eps: number;
  amsgrad: boolean;
}

function parseBetas(fn: string, v: unknown): [number, number] {
  if (v === undefined) return [0.9, 0.999];
  const ok = (Array.isArray(v) || v instanceof Float32Array) && v.length === 2;
  if (!ok) throw new ArgumentError(`${fn}: option 'betas' expected an array of two numbers in [0, 1), given ${describeValue(v)}`);
  const b = [Number((v as ArrayLike<number>)[0]), Number((v as ArrayLike<number>)[1])] as [number, number];
  b.forEach((x, i) => {
    if (typeof (v as ArrayLike<unknown>)[i] !== 'number' || !inRange(x, { min: 0, max: 1, maxOpen: true })) {
      throw new ArgumentError(`${fn}: option 'betas' expected numbers in [0, 1), given betas[${i}] = ${describeValue((v as ArrayLike<unknown>)[i])}`);
    }
  });
  return b;
}

function makeSpec(type: string, decoupled: boolean): OptimizerSpec<AdamConfig> {
  return {
    type,
    keys: [...BASE_KEYS, 'betas', 'eps', 'amsgrad'],
    parse: (fn, o) => ({
      ...parseBase(fn, o, 1e-3, decoupled ? 1e-2 : 0),
      betas: parseBetas(fn, o['betas']),
      eps: numOption(fn, o, 'eps', 1e-8, { min: 0 }),
      amsgrad: boolOption(fn, o, 'amsgrad', false),
    }),
    slotNames: (c) => (c.amsgrad ? ['m', 'v', 'vMax'] : ['m', 'v']),
    update(k, param, grad, n, bufs, step, c) {
      k.adamStep({
        param, grad, n, lr: c.lr, weightDecay: c.weightDecay, decoupled,
        m: bufs['m']!, v: bufs['v']!, beta1: c.betas[0], beta2: c.betas[1], eps: c.eps, step,
        amsgrad: c.amsgrad, vMax: bufs['vMax'],
      });
    },
  };
}

const ADAM = makeSpec('Adam', false);
const ADAMW = makeSpec('AdamW', true);

/** Adam (see the file comment). `new Adam(params, opts)` for manual loops, `new Adam(opts)` for compile. */
export class Adam extends FusedOptimizer<AdamConfig> {
  constructor(options?: AdamOptions);
  constructor(params: readonly Tensor[], options?: AdamOptions);
  constructor(a?: readonly Tensor[] | AdamOptions, b?: AdamOptions) {
    super(ADAM, a, b);
  }
}

/** AdamW: Adam with decoupled weight decay (default 1e-2), as torch.optim.AdamW. */
export class AdamW extends FusedOptimizer<AdamConfig> {
  constructor(options?: AdamOptions);
  constructor(params: readonly Tensor[], options?: AdamOptions);
  constructor(a?: readonly Tensor[] | AdamOptions, b?: AdamOptions) {
    super(ADAMW, a, b);
  }
}
