/**
 * Build-once helpers shared by test/bundle.test.ts and test/runtimes.test.ts: both need dist/,
 * vitest runs test files in parallel processes, and a build takes ~30 s, so the first caller
 * builds under a lock and records a stamp; later callers (and later runs with nothing changed)
 * reuse it.
 */
import { execFile, execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, posix } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import { parseAst } from 'rollup/parseAst';

/** The repository root. */
export const ROOT = fileURLToPath(new URL('../../', import.meta.url));
/** The build output. */
export const DIST = join(ROOT, 'dist');

// Outside the tree (one per checkout), so a copied or linked node_modules shares nothing.
const CACHE = join(tmpdir(), `axon-build-${createHash('sha256').update(ROOT).digest('hex').slice(0, 12)}`);
const STAMP = join(CACHE, 'stamp');
const LOCK = join(CACHE, 'lock');

/** Newest modification time (ms) of the files under `path` (a file or a folder). */
function newest(path: string): number {
  if (!existsSync(path)) return 0;
  const st = statSync(path);
  if (!st.isDirectory()) return st.mtimeMs;
  let t = 0;
  for (const e of readdirSync(path)) t = Math.max(t, newest(join(path, e)));
  return t;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * Runs a build step WITHOUT blocking this process: vitest's worker answers its RPC timers on the
 * event loop, and a synchronous build longer than 60 s (slow machine, load) makes vitest report
 * "Timeout calling onTaskUpdate" as an unhandled error even though every test passed.
 */
function run(cmd: string, args: string[]): Promise<void> {
  return new Promise((resolve, reject) => {
    execFile(cmd, args, { cwd: ROOT, encoding: 'utf8', maxBuffer: 64 << 20 }, (err, stdout, stderr) => {
      if (err) reject(new Error(`\`${cmd} ${args.join(' ')}\` failed:\n${stdout ?? ''}\n${stderr || err.message}`));
      else resolve();
    });
  });
}

/**
 * Makes dist/ current: `npm run build:wasm` when assembly/ is newer than build/, then
 * `rollup -c` when any input is newer than the last build. Safe to call from parallel processes.
 */
export async function ensureBuilt(): Promise<void> {
  mkdirSync(CACHE, { recursive: true });
  const fresh = () => {
    if (!existsSync(STAMP) || !existsSync(join(DIST, 'index.js'))) return false;
    const built = statSync(STAMP).mtimeMs;
    const inputs = ['src', 'bindings', 'build', 'assembly', 'rollup.config.js', 'tsconfig.build.json', 'tsconfig.json', 'package.json'];
    return inputs.every((p) => newest(join(ROOT, p)) <= built);
  };
  if (fresh()) return;
  const deadline = Date.now() + 300_000;
  for (;;) {
    try {
      mkdirSync(LOCK);
      break;
    } catch {
      // another process is building; a lock older than 5 minutes belongs to a dead one
      if (existsSync(LOCK) && Date.now() - statSync(LOCK).mtimeMs > 300_000) rmSync(LOCK, { recursive: true, force: true });
      if (Date.now() > deadline) throw new Error(`timed out waiting for the build lock ${LOCK}`);
      await sleep(500);
    }
  }
  try {
    if (fresh()) return;
    const started = Date.now();
    if (newest(join(ROOT, 'assembly')) > newest(join(ROOT, 'build')) || !existsSync(join(ROOT, 'build', 'axon-simd.wasm'))) await run('npm', ['run', '--silent', 'build:wasm']);
    await run(process.execPath, [join(ROOT, 'node_modules', 'rollup', 'dist', 'bin', 'rollup'), '-c', '--silent']);
    writeFileSync(STAMP, String(started));
    utimesSync(STAMP, started / 1000, started / 1000); // inputs edited during the build count as newer
  } finally {
    rmSync(LOCK, { recursive: true, force: true });
  }
}

/** Specifiers of an ES module's static imports and re-exports (`import … from`, `export … from`). */
export function staticImports(code: string): string[] {
  const out = new Set<string>();
  for (const n of parseAst(code).body as unknown as { type: string; source?: { value: string } | null }[]) {
    if (/^(Import|ExportNamed|ExportAll)Declaration$/.test(n.type) && n.source) out.add(n.source.value);
  }
  return [...out];
}

/** Specifiers of an ES module's `import('literal')` expressions (lazily loaded chunks). */
export function dynamicImports(code: string): string[] {
  const out = new Set<string>();
  const visit = (n: unknown): void => {
    if (Array.isArray(n)) return n.forEach(visit);
    if (n === null || typeof n !== 'object') return;
    const node = n as { type?: string; source?: { type: string; value: unknown } };
    if (node.type === 'ImportExpression' && node.source?.type === 'Literal' && typeof node.source.value === 'string') out.add(node.source.value);
    for (const v of Object.values(node)) if (v && typeof v === 'object') visit(v);
  };
  visit(parseAst(code));
  return [...out];
}

/**
 * An entry file of `dir` (default dist/) and every file it loads statically — with `lazy`, also
 * the chunks it may load later through `import('./…')` (paths relative to `dir`).
 */
export function importClosure(entry: string, dir = DIST, lazy = false): string[] {
  const seen = new Set<string>();
  const visit = (file: string) => {
    if (seen.has(file)) return;
    seen.add(file);
    if (!/\.[cm]?js$/.test(file)) return; // e.g. workerd.js's import of its .wasm module
    const code = readFileSync(join(dir, file), 'utf8');
    for (const spec of [...staticImports(code), ...(lazy ? dynamicImports(code) : [])]) {
      if (spec.startsWith('.')) visit(posix.normalize(posix.join(posix.dirname(file), spec)));
    }
  };
  visit(entry);
  return [...seen];
}

/** gzip -9 size of a file in bytes (what a server sends). */
export function gzipSize(path: string): number {
  return gzipSync(readFileSync(path), { level: 9 }).length;
}

/** The packed tarball's path, made once per process with `npm pack` (dist/ must be built). */
export function pack(into: string): string {
  mkdirSync(into, { recursive: true });
  const out = execFileSync('npm', ['pack', '--ignore-scripts', '--json', '--pack-destination', into], { cwd: ROOT, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
  const [info] = JSON.parse(out.slice(out.indexOf('['))) as { filename: string }[];
  return join(into, info!.filename);
}

/** Folder of this file (fixtures live beside it). */
export const HERE = dirname(fileURLToPath(import.meta.url));
