/**
 * A small command-line parser (no dependency): typed flags with defaults and checks, positional
 * arguments, `--flag value` and `--flag=value`, `--` to end flags, and `--help` text generated
 * from the same specification. Every mistake is a {@link UsageError} naming the flag, what was
 * expected and what was given — and, for an unknown flag or choice, the nearest valid one.
 */
import { nearest } from '../errors.js';
import { UsageError } from './errors.js';

/** Value kinds a flag can take. */
export type FlagType = 'string' | 'number' | 'int' | 'bool' | 'ints';

/** One `--flag`. */
export interface FlagSpec {
  /** Long name without dashes (`batch-size`). */
  name: string;
  type: FlagType;
  /** One line for `--help`. */
  help: string;
  /** Value when the flag is absent (undefined: absent stays undefined). */
  default?: string | number | boolean | number[];
  /** Placeholder in `--help` (`N`, `PATH`). */
  metavar?: string;
  /** Allowed values of a string flag (matched case-sensitively; unknown ones get a suggestion). */
  choices?: readonly string[];
  /** Smallest allowed number (for number/int/ints). */
  min?: number;
  /** Largest allowed number. */
  max?: number;
  /** The minimum itself is not allowed (`> min`). */
  minOpen?: boolean;
  /** The maximum itself is not allowed (`< max`). */
  maxOpen?: boolean;
}

/** One positional argument. */
export interface PositionalSpec {
  name: string;
  help: string;
}

/** A command: its flags, positionals and help text. */
export interface CommandSpec {
  name: string;
  /** One line for the command list. */
  summary: string;
  /** Paragraphs printed after the usage line in `--help`. */
  description?: string;
  positionals?: readonly PositionalSpec[];
  flags: readonly FlagSpec[];
  /** Example invocations for `--help`. */
  examples?: readonly string[];
}

/** Parsed flag values, keyed by flag name (`batch-size`). */
export type FlagValues = Record<string, string | number | boolean | number[] | undefined>;

/** Result of {@link parseArgs}. */
export interface ParsedArgs {
  flags: FlagValues;
  positionals: string[];
  /** Whether `--help` / `-h` was given (everything else is then not checked). */
  help: boolean;
  /** Flags the user gave explicitly (to tell them from defaults). */
  given: Set<string>;
}

function describe(v: string): string {
  return JSON.stringify(v);
}

function rangeText(f: FlagSpec): string {
  const lo = f.min === undefined ? '' : `${f.minOpen ? '>' : '≥'} ${f.min}`;
  const hi = f.max === undefined ? '' : `${f.maxOpen ? '<' : '≤'} ${f.max}`;
  return [lo, hi].filter(Boolean).join(' and ');
}

function checkRange(cmd: string, f: FlagSpec, v: number, raw: string): void {
  const low = f.min !== undefined && (f.minOpen ? !(v > f.min) : !(v >= f.min));
  const high = f.max !== undefined && (f.maxOpen ? !(v < f.max) : !(v <= f.max));
  if (low || high) throw new UsageError(cmd, `--${f.name} expected ${f.type === 'number' ? 'a number' : 'an integer'} ${rangeText(f)}, given ${describe(raw)}`);
}

const NUMBER = /^[+-]?(\d+\.?\d*|\.\d+)(e[+-]?\d+)?$/i;

/** Converts one raw value for flag `f`; throws a UsageError for a bad value. */
export function convertValue(cmd: string, f: FlagSpec, raw: string): string | number | number[] {
  switch (f.type) {
    case 'string': {
      if (f.choices && !f.choices.includes(raw)) {
        const near = nearest(raw, f.choices);
        throw new UsageError(cmd, `--${f.name} expected one of ${f.choices.join(', ')}, given ${describe(raw)}${near ? ` (did you mean '${near}'?)` : ''}`);
      }
      if (raw === '') throw new UsageError(cmd, `--${f.name} expected a non-empty value`);
      return raw;
    }
    case 'number':
    case 'int': {
      const v = NUMBER.test(raw.trim()) ? Number(raw) : NaN;
      if (!Number.isFinite(v) || (f.type === 'int' && !Number.isInteger(v))) {
        throw new UsageError(cmd, `--${f.name} expected ${f.type === 'int' ? 'an integer' : 'a number'}${rangeText(f) ? ` ${rangeText(f)}` : ''}, given ${describe(raw)}`);
      }
      checkRange(cmd, f, v, raw);
      return v;
    }
    case 'ints': {
      const parts = raw.split(',').map((s) => s.trim());
      const out: number[] = [];
      for (const p of parts) {
        const v = /^\d+$/.test(p) ? Number(p) : NaN;
        if (!Number.isSafeInteger(v)) throw new UsageError(cmd, `--${f.name} expected comma-separated integers such as 512,256,128, given ${describe(raw)}`);
        checkRange(cmd, f, v, raw);
        out.push(v);
      }
      return out;
    }
    default:
      throw new UsageError(cmd, `--${f.name} takes no value`);
  }
}

/**
 * Parses `argv` (without the command name) against `spec`. Returns defaults for absent flags.
 * With `--help`/`-h` anywhere (before `--`), parsing stops and `help` is true.
 */
export function parseArgs(spec: CommandSpec, argv: readonly string[]): ParsedArgs {
  const cmd = spec.name;
  const byName = new Map(spec.flags.map((f) => [f.name, f]));
  const flags: FlagValues = {};
  const given = new Set<string>();
  const positionals: string[] = [];
  const endAt = argv.indexOf('--');
  const flagPart = endAt < 0 ? argv : argv.slice(0, endAt);
  if (flagPart.includes('--help') || flagPart.includes('-h')) return { flags, positionals, help: true, given };

  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    if (a === '--') {
      positionals.push(...argv.slice(i + 1));
      break;
    }
    if (!a.startsWith('-') || a === '-' || NUMBER.test(a)) {
      positionals.push(a);
      continue;
    }
    if (!a.startsWith('--')) {
      throw new UsageError(cmd, `unknown option ${a}: options are long (--name); see 'axon ${cmd} --help'`);
    }
    const eq = a.indexOf('=');
    const name = a.slice(2, eq < 0 ? undefined : eq);
    let f = byName.get(name);
    let negated = false;
    if (!f && name.startsWith('no-')) {
      const base = byName.get(name.slice(3));
      if (base?.type === 'bool') {
        f = base;
        negated = true;
      }
    }
    if (!f) {
      const near = nearest(name, [...byName.keys()]);
      throw new UsageError(cmd, `unknown flag --${name}${near ? ` (did you mean --${near}?)` : ''}; see 'axon ${cmd} --help'`);
    }
    if (given.has(f.name)) throw new UsageError(cmd, `--${f.name} was given twice`);
    given.add(f.name);
    if (f.type === 'bool') {
      if (eq >= 0) {
        const raw = a.slice(eq + 1).toLowerCase();
        if (raw !== 'true' && raw !== 'false') throw new UsageError(cmd, `--${f.name} is a switch: give it alone, or as --${f.name}=true / =false, given ${describe(a.slice(eq + 1))}`);
        flags[f.name] = (raw === 'true') !== negated;
      } else flags[f.name] = !negated;
      continue;
    }
    let raw: string;
    if (eq >= 0) raw = a.slice(eq + 1);
    else {
      const next = argv[i + 1];
      if (next === undefined || next === '--' || (next.startsWith('--') && !NUMBER.test(next))) {
        throw new UsageError(cmd, `--${f.name} needs a value (${f.metavar ?? f.type}); see 'axon ${cmd} --help'`);
      }
      raw = next;
      i++;
    }
    flags[f.name] = convertValue(cmd, f, raw);
  }
  for (const f of spec.flags) if (!given.has(f.name) && f.default !== undefined) flags[f.name] = Array.isArray(f.default) ? [...f.default] : f.default;
  const maxPos = spec.positionals?.length ?? 0;
  if (positionals.length > maxPos) {
    const extra = positionals[maxPos]!;
    throw new UsageError(cmd, maxPos === 0 ? `unexpected argument ${describe(extra)} (this command takes only flags); see 'axon ${cmd} --help'` : `unexpected extra argument ${describe(extra)}; see 'axon ${cmd} --help'`);
  }
  return { flags, positionals, help: false, given };
}

function wrap(text: string, width: number, indent: number): string {
  const words = text.split(/\s+/).filter(Boolean);
  const lines: string[] = [];
  let line = '';
  for (const w of words) {
    if (line && line.length + 1 + w.length > width - indent) {
      lines.push(line);
      line = w;
    } else line = line ? `${line} ${w}` : w;
  }
  if (line) lines.push(line);
  return lines.join(`\n${' '.repeat(indent)}`);
}

function defaultText(f: FlagSpec): string {
  if (f.default === undefined || f.type === 'bool') return '';
  return ` (default ${Array.isArray(f.default) ? f.default.join(',') : String(f.default)})`;
}

/** The `--help` text of a command. */
export function helpText(spec: CommandSpec, width = 100): string {
  const pos = (spec.positionals ?? []).map((p) => ` ${p.name}`).join('');
  const out: string[] = [`Usage: axon ${spec.name}${pos} [options]`, '', wrap(spec.summary, width, 0)];
  if (spec.description) for (const para of spec.description.split('\n\n')) out.push('', wrap(para, width, 0));
  if (spec.positionals?.length) {
    out.push('', 'Arguments:');
    for (const p of spec.positionals) out.push(`  ${p.name.padEnd(24)}${wrap(p.help, width, 26)}`);
  }
  out.push('', 'Options:');
  const heads = spec.flags.map((f) => `--${f.name}${f.type === 'bool' ? '' : ` ${f.metavar ?? (f.choices ? f.choices.join('|') : f.type === 'ints' ? 'N,N,…' : f.type === 'int' ? 'N' : f.type === 'number' ? 'X' : 'VALUE')}`}`);
  const col = Math.min(34, Math.max(...heads.map((h) => h.length), 10) + 4);
  spec.flags.forEach((f, i) => {
    const head = `  ${heads[i]!}`;
    const body = wrap(`${f.help}${defaultText(f)}`, width, col);
    out.push(head.length + 1 >= col ? `${head}\n${' '.repeat(col)}${body}` : `${head.padEnd(col)}${body}`);
  });
  out.push(`  ${'--help, -h'.padEnd(col - 2)}show this help`);
  if (spec.examples?.length) {
    out.push('', 'Examples:');
    for (const e of spec.examples) out.push(`  ${e}`);
  }
  return out.join('\n');
}
