/**
 * Storage handle of the WebGPU backend: a pooled GPUBuffer holding `size` float32 elements.
 * `read()` is the one synchronisation point with the GPU; `readSync()` throws.
 */
import { KernelError, type Storage } from '../kernels/kernels.js';
import { syncReadError } from './errors.js';
import type { GpuBuffer } from './gputypes.js';

/** What a handle needs from its backend. */
export interface StorageOwner {
  readStorage(s: WebGpuStorage): Promise<Float32Array>;
  releaseStorage(s: WebGpuStorage): void;
}

/** A `webgpu` backend buffer of `size` float32 elements. */
export class WebGpuStorage implements Storage {
  readonly backend = 'webgpu';
  readonly size: number;
  private buf: GpuBuffer | undefined;

  /** Wraps `buf` (at least `4·size` bytes), owned by `owner`. */
  constructor(buf: GpuBuffer, size: number, private readonly owner: StorageOwner) {
    this.buf = buf;
    this.size = size;
  }

  get disposed(): boolean {
    return this.buf === undefined;
  }

  /** The GPU buffer (kernels bind it). Throws once disposed. */
  get buffer(): GpuBuffer {
    if (!this.buf) throw new KernelError('storage', 'buffer', 'a live storage handle', 'a disposed one', 'DISPOSED');
    return this.buf;
  }

  read(): Promise<Float32Array> {
    if (!this.buf) return Promise.reject(new KernelError('read', 'storage', 'a live storage handle', 'a disposed one', 'DISPOSED'));
    return this.owner.readStorage(this);
  }

  readSync(): Float32Array {
    if (!this.buf) throw new KernelError('readSync', 'storage', 'a live storage handle', 'a disposed one', 'DISPOSED');
    throw syncReadError();
  }

  dispose(): void {
    if (!this.buf) return;
    this.owner.releaseStorage(this);
    this.buf = undefined;
  }
}
