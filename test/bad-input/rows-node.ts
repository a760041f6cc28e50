/**
 * Bad-input rows of `axonjs/node`: the wasm file helpers, the IDX / CSV parsers and the dataset
 * loaders (with a directory that holds no data and downloads off, so nothing touches the network).
 */
import * as nd from '../../src/node.js';
import { corrupt, invalid, noInput, option, row, shape, type Expect, type Table } from './harness.js';

const NOWHERE = '/nonexistent/axon-bad-input';
const unknownName = (fn: string, arg: string, given: string, near: string): Expect => ({ code: 'INVALID_ARGUMENT', fn, arg, given: `"${given}"`, near });
const WASM = new URL('../../build/axon-simd.wasm', import.meta.url);
const idx = () => nd.encodeIdx(Uint8Array.of(1, 2, 3, 4), [2, 2], 'uint8');

/** Rows every MNIST-style loader shares. */
function mnistRows(fn: string, load: (o?: nd.MnistOptions) => Promise<unknown>): ReturnType<typeof row>[] {
  return [
    row('missing files, downloads off', () => load({ dir: NOWHERE, cacheDir: NOWHERE, download: false }), { code: 'INVALID_ARGUMENT', fn, given: NOWHERE }),
    row('unknown option', () => load({ dwonload: false } as never), option(fn, 'dwonload', 'download')),
    row('negative maxBytes', () => load({ dir: NOWHERE, download: false, maxBytes: -1 }), invalid(fn, 'maxBytes', '-1')),
    row('NaN timeout', () => load({ dir: NOWHERE, download: false, timeoutMs: NaN }), invalid(fn, 'timeoutMs', 'NaN')),
    row('mirrors of the wrong type', () => load({ dir: NOWHERE, download: false, mirrors: 'http://x' as never }), invalid(fn, 'mirrors', '"http://x"')),
    row('dir of the wrong type', () => load({ dir: 42 as never }), invalid(fn, 'dir', '42')),
  ];
}

export const NODE_ROWS: Table = {
  readWasmModule: [
    row('missing file', () => nd.readWasmModule(`${NOWHERE}/axon.wasm`), { code: 'INVALID_ARGUMENT', fn: 'readWasmModule', arg: 'path', given: NOWHERE }),
    row('path of the wrong type', () => nd.readWasmModule(42 as never), invalid('readWasmModule', 'path', '42')),
    row('a file that is not wasm', () => nd.readWasmModule(new URL(import.meta.url)), corrupt('readWasmModule', 'path', /not a valid wasm module/)),
  ],
  initFromFile: [
    row('missing file', () => nd.initFromFile(`${NOWHERE}/axon.wasm`), { code: 'INVALID_ARGUMENT', fn: 'readWasmModule', arg: 'path', given: NOWHERE }),
    row('unknown option', () => nd.initFromFile(WASM, { thread: 1 } as never), option('initFromFile', 'thread', 'threads')),
    row('option it overrides', () => nd.initFromFile(WASM, { backend: 'js' } as never), invalid('initFromFile', 'backend')),
  ],
  parseIdx: [
    row('bytes of the wrong type', () => nd.parseIdx('x' as never), invalid('parseIdx', 'bytes', '"x"')),
    row('bad magic', () => nd.parseIdx(Uint8Array.of(1, 2, 3, 4, 0, 0, 0, 1, 0)), corrupt('parseIdx', undefined, /magic/)),
    row('truncated data', () => nd.parseIdx(idx().subarray(0, 13)), corrupt('parseIdx', undefined, /13|truncat|short/)),
    row('unknown option', () => nd.parseIdx(idx(), { maxElement: 3 } as never), option('parseIdx', 'maxElement', 'maxElements')),
    row('zero maxElements', () => nd.parseIdx(idx(), { maxElements: 0 }), invalid('parseIdx', 'maxElements', '0')),
    row('input over maxBytes', () => nd.parseIdx(idx(), { maxBytes: 4 }), corrupt('parseIdx', 'maxBytes', '4')),
  ],
  encodeIdx: [
    row('shape that does not fit', () => nd.encodeIdx(Uint8Array.of(1, 2, 3), [2, 2]), { code: ['SHAPE_MISMATCH', 'INVALID_ARGUMENT'], fn: 'encodeIdx', arg: 'shape', given: '[2, 2]' }),
    row('unknown dtype', () => nd.encodeIdx(Uint8Array.of(1), [1], 'uint88' as never), unknownName('encodeIdx', 'dtype', 'uint88', 'uint8')),
    row('negative dimension', () => nd.encodeIdx(Uint8Array.of(1), [-1]), invalid('encodeIdx', 'shape', '-1')),
    row('data of the wrong type', () => nd.encodeIdx([1, 2] as never, [2]), invalid('encodeIdx', 'data', '[1, 2]')),
  ],
  isGzip: [row('bytes of the wrong type', () => nd.isGzip('x' as never), invalid('isGzip', 'bytes', '"x"'))],
  parseCsv: [
    row('text of the wrong type', () => nd.parseCsv(42 as never), invalid('parseCsv', 'text', '42')),
    row('non-numeric cell', () => nd.parseCsv('a,b\n1,x\n'), corrupt('parseCsv', undefined, '"x"')),
    row('ragged rows', () => nd.parseCsv('1,2\n3\n'), corrupt('parseCsv', undefined, /1|2/)),
    row('unknown label column', () => nd.parseCsv('a,b\n1,2\n', { labelColumn: 'c' }), invalid('parseCsv', 'labelColumn', '"c"')),
    row('label column out of range', () => nd.parseCsv('1,2\n', { labelColumn: 5 }), invalid('parseCsv', 'labelColumn', '5')),
    row('unknown option', () => nd.parseCsv('1,2\n', { delimeter: ';' } as never), option('parseCsv', 'delimeter', 'delimiter')),
    row('empty delimiter', () => nd.parseCsv('1,2\n', { delimiter: '' }), invalid('parseCsv', 'delimiter', '""')),
    row('negative maxRows', () => nd.parseCsv('1,2\n', { maxRows: -1 }), invalid('parseCsv', 'maxRows', '-1')),
    row('text over maxBytes', () => nd.parseCsv('1,2\n3,4\n', { maxBytes: 3 }), corrupt('parseCsv', 'maxBytes', '3')),
  ],
  loadCsv: [
    row('missing file', () => nd.loadCsv(`${NOWHERE}/x.csv`), { code: 'INVALID_ARGUMENT', fn: 'loadCsv', given: NOWHERE }),
    row('source of the wrong type', () => nd.loadCsv(42 as never), invalid('loadCsv', 'source', '42')),
    row('unknown option', () => nd.loadCsv(new TextEncoder().encode('1,2\n'), { hedaer: true } as never), option('loadCsv', 'hedaer', 'header')),
    row('non-numeric cell', () => nd.loadCsv(new TextEncoder().encode('1,2\n3,y\n')), corrupt('loadCsv', undefined, '"y"')),
  ],
  loadMnist: mnistRows('loadMnist', nd.loadMnist),
  loadFashionMnist: mnistRows('loadFashionMnist', nd.loadFashionMnist),
  loadDigits: [
    row('missing files', () => nd.loadDigits({ dir: NOWHERE }), { code: 'INVALID_ARGUMENT', fn: 'loadDigits', given: NOWHERE }),
    row('unknown option', () => nd.loadDigits({ normalise: true } as never), option('loadDigits', 'normalise', 'normalize')),
    row('normalize of the wrong type', () => nd.loadDigits({ dir: NOWHERE, normalize: 'yes' as never }), invalid('loadDigits', 'normalize', '"yes"')),
  ],
  loadIris: [
    row('missing files', () => nd.loadIris({ dir: NOWHERE }), { code: 'INVALID_ARGUMENT', fn: 'loadIris', given: NOWHERE }),
    row('unknown option', () => nd.loadIris({ maxbytes: 10 } as never), option('loadIris', 'maxbytes', 'maxBytes')),
  ],
  ClassificationSet: [
    row('data that does not fit the labels', () => new nd.ClassificationSet(new Float32Array(5), new Uint8Array(2), [2], ['a', 'b']), shape('ClassificationSet', 'data', '5')),
    row('label out of range of the class names', () => new nd.ClassificationSet(new Float32Array(2), Uint8Array.of(0, 3), [1], ['a', 'b']), invalid('ClassificationSet', 'labels', '3')),
  ],
  CsvData: [
    row('rows that do not fit the data', () => new nd.CsvData(new Float32Array(5), 2, ['a', 'b']), shape('CsvData', 'data', '5')),
    row('labels of the wrong length', () => new nd.CsvData(new Float32Array(4), 2, ['a', 'b'], new Float32Array(3)), shape('CsvData', 'labels', '3')),
  ],
  DatasetUnavailableError: [
    row('is an AxonError', () => {
      throw new nd.DatasetUnavailableError("loadMnist: missing 'train-images-idx3-ubyte.gz'; expected it in /data", ['train-images-idx3-ubyte.gz'], ['/data']);
    }, { code: 'INVALID_ARGUMENT', fn: 'loadMnist', given: 'train-images' }),
  ],
  defaultCacheDir: noInput('takes no arguments; returns the cache directory'),
  DEFAULT_MAX_BYTES: noInput('constant: the default maxBytes of the loaders'),
  IDX_MAGIC_IMAGES: noInput('constant: the IDX magic number of image files'),
  IDX_MAGIC_LABELS: noInput('constant: the IDX magic number of label files'),
  IRIS_FEATURES: noInput('constant: the iris feature names'),
  MNIST_MIRRORS: noInput('constant: the MNIST download mirrors'),
  FASHION_MNIST_MIRRORS: noInput('constant: the Fashion-MNIST download mirrors'),
};
