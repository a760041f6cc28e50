/** `loadCsv`: a numeric CSV file (optionally gzipped) or CSV text as tensors. */
import { fileURLToPath } from 'node:url';
import { ArgumentError, AxonError, checkOptions, describeValue } from '../../errors.js';
import { parseCsv, type ParseCsvOptions } from '../csv.js';
import { isGzip } from '../idx.js';
import { inputTooLarge } from '../../limits.js';
import { checkMaxBytes, gunzipCapped, readMaybeGzip } from './files.js';
import { CsvData } from './sets.js';

/** Options of {@link loadCsv}. */
export interface LoadCsvOptions extends Omit<ParseCsvOptions, 'name' | 'caller'> {
  /** Largest accepted file, gunzipped data or text, bytes (also caps the float32 table). Default 256 MiB; `Infinity` for none. */
  maxBytes?: number;
}

const OPTION_KEYS = ['header', 'labelColumn', 'delimiter', 'maxRows', 'maxBytes'] as const;

/**
 * Loads a numeric CSV table. `source` is a file path (or URL; `.gz` content is detected and
 * gunzipped), CSV text (any string containing a newline is taken as text), or the file's bytes.
 * Every cell except the header's must be a finite number.
 *
 * @returns `x` `[rows, columns]` float features, `y` `[rows]` when `labelColumn` is given, the
 *   host arrays (`data`, `labels`) and the feature column names.
 * @throws AxonError('CORRUPT_DATA') for empty input, ragged rows or non-numeric cells (the message
 *   names the line, row and column); ArgumentError for bad options or an unreadable path.
 */
export async function loadCsv(source: string | URL | Uint8Array, options: LoadCsvOptions = {}): Promise<CsvData> {
  const fn = 'loadCsv';
  checkOptions(fn, options, OPTION_KEYS);
  const maxBytes = checkMaxBytes(fn, options.maxBytes);
  let text: string;
  let name: string;
  if (typeof source === 'string' && source.includes('\n')) {
    text = source;
    name = 'CSV text';
  } else if (typeof source === 'string' || source instanceof URL) {
    const path = source instanceof URL ? fileURLToPath(source) : source;
    let bytes: Uint8Array;
    try {
      bytes = await readMaybeGzip(path, fn, maxBytes);
    } catch (e) {
      if (typeof source === 'string' && e instanceof AxonError && e.code === 'INVALID_ARGUMENT') {
        throw new ArgumentError(`${e.message} (a string without a newline is read as a file path)`);
      }
      throw e;
    }
    text = new TextDecoder().decode(bytes);
    name = path;
  } else if (source instanceof Uint8Array) {
    name = 'CSV bytes';
    if (!isGzip(source) && source.length > maxBytes) throw inputTooLarge(fn, name, source.length, maxBytes);
    text = new TextDecoder().decode(isGzip(source) ? await gunzipCapped(source, name, fn, maxBytes) : source);
  } else {
    throw new ArgumentError(`${fn}: argument 'source' expected a file path, CSV text or bytes, given ${describeValue(source)}`);
  }
  const { header, labelColumn, delimiter, maxRows } = options;
  const table = parseCsv(text, { header, labelColumn, delimiter, maxRows, name, caller: fn, maxBytes });
  return new CsvData(table.data, table.rows, table.columns, table.labels, table.labelName);
}
