/**
 * The worker pool of the threaded wasm builds. Each worker (bindings/worker.js) instantiates the
 * same compiled module on the same shared memory and waits on a control block in that memory.
 * A threaded kernel call is one job: an export, its arguments, and a cut of the work into
 * fixed chunks (element, row, channel or GEMM-tile ranges). Every thread, the calling one
 * included, claims chunks from a shared counter until none are left; the caller then waits
 * only for workers still inside a chunk. So the call is synchronous from the caller's view,
 * costs no message and no event-loop turn, and degrades gracefully: a worker that the OS has
 * not scheduled yet simply claims nothing, and the caller does its chunks. Chunk boundaries do
 * not depend on who runs them, so results are the same whichever thread computes a chunk.
 *
 * Node, Deno and Bun use `node:worker_threads`; browsers Web Workers. The calling thread blocks
 * with `Atomics.wait`, which Node, Deno and Web Workers allow but a browser's main thread does
 * not ({@link threadSupport} then says threads are off: use axon from a worker to get them).
 * Workers are `unref`'d where the host allows it, so they never keep a process alive;
 * {@link ThreadPool.dispose} stops them.
 *
 * Control block (Int32 at `ctlPtr`): GEN job generation, STOP (1 = exit), ERR (1 + index of a
 * thread whose kernel threw), NEXT next unclaimed chunk, ACTIVE workers inside the current job,
 * CLOSED the last generation closed to newcomers. Job (Float64 at `jobPtr`, JOB_LENGTH values):
 * export index, 23 base arguments, 23 per-argument multipliers of the chunk start, then chunk
 * count, chunk size, total, and the argument positions that receive the chunk's length, start,
 * end and a per-thread offset (−1 = none). bindings/worker.js repeats this layout.
 */

import { canBlock, isNodeHost } from './features.js';

const GEN = 0;
const STOP = 1;
const ERR = 2;
const NEXT = 3;
const ACTIVE = 4;
const CLOSED = 5;

/** Arguments a job can pass (the widest export, gemmRange_f32, takes 19). */
export const MAX_ARGS = 23;
const J_FN = 0;
const J_ARGS = 1;
const J_MUL = J_ARGS + MAX_ARGS;
const J_CHUNKS = J_MUL + MAX_ARGS;
const J_CHUNK = J_CHUNKS + 1;
const J_TOTAL = J_CHUNK + 1;
const J_COUNT_AT = J_TOTAL + 1;
const J_LO_AT = J_COUNT_AT + 1;
const J_HI_AT = J_LO_AT + 1;
const J_THREAD_AT = J_HI_AT + 1;
const J_THREAD_MUL = J_THREAD_AT + 1;
/** Float64 values of the job block. */
export const JOB_LENGTH = 64;
/** Bytes of the job block. */
export const JOB_BYTES = JOB_LENGTH * 8;
/** Bytes of the control block (6 × i32, padded to a cache line). */
export const CTL_BYTES = 64;
/** Iterations a worker polls for the next job before it sleeps in `Atomics.wait`. */
export const DEFAULT_SPIN = 4000;

/**
 * How a job's work is cut: chunk c covers units [c·chunk, min(total, (c+1)·chunk)); argument i
 * becomes `args[i] + mul[i]·start`; the chunk's length, start and end are written to the
 * arguments at `countAt`, `loAt`, `hiAt`, and `threadMul·t` is added to the argument at
 * `threadAt` on thread t (0 = the caller), e.g. a per-thread workspace.
 */
export interface JobSplit {
  total: number;
  chunk: number;
  mul?: ArrayLike<number>;
  countAt?: number;
  loAt?: number;
  hiAt?: number;
  threadAt?: number;
  threadMul?: number;
}

/** What {@link ThreadPool.start} needs; every pointer lies in `memory`. */
export interface PoolOptions {
  module: WebAssembly.Module;
  /** The shared memory the module was instantiated on. */
  memory: WebAssembly.Memory;
  /** Threads in all, the calling thread included (≥ 2). */
  threads: number;
  /** {@link CTL_BYTES} bytes, 16-byte aligned, zeroed. */
  ctlPtr: number;
  /** {@link JOB_BYTES} bytes, 8-byte aligned. */
  jobPtr: number;
  /** Per thread index t (entry 0 unused: the caller keeps its instance's static block): `threadScratchBytes()` bytes. */
  scratchPtrs: readonly number[];
  /** Export names, in the order jobs refer to them by index. */
  names: readonly string[];
  /** Where bindings/worker.js is (default: next to this file). */
  workerUrl?: URL | string;
  /** Poll iterations before sleeping (default {@link DEFAULT_SPIN}). */
  spin?: number;
  /** Give up starting after this many ms (default 30 000). */
  startTimeoutMs?: number;
}

interface WorkerHandle {
  ready: Promise<void>;
  terminate(): void;
}

type NodeWorker = {
  unref(): void;
  terminate(): Promise<number>;
  on(ev: string, fn: (arg: never) => void): void;
  once(ev: string, fn: (arg: never) => void): void;
  removeAllListeners(ev?: string): void;
};
type WebWorker = { postMessage(m: unknown): void; terminate(): void; onmessage: unknown; onerror: unknown };
type Export = (...args: number[]) => void;

/** Thrown when a kernel failed on a worker thread (a wasm trap: an internal error). */
export class ThreadPoolError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ThreadPoolError';
  }
}

function workerUrl(base: URL | string | undefined): URL {
  return new URL(base === undefined ? './worker.js' : String(base), import.meta.url);
}

/** A started pool; see the file comment. */
export class ThreadPool {
  /** Threads in all, the calling one included. */
  readonly threads: number;
  private readonly ctl: Int32Array;
  private readonly job: Float64Array;
  private readonly index: ReadonlyMap<string, number>;
  private readonly cur = new Float64Array(MAX_ARGS);
  private readonly blocking: boolean;
  private handles: WorkerHandle[];
  private stopped = false;

  private constructor(o: PoolOptions, handles: WorkerHandle[]) {
    this.threads = o.threads;
    this.ctl = new Int32Array(o.memory.buffer, o.ctlPtr, 6);
    this.job = new Float64Array(o.memory.buffer, o.jobPtr, JOB_LENGTH);
    this.index = new Map(o.names.map((n, i) => [n, i]));
    this.blocking = canBlock();
    this.handles = handles;
  }

  /** Starts `threads − 1` workers and resolves once each has instantiated the module. */
  static async start(o: PoolOptions): Promise<ThreadPool> {
    if (!(Number.isInteger(o.threads) && o.threads >= 2)) throw new RangeError(`ThreadPool: threads must be an integer ≥ 2, given ${o.threads}`);
    const node = isNodeHost();
    const wt = node ? await import(/* @vite-ignore */ 'node:worker_threads' as string) as typeof import('node:worker_threads') : undefined;
    const handles: WorkerHandle[] = [];
    for (let t = 1; t < o.threads; t++) {
      const init = {
        axonPool: true, module: o.module, memory: o.memory, index: t, ctlPtr: o.ctlPtr, jobPtr: o.jobPtr,
        scratchPtr: o.scratchPtrs[t], names: [...o.names], spin: o.spin ?? DEFAULT_SPIN,
      };
      handles.push(wt ? startNode(wt, workerUrl(o.workerUrl), init, t) : startWeb(workerUrl(o.workerUrl), init, t));
    }
    let timer: ReturnType<typeof setTimeout> | undefined;
    const limit = o.startTimeoutMs ?? 30_000;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new ThreadPoolError(`worker threads did not start within ${limit} ms`)), limit);
    });
    try {
      await Promise.race([Promise.all(handles.map((h) => h.ready)), timeout]);
    } catch (e) {
      // Workers that did start are polling the control block, and terminate() takes effect
      // later: tell them to stop through the block itself, so that none of them can wake up
      // on whatever the caller puts in that memory next and run it as a job. (The caller must
      // still not reuse the control block; the job and scratch blocks are never read after STOP.)
      const ctl = new Int32Array(o.memory.buffer, o.ctlPtr, 6);
      Atomics.store(ctl, STOP, 1);
      Atomics.add(ctl, GEN, 1);
      Atomics.notify(ctl, GEN);
      for (const h of handles) h.terminate();
      throw e;
    } finally {
      clearTimeout(timer);
    }
    return new ThreadPool(o, handles);
  }

  /**
   * Runs export `name` (one of the pool's names) over the chunks of `split`, with `args` as the
   * base arguments, on every thread; returns when all chunks are done. Throws
   * {@link ThreadPoolError} when a worker's kernel threw (after every thread has left the job).
   */
  run(name: string, f: Export, args: ArrayLike<number>, split: JobSplit): void {
    if (this.stopped) throw new ThreadPoolError('the thread pool was disposed');
    const fn = this.index.get(name);
    if (fn === undefined) throw new ThreadPoolError(`'${name}' is not an export the workers can run`);
    const j = this.job, ctl = this.ctl;
    j[J_FN] = fn;
    for (let i = 0; i < MAX_ARGS; i++) {
      j[J_ARGS + i] = i < args.length ? args[i]! : 0;
      j[J_MUL + i] = split.mul && i < split.mul.length ? split.mul[i]! : 0;
    }
    const chunks = Math.ceil(split.total / split.chunk);
    j[J_CHUNKS] = chunks;
    j[J_CHUNK] = split.chunk;
    j[J_TOTAL] = split.total;
    j[J_COUNT_AT] = split.countAt ?? -1;
    j[J_LO_AT] = split.loAt ?? -1;
    j[J_HI_AT] = split.hiAt ?? -1;
    j[J_THREAD_AT] = split.threadAt ?? -1;
    j[J_THREAD_MUL] = split.threadMul ?? 0;
    Atomics.store(ctl, ERR, 0);
    Atomics.store(ctl, NEXT, 0);
    const gen = (Atomics.load(ctl, GEN) + 1) | 0;
    Atomics.store(ctl, GEN, gen);
    Atomics.notify(ctl, GEN);
    let ownError: unknown;
    try {
      runChunks(j, ctl, f, this.cur, 0);
    } catch (e) {
      ownError = e;
    }
    // No newcomers from here; wait for the workers still inside a chunk.
    Atomics.store(ctl, CLOSED, gen);
    // A worker that never checks out would block this thread forever: after a minute (far
    // beyond one chunk of any kernel) report it as an error instead of hanging the process.
    const deadline = Date.now() + 60_000;
    for (let spins = 0; ; spins++) {
      const active = Atomics.load(ctl, ACTIVE);
      if (active === 0) break;
      if (spins >= 200 && this.blocking) Atomics.wait(ctl, ACTIVE, active, 1);
      if ((spins & 1023) === 1023 && Date.now() > deadline) {
        throw new ThreadPoolError(`${active} worker thread(s) did not finish a kernel within 60 s (internal error); use init({ threads: 1 }) to run without workers`);
      }
    }
    if (ownError !== undefined) throw ownError;
    const bad = Atomics.load(ctl, ERR);
    if (bad !== 0) throw new ThreadPoolError(`a wasm kernel failed on worker thread ${bad - 1} (internal error)`);
  }

  /** Stops and terminates the workers; idempotent. */
  dispose(): void {
    if (this.stopped) return;
    this.stopped = true;
    Atomics.store(this.ctl, STOP, 1);
    Atomics.add(this.ctl, GEN, 1);
    Atomics.notify(this.ctl, GEN);
    for (const h of this.handles) h.terminate();
    this.handles = [];
  }
}

/** Claims and runs chunks of the job until none are left (the same loop as bindings/worker.js). */
function runChunks(j: Float64Array, ctl: Int32Array, f: Export, a: Float64Array, thread: number): void {
  const chunks = j[J_CHUNKS]!, chunk = j[J_CHUNK]!, total = j[J_TOTAL]!;
  const countAt = j[J_COUNT_AT]!, loAt = j[J_LO_AT]!, hiAt = j[J_HI_AT]!, threadAt = j[J_THREAD_AT]!;
  for (let c = Atomics.add(ctl, NEXT, 1); c < chunks; c = Atomics.add(ctl, NEXT, 1)) {
    const lo = c * chunk, hi = Math.min(total, lo + chunk);
    for (let i = 0; i < MAX_ARGS; i++) a[i] = j[J_ARGS + i]! + j[J_MUL + i]! * lo;
    if (countAt >= 0) a[countAt] = hi - lo;
    if (loAt >= 0) a[loAt] = lo;
    if (hiAt >= 0) a[hiAt] = hi;
    if (threadAt >= 0) a[threadAt] = a[threadAt]! + j[J_THREAD_MUL]! * thread;
    f(a[0]!, a[1]!, a[2]!, a[3]!, a[4]!, a[5]!, a[6]!, a[7]!, a[8]!, a[9]!, a[10]!, a[11]!,
      a[12]!, a[13]!, a[14]!, a[15]!, a[16]!, a[17]!, a[18]!, a[19]!, a[20]!, a[21]!, a[22]!);
  }
}

function startNode(wt: typeof import('node:worker_threads'), url: URL, init: unknown, t: number): WorkerHandle {
  const w = new wt.Worker(url, { workerData: init, name: `axon-kernels-${t}` }) as unknown as NodeWorker;
  w.unref();
  const ready = new Promise<void>((resolve, reject) => {
    w.once('message', (m: { type: string; message?: string }) => {
      if (m.type === 'ready') resolve();
      else reject(new ThreadPoolError(`worker thread ${t} failed to start: ${m.message ?? m.type}`));
    });
    w.once('error', (e: Error) => reject(new ThreadPoolError(`worker thread ${t} failed to start: ${e.message}`)));
    w.once('exit', (code: number) => reject(new ThreadPoolError(`worker thread ${t} exited during start (code ${code})`)));
  });
  // Later errors and the exit on terminate() are ours to ignore: the pool is single-use.
  ready.then(() => {
    w.removeAllListeners('exit');
    w.on('error', () => {});
  }, () => {});
  return {
    ready,
    terminate: () => {
      void w.terminate().catch(() => {});
    },
  };
}

function startWeb(url: URL, init: unknown, t: number): WorkerHandle {
  const W = (globalThis as unknown as { Worker: new (url: URL, o: object) => WebWorker }).Worker;
  const w = new W(url, { type: 'module', name: `axon-kernels-${t}` });
  const ready = new Promise<void>((resolve, reject) => {
    w.onmessage = (e: { data: { type: string; message?: string } }) => {
      if (e.data.type === 'ready') resolve();
      else if (e.data.type === 'error') reject(new ThreadPoolError(`worker thread ${t} failed to start: ${e.data.message}`));
    };
    w.onerror = (e: { message?: string }) => reject(new ThreadPoolError(`worker thread ${t} failed to start: ${e.message ?? 'error'}`));
  });
  w.postMessage(init);
  return { ready, terminate: () => w.terminate() };
}
