/**
 * Convolution and pooling for the JS reference backend: the obvious loops straight from the
 * {@link Conv2dGeometry} definitions (NCHW), sums in float64. Arguments are validated by the
 * caller. Window position `(oh, ow, ki, kj)` reads input row `oh·strideH − padTop + ki·dilationH`
 * and column `ow·strideW − padLeft + kj·dilationW`; positions outside the image are padding.
 */
import type { Conv2dGeometry } from '../../kernels/kernels.js';

/** `cols[(n, oh, ow), (c, ki, kj)] = x[n, c, ih, iw]`, 0 in the padding. */
export function im2col(x: Float32Array, cols: Float32Array, g: Conv2dGeometry): void {
  const { batch: N, channels: C, height: H, width: W, kernelH: KH, kernelW: KW, outH: OH, outW: OW } = g;
  const K = C * KH * KW;
  for (let n = 0; n < N; n++) {
    for (let oh = 0; oh < OH; oh++) {
      for (let ow = 0; ow < OW; ow++) {
        const row = ((n * OH + oh) * OW + ow) * K;
        for (let c = 0; c < C; c++) {
          for (let ki = 0; ki < KH; ki++) {
            const ih = oh * g.strideH - g.padTop + ki * g.dilationH;
            for (let kj = 0; kj < KW; kj++) {
              const iw = ow * g.strideW - g.padLeft + kj * g.dilationW;
              const inside = ih >= 0 && ih < H && iw >= 0 && iw < W;
              cols[row + (c * KH + ki) * KW + kj] = inside ? x[((n * C + c) * H + ih) * W + iw]! : 0;
            }
          }
        }
      }
    }
  }
}

/** The adjoint of {@link im2col}: `x` (overwritten) = Σ of the cols entries read from each position. */
export function col2im(cols: Float32Array, x: Float32Array, g: Conv2dGeometry): void {
  const { batch: N, channels: C, height: H, width: W, kernelH: KH, kernelW: KW, outH: OH, outW: OW } = g;
  const K = C * KH * KW;
  const acc = new Float64Array(N * C * H * W);
  for (let n = 0; n < N; n++) {
    for (let oh = 0; oh < OH; oh++) {
      for (let ow = 0; ow < OW; ow++) {
        const row = ((n * OH + oh) * OW + ow) * K;
        for (let c = 0; c < C; c++) {
          for (let ki = 0; ki < KH; ki++) {
            const ih = oh * g.strideH - g.padTop + ki * g.dilationH;
            if (ih < 0 || ih >= H) continue;
            for (let kj = 0; kj < KW; kj++) {
              const iw = ow * g.strideW - g.padLeft + kj * g.dilationW;
              if (iw < 0 || iw >= W) continue;
              acc[((n * C + c) * H + ih) * W + iw]! += cols[row + (c * KH + ki) * KW + kj]!;
            }
          }
        }
      }
    }
  }
  for (let i = 0; i < acc.length; i++) x[i] = acc[i]!;
}

/**
 * Calls `visit(ih, iw)` for every in-image position of window `(oh, ow)`, row by row. Returns
 * the number of window positions that fall in the padding.
 */
function forWindow(g: Conv2dGeometry, oh: number, ow: number, visit: (ih: number, iw: number) => void): number {
  let padded = 0;
  for (let ki = 0; ki < g.kernelH; ki++) {
    const ih = oh * g.strideH - g.padTop + ki * g.dilationH;
    for (let kj = 0; kj < g.kernelW; kj++) {
      const iw = ow * g.strideW - g.padLeft + kj * g.dilationW;
      if (ih >= 0 && ih < g.height && iw >= 0 && iw < g.width) visit(ih, iw);
      else padded++;
    }
  }
  return padded;
}

/**
 * Max pooling: the first maximum of each window (NaN counts as maximal; the first NaN wins) and
 * its index `ih·width + iw` within the plane; a window entirely in padding gives −Inf and −1.
 */
export function maxPool2d(x: Float32Array, out: Float32Array, argmax: Float32Array, g: Conv2dGeometry): void {
  const { height: H, width: W, outH: OH, outW: OW } = g;
  const planes = g.batch * g.channels;
  for (let p = 0; p < planes; p++) {
    for (let oh = 0; oh < OH; oh++) {
      for (let ow = 0; ow < OW; ow++) {
        let best = -Infinity;
        let at = -1;
        forWindow(g, oh, ow, (ih, iw) => {
          const v = x[(p * H + ih) * W + iw]!;
          if (at < 0 || v > best || (Number.isNaN(v) && !Number.isNaN(best))) {
            best = v;
            at = ih * W + iw;
          }
        });
        const o = (p * OH + oh) * OW + ow;
        out[o] = best;
        argmax[o] = at;
      }
    }
  }
}

/** `dx` (overwritten) = Σ of `dy` routed to each window's `argmax` (truncated); indices outside the plane (the −1 of an all-padding window) are skipped. */
export function maxPool2dBackward(dy: Float32Array, argmax: Float32Array, dx: Float32Array, g: Conv2dGeometry): void {
  const plane = g.height * g.width;
  const outPlane = g.outH * g.outW;
  const planes = g.batch * g.channels;
  const acc = new Float64Array(planes * plane);
  for (let p = 0; p < planes; p++) {
    for (let o = 0; o < outPlane; o++) {
      const at = argmax[p * outPlane + o]!;
      if (at >= 0 && at < plane) acc[p * plane + Math.trunc(at)]! += dy[p * outPlane + o]!;
    }
  }
  for (let i = 0; i < acc.length; i++) dx[i] = acc[i]!;
}

/** Divisor of window `(oh, ow)`: kernelH·kernelW, or its in-image positions (at least 1). */
function avgDivisor(g: Conv2dGeometry, inside: number, countIncludePad: boolean): number {
  return countIncludePad ? g.kernelH * g.kernelW : Math.max(inside, 1);
}

/** Average pooling: window sum / divisor (see {@link avgDivisor}); an empty window gives 0. */
export function avgPool2d(x: Float32Array, out: Float32Array, g: Conv2dGeometry, countIncludePad: boolean): void {
  const { height: H, width: W, outH: OH, outW: OW } = g;
  const planes = g.batch * g.channels;
  for (let p = 0; p < planes; p++) {
    for (let oh = 0; oh < OH; oh++) {
      for (let ow = 0; ow < OW; ow++) {
        let sum = 0;
        let inside = 0;
        forWindow(g, oh, ow, (ih, iw) => {
          sum += x[(p * H + ih) * W + iw]!;
          inside++;
        });
        out[(p * OH + oh) * OW + ow] = sum / avgDivisor(g, inside, countIncludePad);
      }
    }
  }
}

/** Average pooling's gradient: `dx` (overwritten) gets `dy / divisor` at every in-image position of each window. */
export function avgPool2dBackward(dy: Float32Array, dx: Float32Array, g: Conv2dGeometry, countIncludePad: boolean): void {
  const { height: H, width: W, outH: OH, outW: OW } = g;
  const planes = g.batch * g.channels;
  const acc = new Float64Array(planes * H * W);
  for (let p = 0; p < planes; p++) {
    for (let oh = 0; oh < OH; oh++) {
      for (let ow = 0; ow < OW; ow++) {
        const inside = g.kernelH * g.kernelW - forWindow(g, oh, ow, () => {});
        const share = dy[(p * OH + oh) * OW + ow]! / avgDivisor(g, inside, countIncludePad);
        forWindow(g, oh, ow, (ih, iw) => {
          acc[(p * H + ih) * W + iw]! += share;
        });
      }
    }
  }
  for (let i = 0; i < acc.length; i++) dx[i] = acc[i]!;
}
