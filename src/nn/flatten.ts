/** Flatten: `[N, d1, d2, …]` → `[N, d1·d2·…]` (axes from `startAxis`, default 1, are merged). */
import { ArgumentError, describeValue } from '../errors.js';
import { flatten } from '../ops/shape.js';
import type { Tensor } from '../tensor.js';
import { Module, type ModuleConfig } from './module.js';

/** See the file comment. */
export class Flatten extends Module {
  readonly startAxis: number;

  constructor(startAxis = 1) {
    super();
    if (typeof startAxis !== 'number' || !Number.isInteger(startAxis) || startAxis < 0) {
      throw new ArgumentError(`Flatten: argument 'startAxis' expected a non-negative integer, given ${describeValue(startAxis)}`);
    }
    this.startAxis = startAxis;
  }

  forward(x: Tensor): Tensor {
    return flatten(x, this.startAxis);
  }

  getConfig(): ModuleConfig {
    return { type: 'Flatten', args: [this.startAxis] };
  }

  override toString(): string {
    return 'Flatten()';
  }
}
