/**
 * `axon search`: random hyperparameter search (randomSearch of src/search) over the learning
 * rate and the L2 strength (log-uniform) and the dropout probability (uniform) for a fixed MLP,
 * each trial trained for a few epochs and scored on a seeded validation split of the training
 * data (never the test set). Prints one line per trial, then the ranked table.
 */
import { createOptimizer, OPTIMIZER_NAMES } from '../optim/registry.js';
import { logUniform, uniform, type SearchSpace } from '../search/space.js';
import { randomSearch } from '../search/search.js';
import { formatTable } from '../search/table.js';
import type { Activation as KernelActivation } from '../kernels/kernels.js';
import type { CommandSpec, ParsedArgs } from './args.js';
import { buildMlp, HIDDEN_ACTIVATIONS, INIT_CHOICES } from './build.js';
import { BACKEND_FLAGS, DATA_FLAGS, LIMIT_FLAGS, SEED_FLAG, backendText, datasetFlag, note, say, startBackend, type CliIo } from './common.js';
import { limitSplit, loadCliData, parseDatasetSpec, rowSize } from './data.js';
import { UsageError } from './errors.js';
import { fmtLr, pct } from './format.js';
import { applyStandardization, fitStandardization } from './prep.js';

/** `axon search`'s flags and help. */
export const SEARCH_SPEC: CommandSpec = {
  name: 'search',
  summary: 'Random hyperparameter search: learning rate, L2 strength and dropout, ranked by validation accuracy.',
  description:
    'Each trial draws the learning rate and the L2 penalty log-uniformly and the dropout probability uniformly from the given ranges (LOW,HIGH; a range with LOW = HIGH fixes the value; an L2 range starting at 0 fixes it at 0), trains the MLP for --epochs epochs and scores it on a seeded --val share of the training samples. ' +
    'The test set is not used.',
  flags: [
    datasetFlag('digits'),
    ...DATA_FLAGS,
    { name: 'trials', type: 'int', min: 1, default: 20, help: 'number of configurations to try' },
    { name: 'epochs', type: 'int', min: 1, default: 3, help: 'epochs per trial' },
    { name: 'lr', type: 'string', metavar: 'LOW,HIGH', default: '1e-4,1e-1', help: 'learning-rate range (log-uniform)' },
    { name: 'l2', type: 'string', metavar: 'LOW,HIGH', default: '1e-6,1e-2', help: 'L2 penalty range (log-uniform; 0,0 for none)' },
    { name: 'dropout', type: 'string', metavar: 'LOW,HIGH', default: '0,0.5', help: 'dropout range (uniform)' },
    { name: 'layers', type: 'ints', min: 1, default: [128, 64], help: 'hidden layer widths, comma-separated' },
    { name: 'activation', type: 'string', choices: HIDDEN_ACTIVATIONS, default: 'relu', help: 'hidden-layer activation' },
    { name: 'init', type: 'string', choices: INIT_CHOICES, default: 'he', help: 'weight initialiser' },
    { name: 'optimizer', type: 'string', choices: OPTIMIZER_NAMES, default: 'adam', help: 'optimiser' },
    { name: 'batch-size', type: 'int', min: 1, default: 64, help: 'samples per step' },
    { name: 'val', type: 'number', min: 0, max: 1, minOpen: true, maxOpen: true, default: 0.2, help: 'share of the training samples each trial is scored on' },
    { name: 'top', type: 'int', min: 1, metavar: 'N', help: 'show only the N best trials in the table' },
    SEED_FLAG,
    ...BACKEND_FLAGS,
    LIMIT_FLAGS[0]!,
  ],
  examples: ['axon search --dataset digits --trials 20', 'axon search --dataset mnist --limit 10000 --trials 10 --epochs 2 --layers 256,128 --lr 1e-4,1e-2'],
};

/** Parses `LOW,HIGH` of flag `name`. */
export function parseRange(cmd: string, name: string, raw: string, positive: boolean): [number, number] {
  const parts = raw.split(',').map((s) => s.trim());
  const nums = parts.map((s) => (/^[+-]?(\d+\.?\d*|\.\d+)(e[+-]?\d+)?$/i.test(s) ? Number(s) : NaN));
  if (nums.length !== 2 || nums.some((v) => !Number.isFinite(v))) throw new UsageError(cmd, `--${name} expected a range LOW,HIGH such as 1e-4,1e-1, given ${JSON.stringify(raw)}`);
  const [lo, hi] = nums as [number, number];
  if (lo > hi) throw new UsageError(cmd, `--${name} expected LOW ≤ HIGH, given ${JSON.stringify(raw)}`);
  if (lo < 0 || (positive && lo === 0 && hi > 0)) throw new UsageError(cmd, `--${name} is searched on a log scale: LOW must be > 0${positive ? '' : ' (or the range 0,0)'}, given ${JSON.stringify(raw)}`);
  return [lo, hi];
}

/** Runs `axon search`. Returns the exit code. */
export async function searchCommand(a: ParsedArgs, io: CliIo): Promise<number> {
  const cmd = SEARCH_SPEC.name;
  const f = a.flags;
  parseDatasetSpec(cmd, f['dataset'] as string);
  const [lrLo, lrHi] = parseRange(cmd, 'lr', f['lr'] as string, true);
  if (lrLo === 0) throw new UsageError(cmd, `--lr range must be > 0, given ${JSON.stringify(f['lr'])}`);
  const [l2Lo, l2Hi] = parseRange(cmd, 'l2', f['l2'] as string, true);
  const [dLo, dHi] = parseRange(cmd, 'dropout', f['dropout'] as string, false);
  if (dHi >= 1) throw new UsageError(cmd, `--dropout range must stay below 1, given ${JSON.stringify(f['dropout'])}`);

  const k = await startBackend(cmd, f);
  const seed = f['seed'] as number;
  const data = await loadCliData(cmd, f['dataset'] as string, {
    dir: f['data'] as string | undefined,
    download: f['download'] as boolean,
    seed,
    testFraction: f['test-fraction'] as number,
    onDownload: (line) => note(io, line),
  });
  const width = rowSize(data);
  let train = limitSplit(data.train, f['limit'] as number | undefined);
  if (data.standardize) {
    // Fitted on all training samples including the validation share: a small leak, the same for every trial.
    const st = fitStandardization(train.x, train.count, width);
    train = { ...train, x: applyStandardization(new Float32Array(train.x), st) };
  }
  const space: SearchSpace = {
    lr: lrLo === lrHi ? lrLo : logUniform(lrLo, lrHi),
    l2: l2Lo === l2Hi ? l2Lo : logUniform(l2Lo, l2Hi),
    dropout: dLo === dHi ? dLo : uniform(dLo, dHi),
  };
  const trials = f['trials'] as number;
  const epochs = f['epochs'] as number;
  const hidden = f['layers'] as number[];
  const classes = data.classNames.length;
  say(io, `axon search · ${data.title}: ${train.count} samples (${pct(f['val'] as number, 0)} for validation), ${[width, ...hidden, classes].join('-')} MLP · ${trials} trials × ${epochs} epochs · backend ${backendText(k)}`);
  const results = await randomSearch({
    space,
    trials,
    seed,
    epochs,
    batchSize: f['batch-size'] as number,
    validationSplit: f['val'] as number,
    data: { x: { data: train.x, shape: [train.count, width] }, y: Float32Array.from(train.labels) },
    build: (p, trial) => {
      const model = buildMlp({
        inputs: width,
        hidden,
        classes,
        activation: f['activation'] as KernelActivation,
        init: f['init'] as string,
        dropout: p['dropout'] as number,
        batchnorm: false,
        l2: p['l2'] as number,
        maxNorm: 0,
        seed: seed + trial,
      });
      return model.compile({ optimizer: createOptimizer(f['optimizer'] as string, { lr: p['lr'] as number }), loss: 'crossEntropy', metrics: ['accuracy'] });
    },
    onTrial: (r, prog) => {
      const p = r.params as Record<string, number>;
      const w = String(prog.total).length;
      const outcome = r.error ? 'failed (non-finite loss)' : `val_loss ${r.valLoss.toFixed(4)}  val_acc ${pct(r.valAccuracy)}`;
      say(io, `trial ${String(prog.done).padStart(w)}/${prog.total}  lr ${fmtLr(p['lr']!)}  l2 ${fmtLr(p['l2']!)}  dropout ${p['dropout']!.toFixed(3)}  →  ${outcome}  ${r.seconds.toFixed(1)}s`);
    },
  });
  say(io, '');
  say(io, formatTable(results, f['top'] !== undefined ? { maxRows: f['top'] as number } : {}));
  const best = results[0]!;
  const bp = best.params as Record<string, number>;
  say(io, '');
  say(io, `best: --lr ${bp['lr']!.toPrecision(3)} --l2 ${bp['l2']!.toPrecision(3)} --dropout ${bp['dropout']!.toFixed(3)} (val_acc ${pct(best.valAccuracy)})`);
  return 0;
}
