/**
 * The arena: JS-side allocator over a wasm module's linear memory. Kernels never allocate; every
 * buffer they see comes from here.
 *
 * - Every block starts on a 16-byte boundary (SIMD loads) and has a size rounded up to a size
 *   class: multiples of 16 bytes up to 1 KiB, then 8 classes per power of two (≤ 12.5 % slack).
 * - Freed blocks go onto a free list per size class; a request of that class reuses one (the
 *   common case in training loops, where the same shapes repeat every step).
 * - When neither a free block of the class nor room above the bump pointer is left, free blocks
 *   are coalesced (adjacent blocks merged, a free run at the top lowers the bump pointer) and
 *   searched first-fit; only then does linear memory grow, by at least half its size so growth
 *   is amortised.
 * - Typed views over `memory.buffer` go stale when memory grows; {@link Arena.f32} re-derives
 *   them on demand, so callers never hold a detached view across an allocation. With the shared
 *   memory of the threaded builds old views do not detach, but they keep the old length (a grown
 *   shared memory hands out a new, longer SharedArrayBuffer), so they are re-derived the same way;
 *   only the calling thread grows memory, between kernel calls, and the workers' instances see the
 *   new size at once.
 */

import { ArgumentError } from '../src/errors.js';

const ALIGN = 16;
const PAGE = 65536;

import { ArenaOutOfMemoryError } from './errors.js';

export { ArenaOutOfMemoryError };

/** Rounds a byte count up to its size class (see the file comment). */
export function sizeClass(bytes: number): number {
  const b = Math.max(ALIGN, Math.ceil(bytes / ALIGN) * ALIGN);
  if (b <= 1024) return b;
  const step = 2 ** (Math.floor(Math.log2(b - 1)) - 3); // 8 classes per power of two
  return Math.ceil(b / step) * step;
}

/** Allocator state over one `WebAssembly.Memory`. */
export class Arena {
  /** Start of the managed region (first byte after the module's static data). */
  readonly base: number;
  private top: number;
  private readonly live = new Map<number, number>(); // ptr → block bytes
  private readonly free = new Map<number, number[]>(); // class bytes → ptrs
  private loose: Array<{ ptr: number; size: number }> = []; // coalesced blocks of any size
  private liveBytesCount = 0;
  private requestedBytesCount = 0;
  private readonly requested = new Map<number, number>(); // ptr → bytes asked for
  private view: Float32Array;
  /** Number of times linear memory has grown (for tests and diagnostics). */
  growCount = 0;

  constructor(
    readonly memory: WebAssembly.Memory,
    base: number,
    /** Upper bound on linear memory in bytes (wasm32: 4 GiB). */
    readonly maxBytes = 4 * 1024 * 1024 * 1024 - PAGE,
  ) {
    this.base = Math.ceil(base / ALIGN) * ALIGN;
    this.top = this.base;
    this.view = new Float32Array(memory.buffer);
  }

  /** A float32 view of the whole memory, re-derived if memory grew since the last call. */
  f32(): Float32Array {
    if (this.view.buffer !== this.memory.buffer) this.view = new Float32Array(this.memory.buffer);
    return this.view;
  }

  /** Bytes held by live blocks, as requested by callers (not rounded to classes). */
  get liveBytes(): number {
    return this.requestedBytesCount;
  }

  /** Bytes held by live blocks including size-class rounding. */
  get reservedBytes(): number {
    return this.liveBytesCount;
  }

  /** Number of live blocks. */
  get liveBlocks(): number {
    return this.live.size;
  }

  /** Current size of linear memory in bytes. */
  get capacity(): number {
    return this.memory.buffer.byteLength;
  }

  /** A 16-byte aligned block of at least `bytes` bytes; its contents are unspecified. */
  alloc(bytes: number): number {
    if (!Number.isSafeInteger(bytes) || bytes < 0) throw new ArgumentError(`wasm arena: alloc expects a non-negative integer byte count, given ${bytes}`);
    const size = sizeClass(bytes);
    let ptr = this.free.get(size)?.pop();
    if (ptr === undefined) ptr = this.takeLoose(size);
    if (ptr === undefined) ptr = this.bump(size);
    if (ptr === undefined) {
      this.coalesce();
      ptr = this.takeLoose(size) ?? this.bump(size);
    }
    if (ptr === undefined) {
      this.grow(this.top + size, bytes);
      ptr = this.bump(size)!;
    }
    this.live.set(ptr, size);
    this.requested.set(ptr, bytes);
    this.liveBytesCount += size;
    this.requestedBytesCount += bytes;
    return ptr;
  }

  /** Returns a block to the arena. Throws on a pointer that is not a live block (double free). */
  release(ptr: number): void {
    const size = this.live.get(ptr);
    if (size === undefined) throw new Error(`wasm arena: release of ${ptr}, which is not a live block (double free?)`);
    this.live.delete(ptr);
    this.liveBytesCount -= size;
    this.requestedBytesCount -= this.requested.get(ptr)!;
    this.requested.delete(ptr);
    let list = this.free.get(size);
    if (!list) this.free.set(size, (list = []));
    list.push(ptr);
  }

  /** Size in bytes of the live block at `ptr` (after class rounding), or undefined. */
  blockSize(ptr: number): number | undefined {
    return this.live.get(ptr);
  }

  /** Forgets every block (all pointers become invalid); memory is kept for reuse. */
  reset(): void {
    this.live.clear();
    this.requested.clear();
    this.free.clear();
    this.loose = [];
    this.top = this.base;
    this.liveBytesCount = 0;
    this.requestedBytesCount = 0;
  }

  private bump(size: number): number | undefined {
    if (this.top + size > this.capacity) return undefined;
    const ptr = this.top;
    this.top += size;
    return ptr;
  }

  private takeLoose(size: number): number | undefined {
    for (let i = 0; i < this.loose.length; i++) {
      const blk = this.loose[i]!;
      if (blk.size < size) continue;
      const ptr = blk.ptr;
      if (blk.size === size) this.loose.splice(i, 1);
      else {
        blk.ptr += size;
        blk.size -= size;
      }
      return ptr;
    }
    return undefined;
  }

  /** Merges all free blocks by address; a free run ending at the bump pointer lowers it. */
  private coalesce(): void {
    const blocks: Array<{ ptr: number; size: number }> = this.loose.slice();
    for (const [size, ptrs] of this.free) for (const ptr of ptrs) blocks.push({ ptr, size });
    this.free.clear();
    blocks.sort((a, b) => a.ptr - b.ptr);
    const merged: Array<{ ptr: number; size: number }> = [];
    for (const b of blocks) {
      const last = merged[merged.length - 1];
      if (last && last.ptr + last.size === b.ptr) last.size += b.size;
      else merged.push({ ptr: b.ptr, size: b.size });
    }
    const last = merged[merged.length - 1];
    if (last && last.ptr + last.size === this.top) {
      this.top = last.ptr;
      merged.pop();
    }
    this.loose = merged;
  }

  /** Grows memory to hold `needTop` bytes; `asked` is the caller's request (for the error). */
  private grow(needTop: number, asked: number): void {
    const cur = this.capacity;
    if (needTop > this.maxBytes) throw new ArenaOutOfMemoryError(asked, cur, undefined, this.maxBytes);
    const want = Math.min(this.maxBytes, Math.max(needTop, cur + Math.floor(cur / 2)));
    const pages = Math.ceil((want - cur) / PAGE);
    // The JS API throws a RangeError where the wasm instruction returns -1; both count as refusal.
    const tryGrow = (n: number): unknown => {
      try {
        return (this.memory.grow(n) as number) < 0 ? new RangeError('memory.grow returned -1') : undefined;
      } catch (e) {
        return e;
      }
    };
    const first = tryGrow(pages);
    if (first !== undefined) {
      // A large amortised step may fail where the exact need still fits.
      if (tryGrow(Math.ceil((needTop - cur) / PAGE)) !== undefined) throw new ArenaOutOfMemoryError(asked, cur, first, this.maxBytes);
    }
    this.growCount++;
  }
}
