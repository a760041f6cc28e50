/**
 * The webgpu backend for the benchmarks, when there is one: `navigator.gpu`, else Dawn from the
 * `webgpu` npm package (Node) on whatever Vulkan driver is installed — Debian's SwiftShader
 * (software Vulkan, CPU emulation) unless VK_ICD_FILENAMES names another. SwiftShader numbers
 * are a smoke check only (they measure a CPU pretending to be a GPU), so the column says so.
 * `--no-webgpu` leaves the column out.
 */
import { existsSync } from 'node:fs';
import { createBackend } from '../src/backends/index.js';
import type { Kernels } from '../src/kernels/kernels.js';
import '../src/webgpu.js';

const SWIFTSHADER_ICD = '/usr/lib/chromium/vk_swiftshader_icd.json';
// Dawn's Node binding crashes if its GPU object is collected while a device is in use.
const KEEP = Symbol.for('axon.bench.dawnGpu');

/** A webgpu backend, or why there is none. `emulated` is true on SwiftShader (CPU emulation). */
export interface BenchGpu {
  backend?: Kernels;
  gpu?: unknown;
  emulated: boolean;
  reason?: string;
}

/** Column / row label of a backend: webgpu on SwiftShader is marked as a smoke check. */
export function backendLabel(k: Kernels, emulated: boolean): string {
  return k.name === 'webgpu' && emulated ? 'webgpu (smoke check, CPU emulation)' : k.name;
}

/** Creates the webgpu backend unless `--no-webgpu` is given or none is available (the reason says why). */
export async function benchWebGpu(): Promise<BenchGpu> {
  if (process.argv.includes('--no-webgpu')) return { emulated: false, reason: '--no-webgpu' };
  let gpu = (globalThis as { navigator?: { gpu?: unknown } }).navigator?.gpu;
  if (!gpu) {
    if (!process.env['VK_ICD_FILENAMES'] && existsSync(SWIFTSHADER_ICD)) process.env['VK_ICD_FILENAMES'] = SWIFTSHADER_ICD;
    try {
      const mod = (await import('webgpu')) as unknown as { create: (flags: string[]) => unknown; globals: object };
      Object.assign(globalThis, mod.globals);
      gpu = mod.create([]);
      (globalThis as unknown as Record<symbol, unknown>)[KEEP] = gpu;
    } catch (e) {
      return { emulated: false, reason: `the 'webgpu' package did not load: ${(e as Error).message}` };
    }
  }
  try {
    const backend = await createBackend('webgpu', { gpu });
    const notes = backend.info.notes?.join(' ') ?? '';
    const emulated = /swiftshader|llvmpipe/i.test(notes) || /swiftshader/i.test(process.env['VK_ICD_FILENAMES'] ?? '');
    return { backend, gpu, emulated };
  } catch (e) {
    return { emulated: false, reason: (e as Error).message };
  }
}
