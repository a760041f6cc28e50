/**
 * reduce (sum, mean, max, min) and argmax over `[outer, len, inner]`, including len 0, NaN
 * propagation, ±Inf and ties, against the JS reference. max/min/argmax select an input element,
 * so they must match exactly on every backend; sum/mean use the accumulation tolerance.
 */
import { it } from 'vitest';
import { REDUCE_OPS } from '../../src/kernels/kernels.js';
import { accumulateBound, describeEachBackend, expectNoDiffs, type Bound } from '../helpers/backends.js';
import { Rng } from '../helpers/random.js';

const OUTER = [0, 1, 3];
const LEN = [0, 1, 3, 4, 5, 7, 8, 15, 16, 17, 33, 100];
const INNER = [1, 2, 3, 5, 17];
/** A few larger shapes: long rows (per-row reduction) and long columns (per-column reduction). */
const LARGE: readonly [number, number, number][] = [[2, 1023, 1], [1, 1023, 3], [4, 1000, 1], [1, 129, 1023], [64, 784, 1]];

/** Σ|x| along the reduced axis for each output element. */
function absSums(x: Float32Array, outer: number, len: number, inner: number): Float64Array {
  const s = new Float64Array(outer * inner);
  for (let o = 0; o < outer; o++) for (let l = 0; l < len; l++) for (let i = 0; i < inner; i++) s[o * inner + i] += Math.abs(x[(o * len + l) * inner + i]!);
  return s;
}

describeEachBackend('reduce', (ctx) => {
  const A = ctx.tol.accumulate;
  const E = ctx.tol.elementwise;

  const shapes = (): [number, number, number][] => {
    const out: [number, number, number][] = [];
    for (const o of OUTER) for (const l of LEN) for (const i of INNER) out.push([o, l, i]);
    return out.concat(LARGE);
  };

  it.each(REDUCE_OPS)('reduce %s over [outer, len, inner] (len 0 included)', async (op) => {
    const rng = new Rng(500 + REDUCE_OPS.indexOf(op));
    const diffs: (string | null)[] = [];
    for (const [outer, len, inner] of shapes()) {
      for (const data of [rng.uniformArray(outer * len * inner, -1, 1), rng.uniformArray(outer * len * inner, 0, 1e4)]) {
        const x = ctx.upload(data);
        const out = ctx.alloc(outer * inner);
        ctx.both((k, h) => k.reduce(op, h(x), h(out), outer, len, inner));
        let bound: Bound = 'exact';
        if (op === 'sum' || op === 'mean') {
          const s = absSums(data, outer, len, inner);
          const div = op === 'mean' ? Math.max(len, 1) : 1;
          bound = Array.from(s, (v) => accumulateBound(A, len, v / div) + E.rel * (v / div));
        }
        diffs.push(await ctx.diff(out, bound, `reduce ${op} [${outer}, ${len}, ${inner}]`, [outer, inner]));
      }
    }
    expectNoDiffs(diffs);
  });

  it.each(REDUCE_OPS)('reduce %s with NaN and ±Inf (max/min propagate NaN)', async (op) => {
    const rng = new Rng(510 + REDUCE_OPS.indexOf(op));
    const diffs: (string | null)[] = [];
    for (const [outer, len, inner] of [[3, 17, 1], [2, 33, 3], [5, 8, 4], [1, 100, 2]] as const) {
      const data = rng.uniformArray(outer * len * inner, -5, 5);
      // some lines get a NaN, some an Inf, some a −Inf, at positions that hit vector tails
      for (let j = 0; j < outer * inner; j++) {
        const o = Math.floor(j / inner);
        const i = j % inner;
        const l = rng.int(0, len);
        const v = [NaN, Infinity, -Infinity, 1][j % 4]!;
        data[(o * len + l) * inner + i] = v;
        if (v === Infinity && len > 1) data[(o * len + ((l + 1) % len)) * inner + i] = -Infinity; // Inf − Inf = NaN for sum
      }
      const x = ctx.upload(data);
      const out = ctx.alloc(outer * inner);
      ctx.both((k, h) => k.reduce(op, h(x), h(out), outer, len, inner));
      const s = absSums(data.map((v) => (Number.isFinite(v) ? v : 0)), outer, len, inner);
      const bound: Bound = op === 'max' || op === 'min' ? 'exact' : Array.from(s, (v) => accumulateBound(A, len, v) + E.rel * v);
      diffs.push(await ctx.diff(out, bound, `reduce ${op} with specials [${outer}, ${len}, ${inner}]`, [outer, inner]));
    }
    expectNoDiffs(diffs);
  });

  it('argmax: first maximum on ties, NaN counts as maximal, len 0', async () => {
    const rng = new Rng(520);
    const diffs: (string | null)[] = [];
    for (const [outer, len, inner] of shapes()) {
      const n = outer * len * inner;
      for (const variant of ['ties', 'nan', 'inf']) {
        const data = rng.intArray(n, 0, 3); // few distinct values: many ties
        if (variant === 'nan') for (let t = 0; t < n; t++) if (rng.float() < 0.05) data[t] = NaN;
        if (variant === 'inf') for (let t = 0; t < n; t++) data[t] = rng.pick([-Infinity, -Infinity, Infinity, 0]);
        const x = ctx.upload(data);
        const out = ctx.alloc(outer * inner);
        ctx.both((k, h) => k.argmax(h(x), h(out), outer, len, inner));
        diffs.push(await ctx.diff(out, 'exact', `argmax (${variant}) [${outer}, ${len}, ${inner}]`, [outer, inner]));
      }
    }
    expectNoDiffs(diffs);
  });

  it('argmax on a row of all −Inf picks index 0', async () => {
    const x = ctx.upload([-Infinity, -Infinity, -Infinity, 1, -Infinity, -Infinity]);
    const out = ctx.alloc(2);
    ctx.both((k, h) => k.argmax(h(x), h(out), 2, 3, 1));
    await ctx.expectClose(out, 'exact', 'argmax all −Inf');
    const { got } = await ctx.read(out);
    expectNoDiffs([got[0] === 0 && got[1] === 0 ? null : `argmax of [−Inf ×3] and [1, −Inf, −Inf] should be [0, 0], got [${got[0]}, ${got[1]}]`]);
  });
});
