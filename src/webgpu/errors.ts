/**
 * Errors of the WebGPU backend: GPU-side failures (validation, out of memory, device loss)
 * reported with the kernel that caused them, and the refusal of synchronous reads.
 */
import { AxonError, type AxonErrorCode } from '../errors.js';

/**
 * A GPU-side failure of a kernel (validation error, internal error, lost device): an
 * {@link AxonError} with code 'UNSUPPORTED' unless given another ('OUT_OF_MEMORY' for a GPU
 * out-of-memory report).
 */
export class WebGpuError extends AxonError {
  /** The kernel (or memory operation) that failed, e.g. 'gemm', 'read'. */
  readonly kernel: string;
  constructor(kernel: string, message: string, code: AxonErrorCode = 'UNSUPPORTED') {
    super(code, `webgpu ${kernel}: ${message}`);
    this.name = 'WebGpuError';
    this.kernel = kernel;
  }
}

/**
 * Thrown by `readSync()` / `dataSync()` on the webgpu backend: GPU memory can only be read
 * asynchronously. An {@link AxonError} with code 'UNSUPPORTED', so callers that can do without
 * the values (host-side label checks) recognise it.
 */
export function syncReadError(): AxonError {
  return new AxonError(
    'UNSUPPORTED',
    "dataSync/readSync: the 'webgpu' backend cannot read GPU memory synchronously; use `await tensor.data()` (or `await tensor.array()`), the one point where a WebGPU program waits for the GPU",
  );
}
