/**
 * A model's state as named tensors: every leaf module's `getWeights()` (Dense: `[W, b]`;
 * BatchNorm1d: `[gamma, beta, runningMean, runningVar]`; a leaf without `getWeights`
 * contributes its parameters). Names are `<path>.<j>`: the child indices from the root joined by dots, then
 * the weight's position, e.g. `0.0` = W of the first layer, `2.3` = runningVar of the third.
 * Save/load and `earlyStopping({ restoreBestWeights })` both use this walk.
 */
import { AxonError, ShapeError, fmtShape } from '../errors.js';
import type { Module } from '../nn/module.js';
import type { Tensor } from '../tensor.js';

/** Keras-style weight access, present on the layers (looked up at run time). */
interface WeightAccess {
  getWeights?: () => Tensor[];
  /** Takes tensors, nested arrays or Float32Arrays (src/nn/weights.ts assignWeights). */
  setWeights?: (weights: ReadonlyArray<Tensor | Float32Array>) => void;
}

/** The module's weights: copies from `getWeights()` (owned: dispose them), else its parameters. */
function getWeightsOf(m: Module): { ws: Tensor[]; owned: boolean } {
  const a = m as unknown as WeightAccess;
  return typeof a.getWeights === 'function' ? { ws: a.getWeights.call(m), owned: true } : { ws: m.parameters(), owned: false };
}

/** Writes `data` (in getWeights order) through `setWeights`, else straight into the parameters. */
function setWeightsOf(m: Module, data: Float32Array[]): void {
  const a = m as unknown as WeightAccess;
  if (typeof a.setWeights === 'function') {
    a.setWeights.call(m, data);
    return;
  }
  m.parameters().forEach((p, i) => {
    if (p.size > 0) p.backend.write(p.storage, data[i]!);
  });
}

/** Leaf modules in order with their dotted paths. */
export function leafModules(model: Module): Array<{ path: string; module: Module }> {
  const out: Array<{ path: string; module: Module }> = [];
  const walk = (m: Module, path: string): void => {
    const kids = m.children();
    if (kids.length === 0) {
      out.push({ path, module: m });
      return;
    }
    kids.forEach((c, i) => walk(c, path ? `${path}.${i}` : String(i)));
  };
  walk(model, '');
  return out;
}

/** Host copies of every weight: `[name, {shape, data}]` in walk order. */
export async function readModelWeights(model: Module): Promise<Array<[string, { shape: number[]; data: Float32Array }]>> {
  const out: Array<[string, { shape: number[]; data: Float32Array }]> = [];
  for (const { path, module } of leafModules(model)) {
    const { ws, owned } = getWeightsOf(module);
    try {
      for (let j = 0; j < ws.length; j++) {
        const w = ws[j]!;
        out.push([`${path || 'root'}.${j}`, { shape: [...w.shape], data: await w.data() }]);
      }
    } finally {
      if (owned) for (const w of ws) w.dispose();
    }
  }
  return out;
}

/** Expected weight names and shapes of a model (what {@link readModelWeights} would produce). */
export function weightSpecs(model: Module): Array<{ name: string; shape: number[]; module: Module; index: number }> {
  const out: Array<{ name: string; shape: number[]; module: Module; index: number }> = [];
  for (const { path, module } of leafModules(model)) {
    const { ws, owned } = getWeightsOf(module);
    ws.forEach((w, j) => out.push({ name: `${path || 'root'}.${j}`, shape: [...w.shape], module, index: j }));
    if (owned) for (const w of ws) w.dispose();
  }
  return out;
}

/**
 * Writes weights (by name, as produced by {@link readModelWeights}) into the model. Checks
 * first that the names are exactly the model's and every shape matches, so a bad set changes
 * nothing; `fn` names the caller in errors.
 */
export function writeModelWeights(model: Module, weights: ReadonlyMap<string, { shape: readonly number[]; data: Float32Array }>, fn: string): void {
  const specs = weightSpecs(model);
  const names = new Set(specs.map((s) => s.name));
  for (const s of specs) {
    const w = weights.get(s.name);
    if (!w) throw new AxonError('CORRUPT_DATA', `${fn}: weight '${s.name}' (shape ${fmtShape(s.shape)}) is missing; expected one tensor per weight of the model`);
    if (w.shape.length !== s.shape.length || w.shape.some((d, i) => d !== s.shape[i])) {
      throw new ShapeError(`${fn}: weight '${s.name}' expected shape ${fmtShape(s.shape)}, given ${fmtShape(w.shape)}`);
    }
  }
  for (const name of weights.keys()) {
    if (!names.has(name)) throw new AxonError('CORRUPT_DATA', `${fn}: unexpected weight '${name}' (the model has ${specs.length}: ${[...names].slice(0, 8).join(', ')}${names.size > 8 ? ', …' : ''})`);
  }
  const byModule = new Map<Module, Float32Array[]>();
  for (const s of specs) {
    const list = byModule.get(s.module) ?? [];
    list[s.index] = weights.get(s.name)!.data;
    byModule.set(s.module, list);
  }
  for (const [module, data] of byModule) setWeightsOf(module, data);
}
