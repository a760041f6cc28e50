/**
 * Reads in flight during `fit` / `evaluate`. On backends that read synchronously (js, wasm) each
 * step's loss is read at once (depth 0: the loss is checked before the step's update). On webgpu
 * a read waits for the GPU, so the loop queues the step's work and its reads, and only settles a
 * step's values once {@link ASYNC_DEPTH} newer steps are queued: the CPU records step b + 1 while
 * the GPU still runs step b, and nothing inside a step waits for the GPU.
 */
import type { Kernels } from '../kernels/kernels.js';
import { canReadSync } from '../readback.js';

/** Steps whose reads may be in flight at once on an asynchronous backend. */
export const ASYNC_DEPTH = 2;

/**
 * Steps `fit`/`evaluate` may leave unread on backend `k`: 0 where reads are synchronous or where
 * a per-batch callback needs each batch's loss before the next batch, else {@link ASYNC_DEPTH}.
 */
export function readDepth(k: Kernels, perBatchHooks = false): number {
  return perBatchHooks || canReadSync(k) ? 0 : ASYNC_DEPTH;
}

/** A FIFO of pending reads, each with the function that consumes its value. */
export class ReadQueue<T> {
  private readonly queue: Array<{ read: Promise<T>; use: (value: T) => void }> = [];

  /** @param depth how many reads may stay pending after {@link ReadQueue.push} returns */
  constructor(readonly depth: number) {}

  /** Pending reads. */
  get size(): number {
    return this.queue.length;
  }

  /**
   * Adds a read; then settles the oldest reads (in order) until at most `depth` are pending.
   * Rejects with a read's error or whatever `use` throws (e.g. a non-finite loss).
   */
  async push(read: Promise<T>, use: (value: T) => void): Promise<void> {
    // Marks the promise handled now: if the loop stops before settling it, a failed read must
    // not surface as an unhandled rejection. Its error still reaches whoever awaits it.
    read.catch(() => undefined);
    this.queue.push({ read, use });
    while (this.queue.length > this.depth) await this.settleOldest();
  }

  /** Settles every pending read, in order. */
  async drain(): Promise<void> {
    while (this.queue.length > 0) await this.settleOldest();
  }

  /** Forgets the pending reads (after an error; their values are not needed). */
  clear(): void {
    this.queue.length = 0;
  }

  private async settleOldest(): Promise<void> {
    const e = this.queue.shift()!;
    e.use(await e.read);
  }
}
