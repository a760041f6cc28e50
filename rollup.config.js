// Builds dist/ (`npm run build` = `npm run build:wasm && rollup -c`):
//   ESM:       index, node, webgpu, backends, inline, workerd, cli  (+ shared chunks in dist/chunks/)
//   CommonJS:  index, node, webgpu, backends, inline               (.cjs)
//   assets:    every release build/*.wasm and bindings/worker.js, under their own names
//   types:     dist/types (ESM) and dist/types-cjs (the same .d.ts under a {"type":"commonjs"} scope)
// TypeScript is stripped by esbuild (isolatedModules; tsc does the type checking and the .d.ts),
// the output is minified by terser with class names kept (Module.toString and parameter names
// use them), and every file has a source map with the sources inlined.
import { execFileSync } from 'node:child_process';
import { cpSync, existsSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, resolve } from 'node:path';
import terser from '@rollup/plugin-terser';
import { transform } from 'esbuild';

const require = createRequire(import.meta.url);

/** Public entries: name → source. `cli` and `workerd` are ESM only. */
const ENTRIES = {
  index: 'src/index.ts',
  node: 'src/node.ts',
  webgpu: 'src/webgpu.ts',
  backends: 'src/backends/entry.ts',
  inline: 'src/inline.ts',
  workerd: 'src/workerd.ts',
  cli: 'src/cli/main.ts',
};
const CJS_ENTRIES = ['index', 'node', 'webgpu', 'backends', 'inline'];

/** The release kernels in build/ (the debug build stays out of the package). */
function wasmFiles() {
  if (!existsSync('build')) throw new Error('rollup: build/ is missing; run `npm run build:wasm` first');
  const files = readdirSync('build').filter((f) => f.endsWith('.wasm') && !f.includes('debug')).sort();
  if (!files.includes('axon-simd.wasm')) throw new Error('rollup: build/axon-simd.wasm is missing; run `npm run build:wasm` first');
  return files;
}

/** Replaces `pattern` in `code`, failing the build when the source no longer has it (so a renamed line is never silently missed). */
function mustReplace(code, pattern, replacement, what) {
  let hits = 0;
  const out = code.replace(pattern, (...m) => {
    hits++;
    return typeof replacement === 'function' ? replacement(...m) : replacement;
  });
  if (hits === 0) throw new Error(`rollup: ${what}: pattern ${pattern} not found; update rollup.config.js to match the source`);
  return out;
}

/** `.ts` → `.js` with esbuild; `./x.js` imports in the source tree resolve to `./x.ts`. */
function typescript() {
  return {
    name: 'axon-typescript',
    resolveId(source, importer) {
      if (!importer || !source.startsWith('.') || !source.endsWith('.js')) return null;
      const ts = resolve(dirname(importer), source.slice(0, -3) + '.ts');
      return existsSync(ts) ? ts : null;
    },
    async transform(code, id) {
      if (!id.endsWith('.ts')) return null;
      const out = await transform(code, {
        loader: 'ts',
        format: 'esm',
        target: 'es2022',
        sourcemap: true,
        sourcefile: id,
        tsconfigRaw: { compilerOptions: { useDefineForClassFields: true, verbatimModuleSyntax: false } },
      });
      return { code: out.code, map: out.map };
    },
  };
}

/**
 * Where the kernels and the worker script are found, and what bundlers and edge hosts see:
 * - the wasm builds and bindings/worker.js are emitted under their own names next to the JS;
 *   `new URL('../build/<file>', import.meta.url)` (source tree) becomes one static
 *   `new URL('<file>', import.meta.url)` per build, relative to whichever chunk holds the code
 *   (static literals are what Vite and webpack turn into asset URLs);
 * - Node-only dynamic imports (`import('node:fs/promises')`, only reached in Node) get an
 *   opaque specifier and webpack/Vite ignore comments, so bundlers targeting browsers or
 *   workers (esbuild, wrangler, webpack, Vite) do not try to resolve them;
 * - src/inline.ts gets the base64 of axon-simd.wasm; src/workerd.ts's `./axon-simd.wasm`
 *   import stays an import (workerd / wrangler turn it into a compiled WebAssembly.Module).
 */
function axonAssets() {
  const refs = new Map(); // file name → reference id (per build)
  return {
    name: 'axon-assets',
    buildStart() {
      refs.clear();
      for (const f of wasmFiles()) refs.set(f, this.emitFile({ type: 'asset', fileName: f, source: readFileSync(`build/${f}`) }));
      refs.set('worker.js', this.emitFile({ type: 'asset', fileName: 'worker.js', source: readFileSync('bindings/worker.js') }));
      this.addWatchFile('bindings/worker.js');
    },
    resolveId(source, importer) {
      if (source === './axon-simd.wasm' && importer?.endsWith('src/workerd.ts')) return { id: './axon-simd.wasm', external: true };
      return null;
    },
    transform(code, id) {
      let out = code.replace(
        /import\(\s*((?:\/\*[\s\S]*?\*\/\s*)*)(['"])node:([\w/]+)\2\s*\)/g,
        (_m, _comments, _q, name) => `import(/* webpackIgnore: true */ /* @vite-ignore */ ["node", ${JSON.stringify(name)}].join(":"))`,
      );
      if (id.endsWith('bindings/instantiate.ts')) {
        out = mustReplace(out, /`\.\.\/build\/\$\{([^}`]+)\}`/g, (_m, expr) => {
          const cases = [...refs].filter(([f]) => f.endsWith('.wasm')).map(([f, ref]) => `case ${JSON.stringify(f)}: return import.meta.ROLLUP_FILE_URL_${ref};`);
          return `((f) => { switch (f) { ${cases.join(' ')} default: return "./" + f; } })(${expr})`;
        }, 'wasm build URL in bindings/instantiate.ts');
      } else if (id.endsWith('bindings/pool.ts')) {
        out = mustReplace(out, /(['"])\.\/worker\.js\1/g, `import.meta.ROLLUP_FILE_URL_${refs.get('worker.js')}`, 'worker URL in bindings/pool.ts');
      } else if (id.endsWith('src/inline.ts')) {
        const b64 = readFileSync('build/axon-simd.wasm').toString('base64');
        out = mustReplace(out, /(['"])__AXON_INLINE_WASM_BASE64__\1/g, JSON.stringify(b64), 'base64 placeholder in src/inline.ts');
        this.addWatchFile('build/axon-simd.wasm');
      }
      return out === code ? null : { code: out, map: null };
    },
  };
}

/** Declarations: tsc (tsconfig.build.json) → dist/types, then a CommonJS-scoped copy for `require` users. */
function declarations() {
  return {
    name: 'axon-declarations',
    closeBundle() {
      rmSync('dist/types', { recursive: true, force: true });
      rmSync('dist/types-cjs', { recursive: true, force: true });
      execFileSync(process.execPath, [require.resolve('typescript/bin/tsc'), '-p', 'tsconfig.build.json'], { stdio: 'inherit' });
      // The package is "type": "module", so TypeScript reads dist/types/*.d.ts as ESM; a CommonJS
      // consumer (moduleResolution node16, `require`) needs declarations in a CommonJS scope.
      cpSync('dist/types', 'dist/types-cjs', { recursive: true });
      writeFileSync('dist/types-cjs/package.json', '{ "type": "commonjs" }\n');
    },
  };
}

/** Removes the previous build's files (chunk names carry content hashes). */
function cleanDist() {
  return {
    name: 'axon-clean',
    buildStart() {
      rmSync('dist', { recursive: true, force: true });
    },
  };
}

/**
 * One chunk for everything the core entry loads statically (instead of a chunk per combination
 * of entries that share modules): one request and one gzip window for the core, and every other
 * entry (node, webgpu, backends, inline, workerd, cli) imports the same core file. What the core
 * reaches only through `import()` — the backends (on `init()`), the fit/evaluate loops, save/load,
 * the search loop, the thread pool — stays in chunks of its own, loaded on first use.
 */
function coreChunk() {
  let core;
  return (id, { getModuleInfo }) => {
    if (!core) {
      core = new Set();
      const start = resolve(ENTRIES.index);
      const stack = [start];
      while (stack.length > 0) {
        const m = stack.pop();
        if (core.has(m)) continue;
        core.add(m);
        for (const dep of getModuleInfo(m)?.importedIds ?? []) stack.push(dep);
      }
    }
    return core.has(id) ? 'index' : undefined;
  };
}

/**
 * terser with safe options only (no unsafe_math / unsafe_comps: a numerics library must keep
 * float rounding and NaN comparisons as written). Measured on the core: passes 3 + ecma 2020 save
 * ~0.1 KB gzip; keep_classnames costs ~0.5 KB and stays (Module.toString, error messages).
 */
const minify = (module) =>
  terser({
    module,
    ecma: 2020,
    compress: { passes: 3 },
    mangle: true,
    keep_classnames: true,
    format: { comments: /webpackIgnore|@vite-ignore|@license/ },
  });

const onwarn = (warning, warn) => {
  // The op/autograd modules import each other by design (rules use ops, ops record rules).
  if (warning.code === 'CIRCULAR_DEPENDENCY') return;
  warn(warning);
};

export default [
  {
    input: ENTRIES,
    onwarn,
    external: [/^node:/],
    // dist/index.js stays a facade over the core chunk: making the chunk the entry itself
    // ('allow-extension') saves ~1.6 KB gzip but leaks short internal names (a, b, D, …) into
    // `import * as ax`, which users see; a clean namespace is worth more.
    plugins: [cleanDist(), typescript(), axonAssets()],
    output: {
      dir: 'dist',
      format: 'es',
      entryFileNames: '[name].js',
      chunkFileNames: 'chunks/[name]-[hash].js',
      manualChunks: coreChunk(),
      sourcemap: true,
      plugins: [minify(true)],
    },
  },
  {
    input: Object.fromEntries(CJS_ENTRIES.map((k) => [k, ENTRIES[k]])),
    onwarn,
    external: [/^node:/],
    plugins: [typescript(), axonAssets(), declarations()],
    output: {
      dir: 'dist',
      format: 'cjs',
      entryFileNames: '[name].cjs',
      chunkFileNames: 'chunks/[name]-[hash].cjs',
      manualChunks: coreChunk(),
      sourcemap: true,
      exports: 'named',
      plugins: [minify(false)],
    },
  },
];
