/**
 * Compute-pipeline cache keyed by kernel and specialisation. A kernel's WGSL is generated once
 * per key (kernel name + compile-time options such as the activation, the transpose form, the
 * broadcast modes, and the access mode of each binding) and compiled on first use.
 */
import { STAGE_COMPUTE, type GpuBindGroupLayout, type GpuComputePipeline, type GpuDevice } from './gputypes.js';

/** Access of a storage binding: read-only, or read-write (outputs, and inputs aliased with an output). */
export type Access = 'r' | 'rw';

/** A compiled pipeline and the layout of its single bind group. */
export interface CachedPipeline {
  pipeline: GpuComputePipeline;
  layout: GpuBindGroupLayout;
}

/** Pipelines of one device. */
export class PipelineCache {
  private readonly cache = new Map<string, CachedPipeline>();

  constructor(private readonly device: GpuDevice) {}

  /** Number of compiled pipelines. */
  get size(): number {
    return this.cache.size;
  }

  /**
   * The pipeline for `key`, compiling `code()` on first use. Bindings 0…n−1 are the storage
   * buffers with the given accesses; binding n is the uniform block when `uniform`.
   */
  get(key: string, access: readonly Access[], uniform: boolean, code: () => string): CachedPipeline {
    const full = `${key}#${access.join(',')}${uniform ? '+u' : ''}`;
    const hit = this.cache.get(full);
    if (hit) return hit;
    const entries: { binding: number; visibility: number; buffer: { type: 'uniform' | 'storage' | 'read-only-storage' } }[] = access.map((a, i) => ({
      binding: i,
      visibility: STAGE_COMPUTE,
      buffer: { type: a === 'rw' ? 'storage' : 'read-only-storage' },
    }));
    if (uniform) entries.push({ binding: access.length, visibility: STAGE_COMPUTE, buffer: { type: 'uniform' } });
    const layout = this.device.createBindGroupLayout({ entries, label: key });
    const module = this.device.createShaderModule({ code: code(), label: key });
    const pipeline = this.device.createComputePipeline({
      layout: this.device.createPipelineLayout({ bindGroupLayouts: [layout], label: key }),
      compute: { module, entryPoint: 'main' },
      label: key,
    });
    const entry = { pipeline, layout };
    this.cache.set(full, entry);
    return entry;
  }

  /** Forgets every pipeline (the device is going away). */
  clear(): void {
    this.cache.clear();
  }
}
