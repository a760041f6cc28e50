/**
 * `npm run fuzz`: the fuzz targets of test/fuzz/*.ts with many more runs than the unit suite.
 *
 *   npm run fuzz                              every target, 20× its unit-suite runs, random seed
 *   npm run fuzz -- --runs 5000               that many runs per target
 *   npm run fuzz -- --scale 100 --only csv    100× the unit runs, targets whose name contains 'csv'
 *   npm run fuzz -- --seed 42 --stats         fixed seed; print how the inputs ended (ok / error kinds)
 *
 * Environment: FUZZ_RUNS, FUZZ_SCALE, FUZZ_SEED, FUZZ_ONLY do the same as the flags;
 * FUZZ_TIME_BOUND_MS is the per-input time bound (default 2000). A watchdog thread kills the
 * process (SIGKILL, exit status 137) when one input runs longer than 10× the bound, printing the
 * target and the input: a synchronous hang cannot be interrupted from inside. Prints runs and time per
 * target; exits 1 when any property fails (with fast-check's seed and path to replay it).
 */
import { Worker } from 'node:worker_threads';
import fc from 'fast-check';
import { init } from '../../src/index.js';
import { collectOutcomes, onInput, TIME_BOUND_MS, type FuzzTarget } from './common.js';
import { csvTargets } from './csv.js';
import { gzipTargets } from './gzip.js';
import { idxTargets } from './idx.js';
import { modelTargets } from './model.js';
import { safetensorsTargets } from './safetensors.js';

const ALL: FuzzTarget[] = [...idxTargets, ...gzipTargets, ...csvTargets, ...safetensorsTargets, ...modelTargets];

function flag(name: string): string | undefined {
  const i = process.argv.indexOf(`--${name}`);
  if (i >= 0) return process.argv[i + 1];
  const eq = process.argv.find((a) => a.startsWith(`--${name}=`));
  return eq?.slice(name.length + 3);
}

const runsFlag = flag('runs') ?? process.env.FUZZ_RUNS;
const scale = Number(flag('scale') ?? process.env.FUZZ_SCALE ?? 20);
const seed = Number(flag('seed') ?? process.env.FUZZ_SEED ?? Math.floor(Math.random() * 2 ** 31));
const only = flag('only') ?? process.env.FUZZ_ONLY;
const stats = process.argv.includes('--stats');
if (runsFlag !== undefined && !(Number.isInteger(Number(runsFlag)) && Number(runsFlag) > 0)) throw new Error(`--runs expects a positive integer, given ${runsFlag}`);
if (!(scale > 0)) throw new Error(`--scale expects a positive number, given ${scale}`);

// ---- hang watchdog: the main thread stamps the time and the input before each call ----------
const HANG_MS = 10 * TIME_BOUND_MS;
const shared = new SharedArrayBuffer(8 + 4 + 4096);
const stamp = new Float64Array(shared, 0, 1);
const textLen = new Int32Array(shared, 8, 1);
const text = new Uint8Array(shared, 12);
const watchdog = new Worker(
  // fs.writeSync and SIGKILL: a worker's process.stderr is relayed by the (blocked) main thread,
  // and tsx installs a SIGTERM handler that the blocked main thread would never run.
  `const { workerData } = require('node:worker_threads');
   const { writeSync } = require('node:fs');
   const stamp = new Float64Array(workerData, 0, 1), len = new Int32Array(workerData, 8, 1), text = new Uint8Array(workerData, 12);
   setInterval(() => {
     const t = stamp[0];
     if (t > 0 && Date.now() - t > ${HANG_MS}) {
       const what = Buffer.from(text.slice(0, len[0])).toString('utf8');
       writeSync(2, '\\nfuzz: HANG — one input has run for ' + (Date.now() - t) + ' ms (> ${HANG_MS} ms): ' + what + '\\n');
       process.kill(process.pid, 'SIGKILL');
     }
   }, 250);`,
  { eval: true, workerData: shared },
);
watchdog.unref();
let currentTarget = '';
onInput((label, input) => {
  const bytes = new TextEncoder().encode(`${currentTarget} / ${label}: ${input()}`).subarray(0, text.length);
  text.set(bytes);
  textLen[0] = bytes.length;
  stamp[0] = Date.now();
});

// ---- run ----------------------------------------------------------------------------------
await init({ backend: 'js' }); // the model targets build layers (their weights need a backend)
const targets = ALL.filter((t) => !only || t.name.includes(only));
if (targets.length === 0) throw new Error(`no target matches '${only}'; targets: ${ALL.map((t) => t.name).join(' | ')}`);
console.log(`fuzz: ${targets.length} targets, seed ${seed}, ${runsFlag ? `${runsFlag} runs each` : `${scale}× the unit-suite runs`}, per-input bound ${TIME_BOUND_MS} ms`);
let failed = 0;
const t00 = performance.now();
for (const t of targets) {
  const runs = runsFlag ? Number(runsFlag) : Math.ceil(t.runs * scale);
  currentTarget = t.name;
  const tally = collectOutcomes(stats);
  const t0 = performance.now();
  const details = await fc.check(t.property(), { numRuns: runs, seed, examples: t.examples ?? [] });
  const s = (performance.now() - t0) / 1000;
  stamp[0] = 0;
  const line = `${t.name.padEnd(52)} ${String(details.numRuns).padStart(7)} runs  ${s.toFixed(1).padStart(6)} s  ${((s * 1e3) / Math.max(1, details.numRuns)).toFixed(2).padStart(7)} ms/run`;
  if (details.failed) {
    failed++;
    console.log(`${line}  FAILED`);
    console.log(fc.defaultReportMessage(details));
    const err = details.errorInstance as Error | undefined;
    if (err) console.log(`  error: ${err.message}`);
  } else console.log(`${line}  ok`);
  if (tally) for (const [k, n] of [...tally].sort((a, b) => b[1] - a[1]).slice(0, 12)) console.log(`      ${String(n).padStart(7)}  ${k}`);
}
console.log(`fuzz: ${failed === 0 ? 'all passed' : `${failed} target(s) failed`} in ${((performance.now() - t00) / 1000).toFixed(1)} s (seed ${seed})`);
process.exit(failed === 0 ? 0 : 1);
