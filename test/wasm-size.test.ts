import { statSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { WASM_BUILDS, WASM_BUILD_FILES } from '../bindings/instantiate.js';

// DESIGN §7 / issue budget: each release .wasm stays under 100 KB.
describe('release wasm size', () => {
  for (const build of WASM_BUILDS) {
    const file = WASM_BUILD_FILES[build];
    it(`build/${file} is under 100 KB`, () => {
      const bytes = statSync(new URL(`../build/${file}`, import.meta.url)).size;
      expect(bytes).toBeGreaterThan(10_000);
      expect(bytes).toBeLessThan(100 * 1024);
    });
  }
});
