/**
 * Markdown output of the comparison benchmark: a table is printed header first, then row by
 * row as measurements finish (so a long run shows progress), and kept for the summary.
 */
import { median } from './timer.js';

/** Repeated measurements of one cell (seconds per call), or why there are none. */
export interface Cell {
  secs: number[];
  /** Why the cell was not measured ('—' in the table). */
  skipped?: string;
  /** The result disagreed with the reference (marked ✗). */
  wrong?: boolean;
}

/** Median seconds of a cell (NaN when skipped or empty). */
export function cellSeconds(c: Cell | undefined): number {
  return c && !c.skipped && c.secs.length ? median(c.secs) : Number.NaN;
}

/** A markdown table that prints itself as it grows. */
export class Table {
  readonly lines: string[];
  constructor(title: string, header: readonly string[], alignRight: readonly boolean[]) {
    this.lines = [`### ${title}`, '', `| ${header.join(' | ')} |`, `|${alignRight.map((r) => (r ? '---:' : '---')).join('|')}|`];
    console.log(`\n${this.lines.join('\n')}`);
  }

  /** Appends and prints a row. */
  row(cells: readonly string[]): void {
    const line = `| ${cells.join(' | ')} |`;
    this.lines.push(line);
    console.log(line);
  }

  /** Appends and prints notes below the table. */
  note(text: string): void {
    this.lines.push(text);
    console.log(text);
  }
}

/**
 * The lowest–highest value of a cell over its rounds, each round's seconds mapped through
 * `value` (e.g. to GFLOP/s or µs) and formatted with `fmt`; '—' with fewer than two rounds.
 */
export function fmtRange(c: Cell | undefined, value: (seconds: number) => number, fmt: (v: number) => string): string {
  if (!c || c.skipped || c.secs.length < 2) return '—';
  const v = c.secs.map(value);
  return `${fmt(Math.min(...v))}–${fmt(Math.max(...v))}`;
}
