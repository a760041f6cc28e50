/**
 * fill, copy, scale, axpy, binary (every op × every broadcast mode), binaryStrided (NumPy
 * broadcasting, rank 0–6), unary math and clip, on every backend against the JS reference.
 */
import { it } from 'vitest';
import { BINARY_OPS, BROADCASTS, UNARY_MATH, type BinaryOp, type Broadcast, type UnaryMath } from '../../src/kernels/kernels.js';
import { describeEachBackend, expectNoDiffs, type Tol } from '../helpers/backends.js';
import { Rng, SIZES, SMALL_SIZES, SPECIAL_VALUES } from '../helpers/random.js';

const GRID: readonly [number, number][] = [[0, 5], [4, 0], [1, 1], [1, 17], [3, 7], [5, 16], [17, 33], [2, 100]];

/** Elements a broadcast operand holds for a `[rows, cols]` output. */
function operandSize(mode: Broadcast, rows: number, cols: number): number {
  return mode === 'full' ? rows * cols : mode === 'row' ? cols : mode === 'col' ? rows : 1;
}

/** Operand data suited to `op` (pow on a positive base so results stay real). */
function operand(rng: Rng, op: BinaryOp, which: 'a' | 'b', n: number): Float32Array {
  if (op === 'pow') return which === 'a' ? rng.uniformArray(n, 0.1, 3) : rng.uniformArray(n, -3, 3);
  return rng.uniformArray(n, -2, 2);
}

/** Input data inside each unary op's domain, spanning several orders of magnitude. */
function unaryInput(rng: Rng, op: UnaryMath, n: number): Float32Array {
  const a = new Float32Array(n);
  for (let i = 0; i < n; i++) {
    const mag = 10 ** rng.uniform(-3, 3);
    if (op === 'exp') a[i] = rng.uniform(-87, 88);
    else if (op === 'log' || op === 'sqrt' || op === 'rsqrt') a[i] = mag;
    else a[i] = rng.float() < 0.5 ? -mag : mag;
  }
  return a;
}

/** A random NumPy broadcasting problem: output shape and, per operand, its strides. */
interface StridedCase {
  shape: number[];
  aStrides: number[];
  bStrides: number[];
  aSize: number;
  bSize: number;
  label: string;
}

/** Contiguous strides of `dims` with 0 for size-1 axes (they broadcast). */
function stridesOf(dims: readonly number[]): number[] {
  const s = new Array<number>(dims.length).fill(0);
  let acc = 1;
  for (let d = dims.length - 1; d >= 0; d--) {
    s[d] = dims[d] === 1 ? 0 : acc;
    acc *= dims[d]!;
  }
  return s;
}

/**
 * An operand of output `shape`: drops some leading axes (NumPy right-alignment), shrinks some
 * axes to 1, and optionally stores its axes in a permuted (transposed) order.
 */
function stridedOperand(rng: Rng, shape: readonly number[], permute: boolean): { strides: number[]; size: number; dims: string } {
  const rank = shape.length;
  const keep = rng.int(0, rank + 1); // operand rank
  const dims = shape.map((s, d) => (d < rank - keep ? 1 : rng.float() < 0.35 ? 1 : s));
  let strides = stridesOf(dims);
  if (permute && rank >= 2) {
    // lay the axes out in reverse order in memory: a transposed view
    const s = new Array<number>(rank).fill(0);
    let acc = 1;
    for (let d = 0; d < rank; d++) {
      s[d] = dims[d] === 1 ? 0 : acc;
      acc *= dims[d]!;
    }
    strides = s;
  }
  const size = dims.reduce((p, s) => p * s, 1);
  return { strides, size, dims: `[${dims.slice(rank - keep).join(',')}]${permute ? 'ᵀ' : ''}` };
}

function stridedCase(rng: Rng, rank: number, maxDim: number): StridedCase {
  const shape = Array.from({ length: rank }, () => rng.int(1, maxDim + 1));
  const a = stridedOperand(rng, shape, rng.float() < 0.25);
  const b = stridedOperand(rng, shape, rng.float() < 0.25);
  return { shape, aStrides: a.strides, bStrides: b.strides, aSize: a.size, bSize: b.size, label: `[${shape.join(',')}] a${a.dims} b${b.dims}` };
}

describeEachBackend('elementwise', (ctx) => {
  const E: Tol = ctx.tol.elementwise;

  it('fill writes exactly n values (incl. NaN, ±Inf, −0, denormals)', async () => {
    const diffs: (string | null)[] = [];
    for (const n of SIZES) {
      for (const value of [0, -0, -2.5, 1e-45, NaN, Infinity, -Infinity]) {
        const out = ctx.alloc(n, 7);
        ctx.both((k, h) => k.fill(h(out), n, value));
        diffs.push(await ctx.diff(out, 'bits', `fill n=${n} value=${value}`));
      }
    }
    expectNoDiffs(diffs);
  });

  it('copy with offsets, and within one handle (non-overlapping / same range)', async () => {
    const rng = new Rng(11);
    const diffs: (string | null)[] = [];
    for (const n of SIZES) {
      const x = ctx.upload(rng.uniformArray(n + 9));
      for (const [xo, oo] of [[0, 0], [3, 5], [9, 1]] as const) {
        const out = ctx.alloc(n + 6, 0.5);
        ctx.both((k, h) => k.copy(h(x), h(out), n, xo, oo));
        diffs.push(await ctx.diff(out, 'bits', `copy n=${n} xOffset=${xo} outOffset=${oo}`));
      }
      const self = ctx.uploadOut(rng.uniformArray(2 * n + 3));
      ctx.both((k, h) => k.copy(h(self), h(self), n, 0, n + 3)); // disjoint halves of one buffer
      ctx.both((k, h) => k.copy(h(self), h(self), n, 1, 1)); // same range: a no-op
      diffs.push(await ctx.diff(self, 'bits', `copy within one handle n=${n}`));
    }
    expectNoDiffs(diffs);
  });

  it('scale, also in place, with special values', async () => {
    const rng = new Rng(12);
    const diffs: (string | null)[] = [];
    for (const n of SIZES) {
      for (const alpha of [2.5, -0.75, 0, 1]) {
        const data = rng.withSpecials(n, -10, 10);
        const x = ctx.upload(data);
        const out = ctx.alloc(n);
        ctx.both((k, h) => k.scale(h(x), h(out), n, alpha));
        diffs.push(await ctx.diff(out, E, `scale n=${n} alpha=${alpha}`));
        const inPlace = ctx.uploadOut(data);
        ctx.both((k, h) => k.scale(h(inPlace), h(inPlace), n, alpha));
        diffs.push(await ctx.diff(inPlace, E, `scale in place n=${n} alpha=${alpha}`));
      }
    }
    expectNoDiffs(diffs);
  });

  it('axpy: y += alpha·x', async () => {
    const rng = new Rng(13);
    const diffs: (string | null)[] = [];
    for (const n of SIZES) {
      for (const alpha of [0.5, -3, 0]) {
        const xs = rng.uniformArray(n, -2, 2);
        const ys = rng.uniformArray(n, -2, 2);
        const x = ctx.upload(xs);
        const y = ctx.uploadOut(ys);
        ctx.both((k, h) => k.axpy(alpha, h(x), h(y), n));
        // y + αx may cancel: the budget is relative to the terms, not the result
        const bound = Array.from(xs, (xv, i) => E.rel * (Math.abs(ys[i]!) + Math.abs(alpha * xv)) + E.abs);
        diffs.push(await ctx.diff(y, bound, `axpy n=${n} alpha=${alpha}`));
      }
    }
    expectNoDiffs(diffs);
  });

  it.each(BINARY_OPS)('binary %s: every broadcast mode pair and shape', async (op) => {
    const rng = new Rng(14 + BINARY_OPS.indexOf(op));
    const diffs: (string | null)[] = [];
    for (const aMode of BROADCASTS) {
      for (const bMode of BROADCASTS) {
        for (const [rows, cols] of GRID) {
          const a = ctx.upload(operand(rng, op, 'a', operandSize(aMode, rows, cols)));
          const b = ctx.upload(operand(rng, op, 'b', operandSize(bMode, rows, cols)));
          const out = ctx.alloc(rows * cols);
          ctx.both((k, h) => k.binary(op, h(a), aMode, h(b), bMode, h(out), rows, cols));
          diffs.push(await ctx.diff(out, E, `binary ${op} a:${aMode} b:${bMode} ${rows}×${cols}`, [rows, cols]));
        }
      }
    }
    expectNoDiffs(diffs);
  });

  it.each(BINARY_OPS)('binary %s: special values (NaN propagation, ±Inf, ±0)', async (op) => {
    const sp = Float32Array.from(SPECIAL_VALUES);
    const n = sp.length;
    // a varies down the rows, b along the columns: every pair of special values
    const a = ctx.upload(sp);
    const b = ctx.upload(sp);
    const out = ctx.alloc(n * n);
    ctx.both((k, h) => k.binary(op, h(a), 'col', h(b), 'row', h(out), n, n));
    const where = (i: number) => `a = ${sp[Math.floor(i / n)]}, b = ${sp[i % n]}`;
    const diffs = [await ctx.diff(out, E, `binary ${op} a:col b:row over special values`, where)];
    // the same through 'full' operands
    const af = new Float32Array(n * n);
    const bf = new Float32Array(n * n);
    for (let r = 0; r < n; r++) for (let c = 0; c < n; c++) [af[r * n + c], bf[r * n + c]] = [sp[r]!, sp[c]!];
    const fa = ctx.upload(af);
    const fb = ctx.upload(bf);
    const outFull = ctx.alloc(n * n);
    ctx.both((k, h) => k.binary(op, h(fa), 'full', h(fb), 'full', h(outFull), n, n));
    diffs.push(await ctx.diff(outFull, E, `binary ${op} a:full b:full over special values`, where));
    expectNoDiffs(diffs);
  });

  it('binary in place (out === a, out === b, out === a === b) for full operands', async () => {
    const rng = new Rng(21);
    const diffs: (string | null)[] = [];
    for (const op of BINARY_OPS) {
      for (const [rows, cols] of GRID) {
        const n = rows * cols;
        const av = operand(rng, op, 'a', n);
        const bv = operand(rng, op, 'b', n);
        const rowv = operand(rng, op, 'b', cols);
        const a1 = ctx.uploadOut(av);
        const b1 = ctx.upload(rowv);
        ctx.both((k, h) => k.binary(op, h(a1), 'full', h(b1), 'row', h(a1), rows, cols));
        diffs.push(await ctx.diff(a1, E, `binary ${op} out === a ${rows}×${cols}`, [rows, cols]));
        const a2 = ctx.upload(av);
        const b2 = ctx.uploadOut(bv);
        ctx.both((k, h) => k.binary(op, h(a2), 'full', h(b2), 'full', h(b2), rows, cols));
        diffs.push(await ctx.diff(b2, E, `binary ${op} out === b ${rows}×${cols}`, [rows, cols]));
        const a3 = ctx.uploadOut(av);
        ctx.both((k, h) => k.binary(op, h(a3), 'full', h(a3), 'full', h(a3), rows, cols));
        diffs.push(await ctx.diff(a3, E, `binary ${op} out === a === b ${rows}×${cols}`, [rows, cols]));
      }
    }
    expectNoDiffs(diffs);
  });

  it.each([0, 1, 2, 3, 4, 5, 6])('binaryStrided: NumPy broadcasting, rank %i', async (rank) => {
    const rng = new Rng(30 + rank);
    const diffs: (string | null)[] = [];
    const cases = rank === 0 ? 1 : rank <= 4 ? 24 : 6;
    for (let c = 0; c < cases; c++) {
      const op = BINARY_OPS[c % BINARY_OPS.length]!;
      const sc = stridedCase(rng, rank, rank <= 2 ? 9 : rank <= 4 ? 5 : 3);
      const total = sc.shape.reduce((p, s) => p * s, 1);
      const a = ctx.upload(operand(rng, op, 'a', sc.aSize));
      const b = ctx.upload(operand(rng, op, 'b', sc.bSize));
      const out = ctx.alloc(total);
      ctx.both((k, h) => k.binaryStrided(op, h(a), sc.aStrides, h(b), sc.bStrides, h(out), sc.shape));
      diffs.push(await ctx.diff(out, E, `binaryStrided ${op} ${sc.label}`, sc.shape));
    }
    expectNoDiffs(diffs);
  });

  it('binaryStrided: zero-size axes, and in place when the aliased operand is contiguous', async () => {
    const rng = new Rng(40);
    const diffs: (string | null)[] = [];
    for (const shape of [[0], [3, 0, 2], [0, 4], [2, 3, 0]]) {
      const a = ctx.upload([]);
      const b = ctx.upload([1.5]);
      const out = ctx.alloc(0);
      ctx.both((k, h) => k.binaryStrided('add', h(a), shape.map(() => 1), h(b), shape.map(() => 0), h(out), shape));
      diffs.push(await ctx.diff(out, E, `binaryStrided zero-size [${shape}]`));
    }
    for (const op of BINARY_OPS) {
      const shape = [3, 5, 7];
      const av = operand(rng, op, 'a', 105);
      const bv = operand(rng, op, 'b', 5);
      const a = ctx.uploadOut(av);
      const b = ctx.upload(bv);
      ctx.both((k, h) => k.binaryStrided(op, h(a), [35, 7, 1], h(b), [0, 1, 0], h(a), shape));
      diffs.push(await ctx.diff(a, E, `binaryStrided ${op} out === a [3,5,7] + b[1,5,1]`, shape));
      const a2 = ctx.upload(operand(rng, op, 'a', 7));
      const b2 = ctx.uploadOut(operand(rng, op, 'b', 105));
      ctx.both((k, h) => k.binaryStrided(op, h(a2), [0, 0, 1], h(b2), [35, 7, 1], h(b2), shape));
      diffs.push(await ctx.diff(b2, E, `binaryStrided ${op} out === b [7] + [3,5,7]`, shape));
    }
    expectNoDiffs(diffs);
  });

  it.each(UNARY_MATH)('unary %s over sizes with tails, and in place', async (op) => {
    const rng = new Rng(50 + UNARY_MATH.indexOf(op));
    const diffs: (string | null)[] = [];
    for (const n of SIZES) {
      const data = unaryInput(rng, op, n);
      const x = ctx.upload(data);
      const out = ctx.alloc(n);
      ctx.both((k, h) => k.unary(op, h(x), h(out), n));
      diffs.push(await ctx.diff(out, E, `unary ${op} n=${n}`));
      const inPlace = ctx.uploadOut(data);
      ctx.both((k, h) => k.unary(op, h(inPlace), h(inPlace), n));
      diffs.push(await ctx.diff(inPlace, E, `unary ${op} in place n=${n}`));
    }
    expectNoDiffs(diffs);
  });

  it.each(UNARY_MATH)('unary %s: special values', async (op) => {
    const sp = [...SPECIAL_VALUES, 0.5, 2, -0.5, 1e-38, 3e38, 1e-45];
    const diffs: (string | null)[] = [];
    // every special value at every lane position of a 16-wide block
    for (let shift = 0; shift < 4; shift++) {
      const data = Float32Array.from({ length: sp.length + shift }, (_, i) => (i < shift ? 1 : sp[i - shift]!));
      const x = ctx.upload(data);
      const out = ctx.alloc(data.length);
      ctx.both((k, h) => k.unary(op, h(x), h(out), data.length));
      diffs.push(await ctx.diff(out, E, `unary ${op} special values (shifted by ${shift} lanes)`, (i) => `x = ${data[i]}`));
    }
    expectNoDiffs(diffs);
  });

  it('clip: bounds incl. ±Inf and lo === hi; NaN stays NaN; in place', async () => {
    const rng = new Rng(60);
    const diffs: (string | null)[] = [];
    const bounds: readonly [number, number][] = [[-0.5, 0.5], [0, Infinity], [-Infinity, 0], [0.25, 0.25], [-Infinity, Infinity], [-1, 3]];
    for (const n of SMALL_SIZES.concat([100, 1023])) {
      const data = rng.withSpecials(n, -2, 2);
      for (const [lo, hi] of bounds) {
        const x = ctx.upload(data);
        const out = ctx.alloc(n);
        ctx.both((k, h) => k.clip(h(x), h(out), n, lo, hi));
        diffs.push(await ctx.diff(out, 'exact', `clip n=${n} [${lo}, ${hi}]`));
        const inPlace = ctx.uploadOut(data);
        ctx.both((k, h) => k.clip(h(inPlace), h(inPlace), n, lo, hi));
        diffs.push(await ctx.diff(inPlace, 'exact', `clip in place n=${n} [${lo}, ${hi}]`));
      }
    }
    expectNoDiffs(diffs);
  });
});
