import { describe, expect, it } from 'vitest';
import { Arena, ArenaOutOfMemoryError, sizeClass } from '../bindings/arena.js';

const PAGE = 65536;

function mem(pages = 1, maximum?: number): WebAssembly.Memory {
  return new WebAssembly.Memory(maximum === undefined ? { initial: pages } : { initial: pages, maximum });
}

describe('sizeClass', () => {
  it('rounds to 16-byte multiples up to 1 KiB', () => {
    expect(sizeClass(0)).toBe(16);
    expect(sizeClass(1)).toBe(16);
    expect(sizeClass(16)).toBe(16);
    expect(sizeClass(17)).toBe(32);
    expect(sizeClass(1024)).toBe(1024);
  });
  it('uses 8 classes per power of two above 1 KiB (≤ 12.5 % slack)', () => {
    for (const b of [1025, 1500, 4097, 100_000, 3_000_001]) {
      const c = sizeClass(b);
      expect(c).toBeGreaterThanOrEqual(b);
      expect(c % 16).toBe(0);
      expect((c - b) / b).toBeLessThanOrEqual(0.125);
    }
    expect(sizeClass(1025)).toBe(1152);
  });
});

describe('Arena', () => {
  it('returns 16-byte aligned, non-overlapping blocks above the base', () => {
    const a = new Arena(mem(), 1000);
    expect(a.base).toBe(1008);
    const blocks = [3, 16, 100, 7, 1024, 2000].map((n) => ({ ptr: a.alloc(n), n }));
    for (const b of blocks) expect(b.ptr % 16).toBe(0);
    const sorted = [...blocks].sort((x, y) => x.ptr - y.ptr);
    for (let i = 1; i < sorted.length; i++) expect(sorted[i]!.ptr).toBeGreaterThanOrEqual(sorted[i - 1]!.ptr + sorted[i - 1]!.n);
    expect(sorted[0]!.ptr).toBeGreaterThanOrEqual(1008);
  });

  it('reuses a freed block of the same size class', () => {
    const a = new Arena(mem(), 0);
    const p = a.alloc(400);
    a.alloc(64);
    a.release(p);
    expect(a.alloc(390)).toBe(p);
  });

  it('accounts live bytes exactly as requested', () => {
    const a = new Arena(mem(), 0);
    expect(a.liveBytes).toBe(0);
    const p = a.alloc(100);
    const q = a.alloc(4000);
    expect(a.liveBytes).toBe(4100);
    expect(a.liveBlocks).toBe(2);
    expect(a.reservedBytes).toBe(sizeClass(100) + sizeClass(4000));
    a.release(p);
    expect(a.liveBytes).toBe(4000);
    a.release(q);
    expect(a.liveBytes).toBe(0);
    expect(a.liveBlocks).toBe(0);
  });

  it('rejects double frees and unknown pointers', () => {
    const a = new Arena(mem(), 0);
    const p = a.alloc(32);
    a.release(p);
    expect(() => a.release(p)).toThrow(/not a live block/);
    expect(() => a.release(12345)).toThrow(/not a live block/);
  });

  it('rejects negative and fractional sizes', () => {
    const a = new Arena(mem(), 0);
    expect(() => a.alloc(-1)).toThrow(/non-negative integer/);
    expect(() => a.alloc(1.5)).toThrow(/non-negative integer/);
  });

  it('grows memory when needed and keeps existing data', () => {
    const memory = mem(1);
    const a = new Arena(memory, 0);
    const p = a.alloc(1000 * 4);
    a.f32().set(Float32Array.from({ length: 1000 }, (_, i) => i * 0.5), p / 4);
    const before = a.f32();
    const big = a.alloc(5 * PAGE); // forces growth
    expect(a.growCount).toBeGreaterThan(0);
    expect(memory.buffer.byteLength).toBeGreaterThanOrEqual(big + 5 * PAGE);
    const after = a.f32();
    expect(after === before).toBe(false); // the old view is detached: f32() re-derived it
    expect(before.length).toBe(0);
    for (let i = 0; i < 1000; i++) expect(after[p / 4 + i]).toBe(i * 0.5);
  });

  it('coalesces adjacent free blocks instead of growing', () => {
    const memory = mem(4);
    const a = new Arena(memory, 0);
    const blocks = Array.from({ length: 8 }, () => a.alloc(PAGE / 2));
    for (const b of blocks) a.release(b);
    const growBefore = a.growCount;
    // Only a merged run of the freed half-pages can serve this without growing.
    const p = a.alloc(3 * PAGE);
    expect(a.growCount).toBe(growBefore);
    expect(p).toBe(blocks[0]);
  });

  it('throws ArenaOutOfMemoryError with the requested size when memory cannot grow', () => {
    const a = new Arena(mem(1, 2), 0);
    a.alloc(PAGE);
    let err: unknown;
    try {
      a.alloc(10 * PAGE);
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(ArenaOutOfMemoryError);
    expect((err as ArenaOutOfMemoryError).requested).toBeGreaterThanOrEqual(10 * PAGE);
    expect((err as Error).message).toMatch(/out of memory allocating/);
    // the arena is still usable after the failure
    expect(a.liveBytes).toBe(PAGE);
  });

  it('stays flat over many alloc/free cycles of repeating shapes', () => {
    const memory = mem(1);
    const a = new Arena(memory, 0);
    const sizes = [784 * 256 * 4, 256 * 4, 128 * 256 * 4, 128 * 10 * 4, 333];
    let capacityAfterWarmup = 0;
    for (let step = 0; step < 200; step++) {
      const ptrs = sizes.map((s) => a.alloc(s));
      for (const p of ptrs.reverse()) a.release(p);
      if (step === 1) capacityAfterWarmup = a.capacity;
    }
    expect(a.capacity).toBe(capacityAfterWarmup);
    expect(a.liveBytes).toBe(0);
  });
});
