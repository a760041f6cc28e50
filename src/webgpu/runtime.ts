/**
 * The WebGPU runtime under the kernels: buffer pools, the pipeline cache, command batching,
 * uniform parameter blocks, reads through a mapped staging buffer, and error reporting.
 *
 * Batching: kernel calls record compute passes (one per call, labelled with the kernel's name)
 * into one pending command encoder, whose parameters go into one uniform buffer (a 256-byte
 * slot per dispatch). The batch is submitted when the current JavaScript task ends (a
 * microtask), before any host write (`queue.writeBuffer` runs ahead of unsubmitted commands,
 * so it must not overtake them), by a read (its copy rides in the same submission), or when
 * the uniform buffer is full. One submission per training step instead of one per kernel
 * matters: every submission costs the driver a fence round trip.
 *
 * Errors: encoding runs inside a validation error scope per kernel call and the submission
 * inside validation / out-of-memory / internal scopes; an error is kept and thrown (as a
 * {@link WebGpuError} naming the kernel) by the next kernel call or read. A lost device makes
 * every later call throw with the reason.
 */
import { AxonError } from '../errors.js';
import { WebGpuError } from './errors.js';
import { BufferUsage, MAP_READ, type GpuBuffer, type GpuCommandEncoder, type GpuDevice, type GpuError, type GpuLostInfo } from './gputypes.js';
import { MATH } from './math.js';
import { PipelineCache, type Access } from './pipelines.js';
import { BufferPool } from './pool.js';

/** Scalar type of a uniform parameter. */
export type ParamType = 'u32' | 'i32' | 'f32';

/** A uniform parameter: name, type, value. */
export type Param = readonly [name: string, type: ParamType, value: number];

/** A storage binding of a pass. */
export interface Binding {
  /** Name the body uses as `$name` (an `array<elem>` in storage). */
  name: string;
  buf: GpuBuffer;
  /** True for outputs. Bindings of one buffer are merged into one read-write binding. */
  write?: boolean;
  /** Element type, default f32 (u32 to move bit patterns untouched). */
  elem?: 'f32' | 'u32';
}

/** One dispatch. */
export interface Pass {
  /** Pipeline cache key: kernel name and every compile-time specialisation the body depends on. */
  key: string;
  /** WGSL after the generated declarations, with `fn main`; bindings are written `$name`, parameters `P.name`. */
  body: () => string;
  bindings: readonly Binding[];
  /** Uniform parameters, readable as `P.name`. */
  params?: readonly Param[];
  /** Workgroups: a count (folded into 2-D when it exceeds the per-dimension limit). */
  groups: number;
  /** Prepend the WGSL math library. */
  math?: boolean;
}

/**
 * The entry point signature every body uses: `wid`, `nwg` and `lid`; the linear workgroup index
 * is `wid.x + wid.y * nwg.x`.
 */
export function entry(workgroupSize: number): string {
  return `@compute @workgroup_size(${workgroupSize})
fn main(@builtin(workgroup_id) wid: vec3<u32>, @builtin(num_workgroups) nwg: vec3<u32>, @builtin(local_invocation_index) lid: u32)`;
}

/** Packs parameters into a uniform block (4 bytes each, padded to 16). */
function pack(params: readonly Param[]): ArrayBuffer {
  const bytes = Math.max(16, Math.ceil((params.length * 4) / 16) * 16);
  const view = new DataView(new ArrayBuffer(bytes));
  params.forEach(([, type, value], i) => {
    if (type === 'f32') view.setFloat32(4 * i, value, true);
    else if (type === 'i32') view.setInt32(4 * i, value, true);
    else view.setUint32(4 * i, value >>> 0, true);
  });
  return view.buffer;
}

/** The WGSL `struct Params` of a parameter list, padded like {@link pack}. */
function paramsStruct(params: readonly Param[]): string {
  const fields = params.map(([name, type]) => `${name}: ${type}`);
  const padded = Math.max(4, Math.ceil(params.length / 4) * 4);
  for (let i = params.length; i < padded; i++) fields.push(`_pad${i}: u32`);
  return `struct Params { ${fields.join(', ')} }`;
}

/** Bytes of one dispatch's parameter slot (WebGPU's minimum uniform-offset alignment). */
const SLOT = 256;
/** Dispatches per batch (the uniform buffer holds one slot each). */
const SLOTS = 256;

/** The commands recorded since the last submission. */
interface Batch {
  encoder: GpuCommandEncoder;
  /** Uniform buffer of this batch and its host image. */
  params: GpuBuffer;
  image: Uint8Array;
  slots: number;
  /** Kernel names, for errors reported at submission. */
  kernels: string[];
}

/** Device, pools and pipelines of one backend instance. */
export class GpuRuntime {
  readonly pipelines: PipelineCache;
  readonly storage: BufferPool;
  /** A small storage buffer bound where a kernel's optional input is absent. */
  readonly dummy: GpuBuffer;
  private readonly staging: BufferPool;
  private readonly uniforms: BufferPool;
  private readonly maxGroups: number;
  private lostInfo: GpuLostInfo | undefined;
  private pending: Error | undefined;
  private readonly scopes = new Set<Promise<void>>();
  private batch: Batch | undefined;
  private destroyed = false;

  constructor(readonly device: GpuDevice) {
    const maxBuffer = device.limits['maxBufferSize'] ?? 256 * 2 ** 20;
    this.pipelines = new PipelineCache(device);
    this.storage = new BufferPool(device, BufferUsage.STORAGE | BufferUsage.COPY_SRC | BufferUsage.COPY_DST, maxBuffer, 512 * 2 ** 20, 'axon storage');
    this.staging = new BufferPool(device, BufferUsage.MAP_READ | BufferUsage.COPY_DST, maxBuffer, 64 * 2 ** 20, 'axon staging');
    this.uniforms = new BufferPool(device, BufferUsage.UNIFORM | BufferUsage.COPY_DST, SLOT * SLOTS, 4 * SLOT * SLOTS, 'axon params');
    this.maxGroups = device.limits['maxComputeWorkgroupsPerDimension'] ?? 65535;
    this.dummy = device.createBuffer({ size: 64, usage: BufferUsage.STORAGE, label: 'axon dummy' });
    device.lost.then((info) => {
      if (!this.destroyed) this.lostInfo = info;
    });
    device.addEventListener?.('uncapturederror', (ev) => this.record('(uncaptured)', ev.error));
  }

  /** Throws if the device is lost, the backend disposed, or an earlier kernel failed. */
  check(kernel: string): void {
    if (this.destroyed) throw new WebGpuError(kernel, 'the webgpu backend has been disposed', 'DISPOSED');
    if (this.lostInfo) {
      throw new WebGpuError(kernel, `the GPU device was lost (${this.lostInfo.reason || 'unknown reason'}: ${this.lostInfo.message}); call init({ backend: 'webgpu' }) again for a new device`);
    }
    // Out-of-memory reports of buffer creations (AxonError 'OUT_OF_MEMORY' naming the size).
    const p = this.pending ?? this.storage.takeFailure() ?? this.staging.takeFailure() ?? this.uniforms.takeFailure();
    if (p) {
      this.pending = undefined;
      throw p;
    }
  }

  private record(kernel: string, err: GpuError): void {
    const kind = err.constructor?.name ?? 'GPUError';
    this.pending ??= kind === 'GPUOutOfMemoryError' ? new AxonError('OUT_OF_MEMORY', `webgpu ${kernel}: the device is out of memory (${err.message})`) : new WebGpuError(kernel, `${kind}: ${err.message}`);
  }

  /** Tracks the popped scopes of one operation; an error is recorded against `blame(error)`. */
  private watch(pops: Promise<GpuError | null>[], blame: (e: GpuError) => string): void {
    const done: Promise<void> = Promise.all(pops).then(
      (errs) => {
        for (const e of errs) if (e) this.record(blame(e), e);
      },
      (e: Error) => {
        if (!this.destroyed && !this.lostInfo) this.pending ??= new WebGpuError(blame({ message: '' }), `error scope failed: ${e.message}`);
      },
    );
    this.scopes.add(done);
    void done.finally(() => this.scopes.delete(done));
  }

  /** Waits for the error reports of every call so far and throws the first error, if any. */
  async settle(kernel: string): Promise<void> {
    while (this.scopes.size > 0) await Promise.all([...this.scopes]);
    await Promise.all([this.storage.settled(), this.staging.settled(), this.uniforms.settled()]);
    this.check(kernel);
  }

  /** Resolves when every recorded command has run; rejects with the first GPU error. */
  async flush(): Promise<void> {
    this.check('flush');
    this.submit();
    await this.device.queue.onSubmittedWorkDone();
    await this.settle('flush');
  }

  /** The open batch (a new one when none is open or the open one is full). */
  private open(kernel: string): Batch {
    if (this.batch && this.batch.slots >= SLOTS) this.submit();
    if (!this.batch) {
      this.batch = {
        encoder: this.device.createCommandEncoder({ label: 'axon batch' }),
        params: this.uniforms.acquire(SLOT * SLOTS),
        image: new Uint8Array(SLOT * SLOTS),
        slots: 0,
        kernels: [],
      };
      queueMicrotask(() => {
        if (!this.destroyed) this.submit();
      });
    }
    this.batch.kernels.push(kernel);
    return this.batch;
  }

  /** Submits the recorded commands (their parameters first). */
  submit(): void {
    const b = this.batch;
    if (!b) return;
    this.batch = undefined;
    const d = this.device;
    d.pushErrorScope('internal');
    d.pushErrorScope('out-of-memory');
    d.pushErrorScope('validation');
    if (b.slots > 0) d.queue.writeBuffer(b.params, 0, b.image, 0, b.slots * SLOT);
    d.queue.submit([b.encoder.finish()]);
    this.uniforms.release(b.params);
    const kernels = [...new Set(b.kernels)];
    this.watch([d.popErrorScope(), d.popErrorScope(), d.popErrorScope()], (e) => {
      // Encoding errors surface at submission; the compute pass's label names the kernel.
      const m = /ComputePassEncoder "([^"]+)"/.exec(e.message);
      return m ? m[1]! : kernels.length === 1 ? kernels[0]! : `one of ${kernels.join(', ')}`;
    });
  }

  private grid(groups: number): [number, number] {
    if (groups <= this.maxGroups) return [groups, 1];
    return [this.maxGroups, Math.ceil(groups / this.maxGroups)];
  }

  /**
   * The bindings of a pass with each distinct buffer bound once: WebGPU rejects two writable
   * bindings of one buffer, so an in-place call (out === x) binds the buffer once, read-write,
   * and the body's `$x` and `$out` both name it.
   */
  private layoutOf(p: Pass): { unique: Binding[]; access: Access[]; names: Map<string, string>; signature: string } {
    const unique: Binding[] = [];
    const access: Access[] = [];
    const names = new Map<string, string>();
    const alias: string[] = [];
    for (const b of p.bindings) {
      const j = unique.findIndex((u) => u.buf === b.buf);
      if (j < 0) {
        unique.push(b);
        access.push(b.write ? 'rw' : 'r');
        names.set(b.name, `b_${b.name}`);
        continue;
      }
      const first = unique[j]!;
      if ((first.elem ?? 'f32') !== (b.elem ?? 'f32')) throw new WebGpuError(p.key, `bindings '${first.name}' and '${b.name}' share a buffer with different element types`);
      if (b.write) access[j] = 'rw';
      names.set(b.name, `b_${first.name}`);
      alias.push(`${b.name}=${first.name}`);
    }
    return { unique, access, names, signature: alias.join(',') };
  }

  private source(p: Pass, unique: readonly Binding[], access: readonly Access[], names: ReadonlyMap<string, string>): string {
    const params = p.params ?? [];
    const decls = unique.map(
      (b, i) => `@group(0) @binding(${i}) var<storage, ${access[i] === 'rw' ? 'read_write' : 'read'}> b_${b.name}: array<${b.elem ?? 'f32'}>;`,
    );
    if (params.length > 0) decls.push(`${paramsStruct(params)}\n@group(0) @binding(${unique.length}) var<uniform> P: Params;`);
    const body = p.body().replace(/\$(\w+)/g, (_, name: string) => {
      const id = names.get(name);
      if (!id) throw new WebGpuError(p.key, `the shader refers to $${name}, which is not a binding`);
      return id;
    });
    return `${p.math ? MATH : ''}\n${decls.join('\n')}\n${body}`;
  }

  /** Records `passes` as one compute pass labelled `kernel` (submitted with the batch). */
  run(kernel: string, passes: readonly Pass[]): void {
    this.check(kernel);
    const d = this.device;
    const b = this.open(kernel);
    d.pushErrorScope('validation');
    try {
      const cp = b.encoder.beginComputePass({ label: kernel });
      for (const p of passes) {
        if (p.groups <= 0) continue;
        if (b.slots >= SLOTS) throw new WebGpuError(kernel, `more than ${SLOTS} dispatches in one call`);
        const [gx, gy] = this.grid(p.groups);
        const { unique, access, names, signature } = this.layoutOf(p);
        const params = p.params ?? [];
        const { pipeline, layout } = this.pipelines.get(`${p.key}|${signature}`, access, params.length > 0, () => this.source(p, unique, access, names));
        const entries = unique.map((u, i) => ({ binding: i, resource: { buffer: u.buf } as { buffer: GpuBuffer; offset?: number; size?: number } }));
        if (params.length > 0) {
          const data = pack(params);
          const offset = b.slots++ * SLOT;
          b.image.set(new Uint8Array(data), offset);
          entries.push({ binding: unique.length, resource: { buffer: b.params, offset, size: data.byteLength } });
        }
        cp.setPipeline(pipeline);
        cp.setBindGroup(0, d.createBindGroup({ layout, entries, label: p.key }));
        cp.dispatchWorkgroups(gx, gy);
      }
      cp.end();
    } finally {
      this.watch([d.popErrorScope()], () => kernel);
    }
  }

  /** Zero-fills `bytes` bytes of `buf` from the start (recorded in the batch). */
  clear(buf: GpuBuffer, bytes: number): void {
    if (bytes === 0) return;
    this.open('alloc').encoder.clearBuffer(buf, 0, Math.ceil(bytes / 4) * 4);
  }

  /** Copies `bytes` bytes between distinct buffers (recorded in the batch). */
  copy(kernel: string, src: GpuBuffer, srcOffset: number, dst: GpuBuffer, dstOffset: number, bytes: number): void {
    this.check(kernel);
    if (bytes === 0) return;
    this.open(kernel).encoder.copyBufferToBuffer(src, srcOffset, dst, dstOffset, bytes);
  }

  /** Writes host data into `buf` at byte `offset`, after every command recorded so far. */
  write(kernel: string, buf: GpuBuffer, offset: number, data: Float32Array): void {
    this.check(kernel);
    if (data.length === 0) return;
    this.submit();
    const d = this.device;
    d.pushErrorScope('validation');
    d.queue.writeBuffer(buf, offset, data);
    this.watch([d.popErrorScope()], () => kernel);
  }

  /** The first `bytes` bytes of `buf`, once every recorded command has run. */
  async read(buf: GpuBuffer, bytes: number): Promise<Float32Array> {
    this.check('read');
    if (bytes === 0) {
      this.submit();
      await this.settle('read');
      return new Float32Array(0);
    }
    const staging = this.staging.acquire(bytes);
    this.open('read').encoder.copyBufferToBuffer(buf, 0, staging, 0, bytes);
    this.submit();
    try {
      await staging.mapAsync(MAP_READ, 0, bytes);
    } catch (e) {
      this.check('read');
      throw new WebGpuError('read', `mapping the staging buffer failed: ${(e as Error).message}`);
    }
    const out = new Float32Array(staging.getMappedRange(0, bytes).slice(0));
    staging.unmap();
    this.staging.release(staging);
    await this.settle('read');
    return out;
  }

  /** Frees every buffer and the device (recorded, unsubmitted commands are dropped). */
  destroy(): void {
    if (this.destroyed) return;
    this.destroyed = true;
    this.batch = undefined;
    this.pipelines.clear();
    this.storage.destroyAll();
    this.staging.destroyAll();
    this.uniforms.destroyAll();
    this.dummy.destroy();
    this.device.destroy();
  }
}
