/**
 * onnxruntime-web columns (wasm execution provider, 1 and N threads). Each configuration runs
 * in its own worker thread (see ort-worker.ts); the models are built in code (onnx.ts): one
 * Gemm node with transA/transB for the GEMM rows, Gemm+Relu layers for the MLP. A session run
 * copies its inputs into ORT's heap and its output out, which is part of what it costs.
 */
import { Worker } from 'node:worker_threads';
import { gemmModel, mlpModel } from './onnx.js';
import type { OrtReady, OrtReply, OrtRequest, OrtWorkerData } from './ort-protocol.js';
import type { Budget } from './timer.js';
import { gemmOperands, inferInput, mlpWeights, MLP_SIZES, type Engine, type GemmShape } from './workload.js';

/** A successful reply. */
type OrtResult = Extract<OrtReply, { seconds: number }>;
/** A request before it gets its id. */
type OrtRequestBody = OrtRequest extends infer R ? (R extends OrtRequest ? Omit<R, 'id'> : never) : never;

/** Starts a worker that runs ort-worker.ts under tsx (the benchmark itself runs under tsx). */
function startWorker(threads: number): Worker {
  const entry = new URL('./ort-worker.ts', import.meta.url).href;
  // A worker does not inherit tsx's module hooks, so it registers them before importing the .ts entry.
  const tsx = import.meta.resolve('tsx/esm/api');
  const boot = `import(${JSON.stringify(tsx)}).then((m) => { m.register(); return import(${JSON.stringify(entry)}); });`;
  return new Worker(boot, { eval: true, workerData: { threads } satisfies OrtWorkerData });
}

/** Creates the onnxruntime-web engine with `threads` threads. */
export async function ortEngine(threads: number): Promise<Engine & { version?: string }> {
  const name = `ort ${threads}t`;
  let worker: Worker;
  let version: string;
  try {
    worker = startWorker(threads);
    version = await new Promise<string>((resolve, reject) => {
      worker.once('message', (m: OrtReady) => resolve(m.version));
      worker.once('error', reject);
    });
  } catch (e) {
    return { name, unavailable: `onnxruntime-web did not start: ${(e as Error).message}`, dispose: async () => {} };
  }
  let nextId = 1;
  const pending = new Map<number, { resolve: (r: OrtReply) => void; reject: (e: Error) => void }>();
  worker.on('message', (r: OrtReply) => {
    const p = pending.get(r.id);
    pending.delete(r.id);
    p?.resolve(r);
  });
  worker.on('error', (e) => {
    for (const p of pending.values()) p.reject(e);
    pending.clear();
  });
  const call = (req: OrtRequestBody): Promise<OrtResult> =>
    new Promise((resolve, reject) => {
      const id = nextId++;
      pending.set(id, {
        resolve: (r) => ('error' in r ? reject(new Error(`${name}: ${r.error}`)) : resolve(r)),
        reject,
      });
      worker.postMessage({ ...req, id });
    });

  return {
    name,
    version,
    async gemm(s: GemmShape, budget: Budget) {
      const { a, b, aShape, bShape } = gemmOperands(s);
      const model = gemmModel(s.m, s.n, s.k, s.form === 'TN', s.form === 'NT');
      const r = await call({ op: 'gemm', model, a, b, aShape, bShape, budget });
      return { seconds: r.seconds, checksum: r.checksum! };
    },
    async infer(batch: number, budget: Budget) {
      const model = mlpModel(mlpWeights());
      const r = await call({ op: 'infer', model, input: inferInput(batch), batch, inputs: MLP_SIZES[0], budget });
      return { seconds: r.seconds, output: r.output! };
    },
    async dispose() {
      await worker.terminate();
    },
  };
}
