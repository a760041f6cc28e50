import { statSync } from 'node:fs';
import { describe, expect, it } from 'vitest';

// DESIGN §7 / issue budget: each release .wasm stays under 100 KB.
describe('release wasm size', () => {
  it('build/axon-simd.wasm is under 100 KB', () => {
    const bytes = statSync(new URL('../build/axon-simd.wasm', import.meta.url)).size;
    expect(bytes).toBeGreaterThan(10_000);
    expect(bytes).toBeLessThan(100 * 1024);
  });
});
