/**
 * Dataset loaders (axonjs/node) and the core parsers under them: IDX and CSV parsing (valid and
 * corrupt input), MNIST discovery/validation on generated fixtures, the real MNIST and sklearn
 * files from ../shared/data (or $AXON_DATA), and downloads through a loopback HTTP server
 * (mirror fallback, sha256 mismatch, truncated transfer, offline message, atomic cache).
 * Fixtures are generated at run time in a temporary folder; no data is committed.
 */
import { createHash } from 'node:crypto';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import * as ax from '../src/index.js';
import {
  ClassificationSet,
  DatasetUnavailableError,
  FASHION_MNIST_MIRRORS,
  MNIST_MIRRORS,
  defaultCacheDir,
  encodeIdx,
  isGzip,
  loadCsv,
  loadDigits,
  loadFashionMnist,
  loadIris,
  loadMnist,
  parseCsv,
  parseIdx,
  type DownloadProgress,
} from '../src/node.js';

const SHARED = process.env.AXON_DATA ? resolve(process.env.AXON_DATA) : fileURLToPath(new URL('../../shared/data', import.meta.url));
const MNIST_DIR = join(SHARED, 'mnist');
const HAVE_MNIST = existsSync(join(MNIST_DIR, 't10k-labels-idx1-ubyte.gz'));
const HAVE_SKLEARN = existsSync(join(SHARED, 'sklearn', 'digits.csv.gz'));
// the loaders' tensors (set.x / set.y, loadCsv's) live on the current backend
beforeAll(() => ax.init({ backend: 'js' }));

const FILES = ['train-images-idx3-ubyte', 'train-labels-idx1-ubyte', 't10k-images-idx3-ubyte', 't10k-labels-idx1-ubyte'];

const tmpRoot = mkdtempSync(join(tmpdir(), 'axon-loaders-'));
let tmpCount = 0;
/** A fresh empty directory under the test's temporary root. */
function tmp(): string {
  const d = join(tmpRoot, String(tmpCount++));
  mkdirSync(d, { recursive: true });
  return d;
}
afterAll(() => rmSync(tmpRoot, { recursive: true, force: true }));

/** Runs `fn` and returns what it threw (fails the test when it does not throw). */
async function caught(fn: () => unknown): Promise<Error> {
  try {
    await fn();
  } catch (e) {
    return e as Error;
  }
  throw new Error('expected an error, none was thrown');
}

async function expectCode(fn: () => unknown, code: ax.AxonErrorCode, msg: RegExp): Promise<Error> {
  const e = await caught(fn);
  expect(e).toBeInstanceOf(ax.AxonError);
  expect((e as ax.AxonError).code).toBe(code);
  expect(e.message).toMatch(msg);
  return e;
}

const savedEnv = process.env.AXON_DATA;
/** Hides $AXON_DATA so only `dir` and the cache are searched. */
function withoutAxonData(): void {
  beforeEach(() => {
    delete process.env.AXON_DATA;
  });
  afterEach(() => {
    if (savedEnv === undefined) delete process.env.AXON_DATA;
    else process.env.AXON_DATA = savedEnv;
  });
}

describe('parseIdx', () => {
  it('round-trips every element type and reads big-endian values', () => {
    const u8 = Uint8Array.from({ length: 24 }, (_, i) => i * 10);
    const parsed = parseIdx(encodeIdx(u8, [2, 3, 4]));
    expect(parsed).toMatchObject({ dtype: 'uint8', shape: [2, 3, 4], magic: 0x0803 });
    expect([...parsed.data]).toEqual([...u8]);
    for (const data of [Int8Array.from([-3, 4]), Int16Array.from([-300, 7]), Int32Array.from([-70000, 1 << 30]), Float32Array.from([1.5, -2.25]), Float64Array.from([Math.PI, -1e300])]) {
      const p = parseIdx(encodeIdx(data, [2, 1]));
      expect(p.data.constructor).toBe(data.constructor);
      expect([...p.data]).toEqual([...data]);
    }
    // int32 0x01020304 is stored most significant byte first
    const bytes = Uint8Array.from([0, 0, 0x0c, 1, 0, 0, 0, 1, 1, 2, 3, 4]);
    expect([...parseIdx(bytes).data]).toEqual([0x01020304]);
  });

  it('MNIST headers carry the magic numbers 2051 (images) and 2049 (labels)', () => {
    expect(parseIdx(encodeIdx(new Uint8Array(2 * 28 * 28), [2, 28, 28])).magic).toBe(2051);
    expect(parseIdx(encodeIdx(new Uint8Array(2), [2])).magic).toBe(2049);
  });

  it('rejects truncated data and headers, naming the file and the missing bytes', async () => {
    const good = encodeIdx(new Uint8Array(2 * 3 * 4), [2, 3, 4]);
    await expectCode(() => parseIdx(good.subarray(0, good.length - 1), { name: 'imgs.idx' }), 'CORRUPT_DATA', /imgs\.idx is not a valid IDX file: truncated: header says uint8 \[2, 3, 4\] = 40 bytes, but there are only 39 \(1 missing\)/);
    await expectCode(() => parseIdx(good.subarray(0, 10)), 'CORRUPT_DATA', /truncated header: 10 bytes, a rank-3 header needs 16/);
    await expectCode(() => parseIdx(good.subarray(0, 3)), 'CORRUPT_DATA', /truncated: 3 bytes/);
    await expectCode(() => parseIdx(new Uint8Array(0)), 'CORRUPT_DATA', /truncated: 0 bytes/);
  });

  it('rejects wrong magic numbers (non-zero lead bytes, unknown type, rank 0 or too high)', async () => {
    const good = encodeIdx(new Uint8Array(4), [4]);
    const bad = (i: number, v: number) => {
      const b = good.slice();
      b[i] = v;
      return b;
    };
    await expectCode(() => parseIdx(bad(0, 1)), 'CORRUPT_DATA', /wrong magic number 16779265 \(0x01000801\)/);
    await expectCode(() => parseIdx(bad(2, 0x07)), 'CORRUPT_DATA', /wrong magic number 1793/);
    await expectCode(() => parseIdx(bad(3, 0)), 'CORRUPT_DATA', /rank 0 .* outside \[1, 8\]/);
    await expectCode(() => parseIdx(bad(3, 200)), 'CORRUPT_DATA', /rank 200/);
    // little-endian magic (a common writer bug) is not accepted
    await expectCode(() => parseIdx(Uint8Array.from([1, 8, 0, 0, 4, 0, 0, 0, 1, 2, 3, 4])), 'CORRUPT_DATA', /wrong magic/);
  });

  it('rejects counts that disagree with the byte length in either direction', async () => {
    const data = encodeIdx(new Uint8Array(5), [5]);
    const more = data.slice();
    more[7] = 6; // header claims 6 labels, 5 present
    await expectCode(() => parseIdx(more), 'CORRUPT_DATA', /truncated: header says uint8 \[6\] = 14 bytes, but there are only 13/);
    const fewer = data.slice();
    fewer[7] = 4;
    await expectCode(() => parseIdx(fewer), 'CORRUPT_DATA', /1 bytes after the end of the data: .*wrong counts/);
  });

  it('caps dimensions so a hostile header cannot request a huge array', async () => {
    const hostile = Uint8Array.from([0, 0, 8, 3, 0xff, 0xff, 0xff, 0xff, 0, 0, 0, 28, 0, 0, 0, 28]);
    await expectCode(() => parseIdx(hostile), 'CORRUPT_DATA', /dimension 0 is 4294967295: the header asks for more than 268435456 elements/);
    // each dimension is modest, the product is not (1e10 elements); only 4 data bytes follow
    const wide = Uint8Array.from([0, 0, 8, 3, 0, 0, 0, 1, 0, 1, 0x86, 0xa0, 0, 1, 0x86, 0xa0, 1, 2, 3, 4]);
    await expectCode(() => parseIdx(wide), 'CORRUPT_DATA', /dimension 2 is 100000: the header asks for more than 268435456 elements \(dims so far \[1, 100000, 100000\]\)/);
    // zero-sized dimensions need no data at all
    expect(parseIdx(encodeIdx(new Uint8Array(0), [0, 100000, 100000])).shape).toEqual([0, 100000, 100000]);
    const product = encodeIdx(new Uint8Array(12), [3, 4]);
    await expectCode(() => parseIdx(product, { maxElements: 10 }), 'CORRUPT_DATA', /dimension 1 is 4: the header asks for more than 10 elements/);
  });

  it('points at gzip input and checks arguments', async () => {
    const gz = gzipSync(encodeIdx(new Uint8Array(3), [3]));
    expect(isGzip(gz)).toBe(true);
    await expectCode(() => parseIdx(gz, { name: 'x.gz' }), 'CORRUPT_DATA', /x\.gz .*gzip-compressed/);
    await expectCode(() => parseIdx([0, 0, 8, 1] as unknown as Uint8Array), 'INVALID_ARGUMENT', /expected a Uint8Array/);
    await expectCode(() => parseIdx(new Uint8Array(4), { nam: 'x' } as never), 'INVALID_ARGUMENT', /unknown option 'nam' \(did you mean 'name'\?\)/);
    await expectCode(() => encodeIdx(new Uint8Array(3), [2]), 'INVALID_ARGUMENT', /needs 2 values, given 3/);
  });
});

describe('parseCsv / loadCsv', () => {
  it('parses a header (auto-detected), a named label column, quotes, CRLF, blank lines and a BOM', () => {
    const t = parseCsv('\ufeff"a",b , "lab""el"\r\n1,2,0\r\n\r\n  3.5 , -4e1,"1"\r\n');
    expect(t.columns).toEqual(['a', 'b', 'lab"el']);
    expect([...t.data]).toEqual([1, 2, 0, 3.5, -40, 1]);
    const l = parseCsv('a,b,label\n1,2,0\n3,4,1\n', { labelColumn: 'label' });
    expect(l).toMatchObject({ rows: 2, columns: ['a', 'b'], labelName: 'label' });
    expect([...l.data]).toEqual([1, 2, 3, 4]);
    expect([...l.labels!]).toEqual([0, 1]);
  });

  it('reads headerless input, negative label indices, other delimiters and maxRows', () => {
    const t = parseCsv('1;2;3\n4;5;6\n7;8;9', { delimiter: ';', labelColumn: -1 });
    expect(t).toMatchObject({ rows: 3, columns: ['c0', 'c1'], labelName: 'c2' });
    expect([...t.labels!]).toEqual([3, 6, 9]);
    expect(parseCsv('1\t2\n3\t4\n', { delimiter: '\t', labelColumn: 0 }).columns).toEqual(['c1']);
    expect(parseCsv('1,2\n3,4\n5,6\n', { maxRows: 2 }).rows).toBe(2);
    // header: false keeps a numeric-looking first row as data; header: true drops it
    expect(parseCsv('10,20\n1,2\n', { header: false }).rows).toBe(2);
    expect(parseCsv('10,20\n1,2\n', { header: true }).columns).toEqual(['10', '20']);
  });

  it('names the line, row and column of ragged rows and bad cells', async () => {
    await expectCode(() => parseCsv('a,b,c\n1,2,3\n4,5\n'), 'CORRUPT_DATA', /line 3 \(data row 2\) has 2 cells, expected 3 \(as in line 1, the header\)/);
    await expectCode(() => parseCsv('1,2\n3,4,5\n'), 'CORRUPT_DATA', /line 2 \(data row 2\) has 3 cells, expected 2 \(as in line 1\)/);
    await expectCode(() => parseCsv('a,b\n1,2\n3,x\n', { name: 'f.csv' }), 'CORRUPT_DATA', /f\.csv: line 3 \(data row 2\), column 2 \('b'\): "x", not a finite number/);
    await expectCode(() => parseCsv('1,2\n3, \n'), 'CORRUPT_DATA', /line 2 \(data row 2\), column 2: an empty cell/);
    await expectCode(() => parseCsv('1,2\n3,Infinity\n'), 'CORRUPT_DATA', /"Infinity", not a finite number/);
    await expectCode(() => parseCsv('1,"2\n'), 'CORRUPT_DATA', /line 1: unterminated quoted cell/);
  });

  it('rejects empty input, header-only input and bad options', async () => {
    await expectCode(() => parseCsv(''), 'CORRUPT_DATA', /empty input: no rows/);
    await expectCode(() => parseCsv('\n \n'), 'CORRUPT_DATA', /empty input/);
    await expectCode(() => parseCsv('a,b\n'), 'CORRUPT_DATA', /line 1 is a header but no data rows follow/);
    await expectCode(() => parseCsv('1,2\n', { labelColumn: 2 }), 'INVALID_ARGUMENT', /'labelColumn' expected an integer in \[-2, 1\]/);
    await expectCode(() => parseCsv('a,b\n1,2\n', { labelColumn: 'y' }), 'INVALID_ARGUMENT', /no column named "y"; columns: a, b/);
    await expectCode(() => parseCsv('1,2\n', { labelColumn: 'y' }), 'INVALID_ARGUMENT', /has no header row/);
    await expectCode(() => parseCsv('1,2\n', { delimiter: ',,' }), 'INVALID_ARGUMENT', /'delimiter' expected one character/);
    await expectCode(() => parseCsv('1,2\n', { maxRows: 0 }), 'INVALID_ARGUMENT', /'maxRows' expected a positive integer/);
    await expectCode(() => parseCsv('1,2\n', { labelColum: 1 } as never), 'INVALID_ARGUMENT', /did you mean 'labelColumn'/);
  });

  it('loadCsv reads text, files, gzipped files and bytes into tensors', async () => {
    const text = 'x1,x2,y\n1,2,0\n3,4,1\n5,6,2\n';
    const fromText = await loadCsv(text, { labelColumn: 'y' });
    expect(fromText.x.shape).toEqual([3, 2]);
    expect(fromText.x.arraySync()).toEqual([[1, 2], [3, 4], [5, 6]]);
    expect(fromText.y!.arraySync()).toEqual([0, 1, 2]);
    expect(fromText.columns).toEqual(['x1', 'x2']);
    const d = tmp();
    writeFileSync(join(d, 'a.csv'), text);
    writeFileSync(join(d, 'a.csv.gz'), gzipSync(text));
    for (const src of [join(d, 'a.csv'), join(d, 'a.csv.gz'), new URL(`file://${join(d, 'a.csv')}`), new TextEncoder().encode(text), gzipSync(text)]) {
      const t = await loadCsv(src, { labelColumn: -1 });
      expect(t.rows).toBe(3);
      expect([...t.labels!]).toEqual([0, 1, 2]);
    }
    const noLabel = await loadCsv(text);
    expect(noLabel.y).toBeUndefined();
    expect(noLabel.x.shape).toEqual([3, 3]);
  });

  it('loadCsv errors name the file; unreadable paths and bad gzip are clear', async () => {
    const d = tmp();
    writeFileSync(join(d, 'bad.csv'), '1,2\n3\n');
    await expectCode(() => loadCsv(join(d, 'bad.csv')), 'CORRUPT_DATA', new RegExp(`^loadCsv: ${join(d, 'bad.csv')}: line 2 \\(data row 2\\) has 1 cells, expected 2`));
    await expectCode(() => loadCsv(join(d, 'nope.csv')), 'INVALID_ARGUMENT', /loadCsv: cannot read '.*nope\.csv': ENOENT.*\(a string without a newline is read as a file path\)/);
    writeFileSync(join(d, 'bad.csv.gz'), Uint8Array.from([0x1f, 0x8b, 8, 0, 1, 2, 3]));
    await expectCode(() => loadCsv(join(d, 'bad.csv.gz')), 'CORRUPT_DATA', /bad\.csv\.gz is not valid gzip data/);
    await expectCode(() => loadCsv('\n'), 'CORRUPT_DATA', /loadCsv: CSV text: empty input/);
    await expectCode(() => loadCsv(42 as never), 'INVALID_ARGUMENT', /argument 'source' expected a file path, CSV text or bytes/);
  });
});

/** Writes a tiny MNIST-shaped set (5 train, 3 test) into `dir`, raw or gzipped per file. */
function writeFakeMnist(dir: string, opts: { gzip?: boolean; side?: number; trainLabels?: Uint8Array } = {}): { train: Uint8Array; test: Uint8Array } {
  const side = opts.side ?? 28;
  const train = Uint8Array.from({ length: 5 * side * side }, (_, i) => (i * 7) % 256);
  const test = Uint8Array.from({ length: 3 * side * side }, (_, i) => (i * 13) % 256);
  const files: [string, Uint8Array][] = [
    ['train-images-idx3-ubyte', encodeIdx(train, [5, side, side])],
    ['train-labels-idx1-ubyte', encodeIdx(opts.trainLabels ?? Uint8Array.from([5, 0, 4, 1, 9]), [opts.trainLabels?.length ?? 5])],
    ['t10k-images-idx3-ubyte', encodeIdx(test, [3, side, side])],
    ['t10k-labels-idx1-ubyte', encodeIdx(Uint8Array.from([7, 2, 1]), [3])],
  ];
  files.forEach(([name, bytes], i) => {
    // mix the accepted spellings: gzipped, raw, and the '.idx' variant
    if (opts.gzip ?? i % 2 === 0) writeFileSync(join(dir, `${name}.gz`), gzipSync(bytes));
    else writeFileSync(join(dir, i === 3 ? name.replace('-idx', '.idx') : name), bytes);
  });
  return { train, test };
}

describe('loadMnist on generated files', () => {
  withoutAxonData();

  it('finds gzipped and raw files in dir, normalises and shapes them', async () => {
    const d = tmp();
    const { train, test } = writeFakeMnist(d);
    const m = await loadMnist({ dir: d, cacheDir: tmp(), download: false });
    expect(m.train).toBeInstanceOf(ClassificationSet);
    expect(m.train.shape).toEqual([5, 784]);
    expect(m.test.count).toBe(3);
    expect([...m.train.labels]).toEqual([5, 0, 4, 1, 9]);
    expect(m.train.images[100]).toBeCloseTo(train[100]! / 255, 7);
    expect(m.test.images[3 * 784 - 1]).toBe(Math.fround(test[3 * 784 - 1]! / 255));
    expect(m.train.x.shape).toEqual([5, 784]);
    expect(m.train.y.arraySync()).toEqual([5, 0, 4, 1, 9]);
    expect(m.train.classNames).toHaveLength(10);
    expect(m.files.testLabels).toBe(join(d, 't10k-labels.idx1-ubyte'));
    const raw = await loadMnist({ dir: d, cacheDir: tmp(), download: false, normalize: false, flatten: false });
    expect(raw.test.x.shape).toEqual([3, 28, 28]);
    expect([...raw.test.images.subarray(0, 5)]).toEqual([...test.subarray(0, 5)]);
  });

  it('finds the files in an mnist/ subfolder of dir and in the cache', async () => {
    const d = tmp();
    mkdirSync(join(d, 'mnist'));
    writeFakeMnist(join(d, 'mnist'));
    expect((await loadMnist({ dir: d, download: false, cacheDir: tmp() })).train.count).toBe(5);
    const cache = tmp();
    mkdirSync(join(cache, 'fashion-mnist'));
    writeFakeMnist(join(cache, 'fashion-mnist'));
    const f = await loadFashionMnist({ cacheDir: cache, download: false });
    expect(f.test.count).toBe(3);
    expect(f.train.classNames[9]).toBe('Ankle boot');
  });

  it('x and y are made lazily, survive tidy, and are rebuilt after dispose', async () => {
    const d = tmp();
    writeFakeMnist(d);
    const m = await loadMnist({ dir: d, cacheDir: tmp(), download: false });
    const x = ax.tidy(() => m.test.x);
    expect(x.disposed).toBe(false);
    expect(m.test.x).toBe(x);
    x.dispose();
    const again = m.test.x;
    expect(again).not.toBe(x);
    expect(again.dataSync()[5]).toBe(m.test.images[5]);
    again.dispose();
  });

  it('a set is a { data, shape } host array: ax.Dataset takes it without a copy', async () => {
    const d = tmp();
    writeFakeMnist(d);
    const m = await loadMnist({ dir: d, cacheDir: tmp(), download: false, flatten: false });
    const ds = new ax.Dataset(m.train, m.train.labels);
    expect(ds.x.data).toBe(m.train.data);
    expect(ds.x.shape).toEqual([5, 28, 28]);
    expect([...ds.y.data]).toEqual([5, 0, 4, 1, 9]);
    const csv = await loadCsv('a,b\n1,2\n3,4\n');
    expect(new ax.Dataset(csv, [0, 1]).x.shape).toEqual([2, 2]);
  });

  it('rejects bad gzip, truncated gzip, gzip bombs and truncated IDX, naming the file', async () => {
    const d = tmp();
    writeFakeMnist(d, { gzip: true });
    const p = join(d, 't10k-labels-idx1-ubyte.gz');
    writeFileSync(p, Uint8Array.from([0x1f, 0x8b, 8, 0, 0, 0, 0, 0, 0, 3, 0xff, 0xff, 0xff]));
    await expectCode(() => loadMnist({ dir: d, cacheDir: tmp(), download: false }), 'CORRUPT_DATA', new RegExp(`loadMnist: ${p} is not valid gzip data`));
    const full = gzipSync(encodeIdx(Uint8Array.from([7, 2, 1]), [3]));
    writeFileSync(p, full.subarray(0, full.length - 6));
    await expectCode(() => loadMnist({ dir: d, cacheDir: tmp(), download: false }), 'CORRUPT_DATA', /t10k-labels-idx1-ubyte\.gz is not valid gzip data \(unexpected end of file/);
    writeFileSync(p, gzipSync(encodeIdx(Uint8Array.from([7, 2, 1]), [3]).subarray(0, 10)));
    await expectCode(() => loadMnist({ dir: d, cacheDir: tmp(), download: false }), 'CORRUPT_DATA', /t10k-labels-idx1-ubyte\.gz is not a valid IDX file: truncated: header says uint8 \[3\] = 11 bytes, but there are only 10/);
    writeFileSync(p, gzipSync(encodeIdx(Uint8Array.from([7, 2, 1]), [3])));
    await expectCode(() => loadMnist({ dir: d, cacheDir: tmp(), download: false, maxBytes: 3000 }), 'CORRUPT_DATA', /train-images-idx3-ubyte\.gz decompresses to more than maxBytes = 3000 bytes/);
  });

  it('rejects swapped files, wrong sizes, count mismatches and out-of-range labels', async () => {
    const swapped = tmp();
    writeFakeMnist(swapped, { gzip: true });
    copyFileSync(join(swapped, 'train-labels-idx1-ubyte.gz'), join(swapped, 'train-images-idx3-ubyte.gz'));
    await expectCode(() => loadMnist({ dir: swapped, cacheDir: tmp(), download: false }), 'CORRUPT_DATA', /train-images-idx3-ubyte\.gz is not an image file: magic 2049 \(uint8 \[5\]\), expected 2051/);
    const small = tmp();
    writeFakeMnist(small, { side: 27 });
    await expectCode(() => loadMnist({ dir: small, cacheDir: tmp(), download: false }), 'CORRUPT_DATA', /holds 27×27 images, expected 28×28/);
    const fewer = tmp();
    writeFakeMnist(fewer, { trainLabels: Uint8Array.from([1, 2, 3, 4]) });
    await expectCode(() => loadMnist({ dir: fewer, cacheDir: tmp(), download: false }), 'CORRUPT_DATA', /has 5 images but .*train-labels-idx1-ubyte has 4 labels/);
    const label10 = tmp();
    writeFakeMnist(label10, { trainLabels: Uint8Array.from([1, 2, 10, 4, 5]) });
    await expectCode(() => loadMnist({ dir: label10, cacheDir: tmp(), download: false }), 'CORRUPT_DATA', /label 10 at index 2 is outside \[0, 9\]/);
  });

  it('says which files to put where when they are missing and downloading is off', async () => {
    const d = tmp();
    writeFakeMnist(d);
    rmSync(join(d, 'train-images-idx3-ubyte.gz'));
    const cache = tmp();
    const e = await caught(() => loadMnist({ dir: d, cacheDir: cache, download: false }));
    expect(e).toBeInstanceOf(DatasetUnavailableError);
    expect((e as DatasetUnavailableError).missing).toEqual(['train-images-idx3-ubyte.gz']);
    expect(e.message).toContain('loadMnist: MNIST files not found: train-images-idx3-ubyte.gz');
    expect(e.message).toContain(`looked in ${d}, ${join(d, 'mnist')}, ${join(cache, 'mnist')}`);
    expect(e.message).toContain('downloading is off (download: false)');
    expect(e.message).toContain(`into ${join(cache, 'mnist')}`);
    expect(e.message).toContain('AXON_DATA');
    expect(e.message).not.toContain('\n');
  });

  it('checks its options', async () => {
    await expectCode(() => loadMnist({ dri: 'x' } as never), 'INVALID_ARGUMENT', /loadMnist: unknown option 'dri' \(did you mean 'dir'\?\)/);
    await expectCode(() => loadMnist({ download: 'yes' as never }), 'INVALID_ARGUMENT', /'download' expected true or false/);
    await expectCode(() => loadMnist({ mirrors: ['ftp://x/'] }), 'INVALID_ARGUMENT', /'mirrors' expected a non-empty array of http\(s\) base URLs/);
    await expectCode(() => loadMnist({ mirrors: [] }), 'INVALID_ARGUMENT', /'mirrors' expected a non-empty array/);
    await expectCode(() => loadFashionMnist({ maxBytes: -1 }), 'INVALID_ARGUMENT', /loadFashionMnist: option 'maxBytes' expected a positive integer/);
  });

  it('has default mirrors and a default cache under the user cache dir', () => {
    expect(MNIST_MIRRORS).toEqual(['https://ossci-datasets.s3.amazonaws.com/mnist/', 'https://storage.googleapis.com/cvdf-datasets/mnist/']);
    expect(FASHION_MNIST_MIRRORS).toHaveLength(2);
    const saved = process.env.XDG_CACHE_HOME;
    process.env.XDG_CACHE_HOME = '/x/cache';
    expect(defaultCacheDir()).toBe('/x/cache/axon');
    delete process.env.XDG_CACHE_HOME;
    expect(defaultCacheDir()).toMatch(/\.cache[/\\]axon$/);
    if (saved !== undefined) process.env.XDG_CACHE_HOME = saved;
  });
});

describe.skipIf(!HAVE_MNIST)(`MNIST from ${MNIST_DIR}`, () => {
  afterEach(() => {
    if (savedEnv === undefined) delete process.env.AXON_DATA;
    else process.env.AXON_DATA = savedEnv;
  });

  it('loads the official files through $AXON_DATA (mnist/ subfolder): counts, labels, pixel sums', async () => {
    process.env.AXON_DATA = SHARED;
    const t0 = performance.now();
    const m = await loadMnist({ cacheDir: tmp(), download: false, normalize: false, flatten: false });
    const ms = performance.now() - t0;
    console.log(`loadMnist (train + test, raw): ${ms.toFixed(0)} ms`);
    expect(m.files.trainImages).toBe(join(MNIST_DIR, 'train-images-idx3-ubyte.gz'));
    expect(m.train.shape).toEqual([60000, 28, 28]);
    expect(m.test.shape).toEqual([10000, 28, 28]);
    const hist = (l: Uint8Array) => Array.from({ length: 10 }, (_, c) => l.filter((v) => v === c).length);
    expect(hist(m.train.labels)).toEqual([5923, 6742, 5958, 6131, 5842, 5421, 5918, 6265, 5851, 5949]);
    expect(hist(m.test.labels)).toEqual([980, 1135, 1032, 1010, 982, 892, 958, 1028, 974, 1009]);
    expect([...m.train.labels.subarray(0, 10)]).toEqual([5, 0, 4, 1, 9, 2, 1, 3, 1, 4]);
    expect([...m.test.labels.subarray(0, 10)]).toEqual([7, 2, 1, 0, 4, 1, 4, 9, 5, 9]);
    const sum = (a: Float32Array) => {
      let s = 0;
      for (let i = 0; i < a.length; i++) s += a[i]!;
      return s;
    };
    expect(sum(m.train.images)).toBe(1567298545);
    expect(sum(m.test.images)).toBe(264923200);
    expect(sum(m.test.images.subarray(0, 784))).toBe(18454);
    expect(sum(m.train.images.subarray(0, 784))).toBe(27525);
    const y = m.test.y;
    expect(y.shape).toEqual([10000]);
    expect(y.dataSync()[0]).toBe(7);
  });
});

/** Loopback HTTP server for the download tests: /good/ serves the real files, others fail in chosen ways. */
interface Mirror {
  base: string;
  hits: Record<string, number>;
  close(): Promise<void>;
}

async function startMirror(): Promise<Mirror> {
  const hits: Record<string, number> = {};
  const server: Server = createServer((req, res) => {
    const [, route, name] = (req.url ?? '').split('/');
    hits[route!] = (hits[route!] ?? 0) + 1;
    const file = join(MNIST_DIR, name ?? '');
    if (route === 'missing' || !name || !existsSync(file)) {
      res.writeHead(404).end('not here');
      return;
    }
    const bytes = readFileSync(file);
    if (route === 'good') {
      res.writeHead(200, { 'content-length': bytes.length }).end(bytes);
    } else if (route === 'corrupt') {
      bytes[bytes.length >> 1] ^= 0xff;
      res.writeHead(200, { 'content-length': bytes.length }).end(bytes);
    } else if (route === 'truncated') {
      res.writeHead(200, { 'content-length': bytes.length });
      res.write(bytes.subarray(0, bytes.length >> 1), () => res.destroy());
    } else {
      res.writeHead(500).end();
    }
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const { port } = server.address() as AddressInfo;
  return {
    base: `http://127.0.0.1:${port}`,
    hits,
    close: () => new Promise<void>((r) => {
      server.closeAllConnections();
      server.close(() => r());
    }),
  };
}

/** Files in a cache folder, including hidden temporaries. */
function listing(dir: string): string[] {
  return existsSync(dir) ? readdirSync(dir).sort() : [];
}

describe.skipIf(!HAVE_MNIST)('MNIST download through a loopback mirror', () => {
  withoutAxonData();
  let mirror: Mirror;
  beforeAll(async () => {
    mirror = await startMirror();
  });
  afterAll(() => mirror.close());

  it('falls back to the next mirror, verifies sha256, caches atomically, then reads the cache offline', async () => {
    const cache = tmp();
    // two files already cached: only the two missing ones are fetched
    mkdirSync(join(cache, 'mnist'));
    for (const f of ['train-labels-idx1-ubyte.gz', 't10k-labels-idx1-ubyte.gz']) copyFileSync(join(MNIST_DIR, f), join(cache, 'mnist', f));
    const progress: DownloadProgress[] = [];
    const m = await loadMnist({ cacheDir: cache, mirrors: [`${mirror.base}/missing/`, `${mirror.base}/good`], onProgress: (p) => progress.push(p) });
    expect(m.train.count).toBe(60000);
    expect(m.test.count).toBe(10000);
    expect(mirror.hits).toMatchObject({ missing: 2, good: 2 });
    expect(listing(join(cache, 'mnist'))).toEqual(FILES.map((f) => `${f}.gz`).sort());
    const sums = readFileSync(join(MNIST_DIR, 'SHA256SUMS'), 'utf8');
    for (const f of FILES) {
      const digest = createHash('sha256').update(readFileSync(join(cache, 'mnist', `${f}.gz`))).digest('hex');
      expect(sums).toContain(`${digest}  ${f}.gz`);
    }
    const last = progress.filter((p) => p.file === 'train-images-idx3-ubyte.gz').at(-1)!;
    expect(last).toMatchObject({ received: 9912422, total: 9912422, url: `${mirror.base}/good/train-images-idx3-ubyte.gz` });

    // the cache now satisfies a load without any network
    const before = { ...mirror.hits };
    const again = await loadMnist({ cacheDir: cache, mirrors: [`${mirror.base}/good/`] });
    expect(again.files.trainImages).toBe(join(cache, 'mnist', 'train-images-idx3-ubyte.gz'));
    expect(mirror.hits).toEqual(before);
  });

  it('rejects a sha256 mismatch and leaves nothing in the cache', async () => {
    const cache = tmp();
    const e = await caught(() => loadMnist({ cacheDir: cache, mirrors: [`${mirror.base}/corrupt/`] }));
    expect(e).toBeInstanceOf(DatasetUnavailableError);
    expect(e.message).toMatch(/download of train-images-idx3-ubyte\.gz failed: http:\/\/127\.0\.0\.1:\d+\/corrupt\/train-images-idx3-ubyte\.gz: sha256 mismatch \(got [0-9a-f]{64}, expected 440fcabf73cc546fa21475e81ea370265605f56be210a4024d2ca8f203523609\)/);
    expect(listing(join(cache, 'mnist'))).toEqual([]);
  });

  it('leaves no partial file after a transfer cut off mid-body', async () => {
    const cache = tmp();
    const e = await caught(() => loadMnist({ cacheDir: cache, mirrors: [`${mirror.base}/truncated/`] }));
    expect(e).toBeInstanceOf(DatasetUnavailableError);
    expect(e.message).toMatch(/truncated\/train-images-idx3-ubyte\.gz: /);
    expect(listing(join(cache, 'mnist'))).toEqual([]);
  });

  it('offline: one clear line listing the files, the folders, and why each mirror failed', async () => {
    const dead = await startMirror();
    await dead.close(); // nothing listens on its port any more
    const cache = tmp();
    const e = await caught(() => loadMnist({ cacheDir: cache, mirrors: [`${dead.base}/a/`, `${dead.base}/b/`] }));
    expect(e).toBeInstanceOf(DatasetUnavailableError);
    expect((e as DatasetUnavailableError).missing).toEqual(FILES.map((f) => `${f}.gz`));
    const msg = e.message;
    expect(msg).not.toContain('\n');
    expect(msg).toContain('MNIST files not found: train-images-idx3-ubyte.gz, train-labels-idx1-ubyte.gz, t10k-images-idx3-ubyte.gz, t10k-labels-idx1-ubyte.gz');
    expect(msg).toMatch(new RegExp(`${dead.base}/a/train-images-idx3-ubyte\\.gz: ECONNREFUSED.*${dead.base}/b/train-images-idx3-ubyte\\.gz: ECONNREFUSED`));
    expect(msg).toContain(`(gzipped, or gunzipped without .gz) into ${join(cache, 'mnist')}`);
    expect(msg).toContain('AXON_DATA environment variable (directly or in its mnist/ subfolder)');
    expect(listing(join(cache, 'mnist'))).toEqual([]);
  });
});

describe.skipIf(!HAVE_SKLEARN)(`sklearn sets from ${join(SHARED, 'sklearn')}`, () => {
  afterEach(() => {
    if (savedEnv === undefined) delete process.env.AXON_DATA;
    else process.env.AXON_DATA = savedEnv;
  });
  const hist = (l: Uint8Array, k: number) => Array.from({ length: k }, (_, c) => l.filter((v) => v === c).length);

  it('loadDigits: 1797 × 64, labels 0–9, scaled or raw', async () => {
    const d = await loadDigits({ dir: SHARED });
    expect(d.shape).toEqual([1797, 64]);
    expect(d.x.shape).toEqual([1797, 64]);
    expect(hist(d.labels, 10)).toEqual([178, 182, 177, 183, 181, 182, 181, 179, 174, 180]);
    expect(Math.max(...d.images)).toBe(1);
    delete process.env.AXON_DATA;
    process.env.AXON_DATA = join(SHARED, 'sklearn');
    const raw = await loadDigits({ normalize: false, flatten: false });
    expect(raw.x.shape).toEqual([1797, 8, 8]);
    expect(raw.data.reduce((s, v) => s + v, 0)).toBe(561718);
    expect(raw.y.dataSync()[1]).toBe(1);
  });

  it('loadIris: 150 × 4, three balanced classes named from the header line', async () => {
    process.env.AXON_DATA = SHARED;
    const iris = await loadIris();
    expect(iris.shape).toEqual([150, 4]);
    expect(iris.classNames).toEqual(['setosa', 'versicolor', 'virginica']);
    expect(hist(iris.labels, 3)).toEqual([50, 50, 50]);
    const colSums = [0, 1, 2, 3].map((c) => iris.data.filter((_, i) => i % 4 === c).reduce((s, v) => s + v, 0));
    [876.5, 458.6, 563.7, 179.9].forEach((v, c) => expect(colSums[c]).toBeCloseTo(v, 3));
    expect(iris.x.arraySync()).toHaveLength(150);
  });

  it('missing or corrupt sklearn files give clear errors', async () => {
    delete process.env.AXON_DATA;
    const d = tmp();
    const e = await caught(() => loadIris({ dir: d }));
    expect(e).toBeInstanceOf(DatasetUnavailableError);
    expect(e.message).toMatch(new RegExp(`^loadIris: iris\\.csv not found \\(looked in ${d}, ${join(d, 'sklearn')}\\).*AXON_DATA`));
    expect((await caught(() => loadDigits())).message).toMatch(/loadDigits: digits\.csv\.gz not found \(no directory to look in\)/);
    writeFileSync(join(d, 'iris.csv'), '150,4,setosa,versicolor,virginica\n5.1,3.5,1.4,0.2,0\n');
    await expectCode(() => loadIris({ dir: d }), 'CORRUPT_DATA', /the header promises 150 rows of 4 features, the file has 1 rows of 4/);
    writeFileSync(join(d, 'iris.csv'), '1,4,setosa\n5.1,3.5,1.4,0.2,3\n');
    await expectCode(() => loadIris({ dir: d }), 'CORRUPT_DATA', /label 3 in data row 1 is not a class index in \[0, 0\]/);
    writeFileSync(join(d, 'digits.csv'), `${Array(64).fill(17).join(',')},1\n`);
    await expectCode(() => loadDigits({ dir: d }), 'CORRUPT_DATA', /pixel 17 at row 1, column 1 is not an integer in \[0, 16\]/);
    writeFileSync(join(d, 'digits.csv'), '1,2,3\n');
    await expectCode(() => loadDigits({ dir: d }), 'CORRUPT_DATA', /has 3 columns per row, expected 65/);
  });
});
