/**
 * Workgroup tree reductions shared by the row kernels (softmax family, reduce, batch norm):
 * each invocation folds its strided share of a row, then the workgroup combines the partial
 * results pairwise in workgroup memory (log2(size) steps, a barrier each).
 */

/** Invocations per workgroup of a row kernel: small rows need few, wide rows get 256. */
export function rowWorkgroup(len: number): number {
  return len <= 64 ? 64 : len <= 1024 ? 128 : 256;
}

/** WGSL `nan_max` / `nan_min`: maximum / minimum that propagate NaN (needs the math library). */
export const NAN_MINMAX = `
fn nan_max(a: f32, b: f32) -> f32 { return select(select(b, a, a > b), f_nan(), is_nan(a) || is_nan(b)); }
fn nan_min(a: f32, b: f32) -> f32 { return select(select(b, a, a < b), f_nan(), is_nan(a) || is_nan(b)); }
`;

/**
 * WGSL: `var<workgroup>` scratch and `wg_sum`, `wg_max` (NaN propagates) over `size`
 * invocations. Call from uniform control flow; every call ends with a barrier, so the scratch
 * can be reused at once.
 */
export function wgReduce(size: number): string {
  return `${NAN_MINMAX}
var<workgroup> red: array<f32, ${size}>;
fn wg_sum(v: f32, lid: u32) -> f32 {
  red[lid] = v;
  workgroupBarrier();
  for (var s = ${size / 2}u; s > 0u; s = s >> 1u) {
    if (lid < s) { red[lid] = red[lid] + red[lid + s]; }
    workgroupBarrier();
  }
  let r = red[0];
  workgroupBarrier();
  return r;
}
fn wg_max(v: f32, lid: u32) -> f32 {
  red[lid] = v;
  workgroupBarrier();
  for (var s = ${size / 2}u; s > 0u; s = s >> 1u) {
    if (lid < s) { red[lid] = nan_max(red[lid], red[lid + s]); }
    workgroupBarrier();
  }
  let r = red[0];
  workgroupBarrier();
  return r;
}
fn wg_min(v: f32, lid: u32) -> f32 {
  red[lid] = v;
  workgroupBarrier();
  for (var s = ${size / 2}u; s > 0u; s = s >> 1u) {
    if (lid < s) { red[lid] = nan_min(red[lid], red[lid + s]); }
    workgroupBarrier();
  }
  let r = red[0];
  workgroupBarrier();
  return r;
}
`;
}
