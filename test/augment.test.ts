/**
 * Image augmentation (src/data/augment.ts): known shifts and crops, flips, brightness/contrast
 * jitter, determinism for a seed, [N, H, W] and [N, C, H, W] layouts, host and tensor inputs,
 * MNIST-sized speed, and argument errors.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import * as ax from '../src/index.js';

type Host = ax.HostArray;

/** n images [c?, h, w] whose pixel values are distinct and non-zero: 1 + flat index. */
function ramp(shape: number[]): Host {
  const size = shape.reduce((a, b) => a * b, 1);
  return { data: Float32Array.from({ length: size }, (_, i) => 1 + i), shape };
}

/** Pixel (r, c) of plane p of a host batch with planes of h × w. */
function px(h: Host, p: number, r: number, c: number): number {
  const hh = h.shape[h.shape.length - 2]!;
  const ww = h.shape[h.shape.length - 1]!;
  return h.data[(p * hh + r) * ww + c]!;
}

/** The (dy, dx) in [−m, m]² for which shiftImages(image i) reproduces `out`'s image i, or null. */
function findShift(src: Host, out: Host, i: number, m: number): [number, number] | null {
  const one = (h: Host): Host => {
    const size = h.shape.slice(1).reduce((a, b) => a * b, 1);
    return { data: h.data.slice(i * size, (i + 1) * size), shape: [1, ...h.shape.slice(1)] };
  };
  const s = one(src);
  const o = one(out);
  for (let dy = -m; dy <= m; dy++) {
    for (let dx = -m; dx <= m; dx++) {
      const t = ax.shiftImages(s, dy, dx);
      if (t.data.every((v, j) => v === o.data[j])) return [dy, dx];
    }
  }
  return null;
}

describe('augmentation on the host', () => {
  it('shiftImages moves pixels by (dy, dx) and fills with zeros (or fill)', () => {
    const img: Host = { data: new Float32Array(36), shape: [1, 6, 6] };
    img.data[2 * 6 + 3] = 5; // pixel (2, 3)
    const out = ax.shiftImages(img, 1, -2);
    expect(out.shape).toEqual([1, 6, 6]);
    expect(px(out, 0, 3, 1)).toBe(5);
    expect(out.data.reduce((a, b) => a + b, 0)).toBe(5);
    // a ramp shifted right by 1: column 0 is filled, column c holds the old column c − 1
    const r = ramp([2, 3, 4]);
    const s = ax.shiftImages(r, 0, 1, { fill: -1 });
    for (let p = 0; p < 2; p++) {
      for (let row = 0; row < 3; row++) {
        expect(px(s, p, row, 0)).toBe(-1);
        for (let c = 1; c < 4; c++) expect(px(s, p, row, c)).toBe(px(r, p, row, c - 1));
      }
    }
    // shifting out entirely leaves only fill; shifting back and forth loses only the border
    expect(Array.from(ax.shiftImages(r, 3, 0).data).every((v) => v === 0)).toBe(true);
    const back = ax.shiftImages(ax.shiftImages(r, 1, 1), -1, -1);
    expect(px(back, 0, 0, 0)).toBe(px(r, 0, 0, 0));
    expect(px(back, 0, 2, 3)).toBe(0);
    expect(Array.from(ax.shiftImages(r, 0, 0).data)).toEqual(Array.from(r.data));
  });

  it('randomShift is reproducible, bounded and covers every offset', () => {
    const src = ramp([400, 5, 5]);
    const a = ax.randomShift(src, 2, { seed: 11 });
    const b = ax.randomShift(src, 2, { seed: 11 });
    expect(Array.from(a.data)).toEqual(Array.from(b.data));
    expect(Array.from(ax.randomShift(src, 2, { seed: 12 }).data)).not.toEqual(Array.from(a.data));
    // image 0 with offset 2 gets image 1's draw
    expect(findShift(src, ax.randomShift(src, 2, { seed: 11, offset: 2 }), 0, 2)).toEqual(findShift(src, a, 1, 2));
    const seen = new Set<string>();
    for (let i = 0; i < 400; i++) {
      const s = findShift(src, a, i, 2);
      expect(s).not.toBeNull();
      seen.add(String(s));
    }
    expect(seen.size).toBe(25); // all of [−2, 2]²
    // [vertical, horizontal] bounds
    const v = ax.randomShift(src, [1, 0], { seed: 3 });
    for (let i = 0; i < 20; i++) expect(findShift(src, v, i, 1)![1]).toBe(0);
    expect(Array.from(ax.randomShift(src, 0).data)).toEqual(Array.from(src.data));
  });

  it('randomShift moves all channels of an image together ([N, C, H, W])', () => {
    const src = ramp([30, 3, 4, 4]);
    const out = ax.randomShift(src, 1, { seed: 5 });
    expect(out.shape).toEqual([30, 3, 4, 4]);
    for (let i = 0; i < 30; i++) {
      const s = findShift(src, out, i, 1);
      expect(s).not.toBeNull(); // one (dy, dx) explains all three channels
    }
  });

  it('randomCrop pads with zeros and cuts windows of the requested size', () => {
    const src = ramp([200, 2, 5, 5]);
    const same = ax.randomCrop(src, 5, 0, { seed: 1 });
    expect(Array.from(same.data)).toEqual(Array.from(src.data)); // full-size crop without padding
    const small = ax.randomCrop(src, [3, 2], 0, { seed: 2 });
    expect(small.shape).toEqual([200, 2, 3, 2]);
    for (let i = 0; i < 200; i++) {
      // the window's top-left value locates it; the rest must follow from there, in both channels
      const v = px(small, 2 * i, 0, 0) - 1 - i * 50;
      const top = Math.floor(v / 5);
      const left = v % 5;
      expect(top).toBeLessThanOrEqual(2);
      expect(left).toBeLessThanOrEqual(3);
      for (let ch = 0; ch < 2; ch++) {
        for (let r = 0; r < 3; r++) for (let c = 0; c < 2; c++) expect(px(small, 2 * i + ch, r, c)).toBe(px(src, 2 * i + ch, top + r, left + c));
      }
    }
    // padding p with a full-size crop is a random shift in [−p, p]²
    const padded = ax.randomCrop(src, 5, 2, { seed: 9 });
    const seen = new Set<string>();
    for (let i = 0; i < 200; i++) {
      const s = findShift(src, padded, i, 2);
      expect(s).not.toBeNull();
      seen.add(String(s));
    }
    expect(seen.size).toBe(25);
    // a larger output than the image, from padding
    expect(ax.randomCrop(src, 7, 1).shape).toEqual([200, 2, 7, 7]);
  });

  it('flips: twice is the identity; p = 0 and p = 1; about half at p = 0.5', () => {
    const src = ramp([500, 3, 4]);
    const f = ax.flipHorizontal(src);
    expect(px(f, 0, 1, 0)).toBe(px(src, 0, 1, 3));
    expect(Array.from(ax.flipHorizontal(f).data)).toEqual(Array.from(src.data));
    expect(Array.from(ax.randomHorizontalFlip(src, { p: 0 }).data)).toEqual(Array.from(src.data));
    expect(Array.from(ax.randomHorizontalFlip(src, { p: 1 }).data)).toEqual(Array.from(f.data));
    const r = ax.randomHorizontalFlip(src, { seed: 4 });
    expect(Array.from(ax.randomHorizontalFlip(src, { seed: 4 }).data)).toEqual(Array.from(r.data));
    let flipped = 0;
    for (let i = 0; i < 500; i++) {
      const img = r.data.subarray(i * 12, i * 12 + 12);
      const isSrc = img.every((v, j) => v === src.data[i * 12 + j]);
      const isFlip = img.every((v, j) => v === f.data[i * 12 + j]);
      expect(isSrc || isFlip).toBe(true);
      if (isFlip) flipped++;
    }
    expect(flipped).toBeGreaterThan(200);
    expect(flipped).toBeLessThan(300);
  });

  it('brightness adds one bounded offset per image; contrast keeps each channel mean', () => {
    const src = ramp([100, 2, 3, 3]);
    const b = ax.randomBrightness(src, 0.5, { seed: 2 });
    expect(Array.from(ax.randomBrightness(src, 0.5, { seed: 2 }).data)).toEqual(Array.from(b.data));
    const deltas = new Set<number>();
    for (let i = 0; i < 100; i++) {
      const d = b.data[i * 18]! - src.data[i * 18]!;
      expect(Math.abs(d)).toBeLessThanOrEqual(0.5);
      for (let j = 0; j < 18; j++) expect(b.data[i * 18 + j]! - src.data[i * 18 + j]!).toBeCloseTo(d, 2);
      deltas.add(Math.round(d * 100));
    }
    expect(deltas.size).toBeGreaterThan(30);
    const clipped = ax.randomBrightness({ data: new Float32Array([0.9, 0.1]), shape: [1, 1, 2] }, 1, { seed: 1, clip: [0, 1] });
    for (const v of clipped.data) expect(v >= 0 && v <= 1).toBe(true);

    const c = ax.randomContrast(src, [0.5, 1.5], { seed: 3 });
    for (let p = 0; p < 200; p++) {
      let ms = 0;
      let mc = 0;
      for (let j = 0; j < 9; j++) {
        ms += src.data[p * 9 + j]! / 9;
        mc += c.data[p * 9 + j]! / 9;
      }
      expect(mc).toBeCloseTo(ms, 2);
      // spread scales by the image's factor f ∈ [0.5, 1.5]: pixel 0 is 4 below the mean in the ramp
      const f = (ms - c.data[p * 9]!) / 4;
      expect(f).toBeGreaterThanOrEqual(0.5 - 1e-4);
      expect(f).toBeLessThanOrEqual(1.5 + 1e-4);
      // both channels of an image share f
      if (p % 2 === 1) expect(f).toBeCloseTo((ms - c.data[p * 9]! + 0) / 4, 5);
    }
    expect(Array.from(ax.randomContrast(src, 0).data)).toEqual(Array.from(src.data));
  });

  it('augmentImages composes the steps with independent streams of one seed', () => {
    const src = ramp([50, 6, 6]);
    const all = ax.augmentImages(src, { shift: 1, flip: 0.5, brightness: 0.1, contrast: 0.2, seed: 8 });
    expect(Array.from(ax.augmentImages(src, { shift: 1, flip: 0.5, brightness: 0.1, contrast: 0.2, seed: 8 }).data)).toEqual(Array.from(all.data));
    let manual = ax.randomShift(src, 1, { seed: 8 });
    manual = ax.randomHorizontalFlip(manual, { seed: 8, offset: 100, p: 0.5 });
    manual = ax.randomBrightness(manual, 0.1, { seed: 8, offset: 150 });
    manual = ax.randomContrast(manual, 0.2, { seed: 8, offset: 200 });
    expect(Array.from(all.data)).toEqual(Array.from(manual.data));
    const none = ax.augmentImages(src);
    expect(Array.from(none.data)).toEqual(Array.from(src.data));
    expect(none.data).not.toBe(src.data);
  });

  it('is fast enough for MNIST: 60 000 × 28 × 28 shifted in well under a second', () => {
    const data = new Float32Array(60000 * 784);
    for (let i = 0; i < data.length; i++) data[i] = i % 255;
    const mnist: Host = { data, shape: [60000, 28, 28] };
    let best = Infinity;
    for (let rep = 0; rep < 2; rep++) {
      const t0 = performance.now();
      ax.randomShift(mnist, 2, { seed: rep });
      best = Math.min(best, performance.now() - t0);
    }
    let bestFlip = Infinity;
    for (let rep = 0; rep < 1; rep++) {
      const t0 = performance.now();
      ax.augmentImages(mnist, { shift: 2, brightness: 0.1, contrast: 0.2, seed: rep });
      bestFlip = Math.min(bestFlip, performance.now() - t0);
    }
    console.log(`randomShift on 60000×28×28: ${best.toFixed(0)} ms; shift+brightness+contrast: ${bestFlip.toFixed(0)} ms`);
    expect(best).toBeLessThan(1000);
  });

  it('throws clear errors', () => {
    const src = ramp([2, 4, 4]);
    expect(() => ax.randomShift({ data: new Float32Array(4), shape: [4] }, 1)).toThrow(/\[N, H, W\] or \[N, C, H, W\], given shape \[4\]/);
    expect(() => ax.randomShift(src, -1)).toThrow(/'maxShift' expected a non-negative integer/);
    expect(() => ax.randomShift(src, 1.5)).toThrow(/maxShift/);
    expect(() => ax.randomShift(src, 1, { sed: 1 } as never)).toThrow(/did you mean 'seed'/);
    expect(() => ax.randomShift(src, 1, { seed: -1 })).toThrow(/'seed' expected a non-negative integer/);
    expect(() => ax.randomCrop(src, 5, 0)).toThrow(/crop size \[5, 5\] must be ≥ 1 and fit the padded image \[4, 4\]/);
    expect(() => ax.randomCrop(src, 2, -1)).toThrow(/padding/);
    expect(() => ax.randomHorizontalFlip(src, { p: 2 })).toThrow(/probability/);
    expect(() => ax.randomBrightness(src, -0.1)).toThrow(/maxDelta/);
    expect(() => ax.randomContrast(src, [1.5, 0.5])).toThrow(/lower ≤ upper/);
    expect(() => ax.randomBrightness(src, 0.1, { clip: [1, 0] })).toThrow(/lo ≤ hi/);
    expect(() => ax.shiftImages(src, 0.5, 0)).toThrow(/integers/);
    expect(() => ax.augmentImages(src, { shift: 1, cropPadding: 2 })).toThrow(/either/);
    expect(() => ax.flipHorizontal([1, 2] as never)).toThrow(/Tensor or \{ data, shape \}/);
  });
});

for (const backend of ['js', 'wasm'] as const) {
  describe(`augmentation of tensors on ${backend}`, () => {
    beforeAll(async () => {
      await ax.init({ backend });
    });

    it('returns tensors matching the host results, and flip twice is the identity', () => {
      const host = ramp([4, 2, 5, 5]);
      const t = ax.tensor(host.data, host.shape);
      const shifted = ax.randomShift(t, 2, { seed: 6 });
      expect(shifted).toBeInstanceOf(ax.Tensor);
      expect(shifted.shape).toEqual([4, 2, 5, 5]);
      expect(Array.from(shifted.dataSync())).toEqual(Array.from(ax.randomShift(host, 2, { seed: 6 }).data));
      const crop = ax.randomCrop(t, 3, 1, { seed: 2 });
      expect(crop.shape).toEqual([4, 2, 3, 3]);
      const twice = ax.flipHorizontal(ax.flipHorizontal(t));
      expect(Array.from(twice.dataSync())).toEqual(Array.from(host.data));
      const jit = ax.augmentImages(t, { shift: 1, brightness: 0.2, seed: 1 });
      expect(Array.from(jit.dataSync())).toEqual(Array.from(ax.augmentImages(host, { shift: 1, brightness: 0.2, seed: 1 }).data));
      for (const x of [t, shifted, crop, twice, jit]) x.dispose();
    });
  });
}
