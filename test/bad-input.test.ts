/**
 * The bad-input matrix (issue 9): every export of `axonjs`, `axonjs/backends`, `axonjs/node` and
 * `axonjs/webgpu`
 * has rows of bad calls — wrong types, ranks and shapes, empty tensors, NaN/±Inf, negative or
 * fractional sizes, disposed tensors, tensors of another backend, out-of-range labels and
 * indices, unknown option names — or an explicit "no input" reason. Each bad call must throw an
 * `AxonError` with the expected `code` whose message names the function, the argument, what was
 * expected and what was given (and the nearest valid name for unknown names), and must leave a
 * small model's weights, its optimiser's state, `memory()` and the fixture tensors unchanged.
 *
 * The list of exports is read from the modules themselves, so a new export without a row fails
 * the first test here. Rows live in test/bad-input/rows-*.ts; the machinery in harness.ts.
 * The matrix runs on js and wasm (one thread); a small subset runs on WebGPU (Dawn on
 * SwiftShader) where an adapter is available.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as core from '../src/index.js';
import * as backendsEntry from '../src/backends/entry.js';
import * as nodeEntry from '../src/node.js';
import * as webgpuEntry from '../src/webgpu.js';
import { expectRows, makeFixtures, type Entry, type Fixtures, type Row, type Table } from './bad-input/harness.js';
import { BACKENDS_ROWS, CORE_ROWS } from './bad-input/rows-core.js';
import { TENSOR_ROWS } from './bad-input/rows-tensor.js';
import { NN_ROWS } from './bad-input/rows-nn.js';
import { TRAIN_ROWS } from './bad-input/rows-train.js';
import { DATA_ROWS } from './bad-input/rows-data.js';
import { NODE_ROWS } from './bad-input/rows-node.js';
import { WEBGPU_ROWS, WEBGPU_SUBSET } from './bad-input/rows-webgpu.js';
import { testGpu } from './helpers/webgpu.js';

const MODULES: Record<Entry, object> = { axonjs: core, 'axonjs/backends': backendsEntry, 'axonjs/node': nodeEntry, 'axonjs/webgpu': webgpuEntry };

function merge(entry: Entry, parts: readonly Table[]): Table {
  const out: Table = {};
  for (const part of parts) {
    for (const [name, rows] of Object.entries(part)) {
      if (name in out) throw new Error(`bad-input: export '${name}' of ${entry} has rows in two tables`);
      out[name] = rows;
    }
  }
  return out;
}

const TABLES: Record<Entry, Table> = {
  axonjs: merge('axonjs', [CORE_ROWS, TENSOR_ROWS, NN_ROWS, TRAIN_ROWS, DATA_ROWS]),
  'axonjs/backends': merge('axonjs/backends', [BACKENDS_ROWS]),
  'axonjs/node': merge('axonjs/node', [NODE_ROWS]),
  'axonjs/webgpu': merge('axonjs/webgpu', [WEBGPU_ROWS]),
};

/** Exports of each entry point, as the module objects list them (a new export shows up here). */
const EXPORTS: Array<[Entry, string]> = (Object.keys(MODULES) as Entry[]).flatMap((e) => Object.keys(MODULES[e]).sort().map((n): [Entry, string] => [e, n]));

const ROWS: Array<[Entry, string, Row[]]> = EXPORTS.flatMap(([e, n]) => {
  const rows = TABLES[e][n];
  return rows && Array.isArray(rows) ? [[e, n, rows] as [Entry, string, Row[]]] : [];
});

describe('bad-input matrix: coverage', () => {
  it('every export of axonjs, axonjs/backends, axonjs/node and axonjs/webgpu has rows or a "no input" reason', () => {
    const missing = EXPORTS.filter(([e, n]) => !(n in TABLES[e])).map(([e, n]) => `  ${e}: export '${n}' has no row (add bad-input rows in test/bad-input/rows-*.ts, or noInput('why'))`);
    expect(missing, `exports without a bad-input row:\n${missing.join('\n')}`).toEqual([]);
  });

  it('no row names an export that does not exist', () => {
    const stale = (Object.keys(TABLES) as Entry[]).flatMap((e) => Object.keys(TABLES[e]).filter((n) => !(n in MODULES[e])).map((n) => `${e}: '${n}'`));
    expect(stale, `rows for exports that are gone: ${stale.join(', ')}`).toEqual([]);
  });

  it('"no input" rows give a reason and every other export has at least one row', () => {
    for (const [e, table] of Object.entries(TABLES)) {
      for (const [n, rows] of Object.entries(table)) {
        if (Array.isArray(rows)) expect(rows.length, `${e}: '${n}' has an empty row list`).toBeGreaterThan(0);
        else expect(rows.noInput.length, `${e}: '${n}' has an empty no-input reason`).toBeGreaterThan(10);
      }
    }
  });
});

for (const backend of ['js', 'wasm'] as const) {
  describe(`bad-input matrix [${backend}]`, () => {
    let fx: Fixtures;
    let other: core.Kernels;
    beforeAll(async () => {
      await core.init({ backend, threads: 1 });
      other = backend === 'js' ? await backendsEntry.WasmBackend.create({ threads: 1 }) : new backendsEntry.JsBackend();
      fx = await makeFixtures(other);
    });
    afterAll(() => {
      fx?.dispose();
      other?.dispose();
    });
    for (const [entry, name, rows] of ROWS) {
      const mine = rows.filter((r) => !r.only || r.only.includes(backend));
      if (mine.length > 0) it(`${entry} ${name} (${mine.length} rows)`, () => expectRows(fx, name, mine));
    }
  });
}

/** WebGPU: a small subset (kernel validation, typed GPU errors), only where Dawn finds an adapter. */
const gpu = await testGpu();
const probe = gpu.gpu ? await webgpuEntry.probeWebGpu(gpu.gpu) : { available: false, reason: gpu.reason };
describe.skipIf(!probe.available)(`bad-input matrix [webgpu subset]${probe.available ? '' : ` (skipped: ${probe.reason})`}`, () => {
  let fx: Fixtures;
  let other: core.Kernels;
  beforeAll(async () => {
    await core.init({ backend: 'webgpu', gpu: gpu.gpu });
    other = new backendsEntry.JsBackend();
    fx = await makeFixtures(other);
  }, 60_000);
  afterAll(async () => {
    fx?.dispose();
    other?.dispose();
    await core.init({ backend: 'js' });
  });
  for (const [name, rows] of Object.entries(WEBGPU_SUBSET)) {
    it(`${name} (${rows.length} rows)`, () => expectRows(fx, name, rows));
  }
});
