/**
 * The safetensors format (https://huggingface.co/docs/safetensors): an 8-byte little-endian
 * header length N, N bytes of UTF-8 JSON mapping tensor names to
 * `{ dtype, shape, data_offsets: [begin, end] }` (offsets relative to the data section) plus an
 * optional `__metadata__` string map, then the raw little-endian data.
 *
 * The reader treats its input as hostile: every length, offset and shape is checked against the
 * buffer before anything is allocated, and every defect is an `AxonError('CORRUPT_DATA')` that
 * says what is wrong. Float32 is written; F32, F64, F16 and BF16 are read (converted to float32).
 */
import { AxonError, ArgumentError, ShapeError, checkOptions, describeValue } from '../errors.js';
import { checkMaxBytes, DEFAULT_MAX_BYTES, inputTooLarge } from '../limits.js';

/** Largest accepted JSON header (bytes), as in the reference implementation. */
export const MAX_HEADER_BYTES = 100 * 1024 * 1024;
/** Largest accepted tensor (elements); larger shapes are rejected as corrupt. */
export const MAX_TENSOR_ELEMENTS = 2 ** 31;
/** Largest accepted rank. */
export const MAX_RANK = 16;

/** Bytes per element of the dtypes the reader converts to float32. */
const READABLE: Record<string, number> = { F32: 4, F64: 8, F16: 2, BF16: 2 };
/** Other dtypes of the format: recognised, but not loadable as float32 weights. */
const KNOWN_OTHER = ['BOOL', 'U8', 'I8', 'U16', 'I16', 'U32', 'I32', 'U64', 'I64', 'F8_E4M3', 'F8_E5M2', 'F8_E8M0', 'F4', 'F6_E2M3', 'F6_E3M2', 'C64'];

/** One tensor of a safetensors file, as float32. */
export interface SafeTensor {
  /** Dimensions (row-major). */
  shape: number[];
  /** Values, `product(shape)` elements. */
  data: Float32Array;
  /** The dtype it was stored as (F32 unless read from another writer). */
  dtype?: string;
}

/** Options of {@link decodeSafetensors}. */
export interface DecodeSafetensorsOptions {
  /**
   * Largest accepted input, and largest total of decoded float32 tensors (bytes; F16/BF16 double
   * in size), both checked before anything is allocated. Default {@link DEFAULT_MAX_BYTES}
   * (256 MiB); `Infinity` for none.
   */
  maxBytes?: number;
}

/** Decoded contents of a safetensors buffer: tensors in file order, and the metadata map. */
export interface SafetensorsFile {
  tensors: Map<string, SafeTensor>;
  metadata: Record<string, string>;
}

function corrupt(msg: string): AxonError {
  return new AxonError('CORRUPT_DATA', `safetensors: ${msg}`);
}

const littleEndian = new Uint8Array(new Uint32Array([1]).buffer)[0] === 1;

/**
 * Encodes float32 tensors as safetensors bytes. Tensors are written in the given order,
 * contiguously; the header is padded with spaces to a multiple of 8 bytes so the data section
 * is aligned. `metadata` values must be strings.
 */
export function encodeSafetensors(tensors: Iterable<[string, SafeTensor]> | Record<string, SafeTensor>, metadata?: Record<string, string>): Uint8Array {
  const fn = 'encodeSafetensors';
  if (tensors === null || typeof tensors !== 'object') throw new ArgumentError(`${fn}: argument 'tensors' expected a Map, [name, tensor] pairs or an object of tensors, given ${describeValue(tensors)}`);
  const entries: Array<[string, SafeTensor]> = Symbol.iterator in Object(tensors) ? [...(tensors as Iterable<[string, SafeTensor]>)] : Object.entries(tensors as Record<string, SafeTensor>);
  // The header JSON is written by hand, in the given order: an object would move integer-like
  // names ("0", "1") to the front and treat a '__proto__' name as its prototype.
  const parts: string[] = [];
  const member = (k: string, v: unknown) => `${JSON.stringify(k)}:${JSON.stringify(v)}`;
  if (metadata !== undefined) {
    if (metadata === null || typeof metadata !== 'object') throw new ArgumentError(`${fn}: argument 'metadata' expected an object of strings, given ${describeValue(metadata)}`);
    for (const [k, v] of Object.entries(metadata)) {
      if (typeof v !== 'string') throw new ArgumentError(`${fn}: metadata '${k}' expected a string, given ${describeValue(v)}`);
    }
    parts.push(`"__metadata__":{${Object.entries(metadata).map(([k, v]) => member(k, v)).join(',')}}`);
  }
  const seen = new Set<string>();
  let offset = 0;
  for (const [name, t] of entries) {
    if (typeof name !== 'string' || name.length === 0 || name === '__metadata__') throw new ArgumentError(`${fn}: tensor name expected a non-empty string other than '__metadata__', given ${describeValue(name)}`);
    if (seen.has(name)) throw new ArgumentError(`${fn}: duplicate tensor name '${name}'`);
    seen.add(name);
    if (!t || !(t.data instanceof Float32Array) || !Array.isArray(t.shape)) throw new ArgumentError(`${fn}: tensor '${name}' expected { shape: number[], data: Float32Array }, given ${describeValue(t)}`);
    let n = 1;
    for (const d of t.shape) {
      if (!Number.isSafeInteger(d) || d < 0) throw new ArgumentError(`${fn}: tensor '${name}' has an invalid dimension ${describeValue(d)}`);
      n *= d;
    }
    if (n !== t.data.length) throw new ShapeError(`${fn}: tensor '${name}' has shape [${t.shape.join(', ')}] (${n} elements) but ${t.data.length} values; expected one value per element`);
    parts.push(member(name, { dtype: 'F32', shape: [...t.shape], data_offsets: [offset, offset + 4 * n] }));
    offset += 4 * n;
  }
  let json = `{${parts.join(',')}}`;
  let headerBytes = new TextEncoder().encode(json);
  const pad = (8 - (headerBytes.length % 8)) % 8;
  if (pad > 0) {
    json += ' '.repeat(pad);
    headerBytes = new TextEncoder().encode(json);
  }
  const out = new Uint8Array(8 + headerBytes.length + offset);
  const view = new DataView(out.buffer);
  view.setUint32(0, headerBytes.length, true);
  view.setUint32(4, 0, true);
  out.set(headerBytes, 8);
  let pos = 8 + headerBytes.length;
  for (const [, t] of entries) {
    if (littleEndian) out.set(new Uint8Array(t.data.buffer, t.data.byteOffset, t.data.byteLength), pos);
    else for (let i = 0; i < t.data.length; i++) view.setFloat32(pos + 4 * i, t.data[i]!, true);
    pos += t.data.byteLength;
  }
  return out;
}

/**
 * Names of the top-level keys of a JSON object text, in order, duplicates included
 * (`JSON.parse` silently keeps the last of duplicate keys). The text must be valid JSON.
 */
function topLevelKeys(text: string): string[] {
  const keys: string[] = [];
  let depth = 0;
  let i = 0;
  while (i < text.length) {
    const c = text[i]!;
    if (c === '"') {
      const start = i;
      i++;
      while (i < text.length && text[i] !== '"') i += text[i] === '\\' ? 2 : 1;
      i++;
      if (depth === 1) {
        let j = i;
        while (j < text.length && /\s/.test(text[j]!)) j++;
        if (text[j] === ':') keys.push(JSON.parse(text.slice(start, i)) as string);
      }
      continue;
    }
    if (c === '{' || c === '[') depth++;
    else if (c === '}' || c === ']') depth--;
    i++;
  }
  return keys;
}

function isDims(v: unknown): v is number[] {
  return Array.isArray(v);
}

/** JSON of a value for messages, cut to 80 characters (a hostile header can be huge). */
function brief(v: unknown): string {
  const s = JSON.stringify(v) ?? String(v);
  return s.length > 80 ? `${s.slice(0, 77)}...` : s;
}

/** Own-key lookup: `'toString' in READABLE` is true, so plain `in` would accept it as a dtype. */
function readable(dtype: string): number | undefined {
  return Object.prototype.hasOwnProperty.call(READABLE, dtype) ? READABLE[dtype] : undefined;
}

/** Converts `n` elements of `dtype` starting at byte `pos` of `bytes` into float32. */
function convert(bytes: Uint8Array, pos: number, n: number, dtype: string): Float32Array {
  const out = new Float32Array(n);
  if (dtype === 'F32' && littleEndian) {
    // Byte copy into a fresh, aligned buffer: the source offset need not be a multiple of 4.
    new Uint8Array(out.buffer).set(bytes.subarray(pos, pos + 4 * n));
    return out;
  }
  const view = new DataView(bytes.buffer, bytes.byteOffset + pos, n * READABLE[dtype]!);
  if (dtype === 'F32') for (let i = 0; i < n; i++) out[i] = view.getFloat32(4 * i, true);
  else if (dtype === 'F64') for (let i = 0; i < n; i++) out[i] = view.getFloat64(8 * i, true);
  else if (dtype === 'BF16') {
    const tmp = new DataView(new ArrayBuffer(4));
    for (let i = 0; i < n; i++) {
      tmp.setUint32(0, view.getUint16(2 * i, true) << 16);
      out[i] = tmp.getFloat32(0);
    }
  } else for (let i = 0; i < n; i++) out[i] = halfToFloat(view.getUint16(2 * i, true));
  return out;
}

/** IEEE binary16 bits to a number. */
function halfToFloat(h: number): number {
  const sign = h & 0x8000 ? -1 : 1;
  const exp = (h >> 10) & 0x1f;
  const frac = h & 0x3ff;
  if (exp === 0) return sign * frac * 2 ** -24;
  if (exp === 31) return frac ? Number.NaN : sign * Infinity;
  return sign * (1 + frac / 1024) * 2 ** (exp - 15);
}

/**
 * Decodes safetensors bytes. Checks, before allocating anything: the header length fits the
 * buffer (and {@link MAX_HEADER_BYTES}); the header is UTF-8 JSON, an object, without duplicate
 * names; each entry has exactly `dtype`, `shape`, `data_offsets`; dtypes are known and readable;
 * dimensions are non-negative integers with at most {@link MAX_TENSOR_ELEMENTS} elements; each
 * tensor's byte range matches its shape and lies inside the data; ranges neither overlap nor
 * leave gaps and cover the data section exactly. Any violation → `AxonError('CORRUPT_DATA')`.
 */
export function decodeSafetensors(bytes: Uint8Array, options: DecodeSafetensorsOptions = {}): SafetensorsFile {
  checkOptions('decodeSafetensors', options, ['maxBytes']);
  const maxBytes = checkMaxBytes('decodeSafetensors', options.maxBytes, DEFAULT_MAX_BYTES);
  if (!(bytes instanceof Uint8Array)) {
    if (bytes && ArrayBuffer.isView(bytes)) bytes = new Uint8Array((bytes as ArrayBufferView).buffer, (bytes as ArrayBufferView).byteOffset, (bytes as ArrayBufferView).byteLength);
    else if ((bytes as unknown) instanceof ArrayBuffer) bytes = new Uint8Array(bytes as unknown as ArrayBuffer);
    else throw new ArgumentError(`decodeSafetensors: argument 'bytes' expected a Uint8Array, given ${describeValue(bytes)}`);
  }
  if (bytes.length > maxBytes) throw inputTooLarge('safetensors', 'the buffer', bytes.length, maxBytes);
  if (bytes.length < 8) throw corrupt(`buffer of ${bytes.length} bytes is too short for the 8-byte header length`);
  const dv = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const lo = dv.getUint32(0, true);
  const hi = dv.getUint32(4, true);
  const headerLen = hi * 2 ** 32 + lo;
  if (headerLen > MAX_HEADER_BYTES) throw corrupt(`header length ${headerLen} exceeds the limit of ${MAX_HEADER_BYTES} bytes`);
  if (8 + headerLen > bytes.length) throw corrupt(`header length ${headerLen} runs past the end of the ${bytes.length}-byte buffer`);
  if (headerLen < 2) throw corrupt(`header length ${headerLen} is too short for a JSON object`);
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(bytes.subarray(8, 8 + headerLen));
  } catch {
    throw corrupt('header is not valid UTF-8');
  }
  let header: unknown;
  try {
    header = JSON.parse(text);
  } catch (e) {
    throw corrupt(`header is not valid JSON (${(e as Error).message})`);
  }
  if (header === null || typeof header !== 'object' || Array.isArray(header)) throw corrupt(`header expected a JSON object, given ${describeValue(header)}`);
  const keys = topLevelKeys(text);
  const unique = new Set<string>();
  for (const k of keys) {
    if (unique.has(k)) throw corrupt(`duplicate tensor name '${k}' in the header`);
    unique.add(k);
  }
  const dataStart = 8 + headerLen;
  const dataLen = bytes.length - dataStart;
  const metadata: Record<string, string> = {};
  const specs: Array<{ name: string; dtype: string; shape: number[]; n: number; begin: number; end: number }> = [];
  // In file order: Object.entries would move integer-like names ("0", "1", …) to the front.
  const byName = new Map(Object.entries(header as Record<string, unknown>));
  if (byName.size !== keys.length) throw corrupt(`header has ${byName.size} entries but ${keys.length} top-level names were found`);
  let outBytes = 0;
  for (const name of keys) {
    const raw = byName.get(name);
    if (name === '__metadata__') {
      if (raw === null || typeof raw !== 'object' || Array.isArray(raw)) throw corrupt(`'__metadata__' expected an object of strings, given ${describeValue(raw)}`);
      for (const [k, v] of Object.entries(raw as Record<string, unknown>)) {
        if (typeof v !== 'string') throw corrupt(`metadata '${k}' expected a string, given ${describeValue(v)}`);
        // An own property even for '__proto__' (plain assignment would set the prototype).
        Object.defineProperty(metadata, k, { value: v, enumerable: true, writable: true, configurable: true });
      }
      continue;
    }
    if (raw === null || typeof raw !== 'object' || Array.isArray(raw)) throw corrupt(`tensor '${name}' expected an object { dtype, shape, data_offsets }, given ${describeValue(raw)}`);
    const entry = raw as Record<string, unknown>;
    for (const k of Object.keys(entry)) {
      if (k !== 'dtype' && k !== 'shape' && k !== 'data_offsets') throw corrupt(`tensor '${name}' has an unknown field '${k}'`);
    }
    const dtype = entry.dtype;
    if (typeof dtype !== 'string' || !(readable(dtype) !== undefined || KNOWN_OTHER.includes(dtype))) {
      throw corrupt(`tensor '${name}' has unknown dtype ${typeof dtype === 'string' ? brief(dtype) : describeValue(dtype)}; valid: ${[...Object.keys(READABLE), ...KNOWN_OTHER].join(', ')}`);
    }
    const size = readable(dtype);
    if (size === undefined) throw new AxonError('UNSUPPORTED', `safetensors: tensor '${name}' has dtype '${dtype}'; axon reads only ${Object.keys(READABLE).join(', ')} (converted to float32)`);
    const shape = entry.shape;
    if (!isDims(shape)) throw corrupt(`tensor '${name}' shape expected an array of integers, given ${describeValue(shape)}`);
    if (shape.length > MAX_RANK) throw corrupt(`tensor '${name}' has rank ${shape.length} (limit ${MAX_RANK})`);
    for (const d of shape) {
      if (typeof d !== 'number' || !Number.isSafeInteger(d) || d < 0) throw corrupt(`tensor '${name}' has an invalid dimension ${typeof d === 'number' ? d : brief(d)} (expected a non-negative integer)`);
    }
    // A zero dimension makes the tensor empty whatever the others say ([1e15, 0] is valid).
    let n = shape.includes(0) ? 0 : 1;
    for (const d of shape) {
      if (n === 0) break;
      n *= d;
      if (n > MAX_TENSOR_ELEMENTS) throw corrupt(`tensor '${name}' shape [${shape.join(', ')}] has more than ${MAX_TENSOR_ELEMENTS} elements`);
    }
    const offs = entry.data_offsets;
    if (!Array.isArray(offs) || offs.length !== 2 || !offs.every((o) => typeof o === 'number' && Number.isSafeInteger(o) && o >= 0)) {
      throw corrupt(`tensor '${name}' data_offsets expected [begin, end] non-negative integers, given ${brief(offs)}`);
    }
    const [begin, end] = offs as [number, number];
    if (end < begin) throw corrupt(`tensor '${name}' data_offsets [${begin}, ${end}] end before begin`);
    if (end > dataLen) throw corrupt(`tensor '${name}' data_offsets [${begin}, ${end}] run past the ${dataLen}-byte data section`);
    const want = n * size;
    if (end - begin !== want) throw corrupt(`tensor '${name}' of dtype ${dtype} and shape [${shape.join(', ')}] needs ${want} bytes but data_offsets [${begin}, ${end}] hold ${end - begin}`);
    outBytes += 4 * n;
    if (outBytes > maxBytes) throw inputTooLarge('safetensors', `the tensors decoded to float32 (up to '${name}')`, outBytes, maxBytes);
    specs.push({ name, dtype, shape: [...shape], n, begin, end });
  }
  const sorted = [...specs].sort((a, b) => a.begin - b.begin || a.end - b.end);
  let pos = 0;
  for (const s of sorted) {
    if (s.begin < pos) throw corrupt(`tensor '${s.name}' data_offsets [${s.begin}, ${s.end}] overlap another tensor's data`);
    if (s.begin > pos) throw corrupt(`gap in the data section: bytes [${pos}, ${s.begin}) belong to no tensor (before '${s.name}')`);
    pos = s.end;
  }
  if (pos !== dataLen) throw corrupt(`the data section has ${dataLen} bytes but the tensors cover ${pos}`);
  const tensors = new Map<string, SafeTensor>();
  for (const s of specs) tensors.set(s.name, { shape: s.shape, data: convert(bytes, dataStart + s.begin, s.n, s.dtype), dtype: s.dtype });
  return { tensors, metadata };
}
