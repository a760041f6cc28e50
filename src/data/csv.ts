/**
 * Numeric CSV parsing (no Node import): every cell must be a finite number, except the header
 * row. Double-quoted cells (with `""` escapes) are understood; a quoted cell cannot span lines.
 */
import { ArgumentError, AxonError, checkOptions, describeValue } from '../errors.js';

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

const OPTION_KEYS = ['header', 'labelColumn', 'delimiter', 'maxRows', 'name', 'caller'] as const;

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
  const fail = (what: string) => new AxonError('CORRUPT_DATA', `${fn}: ${name}: ${what}`);

  const lines = (text.charCodeAt(0) === 0xfeff ? text.slice(1) : text).split('\n');
  let li = 0;
  const nextCells = (): string[] | null => {
    while (li < lines.length) {
      let line = lines[li++]!;
      if (line.endsWith('\r')) line = line.slice(0, -1);
      if (line.trim() === '') continue;
      return splitLine(line, delimiter, () => fail(`line ${li}: unterminated quoted cell`));
    }
    return null;
  };

  const first = nextCells();
  if (first === null) throw fail('empty input: no rows');
  const firstLine = li;
  const isHeader = headerOpt === 'auto' ? first.some((c) => !isNumberCell(c)) : headerOpt;
  const header = isHeader ? first.map((c) => c.trim()) : null;
  const width = first.length;
  const firstData = isHeader ? nextCells() : first;
  if (firstData === null) throw fail(`line ${firstLine} is a header but no data rows follow`);

  const labelAt = resolveLabelColumn(fn, options.labelColumn, width, header);
  const features = labelAt === undefined ? width : width - 1;
  const columns: string[] = [];
  for (let c = 0; c < width; c++) if (c !== labelAt) columns.push(header ? header[c]! : `c${c}`);
  const colName = (c: number) => (header ? `column ${c + 1} ('${header[c]}')` : `column ${c + 1}`);

  let data: Float32Array = new Float32Array(Math.max(16, features * 256));
  let labels: Float32Array | undefined = labelAt === undefined ? undefined : new Float32Array(256);
  let rows = 0;
  for (let cells: string[] | null = firstData; cells !== null && rows < maxRows; cells = nextCells()) {
    if (cells.length !== width) {
      throw fail(`line ${li} (data row ${rows + 1}) has ${cells.length} cells, expected ${width} (as in line ${firstLine}${isHeader ? ', the header' : ''})`);
    }
    if ((rows + 1) * features > data.length) data = grow(data, (rows + 1) * features);
    if (labels && rows + 1 > labels.length) labels = grow(labels, rows + 1);
    let o = rows * features;
    for (let c = 0; c < width; c++) {
      const cell = cells[c]!;
      const v = +cell;
      if (!Number.isFinite(v) || (v === 0 && cell.trim() === '')) {
        const shown = cell.trim() === '' ? 'an empty cell' : `${JSON.stringify(cell.trim())}, not a finite number`;
        throw fail(`line ${li} (data row ${rows + 1}), ${colName(c)}: ${shown}`);
      }
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

function grow(a: Float32Array, need: number): Float32Array {
  const b = new Float32Array(Math.max(need, a.length * 2));
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
