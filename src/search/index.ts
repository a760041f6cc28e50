/** Random hyperparameter search: samplers, the search loop and its result table. */
export { uniformAt } from './random.js';
export {
  Sampler,
  UniformSampler,
  LogUniformSampler,
  IntUniformSampler,
  ChoiceSampler,
  uniform,
  logUniform,
  intUniform,
  choice,
  sampleParams,
  sampleSpace,
  describeSpace,
  type SearchSpace,
  type SampledParams,
} from './space.js';
export type { RandomSearchOptions, TrialResult, SearchSamples } from './search.js';
export { randomSearch } from './run.js';
export { formatTable, formatValue, type FormatTableOptions } from './table.js';
