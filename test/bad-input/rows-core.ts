/**
 * Bad-input rows of the core entry's backend layer: init / backends, the error classes, the
 * kernel contract's constants; and of `axonjs/backends`: the js / wasm backend classes (their
 * kernels validate handles and sizes before touching memory).
 */
import * as ax from '../../src/index.js';
import * as be from '../../src/backends/entry.js';
import { disposed, invalid, noInput, option, prepped, row, shape, type Fixtures, type Row, type Table } from './harness.js';

/** The js / wasm backend instance among the fixtures (the current one or the other one). */
function backendOf(fx: Fixtures, name: 'js' | 'wasm'): ax.Kernels {
  return fx.k.name === name ? fx.k : fx.other;
}

/** A live storage of `k` (the fixtures' ones) and one of the other instance. */
function storesOf(fx: Fixtures, k: ax.Kernels): { mine: ax.Storage; theirs: ax.Storage } {
  return k === fx.k ? { mine: fx.store, theirs: fx.otherStore } : { mine: fx.otherStore, theirs: fx.store };
}

/** Rows for the kernels of one backend class: handles, sizes, enums, parameter objects. */
function kernelRows(name: 'js' | 'wasm'): Row[] {
  const k = (fx: Fixtures) => backendOf(fx, name);
  const s = (fx: Fixtures) => storesOf(fx, k(fx));
  return [
    row('storage of another backend', (fx) => k(fx).fill(s(fx).theirs, 4, 1), invalid('fill', 'out', /backend/)),
    prepped('disposed storage', (fx) => {
      const g = k(fx).alloc(4);
      g.dispose();
      return () => k(fx).copy(g, s(fx).mine, 4);
    }, disposed('copy', 'x')),
    row('negative size', (fx) => k(fx).fill(s(fx).mine, -1, 0), invalid('fill', 'n', '-1')),
    row('fractional size', (fx) => k(fx).fill(s(fx).mine, 1.5, 0), invalid('fill', 'n', '1.5')),
    row('NaN size', (fx) => k(fx).scale(s(fx).mine, s(fx).mine, NaN, 2), invalid('scale', 'n', 'NaN')),
    row('size past the storage', (fx) => k(fx).fill(s(fx).mine, 100, 0), shape('fill', 'out', '4')),
    row('scalar of the wrong type', (fx) => k(fx).scale(s(fx).mine, s(fx).mine, 4, '2' as never), invalid('scale', 'alpha', '"2"')),
    row('wrong type handle', (fx) => k(fx).unary('exp', 'x' as never, s(fx).mine, 4), invalid('unary', 'x', '"x"')),
    row('unknown enum', (fx) => k(fx).unary('expp' as never, s(fx).mine, s(fx).mine, 4), invalid('unary', 'op', '"expp"')),
    row('params not an object', (fx) => k(fx).gemm(null as never), invalid('gemm', 'params', 'null')),
    row('negative gemm size', (fx) => k(fx).gemm({ a: s(fx).mine, b: s(fx).mine, out: s(fx).mine, m: -2, n: 2, k: 2 } as never), invalid('gemm', 'm', '-2')),
    row('negative alloc', (fx) => k(fx).alloc(-1), invalid('alloc', 'size', '-1')),
    row('fractional alloc', (fx) => k(fx).alloc(2.5), invalid('alloc', 'size', '2.5')),
    row('negative allocUninitialized', (fx) => k(fx).allocUninitialized!(-1), invalid('allocUninitialized', 'size', '-1')),
    row('NaN allocUninitialized', (fx) => k(fx).allocUninitialized!(NaN), invalid('allocUninitialized', 'size', 'NaN')),
    row('upload of a non-Float32Array', (fx) => k(fx).upload([1, 2] as never), invalid('upload', 'data', /Array|array|object/)),
    row('write past the end', (fx) => k(fx).write(s(fx).mine, new Float32Array(8)), shape('write', undefined, '8')),
    row('dropout p out of range', (fx) => k(fx).dropoutMask(s(fx).mine, 4, 1.5, 0, 0), invalid('dropoutMask', 'p', '1.5')),
  ];
}

export const CORE_ROWS: Table = {
  init: [
    row('unknown option', () => ax.init({ backnd: 'js' } as never), option('init', 'backnd', 'backend')),
    row('options of the wrong type', () => ax.init('js' as never), invalid('init', 'options', '"js"')),
    row('unknown backend name', () => ax.init({ backend: 'wasn' as never }), { code: 'INVALID_ARGUMENT', fn: 'init', arg: 'backend', given: '"wasn"', near: 'wasm' }),
    row('fractional threads', () => ax.init({ threads: 1.5 }), invalid('init', 'threads', '1.5')),
    row('negative threads', () => ax.init({ threads: -2 }), invalid('init', 'threads', '-2')),
    row('NaN threads', () => ax.init({ threads: NaN }), invalid('init', 'threads', 'NaN')),
    row('negative maxBytes', () => ax.init({ maxBytes: -1 }), invalid('init', 'maxBytes', '-1')),
    row('NaN maxBytes', () => ax.init({ maxBytes: NaN }), invalid('init', 'maxBytes', 'NaN')),
    row('wasm source of the wrong type', () => ax.init({ backend: 'wasm', wasm: 42 as never }), invalid('init', 'wasm', '42')),
    row('wasm bytes that are not wasm', () => ax.init({ backend: 'wasm', wasm: new Uint8Array([1, 2, 3, 4]) }), { code: 'CORRUPT_DATA', fn: 'wasm', given: /compil/ }),
  ],
  getBackend: noInput('takes no arguments; returns the current backend'),
  backends: noInput('takes no arguments; lists the registered backend names'),
  dispose: noInput('takes no arguments; frees the current backend (safe to call twice)'),
  createBackend: [
    row('unknown backend name', () => ax.createBackend('wasn' as never), { code: 'INVALID_ARGUMENT', fn: 'createBackend', arg: 'name', given: '"wasn"', near: 'wasm' }),
    row('name of the wrong type', () => ax.createBackend(42 as never), invalid('createBackend', 'name', '42')),
    row('unknown option', () => ax.createBackend('js', { thread: 2 } as never), option('createBackend', 'thread', 'threads')),
    row('fractional threads', () => ax.createBackend('wasm', { threads: 0.5 }), invalid('create', 'threads', '0.5')),
  ],
  registerBackend: [
    row('factory of the wrong type', () => ax.registerBackend('js', 42 as never), invalid('registerBackend', 'factory', '42')),
    row('unknown backend name', () => ax.registerBackend('cuda' as never, async () => new be.JsBackend()), invalid('registerBackend', 'name', '"cuda"')),
  ],
  BackendUnavailableError: [
    row('is an AxonError with a stable code', () => {
      throw new ax.BackendUnavailableError('webgpu', 'no adapter');
    }, { code: 'UNSUPPORTED', fn: 'webgpu', given: 'no adapter' }),
  ],
  AxonError: [
    row('carries its code', () => {
      throw new ax.AxonError('CORRUPT_DATA', 'parse: argument \'bytes\' expected an IDX header, given 3 bytes');
    }, { code: 'CORRUPT_DATA', fn: 'parse', arg: 'bytes', given: '3 bytes' }),
  ],
  ArgumentError: [
    row('is INVALID_ARGUMENT', () => {
      throw new ax.ArgumentError("f: argument 'a' expected a number, given \"x\"");
    }, invalid('f', 'a', '"x"')),
  ],
  ShapeError: [
    row('is SHAPE_MISMATCH', () => {
      throw new ax.ShapeError("f: argument 'a' expected shape [2], given [3]");
    }, shape('f', 'a', '[3]')),
  ],
  KernelError: [
    row('is an AxonError naming kernel and argument', () => {
      throw new ax.KernelError('gemm', 'm', 'a non-negative integer', '-1');
    }, invalid('gemm', 'm', '-1')),
  ],
  WasmLoadError: [
    row('is an AxonError', () => {
      throw new ax.WasmLoadError('compiling the wasm kernels failed: expected magic word');
    }, { code: ['CORRUPT_DATA', 'UNSUPPORTED'], fn: 'wasm', given: /magic/ }),
  ],
  ArenaOutOfMemoryError: [
    row('is OUT_OF_MEMORY naming the size', () => {
      throw new ax.ArenaOutOfMemoryError(1 << 30, 1 << 20);
    }, { code: 'OUT_OF_MEMORY', fn: 'wasm arena', given: String(1 << 30) }),
  ],
  ACTIVATIONS: noInput('constant: the kernel activation names in ABI order'),
  BINARY_OPS: noInput('constant: the binary op names in ABI order'),
  BROADCASTS: noInput('constant: the broadcast modes in ABI order'),
  REDUCE_OPS: noInput('constant: the reduction names in ABI order'),
  UNARY_MATH: noInput('constant: the unary math names in ABI order'),
  defaultActivationAlpha: [row('unknown activation', () => ax.defaultActivationAlpha('rleu' as never), { code: 'INVALID_ARGUMENT', fn: 'defaultActivationAlpha', given: '"rleu"', near: 'relu' })],
  detectFeatures: noInput('takes no arguments; probes the engine with WebAssembly.validate'),
  canReadSync: [row('backend of the wrong type', () => ax.canReadSync(42 as never), invalid('canReadSync', 'k', '42'))],
};

/** Rows of `axonjs/backends`: the backend classes' kernels and the wasm storage handle. */
export const BACKENDS_ROWS: Table = {
  JsBackend: kernelRows('js'),
  WasmBackend: [
    ...kernelRows('wasm'),
    row('create: unknown option', () => be.WasmBackend.create({ thread: 2 } as never), option('WasmBackend.create', 'thread', 'threads')),
    row('create: negative threads', () => be.WasmBackend.create({ threads: -1 }), invalid('create', 'threads', '-1')),
    row('constructor: exports of the wrong type', () => new be.WasmBackend({} as never), invalid('WasmBackend', 'exports')),
  ],
  WasmStorage: [
    prepped('read of a disposed storage', (fx) => {
      const k = backendOf(fx, 'wasm');
      const st = k.alloc(2);
      st.dispose();
      return () => st.readSync();
    }, disposed('read', 'storage')),
    prepped('double free is harmless, write after free is not', (fx) => {
      const k = backendOf(fx, 'wasm');
      const st = k.alloc(2);
      st.dispose();
      st.dispose();
      return () => k.write(st, Float32Array.of(1, 2));
    }, disposed('write', 'dst')),
  ],
};
