/**
 * Maxout (Goodfellow et al. 2013): each of `out` units is the maximum of `pieces` affine
 * functions of the input. Computed as one Dense GEMM to `out·pieces` columns (unit j's pieces
 * are columns j·pieces … j·pieces + pieces − 1), reshaped to `[N, out, pieces]` and maxed over
 * the last axis (gradient shared among tied pieces, like torch.amax).
 */
import { ArgumentError, ShapeError, checkOptions, describeValue, fmtShape } from '../errors.js';
import { toTensor, variable } from '../ops/create.js';
import { max } from '../ops/extrema.js';
import { reshape } from '../ops/shape.js';
import type { Tensor, TensorLike } from '../tensor.js';
import { dense } from './dense.js';
import { getInitializer, initTensor, type Initializer, type InitializerName } from './init.js';
import { Module, type ModuleConfig } from './module.js';
import { checkSeed } from './seed.js';
import { assignWeights, copyWeights } from './weights.js';

/** Options of {@link Maxout}. */
export interface MaxoutOptions {
  /** Kernel initialiser (default 'glorotUniform'). */
  init?: InitializerName | Initializer;
  /** Seed of the initialiser. */
  seed?: number;
}

function positiveInt(arg: string, v: unknown): number {
  if (typeof v !== 'number' || !Number.isInteger(v) || v < 1) throw new ArgumentError(`Maxout: argument '${arg}' expected a positive integer, given ${describeValue(v)}`);
  return v;
}

/** See the file comment. `parameters()` is `[W, b]` with W `[in, out·pieces]`, b `[out·pieces]`. */
export class Maxout extends Module {
  readonly inFeatures: number;
  readonly outFeatures: number;
  readonly pieces: number;
  readonly W: Tensor;
  readonly b: Tensor;
  readonly seed: number;
  private readonly initName: string | undefined;

  constructor(inFeatures: number, outFeatures: number, pieces: number, options: MaxoutOptions = {}) {
    super();
    this.inFeatures = positiveInt('inFeatures', inFeatures);
    this.outFeatures = positiveInt('outFeatures', outFeatures);
    this.pieces = positiveInt('pieces', pieces);
    checkOptions('Maxout', options, ['init', 'seed']);
    const init = getInitializer(options.init ?? 'glorotUniform', 'Maxout', 'init');
    this.seed = checkSeed('Maxout', options.seed);
    this.initName = typeof options.init === 'string' ? options.init : undefined;
    const cols = this.outFeatures * this.pieces;
    const w0 = initTensor(init, [this.inFeatures, cols], { seed: this.seed }, 'Maxout');
    this.W = this.addParameter(variable(w0), 'W');
    w0.dispose();
    const b0 = initTensor(getInitializer('zeros'), [cols], { seed: this.seed }, 'Maxout');
    this.b = this.addParameter(variable(b0), 'b');
    b0.dispose();
  }

  forward(x: Tensor): Tensor {
    const t = toTensor(x, 'Maxout.forward', 'x');
    if (t.rank !== 2 || t.shape[1] !== this.inFeatures) {
      throw new ShapeError(`Maxout.forward: input expected shape [batch, ${this.inFeatures}], given ${fmtShape(t.shape)}`);
    }
    const z = dense(t, this.W, this.b);
    const r = reshape(z, [t.shape[0]!, this.outFeatures, this.pieces]);
    return max(r, 2);
  }

  /** Copies of `[W, b]`. */
  override getWeights(): Tensor[] {
    return copyWeights(this.parameters());
  }

  /** Writes `[W, b]`; validates all before changing anything. */
  override setWeights(weights: readonly TensorLike[]): void {
    assignWeights('Maxout.setWeights', this.parameters(), ['W', 'b'], weights);
  }

  getConfig(): ModuleConfig {
    const o: Record<string, unknown> = { seed: this.seed };
    if (this.initName) o['init'] = this.initName;
    return { type: 'Maxout', args: [this.inFeatures, this.outFeatures, this.pieces, o] };
  }

  override toString(): string {
    return `Maxout(${this.inFeatures} → ${this.outFeatures}, pieces=${this.pieces})`;
  }
}
