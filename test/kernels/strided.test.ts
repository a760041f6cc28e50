/**
 * stridedCopy (transposes, slices, concat-style writes into a larger buffer, broadcast reads,
 * rank 0–6, zero sizes) and oneHot, on every backend against the JS reference — and the
 * reference itself against independently computed expectations. Data movement is exact: every
 * comparison is bit for bit.
 */
import { expect, it } from 'vitest';
import { describeEachBackend, expectKernelError, expectNoDiffs } from '../helpers/backends.js';
import { Rng } from '../helpers/random.js';

/** Where a strided operand lives inside its buffer. */
interface Layout {
  strides: number[];
  offset: number;
  /** Elements the buffer must hold. */
  size: number;
  label: string;
}

/**
 * A random layout of `shape` inside a larger parent buffer: the parent's axes are stored in a
 * random order (`permute`: a transposed view), each parent axis is up to `pad` longer than the
 * view (a slice, or the gap a concat leaves for its neighbours), and the view starts at a random
 * position inside the parent.
 */
function layout(rng: Rng, shape: readonly number[], permute: boolean, pad: number): Layout {
  const rank = shape.length;
  const order = Array.from({ length: rank }, (_, i) => i);
  if (permute) {
    for (let i = rank - 1; i > 0; i--) {
      const j = rng.int(0, i + 1);
      [order[i], order[j]] = [order[j]!, order[i]!];
    }
  }
  const extent = shape.map((s) => s + (pad > 0 ? rng.int(0, pad + 1) : 0));
  const strides = new Array<number>(rank).fill(0);
  let acc = 1;
  for (let k = rank - 1; k >= 0; k--) {
    const d = order[k]!;
    strides[d] = acc;
    acc *= extent[d]!;
  }
  let offset = 0;
  for (let d = 0; d < rank; d++) offset += rng.int(0, extent[d]! - shape[d]! + 1) * strides[d]!;
  const extra = pad > 0 ? rng.int(0, 4) : 0; // a few unused elements before the view
  return { strides, offset: offset + extra, size: acc + extra, label: `strides [${strides}] offset ${offset + extra}` };
}

/** Independent expectation: walk every index of `shape` with explicit multi-indices. */
function expectedCopy(x: Float32Array, xl: Layout, out: Float32Array, ol: Layout, shape: readonly number[]): Float32Array {
  const res = out.slice();
  const total = shape.reduce((p, s) => p * s, 1);
  for (let flat = 0; flat < total; flat++) {
    let rest = flat;
    let xi = xl.offset;
    let oi = ol.offset;
    for (let d = shape.length - 1; d >= 0; d--) {
      const i = rest % shape[d]!;
      rest = Math.floor(rest / shape[d]!);
      xi += i * xl.strides[d]!;
      oi += i * ol.strides[d]!;
    }
    res[oi] = x[xi]!;
  }
  return res;
}

/** Contiguous row-major strides. */
function contiguous(shape: readonly number[]): number[] {
  const s = new Array<number>(shape.length).fill(1);
  for (let d = shape.length - 2; d >= 0; d--) s[d] = s[d + 1]! * shape[d + 1]!;
  return s;
}

describeEachBackend('stridedCopy', (ctx) => {
  /** Runs one copy on both backends, checks bits against the reference and the reference against the expectation. */
  async function check(shape: number[], xl: Layout, ol: Layout, label: string, rng: Rng): Promise<string | null> {
    const xs = rng.uniformArray(xl.size, -5, 5);
    const init = rng.uniformArray(ol.size, 10, 11); // untouched elements must keep these
    const x = ctx.upload(xs);
    const out = ctx.uploadOut(init);
    ctx.both((k, h) => k.stridedCopy(h(x), xl.offset, xl.strides, h(out), ol.offset, ol.strides, shape));
    const msg = await ctx.diff(out, 'bits', label);
    if (msg) return msg;
    const ref = (await out.ref.read()).subarray(0, ol.size);
    const want = expectedCopy(xs, xl, init, ol, shape);
    for (let i = 0; i < ol.size; i++) {
      if (!Object.is(ref[i], want[i])) return `${label}: reference wrote ${ref[i]} at ${i}, expected ${want[i]}`;
    }
    return null;
  }

  it('2-D transposes of many sizes (incl. the 4×4-blocked path and its tails)', async () => {
    const rng = new Rng(1);
    const diffs: (string | null)[] = [];
    for (const [r, c] of [[1, 1], [1, 7], [7, 1], [2, 3], [4, 4], [5, 9], [8, 8], [17, 33], [33, 70], [64, 64], [100, 37]] as const) {
      // out [c, r] = xᵀ for x [r, c]: iterate over the output, read x with swapped strides
      const xl: Layout = { strides: [1, c], offset: 0, size: r * c, label: '' };
      const ol: Layout = { strides: [r, 1], offset: 0, size: r * c, label: '' };
      diffs.push(await check([c, r], xl, ol, `transpose [${r}, ${c}]`, rng));
    }
    expectNoDiffs(diffs);
  });

  it.each([1, 2, 3, 4, 5, 6])('random permutations, slices and offset writes, rank %i', async (rank) => {
    const rng = new Rng(10 + rank);
    const diffs: (string | null)[] = [];
    const maxDim = rank <= 2 ? 12 : rank <= 4 ? 5 : 3;
    for (let c = 0; c < 30; c++) {
      const shape = Array.from({ length: rank }, () => rng.int(1, maxDim + 1));
      const xl = layout(rng, shape, rng.float() < 0.5, rng.float() < 0.5 ? 2 : 0);
      const ol = layout(rng, shape, rng.float() < 0.3, rng.float() < 0.5 ? 2 : 0);
      diffs.push(await check(shape, xl, ol, `rank ${rank} shape [${shape}] x ${xl.label} out ${ol.label}`, rng));
    }
    expectNoDiffs(diffs);
  });

  it('slice: a sub-box of a contiguous tensor into a contiguous output', async () => {
    const rng = new Rng(20);
    const full = [6, 7, 5];
    const st = contiguous(full);
    const begin = [1, 2, 3];
    const size = [4, 5, 2];
    const xl: Layout = { strides: st, offset: begin.reduce((p, b, d) => p + b * st[d]!, 0), size: 210, label: '' };
    const ol: Layout = { strides: contiguous(size), offset: 0, size: 40, label: '' };
    expectNoDiffs([await check(size, xl, ol, 'slice [6,7,5] from [1,2,3] size [4,5,2]', rng)]);
  });

  it('concat-style writes: two inputs laid side by side along axis 1', async () => {
    const rng = new Rng(21);
    const [rows, c1, c2] = [5, 3, 6];
    const a = ctx.upload(rng.uniformArray(rows * c1));
    const b = ctx.upload(rng.uniformArray(rows * c2));
    const out = ctx.alloc(rows * (c1 + c2));
    ctx.both((k, h) => {
      k.stridedCopy(h(a), 0, [c1, 1], h(out), 0, [c1 + c2, 1], [rows, c1]);
      k.stridedCopy(h(b), 0, [c2, 1], h(out), c1, [c1 + c2, 1], [rows, c2]);
    });
    await ctx.expectClose(out, 'bits', 'concat [5,3] ++ [5,6] along axis 1');
    // and it really is the concatenation
    const got = await out.ref.read();
    const av = await a.ref.read();
    const bv = await b.ref.read();
    for (let r = 0; r < rows; r++) {
      for (let c = 0; c < c1 + c2; c++) {
        expect(got[r * (c1 + c2) + c]).toBe(c < c1 ? av[r * c1 + c] : bv[r * c2 + c - c1]);
      }
    }
  });

  it('long contiguous rows (memcpy path) and broadcast reads (x stride 0)', async () => {
    const rng = new Rng(22);
    const diffs: (string | null)[] = [];
    for (const n of [63, 64, 65, 200, 1000]) {
      const xl: Layout = { strides: [n, 1], offset: 3, size: 3 * n + 3, label: '' };
      const ol: Layout = { strides: [n + 1, 1], offset: 1, size: 3 * (n + 1) + 1, label: '' };
      diffs.push(await check([3, n], xl, ol, `rows of ${n}`, rng));
    }
    for (const [shape, xs] of [[[4, 9], [1, 0]], [[4, 9], [0, 1]], [[3, 2, 17], [0, 17, 0]], [[5], [0]]] as const) {
      const xl: Layout = { strides: [...xs], offset: 1, size: 40, label: '' };
      const ol: Layout = { strides: contiguous(shape), offset: 0, size: shape.reduce((p, s) => p * s, 1), label: '' };
      diffs.push(await check([...shape], xl, ol, `broadcast read shape [${shape}] x strides [${xs}]`, rng));
    }
    expectNoDiffs(diffs);
  });

  it('rank 0 copies one element; zero sizes copy nothing and need no storage', async () => {
    const x = ctx.upload([1.5, 2.5, 3.5]);
    const out = ctx.alloc(2, 0);
    ctx.both((k, h) => k.stridedCopy(h(x), 2, [], h(out), 1, [], []));
    await ctx.expectClose(out, 'bits', 'rank 0');
    expect(Array.from((await out.ref.read()).subarray(0, 2))).toEqual([0, 3.5]);
    const empty = ctx.upload([]);
    const none = ctx.alloc(0);
    for (const shape of [[0], [3, 0], [0, 4, 2], [2, 2, 0, 1, 1, 3]]) {
      ctx.both((k, h) => k.stridedCopy(h(empty), 5, shape.map(() => 7), h(none), 9, contiguous(shape), shape));
      await ctx.expectClose(none, 'bits', `zero size [${shape}]`);
    }
  });

  it('rejects bad arguments with a KernelError naming them', () => {
    const k = ctx.backend;
    const x = k.alloc(12);
    const out = k.alloc(12);
    expectKernelError(() => k.stridedCopy(x, 0, [4, 1], x, 0, [3, 1], [3, 4]), 'stridedCopy', 'out');
    expectKernelError(() => k.stridedCopy(x, 1, [4, 1], out, 0, [4, 1], [3, 4]), 'stridedCopy', 'x');
    expectKernelError(() => k.stridedCopy(x, 0, [4, 1], out, 0, [5, 1], [3, 4]), 'stridedCopy', 'out');
    expectKernelError(() => k.stridedCopy(x, 0, [4, 1], out, 0, [0, 1], [3, 4]), 'stridedCopy', 'outStrides[0]');
    expectKernelError(() => k.stridedCopy(x, 0, [4, -1], out, 0, [4, 1], [3, 4]), 'stridedCopy', 'xStrides[1]');
    expectKernelError(() => k.stridedCopy(x, 0, [4], out, 0, [4, 1], [3, 4]), 'stridedCopy', 'xStrides');
    expectKernelError(() => k.stridedCopy(x, 0, [1, 1, 1, 1, 1, 1, 1], out, 0, [1, 1, 1, 1, 1, 1, 1], [1, 1, 1, 1, 1, 1, 1]), 'stridedCopy', 'shape');
    expectKernelError(() => k.stridedCopy(x, -1, [1], out, 0, [1], [2]), 'stridedCopy', 'xOffset');
    expectKernelError(() => k.stridedCopy(x, 0, [1], out, 0.5, [1], [2]), 'stridedCopy', 'outOffset');
    x.dispose();
    expectKernelError(() => k.stridedCopy(x, 0, [1], out, 0, [1], [2]), 'stridedCopy', 'x');
    out.dispose();
  });
});

describeEachBackend('oneHot', (ctx) => {
  it('encodes class indices, for many shapes', async () => {
    const rng = new Rng(30);
    const diffs: (string | null)[] = [];
    for (const [rows, cols] of [[1, 1], [5, 3], [17, 10], [64, 7], [3, 100]] as const) {
      const labels = rng.intArray(rows, 0, cols);
      const l = ctx.upload(labels);
      const out = ctx.alloc(rows * cols);
      ctx.both((k, h) => k.oneHot(h(l), h(out), rows, cols));
      diffs.push(await ctx.diff(out, 'bits', `oneHot ${rows}×${cols}`, [rows, cols]));
      const got = (await out.ref.read()).subarray(0, rows * cols);
      expect(Array.from(got)).toEqual(Array.from(rng.oneHotRows(labels, cols)));
    }
    expectNoDiffs(diffs);
  });

  it('invalid labels (NaN, negative, ≥ cols, fractional) give zero rows; zero sizes write nothing', async () => {
    const labels = [NaN, -1, 4, 2.5, Infinity, 3, -0];
    const l = ctx.upload(labels);
    const out = ctx.alloc(labels.length * 4);
    ctx.both((k, h) => k.oneHot(h(l), h(out), labels.length, 4));
    await ctx.expectClose(out, 'bits', 'oneHot invalid labels');
    const got = Array.from((await out.test.read()).subarray(0, labels.length * 4));
    expect(got).toEqual([0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 1, 0, 0, 0]);
    const none = ctx.alloc(0);
    ctx.both((k, h) => k.oneHot(h(l), h(none), 3, 0));
    ctx.both((k, h) => k.oneHot(h(l), h(none), 0, 5));
    await ctx.expectClose(none, 'bits', 'oneHot zero size');
  });

  it('rejects bad arguments', () => {
    const k = ctx.backend;
    const l = k.alloc(3);
    const out = k.alloc(6);
    expectKernelError(() => k.oneHot(l, out, 3, 3), 'oneHot', 'out');
    expectKernelError(() => k.oneHot(l, out, 4, 1), 'oneHot', 'labels');
    expectKernelError(() => k.oneHot(out, out, 2, 3), 'oneHot', 'out');
    expectKernelError(() => k.oneHot(l, out, 3, -2), 'oneHot', 'cols');
    l.dispose();
    out.dispose();
  });
});
