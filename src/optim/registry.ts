/**
 * Optimisers by name, for `compile({ optimizer: 'adam' })` and for rebuilding an optimiser from
 * its saved `getConfig()`.
 */
import { ArgumentError, checkName, describeValue } from '../errors.js';
import { Adadelta } from './adadelta.js';
import { Adagrad } from './adagrad.js';
import { Adam, AdamW } from './adam.js';
import { Optimizer } from './optimizer.js';
import { RMSprop } from './rmsprop.js';
import { SGD } from './sgd.js';

const CLASSES = {
  sgd: SGD,
  adam: Adam,
  adamw: AdamW,
  rmsprop: RMSprop,
  adagrad: Adagrad,
  adadelta: Adadelta,
} as const;

/** Valid optimiser names (case-insensitive: 'Adam' and 'adam' both work). */
export const OPTIMIZER_NAMES = Object.keys(CLASSES) as ReadonlyArray<keyof typeof CLASSES>;

/**
 * An optimiser from a name (`'adam'`, options in `options`), a config from `getConfig()`
 * (`{ type: 'Adam', lr, … }`), or an existing Optimizer (returned as is). Parameters are bound
 * later (compile calls `setParameters`). Unknown names list the valid ones.
 */
export function createOptimizer(spec: string | Record<string, unknown> | Optimizer, options?: Record<string, unknown>): Optimizer {
  const fn = 'createOptimizer';
  if (spec instanceof Optimizer) return spec;
  let name: unknown;
  let opts: Record<string, unknown> | undefined = options;
  if (typeof spec === 'string') name = spec;
  else if (spec !== null && typeof spec === 'object' && !Array.isArray(spec)) {
    if (options !== undefined) throw new ArgumentError(`${fn}: pass options inside the config object, not as a second argument`);
    const { type, ...rest } = spec;
    if (type === undefined) throw new ArgumentError(`${fn}: the config lacks 'type' (e.g. { type: 'Adam', lr: 1e-3 })`);
    name = type;
    opts = rest;
  } else {
    throw new ArgumentError(`${fn}: argument 'optimizer' expected a name, a config object or an Optimizer, given ${describeValue(spec)}`);
  }
  const key = checkName(fn, 'optimizer', typeof name === 'string' ? name.toLowerCase() : name, OPTIMIZER_NAMES);
  const Cls = CLASSES[key] as unknown as new (o?: Record<string, unknown>) => Optimizer;
  return new Cls(opts);
}
