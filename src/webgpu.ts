/**
 * axonjs/webgpu — WebGPU support lives in its own entry so the core bundle stays small.
 * Today it answers whether WebGPU can run here and why not; the WGSL kernels that register the
 * 'webgpu' backend arrive in a later release (until then `init({ backend: 'webgpu' })` says the
 * backend is not registered).
 */

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
