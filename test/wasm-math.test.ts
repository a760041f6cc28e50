/**
 * Accuracy of the wasm backend's SIMD math (assembly/simdmath.ts) over the whole float32 range:
 * every activation and its derivative, e^x (reached through logSoftmaxBackward), and the softmax
 * family, against float64 references written here (independent of the JS backend). Checks dense
 * sweeps over every exponent, the overflow / underflow / subnormal edges, tiny inputs, ±Inf, NaN,
 * and that an element gets the same bits in a vector body and in a scalar tail.
 *
 * Error measure: |got − ref| / max(|ref|, FLT_MIN), i.e. relative where the result is a normal
 * float and absolute (in units of FLT_MIN) in the subnormal range.
 * `AXON_MATH_REPORT=1` prints the per-range table.
 */
import { describe, expect, it } from 'vitest';
import { instantiateWasm } from '../bindings/instantiate.js';
import { createBackend } from '../src/backends/index.js';
import { WasmBackend } from '../src/backends/wasm/index.js';
import type { Activation, Kernels } from '../src/kernels/kernels.js';

const FLT_MIN = 1.1754943508222875e-38;
const REPORT = process.env['AXON_MATH_REPORT'] === '1';

// ---- the backend (skipped with the reason when it cannot be built) ---------------------------

let backend: Kernels | undefined;
let unavailable = '';
try {
  backend = await createBackend('wasm');
} catch (e) {
  if (process.env['AXON_TEST_PARTIAL_WASM'] === '1') {
    // Development only: a build that lacks other families' exports still has these kernels.
    backend = new WasmBackend(await instantiateWasm(undefined, { requireAll: false }));
  } else {
    unavailable = (e as Error).message;
  }
}
const suite = backend ? describe : describe.skip;
const title = backend ? 'wasm SIMD math accuracy' : `wasm SIMD math accuracy (skipped: ${unavailable})`;

// ---- float64 references --------------------------------------------------------------------

/** erfc in float64: the Taylor series of erf below 2.5 (cancellation-free there), else a continued fraction. */
function erfc64(x: number): number {
  if (x !== x) return x;
  if (x < 0) return 2 - erfc64(-x);
  if (x < 2.5) {
    let term = x;
    let sum = x;
    const x2 = x * x;
    for (let n = 1; n < 200; n++) {
      term *= -x2 / n;
      const c = term / (2 * n + 1);
      sum += c;
      if (Math.abs(c) < 1e-17 * Math.abs(sum)) break;
    }
    return 1 - (sum * 2) / Math.sqrt(Math.PI);
  }
  if (x === Infinity) return 0;
  // erfc x = e^(−x²)/√π · 1/(x + (1/2)/(x + 1/(x + (3/2)/(x + …)))), bottom-up.
  let f = x;
  for (let k = 80; k >= 1; k--) f = x + k / 2 / f;
  return Math.exp(-x * x) / Math.sqrt(Math.PI) / f;
}
const Phi = (x: number) => 0.5 * erfc64(-x / Math.SQRT2);
const phi = (x: number) => Math.exp(-0.5 * x * x) / Math.sqrt(2 * Math.PI);
const sig = (x: number) => (x >= 0 ? 1 / (1 + Math.exp(-x)) : Math.exp(x) / (1 + Math.exp(x)));
const K = Math.sqrt(2 / Math.PI);
const C = 0.044715;
const SELU_A = 1.6732632423543772;
const SELU_L = 1.0507009873554805;

const forwardRef: Record<Exclude<Activation, 'linear' | 'relu' | 'leakyRelu' | 'hardTanh' | 'step' | 'sign'>, (x: number) => number> = {
  elu: (x) => (x > 0 ? x : Math.expm1(x)),
  selu: (x) => SELU_L * (x > 0 ? x : SELU_A * Math.expm1(x)),
  gelu: (x) => x * Phi(x),
  geluTanh: (x) => x * sig(2 * K * (x + C * x * x * x)),
  silu: (x) => x * sig(x),
  sigmoid: sig,
  tanh: Math.tanh,
  softplus: (x) => (x > 20 ? x : x > 0 ? x + Math.log1p(Math.exp(-x)) : Math.log1p(Math.exp(x))),
  softsign: (x) => x / (1 + Math.abs(x)),
  bipolarSigmoid: (x) => Math.tanh(x / 2),
};

// ---- inputs --------------------------------------------------------------------------------

/** Every float32 exponent with spread mantissas (both signs), a fine grid on [−30, 30], specials. */
function sweep(): Float32Array {
  const v: number[] = [];
  const u = new Uint32Array(1);
  const f = new Float32Array(u.buffer);
  for (let e = 0; e < 255; e++) {
    for (let k = 0; k < 96; k++) {
      u[0] = (e << 23) | ((k * 87383) & 0x7fffff);
      v.push(f[0]!, -f[0]!);
    }
  }
  for (let i = -30000; i <= 30000; i++) v.push(i / 1000);
  v.push(0, -0, 1e-45, -1e-45, FLT_MIN, -FLT_MIN, 88.72283, 88.72284, -87.33654, -103.97, -104);
  return Float32Array.from(v);
}
const X = sweep();

// ---- measurement ---------------------------------------------------------------------------

interface Range {
  lo: number;
  hi: number;
  /** Largest allowed error (relative above FLT_MIN, see the file comment). */
  tol: number;
}
const R = (lo: number, hi: number, tol: number): Range => ({ lo, hi, tol });

interface Mismatch {
  x: number;
  got: number;
  ref: number;
}

/**
 * Compares got[i] to ref(x[i]) range by range; NaN must match NaN and infinities must be equal.
 * Returns the failures as strings (empty when all is well).
 */
function measure(label: string, xs: Float32Array, got: Float32Array, ref: (x: number, i: number) => number, ranges: Range[]): string[] {
  const worst = ranges.map(() => ({ err: 0, at: NaN }));
  const special: Mismatch[] = [];
  for (let i = 0; i < xs.length; i++) {
    const x = xs[i]!;
    const r = ref(x, i);
    const g = got[i]!;
    if (r !== r || g !== g || !Number.isFinite(r) || !Number.isFinite(g)) {
      const fr = Math.fround(r);
      if (!(Object.is(fr, g) || (fr !== fr && g !== g) || fr === g)) special.push({ x, got: g, ref: r });
      continue;
    }
    const err = Math.abs(g - r) / Math.max(Math.abs(r), FLT_MIN);
    ranges.forEach((rg, k) => {
      if (x >= rg.lo && x <= rg.hi && err > worst[k]!.err) worst[k] = { err, at: x };
    });
  }
  const failures: string[] = [];
  ranges.forEach((rg, k) => {
    const w = worst[k]!;
    if (REPORT) console.log(`${label.padEnd(22)} [${rg.lo}, ${rg.hi}]`.padEnd(44) + ` max err ${w.err.toExponential(2)} at x = ${w.at}`);
    if (w.err > rg.tol) failures.push(`${label} on [${rg.lo}, ${rg.hi}]: max error ${w.err.toExponential(2)} at x = ${w.at} exceeds ${rg.tol}`);
  });
  for (const s of special.slice(0, 5)) failures.push(`${label}: x = ${s.x} gave ${s.got}, expected ${s.ref}`);
  return failures;
}

function forward(k: Kernels, act: Activation, xs: Float32Array, alpha?: number): Float32Array {
  const x = k.upload(xs);
  const out = k.alloc(xs.length);
  k.activation(act, x, out, xs.length, alpha);
  const r = out.readSync();
  x.dispose();
  out.dispose();
  return r;
}

function backward(k: Kernels, act: Activation, xs: Float32Array, ys: Float32Array, alpha?: number): Float32Array {
  const x = k.upload(xs);
  const y = k.upload(ys);
  const dy = k.upload(new Float32Array(xs.length).fill(1));
  const dx = k.alloc(xs.length);
  k.activationBackward(act, x, y, dy, dx, xs.length, alpha);
  const r = dx.readSync();
  for (const s of [x, y, dy, dx]) s.dispose();
  return r;
}

/** e^x for every x, through logSoftmaxBackward with rows [x, 0], dy rows [0, 1]: dx[r, 0] = −e^x. */
function expViaLogSoftmaxBackward(k: Kernels, xs: Float32Array): Float32Array {
  const n = xs.length;
  const y = new Float32Array(2 * n);
  const dy = new Float32Array(2 * n);
  for (let i = 0; i < n; i++) {
    y[2 * i] = xs[i]!;
    dy[2 * i + 1] = 1;
  }
  const ys = k.upload(y);
  const dys = k.upload(dy);
  const dx = k.alloc(2 * n);
  k.logSoftmaxBackward(ys, dys, dx, n, 2);
  const all = dx.readSync();
  for (const s of [ys, dys, dx]) s.dispose();
  return Float32Array.from({ length: n }, (_, i) => -all[2 * i]!);
}

/** A seeded uniform generator (mulberry32), so failures reproduce. */
function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

// ---- tests ---------------------------------------------------------------------------------

suite(title, () => {
  const k = backend!;

  it('exp (as used by logSoftmaxBackward): ≤ 2e-6 relative, overflow to +Inf, gradual underflow to 0', () => {
    const got = expViaLogSoftmaxBackward(k, X);
    const failures = measure('exp', X, got, Math.exp, [
      R(-1e-30, 1e-30, 1e-7),
      R(-87.33, 88.72, 2e-6),
      R(-Infinity, -87.34, 2 ** -23), // subnormal results: within ~one subnormal step of FLT_MIN-scaled error
      R(88.73, Infinity, 0), // all +Inf, checked as specials
    ]);
    expect(failures).toEqual([]);
    const edge = expViaLogSoftmaxBackward(k, Float32Array.from([88.72283, 88.7229, 100, Infinity, -103.98, -200, -Infinity, NaN]));
    expect(edge[0]).toBeGreaterThan(3.4e38);
    expect(edge[0]).toBeLessThan(Infinity);
    expect([...edge.slice(1, 4)]).toEqual([Infinity, Infinity, Infinity]);
    expect([...edge.slice(4, 7)].map((v) => v === 0)).toEqual([true, true, true]);
    expect(edge[7]).toBeNaN();
  });

  it('tanh, sigmoid, bipolarSigmoid: ≤ 2e-6 relative over the whole range, exact saturation, tiny x kept', () => {
    const failures = [
      ...measure('tanh', X, forward(k, 'tanh', X), Math.tanh, [R(-1e-30, 1e-30, 0), R(-1, 1, 2e-6), R(-Infinity, Infinity, 2e-6)]),
      ...measure('bipolarSigmoid', X, forward(k, 'bipolarSigmoid', X), forwardRef.bipolarSigmoid, [R(-1e-30, 1e-30, 6e-8), R(-Infinity, Infinity, 2e-6)]),
      // sigmoid's results below x ≈ −87.3 are subnormal; the kernel flushes them below ≈ −88.7
      ...measure('sigmoid', X, forward(k, 'sigmoid', X), sig, [R(-87.3, Infinity, 2e-6), R(-Infinity, -87.3, 1)]),
    ];
    expect(failures).toEqual([]);
    const t = forward(k, 'tanh', Float32Array.from([8.3, 9, 1e10, Infinity, -9, -Infinity, 1e-40, -1e-45]));
    expect([...t]).toEqual([1, 1, 1, 1, -1, -1, Math.fround(1e-40), Math.fround(-1e-45)]);
    const s = forward(k, 'sigmoid', Float32Array.from([0, 17, 100, Infinity, -100, -Infinity, 1e-40]));
    expect([...s]).toEqual([0.5, 1, 1, 1, 0, 0, 0.5]);
  });

  it('gelu, geluTanh, silu, softplus, elu, selu, softsign: relative accuracy incl. the tails', () => {
    const failures: string[] = [];
    const tiny = R(-1e-30, 1e-30, 2e-7);
    const cases: [Activation, Range[]][] = [
      // Φ(0) = 1 − erfc(0)/2 carries erfc's ~2.5e-7
      ['gelu', [R(-1e-30, 1e-30, 5e-7), R(-13, Infinity, 2e-6), R(-Infinity, -13, 1e-5)]],
      // the lower tail is limited by rounding u = 2k(x + 0.044715x³) in float32: σ(u)'s relative
      // error is ≈ 1.5e-7·|u|, and u reaches −75 before the result underflows
      ['geluTanh', [tiny, R(-1, Infinity, 2e-6), R(-5, -1, 4e-6), R(-Infinity, -5, 3e-5)]],
      ['silu', [tiny, R(-87, Infinity, 2e-6), R(-Infinity, -87, 2e-5)]],
      ['softplus', [tiny, R(-Infinity, Infinity, 2e-6)]],
      ['elu', [tiny, R(-Infinity, Infinity, 2e-6)]],
      ['selu', [tiny, R(-Infinity, Infinity, 2e-6)]],
      ['softsign', [tiny, R(-Infinity, Infinity, 2e-6)]],
    ];
    for (const [act, ranges] of cases) {
      const ref = forwardRef[act as keyof typeof forwardRef];
      failures.push(...measure(act, X, forward(k, act, X), ref, ranges));
    }
    expect(failures).toEqual([]);
  });

  it('piecewise activations are exact, NaN propagates through every forward kernel', () => {
    const xs = Float32Array.from([-2, -1, -0.5, -0, 0, 0.5, 1, 2, -Infinity, Infinity, 1e-45, -1e-45]);
    const exact: [Activation, (x: number) => number, number?][] = [
      ['relu', (x) => (x > 0 ? x : 0)],
      ['leakyRelu', (x) => (x > 0 ? x : Math.fround(0.01) * x), 0.01],
      ['hardTanh', (x) => Math.min(1, Math.max(-1, x))],
      ['step', (x) => (x > 0 ? 1 : 0)],
      ['sign', (x) => (x > 0 ? 1 : x < 0 ? -1 : x)],
      ['linear', (x) => x],
    ];
    for (const [act, f, alpha] of exact) {
      const got = forward(k, act, xs, alpha);
      expect([...got], act).toEqual([...xs].map((x) => Math.fround(f(x))));
    }
    const withNaN = Float32Array.from([NaN, 1, NaN, -1, NaN]);
    for (const act of Object.keys(forwardRef).concat(['relu', 'leakyRelu', 'hardTanh', 'step', 'sign', 'linear']) as Activation[]) {
      const got = forward(k, act, withNaN);
      expect([got[0], got[2], got[4]].every((v) => v !== v), `${act}(NaN)`).toBe(true);
    }
  });

  it('derivatives: ≤ 2e-6 relative + 2.5e-7 absolute against float64 (y-based ones from a correctly rounded y)', () => {
    const finite = X.filter((v) => Number.isFinite(v));
    const dRef: [Activation, (x: number) => number][] = [
      ['gelu', (x) => Phi(x) + x * phi(x)],
      ['geluTanh', (x) => {
        const u = 2 * K * (x + C * x * x * x);
        return sig(u) + 2 * x * sig(u) * sig(-u) * K * (1 + 3 * C * x * x);
      }],
      ['silu', (x) => sig(x) * (1 + x * sig(-x))],
      ['sigmoid', (x) => sig(x) * sig(-x)],
      ['tanh', (x) => 1 / Math.cosh(x) ** 2],
      ['bipolarSigmoid', (x) => 2 * sig(x) * sig(-x)],
      ['elu', (x) => (x > 0 ? 1 : Math.exp(x))],
      ['selu', (x) => (x > 0 ? SELU_L : SELU_L * SELU_A * Math.exp(x))],
      ['softplus', (x) => (x > 20 ? 1 : sig(x))],
      ['softsign', (x) => 1 / (1 + Math.abs(x)) ** 2],
    ];
    const failures: string[] = [];
    for (const [act, d] of dRef) {
      const f = forwardRef[act as keyof typeof forwardRef];
      const ys = Float32Array.from(finite, (x) => f(x));
      const got = backward(k, act, finite, ys);
      let worst = 0;
      let at = NaN;
      let maxRel = 0; // for the report: relative error where |ref| ≥ 1e-3, and the largest |Δ|
      let maxAbs = 0;
      for (let i = 0; i < finite.length; i++) {
        const r = d(finite[i]!);
        const delta = Math.abs(got[i]! - r);
        const rel = (delta - 2.5e-7) / Math.max(Math.abs(r), FLT_MIN);
        if (!(rel <= worst)) {
          worst = rel;
          at = finite[i]!;
        }
        if (Math.abs(r) >= 1e-3) maxRel = Math.max(maxRel, delta / Math.abs(r));
        maxAbs = Math.max(maxAbs, delta);
      }
      if (REPORT) console.log(`${(act + "'").padEnd(22)} max rel (|ref| ≥ 1e-3) ${maxRel.toExponential(2)}, max abs ${maxAbs.toExponential(2)}`);
      if (!(worst <= 2e-6)) failures.push(`${act}': error ${worst} at x = ${at}`);
    }
    expect(failures).toEqual([]);
    // boundary conventions (torch): relu'(0) = 0, hardTanh' = 0 at ±1, step/sign' = 0
    const xs = Float32Array.from([0, -1, 1, 0.5, 2]);
    expect([...backward(k, 'relu', xs, xs)]).toEqual([0, 0, 1, 1, 1]);
    expect([...backward(k, 'hardTanh', xs, xs)]).toEqual([1, 0, 0, 1, 0]);
    expect([...backward(k, 'step', xs, xs)]).toEqual([0, 0, 0, 0, 0]);
    expect([...backward(k, 'sign', xs, xs)]).toEqual([0, 0, 0, 0, 0]);
  });

  it('an element gets the same bits in the vector body and in the scalar tail', () => {
    const probe = Float32Array.from([-88.5, -20.3, -3.7, -0.61, -1e-38, 1e-30, 0.37, 2.2, 8.29, 30.5, 95.1]);
    for (const act of ['gelu', 'geluTanh', 'silu', 'sigmoid', 'tanh', 'softplus', 'elu', 'selu', 'bipolarSigmoid', 'softsign'] as Activation[]) {
      for (const v of probe) {
        const got = forward(k, act, new Float32Array(11).fill(v)); // 8 in the body, 3 in the tail
        expect(new Set(got).size, `${act}(${v})`).toBe(1);
      }
    }
  });

  describe('softmax family', () => {
    const lengths = [1, 2, 3, 4, 5, 7, 8, 9, 15, 16, 17, 33, 1000];

    function rows(seed: number, cols: number, nrows: number, scale: number): Float32Array {
      const r = rng(seed);
      return Float32Array.from({ length: cols * nrows }, () => (r() - 0.5) * 2 * scale);
    }

    function softmaxRef(x: Float32Array, nrows: number, cols: number): { p: Float64Array; logp: Float64Array } {
      const p = new Float64Array(x.length);
      const logp = new Float64Array(x.length);
      for (let r = 0; r < nrows; r++) {
        let m = -Infinity;
        for (let j = 0; j < cols; j++) m = Math.max(m, x[r * cols + j]!);
        let s = 0;
        for (let j = 0; j < cols; j++) s += Math.exp(x[r * cols + j]! - m);
        for (let j = 0; j < cols; j++) {
          p[r * cols + j] = Math.exp(x[r * cols + j]! - m) / s;
          logp[r * cols + j] = x[r * cols + j]! - m - Math.log(s);
        }
      }
      return { p, logp };
    }

    it('softmax and logSoftmax match float64 (rows of any length, logits up to ±1e4, in place too)', () => {
      const failures: string[] = [];
      for (const cols of lengths) {
        for (const scale of [3, 30, 1e4]) {
          const nrows = 5;
          const xs = rows(cols * 7 + scale, cols, nrows, scale);
          const { p, logp } = softmaxRef(xs, nrows, cols);
          for (const inPlace of [false, true]) {
            const x = k.upload(xs);
            const out = inPlace ? x : k.alloc(xs.length);
            k.softmax(x, out, nrows, cols);
            const got = out.readSync();
            const x2 = k.upload(xs);
            const out2 = inPlace ? x2 : k.alloc(xs.length);
            k.logSoftmax(x2, out2, nrows, cols);
            const gotLog = out2.readSync();
            for (let i = 0; i < xs.length; i++) {
              // probabilities: relative (sum of ≤ 1000 float32 terms), absolute below 1e-30
              const ep = Math.abs(got[i]! - p[i]!);
              if (ep > 4e-6 * p[i]! + 1e-37) failures.push(`softmax cols=${cols} scale=${scale} [${i}]: ${got[i]} vs ${p[i]}`);
              const el = Math.abs(gotLog[i]! - logp[i]!);
              if (el > 2e-6 * (1 + Math.abs(logp[i]!))) failures.push(`logSoftmax cols=${cols} scale=${scale} [${i}]: ${gotLog[i]} vs ${logp[i]}`);
            }
            for (const s of new Set([x, out, x2, out2])) s.dispose();
          }
        }
      }
      expect(failures.slice(0, 10)).toEqual([]);
    });

    it('edge rows: length 1, −Inf entries, NaN and +Inf poison the row', () => {
      const xs = Float32Array.from([5, -Infinity, 3, -Infinity, 1e4, -1e4, NaN, 1, 2, Infinity, 0]);
      const run = (fn: 'softmax' | 'logSoftmax', data: Float32Array, nrows: number, cols: number) => {
        const x = k.upload(data);
        const out = k.alloc(data.length);
        k[fn](x, out, nrows, cols);
        return [...out.readSync()];
      };
      expect(run('softmax', Float32Array.from([7, -1e4, 3e38]), 3, 1)).toEqual([1, 1, 1]);
      expect(run('logSoftmax', Float32Array.from([7, -1e4, 3e38]), 3, 1)).toEqual([0, 0, 0]);
      const masked = run('softmax', xs.slice(0, 4), 1, 4); // [5, −Inf, 3, −Inf]
      expect(masked[0]).toBeCloseTo(1 / (1 + Math.exp(-2)), 7);
      expect(masked[2]).toBeCloseTo(1 / (1 + Math.exp(2)), 7);
      expect([masked[1], masked[3]]).toEqual([0, 0]);
      expect(run('softmax', xs.slice(4, 6), 1, 2)).toEqual([1, 0]);
      expect(run('logSoftmax', xs.slice(4, 6), 1, 2)).toEqual([0, -2e4]);
      expect(run('softmax', xs.slice(6, 9), 1, 3).every((v) => v !== v)).toBe(true);
      expect(run('softmax', xs.slice(8, 11), 1, 3).every((v) => v !== v)).toBe(true);
    });

    it('softmaxCrossEntropy: loss from the log-sum-exp (finite when p underflows), probs may alias logits', () => {
      const failures: string[] = [];
      for (const cols of [1, 3, 4, 10, 17, 1000]) {
        for (const scale of [3, 1e4]) {
          const nrows = 6;
          const xs = rows(cols + scale, cols, nrows, scale);
          const { p, logp } = softmaxRef(xs, nrows, cols);
          const r = rng(cols);
          const labels = Float32Array.from({ length: nrows }, () => Math.floor(r() * cols));
          const dist = new Float32Array(nrows * cols);
          for (let i = 0; i < nrows; i++) {
            let s = 0;
            for (let j = 0; j < cols; j++) s += dist[i * cols + j] = r();
            for (let j = 0; j < cols; j++) dist[i * cols + j]! /= s;
          }
          for (const oneHot of [false, true]) {
            for (const alias of [false, true]) {
              const lg = k.upload(xs);
              const lb = k.upload(oneHot ? dist : labels);
              const probs = alias ? lg : k.alloc(xs.length);
              const loss = k.alloc(nrows);
              k.softmaxCrossEntropy(lg, lb, oneHot, probs, loss, nrows, cols);
              const gotP = probs.readSync();
              const gotL = loss.readSync();
              for (let i = 0; i < nrows; i++) {
                let ref = 0;
                if (oneHot) for (let j = 0; j < cols; j++) ref -= dist[i * cols + j]! * logp[i * cols + j]!;
                else ref = -logp[i * cols + labels[i]!]!;
                if (!(Math.abs(gotL[i]! - ref) <= 2e-6 * (1 + Math.abs(ref)))) failures.push(`loss cols=${cols} scale=${scale} oneHot=${oneHot} alias=${alias} row ${i}: ${gotL[i]} vs ${ref}`);
              }
              for (let i = 0; i < xs.length; i++) {
                if (!(Math.abs(gotP[i]! - p[i]!) <= 4e-6 * p[i]! + 1e-37)) failures.push(`probs cols=${cols} alias=${alias} [${i}]: ${gotP[i]} vs ${p[i]}`);
              }
              // backward, in place on probs: scale·(p − target)
              const sc = 1 / nrows;
              k.softmaxCrossEntropyBackward(probs, lb, oneHot, probs, nrows, cols, sc);
              const d = probs.readSync();
              for (let i = 0; i < xs.length; i++) {
                const row = Math.floor(i / cols);
                const t = oneHot ? dist[i]! : i % cols === labels[row] ? 1 : 0;
                const ref = Math.fround(sc) * (gotP[i]! - t);
                if (!(Math.abs(d[i]! - ref) <= 1e-7 * Math.abs(ref) + 1e-30)) failures.push(`dlogits cols=${cols} oneHot=${oneHot} [${i}]: ${d[i]} vs ${ref}`);
              }
              for (const s of new Set([lg, lb, probs, loss])) s.dispose();
            }
          }
        }
      }
      expect(failures.slice(0, 10)).toEqual([]);
    });

    it('softmaxBackward and logSoftmaxBackward match float64, also dx === dy', () => {
      const failures: string[] = [];
      for (const cols of lengths) {
        const nrows = 4;
        const xs = rows(cols * 3, cols, nrows, 4);
        const { p, logp } = softmaxRef(xs, nrows, cols);
        const dys = rows(cols * 5, cols, nrows, 1);
        const y = Float32Array.from(p);
        const ly = Float32Array.from(logp);
        for (const inPlace of [false, true]) {
          const ys = k.upload(y);
          const lys = k.upload(ly);
          const dy = k.upload(dys);
          const dx = inPlace ? dy : k.alloc(xs.length);
          k.softmaxBackward(ys, dy, dx, nrows, cols);
          const g = dx.readSync();
          const dy2 = k.upload(dys);
          const dx2 = inPlace ? dy2 : k.alloc(xs.length);
          k.logSoftmaxBackward(lys, dy2, dx2, nrows, cols);
          const gl = dx2.readSync();
          for (let r = 0; r < nrows; r++) {
            let dot = 0;
            let sum = 0;
            let scale = 0;
            for (let j = 0; j < cols; j++) {
              dot += dys[r * cols + j]! * y[r * cols + j]!;
              sum += dys[r * cols + j]!;
              scale += Math.abs(dys[r * cols + j]!);
            }
            for (let j = 0; j < cols; j++) {
              const i = r * cols + j;
              const ref = y[i]! * (dys[i]! - dot);
              if (!(Math.abs(g[i]! - ref) <= 2e-6 * y[i]! * (Math.abs(dys[i]!) + scale) + 1e-30)) failures.push(`softmaxBackward cols=${cols} [${i}]: ${g[i]} vs ${ref}`);
              const refl = dys[i]! - Math.exp(ly[i]!) * sum;
              if (!(Math.abs(gl[i]! - refl) <= 2e-6 * (Math.abs(dys[i]!) + Math.exp(ly[i]!) * scale))) failures.push(`logSoftmaxBackward cols=${cols} [${i}]: ${gl[i]} vs ${refl}`);
            }
          }
          for (const s of new Set([ys, lys, dy, dx, dy2, dx2])) s.dispose();
        }
      }
      expect(failures.slice(0, 10)).toEqual([]);
    });
  });
});
