/**
 * The `axon` command line: `axon <command> [options]` with the commands train, evaluate,
 * predict, search, knn and demo. `main(argv)` returns the exit code: 0 on success, 2 for a user
 * mistake (printed as one line on stderr, no stack), 1 for an internal error (with its stack).
 * bin/axon.js calls it; it does not run anything when imported.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { nearest } from '../errors.js';
import { helpText, parseArgs, type CommandSpec, type ParsedArgs } from './args.js';
import { packageRoot, packageVersion, say, note, type CliIo } from './common.js';
import { EXIT_INTERNAL, EXIT_USAGE, UsageError, errorLine, isUserError } from './errors.js';
import { EVALUATE_SPEC, evaluateCommand } from './evaluate.js';
import { KNN_SPEC, knnCommand } from './knn.js';
import { PREDICT_SPEC, predictCommand } from './predict.js';
import { SEARCH_SPEC, searchCommand } from './search.js';
import { TRAIN_SPEC, trainCommand } from './train.js';

/** `axon demo`: `axon train` with the demo's defaults, reading the checkout's shared MNIST copy when there is one. */
export const DEMO_SPEC: CommandSpec = {
  ...TRAIN_SPEC,
  name: 'demo',
  summary: "Train the default MNIST model (what 'npm run demo' runs).",
  description:
    "'axon train' on MNIST with the default 784-512-256-128-10 MLP (ReLU, He init, dropout 0.2, Adam 1e-3, cosine schedule, batch 128, 10 epochs, 10 % validation), printing the loss every epoch, then the test accuracy and the confusion matrix.\n\n" +
    'Without AXON_DATA, MNIST is read from ../shared/data/mnist next to the package when that folder exists (a development checkout), else from the download cache, downloading it on first use. Takes every option of axon train.',
};

interface Command {
  spec: CommandSpec;
  run: (a: ParsedArgs, io: CliIo) => Promise<number>;
}

const COMMANDS: Command[] = [
  { spec: TRAIN_SPEC, run: (a, io) => trainCommand(a, io) },
  { spec: EVALUATE_SPEC, run: evaluateCommand },
  { spec: PREDICT_SPEC, run: predictCommand },
  { spec: SEARCH_SPEC, run: searchCommand },
  { spec: KNN_SPEC, run: knnCommand },
  { spec: DEMO_SPEC, run: demoCommand },
];

/** Top-level help. */
export function mainHelp(): string {
  const w = Math.max(...COMMANDS.map((c) => c.spec.name.length)) + 2;
  return [
    'Usage: axon <command> [options]',
    '',
    'Neural networks on WebAssembly SIMD: train, evaluate and use MLP classifiers from the command line.',
    '',
    'Commands:',
    ...COMMANDS.map((c) => `  ${c.spec.name.padEnd(w)}${c.spec.summary.split('. ')[0]!.replace(/\.$/, '')}`),
    '',
    "Run 'axon <command> --help' for a command's options. 'axon --version' prints the version.",
    'Datasets are looked for in --data DIR, then $AXON_DATA (directly or in mnist/, fashion-mnist/, sklearn/ subfolders), then the download cache.',
  ].join('\n');
}

async function demoCommand(a: ParsedArgs, io: CliIo): Promise<number> {
  if (!process.env['AXON_DATA'] && a.flags['data'] === undefined) {
    const root = packageRoot();
    const shared = root ? join(root, '..', 'shared', 'data') : undefined;
    if (shared && existsSync(join(shared, 'mnist'))) {
      process.env['AXON_DATA'] = shared;
      note(io, `axon demo: reading MNIST from ${shared} (set AXON_DATA to use another copy)`);
    }
  }
  return trainCommand(a, io, 'demo');
}

function defaultIo(): CliIo {
  return { stdout: process.stdout, stderr: process.stderr };
}

/** Runs the CLI on `argv` (the arguments after `axon`); resolves to the exit code. */
export async function main(argv: readonly string[], io: CliIo = defaultIo()): Promise<number> {
  let command = '';
  try {
    const [name, ...rest] = argv;
    if (name === undefined || name === '--help' || name === '-h' || name === 'help') {
      const topic = name === 'help' ? rest[0] : undefined;
      const cmd = topic ? COMMANDS.find((c) => c.spec.name === topic) : undefined;
      if (topic && !cmd) throw unknownCommand(topic);
      say(io, cmd ? helpText(cmd.spec) : mainHelp());
      return 0;
    }
    if (name === '--version' || name === '-v') {
      say(io, packageVersion());
      return 0;
    }
    const cmd = COMMANDS.find((c) => c.spec.name === name);
    if (!cmd) throw unknownCommand(name);
    command = name;
    const args = parseArgs(cmd.spec, rest);
    if (args.help) {
      say(io, helpText(cmd.spec));
      return 0;
    }
    return await cmd.run(args, io);
  } catch (e) {
    if (isUserError(e)) {
      io.stderr.write(`${errorLine(e, command)}\n`);
      return EXIT_USAGE;
    }
    io.stderr.write(`axon: internal error: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`);
    return EXIT_INTERNAL;
  }
}

function unknownCommand(name: string): UsageError {
  const names = COMMANDS.map((c) => c.spec.name);
  if (name.startsWith('-')) return new UsageError('', `unknown option ${name} before the command; usage: axon <command> [options] (commands: ${names.join(', ')})`);
  const near = nearest(name, names);
  return new UsageError('', `unknown command '${name}'${near ? ` (did you mean '${near}'?)` : ''}; commands: ${names.join(', ')}`);
}
