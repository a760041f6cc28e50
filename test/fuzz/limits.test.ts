/**
 * Resource limits (src/limits.ts and the `maxBytes` options): every loader and parser refuses
 * input over its cap before allocating, naming the size and the limit; `init({ maxBytes })` caps
 * live tensor bytes on every backend; wasm memory growth failures and WebGPU out-of-memory
 * surface as AxonError('OUT_OF_MEMORY') with the size asked for. Also the deterministic
 * regressions of the bugs the fuzzers found.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { afterAll, describe, expect, it } from 'vitest';
import { Arena, ArenaOutOfMemoryError } from '../../bindings/arena.js';
import { loadWasm } from '../../bindings/instantiate.js';
import * as ax from '../../src/index.js';
import { WasmBackend } from '../../src/backends/wasm/index.js';
import { parseCsv } from '../../src/data/csv.js';
import { encodeIdx, parseIdx } from '../../src/data/idx.js';
import { loadCsv, loadDigits, loadIris } from '../../src/data/node/index.js';
import { AxonError, type AxonErrorCode } from '../../src/errors.js';
import { decodeSafetensors, encodeSafetensors } from '../../src/io/safetensors.js';
import { DEFAULT_MAX_BYTES, DEFAULT_MEMORY_BYTES, memoryLimit } from '../../src/limits.js';
import type { GpuBuffer, GpuDevice, GpuError } from '../../src/webgpu/gputypes.js';
import { BufferPool } from '../../src/webgpu/pool.js';
import { GpuRuntime } from '../../src/webgpu/runtime.js';
import { probeWebGpu } from '../../src/webgpu.js';
import { testGpu } from '../helpers/webgpu.js';

const { gpu, reason: gpuReason } = await testGpu();
const probe = await probeWebGpu(gpu);

/** What `fn` threw (sync or async); fails when nothing was thrown. */
async function caught(fn: () => unknown): Promise<AxonError> {
  try {
    await fn();
  } catch (e) {
    return e as AxonError;
  }
  throw new Error('expected an error, none was thrown');
}

/** Expects an AxonError with `code` whose message matches every pattern. */
async function expectAxon(fn: () => unknown, code: AxonErrorCode, ...patterns: RegExp[]): Promise<AxonError> {
  const e = await caught(fn);
  expect(e, String(e)).toBeInstanceOf(AxonError);
  expect(e.code, e.message).toBe(code);
  for (const p of patterns) expect(e.message).toMatch(p);
  return e;
}

const tmpRoot = mkdtempSync(join(tmpdir(), 'axon-limits-'));
afterAll(() => rmSync(tmpRoot, { recursive: true, force: true }));

describe('init({ maxBytes }): a cap on live tensor bytes', () => {
  for (const backend of ['js', 'wasm'] as const) {
    it(`${backend}: refuses an allocation past the cap before allocating, naming the size and the limit`, async () => {
      await ax.init({ backend, maxBytes: 4096 });
      expect(memoryLimit()).toBe(4096);
      const before = ax.memory();
      const a = ax.zeros([512]); // 2048 bytes: fits
      await expectAxon(() => ax.zeros([1024]), 'OUT_OF_MEMORY', /cannot allocate 4096 bytes/, /maxBytes is 4096/, /2048 bytes/);
      await expectAxon(() => ax.tensor(new Float32Array(600), [600]), 'OUT_OF_MEMORY', /2400 bytes/);
      expect(ax.memory().numTensors).toBe(before.numTensors + 1); // the refusals created nothing
      a.dispose();
      const b = ax.zeros([1024]); // room again once the first is gone
      b.dispose();
      await ax.init({ backend });
      expect(memoryLimit()).toBe(DEFAULT_MEMORY_BYTES);
    });
  }

  it('after dispose() the default cap is back; Infinity lifts it', async () => {
    ax.dispose();
    expect(memoryLimit()).toBe(DEFAULT_MEMORY_BYTES);
    await ax.init({ backend: 'js', maxBytes: Infinity });
    ax.zeros([4]).dispose();
    await ax.init({ backend: 'js' });
  });

  it('rejects bad maxBytes values', async () => {
    for (const v of [0, -1, 1.5, 'big', null, Number.NaN]) {
      await expectAxon(() => ax.init({ backend: 'js', maxBytes: v as number }), 'INVALID_ARGUMENT', /init: option 'maxBytes' expected a positive integer/);
    }
  });

  it('an engine allocation failure (RangeError) becomes OUT_OF_MEMORY with the size', async () => {
    await ax.init({ backend: 'js', maxBytes: Infinity });
    // 2^33 float32 elements: above every engine's typed-array limit.
    await expectAxon(() => ax.getBackend().alloc(2 ** 33), 'OUT_OF_MEMORY', /cannot allocate 34359738368 bytes/);
    await ax.init({ backend: 'js' });
  });
});

describe('wasm memory growth failures are OUT_OF_MEMORY', () => {
  const PAGE = 65536;
  it('Arena: memory.grow refused (the memory maximum) → ArenaOutOfMemoryError, an AxonError with the bytes asked for', () => {
    const a = new Arena(new WebAssembly.Memory({ initial: 1, maximum: 2 }), 0);
    const e = (() => {
      try {
        a.alloc(10 * PAGE + 3);
      } catch (err) {
        return err as ArenaOutOfMemoryError;
      }
      throw new Error('no error');
    })();
    expect(e).toBeInstanceOf(ArenaOutOfMemoryError);
    expect(e).toBeInstanceOf(AxonError);
    expect(e.code).toBe('OUT_OF_MEMORY');
    expect(e.requested).toBe(10 * PAGE + 3);
    expect(e.message).toMatch(/out of memory allocating 655363 bytes/);
    expect(a.liveBlocks).toBe(0);
    expect(a.alloc(PAGE / 2)).toBeGreaterThanOrEqual(0); // still usable
  });

  it("Arena: the arena's own maxBytes stops growth before memory.grow is tried", () => {
    const mem = new WebAssembly.Memory({ initial: 1, maximum: 100 });
    const a = new Arena(mem, 0, 4 * PAGE);
    const e = (() => {
      try {
        a.alloc(5 * PAGE);
      } catch (err) {
        return err as ArenaOutOfMemoryError;
      }
      throw new Error('no error');
    })();
    expect(e.code).toBe('OUT_OF_MEMORY');
    expect(e.message).toMatch(/327680 bytes.*limit is 262144 bytes/);
    expect(mem.buffer.byteLength).toBe(PAGE);
  });

  it('the wasm backend over a small memory: alloc/upload past it throw OUT_OF_MEMORY naming the size', async () => {
    const loaded = await loadWasm(undefined, { build: 'simd' });
    const k = new WasmBackend(loaded.exports, { ...loaded, maxBytes: loaded.memory.buffer.byteLength + 8 * PAGE }, 'simd');
    await expectAxon(() => k.alloc(1 << 20), 'OUT_OF_MEMORY', /allocating 4194304 bytes/);
    await expectAxon(() => k.upload(new Float32Array(1 << 20)), 'OUT_OF_MEMORY', /allocating 4194304 bytes/);
    const s = k.alloc(1024); // small ones still work
    expect(s.size).toBe(1024);
    k.dispose();
  });
});

/** A fake GPU device: records created buffers; `oom` makes the next creation report out of memory. */
function fakeDevice(maxBufferSize: number): GpuDevice & { created: number[]; oom: boolean; throwRange: boolean } {
  const scopes: Array<GpuError | null> = [];
  const dev = {
    created: [] as number[],
    oom: false,
    throwRange: false,
    limits: { maxBufferSize },
    queue: { submit() {}, writeBuffer() {}, onSubmittedWorkDone: async () => {} },
    lost: new Promise<never>(() => {}),
    createBuffer(desc: { size: number }): GpuBuffer {
      if (dev.throwRange) throw new RangeError('allocation failed');
      dev.created.push(desc.size);
      if (dev.oom && scopes.length > 0) scopes[scopes.length - 1] = Object.assign(Object.create({ constructor: { name: 'GPUOutOfMemoryError' } }), { message: 'Not enough memory left.' });
      return { size: desc.size, mapAsync: async () => {}, getMappedRange: () => new ArrayBuffer(desc.size), unmap() {}, destroy() {} };
    },
    pushErrorScope() {
      scopes.push(null);
    },
    popErrorScope: async () => scopes.pop() ?? null,
    createShaderModule: () => ({}),
    createBindGroupLayout: () => ({}),
    createPipelineLayout: () => ({}),
    createComputePipeline: () => ({ getBindGroupLayout: () => ({}) }),
    createBindGroup: () => ({}),
    createCommandEncoder: () => ({ beginComputePass: () => ({ setPipeline() {}, setBindGroup() {}, dispatchWorkgroups() {}, end() {} }), copyBufferToBuffer() {}, clearBuffer() {}, finish: () => ({}) }),
    destroy() {},
  };
  return dev as unknown as GpuDevice & { created: number[]; oom: boolean; throwRange: boolean };
}

describe('WebGPU out of memory is OUT_OF_MEMORY', () => {
  it('a buffer over maxBufferSize is refused before createBuffer, naming the size and the limit', async () => {
    const dev = fakeDevice(1 << 20);
    const pool = new BufferPool(dev, 0x80, 1 << 20, 1 << 22, 'axon storage');
    await expectAxon(() => pool.acquire((1 << 20) + 4), 'OUT_OF_MEMORY', /cannot allocate 1048580 bytes/, /maxBufferSize is 1048576/);
    expect(dev.created).toEqual([]);
    pool.acquire(1 << 20); // exactly the limit is fine
  });

  it("createBuffer reported under the 'out-of-memory' scope: thrown by the next acquire and by the runtime's check", async () => {
    const dev = fakeDevice(1 << 30);
    const pool = new BufferPool(dev, 0x80, 1 << 30, 1 << 22, 'axon storage');
    dev.oom = true;
    pool.acquire(5000);
    dev.oom = false;
    await pool.settled();
    await expectAxon(() => pool.acquire(64), 'OUT_OF_MEMORY', /cannot allocate 5000 bytes/, /Not enough memory left/);
    pool.acquire(64); // reported once

    const rt = new GpuRuntime(dev);
    dev.oom = true;
    rt.storage.acquire(123456);
    dev.oom = false;
    await expectAxon(() => rt.settle('read'), 'OUT_OF_MEMORY', /cannot allocate 123456 bytes/);
    rt.destroy();
  });

  it.skipIf(!probe.available)(`a real device (Dawn): a tensor over maxBufferSize is refused with OUT_OF_MEMORY${probe.available ? '' : ` (skipped: ${probe.reason ?? gpuReason})`}`, async () => {
    const k = await ax.init({ backend: 'webgpu', gpu, maxBytes: Infinity });
    const limit = (k as unknown as { rt: GpuRuntime }).rt.device.limits['maxBufferSize']!;
    const n = Math.floor(limit / 4) + 16;
    const before = ax.memory().numTensors;
    await expectAxon(() => ax.zeros([n]), 'OUT_OF_MEMORY', new RegExp(`cannot allocate ${4 * n} bytes`), new RegExp(`maxBufferSize is ${limit}`));
    expect(ax.memory().numTensors).toBe(before);
    const t = ax.ones([8]);
    expect(Array.from(await t.data())).toEqual(new Array(8).fill(1)); // the device is still fine
    t.dispose();
    await ax.init({ backend: 'js' });
  });

  it('a RangeError from createBuffer becomes OUT_OF_MEMORY at once', async () => {
    const dev = fakeDevice(1 << 30);
    const pool = new BufferPool(dev, 0x80, 1 << 30, 1 << 22, 'axon storage');
    dev.throwRange = true;
    await expectAxon(() => pool.acquire(4096), 'OUT_OF_MEMORY', /cannot allocate 4096 bytes/, /allocation failed/);
  });
});

describe('maxBytes on every loader and parser of untrusted bytes', () => {
  it('parseIdx: input and header-declared size over maxBytes → CORRUPT_DATA naming both', async () => {
    const ok = encodeIdx(new Uint8Array(100), [10, 10]);
    expect(parseIdx(ok, { maxBytes: ok.length }).shape).toEqual([10, 10]);
    await expectAxon(() => parseIdx(ok, { maxBytes: 50 }), 'CORRUPT_DATA', new RegExp(`is ${ok.length} bytes, more than maxBytes = 50`));
    const lying = encodeIdx(new Uint8Array(4), [2, 2]);
    new DataView(lying.buffer).setUint32(4, 1 << 20, false); // claims [1048576, 2] float… of uint8
    await expectAxon(() => parseIdx(lying, { maxBytes: 1 << 16, maxElements: 2 ** 40 }), 'CORRUPT_DATA', /header: uint8 \[1048576, 2\]\) is 2097164 bytes, more than maxBytes = 65536/);
    await expectAxon(() => parseIdx(ok, { maxBytes: -3 }), 'INVALID_ARGUMENT', /option 'maxBytes' expected a positive integer/);
  });

  it('parseCsv: text over maxBytes, and a table that would exceed it, are refused', async () => {
    await expectAxon(() => parseCsv('1,2\n3,4\n', { maxBytes: 4 }), 'CORRUPT_DATA', /CSV input is 8 bytes, more than maxBytes = 4/);
    await expectAxon(() => parseCsv('1,2\n3,4\n5,6\n', { maxBytes: 20 }), 'CORRUPT_DATA', /as a float32 table of 3 rows × 2 columns\) is 24 bytes, more than maxBytes = 20/);
    expect(parseCsv('1,2\n3,4\n', { maxBytes: 16 }).rows).toBe(2);
  });

  it('decodeSafetensors: the buffer and the decoded float32 total (F16 doubles) are capped', async () => {
    const bytes = encodeSafetensors([['w', { shape: [64], data: new Float32Array(64) }]]);
    await expectAxon(() => decodeSafetensors(bytes, { maxBytes: 100 }), 'CORRUPT_DATA', new RegExp(`the buffer is ${bytes.length} bytes, more than maxBytes = 100`));
    const header = new TextEncoder().encode(JSON.stringify({ h: { dtype: 'F16', shape: [100], data_offsets: [0, 200] } }));
    const f16 = new Uint8Array(8 + header.length + 200);
    new DataView(f16.buffer).setUint32(0, header.length, true);
    f16.set(header, 8);
    expect(decodeSafetensors(f16).tensors.get('h')!.data.length).toBe(100);
    await expectAxon(() => decodeSafetensors(f16, { maxBytes: 300 }), 'CORRUPT_DATA', /decoded to float32.*400 bytes, more than maxBytes = 300/);
  });

  it('loadModel: config text and weights over maxBytes are refused before anything is built', async () => {
    const m = new ax.Sequential([new ax.Dense(4, 8), new ax.ReLU()]);
    const saved = await m.save();
    m.dispose();
    const n = ax.memory().numTensors;
    await expectAxon(() => ax.loadModel(saved, { maxBytes: 64 }), 'CORRUPT_DATA', /weights: safetensors: the buffer is \d+ bytes, more than maxBytes = 64/);
    await expectAxon(() => ax.loadModel({ config: JSON.stringify(saved.config), weights: saved.weights }, { maxBytes: 100 }), 'CORRUPT_DATA', /config \(JSON text\) is \d+ bytes, more than maxBytes = 100/);
    expect(ax.memory().numTensors).toBe(n);
    (await ax.loadModel(saved, { maxBytes: 1 << 20 })).dispose();
  });

  it('loadCsv: bytes, gzipped bytes (a bomb) and files over maxBytes', async () => {
    await expectAxon(() => loadCsv(new TextEncoder().encode('1,2\n3,4\n'), { maxBytes: 5 }), 'CORRUPT_DATA', /CSV bytes is 8 bytes, more than maxBytes = 5/);
    const bomb = gzipSync(new Uint8Array(4 << 20).fill(0x31));
    expect(bomb.length).toBeLessThan(10_000);
    await expectAxon(() => loadCsv(bomb, { maxBytes: 1 << 16 }), 'CORRUPT_DATA', /decompresses to more than maxBytes = 65536 bytes/);
    const path = join(tmpRoot, 'big.csv');
    writeFileSync(path, '1,2\n'.repeat(100));
    await expectAxon(() => loadCsv(path, { maxBytes: 100 }), 'CORRUPT_DATA', /big\.csv is 400 bytes, more than maxBytes = 100/);
    expect((await loadCsv(path, { maxBytes: Infinity })).rows).toBe(100);
  });

  it('loadDigits / loadIris take maxBytes', async () => {
    const dir = join(tmpRoot, 'sk');
    rmSync(dir, { recursive: true, force: true });
    const { mkdirSync } = await import('node:fs');
    mkdirSync(dir);
    writeFileSync(join(dir, 'iris.csv'), '2,1,a,b\n1.5,0\n2.5,1\n');
    writeFileSync(join(dir, 'digits.csv'), `${'0,'.repeat(64)}3\n`);
    expect((await loadIris({ dir })).count).toBe(2);
    expect((await loadDigits({ dir })).count).toBe(1);
    await expectAxon(() => loadIris({ dir, maxBytes: 10 }), 'CORRUPT_DATA', /iris\.csv is 20 bytes, more than maxBytes = 10/);
    await expectAxon(() => loadDigits({ dir, maxBytes: 10 }), 'CORRUPT_DATA', /digits\.csv is 130 bytes, more than maxBytes = 10/);
    await expectAxon(() => loadIris({ dir, maxBytes: 0 }), 'INVALID_ARGUMENT', /loadIris: option 'maxBytes'/);
  });

  it('the defaults', () => {
    expect(DEFAULT_MAX_BYTES).toBe(256 * 2 ** 20);
    expect(DEFAULT_MEMORY_BYTES).toBe(2 * 2 ** 30);
  });
});

describe('regressions found by fuzzing', () => {
  it("safetensors: an inherited name such as 'toString' is an unknown dtype, not a bogus size", async () => {
    for (const dtype of ['toString', '__proto__', 'constructor']) {
      const header = new TextEncoder().encode(JSON.stringify({ a: { dtype, shape: [1], data_offsets: [0, 4] } }));
      const b = new Uint8Array(8 + header.length + 4);
      new DataView(b.buffer).setUint32(0, header.length, true);
      b.set(header, 8);
      await expectAxon(() => decodeSafetensors(b), 'CORRUPT_DATA', /has unknown dtype/);
    }
  });

  it("safetensors: names keep their order, '__proto__' survives as a tensor and as metadata, [1e15, 0] is empty", () => {
    const t = (v: number) => ({ shape: [1], data: Float32Array.from([v]) });
    const bytes = encodeSafetensors([['b', t(1)], ['1', t(2)], ['__proto__', t(3)]], JSON.parse('{"__proto__":"m"}') as Record<string, string>);
    const f = decodeSafetensors(bytes);
    expect([...f.tensors.keys()]).toEqual(['b', '1', '__proto__']);
    expect(Object.getOwnPropertyDescriptor(f.metadata, '__proto__')?.value).toBe('m');
    const header = new TextEncoder().encode(JSON.stringify({ e: { dtype: 'F32', shape: [1e15, 0], data_offsets: [0, 0] } }));
    const b = new Uint8Array(8 + header.length);
    new DataView(b.buffer).setUint32(0, header.length, true);
    b.set(header, 8);
    expect(decodeSafetensors(b).tensors.get('e')!.data.length).toBe(0);
  });

  it('CSV: a value beyond float32 is refused (it was stored as Infinity)', async () => {
    await expectAxon(() => parseCsv('0,3.5e38\n'), 'CORRUPT_DATA', /3\.5e38 is outside the float32 range/);
  });

  it('CSV: a very wide header no longer sizes a 256-row buffer by its width', () => {
    const width = 200_000;
    const text = `${Array.from({ length: width }, (_, i) => `c${i}`).join(',')}\n${'1,'.repeat(width - 1)}1\n`;
    const before = process.memoryUsage().arrayBuffers;
    const t = parseCsv(text);
    expect(t.rows).toBe(1);
    // 256 rows × 200 000 columns × 4 bytes would be 205 MB; now it is about the text's size.
    expect(process.memoryUsage().arrayBuffers - before).toBeLessThan(16 * 2 ** 20);
  });

  it('CSV: millions of newlines or delimiters are scanned, not split into giant arrays (a fatal V8 OOM)', async () => {
    const t = parseCsv(`${'\n'.repeat(3_000_000)}1,2\n`);
    expect([t.rows, t.columns.length]).toEqual([1, 2]);
    await expectAxon(() => parseCsv(','.repeat(3_000_000), { maxBytes: 4 << 20 }), 'CORRUPT_DATA', /line 1 has more than 1048576 cells/);
    await expectAxon(() => parseCsv(`1,2\n${','.repeat(3_000_000)}\n`), 'CORRUPT_DATA', /line 2 has more than 2 cells, expected 2/);
  });

  it('loadModel: a failing layer does not leak the weights of the layers built before it', async () => {
    const m = new ax.Sequential([new ax.Dense(3, 4), new ax.BatchNorm1d(4)]);
    const saved = await m.save();
    m.dispose();
    const n = ax.memory().numTensors;
    const config = { ...saved.config, model: { type: 'Sequential', args: [], layers: [{ type: 'BatchNorm1d', args: [4] }, { type: 'Activation', args: [] }] } };
    await expectAxon(() => ax.loadModel({ config, weights: saved.weights }), 'INVALID_ARGUMENT', /Activation/);
    expect(ax.memory().numTensors).toBe(n);
  });

  it('loadModel: kernel sizes given as arrays count toward the size cap; cycles stop at the depth cap', async () => {
    const m = new ax.Sequential([new ax.Dense(2, 2)]);
    const saved = await m.save();
    m.dispose();
    const conv = { ...saved.config, model: { type: 'Sequential', args: [], layers: [{ type: 'Conv2d', args: [1, 1, [100_000, 100_000]] }] } };
    await expectAxon(() => ax.loadModel({ config: conv, weights: saved.weights }), 'CORRUPT_DATA', /size arguments \[1,1,100000,100000\] larger than the 65536 weight elements/);
    const long = { ...saved.config, model: { type: 'x'.repeat(5_000_000), args: [] } };
    const t0 = performance.now();
    await expectAxon(() => ax.loadModel({ config: JSON.stringify(long), weights: saved.weights }), 'CORRUPT_DATA', /module type name of 5000000 characters \(limit 256\)/);
    expect(performance.now() - t0).toBeLessThan(1000);
    const cyclic = { type: 'Sequential', args: [], layers: [] as unknown[] };
    cyclic.layers.push(cyclic);
    await expectAxon(() => ax.loadModel({ config: { ...saved.config, model: cyclic }, weights: saved.weights }), 'CORRUPT_DATA', /nested deeper than 64 \(or a cycle\)/);
  });
});
