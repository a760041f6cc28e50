/**
 * Messages between the benchmark and its onnxruntime-web worker (see ort-worker.ts).
 * Typed arrays travel by structured clone.
 */
import type { Budget } from './timer.js';

/** A request: time one GEMM session, or one MLP inference session. */
export type OrtRequest =
  | { id: number; op: 'gemm'; model: Uint8Array; a: Float32Array; b: Float32Array; aShape: number[]; bShape: number[]; budget: Budget }
  | { id: number; op: 'infer'; model: Uint8Array; input: Float32Array; batch: number; inputs: number; budget: Budget };

/** A reply: median seconds per `session.run` and the output (or its checksum), or an error. */
export type OrtReply =
  | { id: number; seconds: number; checksum?: number; output?: Float32Array }
  | { id: number; error: string };

/** The worker's first message, once onnxruntime-web is loaded with its thread count. */
export interface OrtReady {
  ready: true;
  version: string;
}

/** Data given to the worker when it starts. */
export interface OrtWorkerData {
  threads: number;
}
