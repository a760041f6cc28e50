/**
 * The small datasets scikit-learn ships as files (sklearn/datasets/data/): digits (8×8, 1 797
 * samples) and iris (150 × 4). Nothing to download: they are looked for in `dir` and
 * `$AXON_DATA` (directly or in a `sklearn/` subfolder).
 */
import { AxonError, checkOptions } from '../../errors.js';
import { parseCsv } from '../csv.js';
import { checkBoolOption, checkDirOption, checkMaxBytes, findFile, readMaybeGzip, searchDirs } from './files.js';
import { DatasetUnavailableError } from './unavailable.js';
import { ClassificationSet } from './sets.js';

/** Options of {@link loadDigits}. */
export interface DigitsOptions {
  /** Directory holding `digits.csv.gz` (or `digits.csv`), directly or in a `sklearn/` subfolder. */
  dir?: string;
  /** Scale the 0..16 pixel counts to [0, 1] (divide by 16); false keeps 0..16. Default true. */
  normalize?: boolean;
  /** `x` as `[N, 64]` (true, default) or `[N, 8, 8]` (false). */
  flatten?: boolean;
  /** Largest accepted file (after gunzip), bytes. Default 256 MiB; `Infinity` for none. */
  maxBytes?: number;
}

/** Options of {@link loadIris}. */
export interface IrisOptions {
  /** Directory holding `iris.csv`, directly or in a `sklearn/` subfolder. */
  dir?: string;
  /** Largest accepted file (after gunzip), bytes. Default 256 MiB; `Infinity` for none. */
  maxBytes?: number;
}

/** The four iris measurements, in column order (centimetres). */
export const IRIS_FEATURES: readonly string[] = Object.freeze(['sepal length (cm)', 'sepal width (cm)', 'petal length (cm)', 'petal width (cm)']);

/**
 * Loads scikit-learn's digits: 1 797 handwritten digits as 8×8 pixel counts 0..16 (the UCI
 * optdigits test set). The file has 65 integer columns per row: 64 pixels (row-major), then the
 * label 0–9.
 *
 * @returns a ClassificationSet: `x` `[1797, 64]` (or `[1797, 8, 8]`) scaled to [0, 1] unless
 *   `normalize: false`, `y` `[1797]` class indices, `labels` Uint8Array.
 */
export async function loadDigits(options: DigitsOptions = {}): Promise<ClassificationSet> {
  const fn = 'loadDigits';
  checkOptions(fn, options, ['dir', 'normalize', 'flatten', 'maxBytes']);
  const maxBytes = checkMaxBytes(fn, options.maxBytes);
  const dir = checkDirOption(fn, 'dir', options.dir);
  const normalize = checkBoolOption(fn, 'normalize', options.normalize, true);
  const flatten = checkBoolOption(fn, 'flatten', options.flatten, true);
  const path = await locate(fn, 'digits', ['digits.csv.gz', 'digits.csv'], dir);
  const table = parseCsv(new TextDecoder().decode(await readMaybeGzip(path, fn, maxBytes)), { header: false, labelColumn: -1, name: path, caller: fn, maxBytes });
  if (table.columns.length !== 64) throw new AxonError('CORRUPT_DATA', `${fn}: ${path} has ${table.columns.length + 1} columns per row, expected 65 (64 pixels and the label)`);
  const px = table.data;
  for (let i = 0; i < px.length; i++) {
    const v = px[i]!;
    if (!(Number.isInteger(v) && v >= 0 && v <= 16)) {
      throw new AxonError('CORRUPT_DATA', `${fn}: ${path}: pixel ${v} at row ${Math.floor(i / 64) + 1}, column ${(i % 64) + 1} is not an integer in [0, 16]`);
    }
    if (normalize) px[i] = v / 16;
  }
  const labels = classLabels(fn, path, table.labels!, 10);
  return new ClassificationSet(px, labels, flatten ? [64] : [8, 8], ['0', '1', '2', '3', '4', '5', '6', '7', '8', '9']);
}

/**
 * Loads the iris flowers: 150 samples of the four measurements in {@link IRIS_FEATURES}
 * (centimetres, unscaled), 3 classes (setosa, versicolor, virginica). The file's first line is
 * `150,4,setosa,versicolor,virginica` (count, features, class names), then one
 * `f1,f2,f3,f4,label` row per sample.
 *
 * @returns a ClassificationSet: `x` `[150, 4]`, `y` `[150]` class indices, `classNames` from the file.
 */
export async function loadIris(options: IrisOptions = {}): Promise<ClassificationSet> {
  const fn = 'loadIris';
  checkOptions(fn, options, ['dir', 'maxBytes']);
  const maxBytes = checkMaxBytes(fn, options.maxBytes);
  const dir = checkDirOption(fn, 'dir', options.dir);
  const path = await locate(fn, 'iris', ['iris.csv', 'iris.csv.gz'], dir);
  const text = new TextDecoder().decode(await readMaybeGzip(path, fn, maxBytes));
  const newline = text.indexOf('\n');
  const head = (newline < 0 ? text : text.slice(0, newline)).trim().split(',');
  const count = Number(head[0]);
  const width = Number(head[1]);
  const classNames = head.slice(2).map((s) => s.trim());
  if (!(Number.isInteger(count) && count > 0 && Number.isInteger(width) && width > 0 && classNames.length > 0)) {
    throw new AxonError('CORRUPT_DATA', `${fn}: ${path}: the first line should be 'count,features,class names…' (e.g. 150,4,setosa,versicolor,virginica), found ${JSON.stringify(head.join(','))}`);
  }
  const table = parseCsv(newline < 0 ? '' : text.slice(newline + 1), { header: false, labelColumn: -1, name: `${path} (after its header line)`, caller: fn, maxBytes });
  if (table.rows !== count || table.columns.length !== width) {
    throw new AxonError('CORRUPT_DATA', `${fn}: ${path}: the header promises ${count} rows of ${width} features, the file has ${table.rows} rows of ${table.columns.length}`);
  }
  const labels = classLabels(fn, path, table.labels!, classNames.length);
  return new ClassificationSet(table.data, labels, [width], classNames);
}

async function locate(fn: string, what: string, names: string[], dir: string | undefined): Promise<string> {
  const dirs = searchDirs('sklearn', dir);
  const found = await findFile(dirs, names);
  if (found) return found;
  throw new DatasetUnavailableError(
    `${fn}: ${names[0]} not found (${dirs.length ? `looked in ${dirs.join(', ')}` : 'no directory to look in'}). ` +
      `Copy scikit-learn's ${what} file (sklearn/datasets/data/${names[0]}) into a directory and pass { dir }, ` +
      `or set the AXON_DATA environment variable to a directory that holds it (directly or in its sklearn/ subfolder)`,
    [names[0]!],
    dirs,
  );
}

function classLabels(fn: string, path: string, values: Float32Array, classes: number): Uint8Array {
  const out = new Uint8Array(values.length);
  for (let i = 0; i < values.length; i++) {
    const v = values[i]!;
    if (!(Number.isInteger(v) && v >= 0 && v < classes)) throw new AxonError('CORRUPT_DATA', `${fn}: ${path}: label ${v} in data row ${i + 1} is not a class index in [0, ${classes - 1}]`);
    out[i] = v;
  }
  return out;
}
