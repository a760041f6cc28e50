/**
 * The small part of the WebGPU API the backend uses, typed here so that neither the core nor
 * the published `.d.ts` files depend on `@webgpu/types`. The numeric flags are fixed by the
 * WebGPU specification.
 */

/** `GPUBufferUsage` flags. */
export const BufferUsage = {
  MAP_READ: 0x0001,
  COPY_SRC: 0x0004,
  COPY_DST: 0x0008,
  UNIFORM: 0x0040,
  STORAGE: 0x0080,
} as const;

/** `GPUMapMode.READ`. */
export const MAP_READ = 0x0001;

/** `GPUShaderStage.COMPUTE`. */
export const STAGE_COMPUTE = 0x4;

/** An error reported by an error scope or the uncaptured-error event. */
export interface GpuError {
  readonly message: string;
  readonly constructor?: { name?: string };
}

/** `GPUDeviceLostInfo`. */
export interface GpuLostInfo {
  readonly reason: string;
  readonly message: string;
}

/** `GPUBuffer`. */
export interface GpuBuffer {
  readonly size: number;
  mapAsync(mode: number, offset?: number, size?: number): Promise<void>;
  getMappedRange(offset?: number, size?: number): ArrayBuffer;
  unmap(): void;
  destroy(): void;
}

/** `GPUBindGroupLayout` (opaque). */
export type GpuBindGroupLayout = object;
/** `GPUBindGroup` (opaque). */
export type GpuBindGroup = object;
/** `GPUShaderModule`. */
export interface GpuShaderModule {
  getCompilationInfo?(): Promise<{ messages: readonly { type: string; message: string; lineNum: number; linePos: number }[] }>;
}

/** `GPUComputePipeline`. */
export interface GpuComputePipeline {
  getBindGroupLayout(index: number): GpuBindGroupLayout;
}

/** `GPUComputePassEncoder`. */
export interface GpuComputePass {
  setPipeline(p: GpuComputePipeline): void;
  setBindGroup(index: number, group: GpuBindGroup): void;
  dispatchWorkgroups(x: number, y?: number, z?: number): void;
  end(): void;
}

/** `GPUCommandBuffer` (opaque). */
export type GpuCommandBuffer = object;

/** `GPUCommandEncoder`. */
export interface GpuCommandEncoder {
  beginComputePass(desc?: { label?: string }): GpuComputePass;
  copyBufferToBuffer(src: GpuBuffer, srcOffset: number, dst: GpuBuffer, dstOffset: number, size: number): void;
  clearBuffer(buffer: GpuBuffer, offset?: number, size?: number): void;
  finish(): GpuCommandBuffer;
}

/** `GPUQueue`. */
export interface GpuQueue {
  submit(buffers: GpuCommandBuffer[]): void;
  writeBuffer(buffer: GpuBuffer, offset: number, data: ArrayBufferView | ArrayBuffer, dataOffset?: number, size?: number): void;
  onSubmittedWorkDone(): Promise<void>;
}

/** `GPUSupportedLimits` as a plain record. */
export type GpuLimits = Record<string, number>;

/** `GPUDevice`. */
export interface GpuDevice {
  readonly limits: GpuLimits;
  readonly queue: GpuQueue;
  readonly lost: Promise<GpuLostInfo>;
  createBuffer(desc: { size: number; usage: number; label?: string; mappedAtCreation?: boolean }): GpuBuffer;
  createShaderModule(desc: { code: string; label?: string }): GpuShaderModule;
  createBindGroupLayout(desc: { entries: { binding: number; visibility: number; buffer: { type: 'uniform' | 'storage' | 'read-only-storage' } }[]; label?: string }): GpuBindGroupLayout;
  createPipelineLayout(desc: { bindGroupLayouts: GpuBindGroupLayout[]; label?: string }): object;
  createComputePipeline(desc: { layout: object | 'auto'; compute: { module: GpuShaderModule; entryPoint: string }; label?: string }): GpuComputePipeline;
  createBindGroup(desc: { layout: GpuBindGroupLayout; entries: { binding: number; resource: { buffer: GpuBuffer; offset?: number; size?: number } }[]; label?: string }): GpuBindGroup;
  createCommandEncoder(desc?: { label?: string }): GpuCommandEncoder;
  pushErrorScope(filter: 'validation' | 'out-of-memory' | 'internal'): void;
  popErrorScope(): Promise<GpuError | null>;
  addEventListener?(type: 'uncapturederror', listener: (ev: { error: GpuError }) => void): void;
  destroy(): void;
}

/** `GPUAdapter`. */
export interface GpuAdapter {
  readonly limits: GpuLimits;
  readonly features?: { has(name: string): boolean };
  readonly info?: { vendor?: string; architecture?: string; device?: string; description?: string };
  requestDevice(desc?: { requiredLimits?: Record<string, number>; requiredFeatures?: string[]; label?: string }): Promise<GpuDevice>;
}

/** `GPU` (`navigator.gpu`). */
export interface Gpu {
  requestAdapter(options?: { powerPreference?: 'low-power' | 'high-performance' }): Promise<GpuAdapter | null>;
}
