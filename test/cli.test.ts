/**
 * The `axon` CLI: the command line run as a subprocess (node bin/axon.js …) for help, errors
 * (exit 2, one line, no stack), an MNIST smoke run on a subset, --plot, --save → evaluate /
 * predict, knn, search and CSV data; plus in-process checks of the parser, the progress bar,
 * the SVG writer and the confusion-matrix printer.
 */
import { spawn } from 'node:child_process';
import { gunzipSync } from 'node:zlib';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { parseArgs, helpText, type CommandSpec } from '../src/cli/args.js';
import { UsageError } from '../src/cli/errors.js';
import { confusionMatrix, formatConfusion } from '../src/cli/format.js';
import { niceTicks, trainingCurvesSvg } from '../src/cli/plot.js';
import { ProgressBar, formatDuration } from '../src/cli/progress.js';

const ROOT = resolve(import.meta.dirname, '..');
const BIN = join(ROOT, 'bin', 'axon.js');
const SHARED = resolve(ROOT, '..', 'shared', 'data');
const HAVE_MNIST = existsSync(join(SHARED, 'mnist', 'train-images-idx3-ubyte.gz'));
const HAVE_SKLEARN = existsSync(join(SHARED, 'sklearn', 'digits.csv.gz'));
const TMP = mkdtempSync(join(tmpdir(), 'axon-cli-'));
afterAll(() => rmSync(TMP, { recursive: true, force: true }));

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Runs the CLI with the shared data (and a private download cache) and collects its output. */
function axon(...args: string[]): Promise<Run> {
  return axonEnv({}, ...args);
}

/** {@link axon} with extra environment variables. */
function axonEnv(extra: Record<string, string>, ...args: string[]): Promise<Run> {
  const env = { ...process.env, AXON_DATA: SHARED, XDG_CACHE_HOME: join(TMP, 'cache'), ...extra };
  return new Promise((done, fail) => {
    const child = spawn(process.execPath, [BIN, ...args], { cwd: ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (s: string) => (stdout += s));
    child.stderr.setEncoding('utf8').on('data', (s: string) => (stderr += s));
    child.on('error', fail);
    child.on('close', (code) => done({ code, stdout, stderr }));
  });
}

/** A user mistake: exit 2 and exactly one line on stderr, without a stack trace. */
function expectUsageError(r: Run, ...fragments: string[]): void {
  expect(r.code, r.stderr).toBe(2);
  const lines = r.stderr.trimEnd().split('\n');
  expect(lines, r.stderr).toHaveLength(1);
  expect(r.stderr).not.toMatch(/\n\s+at /);
  expect(lines[0]).toMatch(/^axon( \w+)?: error: /);
  for (const f of fragments) expect(lines[0]).toContain(f);
}

/** Minimal XML well-formedness: one root <svg>, every tag closed in order, no stray '<'. */
function checkSvg(text: string): void {
  expect(text.startsWith('<?xml')).toBe(true);
  const body = text.replace(/^<\?xml[^>]*\?>\s*/, '');
  const stack: string[] = [];
  const tag = /<(\/?)([a-zA-Z][\w-]*)((?:\s+[\w:-]+="[^"<]*")*)\s*(\/?)>/g;
  let last = 0;
  let roots = 0;
  for (let m = tag.exec(body); m; m = tag.exec(body)) {
    expect(body.slice(last, m.index), 'text between tags').not.toMatch(/[<>]/);
    last = m.index + m[0].length;
    const [, close, name, , self] = m;
    if (close) expect(stack.pop()).toBe(name);
    else if (!self) {
      if (stack.length === 0) roots++;
      stack.push(name!);
    } else if (stack.length === 0) roots++;
  }
  expect(body.slice(last).trim()).toBe('');
  expect(stack).toEqual([]);
  expect(roots).toBe(1);
  expect(body).toMatch(/^<svg xmlns="http:\/\/www\.w3\.org\/2000\/svg"/);
}

describe.concurrent('axon CLI: help', () => {
  it('prints the command list and the version', async () => {
    const r = await axon('--help');
    expect(r.code).toBe(0);
    for (const c of ['train', 'evaluate', 'predict', 'search', 'knn', 'demo']) expect(r.stdout).toMatch(new RegExp(`^  ${c} `, 'm'));
    const v = await axon('--version');
    expect(v.code).toBe(0);
    expect(v.stdout.trim()).toBe(JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')).version);
  });

  it.each([
    ['train', ['--dataset', '--layers', '--activation', '--init', '--optimizer', '--lr', '--schedule', '--epochs', '--batch-size', '--dropout', '--batchnorm', '--l2', '--max-norm', '--augment', '--val', '--early-stopping', '--seed', '--backend', '--threads', '--save', '--plot', '--limit']],
    ['evaluate', ['MODEL', '--dataset', '--test-limit']],
    ['predict', ['MODEL', '--input', '--labels']],
    ['search', ['--dataset', '--trials', '--lr', '--l2', '--dropout']],
    ['knn', ['--dataset', '--k', '--metric']],
    ['demo', ['--epochs', '--layers']],
  ])('axon %s --help lists its options', async (cmd, flags) => {
    const r = await axon(cmd, '--help');
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toContain(`Usage: axon ${cmd}`);
    for (const f of flags) expect(r.stdout).toContain(f);
    if (cmd === 'knn') expect((await axon('help', cmd)).stdout).toBe(r.stdout);
  });
});

describe.concurrent('axon CLI: user mistakes are one line and exit code 2', () => {
  it('unknown command, with a suggestion', async () => expectUsageError(await axon('trian'), "unknown command 'trian'", "did you mean 'train'"));
  it('unknown flag, with the nearest one', async () => expectUsageError(await axon('train', '--lyers', '64'), 'axon train: error:', 'unknown flag --lyers', 'did you mean --layers'));
  it('unknown dataset, with the nearest one', async () => expectUsageError(await axon('train', '--dataset', 'mnsit'), 'unknown dataset "mnsit"', "did you mean 'mnist'"));
  it('bad numbers', async () => {
    expectUsageError(await axon('train', '--lr', 'fast'), '--lr expected a number > 0, given "fast"');
    expectUsageError(await axon('train', '--epochs', '0'), '--epochs expected an integer ≥ 1');
    expectUsageError(await axon('train', '--layers', '512,,128'), '--layers expected comma-separated integers');
  });
  it('bad names, missing values, bad ranges', async () => {
    expectUsageError(await axon('train', '--activation', 'rellu'), "did you mean 'relu'");
    expectUsageError(await axon('knn', '--metric', 'l3'), '--metric expected one of l2, l1');
    expectUsageError(await axon('train', '--epochs'), '--epochs needs a value');
    expectUsageError(await axon('search', '--lr', '0.1,0.01'), '--lr expected LOW ≤ HIGH');
  });
  it('flag combinations that cannot work', async () => {
    expectUsageError(await axon('train', '--val', '0', '--early-stopping', '3'), '--early-stopping', '--val > 0');
    expectUsageError(await axon('train', '--momentum', '0.9'), '--momentum applies to --optimizer sgd or rmsprop');
    expectUsageError(await axon('train', '--filters', '8'), '--filters applies to --model cnn');
    expectUsageError(await axon('train', '--model', 'cnn', '--max-norm', '3'), '--max-norm', 'not to --model cnn');
    expectUsageError(await axon('train', '--model', 'rnn'), "--model expected one of mlp, cnn");
  });
  it('missing model files and arguments', async () => {
    expectUsageError(await axon('evaluate', join(TMP, 'nope.safetensors')), 'model file not found');
    expectUsageError(await axon('evaluate'), 'missing the MODEL argument');
    expectUsageError(await axon('predict', join(TMP, 'nope.safetensors'), '--input', 'x.csv'), 'model file not found');
  });
  it('missing data files and output directories', async () => {
    expectUsageError(await axon('train', '--dataset', `csv:${join(TMP, 'nope.csv')}`), 'CSV file not found');
    expectUsageError(await axon('train', '--plot', join(TMP, 'no-such-dir', 'c.svg')), '--plot: directory not found');
  });
  it('data files that are not there', async () => {
    const empty = mkdtempSync(join(TMP, 'empty-'));
    expectUsageError(await axonEnv({ AXON_DATA: empty }, 'train', '--dataset', 'mnist', '--no-download'), 'MNIST files not found', 'AXON_DATA');
    expectUsageError(await axonEnv({ AXON_DATA: empty }, 'knn', '--dataset', 'digits'), 'digits.csv.gz not found', '--data DIR');
  });
  it('files that are not valid', async () => {
    const bad = join(TMP, 'bad.csv');
    writeFileSync(bad, '1,2,0\n3,x,1\n');
    expectUsageError(await axon('train', '--dataset', `csv:${bad}`), 'bad.csv');
    const notModel = join(TMP, 'not-a-model.safetensors');
    writeFileSync(notModel, 'hello world, not safetensors');
    expectUsageError(await axon('evaluate', notModel), 'is not a safetensors model file');
  });
});

describe.skipIf(!HAVE_MNIST)('axon CLI: MNIST on a subset', () => {
  const model = join(TMP, 'mnist.safetensors');
  const plot = join(TMP, 'curves.svg');
  let trainOut = '';

  it('trains one epoch, prints the epoch line, the test accuracy and a 10×10 confusion matrix', async () => {
    const t0 = performance.now();
    const r = await axon('train', '--dataset', 'mnist', '--limit', '6000', '--test-limit', '1000', '--epochs', '1', '--layers', '256,128', '--save', model, '--plot', plot);
    const secs = (performance.now() - t0) / 1000;
    expect(r.code, r.stderr).toBe(0);
    trainOut = r.stdout;
    expect(r.stdout).not.toContain('\r'); // not a terminal: plain lines, no bar
    expect(r.stdout).toMatch(/^epoch 1\/1 {2}loss \d+\.\d{4} {2}acc \d+\.\d\d% {2}val_loss \d+\.\d{4} {2}val_acc \d+\.\d\d% {2}lr \d\.\d\de-\d {2}\d+\.\d+s$/m);
    const acc = Number(/^test: loss \S+ {2}accuracy (\d+\.\d+)%/m.exec(r.stdout)![1]);
    expect(acc).toBeGreaterThan(75); // chance is 10 %
    const matrix = r.stdout.split('\n').filter((l) => /^ {3}\d( +\d+){10} \| +\d+\.\d%$/.test(l));
    expect(matrix).toHaveLength(10);
    const total = matrix.reduce((s, l) => s + l.split('|')[0]!.trim().split(/\s+/).slice(1).reduce((a, b) => a + Number(b), 0), 0);
    expect(total).toBe(1000);
    expect(secs).toBeLessThan(15);
  });

  it('--plot writes a well-formed SVG with both panels, train and validation curves, axes and legend', async () => {
    const svg = readFileSync(plot, 'utf8');
    checkSvg(svg);
    expect(svg).toContain('>loss</text>');
    expect(svg).toContain('>accuracy</text>');
    expect(svg).toContain('>epoch</text>');
    expect(svg).toContain('>train</text>');
    expect(svg).toContain('>validation</text>');
    expect((svg.match(/<circle /g) ?? []).length).toBe(4); // 1 epoch × (train, val) × (loss, accuracy)
  });

  it('--save then evaluate gives the same test accuracy', async () => {
    const r = await axon('evaluate', model, '--test-limit', '1000');
    expect(r.code, r.stderr).toBe(0);
    const trained = /^test: loss (\S+) {2}accuracy (\S+)/m.exec(trainOut)!;
    const again = /^test: loss (\S+) {2}accuracy (\S+)/m.exec(r.stdout)!;
    expect(again[2]).toBe(trained[2]);
    expect(Math.abs(Number(again[1]) - Number(trained[1]))).toBeLessThan(1e-3);
    // The model file is plain safetensors with the config in its metadata.
    const bytes = readFileSync(model);
    const headerLen = Number(bytes.readBigUInt64LE(0));
    const header = JSON.parse(bytes.subarray(8, 8 + headerLen).toString('utf8'));
    expect(JSON.parse(header.__metadata__['axon.config']).format).toBe('axon.model');
    expect(JSON.parse(header.__metadata__['axon.data']).classNames).toHaveLength(10);
  });

  it('predict reads IDX images (gzipped) and prints CSV, accuracy on stderr with --labels', async () => {
    const r = await axon('predict', model, '--input', join(SHARED, 'mnist', 't10k-images-idx3-ubyte.gz'), '--labels', join(SHARED, 'mnist', 't10k-labels-idx1-ubyte.gz'), '--limit', '50');
    expect(r.code, r.stderr).toBe(0);
    const lines = r.stdout.trim().split('\n');
    expect(lines[0]).toBe('index,class,probability');
    expect(lines).toHaveLength(51);
    for (const l of lines.slice(1)) expect(l).toMatch(/^\d+,[0-9],(0|1)\.\d{4}$/);
    expect(Number(/accuracy (\d+\.\d+)%/.exec(r.stderr)![1])).toBeGreaterThan(60);
    expectUsageError(await axon('predict', model, '--input', join(SHARED, 'sklearn', 'digits.csv.gz')), 'has 65 values per sample; the model takes 784');
  });

  it('--augment trains on shifted images', async () => {
    const r = await axon('train', '--limit', '2000', '--test-limit', '500', '--epochs', '2', '--layers', '64', '--augment', '--early-stopping', '2');
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toContain('augmented');
    expect(r.stdout).toMatch(/^epoch 2\/2 /m);
  });
});

describe.skipIf(!HAVE_SKLEARN)('axon CLI: digits, iris and CSV', () => {
  it('knn on digits with k = 3 and the L1 metric', async () => {
    const r = await axon('knn', '--dataset', 'digits', '--k', '3', '--metric', 'l1');
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toContain('k 3, l1');
    expect(Number(/test accuracy (\d+\.\d+)%/.exec(r.stdout)![1])).toBeGreaterThan(95);
    const again = await axon('knn', '--dataset', 'digits', '--k', '3', '--metric', 'l1');
    const noTime = (s: string) => s.replace(/ in \d+\.\d+s/, '');
    expect(noTime(again.stdout)).toBe(noTime(r.stdout)); // same seed, same split, same result
  });

  it('search prints one line per trial and a ranked table', async () => {
    const r = await axon('search', '--dataset', 'digits', '--trials', '3', '--epochs', '2', '--layers', '32');
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout.match(/^trial [1-3]\/3 /gm)).toHaveLength(3);
    expect(r.stdout).toMatch(/^ *rank +trial +lr +l2 +dropout +valAcc +valLoss/m);
    expect(r.stdout).toMatch(/^best: --lr \S+ --l2 \S+ --dropout \S+/m);
  });

  it('iris (standardised tabular data) trains, saves and evaluates on the same seeded split', async () => {
    const model = join(TMP, 'iris.safetensors');
    const r = await axon('train', '--dataset', 'iris', '--layers', '16', '--epochs', '60', '--batch-size', '16', '--dropout', '0', '--lr', '0.01', '--save', model);
    expect(r.code, r.stderr).toBe(0);
    const acc = /^test: loss \S+ {2}accuracy (\S+)/m.exec(r.stdout)![1];
    expect(Number.parseFloat(acc!)).toBeGreaterThan(85);
    const e = await axon('evaluate', model);
    expect(e.code, e.stderr).toBe(0);
    expect(/^test: loss \S+ {2}accuracy (\S+)/m.exec(e.stdout)![1]).toBe(acc);
    // predict on a CSV with a label column: raw centimetres, standardised by the stored statistics
    const rows = readFileSync(join(SHARED, 'sklearn', 'iris.csv'), 'utf8').trim().split('\n').slice(1);
    const csv = join(TMP, 'flowers.csv');
    writeFileSync(csv, `${rows.join('\n')}\n`);
    const p = await axon('predict', model, '--input', csv);
    expect(p.code, p.stderr).toBe(0);
    expect(p.stdout.trim().split('\n')).toHaveLength(151);
    expect(p.stdout).toMatch(/^0,setosa,/m);
    expect(Number(/accuracy (\d+\.\d+)%/.exec(p.stderr)![1])).toBeGreaterThan(85);
  });

  it('--model cnn on digits: NCHW images through conv blocks; trains, saves, evaluates and predicts', async () => {
    const model = join(TMP, 'digits-cnn.safetensors');
    const r = await axon('train', '--model', 'cnn', '--dataset', 'digits', '--filters', '8,16', '--layers', '32', '--epochs', '12', '--batch-size', '32', '--lr', '0.003', '--val', '0', '--save', model);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toContain('model: conv 3×3 ×8 same → pool → conv 3×3 ×16 same → pool → 64-32-10 CNN, relu, init he, dropout 0.2');
    const acc = /^test: loss \S+ {2}accuracy (\S+)/m.exec(r.stdout)![1];
    expect(Number.parseFloat(acc!)).toBeGreaterThan(85);
    const e = await axon('evaluate', model);
    expect(e.code, e.stderr).toBe(0);
    expect(/^test: loss \S+ {2}accuracy (\S+)/m.exec(e.stdout)![1]).toBe(acc);
    const csv = join(TMP, 'digits-rows.csv');
    const rows = gunzipSync(readFileSync(join(SHARED, 'sklearn', 'digits.csv.gz'))).toString('utf8').trim().split('\n').slice(0, 40);
    writeFileSync(csv, `${rows.join('\n')}\n`);
    const p = await axon('predict', model, '--input', csv);
    expect(p.code, p.stderr).toBe(0);
    expect(p.stdout.trim().split('\n')).toHaveLength(41);
    expectUsageError(await axon('train', '--model', 'cnn', '--dataset', 'iris'), '--model cnn needs an image dataset', 'iris is tabular');
  });

  it('csv:PATH reads a numeric CSV whose last column is the class', async () => {
    const csv = join(TMP, 'blobs.csv');
    const lines = ['x,y,label'];
    for (let i = 0; i < 200; i++) {
      const c = i % 2;
      lines.push(`${(c ? 3 : -3) + Math.sin(i * 12.9898) * 1.5},${(c ? -1 : 1) + Math.cos(i * 78.233) * 1.5},${c}`);
    }
    writeFileSync(csv, `${lines.join('\n')}\n`);
    const r = await axon('train', '--dataset', `csv:${csv}`, '--layers', '8', '--epochs', '20', '--batch-size', '16', '--dropout', '0', '--lr', '0.01', '--batchnorm', '--l2', '1e-4', '--max-norm', '3', '--schedule', 'step', '--optimizer', 'sgd', '--momentum', '0.9');
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toContain('144 train / 16 validation / 40 test samples'); // test 20 % of 200, validation 10 % of the rest
    expect(Number(/^test: loss \S+ {2}accuracy (\d+\.\d+)%/m.exec(r.stdout)![1])).toBeGreaterThan(90);
  });
});

describe('argument parser', () => {
  const spec: CommandSpec = {
    name: 't',
    summary: 'test',
    positionals: [{ name: 'FILE', help: 'a file' }],
    flags: [
      { name: 'rate', type: 'number', min: 0, minOpen: true, default: 0.5, help: 'a rate' },
      { name: 'count', type: 'int', min: 1, help: 'a count' },
      { name: 'sizes', type: 'ints', min: 1, default: [4, 2], help: 'sizes' },
      { name: 'mode', type: 'string', choices: ['fast', 'slow'], default: 'fast', help: 'mode' },
      { name: 'download', type: 'bool', default: true, help: 'download' },
      { name: 'verbose', type: 'bool', help: 'verbose' },
    ],
  };

  it('reads both value forms, switches and their negation, positionals and defaults', async () => {
    const a = parseArgs(spec, ['in.csv', '--rate=1e-3', '--count', '7', '--sizes', '8,4,2', '--no-download', '--verbose']);
    expect(a.positionals).toEqual(['in.csv']);
    expect(a.flags).toEqual({ rate: 1e-3, count: 7, sizes: [8, 4, 2], mode: 'fast', download: false, verbose: true });
    expect(a.given.has('rate') && !a.given.has('mode')).toBe(true);
    expect(parseArgs(spec, []).flags).toEqual({ rate: 0.5, sizes: [4, 2], mode: 'fast', download: true });
    expect(parseArgs(spec, ['--', '--rate']).positionals).toEqual(['--rate']);
    expect(parseArgs(spec, ['--count', '3', '-h']).help).toBe(true);
  });

  it('rejects mistakes with UsageErrors that name the flag', async () => {
    const bad = (argv: string[], msg: RegExp) => expect(() => parseArgs(spec, argv)).toThrow(msg);
    bad(['--rat', '1'], /unknown flag --rat \(did you mean --rate\?\)/);
    bad(['--rate', '0'], /--rate expected a number > 0, given "0"/);
    bad(['--count', '2.5'], /--count expected an integer ≥ 1/);
    bad(['--mode', 'fats'], /did you mean 'fast'/);
    bad(['--count', '1', '--count', '2'], /given twice/);
    bad(['a', 'b'], /unexpected extra argument "b"/);
    bad(['-x'], /options are long/);
    bad(['--verbose=maybe'], /is a switch/);
    expect(() => parseArgs(spec, ['--rate'])).toThrow(UsageError);
  });

  it('help text lists every flag with its default', async () => {
    const h = helpText(spec);
    expect(h).toContain('Usage: axon t FILE [options]');
    expect(h).toMatch(/--rate X +a rate \(default 0\.5\)/);
    expect(h).toContain('--mode fast|slow');
    expect(h).toContain('--help, -h');
  });
});

describe('progress bar', () => {
  it('draws on a terminal at most every 100 ms and always the last step; erases itself at the end', async () => {
    let t = 0;
    const writes: string[] = [];
    const bar = new ProgressBar({ write: (s: string) => writes.push(s), isTTY: true, columns: 100 }, 'epoch 1/3', 50, { now: () => t });
    for (let step = 1; step <= 50; step++) {
      t += 10; // 10 ms per step → a redraw every 10 steps
      bar.update(step, 128, 0.5);
    }
    bar.end();
    expect(bar.draws).toBeGreaterThanOrEqual(5);
    expect(bar.draws).toBeLessThanOrEqual(6);
    expect(writes[writes.length - 2]).toMatch(/^\repoch 1\/3 \[=+\] 50\/50 {2}12\.8k samples\/s {2}ETA 0s {2}loss 0\.5000\x1b\[K$/);
    expect(writes[writes.length - 1]).toBe('\r\x1b[K');
    for (const w of writes.slice(0, -1)) expect(w.length).toBeLessThan(110);
  });

  it('shows step, rate, ETA and running loss mid-epoch', async () => {
    let t = 0;
    const bar = new ProgressBar({ write: () => 0, isTTY: true, columns: 120 }, 'epoch 2/10', 100, { now: () => t });
    t = 1000;
    bar.update(1, 100, 2);
    t = 2000;
    bar.update(2, 100, 1);
    expect(bar.render(2, 2000)).toMatch(/ {2}2\/100 {2}100 samples\/s {2}ETA 1m38s {2}loss 1\.5000$/);
  });

  it('draws nothing when the output is not a terminal', async () => {
    const writes: string[] = [];
    const bar = new ProgressBar({ write: (s: string) => writes.push(s) }, 'epoch 1/1', 10);
    for (let s = 1; s <= 10; s++) bar.update(s, 32, 1);
    bar.end();
    expect(writes).toEqual([]);
  });

  it('costs far below 1 % of an epoch (< 2 µs per step on a terminal)', async () => {
    const bar = new ProgressBar({ write: () => 0, isTTY: true, columns: 100 }, 'epoch 1/1', 100_000);
    const t0 = performance.now();
    for (let s = 1; s <= 100_000; s++) bar.update(s, 128, 0.25);
    const perStep = (performance.now() - t0) / 100_000;
    // MNIST: 422 steps of ≥ 5 ms each; 2 µs per step is 0.04 %.
    expect(perStep).toBeLessThan(0.002);
  });

  it('formats durations', async () => {
    expect([formatDuration(4.44), formatDuration(12.4), formatDuration(185), formatDuration(3720), formatDuration(NaN)]).toEqual(['4.4s', '12s', '3m05s', '1h02m', '?']);
  });
});

describe('plot and confusion matrix', () => {
  it('nice ticks cover the range in steps of 1, 2 or 5 × 10^k', async () => {
    expect(niceTicks(0.08, 2.3)).toEqual([0, 0.5, 1, 1.5, 2, 2.5]);
    expect(niceTicks(91.2, 99.1)).toEqual([90, 92, 94, 96, 98, 100]);
    const flat = niceTicks(0.5, 0.5);
    expect(flat[0]!).toBeLessThan(0.5);
    expect(flat[flat.length - 1]!).toBeGreaterThan(0.5);
  });

  it('writes a well-formed SVG and escapes titles', async () => {
    const svg = trainingCurvesSvg('data <"a&b"> · test', { loss: [1, 0.5, 0.3], accuracy: [0.7, 0.85, 0.9], valLoss: [0.9, 0.6, 0.4], valAccuracy: [0.75, 0.8, 0.88] });
    checkSvg(svg);
    expect(svg).toContain('data &lt;&quot;a&amp;b&quot;&gt; · test');
    expect((svg.match(/<polyline /g) ?? []).length).toBe(4);
    const noVal = trainingCurvesSvg('t', { loss: [1, 0.5], accuracy: [0.5, 0.6], valLoss: [NaN, NaN], valAccuracy: [NaN, NaN] });
    checkSvg(noVal);
    expect(noVal).not.toContain('>validation</text>');
  });

  it('confusion matrix: rows are true classes, with recall; long class names get a legend', async () => {
    const m = confusionMatrix([0, 0, 1, 1, 2], [0, 1, 1, 1, 0], 3);
    expect(m).toEqual([[1, 1, 0], [0, 2, 0], [1, 0, 0]]);
    const text = formatConfusion(m, ['0', '1', '2']);
    expect(text.split('\n')[3]).toMatch(/^ {3}0 +1 +1 +0 \| +50\.0%$/);
    const named = formatConfusion(m, ['T-shirt/top', 'Trouser', 'Pullover']);
    expect(named).toContain('classes: 0 = T-shirt/top, 1 = Trouser, 2 = Pullover');
  });
});
