/**
 * The packed package on every runtime it promises (issue 7). Once: build dist/, `npm pack`, and
 * `npm install ./axonjs-<v>.tgz` into a temporary app, offline (the tarball has no dependencies).
 * Then each runtime, as a subprocess with a time limit, trains XOR with the installed package
 * and prints one `AXON_RESULT {json}` line that the test asserts: Node ESM, Node CommonJS, the
 * inline entry, the CLI, Deno, Bun (`deno`/`bun` npm packages), workerd (a module binding, and a
 * wrangler-style esbuild bundle under the `workerd` condition) serving a prediction over HTTP on
 * 127.0.0.1, headless Chromium (import map, and a Vite build with asset URLs), esbuild's
 * sideEffects handling, and TypeScript consumers (ESM and CommonJS).
 *
 * A runtime whose npm binary does not support this platform is skipped with the reason; one
 * that should run here and does not fails. Chromium comes from the system (/usr/bin/chromium,
 * installed by .ci/run); without it the browser tests fail under CI and are skipped elsewhere.
 */
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { createServer as createNetServer } from 'node:net';
import { availableParallelism, tmpdir } from 'node:os';
import { extname, join, normalize, relative } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HERE, ROOT, ensureBuilt, importClosure, pack } from './runtimes/build.js';

const FIXTURES = join(HERE, 'fixtures');
const BIN = join(ROOT, 'node_modules', '.bin');
const XOR = [0, 1, 1, 0];
const CHROMIUM = process.env['AXON_CHROMIUM'] ?? '/usr/bin/chromium';
const platform = `${process.platform}-${process.arch}`;

/** Platforms each npm-distributed runtime publishes binaries for (their optionalDependencies). */
const SUPPORTED: Record<string, string[]> = {
  deno: ['linux-x64', 'linux-arm64', 'darwin-x64', 'darwin-arm64', 'win32-x64', 'win32-arm64'],
  bun: ['linux-x64', 'linux-arm64', 'darwin-x64', 'darwin-arm64', 'win32-x64', 'win32-arm64', 'freebsd-x64', 'freebsd-arm64'],
  workerd: ['linux-x64', 'linux-arm64', 'darwin-x64', 'darwin-arm64', 'win32-x64'],
};
const unsupported = (rt: string) => !SUPPORTED[rt]!.includes(platform);
const why = (rt: string) => (unsupported(rt) ? ` (skipped: the ${rt} npm package has no binary for ${platform})` : '');

interface Report {
  runtime: string;
  backend: string;
  build: string | null;
  threads: number;
  loss: number;
  accuracy: number;
  pred: number[];
  roundTrip: boolean;
  model: string;
  prediction?: number;
  input?: number[];
  [k: string]: unknown;
}

let app = '';
const reports: Report[] = [];

interface Ran {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Runs a command to completion (killed after `timeoutMs`). */
function runCmd(cmd: string, args: string[], timeoutMs: number, env: Record<string, string> = {}): Promise<Ran> {
  return new Promise((resolve) => {
    execFile(cmd, args, { cwd: app, timeout: timeoutMs, killSignal: 'SIGKILL', maxBuffer: 16 << 20, env: { ...process.env, ...env } }, (err, stdout, stderr) => {
      const code = err ? ((err as { code?: number }).code ?? null) : 0;
      resolve({ code: typeof code === 'number' ? code : null, stdout, stderr: err && (err as { killed?: boolean }).killed ? `${stderr}\n[killed after ${timeoutMs} ms]` : stderr });
    });
  });
}

/** The AXON_RESULT line of a run, or a failure that shows everything the run printed. */
function resultOf(what: string, out: { stdout: string; stderr?: string; code?: number | null }): Report {
  const line = out.stdout.split('\n').find((l) => l.startsWith('AXON_RESULT '));
  if (!line) throw new Error(`${what}: no AXON_RESULT line (exit ${out.code ?? '?'})\n--- stdout\n${out.stdout}\n--- stderr\n${out.stderr ?? ''}`);
  return JSON.parse(line.slice('AXON_RESULT '.length)) as Report;
}

/**
 * The assertions every runtime's XOR run must pass. `minified`: the app's own bundler minified
 * the library again, renaming classes, so `String(model)` shows a mangled name (Module.toString
 * reads constructor.name).
 */
function expectXor(r: Report, expected: { build?: RegExp; threads?: number; minified?: boolean } = {}): void {
  reports.push(r);
  console.log(`${r.runtime.padEnd(18)} backend ${r.backend} (${r.build}, ${r.threads} thread${r.threads === 1 ? '' : 's'})  loss ${r.loss.toExponential(3)}  pred [${r.pred.map((p) => p.toFixed(4)).join(', ')}]${r.prediction !== undefined ? `  HTTP prediction(${r.input}) = ${r.prediction.toFixed(4)}` : ''}`);
  expect(r.backend, `${r.runtime}: ${JSON.stringify(r['notes'])}`).toBe('wasm');
  expect(r.loss, r.runtime).toBeLessThan(0.01);
  expect(r.accuracy, r.runtime).toBe(1);
  expect(r.pred.map((p) => (p > 0.5 ? 1 : 0)), r.runtime).toEqual(XOR);
  expect(r.roundTrip, `${r.runtime}: save → load gives the same predictions`).toBe(true);
  if (expected.minified) expect(r.model, r.runtime).toMatch(/^[\w$]+\(\) \{$/);
  else expect(r.model, r.runtime).toBe('Sequential() {');
  if (expected.build) expect(r.build, r.runtime).toMatch(expected.build);
  if (expected.threads !== undefined) expect(r.threads, r.runtime).toBe(expected.threads);
  // where the script checked it: init()'s lazily loaded backend is axonjs/backends' WasmBackend
  if (r['backendClass'] !== undefined) expect(r['backendClass'], r.runtime).toBe('WasmBackend');
  // Every runtime runs the same kernels on the same seeds: the same loss up to FMA rounding.
  const ref = reports[0]!;
  expect(Math.abs(r.loss - ref.loss) / ref.loss, `${r.runtime} vs ${ref.runtime} loss`).toBeLessThan(1e-3);
}

/** A free TCP port on 127.0.0.1. */
function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createNetServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const port = (s.address() as { port: number }).port;
      s.close(() => resolve(port));
    });
  });
}

/** Starts `workerd serve` on `config`, asks for a prediction over HTTP, stops it. */
async function serveWorkerd(config: string, env: Record<string, string> = {}): Promise<{ status: number; body: string; log: string }> {
  const port = await freePort();
  const child: ChildProcess = spawn(join(BIN, 'workerd'), ['serve', config, '-s', `http=127.0.0.1:${port}`], { cwd: app, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  let log = '';
  child.stdout!.on('data', (d) => (log += d));
  child.stderr!.on('data', (d) => (log += d));
  let exited = false;
  child.on('exit', () => (exited = true));
  try {
    const deadline = Date.now() + 30_000;
    for (;;) {
      if (exited) throw new Error(`workerd exited before serving:\n${log}`);
      try {
        const res = await fetch(`http://127.0.0.1:${port}/?x=1,0`, { signal: AbortSignal.timeout(20_000) });
        return { status: res.status, body: await res.text(), log };
      } catch (e) {
        if (Date.now() > deadline) throw new Error(`workerd did not answer on 127.0.0.1:${port}: ${(e as Error).message}\n${log}`);
        await new Promise((r) => setTimeout(r, 200));
      }
    }
  } finally {
    child.kill('SIGKILL');
  }
}

/** A workerd config serving one worker made of `modules` (capnp module entries) on socket "http". */
function workerdConfig(modules: string[]): string {
  return [
    'using Workerd = import "/workerd/workerd.capnp";',
    'const config :Workerd.Config = (',
    '  services = [ (name = "main", worker = .worker) ],',
    '  sockets = [ (name = "http", address = "127.0.0.1:0", http = (), service = "main") ],',
    ');',
    'const worker :Workerd.Worker = (',
    `  modules = [\n    ${modules.join(',\n    ')}\n  ],`,
    '  compatibilityDate = "2025-09-01",',
    ');',
    '',
  ].join('\n');
}

function workerdReport(res: { status: number; body: string; log: string }, what: string): Report {
  if (res.status !== 200) throw new Error(`${what}: HTTP ${res.status}\n${res.body}\n${res.log}`);
  const r = JSON.parse(res.body) as Report;
  expect(r.input).toEqual([1, 0]);
  expect(r.prediction!).toBeGreaterThan(0.9);
  return r;
}

/** A static file server over `root` that records the paths asked for. */
function staticServer(root: string, requests: string[]): Promise<{ server: Server; url: string }> {
  const types: Record<string, string> = { '.html': 'text/html', '.js': 'text/javascript', '.mjs': 'text/javascript', '.wasm': 'application/wasm', '.map': 'application/json', '.json': 'application/json' };
  const server = createServer((req, res) => {
    const path = decodeURIComponent(new URL(req.url ?? '/', 'http://x').pathname);
    requests.push(path);
    const file = normalize(join(root, path.endsWith('/') ? `${path}index.html` : path));
    if (!file.startsWith(root) || !existsSync(file)) {
      res.writeHead(404).end('not found');
      return;
    }
    res.writeHead(200, { 'content-type': types[extname(file)] ?? 'application/octet-stream' }).end(readFileSync(file));
  });
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve({ server, url: `http://127.0.0.1:${(server.address() as { port: number }).port}` })));
}

describe('the packed package on every runtime', () => {
  beforeAll(async () => {
    await ensureBuilt();
    app = mkdtempSync(join(tmpdir(), 'axon-app-'));
    const tgz = pack(join(app, 'pack'));
    writeFileSync(join(app, 'package.json'), JSON.stringify({ name: 'axon-runtime-tests', private: true, type: 'module' }, null, 2));
    const install = await runCmd('npm', ['install', '--offline', '--no-audit', '--no-fund', '--ignore-scripts', tgz], 120_000);
    if (install.code !== 0) throw new Error(`npm install of the tarball failed:\n${install.stdout}\n${install.stderr}`);
    cpSync(FIXTURES, app, { recursive: true });
  }, 300_000);

  afterAll(() => {
    if (app && !process.env['AXON_KEEP_APP']) rmSync(app, { recursive: true, force: true });
  });

  it('the tarball holds dist/ and bin/ only, with no dependencies', () => {
    const pkg = JSON.parse(readFileSync(join(app, 'node_modules', 'axonjs', 'package.json'), 'utf8')) as Record<string, unknown>;
    expect(pkg['dependencies']).toBeUndefined();
    expect(existsSync(join(app, 'node_modules', 'axonjs', 'src'))).toBe(false);
    expect(existsSync(join(app, 'node_modules', 'axonjs', 'dist', 'axon-simd.wasm'))).toBe(true);
  });

  it('Node ESM: import * as ax from "axonjs"; await ax.init() (kernels read from dist/, worker threads)', async () => {
    const r = resultOf('node ESM', await runCmd(process.execPath, ['node-esm.mjs'], 60_000, { AXON_THREADS: '', AXON_WASM_BUILD: '' }));
    // Node ≥ 20 has SharedArrayBuffer and worker_threads: on a multi-core machine the threaded
    // build runs, its workers started from the package's dist/worker.js
    const hw = availableParallelism();
    expect(r['backendClass']).toBe('WasmBackend');
    if (hw > 1) expectXor(r, { build: /threads/, threads: Math.min(4, hw) });
    else expectXor(r, { threads: 1 });
  }, 60_000);

  it('Node CommonJS: require("axonjs") + require("axonjs/node").initFromFile(require.resolve("axonjs/wasm/axon-simd.wasm"))', async () => {
    const r = resultOf('node CJS', await runCmd(process.execPath, ['node-cjs.cjs'], 60_000));
    expect(r['backendClass']).toBe('WasmBackend');
    expectXor(r, { build: /custom/, threads: 1 });
  }, 60_000);

  it('Node, the inline entry: axonjs/inline (base64 kernels, no file access)', async () => {
    expectXor(resultOf('node inline', await runCmd(process.execPath, ['node-inline.mjs'], 60_000)), { build: /custom/, threads: 1 });
  }, 60_000);

  it('the axon CLI of the installed package runs dist/cli.js', async () => {
    const v = await runCmd(join(app, 'node_modules', '.bin', 'axon'), ['--version'], 30_000);
    expect(v.stderr).toBe('');
    expect(v.stdout.trim()).toBe(JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')).version);
    const help = await runCmd(join(app, 'node_modules', '.bin', 'axon'), ['--help'], 30_000);
    expect(help.code).toBe(0);
    expect(help.stdout).toMatch(/train/);
  }, 60_000);

  it.skipIf(unsupported('deno'))(`Deno (deno npm package): the same ESM script, with read permission only${why('deno')}`, async () => {
    // --allow-read is all the kernels need (the .wasm and worker.js next to the bundle); the
    // script must also end by itself (worker threads must not keep Deno alive).
    const env = { DENO_DIR: join(app, '.deno'), DENO_NO_UPDATE_CHECK: '1', NO_COLOR: '1' };
    const out = await runCmd(join(BIN, 'deno'), ['run', '--allow-read', 'node-esm.mjs'], 30_000, env);
    expectXor(resultOf('deno', out));
    expect(out.code, `deno did not exit cleanly:\n${out.stderr}`).toBe(0);
  }, 60_000);

  it.skipIf(unsupported('bun'))(`Bun (bun npm package): ESM and CommonJS${why('bun')}`, async () => {
    const esm = await runCmd(join(BIN, 'bun'), ['node-esm.mjs'], 60_000);
    expectXor(resultOf('bun', esm));
    expect(esm.code, `bun exited (${esm.stderr})`).toBe(0);
    const cjs = await runCmd(join(BIN, 'bun'), ['node-cjs.cjs'], 60_000);
    expectXor(resultOf('bun CJS', cjs), { build: /custom/ });
  }, 90_000);

  it.skipIf(unsupported('workerd'))(`workerd: kernels as a wasm module binding, XOR trained and served over HTTP on 127.0.0.1${why('workerd')}`, async () => {
    // Plain workerd config (no bundler): every module is listed by the name it is imported by.
    const dist = 'node_modules/axonjs/dist'; // embed paths are relative to the config file
    const chunks = importClosure('index.js', join(app, dist), true).filter((f) => f !== 'index.js');
    const modules = [
      '(name = "worker.mjs", esModule = embed "workerd-explicit.mjs")',
      '(name = "xor.mjs", esModule = embed "xor.mjs")',
      `(name = "axonjs", esModule = embed "${dist}/index.js")`,
      ...chunks.map((c) => `(name = "${c}", esModule = embed "${dist}/${c}")`),
      `(name = "axonjs/wasm/axon-simd.wasm", wasm = embed "${dist}/axon-simd.wasm")`,
    ];
    writeFileSync(join(app, 'workerd.capnp'), workerdConfig(modules));
    expectXor(workerdReport(await serveWorkerd('workerd.capnp'), 'workerd'), { build: /custom/, threads: 1 });
  }, 90_000);

  it.skipIf(unsupported('workerd'))(`workerd, wrangler-style: esbuild bundle under the "workerd" condition, init() with no options${why('workerd')}`, async () => {
    // What wrangler does: bundle with esbuild under the conditions workerd/worker/browser, keep
    // each .wasm import as an import, and upload the file as a wasm module of that name.
    const esbuild = await import('esbuild');
    const wasmFiles = new Map<string, string>();
    await esbuild.build({
      entryPoints: [join(app, 'workerd-wrangler.mjs')],
      outfile: join(app, 'wrangler-out', 'worker.mjs'),
      bundle: true,
      format: 'esm',
      platform: 'browser',
      conditions: ['workerd', 'worker', 'browser'],
      logLevel: 'error',
      plugins: [{
        name: 'wasm-modules',
        setup(b) {
          b.onResolve({ filter: /\.wasm$/ }, (a) => {
            const file = join(a.resolveDir, a.path);
            const name = file.slice(file.lastIndexOf('/') + 1);
            wasmFiles.set(name, file);
            return { path: `./${name}`, external: true };
          });
        },
      }],
    });
    expect([...wasmFiles.keys()]).toEqual(['axon-simd.wasm']); // from dist/workerd.js, not the app
    const modules = ['(name = "worker.mjs", esModule = embed "wrangler-out/worker.mjs")', ...[...wasmFiles].map(([n, f]) => `(name = "${n}", wasm = embed "${relative(app, f)}")`)];
    writeFileSync(join(app, 'wrangler.capnp'), workerdConfig(modules));
    expectXor(workerdReport(await serveWorkerd('wrangler.capnp'), 'workerd (wrangler-style bundle)'), { build: /custom/, threads: 1 });
  }, 90_000);

  it('bundlers keep the side-effect import axonjs/webgpu (package.json sideEffects)', async () => {
    const out = await runCmd(join(BIN, 'esbuild'), ['sideeffects.mjs', '--bundle', '--format=esm', '--platform=browser', '--outfile=sideeffects.bundle.mjs', '--log-level=error'], 60_000);
    expect(out.code, out.stderr).toBe(0);
    const r = resultOf('sideEffects bundle', await runCmd(process.execPath, ['sideeffects.bundle.mjs'], 30_000));
    expect(r['backends']).toContain('webgpu');
  }, 60_000);

  it('TypeScript consumers type-check against the shipped declarations (ESM and CommonJS, node16)', async () => {
    cpSync(join(app, 'types-esm.mts.txt'), join(app, 'types-esm.mts'));
    cpSync(join(app, 'types-cjs.cts.txt'), join(app, 'types-cjs.cts'));
    const args = ['--noEmit', '--strict', '--module', 'node16', '--moduleResolution', 'node16', '--target', 'es2022', '--lib', 'es2022,dom', '--types', 'node', '--typeRoots', join(ROOT, 'node_modules', '@types'), 'types-esm.mts', 'types-cjs.cts'];
    const out = await runCmd(process.execPath, [join(ROOT, 'node_modules', 'typescript', 'bin', 'tsc'), ...args], 90_000);
    expect(`${out.stdout}${out.stderr}`).toBe('');
    expect(out.code).toBe(0);
  }, 90_000);

  describe('headless Chromium', () => {
    const have = existsSync(CHROMIUM);
    const reason = have ? '' : ` (skipped: no ${CHROMIUM}; .ci/run installs Debian's chromium)`;
    let browser: import('playwright-core').Browser | undefined;

    beforeAll(async () => {
      if (!have) {
        if (process.env['CI']) throw new Error(`${CHROMIUM} is missing: .ci/run should have installed Debian's chromium package`);
        return;
      }
      const { chromium } = await import('playwright-core');
      browser = await chromium.launch({
        executablePath: CHROMIUM,
        headless: true,
        args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
      });
    }, 60_000);

    afterAll(async () => {
      await browser?.close();
    });

    /** Opens `url` and waits for the page's AXON_RESULT (or AXON_ERROR) console line. */
    async function runPage(url: string): Promise<Report> {
      const page = await browser!.newPage();
      const lines: string[] = [];
      page.on('console', (m) => lines.push(m.text()));
      page.on('pageerror', (e) => lines.push(`AXON_ERROR ${e.message}`));
      try {
        await page.goto(url);
        const deadline = Date.now() + 60_000;
        while (!lines.some((l) => /^AXON_(RESULT|ERROR) /.test(l))) {
          if (Date.now() > deadline) throw new Error(`no result from ${url}:\n${lines.join('\n')}`);
          await new Promise((r) => setTimeout(r, 100));
        }
        const err = lines.find((l) => l.startsWith('AXON_ERROR '));
        if (err) throw new Error(`${url}: ${err}\n${lines.join('\n')}`);
        return resultOf(url, { stdout: lines.join('\n') });
      } finally {
        await page.close();
      }
    }

    it.skipIf(!have)(`a page imports the ESM build (import map) and trains XOR; the kernels are fetched from next to the bundle${reason}`, async () => {
      const requests: string[] = [];
      const { server, url } = await staticServer(app, requests);
      try {
        const r = await runPage(`${url}/browser.html`);
        expectXor(r, { threads: 1 });
        // fetched by URL from the package's dist/, the build the engine supports best
        expect(requests).toContain(`/node_modules/axonjs/dist/${r.build}`);
        console.log(`chromium: streaming compilation used ${r['streamed']} time(s)`);
        // served as application/wasm, so compiled while downloading, and no fallback note
        expect(r['streamed'], 'WebAssembly.compileStreaming calls').toBe(1);
        expect(JSON.stringify(r['notes'])).not.toMatch(/served as/);
      } finally {
        server.close();
      }
    }, 90_000);

    it.skipIf(!have)(`a Vite build: the kernels become hashed assets, and the axonjs/wasm/*?url import works${reason}`, async () => {
      const vite = await import('vite');
      await vite.build({ root: join(app, 'vite'), configFile: false, logLevel: 'error', build: { outDir: join(app, 'vite-dist'), emptyOutDir: true } });
      const requests: string[] = [];
      const { server, url } = await staticServer(join(app, 'vite-dist'), requests);
      try {
        const auto = await runPage(`${url}/index.html`);
        expectXor(auto, { threads: 1, minified: true });
        const stem = auto.build!.replace(/\.wasm$/, '');
        expect(requests.some((p) => new RegExp(`^/assets/${stem}-[\\w-]+\\.wasm$`).test(p)), requests.join(' ')).toBe(true);
        const viaUrl = await runPage(`${url}/index.html?mode=url`);
        expectXor(viaUrl, { build: /custom/, threads: 1, minified: true });
        expect(requests.some((p) => /^\/assets\/axon-simd-[\w-]+\.wasm$/.test(p)), requests.join(' ')).toBe(true);
      } finally {
        server.close();
      }
    }, 120_000);

    it.skipIf(!have)(`the Vite dev server, with axonjs excluded from dependency pre-bundling (as the docs say)${reason}`, async () => {
      // Pre-bundling copies the library into node_modules/.vite/deps, away from its .wasm files;
      // `optimizeDeps.exclude` serves it from the package, where new URL(…) finds them.
      const vite = await import('vite');
      const port = await freePort();
      const server = await vite.createServer({
        root: join(app, 'vite'),
        configFile: false,
        logLevel: 'error',
        optimizeDeps: { exclude: ['axonjs'] },
        server: { host: '127.0.0.1', port, strictPort: true, fs: { allow: [app] } },
      });
      await server.listen();
      try {
        expectXor(await runPage(`http://127.0.0.1:${port}/index.html`), { threads: 1 });
      } finally {
        await server.close();
      }
    }, 90_000);
  });
});
