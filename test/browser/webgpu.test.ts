/**
 * The library in a real browser: test/browser/page.ts is bundled with esbuild, served with the
 * wasm kernels from a throwaway HTTP server on 127.0.0.1, and opened in headless Chromium
 * (Debian's `chromium`, driven by `playwright-core`; WebGPU there runs on SwiftShader). The
 * page trains a small network on wasm and on webgpu, with the manual loop and with
 * `model.fit` + `evaluate`; the loss must fall on both and the two backends must agree (losses
 * within 1e-4 relative, weights within 2e-5·max|w| + 1e-6).
 *
 * Skipped with the reason where Chromium or playwright-core is missing, except in CI
 * (`.ci/run` installs them), where a missing browser fails the test.
 */
import { existsSync, readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { webgpuRequired } from '../helpers/webgpu.js';
import type { PageResult } from './page.js';

const CHROMIUM = process.env['AXON_CHROMIUM'] ?? '/usr/bin/chromium';
const ARGS = ['--headless=new', '--no-sandbox', '--enable-unsafe-webgpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'];
const WASM = fileURLToPath(new URL('../../build/axon-simd.wasm', import.meta.url));
const PAGE = fileURLToPath(new URL('./page.ts', import.meta.url));

type Playwright = typeof import('playwright-core');

async function findPlaywright(): Promise<Playwright | string> {
  if (!existsSync(CHROMIUM)) return `no Chromium at ${CHROMIUM} (apt-get install chromium, or set AXON_CHROMIUM)`;
  if (!existsSync(WASM)) return `no ${WASM} (npm run build:wasm)`;
  try {
    return await import('playwright-core');
  } catch (e) {
    return `playwright-core did not load: ${(e as Error).message}`;
  }
}

const pw = await findPlaywright();
const skip = typeof pw === 'string' ? pw : undefined;

/** Bundles the page script for the browser (ESM, no Node built-ins). */
async function bundle(): Promise<string> {
  const { build } = await import('esbuild');
  const out = await build({
    entryPoints: [PAGE],
    bundle: true,
    format: 'esm',
    platform: 'browser',
    target: 'es2022',
    write: false,
    logLevel: 'silent',
    external: ['node:*'],
  });
  return out.outputFiles[0]!.text;
}

describe.skipIf(skip !== undefined && !webgpuRequired())(`browser: wasm and webgpu in headless Chromium${skip ? ` (skipped: ${skip})` : ''}`, () => {
  let server: Server | undefined;
  let origin = '';

  beforeAll(async () => {
    if (skip) return;
    const js = await bundle();
    const files: Record<string, [string, string | Buffer]> = {
      '/': ['text/html', '<!doctype html><meta charset="utf-8"><title>axon webgpu test</title><script type="module" src="/page.js"></script>'],
      '/page.js': ['text/javascript', js],
      '/axon-simd.wasm': ['application/wasm', readFileSync(WASM)],
    };
    server = createServer((req, res) => {
      const f = files[(req.url ?? '/').split('?')[0]!];
      if (!f) {
        res.writeHead(404).end();
        return;
      }
      res.writeHead(200, { 'content-type': f[0], 'cache-control': 'no-store' }).end(f[1]);
    });
    await new Promise<void>((resolve) => server!.listen(0, '127.0.0.1', resolve));
    origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  }, 60_000);

  afterAll(async () => {
    await new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve()));
  });

  it('the browser and playwright-core are present where required', () => {
    expect(skip, 'CI must have Chromium and playwright-core (.ci/run installs them)').toBeUndefined();
  });

  it('trains a small network on wasm and on webgpu in the page: the loss falls and the backends agree', async () => {
    const { chromium } = pw as Playwright;
    const browser = await chromium.launch({ executablePath: CHROMIUM, args: ARGS });
    const logs: string[] = [];
    try {
      const page = await browser.newPage();
      page.on('console', (m) => logs.push(`${m.type()}: ${m.text()}`));
      page.on('pageerror', (e) => logs.push(`pageerror: ${e.message}`));
      await page.goto(`${origin}/`);
      await page.waitForFunction(() => '__axonResult' in globalThis, undefined, { timeout: 30_000 });
      const result = (await page.evaluate(() => (globalThis as unknown as { __axonResult: Promise<unknown> }).__axonResult)) as PageResult;
      if (!result.ok) expect.fail(`the page failed: ${result.error}\n${logs.join('\n')}`);
      const [wasm, webgpu] = result.runs;
      expect(wasm!.backend).toBe('wasm');
      expect(webgpu!.backend).toBe('webgpu');
      expect(webgpu!.notes.join(' ')).toMatch(/adapter: /);
      for (const run of result.runs) expect(run.losses.at(-1)!, `${run.backend} losses ${run.losses.join(', ')}`).toBeLessThan(0.5 * run.losses[0]!);
      wasm!.losses.forEach((l, i) => expect(Math.abs(webgpu!.losses[i]! - l), `loss at step ${i}`).toBeLessThanOrEqual(1e-4 * Math.abs(l) + 1e-6));
      expect(webgpu!.weights.length).toBe(wasm!.weights.length);
      wasm!.weights.forEach((w, t) => {
        const scale = w.reduce((m, v) => Math.max(m, Math.abs(v)), 0);
        w.forEach((v, i) => expect(Math.abs(webgpu!.weights[t]![i]! - v), `weight tensor ${t} element ${i}`).toBeLessThanOrEqual(2e-5 * scale + 1e-6));
      });
      // model.fit / evaluate in the page
      for (const run of result.runs) expect(run.fitLosses.at(-1)!, `${run.backend} fit losses ${run.fitLosses.join(', ')}`).toBeLessThan(0.7 * run.fitLosses[0]!);
      wasm!.fitLosses.forEach((l, e) => expect(Math.abs(webgpu!.fitLosses[e]! - l), `fit loss at epoch ${e}`).toBeLessThanOrEqual(1e-4 * Math.abs(l) + 1e-5));
      expect(Math.abs(webgpu!.evaluated.loss - wasm!.evaluated.loss)).toBeLessThanOrEqual(1e-4 * wasm!.evaluated.loss + 1e-5);
      expect(webgpu!.evaluated.accuracy).toBe(wasm!.evaluated.accuracy);
    } finally {
      await browser.close();
    }
  }, 120_000);
});
