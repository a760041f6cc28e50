/**
 * `axon predict MODEL --input FILE`: runs a saved model on samples from an IDX file (like
 * MNIST's `t10k-images-idx3-ubyte[.gz]`) or a CSV file, with the preprocessing stored in the
 * model, and prints one CSV line per sample — `index,class,probability` — on stdout. With
 * labels (`--labels` IDX/CSV file, or a CSV input with one column more than the model's
 * features, the last being the class), the accuracy goes to stderr so stdout stays plain CSV.
 */
import { softmax } from '../ops/softmax.js';
import { tensor } from '../ops/create.js';
import { tidy } from '../engine.js';
import { parseCsv } from '../data/csv.js';
import { parseIdx } from '../data/idx.js';
import { readMaybeGzip } from '../data/node/files.js';
import type { CommandSpec, ParsedArgs } from './args.js';
import { BACKEND_FLAGS, note, startBackend, type CliIo } from './common.js';
import { requireFile } from './data.js';
import { UsageError } from './errors.js';
import { pct } from './format.js';
import { loadModelFile, type ModelDataInfo } from './model-file.js';
import { applyStandardization } from './prep.js';

/** `axon predict`'s flags and help. */
export const PREDICT_SPEC: CommandSpec = {
  name: 'predict',
  summary: 'Predict classes with a saved model for the samples in an IDX or CSV file.',
  description:
    'Prints index,class,probability for every sample (CSV on stdout; the class is its name). Inputs are raw file values, preprocessed as in training (MNIST pixels 0–255 are divided by 255, digits 0–16 by 16, tabular features standardised). ' +
    'A CSV input may carry labels in one extra last column; --labels gives them for an IDX input. With labels, the accuracy is printed on stderr.',
  positionals: [{ name: 'MODEL', help: 'model file written by axon train --save (.safetensors)' }],
  flags: [
    { name: 'input', type: 'string', metavar: 'FILE', help: 'samples: an IDX file (gzipped or not; e.g. t10k-images-idx3-ubyte.gz) or a numeric CSV file' },
    { name: 'labels', type: 'string', metavar: 'FILE', help: 'true classes for the accuracy: an IDX label file or a one-column CSV' },
    { name: 'limit', type: 'int', min: 1, metavar: 'N', help: 'predict only the first N samples' },
    { name: 'batch-size', type: 'int', min: 1, default: 1000, help: 'samples per forward pass' },
    ...BACKEND_FLAGS,
  ],
  examples: ['axon predict model.safetensors --input t10k-images-idx3-ubyte.gz --labels t10k-labels-idx1-ubyte.gz --limit 20', 'axon predict iris.safetensors --input flowers.csv'],
};

interface Table {
  values: Float32Array;
  rows: number;
  width: number;
}

function isIdx(bytes: Uint8Array): boolean {
  return bytes.length >= 4 && bytes[0] === 0 && bytes[1] === 0 && bytes[2]! >= 0x08 && bytes[2]! <= 0x0e;
}

/** Reads an IDX or CSV file into rows (IDX: one row per first-axis entry, the rest flattened). */
async function readTable(cmd: string, what: string, path: string): Promise<Table> {
  const abs = requireFile(cmd, what, path);
  const bytes = await readMaybeGzip(abs, `axon ${cmd}`);
  if (isIdx(bytes)) {
    const idx = parseIdx(bytes, { name: path, caller: `axon ${cmd}` });
    const rows = idx.shape[0]!;
    const width = idx.shape.slice(1).reduce((p, q) => p * q, 1);
    return { values: Float32Array.from(idx.data), rows, width };
  }
  const t = parseCsv(new TextDecoder().decode(bytes), { name: path, caller: `axon ${cmd}` });
  return { values: t.data, rows: t.rows, width: t.columns.length };
}

function labelsFrom(cmd: string, path: string, values: ArrayLike<number>, classes: number): Uint8Array {
  const out = new Uint8Array(values.length);
  for (let i = 0; i < values.length; i++) {
    const v = values[i]!;
    if (!(Number.isInteger(v) && v >= 0 && v < classes)) throw new UsageError(cmd, `${path}: label ${v} of sample ${i} is not a class index in [0, ${classes - 1}]`);
    out[i] = v;
  }
  return out;
}

/** Splits `table` into features for the model (and labels when it has one extra column). */
function features(cmd: string, path: string, t: Table, info: ModelDataInfo): { x: Float32Array; labels: Uint8Array | null } {
  const want = info.sampleShape.reduce((p, q) => p * q, 1);
  if (t.width === want) return { x: t.values, labels: null };
  if (t.width === want + 1) {
    const x = new Float32Array(t.rows * want);
    const y = new Float32Array(t.rows);
    for (let r = 0; r < t.rows; r++) {
      x.set(t.values.subarray(r * t.width, r * t.width + want), r * want);
      y[r] = t.values[r * t.width + want]!;
    }
    return { x, labels: labelsFrom(cmd, path, y, info.classNames.length) };
  }
  throw new UsageError(cmd, `${path} has ${t.width} values per sample; the model takes ${want} (or ${want + 1} with a label column last)`);
}

function csvCell(s: string): string {
  return /[",\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

/** Runs `axon predict`. Returns the exit code. */
export async function predictCommand(a: ParsedArgs, io: CliIo): Promise<number> {
  const cmd = PREDICT_SPEC.name;
  const f = a.flags;
  const path = a.positionals[0];
  if (path === undefined) throw new UsageError(cmd, "missing the MODEL argument (a file from 'axon train --save'); see 'axon predict --help'");
  const input = f['input'] as string | undefined;
  if (input === undefined) throw new UsageError(cmd, "missing --input FILE (an IDX or CSV file of samples); see 'axon predict --help'");
  requireFile(cmd, 'model file', path);
  requireFile(cmd, 'input file', input);
  if (f['labels'] !== undefined) requireFile(cmd, 'labels file', f['labels'] as string);
  await startBackend(cmd, f);
  const { model, info } = await loadModelFile(cmd, path);
  const table = await readTable(cmd, 'input file', input);
  let { x, labels } = features(cmd, input, table, info);
  let n = table.rows;
  if (f['labels'] !== undefined) {
    if (labels) throw new UsageError(cmd, `${input} already has a label column; drop --labels or the column`);
    const lt = await readTable(cmd, 'labels file', f['labels'] as string);
    if (lt.width !== 1 || lt.rows !== n) throw new UsageError(cmd, `${f['labels']} holds ${lt.rows} × ${lt.width} values; expected one label per sample (${n})`);
    labels = labelsFrom(cmd, f['labels'] as string, lt.values, info.classNames.length);
  }
  const limit = f['limit'] as number | undefined;
  if (limit !== undefined && limit < n) {
    x = x.subarray(0, limit * (x.length / Math.max(1, n)));
    labels = labels?.subarray(0, limit) ?? null;
    n = limit;
  }
  // Raw file values → what the model was trained on.
  const scaled = new Float32Array(x.length);
  for (let i = 0; i < x.length; i++) scaled[i] = x[i]! / info.rawScale;
  if (info.standardization) applyStandardization(scaled, info.standardization);

  const probs = await tidy(async () => {
    const out = model.predict(tensor(scaled, [n, ...info.sampleShape]), { batchSize: f['batch-size'] as number });
    return softmax(out).data();
  });
  const c = info.classNames.length;
  const lines: string[] = ['index,class,probability'];
  let hits = 0;
  for (let i = 0; i < n; i++) {
    let best = 0;
    for (let j = 1; j < c; j++) if (probs[i * c + j]! > probs[i * c + best]!) best = j;
    if (labels && labels[i] === best) hits++;
    lines.push(`${i},${csvCell(info.classNames[best]!)},${probs[i * c + best]!.toFixed(4)}`);
  }
  io.stdout.write(`${lines.join('\n')}\n`);
  if (labels) note(io, `accuracy ${pct(hits / Math.max(1, n))} (${hits}/${n})`);
  model.dispose();
  return 0;
}
