/** Fuzzing of the safetensors input path with a bounded number of runs (see ./safetensors.ts; `npm run fuzz` runs many more). */
import { describe, it } from 'vitest';
import { runTarget } from './common.js';
import { safetensorsTargets } from './safetensors.js';

describe('fuzz: safetensors', () => {
  for (const t of safetensorsTargets) it(`${t.name} (${t.runs} runs)`, () => runTarget(t), 60_000);
});
