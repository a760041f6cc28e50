/**
 * Convolution and pooling kernels (NCHW) on every backend:
 * - im2col equals its definition exactly, and im2col + gemm equals a direct (naive, float64)
 *   convolution computed here, over odd sizes, strides, dilations, symmetric, asymmetric and
 *   oversized padding;
 * - col2im is the exact adjoint of im2col: ⟨im2col(x), c⟩ = ⟨x, col2im(c)⟩;
 * - a whole convolution forward and backward (im2col + gemm + col2im, db by a column sum), max
 *   pooling (values, argmax, input gradient) and average pooling (count_include_pad both ways)
 *   against PyTorch (test/golden/conv.json, made by test/golden/conv_generate.py);
 * - NaN / −Inf / all-padding windows, empty batches, larger cases against the JS reference;
 * - bad geometry (an out smaller than the input's windows, coordinates beyond i32, zero kernel /
 *   stride / dilation), sizes and aliasing throw a KernelError naming kernel and argument;
 * - the threaded wasm build gives the single-thread bits whatever the cut.
 *
 * Tolerances: copies (im2col, max pooling values and indices) are exact everywhere. Sums are
 * bounded per element by `accumulateBound(tol, k, Σ|terms|) + 2^−23·Σ|terms|` (the second term
 * is the float32 rounding of a float64-exact result, the js backend's own error against a
 * golden), with Σ|terms| obtained by running the same kernels on |inputs| on the reference.
 */
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { detectFeatures, threadSupport } from '../../bindings/features.js';
import { WasmBackend } from '../../src/backends/wasm/index.js';
import type { Conv2dGeometry, Kernels, Storage } from '../../src/kernels/kernels.js';
import { accumulateBound, describeEachBackend, diffArrays, expectKernelError, expectNoDiffs, type BackendContext, type Tolerances } from '../helpers/backends.js';
import { Rng } from '../helpers/random.js';

// ---- fixtures ----------------------------------------------------------------------------

type Num = number | 'NaN' | 'Infinity' | '-Infinity';
const num = (v: Num): number => (typeof v === 'number' ? v : Number(v));
const arr = (v: readonly Num[]): Float32Array => Float32Array.from(v, num);

interface ConvCase { name: string; g: Conv2dGeometry; outChannels: number; x: Num[]; w: Num[]; b: Num[]; y: Num[]; dy: Num[]; dx: Num[]; dw: Num[]; db: Num[] }
interface MaxCase { name: string; g: Conv2dGeometry; x: Num[]; y: Num[]; argmax: Num[]; dy: Num[]; dx: Num[] }
interface AvgCase { name: string; g: Conv2dGeometry; countIncludePad: boolean; x: Num[]; y: Num[]; dy: Num[]; dx: Num[] }
const golden = JSON.parse(readFileSync(new URL('../golden/conv.json', import.meta.url), 'utf8')) as { conv: ConvCase[]; maxPool: MaxCase[]; avgPool: AvgCase[] };

/** Geometry from sizes and per-axis [before, after] padding (torch's output-size formula). */
function geom(
  batch: number, channels: number, height: number, width: number,
  o: { k: [number, number]; s?: [number, number]; pad?: [number, number, number, number]; d?: [number, number] },
): Conv2dGeometry {
  const [kernelH, kernelW] = o.k;
  const [strideH, strideW] = o.s ?? [1, 1];
  const [padTop, padBottom, padLeft, padRight] = o.pad ?? [0, 0, 0, 0];
  const [dilationH, dilationW] = o.d ?? [1, 1];
  const outH = Math.floor((height + padTop + padBottom - dilationH * (kernelH - 1) - 1) / strideH) + 1;
  const outW = Math.floor((width + padLeft + padRight - dilationW * (kernelW - 1) - 1) / strideW) + 1;
  return { batch, channels, height, width, kernelH, kernelW, strideH, strideW, padTop, padLeft, dilationH, dilationW, outH, outW };
}

const inputSize = (g: Conv2dGeometry) => g.batch * g.channels * g.height * g.width;
const outputSize = (g: Conv2dGeometry) => g.batch * g.channels * g.outH * g.outW;
const colsK = (g: Conv2dGeometry) => g.channels * g.kernelH * g.kernelW;
const colsRows = (g: Conv2dGeometry) => g.batch * g.outH * g.outW;

/** Random geometries: odd sizes, strides, dilations, symmetric / asymmetric / oversized padding, empty batch. */
const GEOMETRIES: readonly Conv2dGeometry[] = [
  geom(2, 3, 7, 6, { k: [3, 3], pad: [1, 1, 1, 1] }),
  geom(1, 2, 9, 8, { k: [3, 2], s: [2, 2], pad: [1, 1, 0, 0] }),
  geom(2, 3, 11, 10, { k: [3, 3], s: [2, 3], pad: [2, 2, 2, 2], d: [2, 2] }),
  geom(3, 1, 12, 12, { k: [5, 5], pad: [2, 2, 2, 2] }),
  geom(2, 2, 6, 7, { k: [4, 4], pad: [1, 2, 1, 2] }), // 'same' with an even kernel: more padding after
  geom(2, 4, 5, 5, { k: [1, 1], s: [2, 2] }),
  geom(1, 2, 3, 2, { k: [5, 5], pad: [2, 2, 2, 2] }), // kernel larger than the image
  geom(2, 2, 2, 3, { k: [1, 2], pad: [2, 2, 1, 1] }), // padding beyond the kernel: all-padding windows
  geom(3, 2, 8, 9, { k: [2, 3], s: [1, 2], d: [2, 1] }),
  geom(2, 5, 13, 17, { k: [3, 7], s: [1, 1], pad: [1, 1, 3, 3] }), // kW = 7: vector runs plus an overlapping tail
  geom(1, 3, 10, 12, { k: [2, 2], s: [2, 2], pad: [0, 1, 0, 1] }), // ceil-mode-like implied padding after
  geom(2, 2, 4, 5, { k: [3, 3], pad: [0, 5, 1, 0] }), // explicit padding after far beyond the kernel
  geom(0, 3, 5, 5, { k: [3, 3], pad: [1, 1, 1, 1] }), // empty batch
];

/** `cols` from the definition in the contract. */
function im2colDefinition(x: Float32Array, g: Conv2dGeometry): Float32Array {
  const K = colsK(g);
  const cols = new Float32Array(colsRows(g) * K);
  for (let n = 0; n < g.batch; n++) {
    for (let oh = 0; oh < g.outH; oh++) {
      for (let ow = 0; ow < g.outW; ow++) {
        for (let c = 0; c < g.channels; c++) {
          for (let ki = 0; ki < g.kernelH; ki++) {
            for (let kj = 0; kj < g.kernelW; kj++) {
              const ih = oh * g.strideH - g.padTop + ki * g.dilationH;
              const iw = ow * g.strideW - g.padLeft + kj * g.dilationW;
              const inImage = ih >= 0 && ih < g.height && iw >= 0 && iw < g.width;
              cols[((n * g.outH + oh) * g.outW + ow) * K + (c * g.kernelH + ki) * g.kernelW + kj] = inImage ? x[((n * g.channels + c) * g.height + ih) * g.width + iw]! : 0;
            }
          }
        }
      }
    }
  }
  return cols;
}

/**
 * Direct convolution in float64, written independently of im2col: y `[batch, outC, outH, outW]`
 * and, alongside, Σ|terms| per output (for the error bound).
 */
function directConv(x: Float32Array, w: Float32Array, b: Float32Array, g: Conv2dGeometry, outC: number): { y: Float64Array; sumAbs: Float64Array } {
  const y = new Float64Array(g.batch * outC * g.outH * g.outW);
  const sumAbs = new Float64Array(y.length);
  for (let n = 0; n < g.batch; n++) {
    for (let o = 0; o < outC; o++) {
      for (let oh = 0; oh < g.outH; oh++) {
        for (let ow = 0; ow < g.outW; ow++) {
          let s = b[o]!;
          let a = Math.abs(b[o]!);
          for (let c = 0; c < g.channels; c++) {
            for (let ki = 0; ki < g.kernelH; ki++) {
              const ih = oh * g.strideH - g.padTop + ki * g.dilationH;
              if (ih < 0 || ih >= g.height) continue;
              for (let kj = 0; kj < g.kernelW; kj++) {
                const iw = ow * g.strideW - g.padLeft + kj * g.dilationW;
                if (iw < 0 || iw >= g.width) continue;
                const t = x[((n * g.channels + c) * g.height + ih) * g.width + iw]! * w[((o * g.channels + c) * g.kernelH + ki) * g.kernelW + kj]!;
                s += t;
                a += Math.abs(t);
              }
            }
          }
          const i = ((n * outC + o) * g.outH + oh) * g.outW + ow;
          y[i] = s;
          sumAbs[i] = a;
        }
      }
    }
  }
  return { y, sumAbs };
}

/** `[batch, outC, outH, outW]` (NCHW) → GEMM rows `[(n, oh, ow), outC]`, or back with `toNchw`. */
function permute(a: ArrayLike<number>, g: Conv2dGeometry, outC: number, toNchw: boolean): Float32Array {
  const out = new Float32Array(a.length);
  const plane = g.outH * g.outW;
  for (let n = 0; n < g.batch; n++) {
    for (let o = 0; o < outC; o++) {
      for (let s = 0; s < plane; s++) {
        const nchw = (n * outC + o) * plane + s;
        const rows = (n * plane + s) * outC + o;
        if (toNchw) out[nchw] = a[rows]!;
        else out[rows] = a[nchw]!;
      }
    }
  }
  return out;
}

const abs = (a: Float32Array): Float32Array => a.map(Math.abs);

/** Per-element bound for a sum of `k` terms with Σ|terms| = `sumAbs` (see the file comment). */
function sumBounds(tol: Tolerances, k: number, sumAbs: ArrayLike<number>): Float64Array {
  return Float64Array.from(sumAbs as ArrayLike<number>, (s) => accumulateBound(tol.accumulate, k, s) + 2 ** -23 * s);
}

/** Runs `fn` on `k` with fresh handles for `inputs` and zero-filled `outputs` (sizes), returns the outputs and frees everything. */
async function run(k: Kernels, inputs: Float32Array[], outputs: number[], fn: (h: Storage[]) => void): Promise<Float32Array[]> {
  const h = [...inputs.map((d) => k.upload(d)), ...outputs.map((n) => k.alloc(n))];
  try {
    fn(h);
    return await Promise.all(h.slice(inputs.length).map((s) => s.read()));
  } finally {
    for (const s of h) s.dispose();
  }
}

/**
 * A convolution forward and backward through the kernels: cols = im2col(x), yRows = cols·Wᵀ + b,
 * dcols = dyRows·W, dx = col2im(dcols), dw = dyRowsᵀ·cols, db = Σ_rows dyRows.
 */
async function convPipeline(k: Kernels, x: Float32Array, w: Float32Array, b: Float32Array, dyRows: Float32Array, g: Conv2dGeometry, outC: number) {
  const rows = colsRows(g), K = colsK(g);
  const [yRows, , dx, dw, db] = (await run(k, [x, w, b, dyRows], [rows * K, rows * outC, rows * K, inputSize(g), outC * K, outC], (h) => {
    const [X, Wt, B, DY, cols, Y, dcols, DX, DW, DB] = h as [Storage, Storage, Storage, Storage, Storage, Storage, Storage, Storage, Storage, Storage];
    k.im2col(X, cols, g);
    k.gemm({ a: cols, b: Wt, c: Y, m: rows, n: outC, k: K, transB: true, bias: B });
    k.gemm({ a: DY, b: Wt, c: dcols, m: rows, n: K, k: outC });
    k.col2im(dcols, DX, g);
    k.gemm({ a: DY, b: cols, c: DW, m: outC, n: K, k: rows, transA: true });
    k.reduce('sum', DY, DB, 1, rows, outC);
  })).slice(1);
  return { yRows: yRows!, dx: dx!, dw: dw!, db: db! };
}

// ---- the suite ---------------------------------------------------------------------------

describeEachBackend('conv', (ctx: BackendContext) => {
  it('im2col equals its definition exactly (padding, stride, dilation, odd and empty shapes)', async () => {
    const rng = new Rng(801);
    const diffs: (string | null)[] = [];
    for (const g of GEOMETRIES) {
      const xData = rng.normalArray(inputSize(g));
      const x = ctx.upload(xData);
      const cols = ctx.alloc(colsRows(g) * colsK(g));
      ctx.both((k, h) => k.im2col(h(x), h(cols), g));
      diffs.push(await ctx.diff(cols, 'exact', `im2col ${JSON.stringify(g)}`, [colsRows(g), colsK(g)]));
      const got = (await cols.test.read()).subarray(0, cols.n);
      diffs.push(diffArrays(got, im2colDefinition(xData, g), 'exact', `im2col [${ctx.name}] vs definition ${JSON.stringify(g)}`));
    }
    expectNoDiffs(diffs);
  });

  it('im2col + gemm (fused bias) equals a direct convolution', async () => {
    const rng = new Rng(802);
    const diffs: (string | null)[] = [];
    for (const g of GEOMETRIES) {
      const outC = 1 + ((g.height + g.width) % 4);
      const x = rng.normalArray(inputSize(g)), w = rng.normalArray(outC * colsK(g)), b = rng.normalArray(outC);
      const rows = colsRows(g), K = colsK(g);
      const [, yRows] = await run(ctx.backend, [x, w, b], [rows * K, rows * outC], ([X, Wt, B, cols, Y]) => {
        ctx.backend.im2col(X!, cols!, g);
        ctx.backend.gemm({ a: cols!, b: Wt!, c: Y!, m: rows, n: outC, k: K, transB: true, bias: B });
      });
      const { y, sumAbs } = directConv(x, w, b, g, outC);
      const bound = sumBounds(ctx.tol, K + 1, sumAbs);
      diffs.push(diffArrays(permute(yRows!, g, outC, true), Float32Array.from(y), bound, `conv [${ctx.name}] ${JSON.stringify(g)} → ${outC}`, y.length, [g.batch, outC, g.outH, g.outW]));
    }
    expectNoDiffs(diffs);
  });

  it('col2im is the adjoint of im2col (⟨im2col(x), c⟩ = ⟨x, col2im(c)⟩) and matches the reference', async () => {
    const rng = new Rng(803);
    const diffs: (string | null)[] = [];
    for (const g of GEOMETRIES) {
      const nCols = colsRows(g) * colsK(g);
      const xData = rng.normalArray(inputSize(g)), cData = rng.normalArray(nCols);
      const x = ctx.upload(xData), c = ctx.upload(cData);
      const cols = ctx.alloc(nCols), dx = ctx.alloc(inputSize(g));
      ctx.both((k, h) => {
        k.im2col(h(x), h(cols), g);
        k.col2im(h(c), h(dx), g);
      });
      const [sumAbs] = await run(ctx.ref, [abs(cData)], [inputSize(g)], ([C, DX]) => ctx.ref.col2im(C!, DX!, g));
      const bound = sumBounds(ctx.tol, g.kernelH * g.kernelW, sumAbs!);
      diffs.push(await ctx.diff(dx, bound, `col2im ${JSON.stringify(g)}`, [g.batch, g.channels, g.height, g.width]));
      const colsGot = (await cols.test.read()).subarray(0, nCols);
      const dxGot = (await dx.test.read()).subarray(0, inputSize(g));
      let lhs = 0, rhs = 0, scale = 0, err = 0;
      for (let i = 0; i < nCols; i++) {
        lhs += colsGot[i]! * cData[i]!;
        scale += Math.abs(colsGot[i]! * cData[i]!);
      }
      for (let i = 0; i < xData.length; i++) {
        rhs += xData[i]! * dxGot[i]!;
        err += Math.abs(xData[i]!) * bound[i]!;
      }
      if (!(Math.abs(lhs - rhs) <= err + 1e-12 * scale)) diffs.push(`adjoint [${ctx.name}] ${JSON.stringify(g)}: ⟨im2col(x), c⟩ = ${lhs}, ⟨x, col2im(c)⟩ = ${rhs}, allowed ${err}`);
    }
    expectNoDiffs(diffs);
  });

  it('convolution forward and backward (im2col + gemm + col2im) match PyTorch', async () => {
    const diffs: (string | null)[] = [];
    for (const c of golden.conv) {
      const { g, outChannels: outC } = c;
      const x = arr(c.x), w = arr(c.w), b = arr(c.b), dyRows = permute(arr(c.dy), g, outC, false);
      const got = await convPipeline(ctx.backend, x, w, b, dyRows, g, outC);
      const sums = await convPipeline(ctx.ref, abs(x), abs(w), abs(b), abs(dyRows), g, outC);
      const K = colsK(g), rows = colsRows(g);
      const shapeY = [g.batch, outC, g.outH, g.outW];
      diffs.push(diffArrays(permute(got.yRows, g, outC, true), arr(c.y), sumBounds(ctx.tol, K + 1, permute(sums.yRows, g, outC, true)), `${c.name}: y [${ctx.name}]`, undefined, shapeY));
      // dx sums (outC terms per dcols entry) over up to kH·kW entries: two roundings deep.
      const dxBound = sumBounds(ctx.tol, outC * g.kernelH * g.kernelW, sums.dx).map((v) => 2 * v);
      diffs.push(diffArrays(got.dx, arr(c.dx), dxBound, `${c.name}: dx [${ctx.name}]`, undefined, [g.batch, g.channels, g.height, g.width]));
      diffs.push(diffArrays(got.dw, arr(c.dw), sumBounds(ctx.tol, rows, sums.dw), `${c.name}: dw [${ctx.name}]`, undefined, [outC, g.channels, g.kernelH, g.kernelW]));
      diffs.push(diffArrays(got.db, arr(c.db), sumBounds(ctx.tol, rows, sums.db), `${c.name}: db [${ctx.name}]`));
    }
    expectNoDiffs(diffs);
  });

  it('max pooling forward (values and argmax) and backward match PyTorch, ties keep the first maximum', async () => {
    const diffs: (string | null)[] = [];
    for (const c of golden.maxPool) {
      const { g } = c;
      const [y, argmax] = await run(ctx.backend, [arr(c.x)], [outputSize(g), outputSize(g)], ([X, Y, A]) => ctx.backend.maxPool2d(X!, Y!, A!, g));
      const [dx] = await run(ctx.backend, [arr(c.dy), arr(c.argmax)], [inputSize(g)], ([DY, A, DX]) => ctx.backend.maxPool2dBackward(DY!, A!, DX!, g));
      const [sumAbs] = await run(ctx.ref, [abs(arr(c.dy)), arr(c.argmax)], [inputSize(g)], ([DY, A, DX]) => ctx.ref.maxPool2dBackward(DY!, A!, DX!, g));
      const shapeOut = [g.batch, g.channels, g.outH, g.outW];
      diffs.push(diffArrays(y!, arr(c.y), 'exact', `${c.name}: y [${ctx.name}]`, undefined, shapeOut));
      diffs.push(diffArrays(argmax!, arr(c.argmax), 'exact', `${c.name}: argmax [${ctx.name}]`, undefined, shapeOut));
      diffs.push(diffArrays(dx!, arr(c.dx), sumBounds(ctx.tol, g.kernelH * g.kernelW, sumAbs!), `${c.name}: dx [${ctx.name}]`, undefined, [g.batch, g.channels, g.height, g.width]));
    }
    expectNoDiffs(diffs);
  });

  it('average pooling forward and backward match PyTorch (count_include_pad both ways)', async () => {
    const diffs: (string | null)[] = [];
    for (const c of golden.avgPool) {
      const { g, countIncludePad: cip } = c;
      const k = g.kernelH * g.kernelW;
      const [y] = await run(ctx.backend, [arr(c.x)], [outputSize(g)], ([X, Y]) => ctx.backend.avgPool2d(X!, Y!, g, cip));
      const [dx] = await run(ctx.backend, [arr(c.dy)], [inputSize(g)], ([DY, DX]) => ctx.backend.avgPool2dBackward(DY!, DX!, g, cip));
      const [yAbs] = await run(ctx.ref, [abs(arr(c.x))], [outputSize(g)], ([X, Y]) => ctx.ref.avgPool2d(X!, Y!, g, cip));
      const [dxAbs] = await run(ctx.ref, [abs(arr(c.dy))], [inputSize(g)], ([DY, DX]) => ctx.ref.avgPool2dBackward(DY!, DX!, g, cip));
      diffs.push(diffArrays(y!, arr(c.y), sumBounds(ctx.tol, k, yAbs!), `${c.name}: y [${ctx.name}]`, undefined, [g.batch, g.channels, g.outH, g.outW]));
      diffs.push(diffArrays(dx!, arr(c.dx), sumBounds(ctx.tol, k, dxAbs!), `${c.name}: dx [${ctx.name}]`, undefined, [g.batch, g.channels, g.height, g.width]));
    }
    expectNoDiffs(diffs);
  });

  it('max pooling: NaN counts as maximal (first NaN wins), all −Inf windows, all-padding windows give −Inf / −1', async () => {
    // One 2×3 plane, one window covering all of it.
    const g1 = geom(1, 1, 2, 3, { k: [2, 3] });
    const [y1, a1] = await run(ctx.backend, [Float32Array.from([1, NaN, 3, NaN, 5, -Infinity])], [1, 1], ([X, Y, A]) => ctx.backend.maxPool2d(X!, Y!, A!, g1));
    expect(Number.isNaN(y1![0]!) && a1![0] === 1, `NaN window: got ${y1![0]} at ${a1![0]}`).toBe(true);
    const [y2, a2] = await run(ctx.backend, [new Float32Array(6).fill(-Infinity)], [1, 1], ([X, Y, A]) => ctx.backend.maxPool2d(X!, Y!, A!, g1));
    expect([y2![0], a2![0]]).toEqual([-Infinity, 0]);
    // A 1×1 image padded by 1 with a 1×1 window: only the centre window sees the image.
    const g3 = geom(2, 1, 1, 1, { k: [1, 1], pad: [1, 1, 1, 1] });
    const x3 = ctx.upload([4, -7]);
    const y3 = ctx.alloc(18), a3 = ctx.alloc(18), dx3 = ctx.alloc(2), dy3 = ctx.upload(Array.from({ length: 18 }, (_, i) => i + 1));
    const avg3 = ctx.alloc(18), davg3 = ctx.alloc(2);
    ctx.both((k, h) => {
      k.maxPool2d(h(x3), h(y3), h(a3), g3);
      k.maxPool2dBackward(h(dy3), h(a3), h(dx3), g3);
      k.avgPool2d(h(x3), h(avg3), g3, false);
      k.avgPool2dBackward(h(dy3), h(davg3), g3, false);
    });
    const want = (c: number) => [-Infinity, -Infinity, -Infinity, -Infinity, c, -Infinity, -Infinity, -Infinity, -Infinity];
    expect(Array.from((await y3.test.read()).subarray(0, 18))).toEqual([...want(4), ...want(-7)]);
    expect(Array.from((await a3.test.read()).subarray(0, 18))).toEqual([...want(0), ...want(0)].map((v) => (v === 0 ? 0 : -1)));
    expect(Array.from((await dx3.test.read()).subarray(0, 2))).toEqual([5, 14]);
    // Average pooling without the padding: an all-padding window is 0 (no positions to average).
    const zeros = (c: number) => [0, 0, 0, 0, c, 0, 0, 0, 0];
    expect(Array.from((await avg3.test.read()).subarray(0, 18))).toEqual([...zeros(4), ...zeros(-7)]);
    expect(Array.from((await davg3.test.read()).subarray(0, 2))).toEqual([5, 14]);
    expectNoDiffs([
      await ctx.diff(y3, 'exact', 'maxPool2d all-padding'),
      await ctx.diff(a3, 'exact', 'maxPool2d argmax all-padding'),
      await ctx.diff(dx3, 'exact', 'maxPool2dBackward all-padding'),
      await ctx.diff(avg3, 'exact', 'avgPool2d all-padding'),
      await ctx.diff(davg3, 'exact', 'avgPool2dBackward all-padding'),
    ]);
  });

  it('pooling and col2im on larger random inputs (specials included) match the reference; empty batches write nothing', async () => {
    const rng = new Rng(804);
    const diffs: (string | null)[] = [];
    const cases: Array<{ g: Conv2dGeometry; cip: boolean }> = [
      { g: geom(4, 6, 28, 28, { k: [2, 2], s: [2, 2] }), cip: true },
      { g: geom(3, 5, 17, 15, { k: [3, 3], s: [2, 2], pad: [1, 1, 1, 1] }), cip: false },
      { g: geom(2, 7, 19, 21, { k: [3, 2], s: [1, 2], pad: [1, 2, 1, 1], d: [2, 1] }), cip: true },
      { g: geom(2, 3, 16, 16, { k: [5, 5], pad: [2, 2, 2, 2] }), cip: false },
      { g: geom(0, 3, 8, 8, { k: [2, 2], s: [2, 2] }), cip: true },
    ];
    for (const { g, cip } of cases) {
      const label = `${JSON.stringify(g)} countIncludePad ${cip}`;
      const xData = rng.withSpecials(inputSize(g), -3, 3, [NaN, -Infinity, Infinity, 0, -0], 0.05);
      const x = ctx.upload(xData);
      const dyData = rng.normalArray(outputSize(g));
      const dy = ctx.upload(dyData);
      const y = ctx.alloc(outputSize(g)), a = ctx.alloc(outputSize(g)), dx = ctx.alloc(inputSize(g));
      ctx.both((k, h) => {
        k.maxPool2d(h(x), h(y), h(a), g);
        k.maxPool2dBackward(h(dy), h(a), h(dx), g);
      });
      const [, argmax] = await run(ctx.ref, [xData], [outputSize(g), outputSize(g)], ([X, Y, A]) => ctx.ref.maxPool2d(X!, Y!, A!, g));
      const [dxAbs] = await run(ctx.ref, [abs(dyData), argmax!], [inputSize(g)], ([DY, A, DX]) => ctx.ref.maxPool2dBackward(DY!, A!, DX!, g));
      const k2 = g.kernelH * g.kernelW;
      diffs.push(await ctx.diff(y, 'exact', `maxPool2d ${label}`));
      diffs.push(await ctx.diff(a, 'exact', `maxPool2d argmax ${label}`));
      diffs.push(await ctx.diff(dx, sumBounds(ctx.tol, k2, dxAbs!), `maxPool2dBackward ${label}`));

      const finite = rng.normalArray(inputSize(g));
      const xf = ctx.upload(finite);
      const avg = ctx.alloc(outputSize(g)), davg = ctx.alloc(inputSize(g));
      ctx.both((k, h) => {
        k.avgPool2d(h(xf), h(avg), g, cip);
        k.avgPool2dBackward(h(dy), h(davg), g, cip);
      });
      const [yAbs] = await run(ctx.ref, [abs(finite)], [outputSize(g)], ([X, Y]) => ctx.ref.avgPool2d(X!, Y!, g, cip));
      const [davgAbs] = await run(ctx.ref, [abs(dyData)], [inputSize(g)], ([DY, DX]) => ctx.ref.avgPool2dBackward(DY!, DX!, g, cip));
      diffs.push(await ctx.diff(avg, sumBounds(ctx.tol, k2, yAbs!), `avgPool2d ${label}`));
      diffs.push(await ctx.diff(davg, sumBounds(ctx.tol, k2, davgAbs!), `avgPool2dBackward ${label}`));

      const nCols = colsRows(g) * colsK(g);
      const cData = rng.normalArray(nCols);
      const c = ctx.upload(cData), cols = ctx.alloc(nCols), back = ctx.alloc(inputSize(g));
      ctx.both((k, h) => {
        k.im2col(h(x), h(cols), g);
        k.col2im(h(c), h(back), g);
      });
      const [backAbs] = await run(ctx.ref, [abs(cData)], [inputSize(g)], ([C, X]) => ctx.ref.col2im(C!, X!, g));
      diffs.push(await ctx.diff(cols, 'exact', `im2col ${label}`));
      diffs.push(await ctx.diff(back, sumBounds(ctx.tol, k2, backAbs!), `col2im ${label}`));
    }
    expectNoDiffs(diffs);
  });

  // ---- bad input --------------------------------------------------------------------------

  describe('bad input throws a KernelError naming kernel and argument, touching nothing', () => {
    const G = geom(2, 3, 7, 6, { k: [3, 3], s: [2, 2], pad: [1, 1, 1, 1] }); // out 4×3
    const bad = (v: unknown) => v as never;
    let x: Storage, cols: Storage, out: Storage, arg: Storage, small: Storage, dead: Storage, other: Kernels, foreign: Storage;

    beforeAll(async () => {
      const k = ctx.backend;
      x = k.upload(new Float32Array(inputSize(G)).fill(1));
      cols = k.upload(new Float32Array(colsRows(G) * colsK(G)).fill(2));
      out = k.upload(new Float32Array(outputSize(G) + 100).fill(3));
      arg = k.upload(new Float32Array(outputSize(G)).fill(4));
      small = k.upload(new Float32Array(5).fill(5));
      dead = k.alloc(inputSize(G));
      dead.dispose();
      other = await ctx.createAnother();
      foreign = other.alloc(inputSize(G));
    });
    afterAll(() => {
      for (const s of [x, cols, out, arg, small]) s?.dispose();
      other?.dispose();
    });

    type Case = readonly [string, string, string | readonly string[], (k: Kernels) => void];
    const with_ = (patch: Partial<Record<keyof Conv2dGeometry, unknown>>) => bad({ ...G, ...patch });
    const cases: Case[] = [
      ['g is null', 'im2col', 'g', (k) => k.im2col(x, cols, bad(null))],
      ['negative batch', 'im2col', 'g.batch', (k) => k.im2col(x, cols, with_({ batch: -1 }))],
      ['fractional channels', 'col2im', 'g.channels', (k) => k.col2im(cols, x, with_({ channels: 1.5 }))],
      ['height NaN', 'maxPool2d', 'g.height', (k) => k.maxPool2d(x, out, arg, with_({ height: NaN }))],
      ['width a string', 'avgPool2d', 'g.width', (k) => k.avgPool2d(x, out, with_({ width: '6' }), true)],
      ['missing outW', 'im2col', 'g.outW', (k) => k.im2col(x, cols, with_({ outW: undefined }))],
      ['kernelH 0', 'im2col', 'g.kernelH', (k) => k.im2col(x, cols, with_({ kernelH: 0 }))],
      ['kernelW 0', 'maxPool2d', 'g.kernelW', (k) => k.maxPool2d(x, out, arg, with_({ kernelW: 0 }))],
      ['strideH 0', 'col2im', 'g.strideH', (k) => k.col2im(cols, x, with_({ strideH: 0 }))],
      ['strideW 0', 'avgPool2dBackward', 'g.strideW', (k) => k.avgPool2dBackward(arg, x, with_({ strideW: 0 }), true)],
      ['dilationH 0', 'maxPool2dBackward', 'g.dilationH', (k) => k.maxPool2dBackward(arg, arg, x, with_({ dilationH: 0 }))],
      ['dilationW 0', 'im2col', 'g.dilationW', (k) => k.im2col(x, cols, with_({ dilationW: 0 }))],
      ['negative padTop', 'im2col', 'g.padTop', (k) => k.im2col(x, cols, with_({ padTop: -1 }))],
      ['padLeft ≥ 2^31', 'im2col', 'g.padLeft', (k) => k.im2col(x, cols, with_({ padLeft: 2 ** 31 }))],
      ['huge padTop (coordinates overflow i32)', 'im2col', 'g.padTop', (k) => k.im2col(x, cols, with_({ padTop: 2 ** 30 }))],
      ['outH too small (the last rows need no padding after and would be dropped)', 'im2col', 'g.outH', (k) => k.im2col(x, cols, with_({ outH: 2 }))],
      ['outH too large (window coordinates overflow i32)', 'im2col', 'g.outH', (k) => k.im2col(x, cols, with_({ outH: 2 ** 30 }))],
      ['outW 0', 'avgPool2d', 'g.outW', (k) => k.avgPool2d(x, out, with_({ outW: 0 }), false)],
      ['outW too large', 'maxPool2d', 'g.outW', (k) => k.maxPool2d(x, out, arg, with_({ outW: 2 ** 30 }))],
      ['outW too small', 'maxPool2dBackward', 'g.outW', (k) => k.maxPool2dBackward(arg, arg, x, with_({ outW: 2 }))],
      ['argmax plane over 2^24', 'maxPool2d', 'g.height', (k) => k.maxPool2d(x, out, arg, with_({ batch: 0, height: 4097, width: 4097, kernelH: 1, kernelW: 1, strideH: 1, strideW: 1, padTop: 0, padLeft: 0, outH: 4097, outW: 4097 }))],
      ['x too small', 'im2col', 'x', (k) => k.im2col(small, cols, G)],
      ['cols too small', 'im2col', 'cols', (k) => k.im2col(x, small, G)],
      ['col2im x too small', 'col2im', 'x', (k) => k.col2im(cols, small, G)],
      ['maxPool2d argmax too small', 'maxPool2d', 'argmax', (k) => k.maxPool2d(x, out, small, G)],
      ['maxPool2dBackward dy too small', 'maxPool2dBackward', 'dy', (k) => k.maxPool2dBackward(small, arg, x, G)],
      ['avgPool2dBackward dx too small', 'avgPool2dBackward', 'dx', (k) => k.avgPool2dBackward(arg, small, G, true)],
      ['disposed x', 'avgPool2d', 'x', (k) => k.avgPool2d(dead, out, G, true)],
      ['x from another instance', 'im2col', 'x', (k) => k.im2col(foreign, cols, G)],
      ['cols aliases x', 'im2col', 'cols', (k) => k.im2col(out, out, { ...G, channels: 1, batch: 1 })],
      ['col2im x aliases cols', 'col2im', 'x', (k) => k.col2im(out, out, { ...G, channels: 1, batch: 1 })],
      ['maxPool2d argmax aliases out', 'maxPool2d', 'argmax', (k) => k.maxPool2d(x, out, out, G)],
      ['maxPool2d out aliases x', 'maxPool2d', 'out', (k) => k.maxPool2d(out, out, arg, { ...G, channels: 1, batch: 1 })],
      ['maxPool2dBackward dx aliases argmax', 'maxPool2dBackward', 'dx', (k) => k.maxPool2dBackward(arg, out, out, { ...G, channels: 1, batch: 1 })],
      ['avgPool2dBackward dx aliases dy', 'avgPool2dBackward', 'dx', (k) => k.avgPool2dBackward(out, out, { ...G, channels: 1, batch: 1 }, false)],
      ['countIncludePad not a boolean', 'avgPool2d', 'countIncludePad', (k) => k.avgPool2d(x, out, G, bad(1))],
    ];
    for (const [label, kernel, argument, call] of cases) {
      it(`${kernel}: ${label}`, () => {
        expectKernelError(() => call(ctx.backend), kernel, argument);
      });
    }

    it('a rejected call leaves every buffer untouched', async () => {
      expectKernelError(() => ctx.backend.maxPool2d(x, out, arg, with_({ outH: 1 })), 'maxPool2d', 'g.outH');
      expectKernelError(() => ctx.backend.col2im(cols, x, with_({ strideH: 0 })), 'col2im', 'g.strideH');
      expect((await x.read()).every((v) => v === 1)).toBe(true);
      expect((await out.read()).every((v) => v === 3)).toBe(true);
      expect((await arg.read()).every((v) => v === 4)).toBe(true);
    });
  });
});

// ---- threads ---------------------------------------------------------------------------

const canThread = detectFeatures().threads && threadSupport().ok;

describe.skipIf(!canThread)('conv kernels on the threaded wasm build give the single-thread bits', () => {
  let one: WasmBackend;
  const many: WasmBackend[] = [];

  beforeAll(async () => {
    one = await WasmBackend.create({ build: 'simd', threads: 1 });
    many.push(await WasmBackend.create({ build: 'threads', threads: 2, split: 'auto' }));
    many.push(await WasmBackend.create({ build: 'threads', threads: 2, split: 'always' }));
    many.push(await WasmBackend.create({ build: 'threads', threads: 3, split: 'always' }));
  });
  afterAll(() => {
    for (const k of [one, ...many]) k?.dispose();
  });

  it('im2col, col2im, max and average pooling forward and backward', async () => {
    const rng = new Rng(805);
    const geometries = [
      geom(64, 1, 28, 28, { k: [5, 5], pad: [2, 2, 2, 2] }),
      geom(16, 32, 14, 14, { k: [5, 5], pad: [2, 2, 2, 2] }),
      geom(5, 7, 19, 21, { k: [3, 2], s: [2, 1], pad: [1, 2, 1, 1], d: [1, 2] }),
      geom(64, 6, 28, 28, { k: [2, 2], s: [2, 2] }),
    ];
    for (const g of geometries) {
      const x = rng.withSpecials(inputSize(g), -2, 2, [NaN, -Infinity], 0.01);
      const c = rng.normalArray(colsRows(g) * colsK(g));
      const dy = rng.normalArray(outputSize(g));
      const outputs = async (k: Kernels) => {
        const [cols] = await run(k, [x], [c.length], ([X, C]) => k.im2col(X!, C!, g));
        const [back] = await run(k, [c], [inputSize(g)], ([C, X]) => k.col2im(C!, X!, g));
        const [y, a] = await run(k, [x], [outputSize(g), outputSize(g)], ([X, Y, A]) => k.maxPool2d(X!, Y!, A!, g));
        const [dxMax] = await run(k, [dy, a!], [inputSize(g)], ([DY, A, DX]) => k.maxPool2dBackward(DY!, A!, DX!, g));
        const [avg] = await run(k, [x], [outputSize(g)], ([X, Y]) => k.avgPool2d(X!, Y!, g, false));
        const [dxAvg] = await run(k, [dy], [inputSize(g)], ([DY, DX]) => k.avgPool2dBackward(DY!, DX!, g, true));
        return { cols, back, y, a, dxMax, avg, dxAvg } as Record<string, Float32Array>;
      };
      const want = await outputs(one);
      for (const [t, k] of many.entries()) {
        const got = await outputs(k);
        for (const name of Object.keys(want)) {
          const msg = diffArrays(got[name]!, want[name]!, 'bits', `${name} ${JSON.stringify(g)} [threaded backend ${t}]`);
          if (msg) expect.fail(msg);
        }
      }
    }
  });
});
