/**
 * Module: the base of every layer and model. A module owns trainable parameters (variables)
 * and child modules, computes `forward(x)`, and switches between training and evaluation
 * behaviour (dropout, batch norm) with `train()` / `eval()`.
 */
import { add } from '../ops/arithmetic.js';
import type { Tensor, TensorLike } from '../tensor.js';
import { assignWeights, copyWeights } from './weights.js';
import { ArgumentError, describeValue } from '../errors.js';

/** A serialisable description of a module: its class name and constructor arguments. */
export interface ModuleConfig {
  /** Registered class name, e.g. 'Dense'. */
  type: string;
  /** Constructor arguments as plain JSON. */
  args: unknown[];
  /** Child configs for containers (Sequential). */
  layers?: ModuleConfig[];
}

/** See the file comment. Subclasses implement `forward` and register parameters/children. */
export abstract class Module {
  /** True in training mode (the default). */
  training = true;
  /** Optional display name. */
  name?: string;
  private readonly _params: Tensor[] = [];
  private readonly _children: Module[] = [];

  /** Computes the module's output for a batch. */
  abstract forward(x: Tensor): Tensor;

  /** Registers a trainable parameter (a `variable`); returns it. */
  protected addParameter(p: Tensor, name: string): Tensor {
    p.name = `${this.constructor.name}.${name}`;
    this._params.push(p);
    return p;
  }

  /** Registers a child module; returns it. */
  protected addChild<M extends Module>(m: M): M {
    this._children.push(m);
    return m;
  }

  /** Child modules in order. */
  children(): Module[] {
    return [...this._children];
  }

  /** Trainable parameters of this module and its children, in a fixed order. */
  parameters(): Tensor[] {
    const out = [...this._params];
    for (const c of this._children) out.push(...c.parameters());
    return out;
  }

  /** Sets training mode (default true) here and in every child; returns this. */
  train(mode = true): this {
    if (typeof mode !== 'boolean') throw new ArgumentError(`${this.constructor.name}.train: argument 'mode' expected a boolean, given ${describeValue(mode)}`);
    this.training = mode;
    for (const c of this._children) c.train(mode);
    return this;
  }

  /** Evaluation mode: `train(false)`. */
  eval(): this {
    return this.train(false);
  }

  /** Frees every parameter's gradient (sets `.grad` to null). */
  zeroGrad(): void {
    for (const p of this.parameters()) {
      if (p.grad) {
        p.grad.dispose();
        p.grad = null;
      }
    }
  }

  /** Copies of the module's weights in a fixed order (default: its parameters; Dense `[W, b]`); the caller owns them. */
  getWeights(): Tensor[] {
    return copyWeights(this.parameters());
  }

  /** Writes the list {@link getWeights} returns (tensors, nested arrays or Float32Arrays); validates all before changing anything. */
  setWeights(weights: readonly TensorLike[]): void {
    const params = this.parameters();
    assignWeights(`${this.constructor.name}.setWeights`, params, params.map((p, i) => p.name ?? `weights[${i}]`), weights);
  }

  /**
   * Regularisation penalty of this module and its children (added to the loss), or null.
   * Layers with regularisers override this; containers inherit the sum over children.
   */
  regularizationLoss(): Tensor | null {
    let total: Tensor | null = null;
    for (const c of this._children) {
      const p = c.regularizationLoss();
      if (!p) continue;
      total = total ? add(total, p) : p;
    }
    return total;
  }

  /** Applies weight constraints (e.g. max-norm) after an optimiser step. */
  applyConstraints(): void {
    for (const c of this._children) c.applyConstraints();
  }

  /** The module's constructor arguments, for save/load. */
  abstract getConfig(): ModuleConfig;

  /** Frees parameters and buffers of this module and its children. */
  dispose(): void {
    for (const p of this._params) p.dispose();
    for (const c of this._children) c.dispose();
  }

  /** One line per module, with parameter shapes. */
  toString(): string {
    const own = this._params.map((p) => `${p.name}[${p.shape.join('×')}]`).join(', ');
    const head = `${this.constructor.name}${own ? `(${own})` : '()'}`;
    if (this._children.length === 0) return head;
    return `${head} {\n${this._children.map((c) => `  ${c.toString().split('\n').join('\n  ')}`).join('\n')}\n}`;
  }
}

/** Throws unless `model` is a {@link Module} (the training and save functions take one). */
export function checkModule(fn: string, model: unknown, arg = 'model'): void {
  if (!(model instanceof Module)) throw new ArgumentError(`${fn}: argument '${arg}' expected a Module (e.g. a Sequential), given ${describeValue(model)}`);
}
