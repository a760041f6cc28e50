/**
 * The runnable examples (examples/*.ts), each run as a subprocess (`node --import tsx`) in its
 * short mode, asserting the key printed results: the worked example's numbers, the XOR
 * verdicts, accuracies well above chance, and the SVG files (well-formed, with the expected
 * images / curves). Examples that need a dataset are skipped with a reason when it is absent.
 */
import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const SHARED = process.env.AXON_DATA ? resolve(process.env.AXON_DATA) : fileURLToPath(new URL('../../shared/data', import.meta.url));
const HAVE_MNIST = existsSync(join(SHARED, 'mnist', 't10k-labels-idx1-ubyte.gz'));
const HAVE_DIGITS = existsSync(join(SHARED, 'sklearn', 'digits.csv.gz'));
const OUT = mkdtempSync(join(tmpdir(), 'axon-examples-'));

afterAll(() => rmSync(OUT, { recursive: true, force: true }));

interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs `examples/<name>.ts` with `args` under tsx; resolves with its exit code and output. */
function run(name: string, args: string[] = []): Promise<Run> {
  return new Promise((done) => {
    execFile(
      process.execPath,
      ['--import', 'tsx', join('examples', `${name}.ts`), ...args],
      { cwd: ROOT, env: { ...process.env, AXON_DATA: SHARED }, timeout: 60_000, maxBuffer: 8 << 20 },
      (err, stdout, stderr) => done({ code: err ? (typeof err.code === 'number' ? err.code : 1) : 0, stdout, stderr }),
    );
  });
}

/** The number in the first match of `re`'s capture group 1. */
function num(text: string, re: RegExp): number {
  const m = re.exec(text);
  expect(m, `${re} in:\n${text}`).not.toBeNull();
  return Number(m![1]);
}

/** Throws unless `xml` is well-formed enough: one root, balanced start/end tags, quoted attributes. */
function checkXml(xml: string): void {
  const body = xml.replace(/^<\?xml[^?]*\?>\s*/, '');
  const stack: string[] = [];
  let roots = 0;
  const tag = /<(\/?)([A-Za-z][\w:-]*)((?:\s+[\w:-]+="[^"<]*")*)\s*(\/?)>/g;
  let at = 0;
  for (let m = tag.exec(body); m; m = tag.exec(body)) {
    const between = body.slice(at, m.index);
    if (between.includes('<') || between.includes('>')) throw new Error(`malformed markup near ${JSON.stringify(between.slice(0, 60))}`);
    at = m.index + m[0].length;
    const [, close, name, , selfClose] = m;
    if (close) {
      if (stack.pop() !== name) throw new Error(`unbalanced </${name}>`);
    } else {
      if (stack.length === 0) roots++;
      if (!selfClose) stack.push(name!);
    }
  }
  if (body.slice(at).trim() !== '') throw new Error('text after the root element');
  if (stack.length !== 0) throw new Error(`unclosed <${stack.join('>, <')}>`);
  if (roots !== 1) throw new Error(`${roots} root elements`);
}

describe('examples', () => {
  it('xor: the perceptron learns OR and AND but not XOR; the MLP learns XOR', async () => {
    const r = await run('xor');
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toContain('perceptron OR: learned');
    expect(r.stdout).toContain('perceptron AND: learned');
    expect(r.stdout).toContain('perceptron XOR: failed');
    expect(r.stdout).toContain('MLP XOR: learned');
    expect(r.stdout).toMatch(/predictions \[0, 1, 1, 0\] after \d+ epochs/);
  });

  for (const backend of ['js', 'wasm']) {
    it(`backprop-worked-example [${backend}]: the notes' numbers, and axon's autograd agrees`, async () => {
      const r = await run('backprop-worked-example', ['--backend', backend]);
      expect(r.code, r.stderr).toBe(0);
      expect(r.stdout).toContain(`backend: ${backend}`);
      expect(r.stdout).toMatch(/^ {2}E = 0\.298371109$/m);
      expect(r.stdout).toContain('out_o1 = 0.75136507');
      expect(r.stdout).toContain('= 0.0821670406'); // ∂E/∂w5
      expect(r.stdout).toMatch(/w5⁺ = w5 − η·∂E\/∂w5 = 0\.4 − 0\.5 · 0\.0821670406 = 0\.35891648$/m);
      expect(r.stdout).toMatch(/w1⁺ = w1 − η·∂E\/∂w1 = 0\.15 − 0\.5 · 0\.000438567734 = 0\.149780716$/m);
      expect(r.stdout).toContain('all updated weights: w1⁺ = 0.149780716, w2⁺ = 0.199561432, w3⁺ = 0.249751144, w4⁺ = 0.299502287, w5⁺ = 0.35891648, w6⁺ = 0.408666186, w7⁺ = 0.51130127, w8⁺ = 0.561370121');
      // float32 autograd: the same numbers to 7 significant digits
      expect(r.stdout).toContain('outputs [0.7513651, 0.7729285]   E = 0.2983711');
      expect(r.stdout).toContain('w1⁺ = 0.1497807, w2⁺ = 0.1995614, w3⁺ = 0.2497512, w4⁺ = 0.2995023, w5⁺ = 0.3589165, w6⁺ = 0.4086662, w7⁺ = 0.5113013, w8⁺ = 0.5613701');
      expect(r.stdout).toMatch(/largest difference from the hand calculation: [\d.]+e-\d+ → matches/);
    });
  }

  it.skipIf(!HAVE_MNIST)(`mnist-mlp-manual: two short epochs of the manual loop, accuracy well above chance${HAVE_MNIST ? '' : ' (skipped: MNIST not found; set AXON_DATA)'}`, async () => {
    const r = await run('mnist-mlp-manual', ['--epochs', '2', '--limit', '2000', '--test-limit', '1000']);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toContain('MNIST: 2000 training and 1000 test images');
    const l1 = num(r.stdout, /epoch 1\/2 {2}loss ([\d.]+)/);
    const l2 = num(r.stdout, /epoch 2\/2 {2}loss ([\d.]+)/);
    expect(l2).toBeLessThan(l1);
    expect(num(r.stdout, /test accuracy: ([\d.]+)% \(\d+\/1000\)/)).toBeGreaterThan(80);
  });

  it.skipIf(!HAVE_MNIST)(`mnist-cnn: one short epoch of the LeNet-style CNN, accuracy well above chance${HAVE_MNIST ? '' : ' (skipped: MNIST not found)'}`, async () => {
    const r = await run('mnist-cnn', ['--epochs', '1', '--limit', '1000', '--test-limit', '500', '--threads', '1']);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toContain('MNIST: 1000 training and 500 test images');
    expect(r.stdout).toContain('Conv2d(1 → 32, 5×5, relu) → MaxPool2d(2) → Conv2d(32 → 64, 5×5, relu) → MaxPool2d(2) → Flatten()');
    expect(r.stdout).toMatch(/epoch 1\/1 {2}loss [\d.]+ {2}accuracy [\d.]+% {2}\([\d.]+ s\)/);
    expect(num(r.stdout, /test accuracy: ([\d.]+)% \(\d+\/500\)/)).toBeGreaterThan(60);
  });

  it.skipIf(!HAVE_MNIST)(`mnist-autoencoder: trains, reports the reconstruction error, writes a valid SVG grid${HAVE_MNIST ? '' : ' (skipped: MNIST not found)'}`, async () => {
    const out = join(OUT, 'ae.svg');
    const r = await run('mnist-autoencoder', ['--epochs', '1', '--limit', '2000', '--test-limit', '200', '--images', '6', '--out', out]);
    expect(r.code, r.stderr).toBe(0);
    expect(num(r.stdout, /test reconstruction: binary cross-entropy [\d.]+, mse ([\d.]+)/)).toBeLessThan(0.1);
    expect(r.stdout).toContain(`wrote ${out} (6 originals above their reconstructions)`);
    const svg = readFileSync(out, 'utf8');
    expect(svg.startsWith('<?xml')).toBe(true);
    checkXml(svg);
    expect(svg).toMatch(/<svg xmlns="http:\/\/www.w3.org\/2000\/svg" width="\d+" height="\d+"/);
    expect(svg).toContain('>original</text>');
    expect(svg).toContain('>reconstruction</text>');
    const pngs = [...svg.matchAll(/href="data:image\/png;base64,([A-Za-z0-9+/=]+)"/g)].map((m) => Buffer.from(m[1]!, 'base64'));
    expect(pngs).toHaveLength(12);
    for (const png of pngs) {
      expect([...png.subarray(0, 8)]).toEqual([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
      expect(png.toString('ascii', 12, 16)).toBe('IHDR');
      expect([png.readUInt32BE(16), png.readUInt32BE(20)]).toEqual([28, 28]);
    }
  });

  it.skipIf(!HAVE_MNIST)(`mnist-pca: explained variance, decorrelated and whitened covariances, A_k errors, k-NN on components, a valid SVG${HAVE_MNIST ? '' : ' (skipped: MNIST not found)'}`, async () => {
    const out = join(OUT, 'pca.svg');
    const r = await run('mnist-pca', ['--limit', '2000', '--test-limit', '200', '--k', '30', '--images', '4', '--out', out]);
    expect(r.code, r.stderr).toBe(0);
    const m = /components for 50 \/ 90 \/ 95 \/ 99 % of the variance: (\d+) \/ (\d+) \/ (\d+) \/ (\d+)/.exec(r.stdout);
    expect(m, r.stdout).not.toBeNull();
    const [c50, c90, c95, c99] = m!.slice(1).map(Number) as [number, number, number, number];
    expect(c50).toBeLessThan(c90);
    expect(c90).toBeLessThan(c95);
    expect(c95).toBeLessThan(c99);
    expect(c95).toBeGreaterThan(80); // MNIST needs ~150 components for 95 %
    expect(c95).toBeLessThan(250);
    expect(num(r.stdout, /decorrelated .*largest covariance between two components ([\d.e+-]+)/)).toBeLessThan(1e-4);
    expect(num(r.stdout, /whitened .*variances ([\d.]+) …/)).toBeGreaterThan(0.99);
    expect(num(r.stdout, /whitened .*variances [\d.]+ … ([\d.]+)/)).toBeLessThan(1.01);
    expect(num(r.stdout, /whitened .*largest covariance ([\d.e+-]+)/)).toBeLessThan(1e-3);
    const mse = [10, 30, 100, 200].map((k) => num(r.stdout, new RegExp(`k = ${k}: ([\\d.]+)`)));
    for (let i = 1; i < mse.length; i++) expect(mse[i]!, 'A_k error falls as k grows').toBeLessThan(mse[i - 1]!);
    expect(num(r.stdout, /raw 784 pixels ([\d.]+) %/)).toBeGreaterThan(80);
    expect(num(r.stdout, /first 30 components ([\d.]+) %/)).toBeGreaterThan(80);
    const svg = readFileSync(out, 'utf8');
    checkXml(svg);
    for (const label of ['components 1–4', 'test images', 'rank 10', 'rank 30']) expect(svg).toContain(`>${label}</text>`);
    expect([...svg.matchAll(/href="data:image\/png;base64,/g)]).toHaveLength(16);
  });

  it.skipIf(!HAVE_DIGITS)(`digits-knn: k-NN with L1 and L2 and the linear baselines, all well above chance${HAVE_DIGITS ? '' : ' (skipped: digits not found)'}`, async () => {
    const r = await run('digits-knn', ['--k', '1,3', '--linear-epochs', '10']);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toContain('digits: 1348 training and 449 test images');
    expect(r.stdout).toMatch(/^ {3}1 +[\d.]+% +[\d.]+%$/m);
    expect(r.stdout).toMatch(/^ {3}3 +[\d.]+% +[\d.]+%$/m);
    expect(num(r.stdout, /best k-NN: k = \d, l[12]: ([\d.]+)% test accuracy/)).toBeGreaterThan(95);
    expect(num(r.stdout, /SoftmaxRegression +([\d.]+)% test accuracy/)).toBeGreaterThan(85);
    expect(num(r.stdout, /LinearSVM +([\d.]+)% test accuracy/)).toBeGreaterThan(85);
  });

  it.skipIf(!HAVE_DIGITS)(`lr-comparison: SGD, momentum and Adam from the same start; an SVG with both panels${HAVE_DIGITS ? '' : ' (skipped: digits not found)'}`, async () => {
    const out = join(OUT, 'lr.svg');
    const r = await run('lr-comparison', ['--epochs', '4', '--out', out]);
    expect(r.code, r.stderr).toBe(0);
    const final = (label: string) => num(r.stdout, new RegExp(`^ {2}${label} +loss ([\\d.]+) {2}validation accuracy`, 'm'));
    const [sgd, momentum, adam] = [final('SGD'), final('momentum'), final('Adam')];
    // momentum makes SGD's steps effectively ~10× longer: it is clearly ahead after 4 epochs
    expect(momentum).toBeLessThan(sgd);
    expect(adam).toBeLessThan(2.3);
    expect(r.stdout).toContain(`wrote ${out}`);
    const svg = readFileSync(out, 'utf8');
    checkXml(svg);
    expect(svg).toContain('>training loss</text>');
    expect(svg).toContain('>validation accuracy</text>');
    expect(svg.match(/<polyline /g)).toHaveLength(6);
    for (const label of ['SGD', 'momentum', 'Adam']) expect(svg).toContain(`>${label}</text>`);
  });

  it('a bad flag exits with code 2 and the usage', async () => {
    const r = await run('xor', ['--epoch', '3']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('unknown flag --epoch');
    expect(r.stderr).toContain('--epochs (2000)');
  });
});
