/**
 * Kernel benchmark: plain JS loops (the reference backend) vs the wasm SIMD backend, and the
 * webgpu backend where one is available (see bench/webgpu.ts; on SwiftShader its column is a
 * smoke check of CPU emulation, labelled so), side by side in one process.
 * `npm run bench` (full), `npm run bench -- --quick`, `-- --no-webgpu` to leave webgpu out.
 *
 * GEMM shapes follow a Dense layer with batch B, `in` I and `out` O: forward is NN
 * (m=B, k=I, n=O), the weight gradient Xᵀ·dY is TN (m=I, k=B, n=O), the input gradient
 * dY·Wᵀ is NT (m=B, k=O, n=I).
 */
import { createBackend } from '../src/backends/index.js';
import type { Activation, Kernels } from '../src/kernels/kernels.js';
import { machineLine, randomArray, runTable, type Budget, type Case } from './harness.js';
import { backendLabel, benchWebGpu } from './webgpu.js';

const quick = process.argv.includes('--quick');
const budget: Budget = quick ? { timeMs: 150, minIterations: 2 } : { timeMs: 400, minIterations: 3 };

function gemmCase(form: 'NN' | 'TN' | 'NT', m: number, k: number, n: number, label: string, skip?: string[]): Case {
  const transA = form === 'TN';
  const transB = form === 'NT';
  return {
    group: `gemm ${form}`,
    label,
    work: 2 * m * n * k,
    skip,
    setup(be: Kernels) {
      const a = be.upload(randomArray(m * k, 1));
      const b = be.upload(randomArray(k * n, 2));
      const c = be.alloc(m * n);
      return {
        run: () => be.gemm({ a, b, c, m, n, k, transA, transB }),
        cleanup: () => [a, b, c].forEach((s) => s.dispose()),
      };
    },
  };
}

const gemmCases: Case[] = [];
for (const s of [64, 128, 256, 512, 1024]) {
  gemmCases.push(gemmCase('NN', s, s, s, `${s}³`, quick && s >= 1024 ? ['js'] : undefined));
}
for (const [B, I, O] of [
  [128, 784, 256],
  [128, 256, 128],
  [128, 128, 10],
] as const) {
  const tag = `${B}×${I}×${O}`;
  gemmCases.push(gemmCase('NN', B, I, O, `${tag} (m=${B},k=${I},n=${O})`));
  gemmCases.push(gemmCase('TN', I, B, O, `${tag} (m=${I},k=${B},n=${O})`));
  gemmCases.push(gemmCase('NT', B, O, I, `${tag} (m=${B},k=${O},n=${I})`));
}
for (const s of [256, 512]) {
  gemmCases.push(gemmCase('TN', s, s, s, `${s}³`));
  gemmCases.push(gemmCase('NT', s, s, s, `${s}³`));
}

const N = 1 << 20;
function elementCase(group: string, label: string, make: (be: Kernels, x: ReturnType<Kernels['upload']>, out: ReturnType<Kernels['alloc']>) => () => void): Case {
  return {
    group,
    label,
    work: N,
    setup(be) {
      const x = be.upload(randomArray(N, 3).map((v) => v * 6));
      const out = be.alloc(N);
      return { run: make(be, x, out), cleanup: () => [x, out].forEach((s) => s.dispose()) };
    },
  };
}

const elementCases: Case[] = [];
for (const act of ['relu', 'sigmoid', 'tanh', 'gelu', 'silu', 'elu'] as Activation[]) {
  elementCases.push(elementCase(act, '1M', (be, x, out) => () => be.activation(act, x, out, N)));
}
elementCases.push(elementCase('reluBackward', '1M', (be, x, out) => () => be.activationBackward('relu', x, x, x, out, N)));
elementCases.push(elementCase('sigmoidBackward', '1M', (be, x, out) => () => be.activationBackward('sigmoid', x, x, x, out, N)));
elementCases.push(elementCase('softmax', 'rows of 1000', (be, x, out) => () => be.softmax(x, out, 1000, 1000)));
elementCases.push(elementCase('logSoftmax', 'rows of 1000', (be, x, out) => () => be.logSoftmax(x, out, 1000, 1000)));
elementCases.push(elementCase('batchNormStats', '[1024, 1024]', (be, x) => {
  const mean = be.alloc(1024);
  const variance = be.alloc(1024);
  return () => be.batchNormStats(x, mean, variance, 1024, 1024, 1);
}));
elementCases.push(elementCase('sum (rows)', '[1024, 1024]', (be, x, out) => () => be.reduce('sum', x, out, 1024, 1024, 1)));
elementCases.push(elementCase('add', '1M', (be, x, out) => () => be.binary('add', x, 'full', x, 'full', out, 1, N)));

async function main(): Promise<void> {
  const js = await createBackend('js');
  const wasm = await createBackend('wasm');
  const backends = [js, wasm];
  const labels = ['js', 'wasm'];
  const g = await benchWebGpu();
  if (g.backend) {
    backends.push(g.backend);
    labels.push(backendLabel(g.backend, g.emulated));
  }
  console.log(`axon kernel benchmark — ${machineLine()}${quick ? ' — quick mode' : ''}`);
  console.log('single thread; rates are medians; ratios are over the plain-JS reference loops');
  if (g.backend) {
    console.log(`webgpu: ${g.backend.info.notes?.[0] ?? ''}; each call is timed up to an awaited flush (the kernels have run)${g.emulated ? '; SwiftShader is software Vulkan on the CPU: a smoke check, not GPU performance' : ''}`);
  } else console.log(`webgpu: not measured (${g.reason})`);
  try {
    await runTable('GEMM (GFLOP/s)', 'GFLOP/s', 1e9, gemmCases, backends, budget, labels);
    await runTable('Elementwise, softmax, batch-norm statistics (G elements/s)', 'Gelem/s', 1e9, elementCases, backends, budget, labels);
  } finally {
    g.backend?.dispose();
  }
}

await main();
