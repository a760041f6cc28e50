/**
 * What the core entry loads on demand (issue 7's size budget): the backends come with `init()`,
 * save/load, the fit/evaluate loops and the search loop with their first call. These tests pin
 * the behaviour users see: a clear error before `init()`, the same classes whichever way a
 * backend is made, and the lazily loaded functions checking their arguments like before.
 * (test/bundle.test.ts checks on the built files that these modules are outside the core.)
 */
import { describe, expect, it } from 'vitest';
import * as ax from '../src/index.js';
import { JsBackend, WasmBackend, WasmStorage } from '../src/backends/entry.js';

describe('before init()', () => {
  // This file's module graph is fresh (vitest isolates files), so nothing has called init() yet.
  it('getBackend() and every op throw NOT_INITIALIZED naming the fix; memory() still answers', () => {
    const expectNotInit = (f: () => unknown) => {
      try {
        f();
      } catch (e) {
        expect(e).toBeInstanceOf(ax.AxonError);
        expect((e as ax.AxonError).code).toBe('NOT_INITIALIZED');
        expect((e as Error).message).toMatch(/await init\(\)/);
        return;
      }
      throw new Error('expected NOT_INITIALIZED');
    };
    expectNotInit(() => ax.getBackend());
    expectNotInit(() => ax.tensor([1, 2, 3]));
    expectNotInit(() => ax.zeros([2]));
    expect(ax.memory()).toEqual({ numTensors: 0, numBytes: 0, backendBytes: 0, backend: 'none' });
    // layers with no weights yet need no backend
    expect(String(new ax.Dropout(0.5))).toBe('Dropout(p=0.5)');
  });

  it('after dispose() the state is the same as before init()', async () => {
    await ax.init({ backend: 'js' });
    expect(ax.tensor([1, 2]).dataSync()).toEqual(Float32Array.of(1, 2));
    ax.dispose();
    expect(() => ax.getBackend()).toThrow(/call `await init\(\)` first/);
    expect(ax.memory().backend).toBe('none');
  });
});

describe('backends made by init() are the classes of axonjs/backends', () => {
  it('js and wasm', async () => {
    const js = await ax.init({ backend: 'js' });
    expect(js).toBeInstanceOf(JsBackend);
    const wasm = await ax.init({ backend: 'wasm', threads: 1 });
    expect(wasm).toBeInstanceOf(WasmBackend);
    expect(ax.tensor([1]).storage).toBeInstanceOf(WasmStorage);
    const made = await ax.createBackend('wasm', { threads: 1 });
    expect(made).toBeInstanceOf(WasmBackend);
    made.dispose();
    expect(new JsBackend().name).toBe('js');
  });

  it('the default init() falls back to js with the reason when wasm cannot load', async () => {
    const k = await ax.init({ wasm: new Uint8Array([0, 97, 115, 109, 1, 0, 0, 0, 99]) });
    expect(k).toBeInstanceOf(JsBackend);
    expect(k.info.notes?.join(' ')).toMatch(/wasm unavailable, using js: compiling the wasm kernels failed/);
  });
});

describe('functions whose implementation loads on first call', () => {
  it('fit, evaluate, save, loadModel and randomSearch work and reject bad input with the same errors', async () => {
    await ax.init({ backend: 'js' });
    const model = new ax.Sequential([new ax.Dense(2, 4, { activation: 'tanh', seed: 1 }), new ax.Dense(4, 1, { seed: 2 })]);
    model.compile({ optimizer: new ax.Adam({ lr: 0.05 }), loss: 'mse' });
    const x = ax.tensor([[0, 0], [0, 1], [1, 0], [1, 1]]);
    const y = ax.tensor([[0], [1], [1], [0]]);
    await expect(model.fit(x, y, { epochs: 1, batchSize: 0 })).rejects.toThrow(/fit: option 'batchSize' expected a positive integer, given 0/);
    await expect(model.evaluate(x, y, { batchSiz: 2 } as never)).rejects.toMatchObject({ code: 'INVALID_ARGUMENT', message: expect.stringMatching(/unknown option 'batchSiz'.*batchSize/) });
    const h = await model.fit(x, y, { epochs: 3, batchSize: 4 });
    expect(h.history.loss).toHaveLength(3);
    expect(Object.keys(await model.evaluate(x, y))).toEqual(['loss']);
    await expect(model.save({ includeOptimiser: true } as never)).rejects.toMatchObject({ code: 'INVALID_ARGUMENT' });
    const saved = await model.save();
    const again = await ax.loadModel(saved);
    expect(again.predict(x).dataSync()).toEqual(model.predict(x).dataSync());
    await expect(ax.loadModel({ config: '{', weights: new Uint8Array(0) })).rejects.toMatchObject({ code: 'CORRUPT_DATA' });
    await expect(ax.randomSearch({} as never)).rejects.toMatchObject({ code: 'INVALID_ARGUMENT', message: expect.stringMatching(/^randomSearch:/) });
    for (const m of [model, again]) m.dispose();
  });

  it('earlyStopping with restoreBestWeights restores the best epoch (its weight copy loads on demand)', async () => {
    await ax.init({ backend: 'js' });
    const model = new ax.Sequential([new ax.Dense(1, 1, { seed: 3 })]);
    model.compile({ optimizer: new ax.SGD({ lr: 0.1 }), loss: 'mse' });
    const x = ax.tensor([[1], [2], [3]]);
    const y = ax.tensor([[2], [4], [6]]);
    // a validation target the model moves away from after the first epoch
    const stop = ax.earlyStopping({ monitor: 'valLoss', patience: 2, restoreBestWeights: true });
    const h = await model.fit(x, y, { epochs: 6, batchSize: 3, validationData: [ax.tensor([[1]]), ax.tensor([[0.5]])], callbacks: [stop] });
    const val = h.history.valLoss!;
    const best = val.indexOf(Math.min(...val));
    expect(best).toBeLessThan(val.length - 1);
    expect(stop.bestEpoch).toBe(best);
    expect((await model.evaluate(ax.tensor([[1]]), ax.tensor([[0.5]]))).loss).toBeCloseTo(val[best]!, 5);
    model.dispose();
  });
});
