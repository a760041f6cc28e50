/**
 * axonjs/webgpu — the WebGPU backend, in its own entry so the core bundle carries no WebGPU
 * code. Importing this module registers the 'webgpu' backend:
 *
 * ```ts
 * import * as ax from 'axonjs';
 * import 'axonjs/webgpu';
 * await ax.init({ backend: 'webgpu' });              // browsers: navigator.gpu
 * await ax.init({ backend: 'webgpu', gpu });         // Node: gpu = create([]) from the `webgpu` package
 * ```
 *
 * On this backend `await tensor.data()` is the one point that waits for the GPU; `dataSync()`
 * throws (an AxonError with code 'UNSUPPORTED' that says so). GPU-side failures surface as a
 * {@link WebGpuError} naming the kernel.
 */
import { registerBackend } from './backends/index.js';
import { WebGpuBackend } from './webgpu/backend.js';

export { WebGpuBackend, type WebGpuOptions } from './webgpu/backend.js';
export { WebGpuError } from './webgpu/errors.js';
export { REQUIRED_LIMITS } from './webgpu/device.js';

/** Result of {@link probeWebGpu}. */
export interface WebGpuProbe {
  available: boolean;
  /** Why WebGPU is unavailable (absent when available). */
  reason?: string;
  /** Adapter limits that matter to compute kernels, when an adapter was found. */
  limits?: { maxComputeWorkgroupSizeX: number; maxStorageBufferBindingSize: number; maxComputeInvocationsPerWorkgroup: number };
}

interface GpuLike {
  requestAdapter(options?: unknown): Promise<{ limits: Record<string, number> } | null>;
}

/**
 * Checks for a usable WebGPU adapter: `gpu` (e.g. the `webgpu` npm package's `create([])` in
 * Node) or `navigator.gpu`. Never throws; the reason says what is missing.
 */
export async function probeWebGpu(gpu?: unknown): Promise<WebGpuProbe> {
  const nav = (globalThis as { navigator?: { gpu?: unknown } }).navigator;
  const g = (gpu ?? nav?.gpu) as GpuLike | undefined;
  if (!g) return { available: false, reason: 'no navigator.gpu in this runtime and no gpu object was passed' };
  if (typeof g.requestAdapter !== 'function') return { available: false, reason: 'the gpu object has no requestAdapter()' };
  let adapter;
  try {
    adapter = await g.requestAdapter();
  } catch (e) {
    return { available: false, reason: `requestAdapter() failed: ${(e as Error).message}` };
  }
  if (!adapter) return { available: false, reason: 'requestAdapter() returned no adapter (no GPU, or WebGPU disabled)' };
  const l = adapter.limits;
  return {
    available: true,
    limits: {
      maxComputeWorkgroupSizeX: l.maxComputeWorkgroupSizeX ?? 0,
      maxStorageBufferBindingSize: l.maxStorageBufferBindingSize ?? 0,
      maxComputeInvocationsPerWorkgroup: l.maxComputeInvocationsPerWorkgroup ?? 0,
    },
  };
}

/**
 * Registers the 'webgpu' backend with `init()` (done once when this module is imported; call it
 * again if a bundler dropped the bare import).
 */
export function registerWebGpu(): void {
  registerBackend('webgpu', (options) => WebGpuBackend.create({ gpu: options.gpu }));
}

registerWebGpu();
