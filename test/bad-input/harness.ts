/**
 * The bad-input matrix's machinery (test/bad-input.test.ts): row types, the fixtures every row
 * draws its inputs from, the state snapshot (a small model's weights, its optimiser's state,
 * `memory()` and the fixture tensors) taken before each call and compared after it, and the
 * check that a bad call throws a typed, well-worded error.
 *
 * A row is `prep(fx) → thunk`: `prep` builds the inputs (before the snapshot), the thunk makes
 * the one call that must fail. Rows run inside `tidy`, so tensors `prep` makes are freed after;
 * layers and models it makes are registered with `fx.own()` and disposed after the row.
 * `AXON_BAD_INPUT_TRACE=1` prints each row before it runs (to find one that hangs).
 */
import { expect } from 'vitest';
import * as ax from '../../src/index.js';
import type { AxonErrorCode } from '../../src/errors.js';

/** The entry points whose exports the matrix walks. */
export type Entry = 'axonjs' | 'axonjs/backends' | 'axonjs/node' | 'axonjs/webgpu';

/** What the error of a row must be. */
export interface Expect {
  /** The `code` (one of several where either is defensible). */
  code: AxonErrorCode | readonly AxonErrorCode[];
  /** The function (or `Class.method`) the message must name. */
  fn: string;
  /** The argument (or option) the message must name. */
  arg?: string;
  /** Text describing what was given, which the message must contain. */
  given?: string | RegExp;
  /** For unknown names: the nearest valid name the message must suggest (`did you mean 'x'?`). */
  near?: string;
}

/** One bad call. */
export interface Row {
  /** Which kind of bad input, e.g. 'wrong type', 'disposed tensor'. */
  case: string;
  /** Builds inputs (before the snapshot) and returns the call that must throw. */
  prep: (fx: Fixtures) => () => unknown;
  expect: Expect;
  /** Backends the row applies to (default: every backend the matrix runs on). */
  only?: readonly string[];
}

/** An export that takes no input (a constant, a type guard table…), with the reason. */
export interface NoInput {
  noInput: string;
}

/** Rows of one export, or why it has none. */
export type Rows = Row[] | NoInput;

/** Rows by export name, for one entry point. */
export type Table = Record<string, Rows>;

/** A row whose call needs no preparation. */
export function row(name: string, call: (fx: Fixtures) => unknown, e: Expect, only?: readonly string[]): Row {
  return { case: name, prep: (fx) => () => call(fx), expect: e, only };
}

/** A row whose inputs are built by `prep` before the snapshot. */
export function prepped(name: string, prep: (fx: Fixtures) => () => unknown, e: Expect, only?: readonly string[]): Row {
  return { case: name, prep, expect: e, only };
}

/** "No input" marker with its reason. */
export function noInput(reason: string): NoInput {
  return { noInput: reason };
}

// ---- expectation shorthands ----------------------------------------------------------------

/** INVALID_ARGUMENT naming `fn` and `arg`. */
export const invalid = (fn: string, arg?: string, given?: string | RegExp): Expect => ({ code: 'INVALID_ARGUMENT', fn, arg, given });
/** SHAPE_MISMATCH naming `fn` (and `arg`). */
export const shape = (fn: string, arg?: string, given?: string | RegExp): Expect => ({ code: 'SHAPE_MISMATCH', fn, arg, given });
/** DISPOSED naming `fn` and `arg`. */
export const disposed = (fn: string, arg?: string): Expect => ({ code: 'DISPOSED', fn, arg, given: 'disposed' });
/** An unknown option `key` whose nearest valid name is `near`. */
export const option = (fn: string, key: string, near: string): Expect => ({ code: 'INVALID_ARGUMENT', fn, arg: key, near });
/** NON_FINITE naming `fn`. */
export const nonFinite = (fn: string, arg?: string, given?: string | RegExp): Expect => ({ code: 'NON_FINITE', fn, arg, given });
/** CORRUPT_DATA naming `fn`. */
export const corrupt = (fn: string, arg?: string, given?: string | RegExp): Expect => ({ code: 'CORRUPT_DATA', fn, arg, given });
/** A tensor on another backend: INVALID_ARGUMENT naming both backends. */
export const foreignExpect = (fn: string, arg: string): Expect => ({ code: 'INVALID_ARGUMENT', fn, arg, given: /backend/ });

// ---- fixtures ------------------------------------------------------------------------------

/** Inputs shared by every row, built once per backend (before any snapshot). */
export interface Fixtures {
  /** The backend the rows run on ('js' or 'wasm'; 'webgpu' for the small subset). */
  backend: string;
  k: ax.Kernels;
  /** Another backend instance (wasm when running js, js otherwise) and a tensor on it. */
  other: ax.Kernels;
  foreign: ax.Tensor;
  /** [2, 3] values 1…6. */
  x: ax.Tensor;
  /** [3] values. */
  v: ax.Tensor;
  /** [3, 3] values. */
  sq: ax.Tensor;
  /** [1, 1, 4, 4] image batch (NCHW). */
  img: ax.Tensor;
  /** [2] class labels 0, 2 (3 classes). */
  labels: ax.Tensor;
  /** [0, 3]: no rows. */
  empty: ax.Tensor;
  /** [2, 3] with a NaN, and with ±Inf. */
  nan: ax.Tensor;
  inf: ax.Tensor;
  /** A disposed [2, 3] tensor. */
  gone: ax.Tensor;
  /** A variable [3] with a gradient. */
  w: ax.Tensor;
  /** A compiled model (Dense 3→4 relu, BatchNorm1d 4, Dense 4→3) after one Adam step. */
  model: ax.Sequential;
  opt: ax.Adam;
  /** An uncompiled model of the same shape. */
  bare: ax.Sequential;
  /** Storage on the current backend (for kernel rows) and storage of the other backend. */
  store: ax.Storage;
  otherStore: ax.Storage;
  goneStore: ax.Storage;
  /** Host data for the classic / data rows: 6 samples × 3 features, labels 0…2. */
  hostX: number[][];
  hostY: number[];
  /** Everything made here, to free after the backend's rows. */
  dispose(): void;
  /** Disposes everything and makes fresh fixtures in place (after a row changed them). */
  rebuild(): Promise<void>;
  /** Registers something a row's `prep` made (a layer, a fitted model) to dispose after the row. */
  own<T extends { dispose(): void }>(x: T): T;
  /** @internal What `own` collected for the current row. */
  owned: Array<{ dispose(): void }>;
}

/** Builds the fixtures on the current backend (`init` was called). */
export async function makeFixtures(otherKernels: ax.Kernels): Promise<Fixtures> {
  const k = ax.getBackend();
  const foreign = ax.fromStorage(otherKernels, otherKernels.upload(Float32Array.of(1, 2, 3, 4, 5, 6)), [2, 3]);
  const x = ax.tensor([[1, 2, 3], [4, 5, 6]]);
  const v = ax.tensor([1, -2, 3]);
  const sq = ax.tensor([[1, 0, 0], [0, 2, 0], [0, 0, 3]]);
  const img = ax.rand([1, 1, 4, 4], { seed: 3 });
  const labels = ax.tensor([0, 2]);
  const empty = ax.zeros([0, 3]);
  const nan = ax.tensor([[1, NaN, 3], [4, 5, 6]]);
  const inf = ax.tensor([[1, Infinity, 3], [4, -Infinity, 6]]);
  const gone = ax.tensor([[1, 2, 3], [4, 5, 6]]);
  gone.dispose();
  const w = ax.variable([1, 2, 3]);
  ax.sum(ax.square(w)).backward();
  const build = (seed: number) =>
    new ax.Sequential([new ax.Dense(3, 4, { activation: 'relu', seed }), new ax.BatchNorm1d(4), new ax.Dense(4, 3, { seed: seed + 1 })]);
  const model = build(1);
  const opt = new ax.Adam({ lr: 0.01 });
  model.compile({ optimizer: opt, loss: 'crossEntropy', metrics: ['accuracy'] });
  ax.tidy(() => {
    opt.zeroGrad();
    ax.crossEntropy(model.forward(x), labels).backward();
    opt.step();
  });
  const bare = build(5);
  const store = k.upload(Float32Array.of(1, 2, 3, 4));
  const otherStore = otherKernels.upload(Float32Array.of(1, 2, 3, 4));
  const goneStore = k.alloc(4);
  goneStore.dispose();
  const hostX = [[0, 0, 1], [0, 1, 0], [1, 0, 0], [0, 0, 2], [0, 2, 0], [2, 0, 0]];
  const hostY = [0, 1, 2, 0, 1, 2];
  const tensors = [foreign, x, v, sq, img, labels, empty, nan, inf, w];
  const fx: Fixtures = {
    backend: k.name, k, other: otherKernels, foreign, x, v, sq, img, labels, empty, nan, inf, gone, w, model, opt, bare,
    store, otherStore, goneStore, hostX, hostY,
    dispose() {
      for (const t of tensors) t.dispose();
      model.dispose();
      bare.dispose();
      opt.dispose();
      store.dispose();
      otherStore.dispose();
    },
    async rebuild() {
      fx.dispose();
      Object.assign(fx, await makeFixtures(otherKernels));
    },
    owned: [],
    own(x) {
      fx.owned.push(x);
      return x;
    },
  };
  return fx;
}

// ---- snapshot ------------------------------------------------------------------------------

/** The state a failed call must leave as it found it. */
export interface Snapshot {
  memory: ax.MemoryInfo;
  /** `liveBytes()` of the other backend instance (foreign-tensor rows must not allocate there either). */
  otherBytes: number;
  weights: Float32Array[];
  bareWeights: Float32Array[];
  optimizer: { step: number; lr: number; slots: Array<[string, Float32Array]> };
  inputs: Array<[string, boolean, Float32Array | null]>;
  training: boolean[];
}

async function weightsOf(m: ax.Module): Promise<Float32Array[]> {
  const ws = m.getWeights();
  const out = await Promise.all(ws.map((t) => t.data()));
  for (const t of ws) t.dispose();
  return out;
}

/** Reads everything {@link Snapshot} lists (memory first: the reads allocate and free copies). */
export async function snapshot(fx: Fixtures): Promise<Snapshot> {
  const memory = ax.memory();
  const otherBytes = fx.other.liveBytes();
  const st = await fx.opt.stateAsync();
  const slots: Array<[string, Float32Array]> = [];
  for (const [i, s] of Object.entries(st.slots)) for (const [name, data] of Object.entries(s)) slots.push([`${i}.${name}`, data]);
  const named: Array<[string, ax.Tensor]> = [['x', fx.x], ['v', fx.v], ['labels', fx.labels], ['w', fx.w], ['w.grad', fx.w.grad!], ['foreign', fx.foreign], ['img', fx.img]];
  return {
    memory,
    otherBytes,
    weights: await weightsOf(fx.model),
    bareWeights: await weightsOf(fx.bare),
    optimizer: { step: st.step, lr: fx.opt.lr, slots },
    inputs: await Promise.all(named.map(async ([n, t]): Promise<[string, boolean, Float32Array | null]> => [n, t.disposed, t.disposed ? null : await t.data()])),
    training: [fx.model.training, fx.bare.training, ...fx.model.layers.map((l) => l.training)],
  };
}

/** Null when `after` equals `before`, else what changed. */
export function compareSnapshots(before: Snapshot, after: Snapshot): string | null {
  const diffs: string[] = [];
  const m0 = before.memory;
  const m1 = after.memory;
  // Only growth counts: the engine's FinalizationRegistry may free garbage from earlier rows
  // while an async call awaits, which lowers the counts without any fault of the call.
  for (const key of ['numTensors', 'numBytes', 'backendBytes'] as const) {
    if (!(m1[key] <= m0[key])) diffs.push(`memory().${key} ${m0[key]} → ${m1[key]}`);
  }
  if (m0.backend !== m1.backend) diffs.push(`memory().backend ${m0.backend} → ${m1.backend}`);
  if (!(after.otherBytes <= before.otherBytes)) diffs.push(`other backend's liveBytes ${before.otherBytes} → ${after.otherBytes}`);
  const arrays = (label: string, a: Float32Array[], b: Float32Array[]) => {
    if (a.length !== b.length) diffs.push(`${label}: ${a.length} → ${b.length} arrays`);
    a.forEach((x, i) => {
      if (!sameArray(x, b[i])) diffs.push(`${label}[${i}] changed`);
    });
  };
  arrays('model weights', before.weights, after.weights);
  arrays('uncompiled model weights', before.bareWeights, after.bareWeights);
  const o0 = before.optimizer;
  const o1 = after.optimizer;
  if (o0.step !== o1.step) diffs.push(`optimizer step ${o0.step} → ${o1.step}`);
  if (o0.lr !== o1.lr) diffs.push(`optimizer lr ${o0.lr} → ${o1.lr}`);
  if (o0.slots.length !== o1.slots.length) diffs.push(`optimizer slots ${o0.slots.length} → ${o1.slots.length}`);
  o0.slots.forEach(([name, data], i) => {
    const other = o1.slots[i];
    if (!other || other[0] !== name || !sameArray(data, other[1])) diffs.push(`optimizer slot ${name} changed`);
  });
  before.inputs.forEach(([name, gone, data], i) => {
    const [, gone1, data1] = after.inputs[i]!;
    if (gone !== gone1) diffs.push(`fixture '${name}' was disposed`);
    else if (data && (!data1 || !sameArray(data, data1))) diffs.push(`fixture '${name}' values changed`);
  });
  if (before.training.join() !== after.training.join()) diffs.push(`training modes ${before.training.join()} → ${after.training.join()}`);
  return diffs.length ? diffs.join('; ') : null;
}

function sameArray(a: Float32Array, b: Float32Array | undefined): boolean {
  if (!b || a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (!Object.is(a[i], b[i])) return false;
  return true;
}

// ---- running a row -------------------------------------------------------------------------

function isPromise(v: unknown): v is Promise<unknown> {
  return typeof v === 'object' && v !== null && typeof (v as { then?: unknown }).then === 'function';
}

/** Frees what a call that should have thrown returned (never a fixture it handed back). */
function release(v: unknown, keep: ReadonlySet<unknown>): void {
  if (v instanceof ax.Tensor && !keep.has(v)) v.dispose();
  else if (Array.isArray(v)) for (const x of v) release(x, keep);
}

function fixtureTensors(fx: Fixtures): Set<unknown> {
  return new Set(Object.values(fx).filter((v) => v instanceof ax.Tensor));
}

/** What the error of `e` lacks against `want`, or null when it is right. */
export function checkError(e: unknown, want: Expect): string | null {
  if (!(e instanceof ax.AxonError)) {
    const what = e instanceof Error ? `${e.name}: ${e.message}` : String(e);
    return `threw a non-AxonError (${what})`;
  }
  const codes = typeof want.code === 'string' ? [want.code] : want.code;
  const bad: string[] = [];
  if (!codes.includes(e.code)) bad.push(`code ${e.code}, expected ${codes.join(' or ')}`);
  const msg = e.message;
  if (!msg.includes(want.fn)) bad.push(`message does not name the function '${want.fn}'`);
  if (want.arg !== undefined && !msg.includes(want.arg)) bad.push(`message does not name the argument '${want.arg}'`);
  if (!/expect|must|valid|should|need|at least|at most|one of|did you mean|cannot|can not|out of range|outside|not |no |only|requires?d?|differ|match|larger|more than|less than|exceeds|too |first|up to|finite|try /i.test(msg)) {
    bad.push('message does not say what was expected');
  }
  if (want.given !== undefined) {
    const ok = typeof want.given === 'string' ? msg.includes(want.given) : want.given.test(msg);
    if (!ok) bad.push(`message does not show what was given (${String(want.given)})`);
  }
  if (want.near !== undefined && !msg.includes(`'${want.near}'`)) bad.push(`message does not suggest '${want.near}'`);
  return bad.length ? `${bad.join('; ')} — ${e.name}(${e.code}): ${msg}` : null;
}

/** Runs one row: snapshot, call, snapshot; returns null on success or what went wrong. */
export async function runRow(fx: Fixtures, r: Row): Promise<string | null> {
  let problem: string | null = null;
  await ax.tidy(async () => {
    const thunk = r.prep(fx);
    const before = await snapshot(fx);
    let error: unknown;
    let threw = false;
    try {
      const v = thunk();
      if (isPromise(v)) {
        try {
          release(await v, fixtureTensors(fx));
        } catch (e) {
          threw = true;
          error = e;
        }
      } else release(v, fixtureTensors(fx));
    } catch (e) {
      threw = true;
      error = e;
    }
    if (!threw) {
      problem = 'returned instead of throwing';
      return;
    }
    const errProblem = checkError(error, r.expect);
    const stateProblem = compareSnapshots(before, await snapshot(fx));
    problem = [errProblem, stateProblem && `state changed: ${stateProblem}`].filter(Boolean).join(' | ') || null;
  });
  for (const x of fx.owned.splice(0)) x.dispose();
  return problem;
}

const TRACE = process.env['AXON_BAD_INPUT_TRACE'] === '1';

/** Runs every row of one export, collecting the failures into one assertion. */
export async function expectRows(fx: Fixtures, name: string, rows: readonly Row[]): Promise<void> {
  const failures: string[] = [];
  for (const r of rows) {
    if (r.only && !r.only.includes(fx.backend)) continue;
    if (TRACE) console.log(`bad-input: ${fx.backend} ${name} [${r.case}]`);
    const p = await runRow(fx, r);
    if (p) failures.push(`  ${name} [${r.case}]: ${p}`);
    // A row that changed the shared state would poison the rows after it: start them afresh.
    if (p?.includes('state changed')) await fx.rebuild();
  }
  expect(failures, `${failures.length} bad-input row(s) failed on ${fx.backend}:\n${failures.join('\n')}`).toEqual([]);
}
