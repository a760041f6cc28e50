/** Fuzzing of the gzip input path with a bounded number of runs (see ./gzip.ts; `npm run fuzz` runs many more). */
import { describe, it } from 'vitest';
import { runTarget } from './common.js';
import { gzipTargets } from './gzip.js';

describe('fuzz: gzip', () => {
  for (const t of gzipTargets) it(`${t.name} (${t.runs} runs)`, () => runTarget(t), 60_000);
});
