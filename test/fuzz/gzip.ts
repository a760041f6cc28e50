/**
 * Fuzz targets of the gzip path of the Node loaders (src/data/node/files.ts `gunzipCapped`, used
 * by readMaybeGzip and loadCsv): random bytes behind the gzip magic, mutated and truncated
 * streams, concatenated members, and bombs (a tiny file inflating far past maxBytes), plus the
 * round trip gzip → gunzip.
 */
import { gzipSync } from 'node:zlib';
import fc from 'fast-check';
import { gunzipCapped } from '../../src/data/node/files.js';
import { loadCsv } from '../../src/data/node/csv.js';
import { assert, checkAsync, sameValues, show, type FuzzTarget } from './common.js';

/** maxBytes of the properties. */
const MAX = 1 << 16;
/** External memory one call may add: the capped output plus zlib's chunk and slack. */
const ALLOC_CAP = 4 * MAX + (4 << 20);

/** Compressed runs of zeros, from well under to far over MAX (16 MiB inflates from ~16 KiB). */
const bombs = [MAX - 1, MAX, MAX + 1, 4 * MAX, 16 << 20].map((n) => gzipSync(new Uint8Array(n), { level: 9 }));

const payload = fc.oneof(fc.uint8Array({ maxLength: 3000 }), fc.string({ maxLength: 500 }).map((s) => new TextEncoder().encode(s)));

/** A valid stream, then possibly damaged: bytes flipped, cut short, extended, or doubled. */
const damaged = fc
  .record({
    data: payload,
    level: fc.integer({ min: 0, max: 9 }),
    flips: fc.array(fc.tuple(fc.nat(), fc.integer({ min: 1, max: 255 })), { maxLength: 3 }),
    cut: fc.option(fc.nat(), { nil: undefined }),
    tail: fc.uint8Array({ maxLength: 16 }),
    twice: fc.boolean(),
  })
  .map(({ data, level, flips, cut, tail, twice }) => {
    const one = gzipSync(data, { level });
    let z = new Uint8Array(twice ? 2 * one.length : one.length);
    z.set(one);
    if (twice) z.set(one, one.length);
    for (const [at, x] of flips) if (z.length > 0) z[at % z.length]! ^= x;
    if (cut !== undefined) z = z.subarray(0, cut % (z.length + 1));
    const out = new Uint8Array(z.length + tail.length);
    out.set(z);
    out.set(tail, z.length);
    return out;
  });

const hostile = fc.oneof(
  damaged,
  fc.uint8Array({ maxLength: 200 }).map((b) => Uint8Array.from([0x1f, 0x8b, ...b])),
  fc.constantFrom(...bombs),
  fc.tuple(fc.nat(bombs.length - 1), fc.nat(bombs.length - 1)).map(([a, b]) => Uint8Array.from([...bombs[a]!, ...bombs[b]!])),
);

/** The gzip fuzz targets. */
export const gzipTargets: FuzzTarget[] = [
  {
    name: 'gzip: damaged streams and bombs',
    runs: 150,
    property: () =>
      fc.asyncProperty(hostile, async (z) => {
        const r = await checkAsync('gunzipCapped', () => show(z), ['CORRUPT_DATA'], ALLOC_CAP, () => gunzipCapped(z, 'fuzz.gz', 'fuzz', MAX));
        if (r.ok) assert(r.value.length <= MAX, () => `gunzipCapped returned ${r.value.length} bytes, more than maxBytes ${MAX}`);
      }),
  },
  {
    name: 'gzip: gzip → gunzip round trip',
    runs: 100,
    property: () =>
      fc.asyncProperty(payload, fc.integer({ min: 0, max: 9 }), async (data, level) => {
        const r = await checkAsync('gunzipCapped', () => show(data), [], ALLOC_CAP, () => gunzipCapped(gzipSync(data, { level }), 'fuzz.gz', 'fuzz', MAX));
        assert(r.ok && sameValues(r.value, data), () => `gunzip(gzip(x)) !== x for ${show(data)}`);
      }),
  },
  {
    name: 'gzip: loadCsv on gzipped bytes',
    runs: 60,
    property: () =>
      fc.asyncProperty(hostile, async (z) => {
        const r = await checkAsync('loadCsv(gz)', () => show(z), ['CORRUPT_DATA'], ALLOC_CAP, () => loadCsv(z, { maxBytes: MAX }));
        if (r.ok) assert(r.value.data.length === r.value.rows * r.value.columns.length, () => 'loadCsv returned an inconsistent table');
      }),
  },
];
