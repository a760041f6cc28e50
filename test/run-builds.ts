/**
 * Runs the wasm test suites once per build the main `vitest run` does not already use (DESIGN §1:
 * one suite, every build): the plain SIMD build on one thread, the threaded build with every
 * kernel split across threads (AXON_SPLIT=always, so even the suites' small cases take the
 * threaded path), the relaxed-SIMD build, and relaxed-SIMD threaded. `npm test` calls this after
 * the main run (`npm run test:builds`; `-- --only relaxed` picks runs by name).
 *
 * A build the engine cannot run here is reported as skipped with the reason. Relaxed SIMD needs
 * `--experimental-wasm-relaxed-simd` on Node 20 (newer engines have it on): the flag is passed
 * to the test processes when this Node accepts it.
 */
import { spawnSync } from 'node:child_process';
import { startVitest } from 'vitest/node';
import { detectFeatures } from '../bindings/features.js';

const RELAXED_FLAG = '--experimental-wasm-relaxed-simd';

/**
 * Suites that exercise the kernels, the bindings and training on whatever build is selected.
 * (test/determinism.test.ts is not rerun here: it compares builds and processes itself — 1 vs N
 * threads, relaxed 1 vs 2 threads, a child process on the default build.)
 */
const FILES = [
  'test/kernels/',
  'test/threads.test.ts',
  'test/relaxed.test.ts',
  'test/wasm-math.test.ts',
  'test/wasm-random.test.ts',
  'test/bindings.test.ts',
  'test/arena.test.ts',
  'test/optim.test.ts',
  'test/train.test.ts',
  'test/cnn.test.ts',
];

interface Run {
  name: string;
  env: Record<string, string>;
  relaxed: boolean;
}

const RUNS: Run[] = [
  { name: 'simd', env: { AXON_WASM_BUILD: 'simd', AXON_THREADS: '1' }, relaxed: false },
  { name: 'threads-split', env: { AXON_WASM_BUILD: 'threads', AXON_THREADS: '2', AXON_SPLIT: 'always' }, relaxed: false },
  { name: 'relaxed', env: { AXON_WASM_BUILD: 'relaxed', AXON_THREADS: '1' }, relaxed: true },
  { name: 'relaxed-threads-split', env: { AXON_WASM_BUILD: 'relaxed-threads', AXON_THREADS: '2', AXON_SPLIT: 'always' }, relaxed: true },
];

/** Node flags that make relaxed SIMD available to a child, or null when it cannot be had. */
function relaxedArgs(): string[] | null {
  if (detectFeatures().relaxedSimd) return [];
  const probe = 'process.exit(WebAssembly.validate(new Uint8Array([0,97,115,109,1,0,0,0,1,5,1,96,0,1,123,3,2,1,0,10,43,1,41,0,253,12,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,253,12,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,253,128,2,11])) ? 0 : 1)';
  const r = spawnSync(process.execPath, [RELAXED_FLAG, '-e', probe], { stdio: 'ignore' });
  return r.status === 0 ? [RELAXED_FLAG] : null;
}

const only = process.argv.includes('--only') ? process.argv[process.argv.indexOf('--only') + 1]?.split(',') : undefined;
const relaxed = relaxedArgs();
let failed = 0;
const summary: string[] = [];
for (const run of RUNS) {
  if (only && !only.includes(run.name)) continue;
  if (run.relaxed && relaxed === null) {
    summary.push(`${run.name}: skipped (this engine has no relaxed SIMD, and ${RELAXED_FLAG} does not enable it)`);
    continue;
  }
  console.log(`\n=== wasm build run '${run.name}': ${Object.entries(run.env).map(([k, v]) => `${k}=${v}`).join(' ')}${run.relaxed && relaxed!.length ? ` ${relaxed!.join(' ')}` : ''}\n`);
  const vitest = await startVitest('test', FILES, {
    run: true,
    watch: false,
    env: { ...run.env, AXON_TEST_BACKENDS: 'js,wasm' },
    poolOptions: { forks: { execArgv: run.relaxed ? relaxed! : [] } },
  });
  const files = vitest.state.getFiles();
  const failedFiles = files.filter((f) => f.result?.state === 'fail').map((f) => f.name);
  const errors = vitest.state.getUnhandledErrors().length;
  await vitest.close();
  const ok = failedFiles.length === 0 && errors === 0 && files.length > 0;
  summary.push(`${run.name}: ${ok ? 'passed' : `FAILED (${failedFiles.join(', ') || 'no files ran'}${errors ? `, ${errors} unhandled errors` : ''})`} (${files.length} files)`);
  if (!ok) failed++;
}
console.log(`\nwasm builds:\n  ${summary.join('\n  ')}`);
process.exitCode = failed > 0 ? 1 : 0;
