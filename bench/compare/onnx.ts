/**
 * A minimal ONNX model writer for the comparison benchmark: just enough protobuf to build a
 * one-node Gemm graph and the 784-256-128-10 MLP (Gemm/Relu) in memory, so onnxruntime-web can
 * run them without model files. Field numbers are those of onnx.proto (ModelProto, GraphProto,
 * NodeProto, AttributeProto, TensorProto, ValueInfoProto, TypeProto, TensorShapeProto).
 */

/** Protobuf wire types used here. */
const VARINT = 0;
const LEN = 2;

/** ONNX TensorProto.DataType.FLOAT and AttributeProto.AttributeType.INT. */
const FLOAT = 1;
const ATTR_INT = 2;

/** The IR version and default-domain opset the models declare (ORT 1.x accepts both). */
const IR_VERSION = 8;
const OPSET = 17;

/** Bytes of one encoded protobuf message, built field by field. */
class Message {
  private readonly parts: number[] = [];
  private readonly chunks: Uint8Array[] = [];
  private size = 0;

  private varint(v: number): void {
    // Values here are small non-negative integers (< 2^53): 7 bits per byte, low bits first.
    let x = v;
    while (x >= 0x80) {
      this.parts.push((x % 0x80) | 0x80);
      x = Math.floor(x / 0x80);
    }
    this.parts.push(x);
  }

  private flushParts(): void {
    if (this.parts.length === 0) return;
    this.chunks.push(Uint8Array.from(this.parts));
    this.size += this.parts.length;
    this.parts.length = 0;
  }

  private tag(field: number, wire: number): void {
    this.varint(field * 8 + wire);
  }

  /** An integer field (int32/int64/enum, non-negative). */
  int(field: number, v: number): this {
    this.tag(field, VARINT);
    this.varint(v);
    return this;
  }

  /** A bytes / sub-message field. */
  bytes(field: number, b: Uint8Array): this {
    this.tag(field, LEN);
    this.varint(b.length);
    this.flushParts();
    this.chunks.push(b);
    this.size += b.length;
    return this;
  }

  /** A UTF-8 string field. */
  string(field: number, s: string): this {
    return this.bytes(field, new TextEncoder().encode(s));
  }

  /** A sub-message field. */
  message(field: number, m: Message): this {
    return this.bytes(field, m.finish());
  }

  /** The encoded bytes. */
  finish(): Uint8Array {
    this.flushParts();
    const out = new Uint8Array(this.size);
    let o = 0;
    for (const c of this.chunks) {
      out.set(c, o);
      o += c.length;
    }
    return out;
  }
}

/** A tensor dimension: a fixed size or a symbolic name (e.g. the batch 'N'). */
type Dim = number | string;

/** ValueInfoProto of a float tensor with the given shape. */
function valueInfo(name: string, dims: readonly Dim[]): Message {
  const shape = new Message();
  for (const d of dims) shape.message(1, typeof d === 'number' ? new Message().int(1, d) : new Message().string(2, d));
  const tensorType = new Message().int(1, FLOAT).message(2, shape);
  return new Message().string(1, name).message(2, new Message().message(1, tensorType));
}

/** TensorProto of float data (an initializer), stored as little-endian raw_data. */
function initializer(name: string, dims: readonly number[], data: Float32Array): Message {
  const t = new Message();
  for (const d of dims) t.int(1, d);
  t.int(2, FLOAT).string(8, name);
  // raw_data is little-endian float32; every host Node runs on here is little-endian.
  return t.bytes(9, new Uint8Array(data.buffer, data.byteOffset, data.byteLength));
}

/** NodeProto with integer attributes. */
function node(op: string, inputs: readonly string[], outputs: readonly string[], ints: Record<string, number> = {}): Message {
  const n = new Message();
  for (const i of inputs) n.string(1, i);
  for (const o of outputs) n.string(2, o);
  n.string(3, `${op}_${outputs[0]}`).string(4, op);
  for (const [k, v] of Object.entries(ints)) n.message(5, new Message().string(1, k).int(3, v).int(20, ATTR_INT));
  return n;
}

/** ModelProto around one graph. */
function model(nodes: Message[], inputs: Message[], outputs: Message[], inits: Message[]): Uint8Array {
  const g = new Message();
  for (const n of nodes) g.message(1, n);
  g.string(2, 'axon_bench');
  for (const t of inits) g.message(5, t);
  for (const i of inputs) g.message(11, i);
  for (const o of outputs) g.message(12, o);
  return new Message()
    .int(1, IR_VERSION)
    .string(2, 'axon-bench')
    .message(7, g)
    .message(8, new Message().string(1, '').int(2, OPSET))
    .finish();
}

/**
 * ONNX bytes of `C = op(A)·op(B)` as one Gemm node (transA/transB attributes, no bias), with
 * inputs 'A' ([k, m] when transA else [m, k]) and 'B' ([n, k] when transB else [k, n]), output 'C' [m, n].
 */
export function gemmModel(m: number, n: number, k: number, transA: boolean, transB: boolean): Uint8Array {
  return model(
    [node('Gemm', ['A', 'B'], ['C'], { transA: transA ? 1 : 0, transB: transB ? 1 : 0 })],
    [valueInfo('A', transA ? [k, m] : [m, k]), valueInfo('B', transB ? [n, k] : [k, n])],
    [valueInfo('C', [m, n])],
    [],
  );
}

/** One Dense layer's weights: W [in, out] (Keras/axon layout) and b [out]. */
export interface DenseWeights {
  w: Float32Array;
  b: Float32Array;
  inputs: number;
  outputs: number;
}

/**
 * ONNX bytes of an MLP: Gemm(x, W, b) per layer with Relu between layers (not after the last),
 * weights as initializers; input 'x' [N, in] with a symbolic batch, output 'y' [N, out].
 */
export function mlpModel(layers: readonly DenseWeights[]): Uint8Array {
  const nodes: Message[] = [];
  const inits: Message[] = [];
  let h = 'x';
  layers.forEach((l, i) => {
    inits.push(initializer(`W${i}`, [l.inputs, l.outputs], l.w), initializer(`b${i}`, [l.outputs], l.b));
    const last = i === layers.length - 1;
    const z = last ? 'y' : `z${i}`;
    nodes.push(node('Gemm', [h, `W${i}`, `b${i}`], [z]));
    if (!last) {
      nodes.push(node('Relu', [z], [`h${i}`]));
      h = `h${i}`;
    }
  });
  return model(nodes, [valueInfo('x', ['N', layers[0]!.inputs])], [valueInfo('y', ['N', layers[layers.length - 1]!.outputs])], inits);
}
