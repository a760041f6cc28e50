/** Identity of axon's saved-model format (shared by save.ts, load.ts and the core exports). */

/** Format tag of saved models. */
export const MODEL_FORMAT = 'axon.model';
/** Current version of the saved-model format. */
export const MODEL_FORMAT_VERSION = 1;
