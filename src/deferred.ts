/**
 * Checks of device values that cannot run synchronously (on webgpu, where reads are async only):
 * the check starts a read now and runs when the values arrive; a failure is kept and thrown by
 * the next `await tensor.data()` — the program's next sync point, where WebGPU also reports GPU
 * errors. Used for label tensors given to losses and `oneHot` (out-of-range class indices).
 */
import { AxonError } from './errors.js';
import { canReadSync } from './readback.js';
import type { Tensor } from './tensor.js';

const pending = new Set<Promise<void>>();
let failure: unknown;
let failed = false;

/**
 * Runs `check` on `values` when they arrive; its error is thrown by the next {@link settleDeferred}.
 * A failed read is ignored here: it is not about the values (the backend reports its own GPU
 * errors), and it must not surface later, perhaps on another backend after `init()`.
 */
export function deferCheck(values: Promise<Float32Array>, check: (values: Float32Array) => void): void {
  const p: Promise<void> = values
    .then(
      (v) => check(v),
      () => undefined,
    )
    .catch((e: unknown) => {
      if (!failed) {
        failed = true;
        failure = e;
      }
    })
    .finally(() => pending.delete(p));
  pending.add(p);
}

/** True while a deferred check is running or has failed unreported (cheap; no allocation). */
export function hasDeferred(): boolean {
  return failed || pending.size > 0;
}

/**
 * The checks running now, for a later {@link settleDeferred} to wait on, or undefined when none
 * is running (no allocation then). A read takes this snapshot when it starts, so it waits only
 * for checks begun before it: checks a training loop starts meanwhile do not hold it up (they are
 * reported by a later read).
 */
export function deferredSnapshot(): Promise<void>[] | undefined {
  return pending.size > 0 ? [...pending] : undefined;
}

/**
 * Waits for `checks` (a {@link deferredSnapshot}) and throws the first failure not yet reported —
 * also one of a check outside `checks` that has already failed.
 */
export async function settleDeferred(checks: readonly Promise<void>[]): Promise<void> {
  await Promise.all(checks);
  if (failed) {
    const e = failure;
    failed = false;
    failure = undefined;
    throw e;
  }
}

/** Tensors whose values were already checked on the host (fit's label batches). */
const checked = new WeakSet<Tensor>();

/**
 * Marks `t` as holding values already validated on the host, so {@link checkedValues} skips the
 * asynchronous check of it (which costs a read per call on webgpu). `fit` and `evaluate` mark
 * the batch tensors they fill from targets they checked.
 */
export function markChecked(t: Tensor): void {
  checked.add(t);
}

/**
 * Validates the values of `t` with `check` (which throws on bad values). Where the backend reads
 * synchronously (js, wasm) the check runs now and the host copy is returned. On webgpu it runs
 * when an asynchronous read arrives — its error then comes from the next `await tensor.data()` —
 * and undefined is returned; tensors marked with {@link markChecked} are not read again.
 */
export function checkedValues(t: Tensor, check: (values: Float32Array) => void): Float32Array | undefined {
  if (t.size === 0) return new Float32Array(0);
  if (canReadSync(t.backend)) {
    const values = t.dataSync();
    check(values);
    return values;
  }
  if (!checked.has(t)) {
    deferCheck(t.storage.read(), (v) => {
      try {
        check(v);
      } catch (e) {
        if (e instanceof AxonError) e.message += ` (found by the asynchronous check of tensor ${t.id} on the '${t.backend.name}' backend: results computed from it are invalid)`;
        throw e;
      }
    });
  }
  return undefined;
}
