/**
 * IDX files (the MNIST container format): parsing and encoding. No Node import, so browsers and
 * edge runtimes can parse IDX bytes they fetched themselves; gunzipping is the caller's job
 * (`axonjs/node` does it with node:zlib).
 *
 * Layout: two zero bytes, a type byte, a rank byte, then `rank` big-endian uint32 dimensions,
 * then the values, big-endian, row-major. MNIST images are magic 2051 (0x0803: uint8, rank 3),
 * labels 2049 (0x0801: uint8, rank 1).
 */
import { ArgumentError, AxonError, checkOptions, describeValue, nearest } from '../errors.js';
import { checkMaxBytes, DEFAULT_MAX_BYTES, inputTooLarge } from '../limits.js';

/** Element types an IDX file can hold. */
export type IdxDtype = 'uint8' | 'int8' | 'int16' | 'int32' | 'float32' | 'float64';

const DTYPE_NAMES: readonly IdxDtype[] = ['uint8', 'int8', 'int16', 'int32', 'float32', 'float64'];

/** The typed array that holds each {@link IdxDtype}. */
export type IdxValues = Uint8Array | Int8Array | Int16Array | Int32Array | Float32Array | Float64Array;

/** A parsed IDX file: the element type, the dimensions, and the values (row-major). */
export interface IdxData {
  dtype: IdxDtype;
  shape: number[];
  /** For uint8 a view into the input bytes (no copy); other types are decoded into a new array. */
  data: IdxValues;
  /** The 32-bit magic number: `typeCode << 8 | rank` (2051 for MNIST images, 2049 for labels). */
  magic: number;
}

/** Options of {@link parseIdx}. */
export interface ParseIdxOptions {
  /** Name used in error messages (a file name). Default `'IDX data'`. */
  name?: string;
  /** Function named at the start of error messages (the public caller). Default `'parseIdx'`. */
  caller?: string;
  /** Largest accepted element count, so a hostile header cannot request a huge array. Default 2^28. */
  maxElements?: number;
  /** Largest accepted rank. Default 8. */
  maxRank?: number;
  /**
   * Largest accepted input and decoded output, bytes (checked before decoding). Default
   * {@link DEFAULT_MAX_BYTES} (256 MiB); `Infinity` for none.
   */
  maxBytes?: number;
}

/** MNIST image files: uint8, rank 3 ([N, rows, cols]). */
export const IDX_MAGIC_IMAGES = 2051;
/** MNIST label files: uint8, rank 1 ([N]). */
export const IDX_MAGIC_LABELS = 2049;

const TYPES: Record<number, { dtype: IdxDtype; bytes: number }> = {
  0x08: { dtype: 'uint8', bytes: 1 },
  0x09: { dtype: 'int8', bytes: 1 },
  0x0b: { dtype: 'int16', bytes: 2 },
  0x0c: { dtype: 'int32', bytes: 4 },
  0x0d: { dtype: 'float32', bytes: 4 },
  0x0e: { dtype: 'float64', bytes: 8 },
};

function corruptIn(caller: string, name: string): (what: string) => AxonError {
  return (what) => new AxonError('CORRUPT_DATA', `${caller}: ${name} is not a valid IDX file: ${what}`);
}

/**
 * Parses IDX bytes (already gunzipped). Validates the magic number, the rank, every dimension
 * against the caps, and that the byte length is exactly header + values; any violation throws
 * AxonError('CORRUPT_DATA') naming the file and what is wrong.
 */
export function parseIdx(bytes: Uint8Array, options: ParseIdxOptions = {}): IdxData {
  if (!(bytes instanceof Uint8Array)) throw new ArgumentError(`parseIdx: argument 'bytes' expected a Uint8Array, given ${describeValue(bytes)}`);
  checkOptions('parseIdx', options, ['name', 'caller', 'maxElements', 'maxRank', 'maxBytes']);
  const caller = options.caller ?? 'parseIdx';
  const name = options.name ?? 'IDX data';
  const maxElements = checkCount(caller, 'maxElements', options.maxElements, 2 ** 28);
  const maxRank = checkCount(caller, 'maxRank', options.maxRank, 8);
  const maxBytes = checkMaxBytes(caller, options.maxBytes, DEFAULT_MAX_BYTES);
  const corrupt = corruptIn(caller, name);
  if (bytes.length > maxBytes) throw inputTooLarge(caller, name, bytes.length, maxBytes);
  if (isGzip(bytes)) throw corrupt('it is gzip-compressed (starts with 1f 8b); gunzip it first');
  if (bytes.length < 4) throw corrupt(`truncated: ${bytes.length} bytes, the header alone needs at least 4`);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const magic = view.getUint32(0, false);
  const type = TYPES[bytes[2]!];
  if (bytes[0] !== 0 || bytes[1] !== 0 || !type) {
    throw corrupt(`wrong magic number ${magic} (0x${magic.toString(16).padStart(8, '0')}); expected 0x0000TTRR with type TT in 08,09,0b,0c,0d,0e (e.g. ${IDX_MAGIC_IMAGES} for images, ${IDX_MAGIC_LABELS} for labels)`);
  }
  const rank = bytes[3]!;
  if (rank < 1 || rank > maxRank) throw corrupt(`rank ${rank} in the magic number ${magic} is outside [1, ${maxRank}]`);
  const headerBytes = 4 + 4 * rank;
  if (bytes.length < headerBytes) throw corrupt(`truncated header: ${bytes.length} bytes, a rank-${rank} header needs ${headerBytes}`);
  const shape: number[] = [];
  let elements = 1;
  for (let i = 0; i < rank; i++) {
    const d = view.getUint32(4 + 4 * i, false);
    shape.push(d);
    elements *= d; // exact below 2^53; compared against a cap far below that
    if (d > maxElements || elements > maxElements) {
      throw corrupt(`dimension ${i} is ${d}: the header asks for more than ${maxElements} elements (dims so far [${shape.join(', ')}]); raise maxElements if this is intended`);
    }
  }
  const want = headerBytes + elements * type.bytes;
  if (want > maxBytes) throw inputTooLarge(caller, `${name} (header: ${type.dtype} [${shape.join(', ')}])`, want, maxBytes);
  if (bytes.length < want) {
    throw corrupt(`truncated: header says ${type.dtype} [${shape.join(', ')}] = ${want} bytes, but there are only ${bytes.length} (${want - bytes.length} missing)`);
  }
  if (bytes.length > want) {
    throw corrupt(`${bytes.length - want} bytes after the end of the data: header says ${type.dtype} [${shape.join(', ')}] = ${want} bytes, the file has ${bytes.length} (wrong counts in the header?)`);
  }
  return { dtype: type.dtype, shape, data: decode(type.dtype, bytes, view, headerBytes, elements), magic };
}

function checkCount(caller: string, key: string, v: unknown, dflt: number): number {
  if (v === undefined) return dflt;
  if (typeof v !== 'number' || !(v === Infinity || (Number.isSafeInteger(v) && v >= 1))) {
    throw new ArgumentError(`${caller}: option '${key}' expected a positive integer, given ${describeValue(v)}`);
  }
  return v;
}

function decode(dtype: IdxDtype, bytes: Uint8Array, view: DataView, at: number, n: number): IdxValues {
  switch (dtype) {
    case 'uint8':
      return bytes.subarray(at, at + n);
    case 'int8':
      return new Int8Array(bytes.buffer, bytes.byteOffset + at, n).slice();
    case 'int16': {
      const out = new Int16Array(n);
      for (let i = 0; i < n; i++) out[i] = view.getInt16(at + 2 * i, false);
      return out;
    }
    case 'int32': {
      const out = new Int32Array(n);
      for (let i = 0; i < n; i++) out[i] = view.getInt32(at + 4 * i, false);
      return out;
    }
    case 'float32': {
      const out = new Float32Array(n);
      for (let i = 0; i < n; i++) out[i] = view.getFloat32(at + 4 * i, false);
      return out;
    }
    case 'float64': {
      const out = new Float64Array(n);
      for (let i = 0; i < n; i++) out[i] = view.getFloat64(at + 8 * i, false);
      return out;
    }
  }
}

/** True when `bytes` starts with the gzip magic 1f 8b. */
export function isGzip(bytes: Uint8Array): boolean {
  if (!(bytes instanceof Uint8Array)) throw new ArgumentError(`isGzip: argument 'bytes' expected a Uint8Array, given ${describeValue(bytes)}`);
  return bytes.length >= 2 && bytes[0] === 0x1f && bytes[1] === 0x8b;
}

/**
 * Encodes values as an IDX file (the inverse of {@link parseIdx}). `data.length` must equal the
 * product of `shape`; the dtype defaults to the typed array's (uint8 for Uint8Array, …).
 */
export function encodeIdx(data: IdxValues, shape: readonly number[], dtype?: IdxDtype): Uint8Array {
  const dt = dtype ?? dtypeOf(data);
  const entry = Object.entries(TYPES).find(([, t]) => t.dtype === dt);
  if (!entry) throw new ArgumentError(`encodeIdx: unknown dtype ${describeValue(dt)}${typeof dt === 'string' && nearest(dt, DTYPE_NAMES) ? ` (did you mean '${nearest(dt, DTYPE_NAMES)}'?)` : ''}; valid: ${DTYPE_NAMES.join(', ')}`);
  const code = Number(entry[0]);
  const size = entry[1].bytes;
  if (shape.length < 1 || shape.length > 255 || shape.some((d) => !Number.isInteger(d) || d < 0 || d > 0xffffffff)) {
    throw new ArgumentError(`encodeIdx: argument 'shape' expected 1 to 255 integer dimensions in [0, 2^32), given [${shape.join(', ')}]`);
  }
  const n = shape.reduce((a, b) => a * b, 1);
  if (n !== data.length) throw new ArgumentError(`encodeIdx: shape [${shape.join(', ')}] needs ${n} values, given ${data.length}`);
  const head = 4 + 4 * shape.length;
  const out = new Uint8Array(head + n * size);
  const view = new DataView(out.buffer);
  view.setUint32(0, (code << 8) | shape.length, false);
  shape.forEach((d, i) => view.setUint32(4 + 4 * i, d, false));
  for (let i = 0; i < n; i++) {
    const v = data[i]!;
    const p = head + i * size;
    switch (dt) {
      case 'uint8': view.setUint8(p, v); break;
      case 'int8': view.setInt8(p, v); break;
      case 'int16': view.setInt16(p, v, false); break;
      case 'int32': view.setInt32(p, v, false); break;
      case 'float32': view.setFloat32(p, v, false); break;
      case 'float64': view.setFloat64(p, v, false); break;
    }
  }
  return out;
}

function dtypeOf(data: IdxValues): IdxDtype {
  if (data instanceof Uint8Array) return 'uint8';
  if (data instanceof Int8Array) return 'int8';
  if (data instanceof Int16Array) return 'int16';
  if (data instanceof Int32Array) return 'int32';
  if (data instanceof Float32Array) return 'float32';
  if (data instanceof Float64Array) return 'float64';
  throw new ArgumentError(`encodeIdx: argument 'data' expected a Uint8Array, Int8Array, Int16Array, Int32Array, Float32Array or Float64Array, given ${describeValue(data)}`);
}
