/**
 * Shared by the examples: command-line flags (`--epochs 1`, `--limit=2000`, `--backend js`) with
 * defaults, `--help`, and backend start-up. Not an example itself.
 */
import * as ax from '../src/index.js';

/** Flag values by name; the defaults fix each flag's type. */
export type Flags = Record<string, number | string | boolean>;

/**
 * Parses `process.argv` against `defaults` (flag names as written after `--`). Prints `usage`
 * and the flags for `--help`; an unknown flag or a bad number exits with code 2.
 */
export function parseFlags<T extends Flags>(usage: string, defaults: T, argv: readonly string[] = process.argv.slice(2)): T {
  const out: Flags = { ...defaults };
  const help = () => `${usage}\n\nflags (default):\n${Object.entries(defaults).map(([k, v]) => `  --${k} (${JSON.stringify(v)})`).join('\n')}`;
  const fail = (msg: string): never => {
    console.error(`${msg}\n\n${help()}`);
    process.exit(2);
  };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    if (a === '--help' || a === '-h') {
      console.log(help());
      process.exit(0);
    }
    if (!a.startsWith('--')) fail(`unexpected argument ${JSON.stringify(a)}`);
    const eq = a.indexOf('=');
    const name = a.slice(2, eq < 0 ? undefined : eq);
    if (!(name in defaults)) fail(`unknown flag --${name}`);
    const d = defaults[name];
    let raw: string | undefined = eq < 0 ? undefined : a.slice(eq + 1);
    if (typeof d === 'boolean') {
      out[name] = raw === undefined ? true : raw !== 'false' && raw !== '0';
      continue;
    }
    if (raw === undefined) raw = argv[++i] ?? fail(`flag --${name} needs a value`);
    if (typeof d === 'number') {
      const v = Number(raw);
      if (raw.trim() === '' || !Number.isFinite(v)) fail(`flag --${name} expected a number, given ${JSON.stringify(raw)}`);
      out[name] = v;
    } else out[name] = raw;
  }
  return out as T;
}

/** `ax.init` with the named backend ('' = the best available) and a one-line report. */
export async function startBackend(name: string): Promise<void> {
  if (name !== '' && name !== 'js' && name !== 'wasm' && name !== 'webgpu') {
    console.error(`unknown backend ${JSON.stringify(name)} (js, wasm or webgpu)`);
    process.exit(2);
  }
  await ax.init(name === '' ? {} : { backend: name });
  console.log(`backend: ${ax.getBackend().name}`);
}

/** Seconds since `t0` (a `performance.now()` value), as text. */
export function since(t0: number): string {
  return `${((performance.now() - t0) / 1000).toFixed(1)} s`;
}
