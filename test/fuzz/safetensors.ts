/**
 * Fuzz targets of the safetensors reader (src/io/safetensors.ts): random bytes; header length
 * fields that lie (short, long, near 2^32, high word set); headers that are not JSON, not UTF-8
 * or nested very deep; entries with wrong or inherited dtypes ('toString'), lying shapes, and
 * offsets that overlap, leave gaps, run out of range or come out of order; damaged valid files;
 * and the round trip encode → decode.
 */
import fc from 'fast-check';
import { decodeSafetensors, encodeSafetensors, type SafetensorsFile } from '../../src/io/safetensors.js';
import { assert, check, sameValues, show, type FuzzTarget } from './common.js';

/** maxBytes of the properties (also 256 to exercise the cap). */
const MAX = 1 << 16;
/** External memory one decode may add: its float32 tensors (≤ maxBytes) and slack. */
const ALLOC_CAP = 2 * MAX + (1 << 20);

/** Bytes of a file: 8-byte little-endian header length (any value), header bytes, data. */
function assemble(len: number, header: Uint8Array, data: Uint8Array): Uint8Array {
  const out = new Uint8Array(8 + header.length + data.length);
  const v = new DataView(out.buffer);
  v.setUint32(0, len % 2 ** 32, true);
  v.setUint32(4, Math.floor(len / 2 ** 32) % 2 ** 32, true);
  out.set(header, 8);
  out.set(data, 8 + header.length);
  return out;
}

const dtype = fc.oneof(
  { weight: 6, arbitrary: fc.constantFrom('F32', 'F64', 'F16', 'BF16') },
  { weight: 2, arbitrary: fc.constantFrom('I32', 'U8', 'BOOL', 'F8_E4M3', 'C64') },
  { weight: 2, arbitrary: fc.constantFrom('toString', '__proto__', 'constructor', 'hasOwnProperty', 'valueOf', '', 'f32', 'F32 ') },
  { weight: 1, arbitrary: fc.jsonValue({ maxDepth: 1 }) },
);
const dim = fc.oneof(
  { weight: 8, arbitrary: fc.integer({ min: 0, max: 6 }) },
  { weight: 1, arbitrary: fc.constantFrom<unknown>(-1, 1.5, 2 ** 31, 2 ** 32, 2 ** 53, 1e300, '3', null, true, [2]) },
);
const shape = fc.oneof({ weight: 8, arbitrary: fc.array(dim, { maxLength: 4 }) }, { weight: 1, arbitrary: fc.constantFrom<unknown>('x', null, {}, 3) }, { weight: 1, arbitrary: fc.array(fc.constant(1), { maxLength: 20 }) });
const offset = fc.oneof({ weight: 8, arbitrary: fc.nat(300) }, { weight: 1, arbitrary: fc.constantFrom<unknown>(-1, 1.5, 2 ** 32, 2 ** 53, 2 ** 64, '4', null) });
const offsets = fc.oneof({ weight: 8, arbitrary: fc.tuple(offset, offset) }, { weight: 1, arbitrary: fc.array(offset, { maxLength: 4 }) }, { weight: 1, arbitrary: fc.constantFrom<unknown>(undefined, null, 'x') });
const entry = fc.oneof(
  { weight: 8, arbitrary: fc.record({ dtype, shape, data_offsets: offsets }, { requiredKeys: [] }) },
  { weight: 1, arbitrary: fc.record({ dtype, shape, data_offsets: offsets, extra: fc.jsonValue({ maxDepth: 1 }) }) },
  { weight: 1, arbitrary: fc.jsonValue({ maxDepth: 2 }) },
);
const name = fc.oneof(fc.string({ maxLength: 6 }), fc.constantFrom('__proto__', '__metadata__', '0', '1', '10', 'constructor', 'w'));
const metadata = fc.oneof(fc.dictionary(fc.string({ maxLength: 4 }), fc.string({ maxLength: 6 }), { maxKeys: 3 }), fc.jsonValue({ maxDepth: 2 }));

/** Header JSON written by hand so duplicate names survive. */
const headerText = fc
  .array(fc.oneof({ weight: 6, arbitrary: fc.tuple(name, entry) }, { weight: 1, arbitrary: fc.tuple(fc.constant('__metadata__'), metadata) }), { maxLength: 5 })
  .map((pairs) => `{${pairs.map(([k, v]) => `${JSON.stringify(k)}:${JSON.stringify(v) ?? 'null'}`).join(',')}}`);

const weirdHeader = fc.oneof(
  fc.string({ maxLength: 40 }),
  fc.jsonValue({ maxDepth: 3 }).map((v) => JSON.stringify(v) ?? 'null'),
  fc.integer({ min: 1, max: 200_000 }).map((n) => '['.repeat(n) + ']'.repeat(n)),
  fc.integer({ min: 1, max: 50_000 }).map((n) => '{"a":'.repeat(n) + '1' + '}'.repeat(n)),
  fc.integer({ min: 1, max: 2000 }).map((n) => `{${'"x":1,'.repeat(n)}"x":2}`),
  fc.constantFrom('{', '}', '{"a":}', '\uFEFF{}', '{}   ', '   {}', '{"a":"\\ud800"}', '{"a\\"":{}}'),
);

const headerBytes = fc.oneof(
  { weight: 6, arbitrary: headerText.map((s) => new TextEncoder().encode(s)) },
  { weight: 2, arbitrary: weirdHeader.map((s) => new TextEncoder().encode(s)) },
  { weight: 1, arbitrary: fc.uint8Array({ maxLength: 40 }) },
);

/** The header length field: true, off by a little, or a lie near 2^32 / with the high word set. */
const lengthField = (actual: number) =>
  fc.oneof(
    { weight: 8, arbitrary: fc.constant(actual) },
    { weight: 2, arbitrary: fc.integer({ min: -8, max: 8 }).map((d) => Math.max(0, actual + d)) },
    { weight: 1, arbitrary: fc.constantFrom(0, 1, 2, 2 ** 31, 2 ** 32 - 1, 2 ** 32, 2 ** 32 + actual, 2 ** 53 - 1, 100 * 2 ** 20, 100 * 2 ** 20 + 1) },
    { weight: 1, arbitrary: fc.nat({ max: 2 ** 32 - 1 }) },
  );

const hostileFile = fc
  .tuple(headerBytes, fc.oneof(fc.uint8Array({ maxLength: 64 }), fc.nat(600).map((n) => new Uint8Array(n))))
  .chain(([h, data]) => lengthField(h.length).map((len) => assemble(len, h, data)));

/** Consistent tensors (names, shapes, contiguous offsets) with one lie applied to one of them. */
const lyingFile = fc
  .record({
    specs: fc.array(fc.record({ dtype: fc.constantFrom('F32', 'F64', 'F16', 'BF16'), shape: fc.array(fc.integer({ min: 0, max: 4 }), { maxLength: 3 }) }), { minLength: 1, maxLength: 4 }),
    lie: fc.constantFrom('none', 'shift', 'swap', 'overlap', 'dtype', 'dim', 'trailing', 'short', 'reverse', 'gap'),
    which: fc.nat(),
    k: fc.integer({ min: 1, max: 9 }),
  })
  .map(({ specs, lie, which, k }) => {
    const size: Record<string, number> = { F32: 4, F64: 8, F16: 2, BF16: 2 };
    let pos = 0;
    const entries = specs.map((s, i) => {
      const bytes = s.shape.reduce((a, b) => a * b, 1) * size[s.dtype]!;
      const e = { name: `t${i}`, dtype: s.dtype, shape: [...s.shape], data_offsets: [pos, pos + bytes] };
      pos += bytes;
      return e;
    });
    let dataLen = pos;
    const t = entries[which % entries.length]!;
    if (lie === 'shift') t.data_offsets = [t.data_offsets[0]! + k, t.data_offsets[1]! + k];
    else if (lie === 'swap') t.data_offsets = [t.data_offsets[1]!, t.data_offsets[0]!];
    else if (lie === 'overlap' && entries.length > 1) entries[entries.length - 1]!.data_offsets = [0, entries[entries.length - 1]!.data_offsets[1]! - entries[entries.length - 1]!.data_offsets[0]!];
    else if (lie === 'dtype') t.dtype = t.dtype === 'F32' ? 'F16' : 'F32';
    else if (lie === 'dim') t.shape = [...t.shape, k];
    else if (lie === 'trailing') dataLen += k;
    else if (lie === 'short') dataLen = Math.max(0, dataLen - k);
    else if (lie === 'reverse') entries.reverse();
    else if (lie === 'gap') {
      for (const e of entries.slice(entries.indexOf(t))) e.data_offsets = [e.data_offsets[0]! + k, e.data_offsets[1]! + k];
      dataLen += k;
    }
    const header = Object.fromEntries(entries.map((e) => [e.name, { dtype: e.dtype, shape: e.shape, data_offsets: e.data_offsets }]));
    const h = new TextEncoder().encode(JSON.stringify(header));
    const data = new Uint8Array(dataLen);
    for (let i = 0; i < data.length; i++) data[i] = (i * 37 + 11) & 255;
    return assemble(h.length, h, data);
  });

/** What a successful decode must satisfy. */
function consistent(f: SafetensorsFile, maxBytes: number): boolean {
  let total = 0;
  for (const t of f.tensors.values()) {
    if (t.data.length !== t.shape.reduce((a, b) => a * b, 1)) return false;
    total += 4 * t.data.length;
  }
  return total <= maxBytes && Object.values(f.metadata).every((v) => typeof v === 'string');
}

function decodeProperty(arb: fc.Arbitrary<Uint8Array>) {
  return fc.property(arb, fc.constantFrom(MAX, MAX, MAX, 256), (bytes, maxBytes) => {
    const r = check('decodeSafetensors', () => show(bytes), ['CORRUPT_DATA', 'UNSUPPORTED'], ALLOC_CAP, () => decodeSafetensors(bytes, { maxBytes }));
    if (r.ok) assert(consistent(r.value, maxBytes), () => `decodeSafetensors accepted inconsistent input ${show(bytes)}`);
  });
}

const tensors = fc.uniqueArray(
  fc.record({
    name: fc.oneof(fc.string({ minLength: 1, maxLength: 8 }), fc.constantFrom('0', '1', '10', '2', 'w.0', '__proto__', 'constructor')).filter((s) => s !== '__metadata__'),
    shape: fc.array(fc.integer({ min: 0, max: 4 }), { maxLength: 3 }),
  }),
  { selector: (t) => t.name, maxLength: 5 },
).chain((ts) =>
  fc.tuple(
    ...ts.map((t) => {
      const n = t.shape.reduce((a, b) => a * b, 1);
      return fc.array(fc.float(), { minLength: n, maxLength: n }).map((v) => ({ ...t, data: Float32Array.from(v) }));
    }),
  ),
);

/** The safetensors fuzz targets. */
export const safetensorsTargets: FuzzTarget[] = [
  { name: 'safetensors: random bytes', runs: 200, property: () => decodeProperty(fc.uint8Array({ maxLength: 300 })) },
  { name: 'safetensors: hostile headers and length fields', runs: 500, property: () => decodeProperty(hostileFile) },
  { name: 'safetensors: consistent files with one lie', runs: 400, property: () => decodeProperty(lyingFile) },
  {
    name: 'safetensors: damaged valid files',
    runs: 200,
    property: () =>
      decodeProperty(
        fc
          .tuple(tensors, fc.array(fc.tuple(fc.nat(), fc.integer({ min: 1, max: 255 })), { minLength: 1, maxLength: 3 }), fc.option(fc.nat(), { nil: undefined }))
          .map(([ts, flips, cut]) => {
            const b = encodeSafetensors(ts.map((t) => [t.name, { shape: t.shape, data: t.data }]));
            for (const [at, x] of flips) b[at % b.length]! ^= x;
            return cut === undefined ? b : b.subarray(0, cut % (b.length + 1));
          }),
      ),
  },
  {
    name: 'safetensors: encode → decode round trip',
    runs: 150,
    // Found by fuzzing: integer-like names were written first (object key order), a '__proto__'
    // tensor vanished from the header, and '__proto__' metadata was dropped by the reader.
    examples: [
      [[{ name: ' ', shape: [], data: Float32Array.from([0]) }, { name: '0', shape: [], data: Float32Array.from([0]) }], {}],
      [[{ name: '__proto__', shape: [1], data: Float32Array.from([1]) }], JSON.parse('{"__proto__":"x"}')],
    ],
    property: () =>
      fc.property(tensors, fc.dictionary(fc.oneof(fc.string({ maxLength: 5 }), fc.constantFrom('__proto__', '0', 'constructor')), fc.string({ maxLength: 8 }), { maxKeys: 3 }), (ts, meta) => {
        const bytes = encodeSafetensors(
          ts.map((t) => [t.name, { shape: t.shape, data: t.data }]),
          meta,
        );
        const r = check('decode(encode)', () => show(ts.map((t) => t.name)), [], ALLOC_CAP, () => decodeSafetensors(bytes));
        assert(r.ok, () => 'decode failed');
        const names = [...r.value.tensors.keys()];
        assert(show(names) === show(ts.map((t) => t.name)), () => `names or their order changed: ${show(names)} vs ${show(ts.map((t) => t.name))}`);
        for (const t of ts) {
          const got = r.value.tensors.get(t.name)!;
          assert(show(got.shape) === show(t.shape) && sameValues(got.data, t.data), () => `tensor '${t.name}' changed`);
        }
        assert(show(Object.entries(r.value.metadata).sort()) === show(Object.entries(meta).sort()), () => `metadata changed: ${show(r.value.metadata)} vs ${show(meta)}`);
      }),
  },
];
