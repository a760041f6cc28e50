/**
 * The seed's worked backpropagation example (Matt Mazur's 2-2-2 network): inputs
 * x = (0.05, 0.10), targets (0.01, 0.99), sigmoid hidden and output units, E = ½Σ(t − o)², one
 * gradient-descent step with learning rate 0.5.
 *
 * First by hand in float64, following the chain rule step by step (these are the notes'
 * numbers: E = 0.298371109, w5⁺ = 0.35891648, w1⁺ = 0.149780716), then with axon: a Sequential of
 * two Dense layers, `loss.backward()` and an SGD step — float32 autograd, which must agree with
 * the hand calculation to float32 precision.
 *
 * Weight names as in the notes: w1, w2 (i1, i2 → h1), w3, w4 (i1, i2 → h2), w5, w6 (h1, h2 → o1),
 * w7, w8 (h1, h2 → o2); biases b1 = 0.35 (hidden), b2 = 0.60 (output). A Dense kernel W is
 * [in, out], so column j holds the weights into unit j: W1 = [[w1, w3], [w2, w4]].
 *
 *   npx tsx examples/backprop-worked-example.ts [--backend js|wasm]
 */
import * as ax from '../src/index.js';
import { parseFlags, startBackend } from './_args.js';

const flags = parseFlags("The seed's worked backpropagation example, by hand and with axon's autograd.", { backend: '' });
await startBackend(flags.backend);

/** Up to 9 significant digits, trailing zeros dropped (the notes' style). */
const f = (v: number) => String(Number(v.toPrecision(9)));
const sigmoid = (z: number) => 1 / (1 + Math.exp(-z));

const [i1, i2] = [0.05, 0.1];
const [t1, t2] = [0.01, 0.99];
const w = { w1: 0.15, w2: 0.2, w3: 0.25, w4: 0.3, w5: 0.4, w6: 0.45, w7: 0.5, w8: 0.55 };
const [b1, b2, lr] = [0.35, 0.6, 0.5];

// ---- by hand (float64) ----------------------------------------------------------------------
const netH1 = w.w1 * i1 + w.w2 * i2 + b1;
const outH1 = sigmoid(netH1);
const outH2 = sigmoid(w.w3 * i1 + w.w4 * i2 + b1);
const netO1 = w.w5 * outH1 + w.w6 * outH2 + b2;
const outO1 = sigmoid(netO1);
const outO2 = sigmoid(w.w7 * outH1 + w.w8 * outH2 + b2);
const eO1 = 0.5 * (t1 - outO1) ** 2;
const eO2 = 0.5 * (t2 - outO2) ** 2;
const E = eO1 + eO2;

console.log('\nForward pass (by hand, float64):');
console.log(`  net_h1 = w1·i1 + w2·i2 + b1 = ${f(netH1)}   out_h1 = σ(net_h1) = ${f(outH1)}   out_h2 = ${f(outH2)}`);
console.log(`  net_o1 = w5·out_h1 + w6·out_h2 + b2 = ${f(netO1)}   out_o1 = ${f(outO1)}   out_o2 = ${f(outO2)}`);
console.log(`  E_o1 = ½(t1 − out_o1)² = ${f(eO1)}   E_o2 = ${f(eO2)}`);
console.log(`  E = ${f(E)}`);

// Output layer: δ_o = ∂E/∂net_o = −(t − out)·out·(1 − out); ∂E/∂w5 = δ_o1·out_h1.
const dEdOutO1 = -(t1 - outO1);
const dOutdNetO1 = outO1 * (1 - outO1);
const dO1 = dEdOutO1 * dOutdNetO1;
const dO2 = -(t2 - outO2) * outO2 * (1 - outO2);
const gW5 = dO1 * outH1;
// Hidden layer: ∂E/∂out_h1 = δ_o1·w5 + δ_o2·w7; ∂E/∂w1 = ∂E/∂out_h1 · out_h1(1 − out_h1) · i1.
const dEdOutH1 = dO1 * w.w5 + dO2 * w.w7;
const dEdOutH2 = dO1 * w.w6 + dO2 * w.w8;
const dH1 = dEdOutH1 * outH1 * (1 - outH1);
const dH2 = dEdOutH2 * outH2 * (1 - outH2);
const gW1 = dH1 * i1;
const grads = { w1: dH1 * i1, w2: dH1 * i2, w3: dH2 * i1, w4: dH2 * i2, w5: dO1 * outH1, w6: dO1 * outH2, w7: dO2 * outH1, w8: dO2 * outH2 };
const hand = Object.fromEntries(Object.entries(w).map(([k, v]) => [k, v - lr * grads[k as keyof typeof w]])) as typeof w;

console.log('\nBackward pass (chain rule), learning rate 0.5:');
console.log(`  ∂E/∂w5 = ∂E/∂out_o1 · ∂out_o1/∂net_o1 · ∂net_o1/∂w5 = ${f(dEdOutO1)} · ${f(dOutdNetO1)} · ${f(outH1)} = ${f(gW5)}`);
console.log(`  w5⁺ = w5 − η·∂E/∂w5 = 0.4 − 0.5 · ${f(gW5)} = ${f(hand.w5)}`);
console.log(`  ∂E/∂w1 = (δ_o1·w5 + δ_o2·w7) · out_h1(1 − out_h1) · i1 = ${f(dEdOutH1)} · ${f(outH1 * (1 - outH1))} · ${i1} = ${f(gW1)}`);
console.log(`  w1⁺ = w1 − η·∂E/∂w1 = 0.15 − 0.5 · ${f(gW1)} = ${f(hand.w1)}`);
console.log(`  all updated weights: ${Object.entries(hand).map(([k, v]) => `${k}⁺ = ${f(v)}`).join(', ')}`);

// ---- with axon's autograd (float32) ----------------------------------------------------------
const model = new ax.Sequential([new ax.Dense(2, 2, { activation: 'sigmoid' }), new ax.Dense(2, 2, { activation: 'sigmoid' })]);
const [l1, l2] = model.layers as [ax.Dense, ax.Dense];
l1.setWeights([[[w.w1, w.w3], [w.w2, w.w4]], [b1, b1]]);
l2.setWeights([[[w.w5, w.w7], [w.w6, w.w8]], [b2, b2]]);
// The notes update the weights only; so does this optimiser.
const opt = new ax.SGD([l1.W, l2.W], { lr });
const result = ax.tidy(() => {
  const x = ax.tensor([[i1, i2]]);
  const t = ax.tensor([[t1, t2]]);
  opt.zeroGrad();
  const out = model.forward(x);
  const loss = ax.mul(ax.sum(ax.square(ax.sub(t, out))), 0.5);
  loss.backward();
  opt.step();
  return { E: loss.item(), out: Array.from(out.dataSync()) };
});
const [W1, W2] = [l1.W.dataSync(), l2.W.dataSync()];
const lib = { w1: W1[0]!, w3: W1[1]!, w2: W1[2]!, w4: W1[3]!, w5: W2[0]!, w7: W2[1]!, w6: W2[2]!, w8: W2[3]! };
const g7 = (v: number) => v.toPrecision(7);
console.log(`\naxon autograd (float32, ${ax.getBackend().name} backend): loss.backward() and one SGD step:`);
console.log(`  outputs [${result.out.map(g7).join(', ')}]   E = ${g7(result.E)}`);
console.log(`  ${(['w1', 'w2', 'w3', 'w4', 'w5', 'w6', 'w7', 'w8'] as const).map((k) => `${k}⁺ = ${g7(lib[k])}`).join(', ')}`);
const diffs = [Math.abs(result.E - E), ...result.out.map((v, i) => Math.abs(v - [outO1, outO2][i]!)), ...Object.keys(w).map((k) => Math.abs(lib[k as keyof typeof w] - hand[k as keyof typeof w]))];
const worst = Math.max(...diffs);
const ok = worst < 2e-7;
console.log(`  largest difference from the hand calculation: ${worst.toExponential(1)} → ${ok ? 'matches' : 'DOES NOT match'} (float32 precision)`);
opt.dispose();
model.dispose();
if (!ok) process.exitCode = 1;
