/**
 * Fuzz targets of the CSV parser (src/data/csv.ts): text from a CSV-ish alphabet, row-shaped
 * text mixing numbers, quotes, blanks and junk, random options, and the round trip
 * float32 table → CSV text → parse.
 */
import fc from 'fast-check';
import { parseCsv, type CsvTable, type ParseCsvOptions } from '../../src/data/csv.js';
import { assert, check, sameValues, show, type FuzzTarget } from './common.js';

/** maxBytes of the properties (also applied as 64 to exercise the cap). */
const MAX = 1 << 16;
/** External memory one parse may add: the float32 table (≤ maxBytes, doubled while growing) and slack. */
const ALLOC_CAP = 4 * MAX + (1 << 20);

const CHARS = ['0', '1', '2', '5', '9', '.', '-', '+', 'e', 'E', ',', ';', '\t', '"', ' ', '\n', '\r', 'a', 'x', 'N', 'I', 'n', 'f', '\uFEFF', 'é', '\u0000', '0x1', 'Infinity', 'NaN', '1e999'];
const csvish = fc.string({ unit: fc.constantFrom(...CHARS), maxLength: 300 });

const cell = fc.oneof(
  { weight: 6, arbitrary: fc.double({ noNaN: true, noDefaultInfinity: true }).map(String) },
  { weight: 3, arbitrary: fc.integer({ min: -1000, max: 1000 }).map(String) },
  { weight: 1, arbitrary: fc.double().map((v) => `"${v}"`) },
  { weight: 1, arbitrary: fc.constantFrom('', ' ', '"', '""', '"1""2"', '"1', 'a', 'NaN', '-Infinity', '1e400', '0x10', ' 7 ', '"3"x') },
);
const rowsText = fc
  .array(fc.array(cell, { minLength: 1, maxLength: 6 }), { maxLength: 12 })
  .chain((rows) => fc.record({ rows: fc.constant(rows), sep: fc.constantFrom(',', ';', '\t'), nl: fc.constantFrom('\n', '\r\n'), head: fc.boolean(), bom: fc.boolean() }))
  .map(({ rows, sep, nl, head, bom }) => (bom ? '\uFEFF' : '') + (head ? `a${sep}b${sep}"c"${nl}` : '') + rows.map((r) => r.join(sep)).join(nl));

/** Mostly valid options (so the parser itself is exercised), sometimes junk ones. */
const junk = <T>(good: fc.Arbitrary<T>, bad: fc.Arbitrary<unknown>): fc.Arbitrary<T> => fc.oneof({ weight: 6, arbitrary: good }, { weight: 1, arbitrary: bad as fc.Arbitrary<T> });
const options: fc.Arbitrary<ParseCsvOptions> = fc.record(
  {
    header: junk(fc.constantFrom<ParseCsvOptions['header']>(true, false, 'auto'), fc.constantFrom('yes', 1, null)),
    labelColumn: junk<number | string>(fc.oneof(fc.integer({ min: -1, max: 1 }), fc.constantFrom('a', 'b', 'c')), fc.constantFrom('zz', 1.5, Number.NaN, 99, {})),
    delimiter: junk(fc.constantFrom(',', ';', '\t'), fc.constantFrom('"', '', 'ab', '\n', 3)),
    maxRows: junk(fc.integer({ min: 1, max: 5 }), fc.constantFrom(0, -1, 1.5, Infinity, '2')),
    maxBytes: junk(fc.constant(MAX), fc.constantFrom(64, 1, 0, -1, Infinity, 2 ** 60, 'x')),
  },
  { requiredKeys: [] },
);

/** Extreme shapes (built in the predicate so failures print the recipe, not megabytes). */
const extreme = fc.record({
  blank: fc.nat(100_000),
  width: fc.oneof(fc.integer({ min: 1, max: 4 }), fc.integer({ min: 60_000, max: 200_000 })),
  rows: fc.integer({ min: 0, max: 3 }),
  tail: fc.constantFrom('', '\n', ',', ',,,,', '"', '\r\n'),
  cell: fc.constantFrom('1', '', '-2.5', '"3"'),
});
const buildExtreme = (e: { blank: number; width: number; rows: number; tail: string; cell: string }) =>
  '\n'.repeat(e.blank) + Array.from({ length: e.rows }, () => Array(e.width).fill(e.cell).join(',')).join('\n') + e.tail;

/** A successful parse: sizes agree, every value finite, within the caps. */
function consistent(t: CsvTable, maxBytes: number, maxRows: number | undefined): boolean {
  const cols = t.columns.length;
  if (t.data.length !== t.rows * cols) return false;
  if (t.labels && t.labels.length !== t.rows) return false;
  if (maxRows !== undefined && Number.isInteger(maxRows) && t.rows > maxRows) return false;
  if (4 * (t.data.length + (t.labels?.length ?? 0)) > maxBytes) return false;
  for (const v of t.data) if (!Number.isFinite(v)) return false;
  return true;
}

function parseProperty(text: fc.Arbitrary<string>) {
  return fc.property(text, options, (s, opts) => {
    const r = check('parseCsv', () => `${show(s)} ${show(opts)}`, ['CORRUPT_DATA', 'INVALID_ARGUMENT'], ALLOC_CAP, () => parseCsv(s, { maxBytes: MAX, ...opts }));
    if (r.ok) assert(consistent(r.value, opts.maxBytes ?? MAX, opts.maxRows), () => `parseCsv returned an inconsistent table for ${show(s)} ${show(opts)}`);
  });
}

const table = fc
  .record({ cols: fc.integer({ min: 1, max: 5 }), rows: fc.integer({ min: 1, max: 8 }) })
  .chain(({ cols, rows }) =>
    fc.record({
      cols: fc.constant(cols),
      values: fc.array(fc.float({ noNaN: true, noDefaultInfinity: true }), { minLength: cols * rows, maxLength: cols * rows }),
      label: fc.option(fc.integer({ min: 0, max: cols - 1 }), { nil: undefined }),
      sep: fc.constantFrom(',', ';', '\t'),
      quote: fc.boolean(),
    }),
  );

/** The CSV fuzz targets. */
export const csvTargets: FuzzTarget[] = [
  { name: 'csv: CSV-ish text, random options', runs: 400, property: () => parseProperty(csvish) },
  {
    name: 'csv: rows of numbers, quotes and junk',
    runs: 400,
    property: () => parseProperty(rowsText),
    // Found by fuzzing: finite doubles beyond float32 were stored as Infinity.
    examples: [['0,3.4028235677973366e+38,0', {}]],
  },
  {
    name: 'csv: 10^5 blank lines, rows of 10^5 cells',
    runs: 15,
    property: () =>
      fc.property(extreme, (e) => {
        const text = buildExtreme(e);
        const r = check('parseCsv', () => show(e), ['CORRUPT_DATA'], 4 * (4 << 20) + (1 << 20), () => parseCsv(text, { maxBytes: 4 << 20 }));
        if (r.ok) assert(consistent(r.value, 4 << 20, undefined), () => `parseCsv returned an inconsistent table for ${show(e)}`);
      }),
  },
  {
    name: 'csv: table → text → parse round trip',
    runs: 150,
    property: () =>
      fc.property(table, ({ cols, values, label, sep, quote }) => {
        const names = Array.from({ length: cols }, (_, c) => `col ${c}`);
        const lines = [names.join(sep)];
        for (let i = 0; i < values.length; i += cols) lines.push(values.slice(i, i + cols).map((v) => (quote ? `"${v}"` : String(v))).join(sep));
        const text = lines.join('\n');
        const r = check('parseCsv', () => show(text), [], ALLOC_CAP, () => parseCsv(text, { delimiter: sep, labelColumn: label }));
        assert(r.ok, () => 'round trip failed');
        const feat = values.filter((_, i) => label === undefined || i % cols !== label);
        const lab = label === undefined ? undefined : values.filter((_, i) => i % cols === label);
        assert(sameValues(r.value.data, feat) && (lab === undefined || sameValues(r.value.labels!, lab)), () => `values changed in the round trip of ${show(text)}`);
        assert(show(r.value.columns) === show(names.filter((_, c) => c !== label)), () => `column names changed: ${show(r.value.columns)}`);
      }),
  },
];
