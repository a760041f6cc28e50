/**
 * Module registry for save/load: a factory per config `type` (the built-in layers from
 * ./builtins.ts, plus user classes added with {@link registerModule}); {@link moduleFromConfig}
 * rebuilds a module (recursively for containers) from the JSON written by `getConfig()`.
 */
import { ArgumentError, AxonError, checkName, describeValue } from '../errors.js';
import { BUILTIN_MODULES } from './builtins.js';
import type { Module, ModuleConfig } from './module.js';

/** Builds a module from its config (args and, for containers, child configs already built). */
export type ModuleFactory = (args: unknown[], children: Module[]) => Module;

const factories = new Map<string, ModuleFactory>(Object.entries(BUILTIN_MODULES));

/** Registers (or replaces) the factory of a module type. */
export function registerModule(type: string, factory: ModuleFactory): void {
  if (typeof type !== 'string' || type.length === 0) throw new ArgumentError(`registerModule: argument 'type' expected a non-empty string, given ${describeValue(type)}`);
  if (typeof factory !== 'function') throw new ArgumentError(`registerModule: argument 'factory' expected a function, given ${describeValue(factory)}`);
  factories.set(type, factory);
}

/** Registered module type names. */
export function registeredModules(): string[] {
  return [...factories.keys()].sort();
}

/** Rebuilds a module from a {@link ModuleConfig}; unknown types throw listing the known ones. */
export function moduleFromConfig(config: ModuleConfig): Module {
  if (config === null || typeof config !== 'object' || typeof config.type !== 'string') {
    throw new AxonError('CORRUPT_DATA', `moduleFromConfig: expected a config object {type, args}, given ${describeValue(config)}`);
  }
  const type = checkName('moduleFromConfig', 'module type', config.type, registeredModules());
  const args = config.args ?? [];
  if (!Array.isArray(args)) throw new AxonError('CORRUPT_DATA', `moduleFromConfig: '${type}' config has args ${describeValue(args)}, expected an array`);
  const layers = config.layers ?? [];
  if (!Array.isArray(layers)) throw new AxonError('CORRUPT_DATA', `moduleFromConfig: '${type}' config has layers ${describeValue(layers)}, expected an array`);
  // A later child or the factory failing must not leak the weights of the children built so far.
  const children: Module[] = [];
  try {
    for (const c of layers) children.push(moduleFromConfig(c));
    return factories.get(type)!(args, children);
  } catch (e) {
    for (const c of children) c.dispose();
    throw e;
  }
}
