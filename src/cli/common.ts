/**
 * What the CLI commands share: the output streams, the flags every data command has
 * (dataset, files, backend, seed, subsets) and backend start-up.
 */
import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { init } from '../backend.js';
import { BackendUnavailableError, type BackendName } from '../backends/index.js';
import type { Kernels } from '../kernels/kernels.js';
import type { FlagSpec, FlagValues } from './args.js';
import { DATASET_NAMES } from './data.js';
import { UsageError } from './errors.js';
import type { ProgressSink } from './progress.js';

/** The streams a command writes to (process.stdout / process.stderr, or fakes in tests). */
export interface CliIo {
  stdout: ProgressSink;
  stderr: { write(s: string): unknown };
}

/** Writes one line to stdout. */
export function say(io: CliIo, line = ''): void {
  io.stdout.write(`${line}\n`);
}

/** Writes one line to stderr (notes that must not mix with machine-readable stdout). */
export function note(io: CliIo, line: string): void {
  io.stderr.write(`${line}\n`);
}

/** `--dataset` with the given default. */
export function datasetFlag(dflt?: string): FlagSpec {
  return { name: 'dataset', type: 'string', metavar: `${DATASET_NAMES.join('|')}|csv:PATH`, help: 'dataset to use; csv:PATH reads a numeric CSV whose last column is the class index', default: dflt };
}

/** Flags about where dataset files come from. */
export const DATA_FLAGS: readonly FlagSpec[] = [
  { name: 'data', type: 'string', metavar: 'DIR', help: 'directory searched first for the dataset files (then $AXON_DATA, then the download cache)' },
  { name: 'download', type: 'bool', default: true, help: 'download MNIST / Fashion-MNIST when the files are not found (--no-download to forbid)' },
  { name: 'test-fraction', type: 'number', min: 0, max: 1, minOpen: true, maxOpen: true, default: 0.2, help: 'share of the samples held out as the test set for datasets without a test file (digits, iris, csv), split with --seed' },
];

/** `--backend` and `--threads`. */
export const BACKEND_FLAGS: readonly FlagSpec[] = [
  { name: 'backend', type: 'string', choices: ['wasm', 'js', 'webgpu'], default: 'wasm', help: 'compute backend: wasm (SIMD kernels), js (plain loops, the reference) or webgpu' },
  { name: 'threads', type: 'int', min: 1, metavar: 'N', help: "threads for the wasm kernels, the main one included (default: the backend's choice — $AXON_THREADS, else up to 4 where threads can run; results are the same for every count)" },
];

/** `--seed`. */
export const SEED_FLAG: FlagSpec = { name: 'seed', type: 'int', min: 0, default: 0, help: 'seed of every random choice (weights, shuffling, dropout, splits, augmentation)' };

/** `--limit` / `--test-limit`. */
export const LIMIT_FLAGS: readonly FlagSpec[] = [
  { name: 'limit', type: 'int', min: 1, metavar: 'N', help: 'use only the first N training samples (quick runs)' },
  { name: 'test-limit', type: 'int', min: 1, metavar: 'N', help: 'use only the first N test samples' },
];

/** Starts the backend named by `--backend` with `--threads`; an unusable backend is a UsageError. */
export async function startBackend(cmd: string, f: FlagValues): Promise<Kernels> {
  const backend = f['backend'] as BackendName;
  const threads = f['threads'] as number | undefined;
  try {
    // The WebGPU backend registers itself from its own entry point.
    if (backend === 'webgpu') await import('../webgpu.js');
    return await init({ backend, ...(threads !== undefined ? { threads } : {}) });
  } catch (e) {
    if (!(e instanceof BackendUnavailableError)) throw e;
    const reason = e.reason.startsWith('not registered') ? 'this version of axon has no kernels for it yet' : e.reason;
    throw new UsageError(cmd, `--backend ${backend} is unavailable: ${reason}${backend === 'wasm' ? " (run 'npm run build:wasm' in a source checkout)" : ''}; --backend js always works`);
  }
}

/** `wasm (2 threads)` for headers: the backend's name and the threads it actually runs on. */
export function backendText(k: Kernels): string {
  const t = k.info.threads ?? 1;
  return `${k.name}${k.name === 'wasm' ? ` (${t} thread${t === 1 ? '' : 's'})` : ''}`;
}

/** The package root (holding package.json), from the source tree (src/cli) or the bundle (dist). */
export function packageRoot(): string | undefined {
  for (const up of ['../../', '../']) {
    const dir = fileURLToPath(new URL(up, import.meta.url));
    if (existsSync(`${dir}package.json`)) {
      try {
        const pkg = JSON.parse(readFileSync(`${dir}package.json`, 'utf8')) as { name?: string };
        if (pkg.name === 'axonjs') return dir;
      } catch {
        // not ours; keep looking
      }
    }
  }
  return undefined;
}

/** The package version, or '?' when package.json cannot be found. */
export function packageVersion(): string {
  const root = packageRoot();
  if (!root) return '?';
  return (JSON.parse(readFileSync(`${root}package.json`, 'utf8')) as { version?: string }).version ?? '?';
}
