/**
 * The wasm backend: the kernel contract over the AssemblyScript SIMD module. Every method
 * validates its arguments with the shared {@link Validator} (so a bad call never reaches linear
 * memory), then passes byte addresses and sizes to the matching `*_f32` export.
 *
 * Builds (bindings/instantiate.ts): `simd`, `relaxed` (FMA), `threads` and `relaxed-threads`,
 * chosen at creation from the engine's features and the thread count. With a threaded build and
 * threads > 1, large kernels are cut into chunks that the calling thread and a worker pool
 * (bindings/pool.ts) over the same shared memory claim in turn; the cuts fall on tile / vector
 * boundaries so that every output element is computed by exactly the same instructions in the
 * same order as on one thread, and results (hence training) are bit-identical whatever the
 * thread count or whichever thread runs a chunk. Small calls stay on the
 * calling thread (cut-offs below, measured on a 2-core x64: a pool round trip costs ~1–2 µs).
 */
import { uninitializedPoison } from '../../kernels/poison.js';
import { Arena } from '../../../bindings/arena.js';
import type { ActivationBackward, ActivationForward, AxonWasmExports } from '../../../bindings/abi.js';
import { detectFeatures, hardwareThreads, threadSupport } from '../../../bindings/features.js';
import {
  BUILD_RELAXED,
  BUILD_THREADS,
  WASM_BUILDS,
  WASM_BUILD_FILES,
  loadWasm,
  type InstantiateOptions,
  type LoadedWasm,
  type WasmBuild,
  type WasmSource,
} from '../../../bindings/instantiate.js';
// The pool is loaded on demand (a dynamic import): single-threaded use never pays for it.
import type { JobSplit, ThreadPool } from '../../../bindings/pool.js';
import {
  ACTIVATIONS,
  BINARY_OPS,
  BROADCASTS,
  KernelError,
  REDUCE_OPS,
  UNARY_MATH,
  defaultActivationAlpha,
  type Activation,
  type AdadeltaParams,
  type AdagradParams,
  type AdamParams,
  type BackendInfo,
  type BatchNormBackwardParams,
  type BatchNormForwardParams,
  type BinaryOp,
  type Broadcast,
  type Conv2dGeometry,
  type DistanceMetric,
  type GemmParams,
  type Kernels,
  type ReduceOp,
  type RmspropParams,
  type SgdParams,
  type Storage,
  type UnaryMath,
} from '../../kernels/kernels.js';
import { seedKey } from '../../kernels/philox.js';
import { ArgumentError, checkOptions, describeValue } from '../../errors.js';
import { Validator } from '../../kernels/validate.js';

/** A float32 buffer in the module's linear memory. */
export class WasmStorage implements Storage {
  readonly backend = 'wasm';
  private _disposed = false;
  constructor(
    readonly owner: WasmBackend,
    /** Byte address in linear memory (16-byte aligned). */
    readonly ptr: number,
    readonly size: number,
  ) {}

  /** True once disposed, or once its backend was disposed. */
  get disposed(): boolean {
    return this._disposed || this.owner.isDisposed;
  }

  read(): Promise<Float32Array> {
    try {
      return Promise.resolve(this.readSync());
    } catch (e) {
      return Promise.reject(e);
    }
  }

  readSync(): Float32Array {
    if (this.disposed) throw new KernelError('read', 'storage', 'a live storage handle', 'a disposed one', 'DISPOSED');
    const start = this.ptr >>> 2;
    return this.owner.arena.f32().slice(start, start + this.size);
  }

  dispose(): void {
    if (this._disposed) return;
    this._disposed = true;
    this.owner.releaseStorage(this);
  }
}

/** Options for {@link WasmBackend.create}. */
export interface WasmBackendOptions extends InstantiateOptions {
  /** The compiled module, its bytes, or its URL; default: the chosen build next to this package. */
  wasm?: WasmSource;
  /**
   * Threads in all, the calling one included (1 = no workers). Default: env `AXON_THREADS`, else
   * min(4, hardware threads) where threads can run (see bindings/pool.ts threadSupport), else 1.
   */
  threads?: number;
  /**
   * Which build file to load when `wasm` is not given. Default: env `AXON_WASM_BUILD`, else the
   * fastest the engine runs: relaxed SIMD where it validates, threaded when threads > 1.
   */
  build?: WasmBuild;
  /** Where bindings/worker.js lives, for bundlers that move it (default: next to bindings/pool). */
  workerUrl?: URL | string;
  /**
   * 'auto' (default): split a kernel across threads only above the measured cut-offs. 'always':
   * split every call that can be split, however small (tests use it to run every kernel's
   * threaded path; env `AXON_SPLIT=always` sets it too).
   */
  split?: 'auto' | 'always';
}

/** `getBackend().info` of the wasm backend. */
export interface WasmBackendInfo extends BackendInfo {
  simd: boolean;
  /** The module uses relaxed SIMD (fused multiply-add). */
  relaxedSimd: boolean;
  /** Threads kernels run on, the calling one included. */
  threads: number;
  /** The build running, from the module's own feature bits (also for `init({ wasm })` modules). */
  build: WasmBuild;
  /** File name of the build in use, or 'custom' for a module passed with `init({ wasm })`. */
  file: string;
  notes: string[];
}

const ACT_CODE = new Map(ACTIVATIONS.map((a, i) => [a, i]));
const bool = (b: boolean | undefined): number => (b ? 1 : 0);

// Cut-offs (bench/threads.bench.ts, idle 2-core x64): a call goes to the pool only when it has at
// least twice the minimum chunk of work, and chunks are never smaller than that minimum. A pool
// round trip costs ~1–2 µs; what decides is the work per element. Memory-bound kernels (relu, add,
// scale, the batch-norm affine map, SGD) run at ~10 G elements/s from cache and gain nothing from
// a second core until the data spills out of L2; kernels with transcendental functions or several
// buffers and a sqrt (gelu, tanh, exp, softmax, Adam) gain 1.5–1.9× from 16 K elements.
/** Elements per chunk, at least, for memory-bound kernels: split from 512 K elements. */
const MIN_CHUNK_CHEAP = 262_144;
/** Elements per chunk, at least, for compute-bound kernels: split from 16 K elements. */
const MIN_CHUNK_COSTLY = 8_192;
/** Activations whose forward (and backward) is a compare or a multiply: memory-bound. */
const CHEAP_ACTIVATIONS: ReadonlySet<Activation> = new Set<Activation>(['linear', 'relu', 'leakyRelu', 'hardTanh', 'step', 'sign']);
/** Activations whose backward is cheap from y (σ′ = y(1 − y), tanh′ = 1 − y²) though the forward is not. */
const CHEAP_BACKWARD: ReadonlySet<Activation> = new Set<Activation>(['sigmoid', 'tanh']);
/** Unary ops that are a sign flip, a mask or a multiply. */
const CHEAP_UNARY: ReadonlySet<UnaryMath> = new Set<UnaryMath>(['neg', 'abs', 'square']);
/** Multiply-adds per chunk, at least, for GEMM. */
const MIN_CHUNK_MACS = 262_144;
/** GEMM rows (or columns) per thread from which the product is cut into two chunks per thread. */
const MIN_GEMM_SPLIT2_EXTENT = 512;
/**
 * cols entries per chunk, at least, for im2col / col2im: split from 128 K. They move ~1.2 G
 * entries/s on one thread (a few floats per window row, far from memory bandwidth), so a chunk
 * is ≥ 50 µs of work against a ~2 µs round trip.
 */
const MIN_CHUNK_CONV = 65_536;
/** Window taps per chunk, at least, for pooling (a compare or add per tap, like im2col's cost). */
const MIN_CHUNK_POOL = 65_536;
/** Element alignment of flat cuts (64 bytes: whole vectors and cache lines). */
const FLAT_ALIGN = 16;
/** GEMM micro-tile (assembly/gemm.ts MR × NR): cuts fall on tile boundaries. */
const GEMM_MR = 5;
const GEMM_NR = 8;

type Export = (...args: number[]) => void;

/** Reads `AXON_WASM_BUILD`, `AXON_THREADS` and `AXON_SPLIT` where there is a `process.env` (tests, CLIs). */
function envOptions(): { build?: WasmBuild; threads?: number; split?: 'auto' | 'always' } {
  const env = (globalThis as { process?: { env?: Record<string, string | undefined> } }).process?.env;
  if (!env) return {};
  // Hosts may guard the environment (Deno without --allow-env throws): then it is unset.
  const read = (name: string): string | undefined => {
    try {
      return env[name]?.trim();
    } catch {
      return undefined;
    }
  };
  const out: { build?: WasmBuild; threads?: number; split?: 'auto' | 'always' } = {};
  const sp = read('AXON_SPLIT');
  if (sp) {
    if (sp !== 'auto' && sp !== 'always') throw new KernelError('create', 'AXON_SPLIT', "'auto' or 'always'", JSON.stringify(sp));
    out.split = sp;
  }
  const b = read('AXON_WASM_BUILD');
  if (b) {
    if (!(WASM_BUILDS as readonly string[]).includes(b)) throw new KernelError('create', 'AXON_WASM_BUILD', `one of ${WASM_BUILDS.join(', ')}`, JSON.stringify(b));
    out.build = b as WasmBuild;
  }
  const t = read('AXON_THREADS');
  if (t) {
    const n = Number(t);
    if (!(Number.isInteger(n) && n >= 1)) throw new KernelError('create', 'AXON_THREADS', 'an integer ≥ 1', JSON.stringify(t));
    out.threads = n;
  }
  return out;
}

/** `x` rounded up to a multiple of `m`. */
function roundUp(x: number, m: number): number {
  return Math.ceil(x / m) * m;
}

/** The wasm SIMD backend. Create with `await WasmBackend.create()`. */
export class WasmBackend implements Kernels {
  readonly name = 'wasm';
  readonly info: WasmBackendInfo;
  readonly arena: Arena;
  private readonly ex: AxonWasmExports;
  private readonly v: Validator;
  private readonly fwd: ActivationForward[];
  private readonly bwd: ActivationBackward[];
  private wsPtr = 0;
  private wsBytes = 0;
  private readonly smallPtr: number; // 3 × 6 i32: shape and two stride arrays (binaryStrided, stridedCopy)
  /** Requested bytes of the backend's own blocks (scratch, pool control), not user data. */
  private ownBytes = 0;
  private readonly ownSizes = new Map<number, number>();
  private pool: ThreadPool | undefined;
  private poolBlocks: number[] = [];
  /** Split every splittable call (AXON_SPLIT=always), ignoring the cut-offs. */
  private splitAlways = false;
  private disposedAll = false;

  /** True after {@link WasmBackend.dispose}: every handle is then invalid. */
  get isDisposed(): boolean {
    return this.disposedAll;
  }

  /**
   * Loads and instantiates the module (see {@link WasmBackendOptions} for how the build and the
   * thread count are chosen), then starts the worker pool when threads > 1. Anything that keeps
   * threads off is said once in `info.notes`; the backend then works on one thread.
   */
  static async create(options: WasmBackendOptions = {}): Promise<WasmBackend> {
    checkOptions('WasmBackend.create', options, ['wasm', 'threads', 'build', 'workerUrl', 'split', 'requireAll', 'memory']);
    const f = detectFeatures();
    const env = envOptions();
    const support = f.threads ? threadSupport() : { ok: false, reason: 'this engine lacks WebAssembly threads or SharedArrayBuffer, so kernels run on one thread' };
    const explicit = options.threads ?? env.threads;
    if (explicit !== undefined && !(Number.isInteger(explicit) && explicit >= 1)) {
      throw new KernelError('create', 'threads', 'an integer ≥ 1', String(explicit));
    }
    let threads = explicit ?? (support.ok ? Math.min(4, await hardwareThreads()) : 1);
    let build: WasmBuild | undefined;
    if (options.wasm === undefined) {
      build = options.build ?? env.build;
      if (build === undefined) {
        const threaded = threads > 1 && support.ok;
        build = threaded ? (f.relaxedSimd ? 'relaxed-threads' : 'threads') : f.relaxedSimd ? 'relaxed' : 'simd';
      }
    }
    const loaded = await loadWasm(options.wasm, { requireAll: options.requireAll, memory: options.memory, build });
    const notes: string[] = [];
    if (!loaded.shared) {
      if (threads > 1 && explicit !== undefined) notes.push(`${threads} threads were asked for, but the ${build ? `'${build}'` : 'given'} module is not a threaded build, so kernels run on one thread`);
      threads = 1;
    } else if (threads > 1 && !support.ok) {
      notes.push(support.reason!);
      threads = 1;
    }
    if (threads === 1 && explicit === undefined && !support.ok && !notes.length) notes.push(support.reason!);
    const k = new WasmBackend(loaded.exports, loaded, build ? WASM_BUILD_FILES[build] : 'custom');
    k.info.notes.push(...loaded.notes, ...notes); // loaded.notes: how the module was loaded (e.g. a server's wrong Content-Type)
    k.splitAlways = (options.split ?? env.split) === 'always';
    if (threads > 1) {
      try {
        await k.startPool(threads, loaded, options.workerUrl);
      } catch (e) {
        k.info.notes.push(`worker threads could not start (${(e as Error).message}), so kernels run on one thread`);
      }
    }
    return k;
  }

  /**
   * Wraps an instantiated module. `loaded` (from bindings' loadWasm) supplies the memory of a
   * threaded build and its limit; without it the module's exported memory is used.
   */
  constructor(exports: AxonWasmExports, loaded?: Pick<LoadedWasm, 'memory' | 'maxBytes' | 'features'>, file = 'custom') {
    if (typeof exports?.heapBase !== 'function') throw new ArgumentError(`WasmBackend: argument 'exports' expected the instance exports of axon's kernels (use WasmBackend.create()), given ${describeValue(exports)}`);
    this.ex = exports;
    this.arena = new Arena(loaded?.memory ?? exports.memory, exports.heapBase(), loaded?.maxBytes);
    this.v = new Validator('wasm', (s) => s instanceof WasmStorage && s.owner === this);
    const missing = (name: string) => () => {
      throw new KernelError(name, 'module', `a wasm build exporting ${name}`, 'a build without it');
    };
    this.fwd = ACTIVATIONS.map((a) => (exports[`${a}_f32`] as ActivationForward | undefined) ?? missing(`${a}_f32`));
    this.bwd = ACTIVATIONS.map((a) => (exports[`${a}Backward_f32`] as ActivationBackward | undefined) ?? missing(`${a}Backward_f32`));
    const f = detectFeatures();
    const bits = loaded?.features ?? (typeof exports.buildFeatures === 'function' ? exports.buildFeatures() : 0);
    const relaxed = (bits & BUILD_RELAXED) !== 0, shared = (bits & BUILD_THREADS) !== 0;
    const build: WasmBuild = shared ? (relaxed ? 'relaxed-threads' : 'threads') : relaxed ? 'relaxed' : 'simd';
    this.info = { simd: f.simd, relaxedSimd: relaxed, threads: 1, build, file, notes: [] };
    this.smallPtr = this.ownAlloc(72);
  }

  /** Starts `threads − 1` workers on this backend's shared memory. */
  private async startPool(threads: number, loaded: LoadedWasm, workerUrl: URL | string | undefined): Promise<void> {
    const names = this.poolExports();
    const { CTL_BYTES, JOB_BYTES, ThreadPool } = await import('../../../bindings/pool.js');
    const ctl = this.ownAlloc(CTL_BYTES);
    new Int32Array(loaded.memory.buffer, ctl, CTL_BYTES / 4).fill(0);
    const job = this.ownAlloc(JOB_BYTES);
    const scratch = [0];
    const bytes = this.ex.threadScratchBytes();
    for (let t = 1; t < threads; t++) scratch.push(this.ownAlloc(bytes));
    this.poolBlocks = [ctl, job, ...scratch.slice(1)];
    try {
      this.pool = await ThreadPool.start({
        module: loaded.module, memory: loaded.memory, threads, ctlPtr: ctl, jobPtr: job, scratchPtrs: scratch, names, workerUrl,
      });
    } catch (e) {
      // The control block stays allocated for good: a worker that did start may still poll it
      // until its termination lands (ThreadPool.start has set STOP in it), so it must never
      // become user data. The job and scratch blocks are not read after STOP.
      for (const b of this.poolBlocks) if (b !== ctl) this.ownRelease(b);
      this.poolBlocks = [];
      throw e;
    }
    this.info.threads = threads;
  }

  /** The exports a worker may be asked to run (jobs name them by their index in this list). */
  private poolExports(): string[] {
    return [
      'gemmRange_f32', 'binary_f32', 'unary_f32', 'clip_f32', 'scale_f32', 'axpy_f32',
      'softmax_f32', 'logSoftmax_f32', 'softmaxBackward_f32', 'logSoftmaxBackward_f32',
      'softmaxCrossEntropy_f32', 'softmaxCrossEntropyBackward_f32',
      'batchNormStatsRange_f32', 'batchNormForward_f32', 'batchNormBackwardRange_f32',
      'sgdStep_f32', 'adamStep_f32', 'rmspropStep_f32', 'adagradStep_f32', 'adadeltaStep_f32',
      'im2col_f32', 'col2im_f32', 'maxPool2d_f32', 'maxPool2dBackward_f32', 'avgPool2d_f32', 'avgPool2dBackward_f32',
      ...ACTIVATIONS.flatMap((a) => [`${a}_f32`, `${a}Backward_f32`]),
    ];
  }

  // ---- threading helpers --------------------------------------------------------------

  /** True when `work` units are worth a pool round trip (always with AXON_SPLIT=always). */
  private worthSplitting(work: number, minChunk: number): boolean {
    if (!this.pool || !(work > 0)) return false;
    return this.splitAlways || work >= 2 * minChunk;
  }

  /** Chunk size for `total` units: about 4 chunks per thread (2 when forced), ≥ `min`, a multiple of `align`. */
  private chunkOf(total: number, min: number, align: number): number {
    const t = this.pool!.threads;
    if (this.splitAlways) return Math.max(align, roundUp(Math.ceil(total / (2 * t)), align));
    return Math.max(roundUp(min, align), roundUp(Math.ceil(total / (4 * t)), align));
  }

  /** Runs export `name` with `args` over the chunks of `split` on every thread of the pool. */
  private split(name: string, args: readonly number[], split: JobSplit): void {
    this.pool!.run(name, this.ex[name] as Export, args, split);
  }

  /**
   * An elementwise export: inline, or cut into aligned element ranges on the pool. `bufferAt`
   * are the argument positions of float buffers (advanced 4 bytes per element; an absent
   * buffer, 0, stays 0), `nAt` that of the element count, `minChunk` the cut-off class.
   */
  private elementwise(name: string, args: number[], bufferAt: readonly number[], nAt: number, minChunk: number): void {
    const n = args[nAt]!;
    if (!this.worthSplitting(n, minChunk)) {
      (this.ex[name] as Export)(...args);
      return;
    }
    const mul = new Array<number>(args.length).fill(0);
    for (const i of bufferAt) if (args[i] !== 0) mul[i] = 4;
    this.split(name, args, { total: n, chunk: this.chunkOf(n, minChunk, FLAT_ALIGN), mul, countAt: nAt });
  }

  /**
   * A row-wise export over `rows` rows of `cols` elements: inline, or cut between rows.
   * `rowBytes[i]` is how far argument i advances per row (0 = not a per-row buffer); `rowsAt`
   * is the position of the row count; `minChunk` is in elements.
   */
  private rowwise(name: string, args: number[], rowBytes: readonly number[], rowsAt: number, cols: number, minChunk: number): void {
    const rows = args[rowsAt]!;
    if (rows < 2 || !this.worthSplitting(rows * cols, minChunk)) {
      (this.ex[name] as Export)(...args);
      return;
    }
    const chunk = this.chunkOf(rows, Math.ceil(minChunk / Math.max(cols, 1)), 1);
    this.split(name, args, { total: rows, chunk, mul: rowBytes, countAt: rowsAt });
  }

  /** A channel-range export (`…Range_f32`): inline via `inline()`, or cut into groups of 4 channels. */
  private channelwise(name: string, args: number[], loAt: number, channels: number, perChannel: number, inline: () => void): void {
    if (channels <= 4 || !this.worthSplitting(channels * perChannel, MIN_CHUNK_COSTLY)) {
      inline();
      return;
    }
    const chunk = this.chunkOf(channels, Math.ceil(MIN_CHUNK_COSTLY / Math.max(perChannel, 1)), 4);
    this.split(name, args, { total: channels, chunk, loAt, hiAt: loAt + 1 });
  }

  /** A block of the backend's own (not user data), counted out of liveBytes(). */
  private ownAlloc(bytes: number): number {
    const ptr = this.arena.alloc(bytes);
    this.ownSizes.set(ptr, bytes);
    this.ownBytes += bytes;
    return ptr;
  }

  private ownRelease(ptr: number): void {
    this.ownBytes -= this.ownSizes.get(ptr) ?? 0;
    this.ownSizes.delete(ptr);
    this.arena.release(ptr);
  }

  // ---- memory -------------------------------------------------------------------------

  alloc(size: number): Storage {
    return this.block('alloc', size, 0);
  }

  allocUninitialized(size: number): Storage {
    return this.block('allocUninitialized', size, uninitializedPoison() ? NaN : undefined);
  }

  /** A checked arena block of `size` floats for `kernel`, filled with `fill` (left as it is when undefined). */
  private block(kernel: string, size: number, fill: number | undefined): Storage {
    this.checkAlive(kernel);
    if (!Number.isSafeInteger(size) || size < 0) throw new KernelError(kernel, 'size', 'a non-negative integer', String(size));
    const ptr = this.arena.alloc(size * 4);
    const s = new WasmStorage(this, ptr, size);
    if (fill !== undefined) this.arena.f32().fill(fill, ptr >>> 2, (ptr >>> 2) + size);
    return s;
  }

  upload(data: Float32Array): Storage {
    this.checkAlive('upload');
    if (!(data instanceof Float32Array)) throw new KernelError('upload', 'data', 'a Float32Array', typeof data);
    const ptr = this.arena.alloc(data.length * 4);
    this.arena.f32().set(data, ptr >>> 2);
    return new WasmStorage(this, ptr, data.length);
  }

  write(dst: Storage, data: Float32Array, offset = 0): void {
    if (!(data instanceof Float32Array)) throw new KernelError('write', 'data', 'a Float32Array', typeof data);
    if (!Number.isSafeInteger(offset) || offset < 0) throw new KernelError('write', 'offset', 'a non-negative integer', String(offset));
    const d = this.v.storage('write', 'dst', dst, offset + data.length) as WasmStorage;
    this.arena.f32().set(data, (d.ptr >>> 2) + offset);
  }

  /** Called by {@link WasmStorage.dispose}. */
  releaseStorage(s: WasmStorage): void {
    if (!this.disposedAll) this.arena.release(s.ptr);
  }

  liveBytes(): number {
    // The backend's own blocks (scratch, pool control) are not user data.
    return this.arena.liveBytes - this.ownBytes;
  }

  /** Frees every handle and stops the worker threads; idempotent. */
  dispose(): void {
    this.disposedAll = true;
    this.pool?.dispose();
    this.pool = undefined;
    this.info.threads = 1;
    this.arena.reset();
    this.ownSizes.clear();
    this.ownBytes = 0;
    this.wsPtr = 0;
    this.wsBytes = 0;
  }

  private checkAlive(kernel: string): void {
    if (this.disposedAll) throw new KernelError(kernel, 'backend', 'a live wasm backend', 'one that was disposed');
  }

  /** A scratch block of at least `bytes`, kept and grown across calls. */
  private workspace(bytes: number): number {
    if (bytes <= this.wsBytes && this.wsPtr) return this.wsPtr;
    if (this.wsPtr) this.ownRelease(this.wsPtr);
    this.wsPtr = 0;
    const size = Math.ceil(Math.max(bytes, this.wsBytes * 1.5) / 16) * 16;
    this.wsPtr = this.ownAlloc(size);
    this.wsBytes = size;
    return this.wsPtr;
  }

  // ---- elementwise --------------------------------------------------------------------

  fill(out: Storage, n: number, value: number): void {
    this.v.fill(out, n, value);
    this.ex.fill_f32(p(out), n, value);
  }

  copy(x: Storage, out: Storage, n: number, xOffset = 0, outOffset = 0): void {
    this.v.copy(x, out, n, xOffset, outOffset);
    if (n === 0 || (x === out && xOffset === outOffset)) return;
    this.ex.copy_f32(p(x) + 4 * xOffset, p(out) + 4 * outOffset, n);
  }

  scale(x: Storage, out: Storage, n: number, alpha: number): void {
    this.v.scale(x, out, n, alpha);
    this.elementwise('scale_f32', [p(x), p(out), n, alpha], [0, 1], 2, MIN_CHUNK_CHEAP);
  }

  axpy(alpha: number, x: Storage, y: Storage, n: number): void {
    this.v.axpy(alpha, x, y, n);
    this.elementwise('axpy_f32', [alpha, p(x), p(y), n], [1, 2], 3, MIN_CHUNK_CHEAP);
  }

  binary(op: BinaryOp, a: Storage, aMode: Broadcast, b: Storage, bMode: Broadcast, out: Storage, rows: number, cols: number): void {
    this.v.binary(op, a, aMode, b, bMode, out, rows, cols);
    const code = BINARY_OPS.indexOf(op), am = BROADCASTS.indexOf(aMode), bm = BROADCASTS.indexOf(bMode);
    const min = op === 'pow' ? MIN_CHUNK_COSTLY : MIN_CHUNK_CHEAP;
    if ((aMode === 'full' || aMode === 'scalar') && (bMode === 'full' || bMode === 'scalar')) {
      // Full and scalar operands do not change along rows: one long row, cut anywhere.
      const buffers = [5];
      if (aMode === 'full') buffers.push(1);
      if (bMode === 'full') buffers.push(3);
      this.elementwise('binary_f32', [code, p(a), am, p(b), bm, p(out), 1, rows * cols], buffers, 7, min);
      return;
    }
    // Row r of an operand starts r·cols floats in (full), r floats in (col), or stays put (row, scalar).
    const step = (m: Broadcast) => (m === 'full' ? 4 * cols : m === 'col' ? 4 : 0);
    this.rowwise('binary_f32', [code, p(a), am, p(b), bm, p(out), rows, cols], [0, step(aMode), 0, step(bMode), 0, 4 * cols], 6, cols, min);
  }

  binaryStrided(op: BinaryOp, a: Storage, aStrides: readonly number[], b: Storage, bStrides: readonly number[], out: Storage, shape: readonly number[]): void {
    this.v.binaryStrided(op, a, aStrides, b, bStrides, out, shape);
    const rank = shape.length;
    const mem = new Int32Array(this.ex.memory.buffer, this.smallPtr, 18);
    for (let d = 0; d < rank; d++) {
      mem[d] = shape[d]!;
      mem[6 + d] = aStrides[d]!;
      mem[12 + d] = bStrides[d]!;
    }
    this.ex.binaryStrided_f32(BINARY_OPS.indexOf(op), p(a), p(b), p(out), rank, this.smallPtr, this.smallPtr + 24, this.smallPtr + 48);
  }

  unary(op: UnaryMath, x: Storage, out: Storage, n: number): void {
    this.v.unary(op, x, out, n);
    this.elementwise('unary_f32', [UNARY_MATH.indexOf(op), p(x), p(out), n], [1, 2], 3, CHEAP_UNARY.has(op) ? MIN_CHUNK_CHEAP : MIN_CHUNK_COSTLY);
  }

  clip(x: Storage, out: Storage, n: number, lo: number, hi: number): void {
    this.v.clip(x, out, n, lo, hi);
    this.elementwise('clip_f32', [p(x), p(out), n, lo, hi], [0, 1], 2, MIN_CHUNK_CHEAP);
  }

  stridedCopy(
    x: Storage, xOffset: number, xStrides: readonly number[],
    out: Storage, outOffset: number, outStrides: readonly number[], shape: readonly number[],
  ): void {
    this.v.stridedCopy(x, xOffset, xStrides, out, outOffset, outStrides, shape);
    const rank = shape.length;
    const mem = new Int32Array(this.ex.memory.buffer, this.smallPtr, 18);
    for (let d = 0; d < rank; d++) {
      mem[d] = shape[d]!;
      mem[6 + d] = xStrides[d]!;
      mem[12 + d] = outStrides[d]!;
    }
    this.ex.stridedCopy_f32(p(x) + 4 * xOffset, p(out) + 4 * outOffset, rank, this.smallPtr, this.smallPtr + 24, this.smallPtr + 48);
  }

  oneHot(labels: Storage, out: Storage, rows: number, cols: number): void {
    this.v.oneHot(labels, out, rows, cols);
    this.ex.oneHot_f32(p(labels), p(out), rows, cols);
  }

  // ---- activations --------------------------------------------------------------------

  activation(act: Activation, x: Storage, out: Storage, n: number, alpha?: number): void {
    this.v.activation(act, x, out, n, alpha);
    const al = alpha ?? defaultActivationAlpha(act);
    if (act === 'linear' || !this.pool) this.fwd[ACT_CODE.get(act)!]!(p(x), p(out), n, al);
    else this.elementwise(`${act}_f32`, [p(x), p(out), n, al], [0, 1], 2, CHEAP_ACTIVATIONS.has(act) ? MIN_CHUNK_CHEAP : MIN_CHUNK_COSTLY);
  }

  activationBackward(act: Activation, x: Storage, y: Storage, dy: Storage, dx: Storage, n: number, alpha?: number): void {
    this.v.activationBackward(act, x, y, dy, dx, n, alpha);
    const al = alpha ?? defaultActivationAlpha(act);
    if (act === 'linear' || !this.pool) this.bwd[ACT_CODE.get(act)!]!(p(x), p(y), p(dy), p(dx), n, al);
    else {
      const cheap = CHEAP_ACTIVATIONS.has(act) || CHEAP_BACKWARD.has(act);
      this.elementwise(`${act}Backward_f32`, [p(x), p(y), p(dy), p(dx), n, al], [0, 1, 2, 3], 4, cheap ? MIN_CHUNK_CHEAP : MIN_CHUNK_COSTLY);
    }
  }

  // ---- softmax family -----------------------------------------------------------------

  softmax(x: Storage, out: Storage, rows: number, cols: number): void {
    this.v.softmax('softmax', x, out, rows, cols);
    this.rowwise('softmax_f32', [p(x), p(out), rows, cols], [4 * cols, 4 * cols], 2, cols, MIN_CHUNK_COSTLY);
  }

  logSoftmax(x: Storage, out: Storage, rows: number, cols: number): void {
    this.v.softmax('logSoftmax', x, out, rows, cols);
    this.rowwise('logSoftmax_f32', [p(x), p(out), rows, cols], [4 * cols, 4 * cols], 2, cols, MIN_CHUNK_COSTLY);
  }

  softmaxBackward(y: Storage, dy: Storage, dx: Storage, rows: number, cols: number): void {
    this.v.softmaxBackward('softmaxBackward', y, dy, dx, rows, cols);
    this.rowwise('softmaxBackward_f32', [p(y), p(dy), p(dx), rows, cols], [4 * cols, 4 * cols, 4 * cols], 3, cols, MIN_CHUNK_CHEAP);
  }

  logSoftmaxBackward(y: Storage, dy: Storage, dx: Storage, rows: number, cols: number): void {
    this.v.softmaxBackward('logSoftmaxBackward', y, dy, dx, rows, cols);
    this.rowwise('logSoftmaxBackward_f32', [p(y), p(dy), p(dx), rows, cols], [4 * cols, 4 * cols, 4 * cols], 3, cols, MIN_CHUNK_COSTLY);
  }

  softmaxCrossEntropy(logits: Storage, labels: Storage, oneHot: boolean, probs: Storage, loss: Storage, rows: number, cols: number): void {
    this.v.softmaxCrossEntropy(logits, labels, oneHot, probs, loss, rows, cols);
    const r = 4 * cols;
    this.rowwise('softmaxCrossEntropy_f32', [p(logits), p(labels), bool(oneHot), p(probs), p(loss), rows, cols], [r, oneHot ? r : 4, 0, r, 4], 5, cols, MIN_CHUNK_COSTLY);
  }

  softmaxCrossEntropyBackward(probs: Storage, labels: Storage, oneHot: boolean, dlogits: Storage, rows: number, cols: number, scale: number): void {
    this.v.softmaxCrossEntropyBackward(probs, labels, oneHot, dlogits, rows, cols, scale);
    const r = 4 * cols;
    this.rowwise('softmaxCrossEntropyBackward_f32', [p(probs), p(labels), bool(oneHot), p(dlogits), rows, cols, scale], [r, oneHot ? r : 4, 0, r], 4, cols, MIN_CHUNK_CHEAP);
  }

  // ---- reductions ---------------------------------------------------------------------

  reduce(op: ReduceOp, x: Storage, out: Storage, outer: number, len: number, inner: number): void {
    this.v.reduce('reduce', op, x, out, outer, len, inner);
    this.ex.reduce_f32(REDUCE_OPS.indexOf(op), p(x), p(out), outer, len, inner);
  }

  argmax(x: Storage, out: Storage, outer: number, len: number, inner: number): void {
    this.v.reduce('argmax', undefined, x, out, outer, len, inner);
    this.ex.argmax_f32(p(x), p(out), outer, len, inner);
  }

  // ---- matrix products and distances --------------------------------------------------

  gemm(g: GemmParams): void {
    this.v.gemm(g);
    const ta = bool(g.transA);
    const tb = bool(g.transB);
    const { m, n, k } = g;
    const bytes = this.ex.gemmWorkspace_f32(m, n, k, ta, tb);
    const act = g.activation ?? 'linear';
    const actCode = ACT_CODE.get(act)!, actAlpha = g.activationAlpha ?? defaultActivationAlpha(act);
    const alpha = g.alpha ?? 1, beta = g.beta ?? 0, bias = g.bias ? p(g.bias) : 0;
    if (k > 0 && bytes > 0 && this.worthSplitting(m * n * k, MIN_CHUNK_MACS) && this.gemmSplit(g, bytes, alpha, beta, bias, actCode, actAlpha)) return;
    const ws = bytes > 0 ? this.workspace(bytes) : 0;
    this.ex.gemm_f32(p(g.a), p(g.b), p(g.c), m, n, k, ta, tb, alpha, beta, bias, actCode, actAlpha, ws, this.wsBytes);
  }

  /**
   * The threaded GEMM: the product as the kernel computes it (Cᵀ for narrow n) is cut into
   * chunks of whole MR×NR tiles along its rows, or along its columns when those are fewer
   * than the threads or than the rows (each chunk re-packs the operand it shares with the
   * others, so the cut goes across the longer side). False when it cannot be cut.
   */
  private gemmSplit(g: GemmParams, bytes: number, alpha: number, beta: number, bias: number, actCode: number, actAlpha: number): boolean {
    const { m, n, k } = g;
    const t = this.pool!.threads;
    const swap = this.ex.gemmSwapped_f32(m, n) !== 0;
    const rows = swap ? n : m, cols = swap ? m : n;
    const rowTiles = Math.ceil(rows / GEMM_MR), colTiles = Math.ceil(cols / GEMM_NR);
    const byRows = rowTiles >= t && (rows >= cols || colTiles < t);
    const tiles = byRows ? rowTiles : colTiles, unit = byRows ? GEMM_MR : GEMM_NR, extent = byRows ? rows : cols;
    if (tiles < 2) return false;
    // One chunk per thread: every extra chunk re-packs the shared operand, and a thread that
    // starts late still loses nothing, since the caller then takes its chunk too. Very tall
    // products get two per thread (the re-packing is then a few per cent) for balance.
    let chunkTiles = Math.ceil(tiles / t);
    if (this.splitAlways || chunkTiles * unit >= MIN_GEMM_SPLIT2_EXTENT) chunkTiles = Math.ceil(tiles / (2 * t));
    // Each thread's packed panels and tile on their own cache lines (128 bytes: the adjacent-line
    // prefetcher pairs lines): one thread's tile writes must not evict the other's packed A.
    const stride = roundUp(bytes, 128);
    const ws = roundUp(this.workspace(stride * t + 128), 128);
    const args = [
      p(g.a), p(g.b), p(g.c), m, n, k, bool(g.transA), bool(g.transB), alpha, beta, bias, actCode, actAlpha, ws, stride,
      0, rows, 0, cols,
    ];
    this.split('gemmRange_f32', args, { total: extent, chunk: chunkTiles * unit, loAt: byRows ? 15 : 17, hiAt: byRows ? 16 : 18, threadAt: 13, threadMul: stride });
    return true;
  }

  pairwiseDistance(metric: DistanceMetric, a: Storage, b: Storage, out: Storage, m: number, n: number, d: number): void {
    this.v.pairwiseDistance(metric, a, b, out, m, n, d);
    const code = metric === 'l2sq' ? 0 : 1;
    const bytes = this.ex.pairwiseDistanceWorkspace_f32(code, m, n, d);
    const ws = bytes > 0 ? this.workspace(bytes) : 0;
    this.ex.pairwiseDistance_f32(code, p(a), p(b), p(out), m, n, d, ws, this.wsBytes);
  }

  // ---- convolution and pooling ---------------------------------------------------------

  /**
   * A conv.ts export over `total` units (im2col: output rows; others: planes), whose last two
   * arguments are the unit range: inline over [0, total), or cut into unit ranges on the pool.
   * `perUnit` is the elements of work per unit, `minChunk` the cut-off class.
   */
  private convUnits(name: string, args: number[], total: number, perUnit: number, minChunk: number): void {
    const loAt = args.length - 2;
    if (total < 2 || !this.worthSplitting(total * perUnit, minChunk)) {
      args[loAt] = 0;
      args[loAt + 1] = total;
      (this.ex[name] as Export)(...args);
      return;
    }
    const chunk = this.chunkOf(total, Math.ceil(minChunk / Math.max(perUnit, 1)), 1);
    this.split(name, args, { total, chunk, loAt, hiAt: loAt + 1 });
  }

  im2col(x: Storage, cols: Storage, g: Conv2dGeometry): void {
    this.v.im2col(x, cols, g);
    const rowCols = g.outW * g.channels * g.kernelH * g.kernelW;
    this.convUnits('im2col_f32', [p(x), p(cols), ...geometry(g), 0, 0], g.batch * g.outH, rowCols, MIN_CHUNK_CONV);
  }

  col2im(cols: Storage, x: Storage, g: Conv2dGeometry): void {
    this.v.col2im(cols, x, g);
    const planeCols = g.outH * g.outW * g.kernelH * g.kernelW;
    this.convUnits('col2im_f32', [p(cols), p(x), ...geometry(g), 0, 0], g.batch * g.channels, planeCols, MIN_CHUNK_CONV);
  }

  maxPool2d(x: Storage, out: Storage, argmax: Storage, g: Conv2dGeometry): void {
    this.v.maxPool2d(x, out, argmax, g);
    const work = g.outH * g.outW * g.kernelH * g.kernelW;
    this.convUnits('maxPool2d_f32', [p(x), p(out), p(argmax), ...geometry(g), 0, 0], g.batch * g.channels, work, MIN_CHUNK_POOL);
  }

  maxPool2dBackward(dy: Storage, argmax: Storage, dx: Storage, g: Conv2dGeometry): void {
    this.v.maxPool2dBackward(dy, argmax, dx, g);
    const work = g.height * g.width + g.outH * g.outW;
    this.convUnits('maxPool2dBackward_f32', [p(dy), p(argmax), p(dx), ...geometry(g), 0, 0], g.batch * g.channels, work, MIN_CHUNK_CHEAP);
  }

  avgPool2d(x: Storage, out: Storage, g: Conv2dGeometry, countIncludePad: boolean): void {
    this.v.avgPool2d(x, out, g, countIncludePad);
    const work = g.outH * g.outW * g.kernelH * g.kernelW;
    this.convUnits('avgPool2d_f32', [p(x), p(out), ...geometry(g), bool(countIncludePad), 0, 0], g.batch * g.channels, work, MIN_CHUNK_POOL);
  }

  avgPool2dBackward(dy: Storage, dx: Storage, g: Conv2dGeometry, countIncludePad: boolean): void {
    this.v.avgPool2dBackward(dy, dx, g, countIncludePad);
    const work = g.height * g.width + g.outH * g.outW * g.kernelH * g.kernelW;
    this.convUnits('avgPool2dBackward_f32', [p(dy), p(dx), ...geometry(g), bool(countIncludePad), 0, 0], g.batch * g.channels, work, MIN_CHUNK_POOL);
  }

  // ---- batch normalisation ------------------------------------------------------------

  batchNormStats(x: Storage, mean: Storage, variance: Storage, outer: number, channels: number, inner: number): void {
    this.v.batchNormStats(x, mean, variance, outer, channels, inner);
    this.channelwise('batchNormStatsRange_f32', [p(x), p(mean), p(variance), outer, channels, inner, 0, channels], 6, channels, outer * inner,
      () => this.ex.batchNormStats_f32(p(x), p(mean), p(variance), outer, channels, inner));
  }

  batchNormForward(b: BatchNormForwardParams): void {
    this.v.batchNormForward(b);
    const row = 4 * b.channels * b.inner;
    this.rowwise('batchNormForward_f32', [p(b.x), p(b.mean), p(b.variance), opt(b.gamma), opt(b.beta), p(b.out), b.outer, b.channels, b.inner, b.eps],
      [row, 0, 0, 0, 0, row], 6, b.channels * b.inner, MIN_CHUNK_CHEAP);
  }

  batchNormBackward(b: BatchNormBackwardParams): void {
    this.v.batchNormBackward(b);
    const args = [
      p(b.x), p(b.mean), p(b.variance), opt(b.gamma), p(b.dy), p(b.dx), opt(b.dgamma), opt(b.dbeta),
      b.outer, b.channels, b.inner, b.eps, 0, b.channels,
    ];
    this.channelwise('batchNormBackwardRange_f32', args, 12, b.channels, b.outer * b.inner, () => {
      const bytes = this.ex.batchNormBackwardWorkspace_f32(b.channels);
      const ws = bytes > 0 ? this.workspace(bytes) : 0;
      this.ex.batchNormBackward_f32(
        p(b.x), p(b.mean), p(b.variance), opt(b.gamma), p(b.dy), p(b.dx), opt(b.dgamma), opt(b.dbeta),
        b.outer, b.channels, b.inner, b.eps, ws, this.wsBytes,
      );
    });
  }

  batchNormRunningUpdate(runningMean: Storage, runningVar: Storage, mean: Storage, variance: Storage, channels: number, momentum: number, count: number): void {
    this.v.batchNormRunningUpdate(runningMean, runningVar, mean, variance, channels, momentum, count);
    this.ex.batchNormRunningUpdate_f32(p(runningMean), p(runningVar), p(mean), p(variance), channels, momentum, count);
  }

  // ---- randomness ---------------------------------------------------------------------

  randomUniform(out: Storage, n: number, seed: number, offset: number, low: number, high: number): void {
    this.v.randomUniform(out, n, seed, offset, low, high);
    const [lo, hi] = seedKey(seed);
    this.ex.randomUniform_f32(p(out), n, lo | 0, hi | 0, offset, low, high);
  }

  randomNormal(out: Storage, n: number, seed: number, offset: number, mean: number, std: number): void {
    this.v.randomNormal(out, n, seed, offset, mean, std);
    const [lo, hi] = seedKey(seed);
    this.ex.randomNormal_f32(p(out), n, lo | 0, hi | 0, offset, mean, std);
  }

  dropoutMask(mask: Storage, n: number, prob: number, seed: number, offset: number): void {
    this.v.dropoutMask(mask, n, prob, seed, offset);
    const [lo, hi] = seedKey(seed);
    const threshold = Math.floor(prob * 4294967296) | 0;
    this.ex.dropoutMask_f32(p(mask), n, threshold, Math.fround(1 / (1 - prob)), lo | 0, hi | 0, offset);
  }

  // ---- optimisers ---------------------------------------------------------------------

  sgdStep(o: SgdParams): void {
    this.v.sgdStep(o);
    const momentum = o.momentum ?? 0;
    this.elementwise('sgdStep_f32', [
      p(o.param), p(o.grad), momentum !== 0 ? p(o.momentumBuffer!) : 0, o.n, o.lr, momentum,
      o.dampening ?? 0, bool(o.nesterov), o.weightDecay ?? 0, bool(o.firstStep),
    ], [0, 1, 2], 3, MIN_CHUNK_CHEAP);
  }

  adamStep(o: AdamParams): void {
    this.v.adamStep(o);
    this.elementwise('adamStep_f32', [
      p(o.param), p(o.grad), p(o.m), p(o.v), o.amsgrad ? p(o.vMax!) : 0, o.n, o.lr, o.beta1, o.beta2,
      o.eps, o.weightDecay ?? 0, o.step, bool(o.decoupled), bool(o.amsgrad),
    ], [0, 1, 2, 3, 4], 5, MIN_CHUNK_COSTLY);
  }

  rmspropStep(o: RmspropParams): void {
    this.v.rmspropStep(o);
    const momentum = o.momentum ?? 0;
    this.elementwise('rmspropStep_f32', [
      p(o.param), p(o.grad), p(o.squareAvg), o.centered ? p(o.gradAvg!) : 0, momentum > 0 ? p(o.momentumBuffer!) : 0,
      o.n, o.lr, o.alpha, o.eps, o.weightDecay ?? 0, momentum, bool(o.centered),
    ], [0, 1, 2, 3, 4], 5, MIN_CHUNK_COSTLY);
  }

  adagradStep(o: AdagradParams): void {
    this.v.adagradStep(o);
    this.elementwise('adagradStep_f32', [p(o.param), p(o.grad), p(o.sum), o.n, o.lr, o.eps, o.weightDecay ?? 0], [0, 1, 2], 3, MIN_CHUNK_COSTLY);
  }

  adadeltaStep(o: AdadeltaParams): void {
    this.v.adadeltaStep(o);
    this.elementwise('adadeltaStep_f32', [p(o.param), p(o.grad), p(o.squareAvg), p(o.accDelta), o.n, o.lr, o.rho, o.eps, o.weightDecay ?? 0], [0, 1, 2, 3], 4, MIN_CHUNK_COSTLY);
  }
}

/** Byte address of a validated handle. */
function p(s: Storage): number {
  return (s as WasmStorage).ptr;
}

/** The Conv2dGeometry fields in the order of the conv.ts exports (bindings/abi.ts). */
function geometry(g: Conv2dGeometry): number[] {
  return [
    g.batch, g.channels, g.height, g.width, g.kernelH, g.kernelW, g.strideH, g.strideW,
    g.padTop, g.padLeft, g.dilationH, g.dilationW, g.outH, g.outW,
  ];
}

/** Byte address of an optional validated handle, 0 when absent. */
function opt(s: Storage | undefined): number {
  return s ? (s as WasmStorage).ptr : 0;
}
