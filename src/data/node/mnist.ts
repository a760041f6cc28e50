/**
 * MNIST and Fashion-MNIST: find the four IDX files (`dir`, `$AXON_DATA`, the cache), download
 * missing ones from the public mirrors with sha256 verification, parse and validate them.
 */
import { join, resolve } from 'node:path';
import { ArgumentError, AxonError, checkOptions, describeValue } from '../../errors.js';
import { IDX_MAGIC_IMAGES, IDX_MAGIC_LABELS, parseIdx, type IdxData } from '../idx.js';
import { downloadVerified, type DownloadProgress } from './download.js';
import { DatasetUnavailableError } from './unavailable.js';
import { checkBoolOption, checkDirOption, checkMaxBytes, defaultCacheDir, findFile, readMaybeGzip, searchDirs } from './files.js';
import { ClassificationSet } from './sets.js';

/** Options of {@link loadMnist} and {@link loadFashionMnist}. */
export interface MnistOptions {
  /** A directory holding the four files (directly or in a `mnist/` / `fashion-mnist/` subfolder). Searched first. */
  dir?: string;
  /** Where downloads go (in a `mnist/` / `fashion-mnist/` subfolder) and are looked for. Default {@link defaultCacheDir}. */
  cacheDir?: string;
  /** Download missing files from the mirrors. Default true. */
  download?: boolean;
  /** Scale pixels to [0, 1] (divide by 255); false keeps 0..255. Default true. */
  normalize?: boolean;
  /** `x` as `[N, 784]` (true, default) or `[N, 28, 28]` (false). */
  flatten?: boolean;
  /** Largest accepted file (after gunzip) or download, bytes. Default 256 MiB. */
  maxBytes?: number;
  /** Base URLs tried in order, each followed by the file name. Default: the dataset's public mirrors. */
  mirrors?: readonly string[];
  /** Time limit per file per mirror, ms. Default 120 000. */
  timeoutMs?: number;
  /** Called as download chunks arrive (to show progress). */
  onProgress?: (p: DownloadProgress) => void;
}

/** The train and test sets and where they were read from. */
export interface MnistData {
  /** 60 000 samples for the official files. */
  train: ClassificationSet;
  /** 10 000 samples for the official files. */
  test: ClassificationSet;
  /** Absolute paths of the files read. */
  files: { trainImages: string; trainLabels: string; testImages: string; testLabels: string };
}

/** MNIST's public mirrors (the original site no longer serves the files reliably). */
export const MNIST_MIRRORS: readonly string[] = Object.freeze([
  'https://ossci-datasets.s3.amazonaws.com/mnist/',
  'https://storage.googleapis.com/cvdf-datasets/mnist/',
]);

/** Fashion-MNIST's public mirrors (Zalando's GitHub repository, then its S3 website). */
export const FASHION_MNIST_MIRRORS: readonly string[] = Object.freeze([
  'https://raw.githubusercontent.com/zalandoresearch/fashion-mnist/master/data/fashion/',
  'http://fashion-mnist.s3-website.eu-central-1.amazonaws.com/',
]);

const FILES = ['train-images-idx3-ubyte', 'train-labels-idx1-ubyte', 't10k-images-idx3-ubyte', 't10k-labels-idx1-ubyte'] as const;
type FileBase = (typeof FILES)[number];

interface IdxDatasetSpec {
  caller: string;
  title: string;
  sub: string;
  mirrors: readonly string[];
  /** sha256 of each official .gz file. */
  sha256: Record<FileBase, string>;
  classNames: readonly string[];
}

const MNIST: IdxDatasetSpec = {
  caller: 'loadMnist',
  title: 'MNIST',
  sub: 'mnist',
  mirrors: MNIST_MIRRORS,
  sha256: {
    'train-images-idx3-ubyte': '440fcabf73cc546fa21475e81ea370265605f56be210a4024d2ca8f203523609',
    'train-labels-idx1-ubyte': '3552534a0a558bbed6aed32b30c495cca23d567ec52cac8be1a0730e8010255c',
    't10k-images-idx3-ubyte': '8d422c7b0a1c1c79245a5bcf07fe86e33eeafee792b84584aec276f5a2dbc4e6',
    't10k-labels-idx1-ubyte': 'f7ae60f92e00ec6debd23a6088c31dbd2371eca3ffa0defaefb259924204aec6',
  },
  classNames: ['0', '1', '2', '3', '4', '5', '6', '7', '8', '9'],
};

const FASHION_MNIST: IdxDatasetSpec = {
  caller: 'loadFashionMnist',
  title: 'Fashion-MNIST',
  sub: 'fashion-mnist',
  mirrors: FASHION_MNIST_MIRRORS,
  sha256: {
    'train-images-idx3-ubyte': '3aede38d61863908ad78613f6a32ed271626dd12800ba2636569512369268a84',
    'train-labels-idx1-ubyte': 'a04f17134ac03560a47e3764e11b92fc97de4d1bfaf8ba1a3aa29af54cc90845',
    't10k-images-idx3-ubyte': '346e55b948d973a97e58d2351dde16a484bd415d4595297633bb08f03db6a073',
    't10k-labels-idx1-ubyte': '67da17c76eaffca5446c3361aaab5c3cd6d1c2608764d35dfb1850b086bf8dd5',
  },
  classNames: ['T-shirt/top', 'Trouser', 'Pullover', 'Dress', 'Coat', 'Sandal', 'Shirt', 'Sneaker', 'Bag', 'Ankle boot'],
};

const OPTION_KEYS = ['dir', 'cacheDir', 'download', 'normalize', 'flatten', 'maxBytes', 'mirrors', 'timeoutMs', 'onProgress'] as const;
const SIDE = 28;

/**
 * Loads MNIST (handwritten digits, 28×28 grey, classes 0–9). Files are looked for in `dir`, then
 * `$AXON_DATA` (directly or in its `mnist/` subfolder), then `<cacheDir>/mnist`; each may be
 * gzipped (`train-images-idx3-ubyte.gz`) or raw (`train-images-idx3-ubyte`,
 * `train-images.idx3-ubyte`). Missing files are downloaded into the cache when `download` is on.
 *
 * @returns `train` (60 000) and `test` (10 000): `x` `[N, 784]` (or `[N, 28, 28]` without
 *   `flatten`) scaled to [0, 1] unless `normalize: false`, `y` `[N]` class indices as floats,
 *   plus the host arrays `images` (Float32Array) and `labels` (Uint8Array).
 */
export function loadMnist(options: MnistOptions = {}): Promise<MnistData> {
  return loadIdxDataset(MNIST, options);
}

/**
 * Loads Fashion-MNIST (Zalando article images, 28×28 grey, 10 classes named in `classNames`):
 * the same files, layout, options and result as {@link loadMnist}, in `fashion-mnist/` folders.
 */
export function loadFashionMnist(options: MnistOptions = {}): Promise<MnistData> {
  return loadIdxDataset(FASHION_MNIST, options);
}

async function loadIdxDataset(spec: IdxDatasetSpec, options: MnistOptions): Promise<MnistData> {
  const fn = spec.caller;
  checkOptions(fn, options, OPTION_KEYS);
  const dir = checkDirOption(fn, 'dir', options.dir);
  const cacheDir = checkDirOption(fn, 'cacheDir', options.cacheDir);
  const download = checkBoolOption(fn, 'download', options.download, true);
  const normalize = checkBoolOption(fn, 'normalize', options.normalize, true);
  const flatten = checkBoolOption(fn, 'flatten', options.flatten, true);
  const maxBytes = checkMaxBytes(fn, options.maxBytes);
  const mirrors = checkMirrors(fn, options.mirrors ?? spec.mirrors);
  const timeoutMs = options.timeoutMs ?? 120_000;
  if (typeof timeoutMs !== 'number' || !(timeoutMs > 0)) throw new ArgumentError(`${fn}: option 'timeoutMs' expected a positive number, given ${describeValue(timeoutMs)}`);
  if (options.onProgress !== undefined && typeof options.onProgress !== 'function') {
    throw new ArgumentError(`${fn}: option 'onProgress' expected a function, given ${describeValue(options.onProgress)}`);
  }

  const cacheSub = join(resolve(cacheDir ?? defaultCacheDir()), spec.sub);
  const dirs = searchDirs(spec.sub, dir, [cacheSub]);
  const paths = {} as Record<FileBase, string>;
  const missing: FileBase[] = [];
  for (const base of FILES) {
    const found = await findFile(dirs, nameVariants(base));
    if (found) paths[base] = found;
    else missing.push(base);
  }

  let downloadError = '';
  if (missing.length > 0 && download) {
    for (const base of [...missing]) {
      const dest = join(cacheSub, `${base}.gz`);
      try {
        await downloadVerified({ urls: mirrors.map((m) => `${m}${base}.gz`), sha256: spec.sha256[base], dest, maxBytes, timeoutMs, onProgress: options.onProgress });
      } catch (e) {
        downloadError = `download of ${base}.gz failed: ${(e as Error).message}`;
        break;
      }
      paths[base] = dest;
      missing.splice(missing.indexOf(base), 1);
    }
  }
  if (missing.length > 0) {
    const names = missing.map((b) => `${b}.gz`);
    throw new DatasetUnavailableError(
      `${fn}: ${spec.title} files not found: ${names.join(', ')} (looked in ${dirs.join(', ')}); ` +
        `${download ? downloadError : 'downloading is off (download: false)'}. ` +
        `Put the four files ${FILES.map((b) => `${b}.gz`).join(', ')} (gzipped, or gunzipped without .gz) into ${cacheSub}, ` +
        `or into a directory named by the AXON_DATA environment variable (directly or in its ${spec.sub}/ subfolder), or pass { dir }`,
      names,
      dirs,
    );
  }

  const [trainImages, trainLabels, testImages, testLabels] = await Promise.all(FILES.map((b) => readIdx(fn, paths[b], maxBytes)));
  const files = {
    trainImages: paths['train-images-idx3-ubyte'],
    trainLabels: paths['train-labels-idx1-ubyte'],
    testImages: paths['t10k-images-idx3-ubyte'],
    testLabels: paths['t10k-labels-idx1-ubyte'],
  };
  return {
    train: toSet(fn, spec, trainImages!, files.trainImages, trainLabels!, files.trainLabels, normalize, flatten),
    test: toSet(fn, spec, testImages!, files.testImages, testLabels!, files.testLabels, normalize, flatten),
    files,
  };
}

/** File names accepted for one file: gzipped or raw, with `-idx` or the `.idx` spelling some extractors use. */
function nameVariants(base: string): string[] {
  const dotted = base.replace('-idx', '.idx');
  return [`${base}.gz`, base, `${dotted}.gz`, dotted];
}

function checkMirrors(fn: string, mirrors: unknown): string[] {
  if (!Array.isArray(mirrors) || mirrors.length === 0 || mirrors.some((m) => typeof m !== 'string' || !/^https?:\/\//.test(m))) {
    throw new ArgumentError(`${fn}: option 'mirrors' expected a non-empty array of http(s) base URLs, given ${describeValue(mirrors)}`);
  }
  return mirrors.map((m: string) => (m.endsWith('/') ? m : `${m}/`));
}

async function readIdx(fn: string, path: string, maxBytes: number): Promise<IdxData> {
  const bytes = await readMaybeGzip(path, fn, maxBytes);
  return parseIdx(bytes, { name: path, caller: fn, maxElements: maxBytes, maxBytes });
}

function toSet(fn: string, spec: IdxDatasetSpec, img: IdxData, imgPath: string, lbl: IdxData, lblPath: string, normalize: boolean, flatten: boolean): ClassificationSet {
  const bad = (what: string) => new AxonError('CORRUPT_DATA', `${fn}: ${what}`);
  if (img.magic !== IDX_MAGIC_IMAGES) {
    throw bad(`${imgPath} is not an image file: magic ${img.magic} (${img.dtype} [${img.shape.join(', ')}]), expected ${IDX_MAGIC_IMAGES} (uint8 [N, ${SIDE}, ${SIDE}])`);
  }
  if (img.shape[1] !== SIDE || img.shape[2] !== SIDE) throw bad(`${imgPath} holds ${img.shape[1]}×${img.shape[2]} images, expected ${SIDE}×${SIDE}`);
  if (lbl.magic !== IDX_MAGIC_LABELS) {
    throw bad(`${lblPath} is not a label file: magic ${lbl.magic} (${lbl.dtype} [${lbl.shape.join(', ')}]), expected ${IDX_MAGIC_LABELS} (uint8 [N])`);
  }
  const n = img.shape[0]!;
  if (lbl.shape[0] !== n) throw bad(`${imgPath} has ${n} images but ${lblPath} has ${lbl.shape[0]} labels`);
  const labels = (lbl.data as Uint8Array).slice();
  const classes = spec.classNames.length;
  for (let i = 0; i < n; i++) if (labels[i]! >= classes) throw bad(`${lblPath}: label ${labels[i]} at index ${i} is outside [0, ${classes - 1}]`);
  const px = img.data as Uint8Array;
  const data = new Float32Array(px.length);
  if (normalize) for (let i = 0; i < px.length; i++) data[i] = px[i]! / 255;
  else data.set(px);
  return new ClassificationSet(data, labels, flatten ? [SIDE * SIDE] : [SIDE, SIDE], spec.classNames);
}
