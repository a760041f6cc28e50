// Convolution and pooling over NCHW float32 data: im2col / col2im (a convolution is then the
// packed GEMM cols · Wᵀ) and max / average pooling forward and backward. ABI: bindings/abi.ts.
//
// Every export takes the Conv2dGeometry fields (src/kernels/kernels.ts) in declaration order,
// then a unit range [lo, hi) so the backend can cut a call into chunks for the worker pool:
// im2col's units are output rows (n, oh) — each writes a contiguous run of cols — and every
// other kernel's units are (n, c) planes, so a chunk owns the output it writes and accumulates
// in a fixed order: results are bit-identical however a call is cut.
//
// Window (oh, ow, ki, kj) reads input row oh·strideH − padTop + ki·dilationH and column
// ow·strideW − padLeft + kj·dilationW; positions outside the image are padding. The geometry is
// copied into module globals at entry (globals are per instance, hence per thread).

let C: i32 = 0;
let H: i32 = 0;
let W: i32 = 0;
let KH: i32 = 0;
let KW: i32 = 0;
let SH: i32 = 0;
let SW: i32 = 0;
let PT: i32 = 0;
let PL: i32 = 0;
let DH: i32 = 0;
let DW: i32 = 0;
let OH: i32 = 0;
let OW: i32 = 0;

// @ts-ignore: decorator
@inline function setGeometry(
  n: i32, c: i32, h: i32, w: i32, kh: i32, kw: i32, sh: i32, sw: i32,
  pt: i32, pl: i32, dh: i32, dw: i32, oh: i32, ow: i32,
): void {
  C = c; H = h; W = w; KH = kh; KW = kw; SH = sh; SW = sw;
  PT = pt; PL = pl; DH = dh; DW = dw; OH = oh; OW = ow;
}

/** Byte offset of element i. */
// @ts-ignore: decorator
@inline function at(i: i32): usize {
  return <usize>i << 2;
}

/** Copies n floats src → dst (distinct ranges); from 4 floats on, whole vectors with an overlapping last one. */
// @ts-ignore: decorator
@inline function copyRun(src: usize, dst: usize, n: i32): void {
  if (n >= 4) {
    let i = 0;
    for (; i + 4 <= n; i += 4) v128.store(dst + at(i), v128.load(src + at(i)));
    if (i < n) v128.store(dst + at(n - 4), v128.load(src + at(n - 4)));
  } else {
    for (let i = 0; i < n; i++) store<f32>(dst + at(i), load<f32>(src + at(i)));
  }
}

/** Writes n zeros at dst. */
// @ts-ignore: decorator
@inline function zeroRun(dst: usize, n: i32): void {
  if (n >= 4) {
    const z = f32x4.splat(0);
    let i = 0;
    for (; i + 4 <= n; i += 4) v128.store(dst + at(i), z);
    if (i < n) v128.store(dst + at(n - 4), z);
  } else {
    for (let i = 0; i < n; i++) store<f32>(dst + at(i), 0);
  }
}

/** `dst[i] += src[i]` for i < n (each element once: the same sum as a scalar loop). */
// @ts-ignore: decorator
@inline function addRun(src: usize, dst: usize, n: i32): void {
  let i = 0;
  for (; i + 4 <= n; i += 4) v128.store(dst + at(i), f32x4.add(v128.load(dst + at(i)), v128.load(src + at(i))));
  for (; i < n; i++) store<f32>(dst + at(i), load<f32>(dst + at(i)) + load<f32>(src + at(i)));
}

// The in-image taps of a window along one axis, set by taps(): LO is the first tap i with
// 0 ≤ base + i·dilation, HI one past the last with base + i·dilation < size (LO ≤ HI ≤ kernel).
let LO: i32 = 0;
let HI: i32 = 0;
// @ts-ignore: decorator
@inline function taps(base: i32, k: i32, d: i32, size: i32): void {
  let lo = base < 0 ? (d - 1 - base) / d : 0;
  let hi = size - base <= 0 ? 0 : (size - base + d - 1) / d;
  lo = min(lo, k);
  hi = max(min(hi, k), lo);
  LO = lo;
  HI = hi;
}

// ---- im2col / col2im ------------------------------------------------------------------------

/**
 * `cols[(n, oh, ow), (c, ki, kj)] = x[n, c, ih, iw]` (0 in the padding) for the output rows
 * (n, oh) with lo ≤ n·outH + oh < hi; cols is `[batch·outH·outW, channels·kernelH·kernelW]`.
 * Each window row is written as zeros before the image, a run copied from the image row
 * (vectors when dilationW = 1), zeros after it.
 */
export function im2col_f32(
  x: usize, cols: usize,
  batch: i32, channels: i32, height: i32, width: i32, kernelH: i32, kernelW: i32, strideH: i32, strideW: i32,
  padTop: i32, padLeft: i32, dilationH: i32, dilationW: i32, outH: i32, outW: i32,
  lo: i32, hi: i32,
): void {
  setGeometry(batch, channels, height, width, kernelH, kernelW, strideH, strideW, padTop, padLeft, dilationH, dilationW, outH, outW);
  const K = C * KH * KW;
  const plane = H * W;
  for (let u = lo; u < hi; u++) {
    const n = u / OH;
    const ihBase = (u - n * OH) * SH - PT;
    taps(ihBase, KH, DH, H);
    const kiLo = LO, kiHi = HI;
    const img = x + at(n * C * plane + (ihBase + kiLo * DH) * W);
    let dst = cols + at(u * OW) * <usize>K;
    for (let ow = 0; ow < OW; ow++) {
      const iw0 = ow * SW - PL;
      taps(iw0, KW, DW, W);
      const kjLo = LO, kjHi = HI, run = kjHi - kjLo;
      const srcOff = iw0 + kjLo * DW;
      for (let c = 0; c < C; c++) {
        if (kiLo > 0) {
          zeroRun(dst, kiLo * KW);
          dst += at(kiLo * KW);
        }
        let src = img + at(c * plane + srcOff);
        for (let ki = kiLo; ki < kiHi; ki++) {
          for (let kj = 0; kj < kjLo; kj++) store<f32>(dst + at(kj), 0);
          const d = dst + at(kjLo);
          if (DW == 1) {
            copyRun(src, d, run);
          } else {
            for (let j = 0; j < run; j++) store<f32>(d + at(j), load<f32>(src + at(j * DW)));
          }
          for (let kj = kjHi; kj < KW; kj++) store<f32>(dst + at(kj), 0);
          dst += at(KW);
          src += at(DH * W);
        }
        if (kiHi < KH) {
          zeroRun(dst, (KH - kiHi) * KW);
          dst += at((KH - kiHi) * KW);
        }
      }
    }
  }
}

/**
 * The adjoint of im2col for the planes (n, c) with lo ≤ n·channels + c < hi: each such plane of
 * x is overwritten with the sum of the cols entries read from each position, accumulated in
 * (oh, ow, ki, kj) order.
 */
export function col2im_f32(
  cols: usize, x: usize,
  batch: i32, channels: i32, height: i32, width: i32, kernelH: i32, kernelW: i32, strideH: i32, strideW: i32,
  padTop: i32, padLeft: i32, dilationH: i32, dilationW: i32, outH: i32, outW: i32,
  lo: i32, hi: i32,
): void {
  setGeometry(batch, channels, height, width, kernelH, kernelW, strideH, strideW, padTop, padLeft, dilationH, dilationW, outH, outW);
  const KK = KH * KW;
  const K = C * KK;
  const plane = H * W;
  let q = lo;
  while (q < hi) {
    // Planes c0..c1 of image n: the part of [q, hi) inside this image.
    const n = q / C;
    const c0 = q - n * C;
    const c1 = min(C, c0 + (hi - q));
    const img = x + at(n * C * plane);
    zeroRun(img + at(c0 * plane), (c1 - c0) * plane);
    let row = cols + at(n * OH * OW) * <usize>K;
    for (let oh = 0; oh < OH; oh++) {
      const ihBase = oh * SH - PT;
      taps(ihBase, KH, DH, H);
      const kiLo = LO, kiHi = HI;
      for (let ow = 0; ow < OW; ow++) {
        const iw0 = ow * SW - PL;
        taps(iw0, KW, DW, W);
        const kjLo = LO, run = HI - LO;
        const dstOff = (ihBase + kiLo * DH) * W + iw0 + kjLo * DW;
        for (let c = c0; c < c1; c++) {
          let dst = img + at(c * plane + dstOff);
          let seg = row + at(c * KK + kiLo * KW + kjLo);
          for (let ki = kiLo; ki < kiHi; ki++) {
            if (DW == 1) {
              addRun(seg, dst, run);
            } else {
              for (let j = 0; j < run; j++) {
                const d = dst + at(j * DW);
                store<f32>(d, load<f32>(d) + load<f32>(seg + at(j)));
              }
            }
            seg += at(KW);
            dst += at(DH * W);
          }
        }
        row += at(K);
      }
    }
    q += c1 - c0;
  }
}

// ---- pooling ------------------------------------------------------------------------------

// The 2×2 / stride-2 window grid (kernelW = strideW = 2, dilationW = 1, kernelH = 2) of most
// CNNs gets a vector path: for 4 adjacent windows whose taps are all inside the image, two
// vector loads per window row hold their 8 columns, split into even and odd columns by a
// shuffle, so each of the 4 taps is one vector. pairGrid() tells whether the geometry is such a
// grid and sets PAIR_LO / PAIR_HI: the outputs ow whose two columns are both inside the image.
let PAIR_LO: i32 = 0;
let PAIR_HI: i32 = 0;
// @ts-ignore: decorator
@inline function pairGrid(): bool {
  if (KH != 2 || KW != 2 || SW != 2 || DW != 1) return false;
  PAIR_LO = (PL + 1) >> 1; // first ow with 2·ow − padLeft ≥ 0
  PAIR_HI = min(OW, W - 2 + PL >= 0 ? ((W - 2 + PL) >> 1) + 1 : 0); // past the last with 2·ow − padLeft + 1 < width
  return PAIR_HI - PAIR_LO >= 4;
}

/**
 * Max pooling of 4 windows of the 2×2 / stride-2 grid whose top-left tap is element `i0` of the
 * plane at `src` (rows i0 and i0 + dilationH·width): same choice as the scalar loop — taps in
 * window order, a tap wins when it is greater, or NaN while the best so far is not.
 */
// @ts-ignore: decorator
@inline function maxPairs4(src: usize, i0: i32, out: usize, argmax: usize): void {
  const r0 = src + at(i0);
  const r1 = r0 + at(DH * W);
  const a0 = v128.load(r0), a1 = v128.load(r0, 16);
  const b0 = v128.load(r1), b1 = v128.load(r1, 16);
  let best = f32x4.shuffle(a0, a1, 0, 2, 4, 6);
  let idx = i32x4.add(i32x4.splat(i0), i32x4(0, 2, 4, 6));
  const one = i32x4.splat(1);
  // (0, 1)
  let v = f32x4.shuffle(a0, a1, 1, 3, 5, 7);
  let take = v128.or(f32x4.gt(v, best), v128.andnot(f32x4.ne(v, v), f32x4.ne(best, best)));
  best = v128.bitselect(v, best, take);
  idx = v128.bitselect(i32x4.add(idx, one), idx, take);
  // (1, 0) and (1, 1): the same columns one window row down.
  const down = i32x4.add(i32x4.splat(i0 + DH * W), i32x4(0, 2, 4, 6));
  v = f32x4.shuffle(b0, b1, 0, 2, 4, 6);
  take = v128.or(f32x4.gt(v, best), v128.andnot(f32x4.ne(v, v), f32x4.ne(best, best)));
  best = v128.bitselect(v, best, take);
  idx = v128.bitselect(down, idx, take);
  v = f32x4.shuffle(b0, b1, 1, 3, 5, 7);
  take = v128.or(f32x4.gt(v, best), v128.andnot(f32x4.ne(v, v), f32x4.ne(best, best)));
  best = v128.bitselect(v, best, take);
  idx = v128.bitselect(i32x4.add(down, one), idx, take);
  v128.store(out, best);
  v128.store(argmax, f32x4.convert_i32x4_s(idx));
}

/** Average pooling of 4 windows of the 2×2 / stride-2 grid (see maxPairs4): ((0 + t00 + t01) + t10) + t11, as the scalar loop sums. */
// @ts-ignore: decorator
@inline function avgPairs4(src: usize, i0: i32, out: usize, divisor: f32): void {
  const r0 = src + at(i0);
  const r1 = r0 + at(DH * W);
  const a0 = v128.load(r0), a1 = v128.load(r0, 16);
  const b0 = v128.load(r1), b1 = v128.load(r1, 16);
  let sum = f32x4.add(f32x4.splat(0), f32x4.shuffle(a0, a1, 0, 2, 4, 6));
  sum = f32x4.add(sum, f32x4.shuffle(a0, a1, 1, 3, 5, 7));
  sum = f32x4.add(sum, f32x4.shuffle(b0, b1, 0, 2, 4, 6));
  sum = f32x4.add(sum, f32x4.shuffle(b0, b1, 1, 3, 5, 7));
  v128.store(out, f32x4.div(sum, f32x4.splat(divisor)));
}

/**
 * Average pooling's gradient for 4 windows of the 2×2 / stride-2 grid (see maxPairs4): adds
 * dy / divisor to the 4 taps of each, i.e. each share twice along both window rows. The windows'
 * columns do not overlap, so every element gets the same additions in the same order as in the
 * scalar loop.
 */
// @ts-ignore: decorator
@inline function avgPairsBackward4(dy: usize, dst: usize, i0: i32, divisor: f32): void {
  const share = f32x4.div(v128.load(dy), f32x4.splat(divisor));
  const left = f32x4.shuffle(share, share, 0, 0, 1, 1);
  const right = f32x4.shuffle(share, share, 2, 2, 3, 3);
  const r0 = dst + at(i0);
  const r1 = r0 + at(DH * W);
  v128.store(r0, f32x4.add(v128.load(r0), left));
  v128.store(r0, f32x4.add(v128.load(r0, 16), right), 16);
  v128.store(r1, f32x4.add(v128.load(r1), left));
  v128.store(r1, f32x4.add(v128.load(r1, 16), right), 16);
}

/**
 * Max pooling of the planes lo ≤ n·channels + c < hi: the first maximum of each window (NaN
 * counts as maximal, the first NaN wins) and its index ih·width + iw as float; a window
 * entirely in padding gives −Inf and −1.
 */
export function maxPool2d_f32(
  x: usize, out: usize, argmax: usize,
  batch: i32, channels: i32, height: i32, width: i32, kernelH: i32, kernelW: i32, strideH: i32, strideW: i32,
  padTop: i32, padLeft: i32, dilationH: i32, dilationW: i32, outH: i32, outW: i32,
  lo: i32, hi: i32,
): void {
  setGeometry(batch, channels, height, width, kernelH, kernelW, strideH, strideW, padTop, padLeft, dilationH, dilationW, outH, outW);
  const plane = H * W;
  const outPlane = OH * OW;
  const pairs = pairGrid();
  const owLo = PAIR_LO, owHi = PAIR_HI;
  for (let q = lo; q < hi; q++) {
    const src = x + at(q * plane);
    let o = at(q * outPlane);
    for (let oh = 0; oh < OH; oh++) {
      const ihBase = oh * SH - PT;
      taps(ihBase, KH, DH, H);
      const kiLo = LO, kiHi = HI;
      const vec = pairs && kiLo == 0 && kiHi == 2;
      let ow = 0;
      while (ow < OW) {
        if (vec && ow >= owLo && ow + 4 <= owHi) {
          maxPairs4(src, ihBase * W + ow * 2 - PL, out + o, argmax + o);
          o += 16;
          ow += 4;
          continue;
        }
        const iw0 = ow * SW - PL;
        taps(iw0, KW, DW, W);
        const kjLo = LO, kjHi = HI;
        let best: f32 = -Infinity;
        let idx: i32 = -1;
        for (let ki = kiLo; ki < kiHi; ki++) {
          const rowIdx = (ihBase + ki * DH) * W + iw0;
          for (let kj = kjLo; kj < kjHi; kj++) {
            const i = rowIdx + kj * DW;
            const v = load<f32>(src + at(i));
            if (idx < 0 || v > best || (v != v && best == best)) {
              best = v;
              idx = i;
            }
          }
        }
        store<f32>(out + o, best);
        store<f32>(argmax + o, <f32>idx);
        o += 4;
        ow++;
      }
    }
  }
}

/**
 * Max pooling's gradient for the planes lo ≤ n·channels + c < hi: the plane of dx is zeroed,
 * then each dy is added at its argmax (truncated; in output order); an index outside
 * [0, height·width) — the −1 of an all-padding window — is skipped.
 */
export function maxPool2dBackward_f32(
  dy: usize, argmax: usize, dx: usize,
  batch: i32, channels: i32, height: i32, width: i32, kernelH: i32, kernelW: i32, strideH: i32, strideW: i32,
  padTop: i32, padLeft: i32, dilationH: i32, dilationW: i32, outH: i32, outW: i32,
  lo: i32, hi: i32,
): void {
  setGeometry(batch, channels, height, width, kernelH, kernelW, strideH, strideW, padTop, padLeft, dilationH, dilationW, outH, outW);
  const plane = H * W;
  const outPlane = OH * OW;
  const limit = <f32>plane;
  if (hi > lo) zeroRun(dx + at(lo * plane), (hi - lo) * plane);
  for (let q = lo; q < hi; q++) {
    const dst = dx + at(q * plane);
    const base = at(q * outPlane);
    for (let o = 0; o < outPlane; o++) {
      const a = load<f32>(argmax + base + at(o));
      // Compare as float first: NaN and out-of-range values never reach the conversion.
      if (a >= 0 && a < limit) {
        const d = dst + at(<i32>a);
        store<f32>(d, load<f32>(d) + load<f32>(dy + base + at(o)));
      }
    }
  }
}

/**
 * Average pooling of the planes lo ≤ n·channels + c < hi: window sum (row by row) / divisor,
 * the divisor being kernelH·kernelW when countIncludePad, else the in-image positions (an
 * all-padding window gives 0).
 */
export function avgPool2d_f32(
  x: usize, out: usize,
  batch: i32, channels: i32, height: i32, width: i32, kernelH: i32, kernelW: i32, strideH: i32, strideW: i32,
  padTop: i32, padLeft: i32, dilationH: i32, dilationW: i32, outH: i32, outW: i32,
  countIncludePad: i32, lo: i32, hi: i32,
): void {
  setGeometry(batch, channels, height, width, kernelH, kernelW, strideH, strideW, padTop, padLeft, dilationH, dilationW, outH, outW);
  const plane = H * W;
  const outPlane = OH * OW;
  const pairs = pairGrid();
  const owLo = PAIR_LO, owHi = PAIR_HI;
  for (let q = lo; q < hi; q++) {
    const src = x + at(q * plane);
    let o = out + at(q * outPlane);
    for (let oh = 0; oh < OH; oh++) {
      const ihBase = oh * SH - PT;
      taps(ihBase, KH, DH, H);
      const kiLo = LO, kiHi = HI;
      const vec = pairs && kiLo == 0 && kiHi == 2;
      let ow = 0;
      while (ow < OW) {
        if (vec && ow >= owLo && ow + 4 <= owHi) {
          avgPairs4(src, ihBase * W + ow * 2 - PL, o, 4);
          o += 16;
          ow += 4;
          continue;
        }
        const iw0 = ow * SW - PL;
        taps(iw0, KW, DW, W);
        const kjLo = LO, kjHi = HI;
        let sum: f32 = 0;
        for (let ki = kiLo; ki < kiHi; ki++) {
          const row = src + at((ihBase + ki * DH) * W + iw0 + kjLo * DW);
          for (let j = 0; j < kjHi - kjLo; j++) sum += load<f32>(row + at(j * DW));
        }
        const inside = (kiHi - kiLo) * (kjHi - kjLo);
        store<f32>(o, sum / <f32>(countIncludePad ? KH * KW : max(inside, 1)));
        o += 4;
        ow++;
      }
    }
  }
}

/**
 * Average pooling's gradient for the planes lo ≤ n·channels + c < hi: the plane of dx is
 * zeroed, then each window adds dy / divisor at each of its in-image positions (output order).
 */
export function avgPool2dBackward_f32(
  dy: usize, dx: usize,
  batch: i32, channels: i32, height: i32, width: i32, kernelH: i32, kernelW: i32, strideH: i32, strideW: i32,
  padTop: i32, padLeft: i32, dilationH: i32, dilationW: i32, outH: i32, outW: i32,
  countIncludePad: i32, lo: i32, hi: i32,
): void {
  setGeometry(batch, channels, height, width, kernelH, kernelW, strideH, strideW, padTop, padLeft, dilationH, dilationW, outH, outW);
  const plane = H * W;
  const outPlane = OH * OW;
  const pairs = pairGrid();
  const owLo = PAIR_LO, owHi = PAIR_HI;
  if (hi > lo) zeroRun(dx + at(lo * plane), (hi - lo) * plane);
  for (let q = lo; q < hi; q++) {
    const dst = dx + at(q * plane);
    let o = dy + at(q * outPlane);
    for (let oh = 0; oh < OH; oh++) {
      const ihBase = oh * SH - PT;
      taps(ihBase, KH, DH, H);
      const kiLo = LO, kiHi = HI;
      const vec = pairs && kiLo == 0 && kiHi == 2;
      let ow = 0;
      while (ow < OW) {
        if (vec && ow >= owLo && ow + 4 <= owHi) {
          avgPairsBackward4(o, dst, ihBase * W + ow * 2 - PL, 4);
          o += 16;
          ow += 4;
          continue;
        }
        const iw0 = ow * SW - PL;
        taps(iw0, KW, DW, W);
        const kjLo = LO, kjHi = HI;
        const inside = (kiHi - kiLo) * (kjHi - kjLo);
        const share = load<f32>(o) / <f32>(countIncludePad ? KH * KW : max(inside, 1));
        o += 4;
        ow++;
        for (let ki = kiLo; ki < kiHi; ki++) {
          const row = dst + at((ihBase + ki * DH) * W + iw0 + kjLo * DW);
          for (let j = 0; j < kjHi - kjLo; j++) {
            const d = row + at(j * DW);
            store<f32>(d, load<f32>(d) + share);
          }
        }
      }
    }
  }
}
