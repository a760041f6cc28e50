/** Every tensor op, as free functions (`ax.add(a, b)`); Tensor methods alias these. */
export * from './create.js';
export * from './arithmetic.js';
export * from './reduce.js';
export * from './shape.js';
export * from './matmul.js';
export * from './activations.js';
export * from './math.js';
export * from './elementwise.js';
export * from './softmax.js';
export * from './transpose.js';
export * from './slice.js';
export * from './concat.js';
export * from './extrema.js';
export * from './onehot.js';
export { setConvWorkspaceLimit, DEFAULT_CONV_WORKSPACE, type Padding2d, type Size2d } from './conv-geometry.js';
export { conv2d, toChannelsLast, toChannelsFirst, type Conv2dOptions } from './conv.js';
export { maxPool2d, avgPool2d, globalAvgPool2d, type MaxPool2dOptions, type AvgPool2dOptions } from './pool.js';
