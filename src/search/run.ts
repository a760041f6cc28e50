/**
 * `randomSearch` as the core entry exports it: the search loop (search.ts) is imported on the
 * first call instead of being part of the core bundle; it checks every option before training.
 */
import type { RandomSearchOptions, TrialResult } from './search.js';
import type { SampledParams, SearchSpace } from './space.js';

/**
 * Runs `trials` trials and resolves to their results ranked best first (see src/search/search.ts
 * and {@link RandomSearchOptions}). Print them with `formatTable(results)`.
 */
export async function randomSearch<S extends SearchSpace>(options: RandomSearchOptions<S>): Promise<Array<TrialResult<SampledParams<S>>>> {
  return (await import('./search.js')).randomSearch(options);
}
