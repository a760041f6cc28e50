/**
 * FusedOptimizer: everything the concrete optimisers share — the two construction forms,
 * parameter binding, option checks, lazily allocated per-parameter state, clipping inside
 * `step()`, and `state()` / `loadState()` / `getConfig()`. A concrete optimiser is an
 * {@link OptimizerSpec} (its options, its state buffers and one fused kernel call).
 *
 * Semantics (torch.optim):
 * - `step()` updates every parameter that has a `.grad`; parameters without one are skipped and
 *   their per-parameter step count does not advance (this is what Adam's bias correction and
 *   Adagrad's lr decay use, as in torch's `state['step']`).
 * - State buffers are allocated on the parameter's backend at the parameter's first update and
 *   reused afterwards: after the first step, `step()` allocates nothing.
 * - A gradient holding NaN/Inf is not an error here: the update is applied and the parameter
 *   becomes NaN/Inf (training loops check the loss and stop with a clear error).
 * - `clipValue` then `clipNorm` (total L2 norm over all parameters of this optimiser, like
 *   torch.nn.utils.clip_grad_norm_) are applied to the gradients in place before the update.
 */
import { ArgumentError, AxonError, ShapeError, checkOptions, describeValue } from '../errors.js';
import type { Kernels, Storage } from '../kernels/kernels.js';
import { requireSyncReads } from '../readback.js';
import { Tensor } from '../tensor.js';
import { GradClipper } from './clip.js';
import { Optimizer, type OptimizerState } from './optimizer.js';
import { asRecord, checkNumberIn, numOption, optionalNumOption } from './options.js';

/** Options every optimiser accepts. */
export interface BaseOptions {
  /** Learning rate (≥ 0). */
  lr?: number;
  /** L2 penalty added to the gradient (`g += weightDecay·p`); decoupled in AdamW. */
  weightDecay?: number;
  /** Clip the total L2 norm of all gradients to this value before each update (> 0). */
  clipNorm?: number;
  /** Clamp every gradient element to ±clipValue before each update (> 0). */
  clipValue?: number;
}

/** Parsed options shared by every optimiser (plain JSON). */
export interface BaseConfig {
  lr: number;
  weightDecay: number;
  clipNorm?: number;
  clipValue?: number;
}

/** The option names of {@link BaseOptions}. */
export const BASE_KEYS = ['lr', 'weightDecay', 'clipNorm', 'clipValue'] as const;

/**
 * Parses the shared options. `lrDefault` undefined makes `lr` required (torch's SGD).
 */
export function parseBase(fn: string, o: Record<string, unknown>, lrDefault: number | undefined, wdDefault = 0): BaseConfig {
  if (lrDefault === undefined && o['lr'] === undefined) {
    throw new ArgumentError(`${fn}: option 'lr' is required (e.g. { lr: 0.01 })`);
  }
  const cfg: BaseConfig = {
    lr: numOption(fn, o, 'lr', lrDefault ?? 0, { min: 0 }),
    weightDecay: numOption(fn, o, 'weightDecay', wdDefault, { min: 0 }),
  };
  const clipNorm = optionalNumOption(fn, o, 'clipNorm', { min: 0, minOpen: true });
  const clipValue = optionalNumOption(fn, o, 'clipValue', { min: 0, minOpen: true });
  if (clipNorm !== undefined) cfg.clipNorm = clipNorm;
  if (clipValue !== undefined) cfg.clipValue = clipValue;
  return cfg;
}

/** What a concrete optimiser supplies. */
export interface OptimizerSpec<C extends BaseConfig> {
  /** Class name, e.g. 'Adam' (also the `type` of its state and config). */
  type: string;
  /** Every valid option name. */
  keys: readonly string[];
  /** Validates `o` and fills in the defaults; throws before anything changes. `fn` prefixes messages. */
  parse(fn: string, o: Record<string, unknown>): C;
  /** Names of the per-parameter state buffers these options need (each the parameter's size). */
  slotNames(c: C): readonly string[];
  /** Initial contents of a fresh buffer (default: zeros). */
  initSlot?(k: Kernels, name: string, s: Storage, n: number, c: C): void;
  /** One fused update of `n` elements; `step` is this parameter's 1-based step count. */
  update(k: Kernels, param: Storage, grad: Storage, n: number, bufs: Record<string, Storage>, step: number, c: C): void;
}

/** Per-parameter state: the step count and the buffers. */
interface Slot {
  step: number;
  bufs: Record<string, Storage>;
}

/** Splits `(params, options)` / `(options)` / `()` into its parts. */
function splitArgs(type: string, a: unknown, b: unknown): { params?: readonly Tensor[]; options: Record<string, unknown> } {
  if (a === undefined) return { options: asRecord(type, b) };
  if (a instanceof Tensor) {
    throw new ArgumentError(`${type}: argument 'params' expected an array of Tensors, given one Tensor (wrap it in an array: [t])`);
  }
  if (Array.isArray(a)) return { params: a as Tensor[], options: asRecord(type, b) };
  if (a !== null && typeof a === 'object' && typeof (a as Iterable<unknown>)[Symbol.iterator] === 'function') {
    return { params: Array.from(a as Iterable<Tensor>), options: asRecord(type, b) };
  }
  if (b !== undefined) {
    throw new ArgumentError(`${type}: expected (params, options) or (options), given ${describeValue(a)} and ${describeValue(b)}`);
  }
  return { options: asRecord(type, a) };
}

/** Checks a parameter list: Tensors, live, leaves, one backend, no duplicates. */
function checkParams(fn: string, params: unknown): Tensor[] {
  if (!Array.isArray(params)) throw new ArgumentError(`${fn}: argument 'params' expected an array of Tensors, given ${describeValue(params)}`);
  const seen = new Map<Tensor, number>();
  params.forEach((p: unknown, i: number) => {
    if (!(p instanceof Tensor)) throw new ArgumentError(`${fn}: parameter ${i} expected a Tensor, given ${describeValue(p)}`);
    const label = `parameter ${i}${p.name ? ` (${p.name})` : ''}`;
    if (p.disposed) throw new AxonError('DISPOSED', `${fn}: ${label} was disposed; expected a live tensor`);
    if (!p.isLeaf) throw new ArgumentError(`${fn}: ${label} is not a leaf tensor (it was computed from others); optimise the variables it came from`);
    const prev = seen.get(p);
    if (prev !== undefined) throw new ArgumentError(`${fn}: ${label} is the same tensor as parameter ${prev}; each parameter may appear only once`);
    seen.set(p, i);
    const first = params[0] as Tensor;
    if (p.backend !== first.backend) {
      throw new ArgumentError(`${fn}: ${label} lives on the '${p.backend.name}' backend but parameter 0 on '${first.backend.name}'`);
    }
  });
  return [...(params as Tensor[])];
}

/** A buffer given to loadState: a Float32Array or a plain number array. */
function asFloats(v: unknown): Float32Array | undefined {
  if (v instanceof Float32Array) return v;
  if (Array.isArray(v) && v.every((x) => typeof x === 'number')) return Float32Array.from(v as number[]);
  return undefined;
}

/**
 * Throws `AxonError('NON_FINITE')` naming the slot, the buffer and the first NaN/±Inf: a state
 * saved from a diverged run would otherwise resume into NaN weights at the first step.
 */
function checkFiniteBuffer(fn: string, slot: number, name: string, v: Float32Array): void {
  for (let j = 0; j < v.length; j++) {
    const x = v[j]!;
    if (x - x !== 0) {
      throw new AxonError('NON_FINITE', `${fn}: slot ${slot} buffer '${name}' holds ${x} at index ${j}; expected finite values (was the state saved after training diverged?)`);
    }
  }
}

/** See the file comment. */
export abstract class FusedOptimizer<C extends BaseConfig> extends Optimizer {
  /** Class name, e.g. 'Adam'. */
  readonly type: string;
  private readonly spec: OptimizerSpec<C>;
  private config: C;
  private slots: Array<Slot | undefined> = [];
  private bound = false;
  private clipper?: GradClipper;

  protected constructor(spec: OptimizerSpec<C>, a: unknown, b: unknown) {
    super();
    this.spec = spec;
    this.type = spec.type;
    const { params, options } = splitArgs(spec.type, a, b);
    checkOptions(spec.type, options, spec.keys);
    this.config = spec.parse(spec.type, options);
    if (params !== undefined) {
      this.params = checkParams(spec.type, params);
      this.bound = true;
    }
  }

  /** Current learning rate (≥ 0); schedules set it between steps. */
  get lr(): number {
    return this.config.lr;
  }

  set lr(v: number) {
    this.config.lr = checkNumberIn(`${this.type}.lr`, 'value', v, { min: 0 });
  }

  /** The parsed options (read-only view for subclasses and tests). */
  get options(): Readonly<C> {
    return this.config;
  }

  /**
   * Binds the parameters (compile does this) and frees the previous state. Binding the very
   * same list again (same tensors, same order) keeps the state, so a restored optimiser survives
   * a re-compile.
   */
  setParameters(params: readonly Tensor[]): void {
    const list = checkParams(`${this.type}.setParameters`, params);
    if (this.bound && list.length === this.params.length && list.every((p, i) => p === this.params[i])) return;
    this.freeState();
    this.params = list;
    this.stepCount = 0;
    this.bound = true;
  }

  /** One update of every parameter that has a gradient (see the file comment). */
  step(): void {
    const fn = `${this.type}.step`;
    if (!this.bound) {
      throw new ArgumentError(`${fn}: no parameters bound; pass them to the constructor (new ${this.type}(model.parameters(), options)) or compile the model with this optimiser`);
    }
    const params = this.params;
    // Check everything before touching any gradient or parameter.
    for (let i = 0; i < params.length; i++) {
      const p = params[i]!;
      const label = `parameter ${i}${p.name ? ` (${p.name})` : ''}`;
      if (p.disposed) throw new ArgumentError(`${fn}: ${label} was disposed`);
      const g = p.grad;
      if (!g) continue;
      if (g.disposed) throw new ArgumentError(`${fn}: the gradient of ${label} was disposed (use zeroGrad() to clear gradients)`);
      if (g.size !== p.size) throw new ShapeError(`${fn}: the gradient of ${label} has ${g.size} elements but the parameter has ${p.size}`);
      if (g.backend !== p.backend) throw new ArgumentError(`${fn}: the gradient of ${label} lives on the '${g.backend.name}' backend, the parameter on '${p.backend.name}'`);
    }
    const c = this.config;
    if (c.clipValue !== undefined) {
      for (const p of params) if (p.grad) p.backend.clip(p.grad.storage, p.grad.storage, p.size, -c.clipValue, c.clipValue);
    }
    if (c.clipNorm !== undefined && params.length > 0) {
      const clipper = (this.clipper ??= new GradClipper(params[0]!.backend, 2));
      clipper.reset();
      for (const p of params) if (p.grad) clipper.accumulate(p.grad.storage, p.size);
      clipper.finish(c.clipNorm);
      for (const p of params) if (p.grad) clipper.scale(p.grad.storage, p.size);
    }
    for (let i = 0; i < params.length; i++) {
      const p = params[i]!;
      const g = p.grad;
      if (!g) continue;
      const slot = this.slots[i] ?? this.newSlot(i);
      slot.step++;
      this.spec.update(p.backend, p.storage, g.storage, p.size, slot.bufs, slot.step, c);
    }
    this.stepCount++;
  }

  private newSlot(i: number): Slot {
    const p = this.params[i]!;
    const k = p.backend;
    const bufs: Record<string, Storage> = {};
    for (const name of this.spec.slotNames(this.config)) {
      const s = k.alloc(p.size);
      this.spec.initSlot?.(k, name, s, p.size, this.config);
      bufs[name] = s;
    }
    const slot = { step: 0, bufs };
    this.slots[i] = slot;
    return slot;
  }

  /** Hyperparameters as plain JSON (a fresh copy). */
  private optionsJson(): Record<string, unknown> {
    return JSON.parse(JSON.stringify(this.config)) as Record<string, unknown>;
  }

  /** `{ type, ...options }`: enough to rebuild the optimiser with `createOptimizer(config)`. */
  getConfig(): Record<string, unknown> {
    return { type: this.type, ...this.optionsJson() };
  }

  /**
   * A copy of the state. `slots[i]` exists for every bound parameter i: `{ step }` (a 1-element
   * Float32Array, as torch stores it) for parameters not updated yet, plus the buffers named by
   * the optimiser (e.g. Adam's `m`, `v`, `vMax`) once updated. Needs synchronous reads: on a
   * backend without them (webgpu) it throws an 'UNSUPPORTED' error; use {@link FusedOptimizer.stateAsync}.
   */
  state(): OptimizerState {
    const k = this.params[0]?.backend;
    if (k && this.slots.some((s) => s)) requireSyncReads(`${this.type}.state`, `await optimizer.stateAsync()`, k);
    return this.buildState((buf) => buf.readSync());
  }

  /** {@link FusedOptimizer.state} on every backend: the buffers are read with `await` (webgpu included), all at once. */
  override async stateAsync(): Promise<OptimizerState> {
    const bufs = this.slots.flatMap((s) => (s ? Object.values(s.bufs) : []));
    const values = await Promise.all(bufs.map((b) => b.read()));
    const byBuf = new Map(bufs.map((b, i) => [b, values[i]!]));
    return this.buildState((buf) => byBuf.get(buf)!);
  }

  private buildState(read: (buf: Storage) => Float32Array): OptimizerState {
    const slots: Record<number, Record<string, Float32Array>> = {};
    for (let i = 0; i < this.params.length; i++) {
      const s = this.slots[i];
      const entry: Record<string, Float32Array> = { step: Float32Array.of(s?.step ?? 0) };
      if (s) for (const [name, buf] of Object.entries(s.bufs)) entry[name] = read(buf);
      slots[i] = entry;
    }
    return { type: this.type, options: this.optionsJson(), step: this.stepCount, slots };
  }

  /**
   * Restores a state from {@link FusedOptimizer.state} (options included, like torch's
   * load_state_dict). Checks the type, the options, the parameter count and every buffer's
   * name, size and values (finite) before changing anything. Buffers may be Float32Arrays or
   * number arrays.
   */
  loadState(state: OptimizerState): void {
    const fn = `${this.type}.loadState`;
    if (state === null || typeof state !== 'object') throw new ArgumentError(`${fn}: argument 'state' expected an object from state(), given ${describeValue(state)}`);
    if (state.type !== this.type) throw new ArgumentError(`${fn}: the state is for ${describeValue(state.type)}, not '${this.type}'`);
    const opts = asRecord(fn, state.options, "the state's 'options'");
    checkOptions(fn, opts, this.spec.keys);
    const config = this.spec.parse(fn, opts);
    const step = checkNumberIn(fn, "the state's 'step'", state.step, { min: 0, integer: true });
    const raw = asRecord(fn, state.slots, "the state's 'slots'");
    const keys = Object.keys(raw);
    if (keys.length > 0 && !this.bound) {
      throw new ArgumentError(`${fn}: the state holds ${keys.length} parameters' slots but no parameters are bound; bind them first (constructor, setParameters or compile)`);
    }
    if (keys.length !== this.params.length) {
      throw new ArgumentError(`${fn}: the state is for ${keys.length} parameters but this optimiser has ${this.params.length}`);
    }
    const names = this.spec.slotNames(config);
    const valid = ['step', ...names];
    const loaded: Array<{ step: number; bufs: Record<string, Float32Array> } | undefined> = [];
    for (let i = 0; i < this.params.length; i++) {
      const p = this.params[i]!;
      const entry = raw[String(i)];
      if (entry === undefined) throw new ArgumentError(`${fn}: the state has no slot for parameter ${i} (its keys: ${keys.join(', ')})`);
      const e = asRecord(fn, entry, `slot ${i}`);
      const stepArr = typeof e['step'] === 'number' ? [e['step']] : asFloats(e['step']);
      const pStep = stepArr && stepArr.length === 1 ? stepArr[0] : undefined;
      checkNumberIn(fn, `slot ${i}'s 'step'`, pStep, { min: 0, integer: true });
      for (const key of Object.keys(e)) {
        if (!valid.includes(key)) throw new ArgumentError(`${fn}: slot ${i} has an unknown buffer '${key}'; ${this.type} with these options keeps: ${valid.join(', ')}`);
      }
      if (pStep === 0) {
        if (Object.keys(e).length > 1) throw new ArgumentError(`${fn}: slot ${i} has step 0 but holds buffers (${Object.keys(e).join(', ')})`);
        loaded.push(undefined);
        continue;
      }
      const bufs: Record<string, Float32Array> = {};
      for (const name of names) {
        const v = asFloats(e[name]);
        if (!v) throw new ArgumentError(`${fn}: slot ${i} lacks buffer '${name}' (expected a Float32Array of ${p.size} elements, given ${describeValue(e[name])})`);
        if (v.length !== p.size) throw new ShapeError(`${fn}: slot ${i} buffer '${name}' has ${v.length} elements but parameter ${i} has ${p.size}; expected the same size`);
        checkFiniteBuffer(fn, i, name, v);
        bufs[name] = v;
      }
      loaded.push({ step: pStep!, bufs });
    }
    // Everything checked: replace the state.
    this.freeSlots();
    this.config = config;
    this.stepCount = step;
    loaded.forEach((l, i) => {
      if (!l) return;
      const k = this.params[i]!.backend;
      const bufs: Record<string, Storage> = {};
      for (const [name, v] of Object.entries(l.bufs)) bufs[name] = k.upload(v);
      this.slots[i] = { step: l.step, bufs };
    });
  }

  private freeSlots(): void {
    for (const s of this.slots) if (s) for (const b of Object.values(s.bufs)) b.dispose();
    this.slots = [];
  }

  private freeState(): void {
    this.freeSlots();
    this.clipper?.dispose();
    this.clipper = undefined;
  }

  /** Frees the state buffers (the optimiser stays usable; state restarts from scratch). */
  dispose(): void {
    this.freeState();
  }
}
