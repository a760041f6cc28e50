/**
 * Finding a WebGPU device for the backend, with a one-sentence reason when there is none: no
 * `navigator.gpu` and no GPU object passed, no adapter, an adapter whose limits are below what
 * the kernels need, or a failed device request.
 */
import { BackendUnavailableError } from '../backends/index.js';
import type { Gpu, GpuAdapter, GpuDevice } from './gputypes.js';

/**
 * Limits the kernels rely on (256 invocations per workgroup, 8 KiB of workgroup memory for the
 * GEMM tiles, 8 storage buffers for batch-norm backward). The WebGPU defaults meet them; an
 * adapter reporting less cannot run the backend.
 */
export const REQUIRED_LIMITS: Readonly<Record<string, number>> = {
  maxComputeInvocationsPerWorkgroup: 256,
  maxComputeWorkgroupSizeX: 256,
  maxComputeWorkgroupStorageSize: 8192,
  maxStorageBuffersPerShaderStage: 8,
};

/** Limits raised to the adapter's maximum so large tensors fit in one buffer. */
const RAISED = ['maxStorageBufferBindingSize', 'maxBufferSize'] as const;

/** The GPU object to use: the one passed, else `navigator.gpu`. */
export function findGpu(gpu: unknown): Gpu {
  const nav = (globalThis as { navigator?: { gpu?: unknown } }).navigator;
  const g = (gpu ?? nav?.gpu) as Gpu | undefined;
  if (g === undefined || g === null) {
    throw new BackendUnavailableError(
      'webgpu',
      "no navigator.gpu in this runtime and no gpu object was passed (in Node: `import { create, globals } from 'webgpu'` and `init({ backend: 'webgpu', gpu: create([]) })`)",
    );
  }
  if (typeof g.requestAdapter !== 'function') throw new BackendUnavailableError('webgpu', 'the gpu object has no requestAdapter() method (expected a GPU such as navigator.gpu)');
  return g;
}

/** A device of `gpu` (or navigator.gpu) and a description of the adapter; throws BackendUnavailableError with the reason. */
export async function acquireDevice(gpu: unknown): Promise<{ device: GpuDevice; adapter: GpuAdapter; description: string }> {
  const g = findGpu(gpu);
  let adapter: GpuAdapter | null;
  try {
    adapter = await g.requestAdapter({ powerPreference: 'high-performance' });
  } catch (e) {
    throw new BackendUnavailableError('webgpu', `requestAdapter() failed: ${(e as Error).message}`);
  }
  if (!adapter) throw new BackendUnavailableError('webgpu', 'requestAdapter() returned no adapter (no GPU, WebGPU disabled, or no driver — in Node on Linux, a Vulkan driver such as SwiftShader via VK_ICD_FILENAMES)');
  const short: string[] = [];
  for (const [name, need] of Object.entries(REQUIRED_LIMITS)) {
    const have = adapter.limits[name] ?? 0;
    if (have < need) short.push(`${name} ${have} < ${need}`);
  }
  if (short.length > 0) throw new BackendUnavailableError('webgpu', `the adapter's limits are below what the kernels need: ${short.join(', ')}`);
  const requiredLimits: Record<string, number> = {};
  for (const name of RAISED) {
    const v = adapter.limits[name];
    if (typeof v === 'number') requiredLimits[name] = v;
  }
  let device: GpuDevice;
  try {
    device = await adapter.requestDevice({ requiredLimits, label: 'axon' });
  } catch (e) {
    throw new BackendUnavailableError('webgpu', `requestDevice() failed: ${(e as Error).message}`);
  }
  const info = adapter.info ?? {};
  const description = [info.vendor, info.architecture, info.device, info.description].filter((s) => s).join(' / ') || 'unknown adapter';
  return { device, adapter, description };
}
