/**
 * Optimisers compared on the same model: plain SGD, SGD with momentum 0.9 and Adam train the same
 * MLP from the same initial weights on the same batches. Prints the loss per epoch and the
 * final validation accuracy of each, and writes an SVG of the training-loss and
 * validation-accuracy curves.
 *
 * Data: scikit-learn's 8×8 digits (default, 64-64-10 MLP) or MNIST (784-128-10 MLP, first
 * --limit training images), read from $AXON_DATA (e.g. AXON_DATA=../shared/data).
 *
 *   npx tsx examples/lr-comparison.ts [--epochs 30] [--dataset digits|mnist] [--limit 10000]
 *       [--lr-sgd 0.05] [--lr-adam 0.001] [--out lr-comparison.svg] [--seed 0] [--backend js|wasm]
 */
import { writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import * as ax from '../src/index.js';
import { loadDigits, loadMnist } from '../src/node.js';
import { renderPlot } from '../src/cli/plot.js';
import { parseFlags, startBackend } from './_args.js';

const flags = parseFlags('SGD vs SGD + momentum vs Adam on the same model, with an SVG of the curves.', {
  epochs: 30,
  dataset: 'digits',
  limit: 10000,
  'batch-size': 32,
  'lr-sgd': 0.05,
  'lr-adam': 1e-3,
  out: 'lr-comparison.svg',
  seed: 0,
  backend: '',
});
if (flags.dataset !== 'digits' && flags.dataset !== 'mnist') {
  console.error(`--dataset expected digits or mnist, given ${JSON.stringify(flags.dataset)}`);
  process.exit(2);
}
await startBackend(flags.backend);

let train: ax.Dataset;
let val: ax.Dataset;
if (flags.dataset === 'digits') {
  const d = await loadDigits();
  [train, val] = new ax.Dataset(d, d.labels).split(0.25, { seed: flags.seed });
} else {
  const m = await loadMnist();
  train = new ax.Dataset(m.train, m.train.labels).take(flags.limit);
  val = new ax.Dataset(m.test, m.test.labels).take(2000);
}
const inputs = train.sampleShape[0]!;
const hidden = flags.dataset === 'digits' ? 64 : 128;
console.log(`${flags.dataset}: ${train.size} training, ${val.size} validation samples; model ${inputs}-${hidden}-10 (relu), batch ${flags['batch-size']}, ${flags.epochs} epochs`);

const runs = [
  { label: 'SGD', desc: `SGD, lr ${flags['lr-sgd']}`, color: '#1f77b4', make: () => new ax.SGD({ lr: flags['lr-sgd'] }) },
  { label: 'momentum', desc: `SGD, lr ${flags['lr-sgd']}, momentum 0.9`, color: '#ff7f0e', make: () => new ax.SGD({ lr: flags['lr-sgd'], momentum: 0.9 }) },
  { label: 'Adam', desc: `Adam, lr ${flags['lr-adam']}, betas (0.9, 0.999)`, color: '#2ca02c', make: () => new ax.Adam({ lr: flags['lr-adam'] }) },
];
const tr = train.tensors();
const va = val.tensors();
const curves: Array<{ label: string; color: string; loss: number[]; valAccuracy: number[] }> = [];
for (const r of runs) {
  // The same seeds every time: identical initial weights and batch order for each optimiser.
  const model = new ax.Sequential([
    new ax.Dense(inputs, hidden, { activation: 'relu', init: 'heNormal', seed: flags.seed }),
    new ax.Dense(hidden, 10, { seed: flags.seed + 1 }),
  ]);
  const opt = r.make();
  model.compile({ optimizer: opt, loss: 'crossEntropy', metrics: ['accuracy'] });
  const t0 = performance.now();
  const h = await model.fit(tr.x, tr.y, { epochs: flags.epochs, batchSize: flags['batch-size'], seed: flags.seed, validationData: [va.x, va.y] });
  const loss = h.history.loss;
  const valAccuracy = h.history.valAccuracy!;
  const every = Math.max(1, Math.round(loss.length / 6));
  const shown = loss.map((v, i) => [i, v] as const).filter(([i]) => i % every === 0 || i === loss.length - 1);
  console.log(`\n${r.label} (${r.desc}):`);
  console.log(`  loss by epoch: ${shown.map(([i, v]) => `${i + 1}: ${v.toFixed(4)}`).join('  ')}`);
  console.log(`  final: loss ${loss[loss.length - 1]!.toFixed(4)}, validation accuracy ${(valAccuracy[valAccuracy.length - 1]! * 100).toFixed(2)}%  (${((performance.now() - t0) / 1000).toFixed(1)} s)`);
  curves.push({ label: r.label, color: r.color, loss, valAccuracy });
  model.dispose();
  opt.dispose();
}
for (const t of [tr.x, tr.y, va.x, va.y]) t.dispose();

console.log('\nsummary (final epoch):');
for (const c of curves) console.log(`  ${c.label.padEnd(9)} loss ${c.loss[c.loss.length - 1]!.toFixed(4)}  validation accuracy ${(c.valAccuracy[c.valAccuracy.length - 1]! * 100).toFixed(2)}%`);

const svg = renderPlot(`SGD vs momentum vs Adam — ${flags.dataset}, ${inputs}-${hidden}-10 MLP`, [
  { title: 'training loss', yLabel: 'cross-entropy loss', series: curves.map((c) => ({ label: c.label, values: c.loss, color: c.color })) },
  { title: 'validation accuracy', yLabel: 'accuracy (%)', series: curves.map((c) => ({ label: c.label, values: c.valAccuracy.map((a) => 100 * a), color: c.color })) },
]);
const out = resolve(flags.out);
writeFileSync(out, svg);
console.log(`wrote ${out}`);
