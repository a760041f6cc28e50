import { writeFileSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { initFromFile, readWasmModule } from '../src/node.js';
import { probeWebGpu } from '../src/webgpu.js';

describe('axonjs/node', () => {
  const built = new URL('../build/axon-simd.wasm', import.meta.url);

  it('initFromFile loads the kernels from a path', async () => {
    const k = await initFromFile(built);
    expect(k.name).toBe('wasm');
  });

  it('readWasmModule names the path when the file is missing or not wasm', async () => {
    await expect(readWasmModule('/nonexistent/axon.wasm')).rejects.toThrow(/cannot read '\/nonexistent\/axon.wasm'/);
    const dir = mkdtempSync(join(tmpdir(), 'axon-'));
    const bad = join(dir, 'bad.wasm');
    writeFileSync(bad, 'not wasm');
    await expect(readWasmModule(bad)).rejects.toThrow(/is not a valid wasm module/);
  });
});

describe('axonjs/webgpu probe', () => {
  it('explains why WebGPU is unavailable', async () => {
    expect(await probeWebGpu()).toEqual({ available: false, reason: expect.stringMatching(/no navigator.gpu/) });
    expect((await probeWebGpu({})).reason).toMatch(/no requestAdapter/);
    expect((await probeWebGpu({ requestAdapter: async () => null })).reason).toMatch(/no adapter/);
    expect((await probeWebGpu({ requestAdapter: async () => { throw new Error('boom'); } })).reason).toMatch(/failed: boom/);
  });

  it('reports adapter limits when one is found', async () => {
    const gpu = { requestAdapter: async () => ({ limits: { maxComputeWorkgroupSizeX: 256, maxStorageBufferBindingSize: 1 << 27, maxComputeInvocationsPerWorkgroup: 256 } }) };
    expect(await probeWebGpu(gpu)).toEqual({ available: true, limits: { maxComputeWorkgroupSizeX: 256, maxStorageBufferBindingSize: 1 << 27, maxComputeInvocationsPerWorkgroup: 256 } });
  });
});
