/**
 * The contract every column of the CNN benchmark implements (library × configuration). A
 * session holds one model and its optimiser on one backend; the driver opens a session per
 * measurement, so rounds of different engines can be interleaved even where a library keeps one
 * current backend per process.
 */

/** A training session: `step()` runs one step on training batch `i` (forward, loss, backward, Adam, loss read back). */
export interface TrainSession {
  step(i: number): void | Promise<void>;
  dispose(): void;
}

/** An inference session at a fixed batch size: `run()` maps the inputs to logits, end to end. */
export interface InferSession {
  run(): Float32Array | Promise<Float32Array>;
  dispose(): void;
}

/** One column of the tables. */
export interface CnnEngine {
  readonly name: string;
  /** Why the engine cannot run here at all (its rows show '—'), or undefined. */
  unavailable?: string;
  train(): Promise<TrainSession>;
  infer(batch: number): Promise<InferSession>;
}
