/**
 * WebGPU for the tests in Node: Dawn (the `webgpu` npm package) on a Vulkan driver — in CI,
 * Debian's SwiftShader (software Vulkan, shipped with the `chromium` package), selected through
 * `VK_ICD_FILENAMES`. `.ci/run` installs both.
 *
 * The GPU object returned by Dawn's `create()` must stay reachable while any of its devices is
 * in use (Dawn's Node binding crashes when it is collected early), so it is kept on globalThis
 * for the life of the test process.
 */
import { existsSync } from 'node:fs';

/** Where Debian's chromium package puts the SwiftShader Vulkan ICD manifest. */
export const SWIFTSHADER_ICD = '/usr/lib/chromium/vk_swiftshader_icd.json';

/** The GPU to pass as `init({ backend: 'webgpu', gpu })`, or why there is none. */
export interface TestGpu {
  gpu?: unknown;
  reason?: string;
}

const KEEP = Symbol.for('axon.test.dawnGpu');
let cached: Promise<TestGpu> | undefined;

async function load(): Promise<TestGpu> {
  const nav = (globalThis as { navigator?: { gpu?: unknown } }).navigator;
  if (nav?.gpu) return { gpu: nav.gpu };
  const keep = globalThis as unknown as Record<symbol, unknown>;
  if (keep[KEEP]) return { gpu: keep[KEEP] };
  if (!process.env['VK_ICD_FILENAMES'] && existsSync(SWIFTSHADER_ICD)) process.env['VK_ICD_FILENAMES'] = SWIFTSHADER_ICD;
  let mod: { create: (flags: string[]) => unknown; globals: object };
  try {
    mod = (await import('webgpu')) as unknown as typeof mod;
  } catch (e) {
    return { reason: `the 'webgpu' package (Dawn for Node) did not load: ${(e as Error).message}` };
  }
  Object.assign(globalThis, mod.globals);
  // Test-only speed-up: WebGPU zero-fills workgroup memory before every dispatch, and the code
  // Tint emits for that dominates shader compile time on SwiftShader (~0.5 s per 4 KiB of
  // workgroup memory). Every axon kernel writes its workgroup memory before reading it, so the
  // results are the same with the zero-fill off.
  const gpu = mod.create(['enable-dawn-features=disable_workgroup_init']);
  keep[KEEP] = gpu;
  return { gpu };
}

/** Dawn's GPU object (created once per test process), or the reason it is unavailable. */
export function testGpu(): Promise<TestGpu> {
  return (cached ??= load());
}

/**
 * True where the webgpu suites must run rather than skip: in CI (`CI` set; `.ci/run` installs
 * Dawn's driver) or when `AXON_REQUIRE_WEBGPU=1`. `AXON_REQUIRE_WEBGPU=0` turns it off.
 */
export function webgpuRequired(): boolean {
  const flag = process.env['AXON_REQUIRE_WEBGPU'];
  if (flag !== undefined) return flag === '1';
  const ci = process.env['CI'];
  return ci !== undefined && ci !== '' && ci !== 'false' && ci !== '0';
}
