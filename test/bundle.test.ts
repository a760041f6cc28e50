/**
 * Hygiene and size of the built package (DESIGN §7, issue 7): the core ESM entry and every file
 * it loads statically have no `node:` import, no eval / new Function, no top-level await; every
 * file that package.json points at exists; the kernels are static asset URLs bundlers can see;
 * and the size budget holds (printed as a table).
 */
import { existsSync, readFileSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { parseAst } from 'rollup/parseAst';
import { beforeAll, describe, expect, it } from 'vitest';
import { DIST, ROOT, ensureBuilt, gzipSize, importClosure, staticImports } from './runtimes/build.js';

/** Budgets in bytes (issue 7): gzip for JavaScript, raw for .wasm. */
const BUDGET = { coreGzip: 60 * 1024, webgpuGzip: 40 * 1024, wasm: 100 * 1024 };

type Node = { type: string; [k: string]: unknown };

/** Calls `visit` on every AST node; `inFunction` is true inside any function body. */
function walk(node: unknown, visit: (n: Node, inFunction: boolean) => void, inFunction = false): void {
  if (Array.isArray(node)) {
    for (const n of node) walk(n, visit, inFunction);
    return;
  }
  if (node === null || typeof node !== 'object' || typeof (node as Node).type !== 'string') return;
  const n = node as Node;
  visit(n, inFunction);
  const fn = inFunction || /Function/.test(n.type);
  for (const [k, v] of Object.entries(n)) if (k !== 'type' && v && typeof v === 'object') walk(v, visit, fn);
}

/** Problems that must not appear in a file of the core entry. */
function hazards(file: string): string[] {
  const code = readFileSync(join(DIST, file), 'utf8');
  const found: string[] = [];
  for (const spec of staticImports(code)) if (spec.startsWith('node:') || !spec.startsWith('.')) found.push(`static import of '${spec}'`);
  if (/import\(\s*(?:\/\*.*?\*\/\s*)*["']node:/.test(code)) found.push("literal import('node:…') (bundlers for browsers and workers try to resolve it)");
  walk(parseAst(code), (n, inFunction) => {
    const callee = n['callee'] as Node | undefined;
    if (n.type === 'CallExpression' && callee?.type === 'Identifier' && (callee['name'] === 'eval' || callee['name'] === 'Function')) found.push(`${callee['name']}(…)`);
    if (n.type === 'NewExpression' && callee?.type === 'Identifier' && callee['name'] === 'Function') found.push('new Function(…)');
    if (!inFunction && (n.type === 'AwaitExpression' || (n.type === 'ForOfStatement' && n['await'] === true))) found.push('top-level await');
  });
  return found;
}

const kb = (n: number) => `${(n / 1024).toFixed(1)} KB`;

describe('the built package (dist/)', () => {
  beforeAll(async () => {
    await ensureBuilt();
  }, 300_000);

  it('has ESM + CommonJS + source maps for every entry, the CLI, the workerd entry and the types', () => {
    for (const e of ['index', 'node', 'webgpu', 'inline']) {
      for (const f of [`${e}.js`, `${e}.cjs`, `${e}.js.map`, `${e}.cjs.map`, `types/src/${e}.d.ts`, `types-cjs/src/${e}.d.ts`]) expect(existsSync(join(DIST, f)), f).toBe(true);
    }
    for (const f of ['backends.js', 'backends.cjs', 'types/src/backends/entry.d.ts', 'types-cjs/src/backends/entry.d.ts']) expect(existsSync(join(DIST, f)), f).toBe(true);
    for (const f of ['cli.js', 'workerd.js', 'worker.js', 'types/src/workerd.d.ts']) expect(existsSync(join(DIST, f)), f).toBe(true);
    expect(JSON.parse(readFileSync(join(DIST, 'types-cjs', 'package.json'), 'utf8'))).toEqual({ type: 'commonjs' });
    // every emitted script maps back to the TypeScript, sources inlined (the package ships no src/)
    for (const f of importClosure('index.js')) {
      expect(readFileSync(join(DIST, f), 'utf8'), f).toMatch(/\/\/# sourceMappingURL=[\w.-]+\.js\.map\s*$/);
    }
    const core = importClosure('index.js').find((f) => f.startsWith('chunks/')) ?? 'index.js';
    const map = JSON.parse(readFileSync(join(DIST, `${core}.map`), 'utf8')) as { sources: string[]; sourcesContent?: string[] };
    expect(map.sources.some((s) => /(^|\/)src\/tensor\.ts$/.test(s))).toBe(true);
    expect(map.sourcesContent?.length).toBe(map.sources.length);
  });

  it('ships every release .wasm build of build/ (and no debug build) next to the JS', () => {
    const built = readdirSync(join(ROOT, 'build')).filter((f) => f.endsWith('.wasm') && !f.includes('debug')).sort();
    const shipped = readdirSync(DIST).filter((f) => f.endsWith('.wasm')).sort();
    expect(shipped).toEqual(built);
    expect(shipped).toContain('axon-simd.wasm');
    for (const f of shipped) expect(readFileSync(join(DIST, f)).equals(readFileSync(join(ROOT, 'build', f))), f).toBe(true);
  });

  it('every path in package.json exists in the build', () => {
    const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as Record<string, unknown>;
    const paths: string[] = [pkg['main'], pkg['module'], pkg['types']] as string[];
    const collect = (v: unknown): void => {
      if (typeof v === 'string') paths.push(v);
      else if (v && typeof v === 'object') Object.values(v).forEach(collect);
    };
    collect(pkg['exports']);
    for (const p of paths) {
      if (p.includes('*')) {
        const [pre, post] = p.split('*') as [string, string];
        const dir = join(ROOT, pre.slice(0, pre.lastIndexOf('/')));
        expect(readdirSync(dir).some((f) => f.endsWith(post)), p).toBe(true);
      } else expect(existsSync(join(ROOT, p)), p).toBe(true);
    }
  });

  it('the core ESM entry has no node: import, no eval / new Function and no top-level await', () => {
    const files = importClosure('index.js', DIST, true); // with the chunks it loads lazily
    expect(files.length).toBeGreaterThan(1);
    const problems = files.flatMap((f) => hazards(f).map((h) => `${f}: ${h}`));
    expect(problems).toEqual([]);
    // the same holds for the other browser/edge entries
    for (const entry of ['webgpu.js', 'backends.js', 'inline.js']) expect(importClosure(entry, DIST, true).flatMap((f) => hazards(f).map((h) => `${f}: ${h}`))).toEqual([]);
    // workerd.js imports its kernels as a module; nothing else outside the package
    const wd = importClosure('workerd.js', DIST, true);
    expect(wd).toContain('axon-simd.wasm');
    expect(wd.filter((f) => f.endsWith('.js')).flatMap((f) => hazards(f).map((h) => `${f}: ${h}`))).toEqual([]);
  });

  it('locates every kernel build and the worker script with static new URL(…, import.meta.url) (what bundlers turn into assets)', () => {
    const code = importClosure('index.js', DIST, true).map((f) => readFileSync(join(DIST, f), 'utf8')).join('\n');
    const files = [...readdirSync(DIST).filter((f) => f.endsWith('.wasm')), 'worker.js'];
    const missing = files.filter((f) => !new RegExp(`new URL\\("(?:\\.\\./)?${f.replace(/[.]/g, '\\.')}",import\\.meta\\.url\\)`).test(code));
    expect(missing, 'files without a static new URL("<file>", import.meta.url) in the core').toEqual([]);
    expect(code.includes('../build/'), 'a source-tree path (../build/) left in the bundle').toBe(false);
  });

  it('keeps class names through minification (Module.toString, error names)', async () => {
    const ax = (await import(join(DIST, 'index.js'))) as typeof import('../src/index.js');
    await ax.init({ backend: 'js' });
    const model = new ax.Sequential([new ax.Dense(2, 3, { activation: 'relu' }), new ax.Dropout(0.5), new ax.Dense(3, 1)]);
    expect(String(model)).toBe('Sequential() {\n  Dense(2 → 3, relu)\n  Dropout(p=0.5)\n  Dense(3 → 1)\n}');
    expect(() => new ax.Dense(-1, 2)).toThrow(ax.ArgumentError);
    try {
      new ax.Dense(-1, 2);
    } catch (e) {
      expect([(e as Error).name, (e as Error).constructor.name]).toEqual(['ArgumentError', 'ArgumentError']);
    }
    model.dispose();
  });

  it('stays within the size budget (core ESM ≤ 60 KB gzip, webgpu entry ≤ 40 KB gzip, each .wasm ≤ 100 KB)', () => {
    const core = importClosure('index.js'); // what an importer loads up front
    const lazy = importClosure('index.js', DIST, true).filter((f) => !core.includes(f));
    const sum = (files: string[], size: (p: string) => number) => files.reduce((s, f) => s + size(join(DIST, f)), 0);
    const raw = (p: string) => statSync(p).size;
    const coreGzip = sum(core, gzipSize);
    const own = importClosure('webgpu.js').filter((f) => !core.includes(f));
    const webgpuGzip = sum(own, gzipSize);
    // A lazy chunk is named by the sources its source map lists (chunk file names repeat, e.g. index-*.js).
    const sources = (f: string) => (JSON.parse(readFileSync(join(DIST, `${f}.map`), 'utf8')) as { sources: string[] }).sources.map((p) => p.replace(/^(\.\.\/)+/, ''));
    const holding = (src: string) => {
      const f = lazy.find((c) => sources(c).includes(src));
      if (!f) throw new Error(`no lazily loaded chunk holds ${src}; lazy chunks: ${lazy.join(', ')}`);
      return f;
    };
    // What a typical training program loads: the core, the wasm backend on init(), fit and evaluate.
    const typical = [...new Set([...core, ...['src/backends/wasm/index.ts', 'src/train/fit.ts', 'src/train/evaluate.ts'].flatMap((s) => importClosure(holding(s))).filter((f) => f.endsWith('.js'))])];
    const rows: [string, string, string][] = [
      [`core ESM (${core.join(' + ')})`, kb(sum(core, raw)), kb(coreGzip)],
      ...lazy.map((f): [string, string, string] => {
        const src = sources(f).filter((p) => p.startsWith('src/') || p.startsWith('bindings/'));
        const label = src.length > 3 ? `${src.slice(0, 3).join(', ')} +${src.length - 3}` : src.join(', ');
        return [`  loaded on demand: ${f} (${label})`, kb(raw(join(DIST, f))), kb(gzipSize(join(DIST, f)))];
      }),
      [`typical training program (core + wasm backend + fit + evaluate)`, kb(sum(typical, raw)), kb(sum(typical, gzipSize))],
      [`webgpu entry beyond the core (${own.join(' + ')})`, kb(sum(own, raw)), kb(webgpuGzip)],
      ['inline entry (base64 kernels)', kb(raw(join(DIST, 'inline.js'))), kb(gzipSize(join(DIST, 'inline.js')))],
    ];
    const wasm = readdirSync(DIST).filter((f) => f.endsWith('.wasm'));
    for (const f of wasm) rows.push([f, kb(raw(join(DIST, f))), kb(gzipSize(join(DIST, f)))]);
    console.log(`bundle sizes (raw, gzip -9):\n${rows.map((r) => `  ${r[0].padEnd(100)} ${r[1].padStart(9)} ${r[2].padStart(9)}`).join('\n')}`);
    for (const f of wasm) expect(raw(join(DIST, f)), f).toBeLessThanOrEqual(BUDGET.wasm);
    expect(webgpuGzip, 'webgpu entry, gzip').toBeLessThanOrEqual(BUDGET.webgpuGzip);
    expect(coreGzip, 'core ESM, gzip').toBeLessThanOrEqual(BUDGET.coreGzip);
    // the backends, save/load, the fit and evaluate loops, the search loop and the linear classifiers' training are not in the core
    const coreSources = core.filter((f) => f.startsWith('chunks/')).flatMap(sources);
    for (const src of ['src/backends/js/index.ts', 'src/backends/wasm/index.ts', 'src/kernels/validate.ts', 'src/io/save.ts', 'src/io/load.ts', 'src/train/fit.ts', 'src/train/evaluate.ts', 'src/search/search.ts', 'src/classic/linear-train.ts']) {
      expect(coreSources, `${src} is loaded on demand, not with the core`).not.toContain(src);
      holding(src);
    }
  });
});
