/**
 * Fuzz targets of `loadModel` (src/io/load.ts over the module registry of src/nn): configs with
 * unknown layer types, wrong types in every field, absurd sizes, deep nesting, huge layer lists,
 * cycles (configs passed as objects), junk compile and optimiser sections, and weights that do
 * not fit; plus the round trip model → save → load. Every failure must be an AxonError, and the
 * live tensor count must be back where it was after each call (a failed load leaks nothing).
 */
import fc from 'fast-check';
import { memory } from '../../src/engine.js';
import { encodeSafetensors } from '../../src/io/safetensors.js';
import { loadModel } from '../../src/io/load.js';
import type { SavedModel } from '../../src/io/save.js';
import type { Module } from '../../src/nn/module.js';
import { BatchNorm1d, Dense, Dropout, Flatten, Maxout, ReLU, Sequential, Tanh } from '../../src/nn/index.js';
import { registeredModules } from '../../src/nn/registry.js';
import { Adam } from '../../src/optim/index.js';
import { assert, checkAsync, sameValues, show, type FuzzTarget } from './common.js';

/** maxBytes of the properties. */
const MAX = 1 << 20;
/** External memory one load may add (the weights are tiny; this is slack). */
const ALLOC_CAP = 4 * MAX;
const CODES = ['CORRUPT_DATA', 'INVALID_ARGUMENT', 'SHAPE_MISMATCH', 'UNSUPPORTED', 'NON_FINITE'] as const;

/** A JSON-ish value (loosely typed: the point is to feed wrong shapes). */
type Json = unknown;

/** Every registered layer type (new layers are fuzzed without editing this file). */
const TYPES = registeredModules();

const arg: fc.Arbitrary<Json> = fc.oneof(
  { weight: 6, arbitrary: fc.integer({ min: 0, max: 6 }) },
  { weight: 2, arbitrary: fc.constantFrom<Json>(-1, 0.5, 1e9, 2 ** 31, 2 ** 53, 1e308, -1e308, 'relu', 'x', null, true, [], {}, [3, 3], [1e5, 1e5], [0, 2], [-1, 2], [1.5, 2], [2, 2, 2]) },
  { weight: 1, arbitrary: fc.record({ stride: fc.constantFrom<Json>(1, 2, 0, -1, 1e9, [1, 2], 'x'), padding: fc.constantFrom<Json>(0, 1, -1, 1e9, 'same', [1, 1]), dilation: fc.constantFrom<Json>(1, 2, 0, 1e9), keepDims: fc.boolean() }, { requiredKeys: [] }) },
  { weight: 2, arbitrary: fc.record({ activation: fc.constantFrom<Json>('relu', 'tanh', 'nope', 3), seed: fc.constantFrom<Json>(1, -1, 0.5, 'x'), bias: fc.constantFrom<Json>(true, false, 'no'), eps: fc.constantFrom<Json>(1e-5, -1, 0, 'x'), momentum: fc.constantFrom<Json>(0.1, 2, null), affine: fc.boolean(), approximate: fc.constantFrom<Json>('tanh', 'none', 7) }, { requiredKeys: [] }) },
  { weight: 1, arbitrary: fc.jsonValue({ maxDepth: 2 }) as fc.Arbitrary<Json> },
);

const { tree } = fc.letrec<{ tree: Json }>((tie) => ({
  tree: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    { weight: 6, arbitrary: fc.record({ type: fc.constantFrom(...TYPES), args: fc.array(arg, { maxLength: 4 }) }) },
    { weight: 2, arbitrary: fc.record({ type: fc.constant('Sequential'), args: fc.constant([]), layers: fc.array(tie('tree'), { maxLength: 4 }) }) },
    { weight: 1, arbitrary: fc.record({ type: fc.oneof(fc.string({ maxLength: 6 }), fc.constantFrom<Json>('Conv2d', 'constructor', '__proto__', 'toString', null, 3)), args: fc.oneof(fc.array(arg, { maxLength: 2 }), arg), layers: fc.oneof(fc.constant(undefined as unknown as Json), arg) }, { requiredKeys: ['type'] }) },
    { weight: 1, arbitrary: fc.jsonValue({ maxDepth: 2 }) as fc.Arbitrary<Json> },
  ),
}));

/**
 * Structures no random tree reaches: very deep or very wide (as `{ $deep: n }` / `{ $wide: n }`
 * placeholders expanded by {@link expand}, so fast-check never prints a 5000-deep value), absurd sizes.
 */
const extreme = fc.oneof(
  fc.integer({ min: 60, max: 100_000 }).map((n) => ({ $deep: n }) as Json),
  // Just over the module cap (16 384) is rejected before building; up to 4 000 are built.
  fc.oneof(fc.integer({ min: 1000, max: 4000 }), fc.constantFrom(16_385, 100_000)).map((n) => ({ $wide: n }) as Json),
  fc.constantFrom<Json>({ type: 'Conv2d', args: [1, 1, [100_000, 100_000]] }, { type: 'Conv2d', args: [3, 8, 3, { padding: 1e9, stride: 1 }] }, { type: 'Conv2d', args: [3, 8, 3, { dilation: 1e9 }] }, { type: 'MaxPool2d', args: [[1e6, 1e6]] }, { type: 'Dense', args: [1e5, 1e5] }, { type: 'Dense', args: [65536, 1] }, { type: 'Dense', args: [0, 1e12] }, { type: 'Maxout', args: [300, 300, 300] }, { type: 'BatchNorm1d', args: [2 ** 31] }, { type: 'Dense', args: [3.5, 2] }, { type: 'Dense', args: [-3, 2] }),
);

const compile = fc.oneof(
  { weight: 3, arbitrary: fc.constant(null) },
  { weight: 3, arbitrary: fc.record({ optimizer: fc.oneof(fc.record({ type: fc.constantFrom('Adam', 'SGD', 'Nope', 'RMSprop'), lr: fc.constantFrom<Json>(1e-3, -1, 'x', null, 1e308) }, { requiredKeys: ['type'] }), arg), loss: fc.constantFrom<Json>('mse', 'crossEntropy', 'nope', null, 3), metrics: fc.oneof(fc.constant(['accuracy'] as Json), arg) }, { requiredKeys: [] }) },
  { weight: 1, arbitrary: fc.jsonValue({ maxDepth: 2 }) },
);

const top = fc.record({
  format: fc.oneof({ weight: 20, arbitrary: fc.constant<Json>('axon.model') }, { weight: 1, arbitrary: fc.constantFrom<Json>('x', null, 1) }),
  version: fc.oneof({ weight: 20, arbitrary: fc.constant<Json>(1) }, { weight: 1, arbitrary: fc.constantFrom<Json>(0, 2, 1.5, '1', null) }),
  model: fc.oneof({ weight: 4, arbitrary: tree }, { weight: 1, arbitrary: extreme }),
  compile,
});

/**
 * The config as JSON text with its `$deep` / `$wide` placeholder expanded by string building
 * (JSON.stringify and structuredClone recurse, and overflow the stack on 100 000 levels).
 */
function expandText(config: Record<string, unknown>): string {
  const m = config.model as { $deep?: number; $wide?: number } | null;
  const relu = '{"type":"ReLU","args":[]}';
  let model: string | undefined;
  if (m && typeof m === 'object' && typeof m.$deep === 'number') model = '{"type":"Sequential","args":[],"layers":['.repeat(m.$deep) + relu + ']}'.repeat(m.$deep);
  if (m && typeof m === 'object' && typeof m.$wide === 'number') model = `{"type":"Sequential","args":[],"layers":[${Array.from({ length: m.$wide }, () => relu).join(',')}]}`;
  if (model === undefined) return JSON.stringify(config);
  return JSON.stringify({ ...config, model: '$MODEL' }).replace('"$MODEL"', () => model);
}

/** A small valid model, saved: its weights are reused (and damaged) under random configs. */
async function reference(): Promise<SavedModel> {
  const m = new Sequential([new Dense(3, 4, { activation: 'relu' }), new BatchNorm1d(4), new Dropout(0.5), new Maxout(4, 2, 2), new Flatten(), new Dense(2, 2)]);
  m.compile({ optimizer: new Adam({ lr: 1e-3 }), loss: 'crossEntropy', metrics: ['accuracy'] });
  const saved = await m.save({ includeOptimizer: true });
  m.dispose();
  return saved;
}
let ref: Promise<SavedModel> | undefined;

const weights = fc.oneof(
  { weight: 4, arbitrary: fc.constant('reference' as const) },
  { weight: 1, arbitrary: fc.array(fc.tuple(fc.nat(), fc.integer({ min: 1, max: 255 })), { minLength: 1, maxLength: 2 }).map((flips) => ({ flips })) },
  { weight: 1, arbitrary: fc.array(fc.tuple(fc.constantFrom('0.0', '0.1', '1.0', 'x', 'root.0'), fc.array(fc.integer({ min: 0, max: 5 }), { maxLength: 2 })), { maxLength: 3 }).map((ts) => ({ ts })) },
  { weight: 1, arbitrary: fc.constantFrom<unknown>(null, 'x', [1, 2], new Uint8Array(3)) },
);

async function weightsOf(spec: 'reference' | { flips: Array<[number, number]> } | { ts: Array<[string, number[]]> } | unknown): Promise<unknown> {
  const base = (await (ref ??= reference())).weights;
  if (spec === 'reference') return base;
  if (spec && typeof spec === 'object' && 'flips' in spec) {
    const b = base.slice();
    for (const [at, x] of (spec as { flips: Array<[number, number]> }).flips) b[at % b.length]! ^= x;
    return b;
  }
  if (spec && typeof spec === 'object' && 'ts' in spec) {
    const m = new Map((spec as { ts: Array<[string, number[]]> }).ts.map(([n, s]) => [n, { shape: s, data: new Float32Array(s.reduce((a, b) => a * b, 1)) }]));
    return encodeSafetensors(m);
  }
  return spec;
}

/** Runs one load and checks: AxonError or a model, and no tensor outlives the call. */
async function loadChecked(label: string, input: () => string, saved: { config: unknown; weights: unknown; optimizer?: unknown }): Promise<void> {
  const before = memory().numTensors;
  const r = await checkAsync(label, input, CODES, ALLOC_CAP, () => loadModel<Module>(saved as SavedModel, { maxBytes: MAX }));
  if (r.ok) r.value.dispose();
  const after = memory().numTensors;
  assert(after === before, () => `${label}: ${after - before} tensors leaked (${r.ok ? 'after dispose' : `after ${r.error.code}`}) on ${input()}`);
}

const layerSpec = fc.oneof(
  fc.record({ kind: fc.constant('dense' as const), out: fc.integer({ min: 1, max: 5 }), act: fc.constantFrom('relu', 'linear', 'tanh') }),
  fc.record({ kind: fc.constantFrom('relu' as const, 'tanh' as const, 'bn' as const, 'dropout' as const) }),
);

/** The model-config fuzz targets. */
export const modelTargets: FuzzTarget[] = [
  {
    name: 'model: random configs (JSON text)',
    runs: 200,
    // Found by fuzzing: a child built before a failing sibling leaked its weights.
    examples: [[{ format: 'axon.model', version: 1, model: { type: 'Sequential', args: [], layers: [{ type: 'BatchNorm1d', args: [1] }, { type: 'Activation', args: [] }] }, compile: {} }, 'reference']],
    property: () =>
      fc.asyncProperty(top, weights, async (config, w) => {
        const text = expandText(config);
        await loadChecked('loadModel', () => show(text), { config: text, weights: await weightsOf(w) });
      }),
  },
  {
    name: 'model: configs as objects (cycles, junk optimiser state)',
    runs: 100,
    property: () =>
      fc.asyncProperty(top, fc.nat(3), fc.jsonValue({ maxDepth: 2 }), async (config, cycle, opt) => {
        const c = JSON.parse(expandText(config)) as { model: { layers?: unknown[] } & Record<string, unknown> };
        if (cycle === 1 && c.model && typeof c.model === 'object') {
          if (!Array.isArray(c.model.layers)) c.model.layers = [];
          c.model.layers.push(c.model);
        }
        if (cycle === 2 && c.model && typeof c.model === 'object') c.model.args = c.model.args ?? [c.model];
        const base = await (ref ??= reference());
        const optimizer = cycle === 3 ? base.optimizer : opt;
        await loadChecked('loadModel(object)', () => `${show(config)} optimizer ${show(opt)}`, { config: c, weights: base.weights, optimizer });
      }),
  },
  {
    name: 'model: the right layers, junk compile and optimiser sections',
    runs: 120,
    property: () =>
      fc.asyncProperty(
        compile,
        fc.record(
          {
            type: fc.oneof({ weight: 4, arbitrary: fc.constant<Json>('Adam') }, { weight: 1, arbitrary: fc.constantFrom<Json>('SGD', 'RMSprop', 'AdamW', 'Nope', 3, null) }),
            options: fc.oneof(fc.record({ lr: fc.constantFrom<Json>(1e-3, -1, 0, 1e308, 'x', null), betas: fc.constantFrom<Json>([0.9, 0.999], [2, 2], 'x', [1]), momentum: fc.constantFrom<Json>(0, 0.9, -1, 'x') }, { requiredKeys: [] }), arg),
            step: fc.constantFrom<Json>(0, 1, -1, 1.5, 2 ** 53, 1e308, 'x', null),
          },
          { requiredKeys: [] },
        ),
        fc.oneof(fc.constant('reference' as const), fc.array(fc.tuple(fc.nat(), fc.integer({ min: 1, max: 255 })), { minLength: 1, maxLength: 2 }), arg),
        async (comp, state, slots) => {
          const base = await (ref ??= reference());
          const good = base.optimizer!;
          let slotBytes: unknown = good.slots;
          if (Array.isArray(slots) && slots.every((x) => Array.isArray(x))) {
            const b = good.slots.slice();
            for (const [at, x] of slots as Array<[number, number]>) b[at % b.length]! ^= x;
            slotBytes = b;
          } else if (slots !== 'reference') slotBytes = slots;
          const compileSection = comp === null ? base.config.compile : comp;
          const config = { ...base.config, compile: compileSection };
          await loadChecked('loadModel(optimizer)', () => `${show(comp)} ${show(state)} ${show(slots)}`, { config: JSON.stringify(config), weights: base.weights, optimizer: { state: { ...good.state, ...(state as object) }, slots: slotBytes } });
        },
      ),
  },
  {
    name: 'model: save → load round trip',
    runs: 25,
    property: () =>
      fc.asyncProperty(fc.integer({ min: 1, max: 4 }), fc.array(layerSpec, { minLength: 1, maxLength: 4 }), fc.boolean(), async (inputs, specs, withOpt) => {
        const layers: Module[] = [];
        let width = inputs;
        for (const s of specs) {
          if (s.kind === 'dense') {
            layers.push(new Dense(width, s.out, { activation: s.act as 'relu' }));
            width = s.out;
          } else if (s.kind === 'relu') layers.push(new ReLU());
          else if (s.kind === 'tanh') layers.push(new Tanh());
          else if (s.kind === 'bn') layers.push(new BatchNorm1d(width));
          else layers.push(new Dropout(0.3));
        }
        const m = new Sequential(layers);
        if (withOpt) m.compile({ optimizer: new Adam({ lr: 1e-2 }), loss: 'mse' });
        const saved = await m.save({ includeOptimizer: withOpt });
        const r = await checkAsync('loadModel(save)', () => show(saved.config), [], ALLOC_CAP, () => loadModel(saved));
        assert(r.ok, () => 'round trip failed');
        assert(show(r.value.getConfig()) === show(m.getConfig()), () => `config changed: ${show(r.value.getConfig())}`);
        const a = m.layers.flatMap((l) => ((l as unknown as { getWeights?: () => { dataSync(): Float32Array; dispose(): void }[] }).getWeights?.() ?? []));
        const b = r.value.layers.flatMap((l) => ((l as unknown as { getWeights?: () => { dataSync(): Float32Array; dispose(): void }[] }).getWeights?.() ?? []));
        assert(a.length === b.length && a.every((w, i) => sameValues(w.dataSync(), b[i]!.dataSync())), () => 'weights changed in the round trip');
        for (const w of [...a, ...b]) w.dispose();
        m.dispose();
        r.value.dispose();
      }),
  },
];
