/**
 * Optimizer: updates parameters in place from their `.grad` with one fused kernel per
 * parameter. Two construction forms, like the design card: `new Adam(params, opts)` for manual
 * loops (torch style) and `new Adam(opts)` for `model.compile`, which binds the parameters
 * later with {@link Optimizer.setParameters}.
 */
import type { Tensor } from '../tensor.js';

/** Serialisable optimiser state (for resuming training). */
export interface OptimizerState {
  /** Class name, e.g. 'Adam'. */
  type: string;
  /** Hyperparameters (lr, betas, …) as plain JSON. */
  options: Record<string, unknown>;
  /** Steps taken so far. */
  step: number;
  /** Per-parameter state buffers by parameter index, e.g. `{ 0: { m: Float32Array, v: Float32Array } }`. */
  slots: Record<number, Record<string, Float32Array>>;
}

/** See the file comment. */
export abstract class Optimizer {
  /** Parameters being optimised (empty until bound). */
  params: Tensor[] = [];
  /** Current learning rate; schedules change it between steps. */
  abstract lr: number;
  /** Number of `step()` calls so far. */
  stepCount = 0;

  /** Binds the parameters (compile does this); frees any previous state. */
  abstract setParameters(params: readonly Tensor[]): void;

  /** One update of every parameter that has a gradient. */
  abstract step(): void;

  /** Frees every parameter's gradient. */
  zeroGrad(): void {
    for (const p of this.params) {
      if (p.grad) {
        p.grad.dispose();
        p.grad = null;
      }
    }
  }

  /** A copy of the state, for saving. Needs synchronous reads (js, wasm); on webgpu use {@link Optimizer.stateAsync}. */
  abstract state(): OptimizerState;

  /** {@link Optimizer.state} on every backend (the state buffers are read with `await`). */
  async stateAsync(): Promise<OptimizerState> {
    return this.state();
  }

  /** Restores a state saved by {@link Optimizer.state} (checks type, shapes and sizes first). */
  abstract loadState(state: OptimizerState): void;

  /** Hyperparameters as plain JSON (for save/load and `compile` configs). */
  abstract getConfig(): Record<string, unknown>;

  /** Frees the state buffers. */
  abstract dispose(): void;
}
