/**
 * Inverted dropout (DESIGN §5): in training each element is zeroed with probability p and the
 * survivors are scaled by 1/(1−p); in evaluation (and with p = 0) the input passes through.
 * Masks come from the seeded Philox stream; every call continues the stream where the last
 * one stopped, so successive batches get different masks and a rerun with the same seed
 * reproduces them all.
 */
import { record } from '../autograd/record.js';
import { dropoutGrad } from '../autograd/rules/dropout.js';
import { ArgumentError, checkOptions, describeValue } from '../errors.js';
import { binaryRaw } from '../ops/arithmetic.js';
import { empty, toTensor } from '../ops/create.js';
import type { Tensor } from '../tensor.js';
import { Module, type ModuleConfig } from './module.js';
import { checkSeed } from './seed.js';

/** See the file comment. */
export class Dropout extends Module {
  /** Drop probability in [0, 1]. */
  readonly p: number;
  readonly seed: number;
  /** Elements of the stream consumed so far (the next mask starts here). */
  offset = 0;

  constructor(p = 0.5, options: { seed?: number } = {}) {
    super();
    if (typeof p !== 'number' || !(p >= 0 && p <= 1)) throw new ArgumentError(`Dropout: argument 'p' expected a probability in [0, 1], given ${describeValue(p)}`);
    checkOptions('Dropout', options, ['seed']);
    this.p = p;
    this.seed = checkSeed('Dropout', options.seed);
  }

  forward(x: Tensor): Tensor {
    const t = toTensor(x, 'Dropout.forward', 'x');
    if (!this.training || this.p === 0) return t;
    const mask = empty(t.shape);
    const k = t.backend;
    if (t.size > 0 && this.p < 1) {
      k.dropoutMask(mask.storage, t.size, this.p, this.seed, this.offset);
      this.offset += t.size;
    }
    // p = 1 keeps the zero mask (torch outputs zeros).
    const out = binaryRaw('mul', t, mask);
    record(out, 'dropout', [t], (dy) => [dropoutGrad(dy, mask)]);
    if (out.node === null) mask.dispose(); // not recorded: nobody needs the mask
    return out;
  }

  getConfig(): ModuleConfig {
    return { type: 'Dropout', args: [this.p, { seed: this.seed }] };
  }

  override toString(): string {
    return `Dropout(p=${this.p})`;
  }
}
