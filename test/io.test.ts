/**
 * safetensors encoding/decoding (including hostile input) and model save/load round trips,
 * on the js reference backend and on wasm.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import * as ax from '../src/index.js';
import { decodeSafetensors, encodeSafetensors } from '../src/io/safetensors.js';

const enc = new TextEncoder();

/** A safetensors buffer from a header object (or raw header text) and data bytes. */
function build(header: unknown, data: Uint8Array = new Uint8Array(0), lengthOverride?: bigint): Uint8Array {
  const h = enc.encode(typeof header === 'string' ? header : JSON.stringify(header));
  const out = new Uint8Array(8 + h.length + data.length);
  new DataView(out.buffer).setBigUint64(0, lengthOverride ?? BigInt(h.length), true);
  out.set(h, 8);
  out.set(data, 8 + h.length);
  return out;
}

function f32bytes(values: number[]): Uint8Array {
  return new Uint8Array(Float32Array.from(values).buffer);
}

function expectCorrupt(bytes: Uint8Array, msg: RegExp): void {
  let err: unknown;
  try {
    decodeSafetensors(bytes);
  } catch (e) {
    err = e;
  }
  expect(err).toBeInstanceOf(ax.AxonError);
  expect((err as ax.AxonError).code).toBe('CORRUPT_DATA');
  expect((err as Error).message).toMatch(msg);
}

describe('safetensors', () => {
  it('round-trips tensors and metadata; header is 8-byte aligned JSON per the format', () => {
    const a = { shape: [2, 3], data: Float32Array.from([1, 2, 3, 4, 5, -6.5]) };
    const b = { shape: [], data: Float32Array.from([Math.PI]) };
    const z = { shape: [0, 4], data: new Float32Array(0) };
    const bytes = encodeSafetensors([['a', a], ['b', b], ['z', z]], { note: 'hi' });
    const n = Number(new DataView(bytes.buffer).getBigUint64(0, true));
    expect((8 + n) % 8).toBe(0);
    const header = JSON.parse(new TextDecoder().decode(bytes.subarray(8, 8 + n)));
    expect(header).toEqual({
      __metadata__: { note: 'hi' },
      a: { dtype: 'F32', shape: [2, 3], data_offsets: [0, 24] },
      b: { dtype: 'F32', shape: [], data_offsets: [24, 28] },
      z: { dtype: 'F32', shape: [0, 4], data_offsets: [28, 28] },
    });
    expect(bytes.length).toBe(8 + n + 28);
    const back = decodeSafetensors(bytes);
    expect([...back.tensors.keys()]).toEqual(['a', 'b', 'z']);
    expect(back.tensors.get('a')).toMatchObject({ shape: [2, 3], data: a.data });
    expect(back.tensors.get('b')!.data[0]).toBe(Math.fround(Math.PI));
    expect(back.tensors.get('z')!.data.length).toBe(0);
    expect(back.metadata).toEqual({ note: 'hi' });
    expect(() => encodeSafetensors({ x: { shape: [3], data: new Float32Array(2) } })).toThrow(/shape \[3\] \(3 elements\) but 2 values/);
    expect(() => encodeSafetensors([['x', a], ['x', a]])).toThrow(/duplicate tensor name 'x'/);
  });

  it('reads a hand-built file, unaligned data, and F64 / F16 / BF16 converted to float32', () => {
    // Header length 61 is odd, so the F32 data starts at a byte offset that is not a multiple of 4.
    const f64 = new Uint8Array(Float64Array.from([0.1, -2]).buffer);
    const f16 = new Uint8Array(new Uint16Array([0x3c00, 0xc000, 0x3555, 0x7c00, 0x0001]).buffer); // 1, -2, ~0.333, Inf, 2^-24
    const bf16 = new Uint8Array(new Uint16Array([0x3f80, 0x4049]).buffer); // 1, 3.140625
    const f32 = f32bytes([7.25]);
    const data = new Uint8Array([...f32, ...f64, ...f16, ...bf16]);
    const header = {
      w: { dtype: 'F32', shape: [1], data_offsets: [0, 4] },
      d: { dtype: 'F64', shape: [2], data_offsets: [4, 20] },
      h: { dtype: 'F16', shape: [5], data_offsets: [20, 30] },
      g: { dtype: 'BF16', shape: [1, 2], data_offsets: [30, 34] },
    };
    const bytes = build(header, data);
    const t = decodeSafetensors(bytes).tensors;
    expect(t.get('w')!.data[0]).toBe(7.25);
    expect(Array.from(t.get('d')!.data)).toEqual([Math.fround(0.1), -2]);
    const h = Array.from(t.get('h')!.data);
    expect(h.slice(0, 2)).toEqual([1, -2]);
    expect(h[2]).toBeCloseTo(1 / 3, 3);
    expect(h[3]).toBe(Infinity);
    expect(h[4]).toBe(Math.fround(2 ** -24));
    expect(Array.from(t.get('g')!.data)).toEqual([1, 3.140625]);
    expect(t.get('d')!.dtype).toBe('F64');
  });

  it('rejects hostile or malformed input with CORRUPT_DATA and a clear message', () => {
    const ok = { w: { dtype: 'F32', shape: [2], data_offsets: [0, 8] } };
    const d8 = f32bytes([1, 2]);
    expectCorrupt(new Uint8Array(5), /too short for the 8-byte header length/);
    expectCorrupt(build(ok, d8, 10_000n), /header length 10000 runs past the end/);
    expectCorrupt(build(ok, d8, 1n << 40n), /exceeds the limit/);
    expectCorrupt(build(ok, d8, 0xffffffffffffffffn), /exceeds the limit/);
    expectCorrupt(build('{"w": oops}', d8), /not valid JSON/);
    expectCorrupt(build([1, 2, 3], d8), /expected a JSON object/);
    expectCorrupt(build('null', d8), /expected a JSON object/);
    const badUtf8 = build('{"w":1}', d8);
    badUtf8[10] = 0xff;
    expectCorrupt(badUtf8, /not valid UTF-8/);
    expectCorrupt(build({ w: 5 }, d8), /tensor 'w' expected an object/);
    expectCorrupt(build({ w: { dtype: 'F33', shape: [2], data_offsets: [0, 8] } }, d8), /unknown dtype "F33"; valid: F32, F64, F16, BF16/);
    expectCorrupt(build({ w: { dtype: 'F32', shape: [2], data_offsets: [0, 8], extra: 1 } }, d8), /unknown field 'extra'/);
    expectCorrupt(build({ w: { dtype: 'F32', shape: [-2], data_offsets: [0, 8] } }, d8), /invalid dimension -2/);
    expectCorrupt(build({ w: { dtype: 'F32', shape: [1.5], data_offsets: [0, 8] } }, d8), /invalid dimension 1.5/);
    expectCorrupt(build({ w: { dtype: 'F32', shape: '2', data_offsets: [0, 8] } }, d8), /shape expected an array/);
    expectCorrupt(build({ w: { dtype: 'F32', shape: [1 << 20, 1 << 20, 1 << 20], data_offsets: [0, 8] } }, d8), /more than 2147483648 elements/);
    expectCorrupt(build({ w: { dtype: 'F32', shape: [2 ** 60], data_offsets: [0, 8] } }, d8), /invalid dimension|more than/);
    expectCorrupt(build({ w: { dtype: 'F32', shape: Array(40).fill(1), data_offsets: [0, 4] } }, f32bytes([1])), /rank 40/);
    expectCorrupt(build({ w: { dtype: 'F32', shape: [2], data_offsets: [0, 800] } }, d8), /run past the 8-byte data section/);
    expectCorrupt(build({ w: { dtype: 'F32', shape: [2], data_offsets: [8, 0] } }, d8), /end before begin/);
    expectCorrupt(build({ w: { dtype: 'F32', shape: [2], data_offsets: [0, -8] } }, d8), /non-negative integers/);
    expectCorrupt(build({ w: { dtype: 'F32', shape: [2], data_offsets: [0] } }, d8), /data_offsets expected \[begin, end\]/);
    expectCorrupt(build({ w: { dtype: 'F32', shape: [3], data_offsets: [0, 8] } }, d8), /needs 12 bytes but data_offsets \[0, 8\] hold 8/);
    expectCorrupt(
      build({ a: { dtype: 'F32', shape: [2], data_offsets: [0, 8] }, b: { dtype: 'F32', shape: [1], data_offsets: [4, 8] } }, d8),
      /overlap/,
    );
    expectCorrupt(build({ a: { dtype: 'F32', shape: [1], data_offsets: [4, 8] } }, d8), /gap in the data section: bytes \[0, 4\)/);
    expectCorrupt(build(ok, new Uint8Array([...d8, 0, 0, 0, 0])), /data section has 12 bytes but the tensors cover 8/);
    expectCorrupt(build('{"w": {"dtype":"F32","shape":[1],"data_offsets":[0,4]}, "w": {"dtype":"F32","shape":[1],"data_offsets":[4,8]}}', d8), /duplicate tensor name 'w'/);
    expectCorrupt(build({ __metadata__: { a: 1 }, ...ok }, d8), /metadata 'a' expected a string/);
    expectCorrupt(build({ __metadata__: [1] }, new Uint8Array(0)), /'__metadata__' expected an object/);
    // A known dtype axon cannot hold as float32 is UNSUPPORTED rather than corrupt.
    expect(() => decodeSafetensors(build({ i: { dtype: 'I64', shape: [1], data_offsets: [0, 8] } }, d8))).toThrow(expect.objectContaining({ code: 'UNSUPPORTED' }));
    expect(() => decodeSafetensors('abc' as unknown as Uint8Array)).toThrow(/expected a Uint8Array/);
  });

  it('survives random corruption: every failure is an AxonError, never a crash', () => {
    const good = encodeSafetensors([
      ['layer.0', { shape: [3, 4], data: Float32Array.from({ length: 12 }, (_, i) => i) }],
      ['layer.1', { shape: [4], data: Float32Array.from([1, 2, 3, 4]) }],
    ]);
    let s = 12345;
    const rnd = (n: number) => {
      s = (Math.imul(s, 1103515245) + 12345) >>> 0;
      return s % n;
    };
    let failures = 0;
    for (let trial = 0; trial < 400; trial++) {
      const b = good.slice(0, trial % 7 === 0 ? rnd(good.length) : good.length);
      for (let k = 1 + rnd(4); k > 0; k--) if (b.length > 0) b[rnd(b.length)] = rnd(256);
      try {
        decodeSafetensors(b);
      } catch (e) {
        failures++;
        expect(e).toBeInstanceOf(ax.AxonError);
      }
    }
    expect(failures).toBeGreaterThan(100);
  });
});

/** Three separable blobs in 4-D (as in train.test.ts). */
function blobs(n: number): { x: number[][]; y: number[] } {
  const x: number[][] = [];
  const y: number[] = [];
  for (let i = 0; i < n; i++) {
    const c = i % 3;
    x.push([c + 0.1 * Math.sin(i), 2 * c - 1 + 0.1 * Math.cos(i), Math.sin(3 * i), c]);
    y.push(c);
  }
  return { x, y };
}

function net(): ax.Sequential {
  return new ax.Sequential([
    new ax.Dense(4, 8, { activation: 'relu', seed: 1, kernelRegularizer: ax.l2(1e-3) }),
    new ax.Dropout(0.25, { seed: 3 }),
    new ax.BatchNorm1d(8),
    new ax.Dense(8, 3, { seed: 2 }),
  ]);
}

function flatWeights(m: ax.Sequential): number[][] {
  return m.layers.flatMap((l) => {
    const g = (l as unknown as { getWeights?: () => ax.Tensor[] }).getWeights;
    return g ? g.call(l).map((w) => Array.from(w.dataSync())) : [];
  });
}

for (const backend of ['js', 'wasm'] as const) {
  describe(`save / loadModel (${backend})`, () => {
    beforeAll(async () => {
      await ax.init({ backend });
    });

    it('round-trips a trained model: config is JSON, weights safetensors, predictions identical', async () => {
      const { x, y } = blobs(60);
      const m = net().compile({ optimizer: new ax.Adam({ lr: 0.02 }), loss: 'crossEntropy', metrics: ['accuracy', { name: 'topKAccuracy', k: 2 }] });
      await m.fit(x, y, { epochs: 3, batchSize: 16 });
      const saved = await m.save();
      expect(saved.weights).toBeInstanceOf(Uint8Array);
      expect(saved.optimizer).toBeUndefined();
      expect(JSON.parse(JSON.stringify(saved.config))).toEqual(saved.config);
      expect(saved.config.model.type).toBe('Sequential');
      expect(saved.config.compile).toMatchObject({ loss: 'crossEntropy', optimizer: { type: 'Adam', lr: 0.02 }, metrics: ['accuracy', { name: 'topKAccuracy', k: 2 }] });
      const names = [...decodeSafetensors(saved.weights).tensors.keys()];
      expect(names).toEqual(['0.0', '0.1', '2.0', '2.1', '2.2', '2.3', '3.0', '3.1']);

      const back = await ax.loadModel<ax.Sequential>({ config: JSON.stringify(saved.config) as unknown, weights: saved.weights });
      expect(back).toBeInstanceOf(ax.Sequential);
      expect(flatWeights(back)).toEqual(flatWeights(m)); // includes BatchNorm running statistics
      const xt = ax.tensor(x);
      const p1 = m.predict(xt);
      const p2 = back.predict(xt);
      expect(Array.from(p2.dataSync())).toEqual(Array.from(p1.dataSync()));
      expect(await back.evaluate(x, y)).toEqual(await m.evaluate(x, y));
      expect(back._training!.optimizer).toBeInstanceOf(ax.Adam);
      expect(back._training!.optimizer.lr).toBe(0.02);
      for (const t of [xt, p1, p2]) t.dispose();
      back.dispose();
    });

    it('round-trips every kind of layer through the module registry', async () => {
      const m = new ax.Sequential([
        new ax.Flatten(),
        new ax.Dense(6, 8, { activation: 'tanh', seed: 4 }),
        new ax.LeakyReLU(0.2),
        new ax.Maxout(8, 4, 3, { seed: 5 }),
        new ax.Activation('gelu'),
        new ax.BatchNorm1d(4, { momentum: 0.3 }),
        new ax.Sequential([new ax.Dense(4, 2, { seed: 6 }), new ax.Softmax()]),
      ]);
      const x = ax.randn([5, 2, 3], { seed: 8 });
      const back = await ax.loadModel<ax.Sequential>(await m.save());
      expect(back.toString()).toBe(m.toString());
      expect(Array.from(back.predict(x).dataSync())).toEqual(Array.from(m.predict(x).dataSync()));
      expect([...decodeSafetensors((await back.save()).weights).tensors.keys()]).toContain('6.0.1');
    });

    it('with includeOptimizer, training resumes exactly where it stopped', async () => {
      const { x, y } = blobs(48);
      // No Dropout here: its random stream position is not part of the saved state (as in torch).
      const m = new ax.Sequential([new ax.Dense(4, 8, { activation: 'relu', seed: 1 }), new ax.BatchNorm1d(8), new ax.Dense(8, 3, { seed: 2 })]).compile({ optimizer: new ax.Adam({ lr: 0.01 }), loss: 'crossEntropy' });
      await m.fit(x, y, { epochs: 2, batchSize: 8, seed: 1 });
      const saved = await m.save({ includeOptimizer: true });
      expect(saved.optimizer!.state).toMatchObject({ type: 'Adam', step: 12 });
      const back = await ax.loadModel<ax.Sequential>(saved);
      expect(back._training!.optimizer.stepCount).toBe(12);
      await m.fit(x, y, { epochs: 1, batchSize: 8, seed: 9 });
      await back.fit(x, y, { epochs: 1, batchSize: 8, seed: 9 });
      expect(flatWeights(back)).toEqual(flatWeights(m));
      // Without the optimiser state, Adam restarts: different weights after the same epoch.
      const fresh = await ax.loadModel<ax.Sequential>(saved.optimizer ? { config: saved.config, weights: saved.weights } : saved);
      const again = await ax.loadModel<ax.Sequential>(saved);
      await fresh.fit(x, y, { epochs: 1, batchSize: 8, seed: 9 });
      await again.fit(x, y, { epochs: 1, batchSize: 8, seed: 9 });
      expect(flatWeights(fresh)).not.toEqual(flatWeights(again));
      await expect(net().save({ includeOptimizer: true })).rejects.toThrow(/needs a compiled model/);
      await expect(m.save({ optimizer: true } as ax.SaveOptions)).rejects.toThrow(/unknown option 'optimizer'/);
    });

    it('an uncompiled model, or one with a loss function, loads uncompiled', async () => {
      const m = net();
      const saved = await m.save();
      expect(saved.config.compile).toBeNull();
      const back = await ax.loadModel<ax.Sequential>(saved);
      expect(back._training).toBeUndefined();
      m.compile({ optimizer: 'adam', loss: (p, t) => ax.crossEntropy(p, t) });
      const s2 = await m.save();
      expect(s2.config.compile!.loss).toBeNull();
      expect((await ax.loadModel<ax.Sequential>(s2))._training).toBeUndefined();
      const s3 = await m.save({ includeOptimizer: true });
      await expect(ax.loadModel(s3)).rejects.toThrow(/no compile options \(or a loss function/);
      expect((await ax.loadModel<ax.Sequential>(s3, { compile: false }))._training).toBeUndefined();
    });

    it('rejects corrupt or mismatched saves before writing any weight', async () => {
      const m = net();
      const saved = await m.save();
      const other = await new ax.Sequential([new ax.Dense(4, 9, { seed: 1 }), new ax.Dense(9, 3)]).save();
      const reject = async (input: unknown, msg: RegExp, code?: string) => {
        const err = await ax.loadModel(input as ax.SavedModel).catch((e: unknown) => e);
        expect(err).toBeInstanceOf(ax.AxonError);
        expect((err as Error).message).toMatch(msg);
        if (code) expect((err as ax.AxonError).code).toBe(code);
      };
      const trained = net().compile({ optimizer: 'adam', loss: 'crossEntropy' });
      await trained.fit([[1, 2, 3, 4], [0, 1, 0, 1]], [1, 2]);
      const withOpt = await trained.save({ includeOptimizer: true });
      const before = ax.memory().numTensors;
      await reject(null, /expected \{ config, weights \}/, 'CORRUPT_DATA');
      await reject({ config: '{bad json', weights: saved.weights }, /config is not valid JSON/, 'CORRUPT_DATA');
      await reject({ config: { ...saved.config, format: 'keras' }, weights: saved.weights }, /config.format expected 'axon.model'/);
      await reject({ config: { ...saved.config, version: 99 }, weights: saved.weights }, /format version 99/, 'UNSUPPORTED');
      await reject({ config: saved.config, weights: 'abc' }, /weights expected safetensors bytes/);
      await reject({ config: saved.config, weights: saved.weights.slice(0, 20) }, /loadModel: weights: safetensors: header length \d+ runs past/, 'CORRUPT_DATA');
      await reject({ config: saved.config, weights: other.weights }, /weight '0.0' expected shape \[4, 8\], given \[4, 9\]/);
      const fewer = encodeSafetensors([...decodeSafetensors(saved.weights).tensors].slice(1));
      await reject({ config: saved.config, weights: fewer }, /weight '0.0' \(shape \[4, 8\]\) is missing/, 'CORRUPT_DATA');
      const more = encodeSafetensors([...decodeSafetensors(saved.weights).tensors, ['9.9', { shape: [1], data: new Float32Array(1) }]]);
      await reject({ config: saved.config, weights: more }, /unexpected weight '9.9'/, 'CORRUPT_DATA');
      const cfg = JSON.parse(JSON.stringify(saved.config));
      cfg.model.layers[0].type = 'Dens';
      await reject({ config: cfg, weights: saved.weights }, /unknown module type "Dens" \(did you mean 'Dense'\?\)/);
      cfg.model.layers[0] = { type: 'Dense', args: [-4, 8] };
      await reject({ config: cfg, weights: saved.weights }, /config.model.*Dense/);
      await reject({ config: { ...saved.config, model: 7 }, weights: saved.weights }, /config.model expected a module config/);
      // A config asking for a huge layer next to small weights is refused before anything is allocated.
      cfg.model.layers[0] = { type: 'Dense', args: [40000, 40000] };
      await reject({ config: cfg, weights: saved.weights }, /config.model.layers\[0\] \("Dense"\) has size arguments \[40000,40000\] larger than the 65536 weight elements/, 'CORRUPT_DATA');
      let deep: Record<string, unknown> = { type: 'Sequential', args: [], layers: [] };
      for (let i = 0; i < 100; i++) deep = { type: 'Sequential', args: [], layers: [deep] };
      await reject({ config: { ...saved.config, model: deep }, weights: saved.weights }, /nested deeper than 64/, 'CORRUPT_DATA');
      await reject({ config: { ...saved.config, compile: { optimizer: { type: 'Adamm' }, loss: 'crossEntropy' } }, weights: saved.weights }, /did you mean 'adam'/);
      await reject({ config: { ...saved.config, compile: { optimizer: { type: 'Adam' }, loss: 'nope' } }, weights: saved.weights }, /unknown loss "nope"/);
      await reject({ ...withOpt, optimizer: { state: withOpt.optimizer!.state, slots: new Uint8Array(3) } }, /optimizer.slots: safetensors: buffer of 3 bytes/);
      const badSlots = encodeSafetensors([['x.m', { shape: [1], data: new Float32Array(1) }]]);
      await reject({ ...withOpt, optimizer: { state: withOpt.optimizer!.state, slots: badSlots } }, /tensor name 'x.m' expected '<parameter index>.<buffer>'/);
      await reject({ ...withOpt, optimizer: { state: { ...withOpt.optimizer!.state, type: 'SGD' }, slots: withOpt.optimizer!.slots } }, /the state is for "SGD", not 'Adam'/);
      // Nothing leaked: every partly built model was freed.
      expect(ax.memory().numTensors).toBe(before);
    });
  });
}
