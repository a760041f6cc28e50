// Builds dist/: ESM + CommonJS for each entry, with the wasm kernels copied next to the JS.
// Types come from `tsc -p tsconfig.build.json` (declarations only).
import { copyFileSync, mkdirSync, readdirSync } from 'node:fs';
import typescript from '@rollup/plugin-typescript';

const entries = { index: 'src/index.ts', node: 'src/node.ts', webgpu: 'src/webgpu.ts', cli: 'src/cli/main.ts' };

/** In the source tree the kernels live in ../build/; in dist/ they sit next to the bundle. */
function wasmBesideBundle() {
  return {
    name: 'axon-wasm-beside-bundle',
    transform(code, id) {
      if (!id.endsWith('bindings/instantiate.ts')) return null;
      return { code: code.replace('`../build/${DEFAULT_WASM_FILE}`', '`./${DEFAULT_WASM_FILE}`'), map: null };
    },
    writeBundle() {
      mkdirSync('dist', { recursive: true });
      for (const f of readdirSync('build')) if (f.endsWith('.wasm') && !f.includes('debug')) copyFileSync(`build/${f}`, `dist/${f}`);
    },
  };
}

export default [
  {
    input: entries,
    external: [/^node:/],
    output: [
      { dir: 'dist', format: 'es', entryFileNames: '[name].js', chunkFileNames: 'chunks/[name]-[hash].js', sourcemap: true },
      { dir: 'dist', format: 'cjs', entryFileNames: '[name].cjs', chunkFileNames: 'chunks/[name]-[hash].cjs', sourcemap: true },
    ],
    plugins: [typescript({ tsconfig: './tsconfig.build.json', declaration: false, declarationMap: false, sourceMap: true, outDir: 'dist' }), wasmBesideBundle()],
  },
];
