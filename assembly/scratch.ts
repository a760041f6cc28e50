// Per-thread scratch. A few kernels keep small temporaries in linear memory (batch-norm channel
// accumulators, the optimisers' zero-padded tail, binaryStrided's coalesced shape, the last
// Philox block). Module globals are per instance, but linear memory is shared by every instance
// of the threaded build, so a fixed `memory.data` block would be trampled by two threads running
// the same kernel. Every such temporary is therefore addressed through the globals below: the
// main instance uses the static block, and each worker instance is pointed at its own block of
// SCRATCH_BYTES by the pool (setThreadScratch) before it runs any kernel.

/** Channels per group of batch norm's inner = 1 path (bounds its scratch). */
// @ts-ignore: decorator
@inline export const BN_GROUP: i32 = 512;

// Byte offsets inside one scratch block (all 16-byte aligned).
// @ts-ignore: decorator
@inline const OFF_BN_F32A: usize = 0;
// @ts-ignore: decorator
@inline const OFF_BN_F32B: usize = OFF_BN_F32A + BN_GROUP * 4;
// @ts-ignore: decorator
@inline const OFF_BN_F32C: usize = OFF_BN_F32B + BN_GROUP * 4;
// @ts-ignore: decorator
@inline const OFF_BN_F64A: usize = OFF_BN_F32C + BN_GROUP * 4;
// @ts-ignore: decorator
@inline const OFF_BN_F64B: usize = OFF_BN_F64A + BN_GROUP * 8;
// @ts-ignore: decorator
@inline const OFF_TAIL: usize = OFF_BN_F64B + BN_GROUP * 8;
// @ts-ignore: decorator
@inline const OFF_DIMS: usize = OFF_TAIL + 5 * 16;
// @ts-ignore: decorator
@inline const OFF_BLOCK: usize = OFF_DIMS + 80; // 72 bytes of dims, rounded up to 16
/** Bytes of one thread's scratch block. */
// @ts-ignore: decorator
@inline export const SCRATCH_BYTES: i32 = <i32>(OFF_BLOCK + 16);

const STATIC_SCRATCH: usize = memory.data(SCRATCH_BYTES, 16);

/** batchnorm.ts: per-channel float32 accumulators / coefficient rows (BN_GROUP floats each). */
export let BN_F32A: usize = STATIC_SCRATCH + OFF_BN_F32A;
export let BN_F32B: usize = STATIC_SCRATCH + OFF_BN_F32B;
export let BN_F32C: usize = STATIC_SCRATCH + OFF_BN_F32C;
/** batchnorm.ts: per-channel float64 totals (BN_GROUP doubles each). */
export let BN_F64A: usize = STATIC_SCRATCH + OFF_BN_F64A;
export let BN_F64B: usize = STATIC_SCRATCH + OFF_BN_F64B;
/** optim.ts: five 16-byte tail slots. */
export let OPT_TAIL: usize = STATIC_SCRATCH + OFF_TAIL;
/** elementwise.ts: 6 dims × (shape, aStride, bStride) i32. */
export let EW_DIMS: usize = STATIC_SCRATCH + OFF_DIMS;
/** random.ts: the four words of the last scalar Philox block. */
export let RNG_BLOCK: usize = STATIC_SCRATCH + OFF_BLOCK;

/** Bytes of scratch each extra thread needs (16-byte aligned block). */
export function threadScratchBytes(): i32 {
  return SCRATCH_BYTES;
}

/** Points this instance's scratch at `ptr` (SCRATCH_BYTES, 16-byte aligned); 0 = the static block. */
export function setThreadScratch(ptr: usize): void {
  const base = ptr ? ptr : STATIC_SCRATCH;
  BN_F32A = base + OFF_BN_F32A;
  BN_F32B = base + OFF_BN_F32B;
  BN_F32C = base + OFF_BN_F32C;
  BN_F64A = base + OFF_BN_F64A;
  BN_F64B = base + OFF_BN_F64B;
  OPT_TAIL = base + OFF_TAIL;
  EW_DIMS = base + OFF_DIMS;
  RNG_BLOCK = base + OFF_BLOCK;
}
