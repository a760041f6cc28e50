/**
 * `Kernels.allocUninitialized`: the allocation without a zero fill that op outputs use when
 * their kernel overwrites them whole. The suite runs with NaN poisoning on (test/setup.ts), so
 * an output element a kernel leaves unwritten reads as NaN in whichever test touches it.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as ax from '../src/index.js';
import { setUninitializedPoison, uninitializedPoison } from '../src/kernels/poison.js';
import { DEFAULT_MEMORY_BYTES, setMemoryLimit } from '../src/limits.js';

describe('poisoning in the test suite', () => {
  it('is on (test/setup.ts)', () => {
    expect(uninitializedPoison()).toBe(true);
  });
});

for (const backend of ['js', 'wasm'] as const) describe(`allocUninitialized [${backend}]`, () => {
  beforeAll(async () => {
    await ax.init({ backend, threads: 1 });
  });

  it('gives NaN under poisoning, nothing in particular otherwise; alloc still zero-fills', async () => {
    const k = ax.getBackend();
    const s = k.allocUninitialized!(6);
    expect(Array.from(await s.read()).every(Number.isNaN)).toBe(true);
    s.dispose();
    setUninitializedPoison(false);
    try {
      const u = k.allocUninitialized!(5);
      expect(u.size).toBe(5);
      u.dispose();
    } finally {
      setUninitializedPoison(true);
    }
    const z = k.alloc(6);
    expect(Array.from(await z.read())).toEqual([0, 0, 0, 0, 0, 0]);
    z.dispose();
    const empty = k.allocUninitialized!(0);
    expect(empty.size).toBe(0);
    empty.dispose();
  });

  it('ops built on it return fully written outputs', async () => {
    // the ops whose outputs skip the zero fill: matmul/dense (gemm), activations and their
    // derivatives, transpose/layout copies, conv2d (forward and backward) and pooling
    const x = ax.variable(ax.randn([2, 3, 6, 6], { seed: 1 }));
    const w = ax.variable(ax.randn([4, 3, 3, 3], { seed: 2 }));
    const loss = ax.tidy(() => {
      const y = ax.conv2d(x, w, null, { padding: 1, activation: 'relu' });
      const p = ax.maxPool2d(y, 2);
      const a = ax.avgPool2d(p, 3, { stride: 1, padding: 1, countIncludePad: false });
      const flat = ax.transpose(ax.reshape(a, [2, 36]));
      const l = ax.mean(ax.square(ax.tanh(ax.matmul(flat, ax.ones([2, 5])))));
      l.backward();
      return l;
    });
    for (const t of [loss, x.grad!, w.grad!]) expect((await t.data()).some(Number.isNaN), 'NaN in a result').toBe(false);
    expect((await w.grad!.data()).some((v) => v !== 0)).toBe(true);
    for (const t of [loss, x.grad!, w.grad!, x, w]) t.dispose();
  });
});

describe('the memory cap covers uninitialised allocations', () => {
  beforeAll(async () => {
    await ax.init({ backend: 'wasm', threads: 1 });
  });
  afterAll(() => {
    setMemoryLimit(DEFAULT_MEMORY_BYTES);
  });
  it('a 2 048-float matmul output over 4 KiB of headroom is OUT_OF_MEMORY before allocating', () => {
    const a = ax.ones([1, 1]);
    const b = ax.ones([1, 2048]);
    setMemoryLimit(ax.memory().numBytes + 4096);
    const before = ax.memory().numTensors;
    expect(() => ax.matmul(a, b)).toThrow(expect.objectContaining({ code: 'OUT_OF_MEMORY', message: expect.stringMatching(/allocUninitialized: cannot allocate 8192 bytes/) }));
    expect(ax.memory().numTensors).toBe(before);
    setMemoryLimit(DEFAULT_MEMORY_BYTES);
    ax.matmul(a, b).dispose();
    for (const t of [a, b]) t.dispose();
  });
});
