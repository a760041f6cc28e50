/**
 * Image augmentation for batches `[N, H, W]` or `[N, C, H, W]`, on the host (Float32Array loops:
 * one step over all 60 000 MNIST images takes 0.2–0.3 s on a busy 2-core machine, about the
 * cost of writing a fresh 188 MB array). Each function takes a Tensor (returns a new
 * Tensor on the current backend; no autograd) or a host `{ data, shape }` (returns a new host
 * array, nothing uploaded). All channels of one image get the same random draw.
 *
 * Randomness is the Philox stream of src/kernels/philox.ts for `seed`, read from word `offset`
 * (default 0): image i uses words `offset + i·w … offset + i·w + w − 1`, with w = 2 for shifts and
 * crops (vertical, then horizontal) and w = 1 otherwise. A word u32 gives an integer in [0, m) as
 * `floor(u32·m / 2^32)` and a uniform in [0, 1) as `(u32 >>> 8)·2^-24`. Same seed, same result,
 * on every backend and machine.
 */
import { ArgumentError, ShapeError, checkOptions, describeValue, fmtShape } from '../errors.js';
import { tensor } from '../ops/create.js';
import { philoxWords } from '../kernels/philox.js';
import { Tensor } from '../tensor.js';
import { toHostArray, type HostArray } from './host.js';

/** Seed options shared by the random augmentations. */
export interface AugmentRandomOptions {
  /** Integer seed (≥ 0). Default 0. */
  seed?: number;
  /** First Philox word to use (to draw independent streams from one seed). Default 0. */
  offset?: number;
}

/** Options of the geometric augmentations. */
export interface FillOptions {
  /** Value of pixels shifted in from outside the image. Default 0. */
  fill?: number;
}

/** An image batch as a tensor or as host data. */
export type ImageInput = Tensor | HostArray;

interface Geometry {
  n: number;
  c: number;
  h: number;
  w: number;
  /** The leading shape before H, W: `[N]` or `[N, C]`. */
  lead: number[];
}

function geometry(fn: string, shape: readonly number[]): Geometry {
  if (shape.length !== 3 && shape.length !== 4) {
    throw new ShapeError(`${fn}: argument 'x' expected an image batch [N, H, W] or [N, C, H, W], given shape ${fmtShape(shape)}`);
  }
  const n = shape[0]!;
  const c = shape.length === 4 ? shape[1]! : 1;
  return { n, c, h: shape[shape.length - 2]!, w: shape[shape.length - 1]!, lead: shape.slice(0, shape.length - 2) };
}

/** Runs `body` on the host copy of `x` and returns the result in `x`'s kind (Tensor or host). */
function onHost<T extends ImageInput>(fn: string, x: T, body: (src: HostArray, g: Geometry) => HostArray): T {
  if (!(x instanceof Tensor) && (typeof x !== 'object' || x === null || !('data' in x))) {
    throw new ArgumentError(`${fn}: argument 'x' expected a Tensor or { data, shape }, given ${describeValue(x)}`);
  }
  const src = toHostArray(fn, 'x', x);
  const out = body(src, geometry(fn, src.shape));
  return (x instanceof Tensor ? tensor(out.data, out.shape) : out) as T;
}

function seedOpts(fn: string, o: AugmentRandomOptions, extra: readonly string[]): { seed: number; offset: number } {
  checkOptions(fn, o, ['seed', 'offset', ...extra]);
  const seed = o.seed ?? 0;
  const offset = o.offset ?? 0;
  if (!Number.isSafeInteger(seed) || seed < 0) throw new ArgumentError(`${fn}: option 'seed' expected a non-negative integer, given ${describeValue(seed)}`);
  if (!Number.isSafeInteger(offset) || offset < 0) throw new ArgumentError(`${fn}: option 'offset' expected a non-negative integer, given ${describeValue(offset)}`);
  return { seed, offset };
}

function fillOpt(fn: string, v: unknown): number {
  if (v === undefined) return 0;
  if (typeof v !== 'number' || Number.isNaN(v)) throw new ArgumentError(`${fn}: option 'fill' expected a number, given ${describeValue(v)}`);
  return v;
}

function nonNegInt(fn: string, arg: string, v: unknown): number {
  if (typeof v !== 'number' || !Number.isInteger(v) || v < 0) throw new ArgumentError(`${fn}: argument '${arg}' expected a non-negative integer, given ${describeValue(v)}`);
  return v;
}

/** A number or `[vertical, horizontal]` pair of non-negative integers. */
function pair(fn: string, arg: string, v: unknown): [number, number] {
  if (Array.isArray(v)) {
    if (v.length !== 2) throw new ArgumentError(`${fn}: argument '${arg}' expected a number or [height, width], given ${describeValue(v)}`);
    return [nonNegInt(fn, arg, v[0]), nonNegInt(fn, arg, v[1])];
  }
  const n = nonNegInt(fn, arg, v);
  return [n, n];
}

function words(seed: number, offset: number, n: number): Uint32Array {
  const w = new Uint32Array(n);
  philoxWords(seed, offset, n, w);
  return w;
}

/** Integer in [0, m) from one Philox word. */
function below(word: number, m: number): number {
  return Math.floor((word * m) / 4294967296);
}

/** Uniform in [0, 1) from one Philox word (24 bits, like `rand`). */
function unit(word: number): number {
  return (word >>> 8) * 2 ** -24;
}

/**
 * Writes an `oh × ow` window of every `h × w` plane: `out[r, c] = in[r + sy, c + sx]`, or `fill`
 * where that falls outside the plane. `offsets(i)` gives (sy, sx) for image i.
 */
function window(src: HostArray, g: Geometry, oh: number, ow: number, fill: number, offsets: (i: number) => [number, number]): HostArray {
  const { n, c, h, w } = g;
  const out = new Float32Array(n * c * oh * ow);
  if (fill !== 0) out.fill(fill);
  const d = src.data;
  for (let i = 0; i < n; i++) {
    const [sy, sx] = offsets(i);
    const r0 = Math.max(0, -sy);
    const r1 = Math.min(oh, h - sy);
    const c0 = Math.max(0, -sx);
    const c1 = Math.min(ow, w - sx);
    if (r1 <= r0 || c1 <= c0) continue;
    for (let ch = 0; ch < c; ch++) {
      const plane = i * c + ch;
      const inBase = plane * h * w;
      const outBase = plane * oh * ow;
      for (let r = r0; r < r1; r++) {
        const from = inBase + (r + sy) * w + sx;
        const to = outBase + r * ow;
        for (let col = c0; col < c1; col++) out[to + col] = d[from + col]!;
      }
    }
  }
  return { data: out, shape: [...g.lead, oh, ow] };
}

/**
 * Shifts every image by `dy` rows down and `dx` columns right (negative: up / left); pixels
 * shifted in are `fill` (default 0). Deterministic; the building block of {@link randomShift}.
 */
export function shiftImages<T extends ImageInput>(x: T, dy: number, dx: number, options: FillOptions = {}): T {
  const fn = 'shiftImages';
  checkOptions(fn, options, ['fill']);
  const fill = fillOpt(fn, options.fill);
  if (!Number.isInteger(dy) || !Number.isInteger(dx)) throw new ArgumentError(`${fn}: arguments 'dy'/'dx' expected integers, given ${describeValue(dy)}, ${describeValue(dx)}`);
  return onHost(fn, x, (src, g) => window(src, g, g.h, g.w, fill, () => [-dy, -dx]));
}

/**
 * Shifts each image by its own random offset, uniform over the integers in
 * `[−maxShift, maxShift]` per axis (`maxShift` a number or `[vertical, horizontal]`), filling
 * with zeros (or `fill`): the usual MNIST translation augmentation.
 */
export function randomShift<T extends ImageInput>(x: T, maxShift: number | readonly [number, number], options: AugmentRandomOptions & FillOptions = {}): T {
  const fn = 'randomShift';
  const { seed, offset } = seedOpts(fn, options, ['fill']);
  const fill = fillOpt(fn, options.fill);
  const [my, mx] = pair(fn, 'maxShift', maxShift);
  return onHost(fn, x, (src, g) => {
    const r = words(seed, offset, 2 * g.n);
    return window(src, g, g.h, g.w, fill, (i) => [-(below(r[2 * i]!, 2 * my + 1) - my), -(below(r[2 * i + 1]!, 2 * mx + 1) - mx)]);
  });
}

/**
 * Pads each image by `padding` pixels of `fill` (default 0) on every side, then cuts a random
 * `size` window (a number or `[height, width]`), top-left corner uniform over all positions.
 * Output `[N, (C,) height, width]`. `randomCrop(x, 28, 4)` is the CIFAR-style crop.
 */
export function randomCrop<T extends ImageInput>(x: T, size: number | readonly [number, number], padding = 0, options: AugmentRandomOptions & FillOptions = {}): T {
  const fn = 'randomCrop';
  const { seed, offset } = seedOpts(fn, options, ['fill']);
  const fill = fillOpt(fn, options.fill);
  const [oh, ow] = pair(fn, 'size', size);
  const p = nonNegInt(fn, 'padding', padding);
  return onHost(fn, x, (src, g) => {
    const ph = g.h + 2 * p;
    const pw = g.w + 2 * p;
    if (oh < 1 || ow < 1 || oh > ph || ow > pw) {
      throw new ArgumentError(`${fn}: crop size [${oh}, ${ow}] must be ≥ 1 and fit the padded image [${ph}, ${pw}] (image [${g.h}, ${g.w}], padding ${p})`);
    }
    const r = words(seed, offset, 2 * g.n);
    return window(src, g, oh, ow, fill, (i) => [below(r[2 * i]!, ph - oh + 1) - p, below(r[2 * i + 1]!, pw - ow + 1) - p]);
  });
}

/** Mirrors images `i` with `flip(i)` left–right, into a new array or (`inPlace`) into `src`. */
function flipWhere(src: HostArray, g: Geometry, flip: (i: number) => boolean, inPlace = false): HostArray {
  const { n, c, h, w } = g;
  const d = src.data;
  const out = inPlace ? d : new Float32Array(d);
  for (let i = 0; i < n; i++) {
    if (!flip(i)) continue;
    for (let row = i * c * h; row < (i + 1) * c * h; row++) {
      const base = row * w;
      for (let a = base, b = base + w - 1; a < b; a++, b--) {
        const t = out[a]!;
        out[a] = out[b]!;
        out[b] = t;
      }
    }
  }
  return inPlace ? src : { data: out, shape: [...src.shape] };
}

/** Image i flips when its uniform draw is < p. */
function randomFlipHost(src: HostArray, g: Geometry, p: number, seed: number, offset: number, inPlace: boolean): HostArray {
  const r = words(seed, offset, g.n);
  return flipWhere(src, g, (i) => unit(r[i]!) < p, inPlace);
}

function probability(fn: string, name: string, p: unknown): number {
  if (typeof p !== 'number' || !(p >= 0 && p <= 1)) throw new ArgumentError(`${fn}: option '${name}' expected a probability in [0, 1], given ${describeValue(p)}`);
  return p;
}

/** Mirrors every image left–right (deterministic; applying it twice gives the input back). */
export function flipHorizontal<T extends ImageInput>(x: T): T {
  return onHost('flipHorizontal', x, (src, g) => flipWhere(src, g, () => true));
}

/** Mirrors each image left–right with probability `p` (default 0.5; image i flips when its uniform draw is < p). */
export function randomHorizontalFlip<T extends ImageInput>(x: T, options: AugmentRandomOptions & { p?: number } = {}): T {
  const fn = 'randomHorizontalFlip';
  const { seed, offset } = seedOpts(fn, options, ['p']);
  const p = probability(fn, 'p', options.p ?? 0.5);
  return onHost(fn, x, (src, g) => randomFlipHost(src, g, p, seed, offset, false));
}

/** Optional clamping of the photometric augmentations' output. */
export interface ClipOptions {
  /** Clamp results to `[lo, hi]` (e.g. [0, 1] for normalised pixels). Default: no clamping. */
  clip?: readonly [number, number];
}

function clipOpt(fn: string, v: unknown): [number, number] | null {
  if (v === undefined) return null;
  if (!Array.isArray(v) || v.length !== 2 || !(typeof v[0] === 'number' && typeof v[1] === 'number' && v[0] <= v[1])) {
    throw new ArgumentError(`${fn}: option 'clip' expected [lo, hi] with lo ≤ hi, given ${describeValue(v)}`);
  }
  return [v[0], v[1]];
}

/**
 * Maps every pixel of plane (image i, channel ch) through `v·a + b`, with `[a, b] = affine(i, plane)`,
 * and clamps to `clip`. Both photometric jitters are affine per plane.
 */
function perPlane(src: HostArray, g: Geometry, clip: [number, number] | null, inPlace: boolean, affine: (i: number, plane: Float32Array) => [number, number]): HostArray {
  const { n, c, h, w } = g;
  const d = src.data;
  const out = inPlace ? d : new Float32Array(d.length);
  const lo = clip ? clip[0] : -Infinity;
  const hi = clip ? clip[1] : Infinity;
  const size = h * w;
  for (let i = 0; i < n; i++) {
    for (let ch = 0; ch < c; ch++) {
      const base = (i * c + ch) * size;
      const [a, b] = affine(i, d.subarray(base, base + size));
      if (clip) {
        for (let j = base; j < base + size; j++) {
          const v = d[j]! * a + b;
          out[j] = v < lo ? lo : v > hi ? hi : v;
        }
      } else {
        for (let j = base; j < base + size; j++) out[j] = d[j]! * a + b;
      }
    }
  }
  return inPlace ? src : { data: out, shape: [...src.shape] };
}

/**
 * Adds a random brightness offset to each image, uniform in `[−maxDelta, maxDelta)` (TensorFlow's
 * `random_brightness`); `clip` clamps the result.
 */
export function randomBrightness<T extends ImageInput>(x: T, maxDelta: number, options: AugmentRandomOptions & ClipOptions = {}): T {
  const fn = 'randomBrightness';
  const { seed, offset } = seedOpts(fn, options, ['clip']);
  const clip = clipOpt(fn, options.clip);
  const delta = maxDeltaArg(fn, 'maxDelta', maxDelta);
  return onHost(fn, x, (src, g) => brightnessHost(src, g, delta, seed, offset, clip, false));
}

function maxDeltaArg(fn: string, name: string, v: unknown): number {
  if (typeof v !== 'number' || !Number.isFinite(v) || v < 0) throw new ArgumentError(`${fn}: argument '${name}' expected a finite number ≥ 0, given ${describeValue(v)}`);
  return v;
}

function brightnessHost(src: HostArray, g: Geometry, maxDelta: number, seed: number, offset: number, clip: [number, number] | null, inPlace: boolean): HostArray {
  const r = words(seed, offset, g.n);
  return perPlane(src, g, clip, inPlace, (i) => [1, (2 * unit(r[i]!) - 1) * maxDelta]);
}

/**
 * Scales each image's contrast by a random factor f: `(v − m)·f + m` with m the mean of that
 * image's channel (TensorFlow's `adjust_contrast`). `factor` is `[lower, upper]` (0 ≤ lower ≤
 * upper, f uniform in it) or a number c meaning `[max(0, 1 − c), 1 + c]` (torchvision's
 * ColorJitter convention); `clip` clamps the result.
 */
export function randomContrast<T extends ImageInput>(x: T, factor: number | readonly [number, number], options: AugmentRandomOptions & ClipOptions = {}): T {
  const fn = 'randomContrast';
  const { seed, offset } = seedOpts(fn, options, ['clip']);
  const clip = clipOpt(fn, options.clip);
  const range = contrastRange(fn, 'factor', factor);
  return onHost(fn, x, (src, g) => contrastHost(src, g, range, seed, offset, clip, false));
}

function contrastRange(fn: string, name: string, factor: unknown): [number, number] {
  if (Array.isArray(factor) && factor.length === 2 && typeof factor[0] === 'number' && typeof factor[1] === 'number' && factor[0] >= 0 && factor[0] <= factor[1] && Number.isFinite(factor[1])) {
    return [factor[0], factor[1]];
  }
  if (typeof factor === 'number' && Number.isFinite(factor) && factor >= 0) return [Math.max(0, 1 - factor), 1 + factor];
  throw new ArgumentError(`${fn}: argument '${name}' expected a number ≥ 0 or [lower, upper] with 0 ≤ lower ≤ upper, given ${describeValue(factor)}`);
}

function contrastHost(src: HostArray, g: Geometry, [lo, hi]: [number, number], seed: number, offset: number, clip: [number, number] | null, inPlace: boolean): HostArray {
  const r = words(seed, offset, g.n);
  return perPlane(src, g, clip, inPlace, (i, plane) => {
    const f = lo + (hi - lo) * unit(r[i]!);
    let m = 0;
    for (let j = 0; j < plane.length; j++) m += plane[j]!;
    m = plane.length > 0 ? m / plane.length : 0;
    // (v − m)·f + m as one multiply-add per pixel
    return [f, m * (1 - f)];
  });
}

/** Options of {@link augmentImages}; every step is off unless given. */
export interface AugmentOptions extends AugmentRandomOptions {
  /** {@link randomShift}'s `maxShift`. */
  shift?: number | readonly [number, number];
  /** {@link randomCrop} to the input size after this much zero padding (instead of `shift`). */
  cropPadding?: number;
  /** Probability of {@link randomHorizontalFlip} (e.g. 0.5). Not for digits! */
  flip?: number;
  /** {@link randomBrightness}'s `maxDelta`. */
  brightness?: number;
  /** {@link randomContrast}'s `factor`. */
  contrast?: number | readonly [number, number];
  /** Clamp after the photometric steps. */
  clip?: readonly [number, number];
}

/**
 * Applies the enabled steps in the order shift/crop → flip → brightness → contrast, drawing
 * from one seed: with N images, the steps read words from `offset`, `offset + 2N`, `offset + 3N`
 * and `offset + 4N` respectively, so each step's draws are independent.
 */
export function augmentImages<T extends ImageInput>(x: T, options: AugmentOptions = {}): T {
  const fn = 'augmentImages';
  const { seed, offset } = seedOpts(fn, options, ['shift', 'cropPadding', 'flip', 'brightness', 'contrast', 'clip']);
  if (options.shift !== undefined && options.cropPadding !== undefined) throw new ArgumentError(`${fn}: give either 'shift' or 'cropPadding', not both`);
  const shift = options.shift === undefined ? null : pair(fn, 'shift', options.shift);
  const pad = options.cropPadding === undefined ? null : nonNegInt(fn, 'cropPadding', options.cropPadding);
  const flip = options.flip === undefined ? null : probability(fn, 'flip', options.flip);
  const bright = options.brightness === undefined ? null : maxDeltaArg(fn, 'brightness', options.brightness);
  const contrast = options.contrast === undefined ? null : contrastRange(fn, 'contrast', options.contrast);
  const clip = clipOpt(fn, options.clip);
  return onHost(fn, x, (src, g) => {
    const n = g.n;
    // The first step writes a fresh array; the later ones may then work in place.
    let cur: HostArray = src;
    if (shift) cur = randomShift(cur, shift, { seed, offset });
    if (pad !== null) cur = randomCrop(cur, [g.h, g.w], pad, { seed, offset });
    if (flip !== null) cur = randomFlipHost(cur, g, flip, seed, offset + 2 * n, cur !== src);
    if (bright !== null) cur = brightnessHost(cur, g, bright, seed, offset + 3 * n, clip, cur !== src);
    if (contrast) cur = contrastHost(cur, g, contrast, seed, offset + 4 * n, clip, cur !== src);
    return cur === src ? { data: new Float32Array(src.data), shape: [...src.shape] } : cur;
  });
}
