/**
 * Test switch for {@link Kernels.allocUninitialized}: when on, backends fill such buffers with
 * NaN instead of leaving old values, so an op that reads or returns an element its kernel did
 * not write produces NaN and fails its test instead of passing on lucky stale data. Off by
 * default (and in every benchmark); the test suite turns it on in test/setup.ts.
 */
let poison = false;

/** Turns NaN-filling of uninitialised allocations on or off (process-wide; for tests). */
export function setUninitializedPoison(on: boolean): void {
  poison = on === true;
}

/** Whether uninitialised allocations are NaN-filled (see {@link setUninitializedPoison}). */
export function uninitializedPoison(): boolean {
  return poison;
}
