/** Every tensor op, as free functions (`ax.add(a, b)`); Tensor methods alias these. */
export * from './create.js';
export * from './arithmetic.js';
export * from './reduce.js';
export * from './shape.js';
export * from './matmul.js';
export * from './activations.js';
