/**
 * How the CLI reports failures. A user mistake (bad flag, unknown dataset, missing or corrupt
 * file, unusable backend) is ONE line on stderr and exit code 2; anything else is a bug and
 * prints its stack with exit code 1.
 */
import { AxonError } from '../errors.js';
import { BackendUnavailableError } from '../backends/index.js';

/** Exit code of a user mistake. */
export const EXIT_USAGE = 2;
/** Exit code of an internal error. */
export const EXIT_INTERNAL = 1;

/** A mistake in how the command was called or in the files it was given; printed as one line. */
export class UsageError extends Error {
  /** The command the mistake belongs to (`train`), or '' for the top level. */
  readonly command: string;
  constructor(command: string, message: string) {
    super(message);
    this.name = 'UsageError';
    this.command = command;
  }
}

/** Whether `e` is the user's mistake (one line, exit 2) rather than a bug. */
export function isUserError(e: unknown): boolean {
  if (e instanceof UsageError || e instanceof BackendUnavailableError) return true;
  // The library's own checks: bad values, shapes that do not fit, corrupt files, missing data.
  return e instanceof AxonError && e.code !== 'OUT_OF_MEMORY';
}

/** One line, `axon <command>: error: …`; newlines in library messages are folded so it stays a single line. */
export function errorLine(e: unknown, command = ''): string {
  const msg = e instanceof Error ? e.message : String(e);
  const cmd = e instanceof UsageError ? e.command : command;
  const where = cmd ? `axon ${cmd}` : 'axon';
  return `${where}: error: ${msg.replace(/\s*\n\s*/g, ' ')}`;
}
