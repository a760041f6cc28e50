/**
 * softmax / logSoftmax (incl. logits of ±1e4 and −Inf entries), their backward kernels, and the
 * fused softmax–cross-entropy forward/backward with index and one-hot / distribution labels,
 * out-of-place and in place, against the JS reference.
 *
 * Tolerances: the exponentials carry the activation tolerance, the row sums the accumulation
 * tolerance with k = cols (see test/helpers/backends.ts).
 */
import { it } from 'vitest';
import { accumulateBound, describeEachBackend, expectNoDiffs } from '../helpers/backends.js';
import { Rng, SIZES } from '../helpers/random.js';

const ROWS = [0, 1, 3, 17];
const COLS = SIZES.filter((c) => c <= 100).concat([1023]);

type Kind = 'normal' | 'huge' | 'masked';

/** Logits: moderate, ±1e4 (exp underflows everywhere but at the max), or with −Inf (masked) entries. */
function logits(rng: Rng, rows: number, cols: number, kind: Kind): Float32Array {
  const x = rng.uniformArray(rows * cols, -6, 6);
  if (kind === 'huge') for (let i = 0; i < x.length; i++) x[i] = rng.pick([1e4, -1e4, 9999.5, 0, rng.uniform(-1e4, 1e4)]);
  if (kind === 'masked') {
    for (let r = 0; r < rows; r++) for (let c = 1; c < cols; c++) if (rng.float() < 0.3) x[r * cols + c] = -Infinity; // column 0 stays finite
  }
  return x;
}

/** Per-row max and log Σ exp(x − max), in float64. */
function rowStats(x: Float32Array, rows: number, cols: number): { max: Float64Array; lse: Float64Array } {
  const max = new Float64Array(rows);
  const lse = new Float64Array(rows);
  for (let r = 0; r < rows; r++) {
    let m = -Infinity;
    for (let c = 0; c < cols; c++) m = Math.max(m, x[r * cols + c]!);
    let s = 0;
    for (let c = 0; c < cols; c++) s += Math.exp(x[r * cols + c]! - m);
    max[r] = m;
    lse[r] = Math.log(s);
  }
  return { max, lse };
}

describeEachBackend('softmax', (ctx) => {
  const T = ctx.tol.activation;
  const A = ctx.tol.accumulate;

  /** softmax p: exp error, the row sum's error, the division. */
  const probBound = (cols: number) => (_i: number, p: number) => (2 * T.rel + accumulateBound(A, cols, 1)) * Math.abs(p) + T.abs;

  /** log-softmax: rounding of x − max, the log of the (slightly wrong) row sum. */
  const logBound = (x: Float32Array, cols: number, st: ReturnType<typeof rowStats>) => (i: number, e: number) => {
    const r = Math.floor(i / cols);
    return T.rel * (Math.abs(e) + Math.abs(x[i]! - st.max[r]!) + Math.abs(st.lse[r]!)) + accumulateBound(A, cols, 1) + T.abs;
  };

  for (const kind of ['normal', 'huge', 'masked'] as const) {
    it(`softmax and logSoftmax (${kind} logits), also in place`, async () => {
      const rng = new Rng(400 + kind.length);
      const diffs: (string | null)[] = [];
      for (const rows of ROWS) {
        for (const cols of COLS) {
          const n = rows * cols;
          const data = logits(rng, rows, cols, kind);
          const st = rowStats(data, rows, cols);
          const x = ctx.upload(data);
          const where = (i: number) => `x = ${data[i]}, row max ${st.max[Math.floor(i / cols)]}`;
          const out = ctx.alloc(n);
          ctx.both((k, h) => k.softmax(h(x), h(out), rows, cols));
          diffs.push(await ctx.diff(out, probBound(cols), `softmax ${rows}×${cols}`, where));
          const lout = ctx.alloc(n);
          ctx.both((k, h) => k.logSoftmax(h(x), h(lout), rows, cols));
          diffs.push(await ctx.diff(lout, logBound(data, cols, st), `logSoftmax ${rows}×${cols}`, where));
          const inPlace = ctx.uploadOut(data);
          ctx.both((k, h) => k.softmax(h(inPlace), h(inPlace), rows, cols));
          diffs.push(await ctx.diff(inPlace, probBound(cols), `softmax in place ${rows}×${cols}`, where));
          const lInPlace = ctx.uploadOut(data);
          ctx.both((k, h) => k.logSoftmax(h(lInPlace), h(lInPlace), rows, cols));
          diffs.push(await ctx.diff(lInPlace, logBound(data, cols, st), `logSoftmax in place ${rows}×${cols}`, where));
        }
      }
      expectNoDiffs(diffs);
    });
  }

  it('softmaxBackward and logSoftmaxBackward, also dx === dy', async () => {
    const rng = new Rng(410);
    const diffs: (string | null)[] = [];
    for (const rows of ROWS) {
      for (const cols of COLS) {
        const n = rows * cols;
        const x = ctx.upload(logits(rng, rows, cols, 'normal'));
        const dyData = rng.uniformArray(n, -1, 1);
        const dy = ctx.upload(dyData);

        const yRef = ctx.alloc(n);
        const yData = await ctx.refResult(yRef, (k, h) => k.softmax(h(x), h(yRef), rows, cols));
        const y = ctx.upload(yData);
        // dx = y(dy − s), s = Σ dy·y: s carries the accumulation error over the row
        const sBound = new Float64Array(rows);
        const s = new Float64Array(rows);
        for (let r = 0; r < rows; r++) {
          let abs = 0;
          for (let c = 0; c < cols; c++) {
            s[r] += dyData[r * cols + c]! * yData[r * cols + c]!;
            abs += Math.abs(dyData[r * cols + c]! * yData[r * cols + c]!);
          }
          sBound[r] = accumulateBound(A, cols, abs) + T.rel * abs;
        }
        const sb = (i: number) => {
          const r = Math.floor(i / cols);
          return Math.abs(yData[i]!) * (sBound[r]! + T.rel * (Math.abs(dyData[i]!) + Math.abs(s[r]!))) + T.abs;
        };
        const dx = ctx.alloc(n);
        ctx.both((k, h) => k.softmaxBackward(h(y), h(dy), h(dx), rows, cols));
        diffs.push(await ctx.diff(dx, sb, `softmaxBackward ${rows}×${cols}`, [rows, cols]));
        const dyIn = ctx.uploadOut(dyData);
        ctx.both((k, h) => k.softmaxBackward(h(y), h(dyIn), h(dyIn), rows, cols));
        diffs.push(await ctx.diff(dyIn, sb, `softmaxBackward dx === dy ${rows}×${cols}`, [rows, cols]));

        const lyRef = ctx.alloc(n);
        const lyData = await ctx.refResult(lyRef, (k, h) => k.logSoftmax(h(x), h(lyRef), rows, cols));
        const ly = ctx.upload(lyData);
        // dx = dy − exp(y)·Σdy
        const sum = new Float64Array(rows);
        const sumAbs = new Float64Array(rows);
        for (let i = 0; i < n; i++) {
          sum[Math.floor(i / cols)] += dyData[i]!;
          sumAbs[Math.floor(i / cols)] += Math.abs(dyData[i]!);
        }
        const lb = (i: number) => {
          const r = Math.floor(i / cols);
          const p = Math.exp(lyData[i]!);
          return T.rel * (Math.abs(dyData[i]!) + 2 * p * Math.abs(sum[r]!)) + p * accumulateBound(A, cols, sumAbs[r]!) + T.abs;
        };
        const ldx = ctx.alloc(n);
        ctx.both((k, h) => k.logSoftmaxBackward(h(ly), h(dy), h(ldx), rows, cols));
        diffs.push(await ctx.diff(ldx, lb, `logSoftmaxBackward ${rows}×${cols}`, [rows, cols]));
        const ldyIn = ctx.uploadOut(dyData);
        ctx.both((k, h) => k.logSoftmaxBackward(h(ly), h(ldyIn), h(ldyIn), rows, cols));
        diffs.push(await ctx.diff(ldyIn, lb, `logSoftmaxBackward dx === dy ${rows}×${cols}`, [rows, cols]));
      }
    }
    expectNoDiffs(diffs);
  });

  for (const labelKind of ['index', 'one-hot', 'distribution'] as const) {
    it(`softmaxCrossEntropy forward and backward, ${labelKind} labels (incl. logits ±1e4)`, async () => {
      const rng = new Rng(420 + labelKind.length);
      const diffs: (string | null)[] = [];
      const oneHot = labelKind !== 'index';
      for (const rows of ROWS) {
        for (const cols of COLS.filter((c) => c > 0)) {
          for (const kind of ['normal', 'huge'] as const) {
            const n = rows * cols;
            const data = logits(rng, rows, cols, kind);
            const st = rowStats(data, rows, cols);
            const idx = rng.intArray(rows, 0, cols);
            const labelData = labelKind === 'index' ? idx : labelKind === 'one-hot' ? rng.oneHotRows(idx, cols) : rng.distributionRows(rows, cols);
            const x = ctx.upload(data);
            const labels = ctx.upload(labelData);
            const probs = ctx.alloc(n);
            const loss = ctx.alloc(rows);
            ctx.both((k, h) => k.softmaxCrossEntropy(h(x), h(labels), oneHot, h(probs), h(loss), rows, cols));
            const what = `${rows}×${cols} ${kind} logits`;
            diffs.push(await ctx.diff(probs, probBound(cols), `softmaxCrossEntropy probs ${what}`, [rows, cols]));
            // loss = −Σ t·logp with logp = x − max − lse
            const lossBound = (r: number, e: number) => {
              let b = accumulateBound(A, cols, 1) + T.abs;
              for (let c = 0; c < cols; c++) {
                const t = oneHot ? labelData[r * cols + c]! : c === idx[r] ? 1 : 0;
                if (t === 0) continue;
                const lp = data[r * cols + c]! - st.max[r]! - st.lse[r]!;
                b += t * (T.rel * (2 * Math.abs(lp) + Math.abs(data[r * cols + c]! - st.max[r]!) + Math.abs(st.lse[r]!)) + accumulateBound(A, cols, 1));
              }
              return b + T.rel * Math.abs(e);
            };
            diffs.push(await ctx.diff(loss, lossBound, `softmaxCrossEntropy loss ${what}`, (r) => `label ${oneHot ? '(row)' : idx[r]}`));

            // backward from the reference probabilities
            const pData = (await probs.ref.read()).subarray(0, n);
            const scale = rows > 0 ? 1 / rows : 1;
            const p = ctx.upload(pData);
            const dlogits = ctx.alloc(n);
            const eb = (i: number) => {
              const t = oneHot ? labelData[i]! : i % cols === idx[Math.floor(i / cols)] ? 1 : 0;
              return T.rel * scale * (Math.abs(pData[i]!) + Math.abs(t)) + T.abs * scale;
            };
            ctx.both((k, h) => k.softmaxCrossEntropyBackward(h(p), h(labels), oneHot, h(dlogits), rows, cols, scale));
            diffs.push(await ctx.diff(dlogits, eb, `softmaxCrossEntropyBackward ${what}`, [rows, cols]));
            const pIn = ctx.uploadOut(pData);
            ctx.both((k, h) => k.softmaxCrossEntropyBackward(h(pIn), h(labels), oneHot, h(pIn), rows, cols, scale));
            diffs.push(await ctx.diff(pIn, eb, `softmaxCrossEntropyBackward dlogits === probs ${what}`, [rows, cols]));
          }
        }
      }
      expectNoDiffs(diffs);
    });
  }

  it('softmaxCrossEntropy loss stays finite when the target probability underflows', async () => {
    const data = Float32Array.from([1e4, -1e4, 0, 50, -50, 1e4]);
    const x = ctx.upload(data);
    const labels = ctx.upload([1, 0]);
    const probs = ctx.alloc(6);
    const loss = ctx.alloc(2);
    ctx.both((k, h) => k.softmaxCrossEntropy(h(x), h(labels), false, h(probs), h(loss), 2, 3));
    const { got } = await ctx.read(loss);
    expectNoDiffs([
      got[0] === 2e4 ? null : `loss of row 0 (−log softmax([1e4, −1e4, 0])[1]) should be 2e4, got ${got[0]}`,
      Math.abs(got[1]! - 9950) <= 1e4 * 1e-6 ? null : `loss of row 1 (−log softmax([50, −50, 1e4])[0]) should be 9950, got ${got[1]}`,
      await ctx.diff(loss, { rel: T.rel, abs: T.abs }, 'softmaxCrossEntropy loss under underflow'),
    ]);
  });
});
