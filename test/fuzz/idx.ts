/**
 * Fuzz targets of the IDX parser (src/data/idx.ts): random bytes, headers that lie (type, rank,
 * dimensions near 2^32, payloads too short or too long), and encode → parse round trips.
 */
import fc from 'fast-check';
import { encodeIdx, parseIdx, type IdxData, type IdxDtype, type IdxValues } from '../../src/data/idx.js';
import { assert, check, sameValues, show, type FuzzTarget } from './common.js';

/** maxBytes used by the properties: small, so the cap itself gets exercised. */
const MAX = 1 << 16;
/** External memory one parse may add: the decoded copy of an input ≤ MAX, plus slack. */
const ALLOC_CAP = 2 * MAX + (1 << 20);

const SIZES: Record<number, number> = { 0x08: 1, 0x09: 1, 0x0b: 2, 0x0c: 4, 0x0d: 4, 0x0e: 8 };

/** A header (possibly lying) followed by a payload of a chosen length. */
const lyingIdx = fc
  .record({
    zeros: fc.oneof({ weight: 8, arbitrary: fc.constant([0, 0]) }, { weight: 1, arbitrary: fc.tuple(fc.nat(255), fc.nat(255)) }),
    type: fc.oneof({ weight: 6, arbitrary: fc.constantFrom(0x08, 0x09, 0x0b, 0x0c, 0x0d, 0x0e) }, { weight: 1, arbitrary: fc.nat(255) }),
    rank: fc.oneof({ weight: 6, arbitrary: fc.integer({ min: 0, max: 4 }) }, { weight: 1, arbitrary: fc.constantFrom(8, 9, 255) }),
    dims: fc.array(
      fc.oneof({ weight: 6, arbitrary: fc.integer({ min: 0, max: 7 }) }, { weight: 1, arbitrary: fc.constantFrom(2 ** 16, 2 ** 28, 2 ** 31, 2 ** 32 - 1) }, { weight: 1, arbitrary: fc.nat({ max: 2 ** 32 - 1 }) }),
      { maxLength: 10 },
    ),
    payload: fc.oneof(fc.constant('exact' as const), fc.integer({ min: -9, max: 9 }), fc.nat(4096)),
    truncateHeader: fc.oneof({ weight: 8, arbitrary: fc.constant(-1) }, { weight: 1, arbitrary: fc.nat(40) }),
  })
  .map(({ zeros, type, rank, dims, payload, truncateHeader }) => {
    const head: number[] = [...zeros, type, rank];
    const used = Array.from({ length: Math.min(rank, 12) }, (_, i) => dims[i] ?? 1);
    for (const d of used) head.push((d >>> 24) & 255, (d >>> 16) & 255, (d >>> 8) & 255, d & 255);
    const declared = used.reduce((a, b) => a * b, 1) * (SIZES[type] ?? 1);
    const exact = declared <= 8192 ? declared : 0;
    const len = payload === 'exact' ? exact : typeof payload === 'number' && payload < 0 ? Math.max(0, exact + payload) : payload === 0 ? exact : exact + payload;
    const bytes = new Uint8Array(head.length + len);
    bytes.set(head);
    for (let i = head.length; i < bytes.length; i++) bytes[i] = (i * 131) & 255;
    return truncateHeader >= 0 ? bytes.subarray(0, Math.min(bytes.length, truncateHeader)) : bytes;
  });

const anyBytes = fc.oneof(fc.uint8Array({ maxLength: 64 }), fc.uint8Array({ maxLength: 2048 }), fc.constant(new Uint8Array([0x1f, 0x8b, 8, 0])));

/** What a successful parse must satisfy: shape, element count and byte length agree with the input. */
function consistent(bytes: Uint8Array, d: IdxData): boolean {
  const n = d.shape.reduce((a, b) => a * b, 1);
  const size = SIZES[bytes[2]!]!;
  return d.data.length === n && bytes.length === 4 + 4 * d.shape.length + n * size && d.shape.length === bytes[3] && n * size <= MAX;
}

function parseProperty(arb: fc.Arbitrary<Uint8Array>) {
  return fc.property(arb, fc.boolean(), (bytes, small) => {
    const maxBytes = small ? 64 : MAX;
    const r = check('parseIdx', () => show(bytes), ['CORRUPT_DATA'], ALLOC_CAP, () => parseIdx(bytes, { maxBytes }));
    if (r.ok) assert(consistent(bytes, r.value) && bytes.length <= maxBytes, () => `parseIdx accepted inconsistent input ${show(bytes)}`);
  });
}

const DTYPES: Array<{ dtype: IdxDtype; values: fc.Arbitrary<number>; make: (n: number) => IdxValues }> = [
  { dtype: 'uint8', values: fc.integer({ min: 0, max: 255 }), make: (n) => new Uint8Array(n) },
  { dtype: 'int8', values: fc.integer({ min: -128, max: 127 }), make: (n) => new Int8Array(n) },
  { dtype: 'int16', values: fc.integer({ min: -32768, max: 32767 }), make: (n) => new Int16Array(n) },
  { dtype: 'int32', values: fc.integer({ min: -(2 ** 31), max: 2 ** 31 - 1 }), make: (n) => new Int32Array(n) },
  { dtype: 'float32', values: fc.float(), make: (n) => new Float32Array(n) },
  { dtype: 'float64', values: fc.double(), make: (n) => new Float64Array(n) },
];

const roundTrip = fc
  .record({ kind: fc.nat(DTYPES.length - 1), shape: fc.array(fc.integer({ min: 0, max: 5 }), { minLength: 1, maxLength: 3 }) })
  .chain(({ kind, shape }) => {
    const n = shape.reduce((a, b) => a * b, 1);
    return fc.record({ kind: fc.constant(kind), shape: fc.constant(shape), values: fc.array(DTYPES[kind]!.values, { minLength: n, maxLength: n }) });
  });

/** The IDX fuzz targets. */
export const idxTargets: FuzzTarget[] = [
  { name: 'idx: random bytes', runs: 300, property: () => parseProperty(anyBytes) },
  { name: 'idx: lying headers', runs: 400, property: () => parseProperty(lyingIdx) },
  {
    name: 'idx: encode → parse round trip',
    runs: 150,
    property: () =>
      fc.property(roundTrip, ({ kind, shape, values }) => {
        const { dtype, make } = DTYPES[kind]!;
        const data = make(values.length);
        data.set(values);
        const bytes = encodeIdx(data, shape, dtype);
        const r = check('parseIdx(encodeIdx)', () => `${dtype} ${show(shape)}`, [], ALLOC_CAP, () => parseIdx(bytes));
        assert(r.ok && r.value.dtype === dtype && show(r.value.shape) === show(shape) && sameValues(r.value.data, data), () => `round trip of ${dtype} ${show(shape)} ${show(values)} changed it`);
      }),
  },
];
