/**
 * The perceptron and XOR. Rosenblatt's perceptron (a step unit trained with the perceptron rule)
 * learns OR and AND — they are linearly separable — but never XOR, whose classes no straight
 * line separates. A two-layer network trained with backpropagation solves XOR.
 *
 *   npx tsx examples/xor.ts [--epochs 2000] [--backend js|wasm] [--seed 3]
 */
import * as ax from '../src/index.js';
import { parseFlags, startBackend } from './_args.js';

const flags = parseFlags('The perceptron learns OR and AND but not XOR; an MLP learns XOR.', { epochs: 2000, seed: 3, backend: '' });
await startBackend(flags.backend);

const X = [[0, 0], [0, 1], [1, 0], [1, 1]];
const GATES = { OR: [0, 1, 1, 1], AND: [0, 0, 0, 1], XOR: [0, 1, 1, 0] };

console.log('\nPerceptron (step unit, perceptron rule, lr 0.1, at most 100 epochs):');
for (const [name, y] of Object.entries(GATES)) {
  const p = new ax.Perceptron(2, { lr: 0.1, seed: 1 });
  const h = p.fit(X, y, 100);
  const out = p.predict(X);
  const pred = Array.from(out.dataSync());
  out.dispose();
  const [w1, w2] = p.W.dataSync();
  const [b] = p.b.dataSync();
  const verdict = h.converged
    ? `learned in ${h.epochs} epochs: ${w1!.toFixed(2)}·x1 + ${w2!.toFixed(2)}·x2 ${b! < 0 ? '−' : '+'} ${Math.abs(b!).toFixed(2)} > 0`
    : `not learned in ${h.epochs} epochs (${Math.min(...h.errors)} to ${Math.max(...h.errors)} of 4 wrong in every epoch)`;
  console.log(`  ${name.padEnd(3)} targets [${y.join(', ')}] → predictions [${pred.join(', ')}]  ${verdict}`);
  console.log(`  perceptron ${name}: ${h.converged ? 'learned' : 'failed'}`);
  p.dispose();
}

// The multi-layer network: 2 → 4 (tanh) → 1 (sigmoid), full-batch gradient descent on the
// binary cross-entropy, through the ordinary compile/fit API.
console.log(`\nMLP 2-4-1 (tanh, sigmoid), binary cross-entropy, SGD lr 1 with momentum 0.9, up to ${flags.epochs} epochs:`);
const model = new ax.Sequential([
  new ax.Dense(2, 4, { activation: 'tanh', seed: flags.seed }),
  new ax.Dense(4, 1, { activation: 'sigmoid', seed: flags.seed + 1 }),
]);
model.compile({ optimizer: new ax.SGD({ lr: 1, momentum: 0.9 }), loss: 'binaryCrossEntropy', metrics: ['accuracy'] });
const y = GATES.XOR.map((v) => [v]);
const stopWhenSolved: ax.Callback = {
  onEpochEnd(epoch, logs, ctx) {
    if (epoch % 100 === 0 || logs.loss < 0.01) console.log(`  epoch ${String(epoch + 1).padStart(4)}  loss ${logs.loss.toFixed(4)}  accuracy ${(logs.accuracy! * 100).toFixed(0)}%`);
    if (logs.loss < 0.01) ctx.stopTraining = true;
  },
};
const history = await model.fit(X, y, { epochs: flags.epochs, batchSize: 4, shuffle: false, callbacks: [stopWhenSolved] });
const prob = model.predict(X);
const p = Array.from(prob.dataSync());
prob.dispose();
const pred = p.map((v) => (v > 0.5 ? 1 : 0));
const solved = pred.every((v, i) => v === GATES.XOR[i]);
console.log(`  outputs [${p.map((v) => v.toFixed(3)).join(', ')}] → predictions [${pred.join(', ')}] after ${history.epoch.length} epochs`);
console.log(`  MLP XOR: ${solved ? 'learned' : 'failed'}`);
model.dispose();
