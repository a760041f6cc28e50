/**
 * Every activation forward and backward (incl. special values and the alpha parameter of
 * leakyRelu / elu), out-of-place and in place (out === x, dx === dy), against the JS reference.
 */
import { it } from 'vitest';
import { ACTIVATIONS, type Activation } from '../../src/kernels/kernels.js';
import { describeEachBackend, expectNoDiffs } from '../helpers/backends.js';
import { Rng, SIZES, SPECIAL_VALUES } from '../helpers/random.js';

/** alpha values to try: the default (undefined) and, where the activation has one, a custom value. */
function alphas(act: Activation): (number | undefined)[] {
  if (act === 'leakyRelu') return [undefined, 0.2];
  if (act === 'elu') return [undefined, 0.5];
  return [undefined];
}

/** Inputs: the special values first (at varying lane offsets), then a wide and a narrow range. */
function inputs(rng: Rng, n: number): Float32Array {
  const x = rng.withSpecials(n, -8, 8);
  for (let i = SPECIAL_VALUES.length; i < n; i += 2) x[i] = rng.uniform(-30, 30);
  return x;
}

describeEachBackend('activations', (ctx) => {
  const T = ctx.tol.activation;

  it.each(ACTIVATIONS)('%s forward, every size, also in place', async (act) => {
    const rng = new Rng(100 + ACTIVATIONS.indexOf(act));
    const diffs: (string | null)[] = [];
    for (const alpha of alphas(act)) {
      for (const n of SIZES) {
        const data = inputs(rng, n);
        const where = (i: number) => `x = ${data[i]}`;
        const x = ctx.upload(data);
        const out = ctx.alloc(n);
        ctx.both((k, h) => k.activation(act, h(x), h(out), n, alpha));
        diffs.push(await ctx.diff(out, T, `${act}(alpha=${alpha}) n=${n}`, where));
        const inPlace = ctx.uploadOut(data);
        ctx.both((k, h) => k.activation(act, h(inPlace), h(inPlace), n, alpha));
        diffs.push(await ctx.diff(inPlace, T, `${act}(alpha=${alpha}) in place n=${n}`, where));
      }
    }
    expectNoDiffs(diffs);
  });

  it.each(ACTIVATIONS)('%s backward, every size, also dx === dy', async (act) => {
    const rng = new Rng(200 + ACTIVATIONS.indexOf(act));
    const diffs: (string | null)[] = [];
    for (const alpha of alphas(act)) {
      for (const n of SIZES) {
        const data = inputs(rng, n);
        const dyData = rng.uniformArray(n, -1, 1);
        const x = ctx.upload(data);
        // y = act(x) from the reference, so both backends see identical inputs
        const yRef = ctx.alloc(n);
        const yData = await ctx.refResult(yRef, (k, h) => k.activation(act, h(x), h(yRef), n, alpha));
        const y = ctx.upload(yData);
        const dy = ctx.upload(dyData);
        const dx = ctx.alloc(n);
        const where = (i: number) => `x = ${data[i]}, y = ${yData[i]}, dy = ${dyData[i]}`;
        ctx.both((k, h) => k.activationBackward(act, h(x), h(y), h(dy), h(dx), n, alpha));
        diffs.push(await ctx.diff(dx, T, `${act}Backward(alpha=${alpha}) n=${n}`, where));
        const dyIn = ctx.uploadOut(dyData);
        ctx.both((k, h) => k.activationBackward(act, h(x), h(y), h(dyIn), h(dyIn), n, alpha));
        diffs.push(await ctx.diff(dyIn, T, `${act}Backward(alpha=${alpha}) dx === dy n=${n}`, where));
      }
    }
    expectNoDiffs(diffs);
  });

  it('a medium buffer (65 537 elements) of every activation', async () => {
    const rng = new Rng(300);
    const n = 65537;
    const data = rng.uniformArray(n, -10, 10);
    const x = ctx.upload(data);
    const dyData = rng.uniformArray(n, -1, 1);
    const dy = ctx.upload(dyData);
    const diffs: (string | null)[] = [];
    for (const act of ACTIVATIONS) {
      const out = ctx.alloc(n);
      ctx.both((k, h) => k.activation(act, h(x), h(out), n));
      diffs.push(await ctx.diff(out, T, `${act} n=${n}`, (i) => `x = ${data[i]}`));
      const y = ctx.upload((await out.ref.read()).subarray(0, n)); // the reference's y on both sides
      const dx = ctx.alloc(n);
      ctx.both((k, h) => k.activationBackward(act, h(x), h(y), h(dy), h(dx), n));
      diffs.push(await ctx.diff(dx, T, `${act}Backward n=${n}`, (i) => `x = ${data[i]}, dy = ${dyData[i]}`));
    }
    expectNoDiffs(diffs);
  });
});
