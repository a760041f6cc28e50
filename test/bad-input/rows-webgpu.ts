/**
 * Bad-input rows of `axonjs/webgpu`, and the subset of the matrix that also runs on the webgpu
 * backend itself (Dawn on SwiftShader, where available): kernel handle checks, op argument
 * checks, deferred label and probability checks, fit's finite check of tensor data (read
 * asynchronously) and the refused synchronous read.
 */
import * as ax from '../../src/index.js';
import * as wg from '../../src/webgpu.js';
import { disposed, foreignExpect, invalid, noInput, nonFinite, option, prepped, row, shape, type Row, type Table } from './harness.js';

export const WEBGPU_ROWS: Table = {
  WebGpuBackend: [
    row('create: a gpu object without requestAdapter', () => wg.WebGpuBackend.create({ gpu: {} }), { code: 'UNSUPPORTED', fn: 'webgpu', given: /requestAdapter/ }),
    row('create: unknown option', () => wg.WebGpuBackend.create({ gpuu: {} } as never), option('WebGpuBackend.create', 'gpuu', 'gpu')),
  ],
  WebGpuError: [
    row('is an AxonError naming the kernel', () => {
      throw new wg.WebGpuError('gemm', 'GPUValidationError: buffer size 1073741824 exceeds the max buffer size');
    }, { code: ['OUT_OF_MEMORY', 'UNSUPPORTED', 'INVALID_ARGUMENT'], fn: 'gemm', given: '1073741824' }),
  ],
  probeWebGpu: noInput('never throws by design: any input yields { available: false, reason }'),
  registerWebGpu: noInput('takes no arguments; registers the webgpu backend factory'),
  REQUIRED_LIMITS: noInput('constant: the adapter limits the kernels need'),
};

/** Rows run on the webgpu backend (kept small: SwiftShader compiles a pipeline per new kernel). */
export const WEBGPU_SUBSET: Record<string, Row[]> = {
  kernels: [
    row('storage of another backend', (fx) => fx.k.fill(fx.otherStore, 4, 1), invalid('fill', 'out', /backend/)),
    row('disposed storage', (fx) => fx.k.copy(fx.goneStore, fx.store, 4), disposed('copy', 'x')),
    row('negative size', (fx) => fx.k.fill(fx.store, -1, 0), invalid('fill', 'n', '-1')),
    row('size past the storage', (fx) => fx.k.fill(fx.store, 100, 0), shape('fill', 'out', '4')),
  ],
  ops: [
    row('wrong type', (fx) => ax.add(fx.x, 'x' as never), invalid('add', 'b', '"x"')),
    row('disposed tensor', (fx) => ax.exp(fx.gone), disposed('exp', 'x')),
    row('tensor of another backend', (fx) => ax.matmul(fx.x, fx.foreign), foreignExpect('matmul', 'b')),
    row('shapes that do not broadcast', (fx) => ax.add(fx.x, [[1, 2]]), shape('add', undefined, '[1, 2]')),
    row('dataSync', (fx) => fx.x.dataSync(), { code: 'UNSUPPORTED', fn: 'dataSync', given: /webgpu/ }),
  ],
  training: [
    row('label out of range', (fx) => ax.crossEntropy(fx.x, [0, 7]), invalid('crossEntropy', 'label', '7')),
    row('fit: unknown option', (fx) => fx.model.fit(fx.hostX, fx.hostY, { epoch: 1 } as never), option('fit', 'epoch', 'epochs')),
    row('fit: label out of range', (fx) => fx.model.fit(fx.hostX, [0, 1, 2, 0, 1, 9]), invalid('fit', 'y', '9')),
    row('fit: NaN features', (fx) => fx.model.fit([[NaN, 0, 0], ...fx.hostX.slice(1)], fx.hostY), nonFinite('fit', "'x'", /NaN at flat index 0/)),
    row('fit: ±Inf in a tensor x (read asynchronously)', (fx) => fx.model.fit(fx.inf, [0, 1]), nonFinite('fit', "'x'", /Infinity at flat index 1/)),
    row('binaryCrossEntropy: probabilities outside [0, 1], reported by the next data()', async (fx) => {
      const loss = ax.binaryCrossEntropy(fx.x, [[0, 0, 0], [1, 1, 1]]);
      try {
        await loss.data();
      } finally {
        loss.dispose();
      }
    }, invalid('binaryCrossEntropy', 'prob', /given 2 at index 1.*asynchronous check/)),
    prepped('binaryCrossEntropy: target array outside [0, 1], at once', (fx) => {
      const p = fx.x.div(10);
      return () => ax.binaryCrossEntropy(p, [[0, 0, 0], [1, 2, 1]]);
    }, invalid('binaryCrossEntropy', 'target', 'given 2 at index 4')),
  ],
};
