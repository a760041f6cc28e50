/**
 * Numeric CSV parsing (no Node import): every cell must be a finite number, except the header
 * row. Double-quoted cells (with `""` escapes) are understood; a quoted cell cannot span lines.
 */
import { ArgumentError, AxonError, checkOptions, describeValue } from '../errors.js';
import { checkMaxBytes, DEFAULT_MAX_BYTES, inputTooLarge } from '../limits.js';

/** Options of {@link parseCsv}. */
export interface ParseCsvOptions {
  /**
   * Whether the first non-blank line names the columns. `'auto'` (default): it does when any of
   * its cells is not a number.
   */
  header?: boolean | 'auto';
  /**
   * The column holding the targets, split off into `labels`: an index (negative counts from the
   * end, `-1` = last) or a header name. Default: none (every column is a feature).
   */
  labelColumn?: number | string;
  /** One-character cell separator. Default `','`. */
  delimiter?: string;
  /** Stop after this many data rows. Default: all. */
  maxRows?: number;
  /** Name of the input in error messages (a file name). Default `'CSV input'`. */
  name?: string;
  /** Function named at the start of error messages (the public caller). Default `'parseCsv'`. */
  caller?: string;
  /**
   * Largest accepted text (UTF-16 code units, ≈ bytes for ASCII) and largest float32 table
   * (bytes), each checked before it is allocated. Default {@link DEFAULT_MAX_BYTES} (256 MiB);
   * `Infinity` for none. Peak memory stays within a small multiple of it (the text, its lines,
   * the table).
   */
  maxBytes?: number;
}

/** A parsed numeric table. */
export interface CsvTable {
  /** Feature values, row-major `[rows, columns.length]` (the label column removed). */
  data: Float32Array;
  /** Number of data rows read. */
  rows: number;
  /** Names of the feature columns: the header's, or `c0`, `c1`, … (original column indices). */
  columns: string[];
  /** The label column's values `[rows]`, when `labelColumn` was given. */
  labels?: Float32Array;
  /** The label column's name, when `labelColumn` was given. */
  labelName?: string;
}

const OPTION_KEYS = ['header', 'labelColumn', 'delimiter', 'maxRows', 'name', 'caller', 'maxBytes'] as const;

/**
 * Parses numeric CSV text into a Float32 table. Blank lines are skipped and a leading BOM is
 * ignored. Throws AxonError('CORRUPT_DATA') for empty input, ragged rows and non-numeric cells
 * (naming the line, the row and the column), ArgumentError for bad options.
 */
export function parseCsv(text: string, options: ParseCsvOptions = {}): CsvTable {
  const fn = options.caller ?? 'parseCsv';
  checkOptions(fn, options, OPTION_KEYS);
  if (typeof text !== 'string') throw new ArgumentError(`${fn}: argument 'text' expected a string, given ${describeValue(text)}`);
  const name = options.name ?? 'CSV input';
  const delimiter = options.delimiter ?? ',';
  if (typeof delimiter !== 'string' || delimiter.length !== 1 || delimiter === '"' || delimiter === '\n' || delimiter === '\r') {
    throw new ArgumentError(`${fn}: option 'delimiter' expected one character other than a quote or newline, given ${describeValue(delimiter)}`);
  }
  const headerOpt = options.header ?? 'auto';
  if (headerOpt !== true && headerOpt !== false && headerOpt !== 'auto') {
    throw new ArgumentError(`${fn}: option 'header' expected true, false or 'auto', given ${describeValue(headerOpt)}`);
  }
  const maxRows = options.maxRows ?? Infinity;
  if (maxRows !== Infinity && !(Number.isInteger(maxRows) && maxRows >= 1)) {
    throw new ArgumentError(`${fn}: option 'maxRows' expected a positive integer, given ${describeValue(maxRows)}`);
  }
  const maxBytes = checkMaxBytes(fn, options.maxBytes, DEFAULT_MAX_BYTES);
  const fail = (what: string) => new AxonError('CORRUPT_DATA', `${fn}: ${name}: ${what}`);
  if (text.length > maxBytes) throw inputTooLarge(fn, name, text.length, maxBytes);

  // Lines are found one at a time and a line's cells are counted before it is split: a text of
  // 10^8 newlines or delimiters would otherwise build an array of 10^8 strings, which V8 cannot
  // allocate (a fatal, uncatchable out-of-memory crash, not an exception).
  const body = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  const maxCells = Math.min(Math.floor(maxBytes / 4), MAX_CELLS_PER_ROW);
  let pos = 0;
  let li = 0;
  const nextCells = (limit: number, tooMany: () => Error): string[] | null => {
    while (pos <= body.length) {
      let end = body.indexOf('\n', pos);
      if (end < 0) end = body.length;
      let line = body.slice(pos, end);
      pos = end + 1;
      li++;
      if (line.endsWith('\r')) line = line.slice(0, -1);
      if (line.trim() === '') continue;
      // Short lines cannot hold many cells; the caller reports their exact count.
      if (line.length >= Math.max(limit, 1 << 16) && countCells(line, delimiter, limit) > limit) throw tooMany();
      return splitLine(line, delimiter, () => fail(`line ${li}: unterminated quoted cell`));
    }
    return null;
  };

  const first = nextCells(maxCells, () => fail(`line ${li} has more than ${maxCells} cells (at most ${MAX_CELLS_PER_ROW}, and 4 bytes each must fit maxBytes = ${maxBytes})`));
  if (first === null) throw fail('empty input: no rows');
  const firstLine = li;
  const isHeader = headerOpt === 'auto' ? first.some((c) => !isNumberCell(c)) : headerOpt;
  const header = isHeader ? first.map((c) => c.trim()) : null;
  const width = first.length;
  const tooWide = () => fail(`line ${li} has more than ${width} cells, expected ${width} (as in line ${firstLine}${isHeader ? ', the header' : ''})`);
  const firstData = isHeader ? nextCells(width, tooWide) : first;
  if (firstData === null) throw fail(`line ${firstLine} is a header but no data rows follow`);

  const labelAt = resolveLabelColumn(fn, options.labelColumn, width, header);
  const features = labelAt === undefined ? width : width - 1;
  const columns: string[] = [];
  for (let c = 0; c < width; c++) if (c !== labelAt) columns.push(header ? header[c]! : `c${c}`);
  const colName = (c: number) => (header ? `column ${c + 1} ('${header[c]}')` : `column ${c + 1}`);

  // Room for 256 rows, but never more cells than the text can hold (a cell takes ≥ 2 characters
  // with its delimiter), so one very wide header cannot make this allocation huge.
  let data: Float32Array = new Float32Array(Math.min(Math.max(16, features * 256), Math.ceil(text.length / 2) + 16));
  let labels: Float32Array | undefined = labelAt === undefined ? undefined : new Float32Array(256);
  let rows = 0;
  for (let cells: string[] | null = firstData; cells !== null && rows < maxRows; cells = rows < maxRows ? nextCells(width, tooWide) : null) {
    if (cells.length !== width) {
      throw fail(`line ${li} (data row ${rows + 1}) has ${cells.length} cells, expected ${width} (as in line ${firstLine}${isHeader ? ', the header' : ''})`);
    }
    if ((rows + 1) * width * 4 > maxBytes) throw inputTooLarge(fn, `${name} (as a float32 table of ${rows + 1} rows × ${width} columns)`, (rows + 1) * width * 4, maxBytes);
    if ((rows + 1) * features > data.length) data = grow(data, (rows + 1) * features, maxBytes / 4);
    if (labels && rows + 1 > labels.length) labels = grow(labels, rows + 1, maxBytes / 4);
    let o = rows * features;
    for (let c = 0; c < width; c++) {
      const cell = cells[c]!;
      const v = +cell;
      if (!Number.isFinite(v) || (v === 0 && cell.trim() === '')) {
        const shown = cell.trim() === '' ? 'an empty cell' : `${JSON.stringify(cell.trim())}, not a finite number`;
        throw fail(`line ${li} (data row ${rows + 1}), ${colName(c)}: ${shown}`);
      }
      // Finite as a double but not as float32 (|v| > 3.4e38) would be stored as ±Infinity.
      if (!Number.isFinite(Math.fround(v))) throw fail(`line ${li} (data row ${rows + 1}), ${colName(c)}: ${cell.trim()} is outside the float32 range (±3.4028235e38)`);
      if (c === labelAt) labels![rows] = v;
      else data[o++] = v;
    }
    rows++;
  }
  const table: CsvTable = { data: data.slice(0, rows * features), rows, columns };
  if (labels && labelAt !== undefined) {
    table.labels = labels.slice(0, rows);
    table.labelName = header ? header[labelAt]! : `c${labelAt}`;
  }
  return table;
}

/** A copy of `a` with room for at least `need` values (doubling, but never past `cap`). */
/** Most cells one row may have, whatever maxBytes allows (16 777 216). */
const MAX_CELLS_PER_ROW = 2 ** 24;

/** Cells in `line` (delimiters + 1, quotes ignored: an upper bound), counting stops past `limit`. */
function countCells(line: string, delimiter: string, limit: number): number {
  let n = 1;
  for (let i = line.indexOf(delimiter); i >= 0 && n <= limit; i = line.indexOf(delimiter, i + 1)) n++;
  return n;
}

function grow(a: Float32Array, need: number, cap: number): Float32Array {
  const b = new Float32Array(Math.max(need, Math.min(a.length * 2, Math.floor(cap))));
  b.set(a);
  return b;
}

function isNumberCell(cell: string): boolean {
  return cell.trim() !== '' && Number.isFinite(+cell);
}

function resolveLabelColumn(fn: string, col: number | string | undefined, width: number, header: string[] | null): number | undefined {
  if (col === undefined) return undefined;
  if (typeof col === 'number') {
    if (!Number.isInteger(col) || col < -width || col >= width) {
      throw new ArgumentError(`${fn}: option 'labelColumn' expected an integer in [${-width}, ${width - 1}] (the rows have ${width} columns), given ${describeValue(col)}`);
    }
    return col < 0 ? width + col : col;
  }
  if (typeof col === 'string') {
    if (!header) throw new ArgumentError(`${fn}: option 'labelColumn' names column ${JSON.stringify(col)} but the input has no header row; pass a column index`);
    const at = header.indexOf(col);
    if (at < 0) throw new ArgumentError(`${fn}: option 'labelColumn': no column named ${JSON.stringify(col)}; columns: ${header.join(', ')}`);
    return at;
  }
  throw new ArgumentError(`${fn}: option 'labelColumn' expected a column index or name, given ${describeValue(col)}`);
}

/** Splits one line into cells; quotes are only parsed when the line contains one (the fast path). */
function splitLine(line: string, delimiter: string, unterminated: () => Error): string[] {
  if (!line.includes('"')) return line.split(delimiter);
  const cells: string[] = [];
  let cell = '';
  let i = 0;
  while (i <= line.length) {
    const start = i;
    while (i < line.length && line[i] === ' ') i++;
    if (line[i] === '"') {
      i++;
      for (;;) {
        if (i >= line.length) throw unterminated();
        if (line[i] === '"') {
          if (line[i + 1] === '"') {
            cell += '"';
            i += 2;
            continue;
          }
          i++;
          break;
        }
        cell += line[i++];
      }
      while (i < line.length && line[i] !== delimiter) cell += line[i++]; // text after the closing quote is kept
    } else {
      i = start;
      while (i < line.length && line[i] !== delimiter) cell += line[i++];
    }
    cells.push(cell);
    cell = '';
    i++; // skip the delimiter (or step past the end)
  }
  return cells;
}
