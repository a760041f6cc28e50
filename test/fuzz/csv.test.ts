/** Fuzzing of the csv input path with a bounded number of runs (see ./csv.ts; `npm run fuzz` runs many more). */
import { describe, it } from 'vitest';
import { runTarget } from './common.js';
import { csvTargets } from './csv.js';

describe('fuzz: csv', () => {
  for (const t of csvTargets) it(`${t.name} (${t.runs} runs)`, () => runTarget(t), 60_000);
});
