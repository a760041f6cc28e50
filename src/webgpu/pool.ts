/**
 * GPUBuffer pool with size classes. Buffers are requested by byte size, rounded up to a class
 * (powers of two and 1.5× powers of two: at most a third wasted), and returned to a free list
 * per class when their handle is disposed, so a training loop that frees and reallocates the
 * same shapes every step stops creating buffers after the first step.
 *
 * Reuse is safe without waiting for the GPU: every use of a buffer is a queue operation, and the
 * queue runs them in submission order.
 */
import { AxonError } from '../errors.js';
import type { GpuBuffer, GpuDevice } from './gputypes.js';

/** Smallest buffer handed out, in bytes. */
export const MIN_BUFFER_BYTES = 64;

/** The class (byte size) a request of `bytes` is rounded up to. */
export function sizeClass(bytes: number): number {
  if (bytes <= MIN_BUFFER_BYTES) return MIN_BUFFER_BYTES;
  let p = MIN_BUFFER_BYTES;
  while (p < bytes) {
    const mid = p + p / 2;
    if (mid >= bytes) return mid;
    p *= 2;
  }
  return p;
}

/** Counters of a {@link BufferPool}. */
export interface PoolStats {
  /** Bytes in buffers handed out and not yet released. */
  inUseBytes: number;
  /** Bytes in free buffers kept for reuse. */
  freeBytes: number;
  /** Requests served from the free lists. */
  hits: number;
  /** Requests that created a buffer. */
  misses: number;
}

/** A pool of buffers of one usage. */
export class BufferPool {
  private readonly free = new Map<number, GpuBuffer[]>();
  private readonly all = new Set<GpuBuffer>();
  private readonly stats: PoolStats = { inUseBytes: 0, freeBytes: 0, hits: 0, misses: 0 };
  /** An out-of-memory report of a past createBuffer, not yet thrown. */
  private failure: AxonError | undefined;
  /** Error-scope pops still in flight. */
  private readonly pops = new Set<Promise<void>>();

  /**
   * @param device the device that creates the buffers
   * @param usage GPUBufferUsage flags of every buffer
   * @param maxBytes largest buffer the device allows (`maxBufferSize`)
   * @param maxFreeBytes free bytes kept for reuse; beyond, released buffers are destroyed
   */
  constructor(
    private readonly device: GpuDevice,
    private readonly usage: number,
    private readonly maxBytes: number,
    private readonly maxFreeBytes: number,
    private readonly label: string,
  ) {}

  /**
   * A buffer of at least `bytes` bytes (contents undefined). Throws `AxonError('OUT_OF_MEMORY')`
   * naming the size, before creating anything, when `bytes` exceeds the device's `maxBufferSize`
   * or when an earlier creation was reported out of memory (see {@link takeFailure}).
   */
  acquire(bytes: number): GpuBuffer {
    const failed = this.takeFailure();
    if (failed) throw failed;
    if (bytes > this.maxBytes) {
      throw new AxonError('OUT_OF_MEMORY', `webgpu ${this.label}: cannot allocate ${bytes} bytes: the device's maxBufferSize is ${this.maxBytes} bytes`);
    }
    let size = sizeClass(bytes);
    if (size > this.maxBytes) size = Math.ceil(bytes / 16) * 16;
    const list = this.free.get(size);
    const reused = list?.pop();
    if (reused) {
      this.stats.hits++;
      this.stats.freeBytes -= size;
      this.stats.inUseBytes += size;
      return reused;
    }
    this.stats.misses++;
    const buf = this.create(bytes, size);
    this.all.add(buf);
    this.stats.inUseBytes += size;
    return buf;
  }

  /**
   * createBuffer under an 'out-of-memory' error scope. The GPU reports the failure
   * asynchronously (the buffer is returned, invalid); it is kept and thrown by the next
   * {@link acquire} or the runtime's next check, as `AxonError('OUT_OF_MEMORY')` with the size.
   */
  private create(bytes: number, size: number): GpuBuffer {
    const d = this.device;
    const scoped = typeof d.pushErrorScope === 'function' && typeof d.popErrorScope === 'function';
    const oom = (why: string) => new AxonError('OUT_OF_MEMORY', `webgpu ${this.label}: cannot allocate ${bytes} bytes (a ${size}-byte buffer): ${why}`);
    if (scoped) d.pushErrorScope('out-of-memory');
    let buf: GpuBuffer;
    try {
      buf = d.createBuffer({ size, usage: this.usage, label: `${this.label} ${size} B` });
    } catch (e) {
      if (scoped) void d.popErrorScope().catch(() => null);
      // Implementations throw RangeError when an allocation fails synchronously.
      if (e instanceof RangeError) throw oom(e.message);
      throw e;
    }
    if (scoped) {
      const p: Promise<void> = d.popErrorScope().then(
        (err) => {
          if (err) this.failure ??= oom(err.message || 'the device is out of memory');
        },
        () => undefined, // a lost device is reported by the runtime
      );
      this.pops.add(p);
      void p.finally(() => this.pops.delete(p));
    }
    return buf;
  }

  /** The out-of-memory error reported for a past creation, if any (cleared once taken). */
  takeFailure(): AxonError | undefined {
    const f = this.failure;
    this.failure = undefined;
    return f;
  }

  /** Resolves when every creation so far has had its error scope reported. */
  async settled(): Promise<void> {
    while (this.pops.size > 0) await Promise.all([...this.pops]);
  }

  /** Returns a buffer from {@link acquire} for reuse. */
  release(buf: GpuBuffer): void {
    if (!this.all.has(buf)) return;
    this.stats.inUseBytes -= buf.size;
    if (this.stats.freeBytes + buf.size > this.maxFreeBytes) {
      this.all.delete(buf);
      buf.destroy();
      return;
    }
    let list = this.free.get(buf.size);
    if (!list) this.free.set(buf.size, (list = []));
    list.push(buf);
    this.stats.freeBytes += buf.size;
  }

  /** Destroys every buffer of the pool, free or in use. */
  destroyAll(): void {
    for (const b of this.all) b.destroy();
    this.all.clear();
    this.free.clear();
    this.stats.inUseBytes = 0;
    this.stats.freeBytes = 0;
  }

  /** A snapshot of the counters. */
  snapshot(): PoolStats {
    return { ...this.stats };
  }
}
