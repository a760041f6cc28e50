/**
 * Deferred value checks (src/deferred.ts: label checks on webgpu, where reads are async only):
 * a failure is thrown by the next `await tensor.data()`, and a read waits only for the checks
 * begun before it, so checks a loop keeps starting do not stall its reads. Driven here with
 * hand-resolved promises on the js backend (the mechanism is backend-independent).
 */
import { beforeAll, describe, expect, it } from 'vitest';
import * as ax from '../src/index.js';
import { deferCheck, hasDeferred } from '../src/deferred.js';

/** A promise resolved by hand. */
function gate(): { promise: Promise<Float32Array>; open: (v: Float32Array) => void } {
  let open!: (v: Float32Array) => void;
  const promise = new Promise<Float32Array>((r) => (open = r));
  return { promise, open };
}

const failIfNegative = (v: Float32Array) => {
  if (v.some((x) => x < 0)) throw new ax.ArgumentError('check: a negative label');
};

describe('deferred checks', () => {
  beforeAll(async () => {
    await ax.init({ backend: 'js' });
  });

  it('a failed check is thrown by the next data(), once', async () => {
    const g = gate();
    deferCheck(g.promise, failIfNegative);
    const t = ax.tensor([1, 2]);
    const read = t.data();
    g.open(Float32Array.of(-1));
    await expect(read).rejects.toThrow(/a negative label/);
    expect(Array.from(await t.data())).toEqual([1, 2]);
    expect(hasDeferred()).toBe(false);
    t.dispose();
  });

  it('a read waits for checks begun before it, not for those begun during it', async () => {
    const t = ax.tensor([3]);
    const early = gate();
    deferCheck(early.promise, failIfNegative);
    const read = t.data();
    const late = gate(); // begun after the read started; never resolved until below
    deferCheck(late.promise, failIfNegative);
    let done = false;
    void read.then(() => (done = true));
    await new Promise((r) => setTimeout(r, 5));
    expect(done, 'the read waits for the earlier check').toBe(false);
    early.open(Float32Array.of(0));
    expect(Array.from(await read)).toEqual([3]); // resolves while the later check is still open
    expect(hasDeferred()).toBe(true);
    late.open(Float32Array.of(-2));
    await new Promise((r) => setTimeout(r, 0));
    await expect(t.data()).rejects.toThrow(/a negative label/); // reported by the next read
    expect(hasDeferred()).toBe(false);
    t.dispose();
  });

  it('a read that fails to arrive is not a check failure', async () => {
    deferCheck(Promise.reject(new Error('device lost')), failIfNegative);
    const t = ax.tensor([1]);
    expect(Array.from(await t.data())).toEqual([1]);
    t.dispose();
  });
});
