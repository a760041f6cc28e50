// Fused optimiser updates: one pass over param, grad and the state buffers per step, following
// torch.optim (1.13) single-tensor rules and operation order in float32 with the scalar
// hyper-parameters computed in float64 and rounded once, as torch does. ABI: bindings/abi.ts.
//
// Each update is written once as a four-lane body over pointers. The last n mod 4 elements are
// copied into a zero-padded scratch block, run through the same body and copied back, so the
// tail gets exactly the same arithmetic as the rest. The block (five 16-byte slots: param, grad
// and up to three state buffers) is per thread: see assembly/scratch.ts.

import { OPT_TAIL as TAIL } from './scratch';

@inline function slot(k: i32): usize {
  return TAIL + (<usize>k << 4);
}

/** Copies the `r` (< 4) floats at `p` into slot k, zero-padded; returns the slot (or 0 for p = 0). */
function tailIn(k: i32, p: usize, r: i32): usize {
  if (!p) return 0;
  const s = slot(k);
  v128.store(s, f32x4.splat(0));
  for (let i = 0; i < r; i++) store<f32>(s + (<usize>i << 2), load<f32>(p + (<usize>i << 2)));
  return s;
}

function tailOut(k: i32, p: usize, r: i32): void {
  if (!p) return;
  const s = slot(k);
  for (let i = 0; i < r; i++) store<f32>(p + (<usize>i << 2), load<f32>(s + (<usize>i << 2)));
}

// Flags selecting the optional parts of an update (constant over a call, so the branches on
// them in the loop bodies are perfectly predicted).
const HAS_WD = 1;
const HAS_MOM = 2;
const NESTEROV = 4;
const FIRST = 8;
const DECOUPLED = 16;
const AMSGRAD = 32;
const CENTERED = 64;

// The step constants reach the @inline bodies as splatted vectors made once per call.

// ---- SGD ----------------------------------------------------------------------------------

@inline function sgdBody(p: usize, g: usize, buf: usize, flags: i32, wd: v128, mom: v128, damp1: v128, negLr: v128): void {
  const pv = v128.load(p);
  let d = v128.load(g);
  if (flags & HAS_WD) d = f32x4.add(d, f32x4.mul(wd, pv));
  if (flags & HAS_MOM) {
    const b = flags & FIRST ? d : f32x4.add(f32x4.mul(v128.load(buf), mom), f32x4.mul(damp1, d));
    v128.store(buf, b);
    d = flags & NESTEROV ? f32x4.add(d, f32x4.mul(mom, b)) : b;
  }
  v128.store(p, f32x4.add(pv, f32x4.mul(negLr, d)));
}

/**
 * torch.optim.SGD on n elements: g += wd·p; with momentum, buf = g on the first step else
 * momentum·buf + (1 − dampening)·g, and g = g + momentum·buf (Nesterov) or buf; p −= lr·g.
 * `momentumBuffer` may be 0 when momentum is 0.
 */
export function sgdStep_f32(param: usize, grad: usize, momentumBuffer: usize, n: i32, lr: f64, momentum: f64, dampening: f64, nesterov: i32, weightDecay: f64, firstStep: i32): void {
  const flags = (weightDecay != 0 ? HAS_WD : 0) | (momentum != 0 && momentumBuffer ? HAS_MOM : 0) | (nesterov ? NESTEROV : 0) | (firstStep ? FIRST : 0);
  const wd = f32x4.splat(<f32>weightDecay), mom = f32x4.splat(<f32>momentum);
  const damp1 = f32x4.splat(<f32>(1 - dampening)), negLr = f32x4.splat(<f32>(-lr));
  const useBuf = flags & HAS_MOM;
  let i = 0;
  for (; i + 4 <= n; i += 4) {
    const o = <usize>i << 2;
    sgdBody(param + o, grad + o, useBuf ? momentumBuffer + o : 0, flags, wd, mom, damp1, negLr);
  }
  const r = n - i;
  if (r > 0) {
    const o = <usize>i << 2;
    const b = useBuf ? momentumBuffer + o : 0;
    sgdBody(tailIn(0, param + o, r), tailIn(1, grad + o, r), tailIn(2, b, r), flags, wd, mom, damp1, negLr);
    tailOut(0, param + o, r);
    tailOut(2, b, r);
  }
}

// ---- Adam / AdamW -------------------------------------------------------------------------

@inline function adamBody(p: usize, g: usize, m: usize, v: usize, vMax: usize, flags: i32,
  b1: v128, c1: v128, b2: v128, c2: v128, bc2: v128, eps: v128, negStep: v128, wd: v128, decay: v128): void {
  let pv = v128.load(p);
  let gv = v128.load(g);
  if (flags & DECOUPLED) pv = f32x4.mul(pv, decay);
  else if (flags & HAS_WD) gv = f32x4.add(gv, f32x4.mul(wd, pv));
  const mv = f32x4.add(f32x4.mul(v128.load(m), b1), f32x4.mul(c1, gv));
  const vv = f32x4.add(f32x4.mul(v128.load(v), b2), f32x4.mul(f32x4.mul(c2, gv), gv));
  v128.store(m, mv);
  v128.store(v, vv);
  let vd = vv;
  if (flags & AMSGRAD) {
    vd = f32x4.max(v128.load(vMax), vv);
    v128.store(vMax, vd);
  }
  const denom = f32x4.add(f32x4.div(f32x4.sqrt(vd), bc2), eps);
  v128.store(p, f32x4.add(pv, f32x4.mul(negStep, f32x4.div(mv, denom))));
}

/**
 * torch.optim.Adam / AdamW on n elements with 1-based `step`: m = β1·m + (1−β1)·g,
 * v = β2·v + (1−β2)·g², p −= lr/(1−β1^step) · m/(sqrt(v)/sqrt(1−β2^step) + eps). Weight decay is
 * L2 (g += wd·p) or, when `decoupled`, p *= 1 − lr·wd first. `amsgrad` keeps max(v) in vMax.
 */
export function adamStep_f32(
  param: usize, grad: usize, m: usize, v: usize, vMax: usize, n: i32, lr: f64, beta1: f64, beta2: f64,
  eps: f64, weightDecay: f64, step: f64, decoupled: i32, amsgrad: i32,
): void {
  // Bias corrections and step size in float64, then rounded once, as torch's Python scalars are.
  const bc1 = 1 - Math.pow(beta1, step);
  const bc2 = 1 - Math.pow(beta2, step);
  const flags = (weightDecay != 0 ? HAS_WD : 0) | (decoupled ? DECOUPLED : 0) | (amsgrad && vMax ? AMSGRAD : 0);
  const b1 = f32x4.splat(<f32>beta1), c1 = f32x4.splat(<f32>(1 - beta1));
  const b2 = f32x4.splat(<f32>beta2), c2 = f32x4.splat(<f32>(1 - beta2));
  const vbc2 = f32x4.splat(<f32>Math.sqrt(bc2)), ve = f32x4.splat(<f32>eps), ns = f32x4.splat(<f32>(-(lr / bc1)));
  const wd = f32x4.splat(<f32>weightDecay), dec = f32x4.splat(<f32>(1 - lr * weightDecay));
  const useMax = flags & AMSGRAD;
  let i = 0;
  for (; i + 4 <= n; i += 4) {
    const o = <usize>i << 2;
    adamBody(param + o, grad + o, m + o, v + o, useMax ? vMax + o : 0, flags, b1, c1, b2, c2, vbc2, ve, ns, wd, dec);
  }
  const r = n - i;
  if (r > 0) {
    const o = <usize>i << 2;
    const vm = useMax ? vMax + o : 0;
    adamBody(tailIn(0, param + o, r), tailIn(1, grad + o, r), tailIn(2, m + o, r), tailIn(3, v + o, r), tailIn(4, vm, r), flags, b1, c1, b2, c2, vbc2, ve, ns, wd, dec);
    tailOut(0, param + o, r);
    tailOut(2, m + o, r);
    tailOut(3, v + o, r);
    tailOut(4, vm, r);
  }
}

// ---- RMSprop ------------------------------------------------------------------------------

@inline function rmspropBody(p: usize, g: usize, sq: usize, ga: usize, buf: usize, flags: i32,
  alpha: v128, c: v128, eps: v128, wd: v128, mom: v128, negLr: v128): void {
  const pv = v128.load(p);
  let gv = v128.load(g);
  if (flags & HAS_WD) gv = f32x4.add(gv, f32x4.mul(wd, pv));
  const s = f32x4.add(f32x4.mul(v128.load(sq), alpha), f32x4.mul(f32x4.mul(c, gv), gv));
  v128.store(sq, s);
  let avg: v128;
  if (flags & CENTERED) {
    const a = f32x4.add(f32x4.mul(v128.load(ga), alpha), f32x4.mul(c, gv));
    v128.store(ga, a);
    avg = f32x4.sqrt(f32x4.sub(s, f32x4.mul(a, a)));
  } else {
    avg = f32x4.sqrt(s);
  }
  avg = f32x4.add(avg, eps);
  if (flags & HAS_MOM) {
    const b = f32x4.add(f32x4.mul(v128.load(buf), mom), f32x4.div(gv, avg));
    v128.store(buf, b);
    v128.store(p, f32x4.add(pv, f32x4.mul(negLr, b)));
  } else {
    v128.store(p, f32x4.add(pv, f32x4.mul(negLr, f32x4.div(gv, avg))));
  }
}

/**
 * torch.optim.RMSprop on n elements: g += wd·p; sq = α·sq + (1−α)·g²; avg = sqrt(sq − gAvg²)
 * (centered, gAvg = α·gAvg + (1−α)·g) or sqrt(sq), plus eps; with momentum > 0
 * buf = momentum·buf + g/avg and p −= lr·buf, else p −= lr·g/avg.
 */
export function rmspropStep_f32(
  param: usize, grad: usize, squareAvg: usize, gradAvg: usize, momentumBuffer: usize, n: i32, lr: f64,
  alpha: f64, eps: f64, weightDecay: f64, momentum: f64, centered: i32,
): void {
  const flags = (weightDecay != 0 ? HAS_WD : 0) | (momentum > 0 && momentumBuffer ? HAS_MOM : 0) | (centered && gradAvg ? CENTERED : 0);
  const va = f32x4.splat(<f32>alpha), vc = f32x4.splat(<f32>(1 - alpha)), ve = f32x4.splat(<f32>eps);
  const wd = f32x4.splat(<f32>weightDecay), mom = f32x4.splat(<f32>momentum), negLr = f32x4.splat(<f32>(-lr));
  const useGa = flags & CENTERED, useBuf = flags & HAS_MOM;
  let i = 0;
  for (; i + 4 <= n; i += 4) {
    const o = <usize>i << 2;
    rmspropBody(param + o, grad + o, squareAvg + o, useGa ? gradAvg + o : 0, useBuf ? momentumBuffer + o : 0, flags, va, vc, ve, wd, mom, negLr);
  }
  const r = n - i;
  if (r > 0) {
    const o = <usize>i << 2;
    const ga = useGa ? gradAvg + o : 0, b = useBuf ? momentumBuffer + o : 0;
    rmspropBody(tailIn(0, param + o, r), tailIn(1, grad + o, r), tailIn(2, squareAvg + o, r), tailIn(3, ga, r), tailIn(4, b, r), flags, va, vc, ve, wd, mom, negLr);
    tailOut(0, param + o, r);
    tailOut(2, squareAvg + o, r);
    tailOut(3, ga, r);
    tailOut(4, b, r);
  }
}

// ---- Adagrad ------------------------------------------------------------------------------

@inline function adagradBody(p: usize, g: usize, sum: usize, hasWd: bool, eps: v128, wd: v128, negLr: v128): void {
  const pv = v128.load(p);
  let gv = v128.load(g);
  if (hasWd) gv = f32x4.add(gv, f32x4.mul(wd, pv));
  const s = f32x4.add(v128.load(sum), f32x4.mul(gv, gv));
  v128.store(sum, s);
  const std = f32x4.add(f32x4.sqrt(s), eps);
  v128.store(p, f32x4.add(pv, f32x4.mul(negLr, f32x4.div(gv, std))));
}

/**
 * torch.optim.Adagrad on n elements, `lr` already decayed (lr / (1 + (step−1)·lrDecay)):
 * g += wd·p; sum += g²; p −= lr·g/(sqrt(sum) + eps).
 */
export function adagradStep_f32(param: usize, grad: usize, sum: usize, n: i32, lr: f64, eps: f64, weightDecay: f64): void {
  const hasWd = weightDecay != 0;
  const ve = f32x4.splat(<f32>eps), wd = f32x4.splat(<f32>weightDecay), negLr = f32x4.splat(<f32>(-lr));
  let i = 0;
  for (; i + 4 <= n; i += 4) {
    const o = <usize>i << 2;
    adagradBody(param + o, grad + o, sum + o, hasWd, ve, wd, negLr);
  }
  const r = n - i;
  if (r > 0) {
    const o = <usize>i << 2;
    adagradBody(tailIn(0, param + o, r), tailIn(1, grad + o, r), tailIn(2, sum + o, r), hasWd, ve, wd, negLr);
    tailOut(0, param + o, r);
    tailOut(2, sum + o, r);
  }
}

// ---- Adadelta -----------------------------------------------------------------------------

@inline function adadeltaBody(p: usize, g: usize, sq: usize, acc: usize, hasWd: bool, rho: v128, c: v128, eps: v128, wd: v128, negLr: v128): void {
  const pv = v128.load(p);
  let gv = v128.load(g);
  if (hasWd) gv = f32x4.add(gv, f32x4.mul(wd, pv));
  const s = f32x4.add(f32x4.mul(v128.load(sq), rho), f32x4.mul(f32x4.mul(c, gv), gv));
  v128.store(sq, s);
  const std = f32x4.sqrt(f32x4.add(s, eps));
  const a = v128.load(acc);
  const delta = f32x4.mul(f32x4.div(f32x4.sqrt(f32x4.add(a, eps)), std), gv);
  v128.store(acc, f32x4.add(f32x4.mul(a, rho), f32x4.mul(f32x4.mul(c, delta), delta)));
  v128.store(p, f32x4.add(pv, f32x4.mul(negLr, delta)));
}

/**
 * torch.optim.Adadelta on n elements: g += wd·p; sq = ρ·sq + (1−ρ)·g²;
 * delta = sqrt(acc + eps)/sqrt(sq + eps)·g; acc = ρ·acc + (1−ρ)·delta²; p −= lr·delta.
 */
export function adadeltaStep_f32(param: usize, grad: usize, squareAvg: usize, accDelta: usize, n: i32, lr: f64, rho: f64, eps: f64, weightDecay: f64): void {
  const hasWd = weightDecay != 0;
  const vr = f32x4.splat(<f32>rho), vc = f32x4.splat(<f32>(1 - rho)), ve = f32x4.splat(<f32>eps);
  const wd = f32x4.splat(<f32>weightDecay), negLr = f32x4.splat(<f32>(-lr));
  let i = 0;
  for (; i + 4 <= n; i += 4) {
    const o = <usize>i << 2;
    adadeltaBody(param + o, grad + o, squareAvg + o, accDelta + o, hasWd, vr, vc, ve, wd, negLr);
  }
  const r = n - i;
  if (r > 0) {
    const o = <usize>i << 2;
    adadeltaBody(tailIn(0, param + o, r), tailIn(1, grad + o, r), tailIn(2, squareAvg + o, r), tailIn(3, accDelta + o, r), hasWd, vr, vc, ve, wd, negLr);
    tailOut(0, param + o, r);
    tailOut(2, squareAvg + o, r);
    tailOut(3, accDelta + o, r);
  }
}
