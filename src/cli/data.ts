/**
 * The datasets the CLI knows (`--dataset mnist|fashion-mnist|digits|iris|csv:PATH`), loaded
 * through the `axonjs/node` loaders into one host-side shape: train and test samples with class
 * labels. MNIST and Fashion-MNIST come with an official test set; digits, iris and CSV files are
 * split with a seeded shuffle (`testFraction` of the samples, 0.2 by default), so the same seed
 * always holds out the same samples — `axon evaluate` relies on that.
 */
import { existsSync, statSync } from 'node:fs';
import { resolve } from 'node:path';
import { Dataset } from '../data/dataset.js';
import { DatasetUnavailableError, loadCsv, loadDigits, loadFashionMnist, loadIris, loadMnist, type DownloadProgress } from '../data/node/index.js';
import { nearest } from '../errors.js';
import { UsageError } from './errors.js';

/** Dataset names `--dataset` accepts (plus `csv:PATH`). */
export const DATASET_NAMES = ['mnist', 'fashion-mnist', 'digits', 'iris'] as const;

/** Samples of one split, on the host. */
export interface CliSplit {
  /** Features, row-major `[count, ...sampleShape]`, already scaled by the loader. */
  x: Float32Array;
  /** Class index per sample. */
  labels: Uint8Array;
  count: number;
}

/** A loaded dataset. */
export interface CliData {
  /** The `--dataset` value (`mnist`, `csv:data/x.csv`). */
  spec: string;
  /** Human name for messages. */
  title: string;
  train: CliSplit;
  test: CliSplit;
  classNames: string[];
  /** Shape of one sample as the model sees it (`[784]`). */
  sampleShape: number[];
  /** `[height, width]` for image datasets (augmentation), else null. */
  imageShape: [number, number] | null;
  /** The loader divided the file's raw values by this (255 for MNIST pixels, 16 for digits, 1 otherwise). */
  rawScale: number;
  /** Whether the features should be standardised before training (measurements in mixed units). */
  standardize: boolean;
  /** 'official' test files, or a seeded 'split' of one file. */
  testSource: 'official' | 'split';
}

/** Options of {@link loadCliData}. */
export interface CliDataOptions {
  /** Directory searched first for the dataset files (`--data`). */
  dir?: string;
  /** Allow downloads (MNIST, Fashion-MNIST). */
  download: boolean;
  /** Seed of the test split for datasets without a test file. */
  seed: number;
  /** Share held out as the test set for datasets without a test file. */
  testFraction: number;
  /** Called with a status line while files download. */
  onDownload?: (line: string) => void;
}

/** A parsed `--dataset` value. */
export interface DatasetSpec {
  kind: (typeof DATASET_NAMES)[number] | 'csv';
  /** The CSV path for `csv:PATH`. */
  path?: string;
}

/** Parses and checks a `--dataset` value (unknown names suggest the nearest). */
export function parseDatasetSpec(cmd: string, value: string): DatasetSpec {
  if (value.startsWith('csv:')) {
    const path = value.slice(4);
    if (!path) throw new UsageError(cmd, `--dataset csv:PATH needs a file path after 'csv:'`);
    return { kind: 'csv', path };
  }
  if ((DATASET_NAMES as readonly string[]).includes(value)) return { kind: value as DatasetSpec['kind'] };
  const near = nearest(value, [...DATASET_NAMES, 'csv:PATH']);
  throw new UsageError(cmd, `unknown dataset ${JSON.stringify(value)}${near ? ` (did you mean '${near}'?)` : ''}; valid: ${DATASET_NAMES.join(', ')}, csv:PATH`);
}

/** Throws a UsageError unless `path` is an existing regular file. */
export function requireFile(cmd: string, what: string, path: string): string {
  const abs = resolve(path);
  if (!existsSync(abs)) throw new UsageError(cmd, `${what} not found: ${path}`);
  if (!statSync(abs).isFile()) throw new UsageError(cmd, `${what} is not a file: ${path}`);
  return abs;
}

function splitOf(x: Float32Array, labels: Uint8Array): CliSplit {
  return { x, labels, count: labels.length };
}

/** Seeded train/test split of one labelled table (Dataset.split: shuffle with `seed`, test = the last share). */
function seededSplit(x: Float32Array, labels: Uint8Array, width: number, fraction: number, seed: number): [CliSplit, CliSplit] {
  const ds = new Dataset({ data: x, shape: [labels.length, width] }, Float32Array.from(labels));
  const [tr, te] = ds.split(fraction, { seed });
  const toSplit = (d: Dataset): CliSplit => splitOf(new Float32Array(d.x.data), Uint8Array.from(d.y.data));
  return [toSplit(tr), toSplit(te)];
}

function progressReporter(onDownload: ((line: string) => void) | undefined): ((p: DownloadProgress) => void) | undefined {
  if (!onDownload) return undefined;
  let lastFile = '';
  let lastPct = -1;
  return (p) => {
    const pct = p.total ? Math.floor((100 * p.received) / p.total) : -1;
    if (p.file !== lastFile) {
      lastFile = p.file;
      lastPct = -1;
    }
    // One line per file at start, then every 25 %, so a slow download shows life without flooding.
    if (lastPct < 0 || (pct >= 0 && Math.floor(pct / 25) > Math.floor(lastPct / 25))) {
      onDownload(`downloading ${p.file}${pct >= 0 ? ` ${pct}%` : ''} from ${new URL(p.url).host}`);
      lastPct = Math.max(pct, 0);
    }
  };
}

/** Loads the dataset named by `spec`; see the file comment. Missing files are a UsageError that says where to put them. */
export async function loadCliData(cmd: string, specText: string, o: CliDataOptions): Promise<CliData> {
  try {
    return await loadData(cmd, specText, o);
  } catch (e) {
    // The loaders speak to API users ("pass { dir }"); on the command line that is --data.
    if (e instanceof DatasetUnavailableError) throw new UsageError(cmd, e.message.replace(/pass \{ dir \}/g, 'pass --data DIR'));
    throw e;
  }
}

async function loadData(cmd: string, specText: string, o: CliDataOptions): Promise<CliData> {
  const spec = parseDatasetSpec(cmd, specText);
  if (o.dir !== undefined && !existsSync(resolve(o.dir))) throw new UsageError(cmd, `--data directory not found: ${o.dir}`);
  switch (spec.kind) {
    case 'mnist':
    case 'fashion-mnist': {
      const load = spec.kind === 'mnist' ? loadMnist : loadFashionMnist;
      const d = await load({ dir: o.dir, download: o.download, onProgress: progressReporter(o.onDownload) });
      return {
        spec: specText,
        title: spec.kind === 'mnist' ? 'MNIST' : 'Fashion-MNIST',
        train: splitOf(d.train.data, d.train.labels),
        test: splitOf(d.test.data, d.test.labels),
        classNames: [...d.train.classNames],
        sampleShape: [784],
        imageShape: [28, 28],
        rawScale: 255,
        standardize: false,
        testSource: 'official',
      };
    }
    case 'digits':
    case 'iris': {
      const set = spec.kind === 'digits' ? await loadDigits({ dir: o.dir }) : await loadIris({ dir: o.dir });
      const width = set.sampleShape[0]!;
      const [train, test] = seededSplit(set.data, set.labels, width, o.testFraction, o.seed);
      return {
        spec: specText,
        title: spec.kind === 'digits' ? 'digits (8×8)' : 'iris',
        train,
        test,
        classNames: [...set.classNames],
        sampleShape: [width],
        imageShape: spec.kind === 'digits' ? [8, 8] : null,
        rawScale: spec.kind === 'digits' ? 16 : 1,
        standardize: spec.kind === 'iris',
        testSource: 'split',
      };
    }
    case 'csv': {
      const path = requireFile(cmd, 'CSV file', spec.path!);
      const table = await loadCsv(path, { labelColumn: -1 });
      const labels = csvLabels(cmd, spec.path!, table.labels!);
      const width = table.columns.length;
      if (width < 1) throw new UsageError(cmd, `${spec.path}: needs at least one feature column before the label column`);
      let classes = 0;
      for (const l of labels) classes = Math.max(classes, l + 1);
      if (classes < 2) throw new UsageError(cmd, `${spec.path}: the label column (the last one) holds a single class; classification needs at least 2`);
      const [train, test] = seededSplit(table.data, labels, width, o.testFraction, o.seed);
      return {
        spec: specText,
        title: spec.path!,
        train,
        test,
        classNames: Array.from({ length: classes }, (_, i) => String(i)),
        sampleShape: [width],
        imageShape: null,
        rawScale: 1,
        standardize: true,
        testSource: 'split',
      };
    }
  }
}

function csvLabels(cmd: string, path: string, values: Float32Array): Uint8Array {
  const out = new Uint8Array(values.length);
  for (let i = 0; i < values.length; i++) {
    const v = values[i]!;
    if (!(Number.isInteger(v) && v >= 0 && v < 256)) {
      throw new UsageError(cmd, `${path}: the last column must hold class indices 0, 1, 2, … (at most 255); data row ${i + 1} has ${v}`);
    }
    out[i] = v;
  }
  return out;
}

/** The first `n` samples of a split (a view, no copy); all of them when n is undefined or ≥ count. */
export function limitSplit(s: CliSplit, n: number | undefined): CliSplit {
  if (n === undefined || n >= s.count) return s;
  const row = s.x.length / Math.max(1, s.count);
  return { x: s.x.subarray(0, n * row), labels: s.labels.subarray(0, n), count: n };
}

/** Number of features of one sample. */
export function rowSize(d: CliData): number {
  return d.sampleShape.reduce((a, b) => a * b, 1);
}
