/**
 * onnxruntime-web in a worker thread. ORT reads `env.wasm.numThreads` once, when its wasm
 * module starts, so the 1-thread and N-thread configurations need separate ORT instances;
 * a worker thread (same process) gives each its own module graph. Timing happens here, with
 * the same timer as every other column.
 */
import { parentPort, workerData } from 'node:worker_threads';
import * as ort from 'onnxruntime-web';
import type { OrtReady, OrtReply, OrtRequest, OrtWorkerData } from './ort-protocol.js';
import { medianSeconds } from './timer.js';
import { checksum } from './workload.js';

const { threads } = workerData as OrtWorkerData;
ort.env.wasm.numThreads = threads;
const port = parentPort!;

async function handle(req: OrtRequest): Promise<OrtReply> {
  const session = await ort.InferenceSession.create(req.model, { executionProviders: ['wasm'] });
  try {
    if (req.op === 'gemm') {
      const feeds = { A: new ort.Tensor('float32', req.a, req.aShape), B: new ort.Tensor('float32', req.b, req.bShape) };
      const seconds = await medianSeconds(() => session.run(feeds), req.budget);
      const out = await session.run(feeds);
      return { id: req.id, seconds, checksum: checksum(out.C!.data as Float32Array) };
    }
    let output: Float32Array = new Float32Array(0);
    // End to end like the other columns: a Float32Array in, a Float32Array out.
    const run = async () => {
      const out = await session.run({ x: new ort.Tensor('float32', req.input, [req.batch, req.inputs]) });
      output = out.y!.data as Float32Array;
    };
    const seconds = await medianSeconds(run, req.budget);
    return { id: req.id, seconds, output };
  } finally {
    await session.release();
  }
}

port.on('message', (req: OrtRequest) => {
  handle(req).then(
    (reply) => port.postMessage(reply),
    (e: unknown) => port.postMessage({ id: req.id, error: e instanceof Error ? e.message : String(e) } satisfies OrtReply),
  );
});
port.postMessage({ ready: true, version: ort.env.versions.web ?? 'unknown' } satisfies OrtReady);
