/** Fuzzing of the idx input path with a bounded number of runs (see ./idx.ts; `npm run fuzz` runs many more). */
import { describe, it } from 'vitest';
import { runTarget } from './common.js';
import { idxTargets } from './idx.js';

describe('fuzz: idx', () => {
  for (const t of idxTargets) it(`${t.name} (${t.runs} runs)`, () => runTarget(t), 60_000);
});
