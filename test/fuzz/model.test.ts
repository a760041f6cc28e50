/** Fuzzing of the model input path with a bounded number of runs (see ./model.ts; `npm run fuzz` runs many more). */
import { beforeAll, describe, it } from 'vitest';
import { init } from '../../src/index.js';
import { runTarget } from './common.js';
import { modelTargets } from './model.js';

describe('fuzz: model', () => {
  beforeAll(() => init({ backend: 'js' }));
  for (const t of modelTargets) it(`${t.name} (${t.runs} runs)`, () => runTarget(t), 60_000);
});
