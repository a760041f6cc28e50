/**
 * What is particular to the webgpu backend (the kernels themselves run in the shared suites of
 * test/kernels/ through describeEachBackend): registration by the `axonjs/webgpu` entry, why
 * `init` says WebGPU is unavailable, asynchronous-only reads, GPU errors reported with the
 * kernel's name, device loss, the buffer pool and the pipeline cache.
 */
import { afterAll, describe, expect, it } from 'vitest';
import * as ax from '../src/index.js';
import { BackendUnavailableError, createBackend, registeredBackends } from '../src/backends/index.js';
import { AxonError } from '../src/errors.js';
import { probeWebGpu, REQUIRED_LIMITS, WebGpuBackend, WebGpuError } from '../src/webgpu.js';
import type { GpuRuntime } from '../src/webgpu/runtime.js';
import { testGpu, webgpuRequired } from './helpers/webgpu.js';

const { gpu, reason } = await testGpu();
const probe = await probeWebGpu(gpu);
const available = probe.available;

/** The runtime inside a backend (for injecting faults). */
function runtimeOf(k: WebGpuBackend): GpuRuntime {
  return (k as unknown as { rt: GpuRuntime }).rt;
}

async function unavailableReason(gpuArg: unknown): Promise<string> {
  try {
    const k = await createBackend('webgpu', { gpu: gpuArg });
    k.dispose();
  } catch (e) {
    expect(e).toBeInstanceOf(BackendUnavailableError);
    return (e as BackendUnavailableError).reason;
  }
  throw new Error('createBackend succeeded');
}

describe('axonjs/webgpu entry and availability', () => {
  it("importing the entry registers 'webgpu'", () => {
    expect(registeredBackends()).toContain('webgpu');
    expect(ax.backends()).toContain('webgpu');
  });

  it('init explains why WebGPU is unavailable: no navigator.gpu and no gpu object', async () => {
    const nav = (globalThis as { navigator?: { gpu?: unknown } }).navigator;
    if (nav?.gpu) return; // a runtime with WebGPU built in
    expect(await unavailableReason(undefined)).toMatch(/no navigator\.gpu.*no gpu object was passed/);
    await expect(ax.init({ backend: 'webgpu' })).rejects.toThrow(/backend 'webgpu' is unavailable: no navigator\.gpu/);
  });

  it('… a gpu object without requestAdapter, no adapter, a failing adapter request', async () => {
    expect(await unavailableReason({})).toMatch(/no requestAdapter\(\)/);
    expect(await unavailableReason({ requestAdapter: async () => null })).toMatch(/returned no adapter/);
    expect(await unavailableReason({ requestAdapter: async () => { throw new Error('driver exploded'); } })).toMatch(/requestAdapter\(\) failed: driver exploded/);
  });

  it('… an adapter whose limits are below what the kernels need (naming the limit)', async () => {
    const limits = { ...REQUIRED_LIMITS, maxComputeInvocationsPerWorkgroup: 128 };
    const fake = { requestAdapter: async () => ({ limits, requestDevice: async () => { throw new Error('unreachable'); } }) };
    expect(await unavailableReason(fake)).toMatch(/maxComputeInvocationsPerWorkgroup 128 < 256/);
  });
});

describe.skipIf(!available && !webgpuRequired())(`webgpu backend${available ? '' : ` (skipped: ${probe.reason ?? reason})`}`, () => {
  afterAll(() => ax.dispose());

  it('has an adapter here', () => {
    expect(probe.reason ?? reason, 'WebGPU must be available where required (CI)').toBeUndefined();
    expect(probe.available).toBe(true);
  });

  it('init({ backend: "webgpu", gpu }) selects it; tensors compute and read back with await data()', async () => {
    await ax.init({ backend: 'webgpu', gpu });
    const b = ax.getBackend();
    expect(b.name).toBe('webgpu');
    expect(b.info.notes?.join(' ')).toMatch(/adapter: /);
    const t = ax.tensor([[1, 2], [3, 4]]);
    const u = ax.matmul(t, t).add(1);
    expect(Array.from(await u.data())).toEqual([8, 11, 16, 23]);
    expect(await u.array()).toEqual([[8, 11], [16, 23]]);
    t.dispose();
    u.dispose();
  });

  it('dataSync()/readSync() throw an UNSUPPORTED AxonError that points to await data()', async () => {
    await ax.init({ backend: 'webgpu', gpu });
    const t = ax.tensor([1, 2, 3]);
    let err: unknown;
    try {
      t.dataSync();
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(AxonError);
    expect((err as AxonError).code).toBe('UNSUPPORTED');
    expect((err as Error).message).toMatch(/await tensor\.data\(\)/);
    expect(() => t.storage.readSync()).toThrow(/cannot read GPU memory synchronously/);
    t.dispose();
  });

  it('crossEntropy takes a label tensor without a synchronous read (the range check runs asynchronously)', async () => {
    await ax.init({ backend: 'webgpu', gpu });
    const logits = ax.tensor([[2, 0, 0], [0, 0, 3]]);
    const labels = ax.tensor([0, 2]);
    const loss = ax.crossEntropy(logits, labels);
    const expected = (Math.log(Math.exp(2) + 2) - 2 + Math.log(Math.exp(3) + 2) - 3) / 2;
    expect((await loss.data())[0]).toBeCloseTo(expected, 5);
    // labels given as an array are still checked on the host
    expect(() => ax.crossEntropy(logits, [0, 3])).toThrow(/out of range/);
    for (const x of [logits, labels, loss]) x.dispose();
  });

  it('a GPU validation error surfaces as a WebGpuError naming the kernel, then the backend goes on', async () => {
    const k = await WebGpuBackend.create({ gpu });
    try {
      const out = k.alloc(4);
      runtimeOf(k).run('brokenKernel', [{
        key: 'brokenKernel',
        bindings: [{ name: 'out', buf: (out as unknown as { buffer: never }).buffer, write: true }],
        groups: 1,
        body: () => '@compute @workgroup_size(1) fn main() { $out[0] = undefined_thing; }',
      }]);
      const err = await k.flush().then(() => undefined, (e: unknown) => e);
      expect(err).toBeInstanceOf(WebGpuError);
      expect((err as WebGpuError).kernel).toBe('brokenKernel');
      expect((err as Error).message).toMatch(/^webgpu brokenKernel: GPUValidationError/);
      k.fill(out, 4, 2.5);
      expect(Array.from(await out.read())).toEqual([2.5, 2.5, 2.5, 2.5]);
    } finally {
      k.dispose();
    }
  });

  it('a lost device makes the next kernel call throw a WebGpuError naming it and the reason', async () => {
    const k = await WebGpuBackend.create({ gpu });
    const s = k.alloc(8);
    const device = runtimeOf(k).device;
    device.destroy();
    await device.lost;
    expect(() => k.fill(s, 8, 1)).toThrow(WebGpuError);
    expect(() => k.fill(s, 8, 1)).toThrow(/webgpu fill: the GPU device was lost \(destroyed/);
    await expect(s.read()).rejects.toThrow(/webgpu read: the GPU device was lost/);
    k.dispose();
  });

  it('argument errors are the shared KernelErrors, thrown before anything is queued', async () => {
    const k = await WebGpuBackend.create({ gpu });
    try {
      const a = k.alloc(4);
      expect(() => k.scale(a, a, 5, 2)).toThrow(/scale: argument 'x' expected at least 5 elements, given 4/);
    } finally {
      k.dispose();
    }
  });

  it('the buffer pool reuses freed buffers by size class; the pipeline cache compiles each kernel once', async () => {
    const k = await WebGpuBackend.create({ gpu });
    try {
      const x = k.upload(Float32Array.from({ length: 1000 }, (_, i) => i));
      for (let i = 0; i < 5; i++) {
        const y = k.alloc(1000 + i); // same size class (4 KiB … 6 KiB)
        k.activation('tanh', x, y, 1000);
        k.scale(y, y, 1000, 2);
        y.dispose();
      }
      const s1 = k.stats();
      for (let i = 0; i < 5; i++) {
        const y = k.alloc(1000);
        k.activation('tanh', x, y, 1000);
        k.scale(y, y, 1000, 2);
        y.dispose();
      }
      const s2 = k.stats();
      expect(s2.pipelines).toBe(s1.pipelines);
      expect(s2.pool.misses).toBe(s1.pool.misses);
      expect(s2.pool.hits).toBeGreaterThanOrEqual(s1.pool.hits + 5);
      expect(k.liveBytes()).toBe(4000);
      await k.flush();
    } finally {
      k.dispose();
    }
  });

  it('randomNormal (computed on the host) and dropout masks match the js backend bit for bit', async () => {
    const k = await WebGpuBackend.create({ gpu });
    const js = await createBackend('js');
    try {
      const a = k.alloc(37);
      const b = js.alloc(37);
      k.randomNormal(a, 37, 99, 5, 0.5, 2);
      js.randomNormal(b, 37, 99, 5, 0.5, 2);
      expect(new Uint32Array((await a.read()).buffer)).toEqual(new Uint32Array((await b.read()).buffer));
      k.dropoutMask(a, 37, 0.3, 2 ** 40 + 7, 2 ** 33 + 3);
      js.dropoutMask(b, 37, 0.3, 2 ** 40 + 7, 2 ** 33 + 3);
      expect(Array.from(await a.read())).toEqual(Array.from(await b.read()));
    } finally {
      k.dispose();
      js.dispose();
    }
  });
});
