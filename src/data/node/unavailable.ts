/** The error thrown when a dataset's files are missing and cannot be fetched. */
import { AxonError } from '../../errors.js';

/** A missing dataset that could not be downloaded; the message says which files to put where. */
export class DatasetUnavailableError extends AxonError {
  /** File names that were not found. */
  readonly missing: string[];
  /** Directories that were searched. */
  readonly searched: string[];
  constructor(message: string, missing: string[], searched: string[]) {
    super('INVALID_ARGUMENT', message);
    this.name = 'DatasetUnavailableError';
    this.missing = missing;
    this.searched = searched;
  }
}
