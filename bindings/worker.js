// @ts-check
/**
 * A kernel thread of the wasm backend's pool (bindings/pool.ts, which documents the protocol).
 * Plain JavaScript with no imports, so the same file runs unbundled in Node's worker_threads
 * and as a module Web Worker in browsers and Deno.
 *
 * It receives the compiled module, the shared memory and its thread index, instantiates the
 * module on that memory, points the instance's kernel scratch at its own block, says 'ready',
 * then serves jobs for ever: wait until the generation counter moves, enter the job unless the
 * caller already closed it, claim chunks until none are left, leave. No message is exchanged
 * after 'ready'. The constants and the chunk loop must match bindings/pool.ts.
 */

const GEN = 0;
const STOP = 1;
const ERR = 2;
const NEXT = 3;
const ACTIVE = 4;
const CLOSED = 5;
const MAX_ARGS = 23;
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
const JOB_LENGTH = 64;

/**
 * @param {{ module: WebAssembly.Module, memory: WebAssembly.Memory, index: number, ctlPtr: number,
 *   jobPtr: number, scratchPtr: number, names: string[], spin: number }} init
 * @param {(message: unknown) => void} post
 */
function serve(init, post) {
  /** @type {Record<string, Function>} */
  let ex;
  try {
    const env = {
      memory: init.memory,
      abort() {
        throw new Error('wasm kernel aborted (internal error)');
      },
    };
    ex = /** @type {Record<string, Function>} */ (/** @type {unknown} */ (new WebAssembly.Instance(init.module, { env }).exports));
    ex['setThreadScratch'](init.scratchPtr);
  } catch (e) {
    post({ type: 'error', message: e instanceof Error ? e.message : String(e) });
    return;
  }
  const fns = init.names.map((n) => ex[n]);
  const ctl = new Int32Array(init.memory.buffer, init.ctlPtr, 6);
  const j = new Float64Array(init.memory.buffer, init.jobPtr, JOB_LENGTH);
  const a = new Float64Array(MAX_ARGS);
  const t = init.index;
  const spin = init.spin;
  // Read the generation before saying 'ready': the first job may follow at once.
  let seen = Atomics.load(ctl, GEN);
  // The pool gave up starting (another worker failed or timed out) before this one was ready.
  if (Atomics.load(ctl, STOP) !== 0) {
    post({ type: 'stopped' });
    return;
  }
  post({ type: 'ready' });
  for (;;) {
    // Poll briefly first: in a training step the next kernel often comes within microseconds,
    // and a futex wake-up costs more than that. (A late wake-up only means fewer chunks here.)
    let g = Atomics.load(ctl, GEN);
    for (let i = 0; g === seen; i++) {
      if (i >= spin) {
        Atomics.wait(ctl, GEN, seen);
        i = 0;
      }
      g = Atomics.load(ctl, GEN);
    }
    seen = g;
    if (Atomics.load(ctl, STOP) !== 0) break;
    Atomics.add(ctl, ACTIVE, 1);
    // Closed (the caller already ran out of chunks) or superseded: the job block may be changing.
    if (Atomics.load(ctl, CLOSED) !== g && Atomics.load(ctl, GEN) === g) {
      try {
        const f = /** @type {Function} */ (fns[j[J_FN]]);
        const chunks = j[J_CHUNKS], chunk = j[J_CHUNK], total = j[J_TOTAL];
        const countAt = j[J_COUNT_AT], loAt = j[J_LO_AT], hiAt = j[J_HI_AT], threadAt = j[J_THREAD_AT];
        for (let c = Atomics.add(ctl, NEXT, 1); c < chunks; c = Atomics.add(ctl, NEXT, 1)) {
          const lo = c * chunk, hi = Math.min(total, lo + chunk);
          for (let i = 0; i < MAX_ARGS; i++) a[i] = j[J_ARGS + i] + j[J_MUL + i] * lo;
          if (countAt >= 0) a[countAt] = hi - lo;
          if (loAt >= 0) a[loAt] = lo;
          if (hiAt >= 0) a[hiAt] = hi;
          if (threadAt >= 0) a[threadAt] += j[J_THREAD_MUL] * t;
          f(a[0], a[1], a[2], a[3], a[4], a[5], a[6], a[7], a[8], a[9], a[10], a[11],
            a[12], a[13], a[14], a[15], a[16], a[17], a[18], a[19], a[20], a[21], a[22]);
        }
      } catch {
        Atomics.store(ctl, ERR, t + 1);
      }
    }
    Atomics.sub(ctl, ACTIVE, 1);
    Atomics.notify(ctl, ACTIVE);
  }
  post({ type: 'stopped' });
}

// Node's worker_threads hands the init over as workerData (marked, since hosts such as Deno and
// Bun offer both APIs); a Web Worker receives it as its first message.
const proc = /** @type {any} */ (globalThis).process;
const wt = typeof proc?.versions?.node === 'string' ? await import(/* @vite-ignore */ 'node:worker_threads').catch(() => undefined) : undefined;
if (wt?.parentPort && wt.workerData?.axonPool === true) {
  const port = wt.parentPort;
  serve(wt.workerData, (m) => port.postMessage(m));
} else {
  const scope = /** @type {any} */ (globalThis);
  scope.onmessage = (/** @type {MessageEvent} */ e) => {
    scope.onmessage = null;
    serve(e.data, (m) => scope.postMessage(m));
  };
}
