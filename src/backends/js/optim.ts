/**
 * Fused optimiser updates with PyTorch 1.13's rules (torch.optim, single-tensor path), one
 * parameter tensor of n elements per call. Math in float64; parameters and state are stored
 * as float32 after every step, as torch keeps them.
 */

/** Options of {@link sgdStep}. */
export interface SgdOptions {
  lr: number;
  momentum?: number;
  dampening?: number;
  nesterov?: boolean;
  weightDecay?: number;
  /** First step: the momentum buffer is set to the gradient (no dampening), as torch does. */
  firstStep?: boolean;
}

/**
 * torch.optim.SGD: g += wd·p; with momentum, buf = firstStep ? g : μ·buf + (1−τ)·g and the
 * step direction is buf, or g + μ·buf with Nesterov; p −= lr·direction.
 */
export function sgdStep(param: Float32Array, grad: Float32Array, momentumBuffer: Float32Array | undefined, n: number, o: SgdOptions): void {
  const { lr, momentum = 0, dampening = 0, nesterov = false, weightDecay = 0, firstStep = false } = o;
  for (let i = 0; i < n; i++) {
    let g = grad[i]!;
    if (weightDecay !== 0) g += weightDecay * param[i]!;
    if (momentum !== 0 && momentumBuffer) {
      const buf = Math.fround(firstStep ? g : momentum * momentumBuffer[i]! + (1 - dampening) * g);
      momentumBuffer[i] = buf;
      g = nesterov ? g + momentum * buf : buf;
    }
    param[i] = param[i]! - lr * g;
  }
}

/** Options of {@link adamStep}. */
export interface AdamOptions {
  lr: number;
  beta1: number;
  beta2: number;
  eps: number;
  /** 1-based step count after the increment. */
  step: number;
  weightDecay?: number;
  /** AdamW: p *= 1 − lr·wd before the update, instead of the L2 gradient term. */
  decoupled?: boolean;
  amsgrad?: boolean;
}

/**
 * torch.optim.Adam / AdamW: m = β1·m + (1−β1)·g, v = β2·v + (1−β2)·g²,
 * p −= lr/(1−β1ᵗ) · m / (sqrt(v̂)/sqrt(1−β2ᵗ) + eps), v̂ = v or the running max of v (AMSGrad).
 */
export function adamStep(param: Float32Array, grad: Float32Array, m: Float32Array, v: Float32Array, vMax: Float32Array | undefined, n: number, o: AdamOptions): void {
  const { lr, beta1, beta2, eps, step, weightDecay = 0, decoupled = false, amsgrad = false } = o;
  const stepSize = lr / (1 - beta1 ** step);
  const bc2Sqrt = Math.sqrt(1 - beta2 ** step);
  for (let i = 0; i < n; i++) {
    let p = param[i]!;
    let g = grad[i]!;
    if (weightDecay !== 0) {
      if (decoupled) p = Math.fround(p * (1 - lr * weightDecay));
      else g += weightDecay * p;
    }
    const mi = Math.fround(beta1 * m[i]! + (1 - beta1) * g);
    const vi = Math.fround(beta2 * v[i]! + (1 - beta2) * g * g);
    m[i] = mi;
    v[i] = vi;
    let vHat = vi;
    if (amsgrad && vMax) {
      vHat = Math.max(vMax[i]!, vi);
      vMax[i] = vHat;
    }
    param[i] = p - (stepSize * mi) / (Math.sqrt(vHat) / bc2Sqrt + eps);
  }
}

/** Options of {@link rmspropStep}. */
export interface RmspropOptions {
  lr: number;
  alpha: number;
  eps: number;
  weightDecay?: number;
  momentum?: number;
  centered?: boolean;
}

/**
 * torch.optim.RMSprop: s = α·s + (1−α)·g²; centered: ḡ = α·ḡ + (1−α)·g, avg = sqrt(s − ḡ²) + eps,
 * else sqrt(s) + eps; momentum: buf = μ·buf + g/avg, p −= lr·buf; else p −= lr·g/avg.
 */
export function rmspropStep(param: Float32Array, grad: Float32Array, squareAvg: Float32Array, gradAvg: Float32Array | undefined, momentumBuffer: Float32Array | undefined, n: number, o: RmspropOptions): void {
  const { lr, alpha, eps, weightDecay = 0, momentum = 0, centered = false } = o;
  for (let i = 0; i < n; i++) {
    let g = grad[i]!;
    if (weightDecay !== 0) g += weightDecay * param[i]!;
    const s = Math.fround(alpha * squareAvg[i]! + (1 - alpha) * g * g);
    squareAvg[i] = s;
    let avg: number;
    if (centered && gradAvg) {
      const ga = Math.fround(alpha * gradAvg[i]! + (1 - alpha) * g);
      gradAvg[i] = ga;
      avg = Math.sqrt(s - ga * ga) + eps;
    } else {
      avg = Math.sqrt(s) + eps;
    }
    if (momentum > 0 && momentumBuffer) {
      const buf = Math.fround(momentum * momentumBuffer[i]! + g / avg);
      momentumBuffer[i] = buf;
      param[i] = param[i]! - lr * buf;
    } else {
      param[i] = param[i]! - (lr * g) / avg;
    }
  }
}

/**
 * torch.optim.Adagrad: sum += g², p −= lr·g/(sqrt(sum) + eps). `lr` is already decayed:
 * `lr / (1 + (step − 1)·lrDecay)`.
 */
export function adagradStep(param: Float32Array, grad: Float32Array, sum: Float32Array, n: number, lr: number, eps: number, weightDecay = 0): void {
  for (let i = 0; i < n; i++) {
    let g = grad[i]!;
    if (weightDecay !== 0) g += weightDecay * param[i]!;
    const s = Math.fround(sum[i]! + g * g);
    sum[i] = s;
    param[i] = param[i]! - (lr * g) / (Math.sqrt(s) + eps);
  }
}

/**
 * torch.optim.Adadelta: s = ρ·s + (1−ρ)·g², δ = sqrt(acc + eps)/sqrt(s + eps)·g,
 * acc = ρ·acc + (1−ρ)·δ², p −= lr·δ.
 */
export function adadeltaStep(param: Float32Array, grad: Float32Array, squareAvg: Float32Array, accDelta: Float32Array, n: number, lr: number, rho: number, eps: number, weightDecay = 0): void {
  for (let i = 0; i < n; i++) {
    let g = grad[i]!;
    if (weightDecay !== 0) g += weightDecay * param[i]!;
    const s = Math.fround(rho * squareAvg[i]! + (1 - rho) * g * g);
    squareAvg[i] = s;
    const delta = (Math.sqrt(accDelta[i]! + eps) / Math.sqrt(s + eps)) * g;
    accDelta[i] = rho * accDelta[i]! + (1 - rho) * delta * delta;
    param[i] = param[i]! - lr * delta;
  }
}
