/**
 * Finding and reading dataset files: the search directories (`dir`, `$AXON_DATA`, the cache),
 * gzip detection and size-capped decompression.
 */
import { stat, readFile } from 'node:fs/promises';
import { homedir } from 'node:os';
import { join, resolve } from 'node:path';
import { constants as bufferConstants } from 'node:buffer';
import { promisify } from 'node:util';
import { gunzip } from 'node:zlib';
import { ArgumentError, AxonError, describeValue } from '../../errors.js';
import { checkMaxBytes as checkMaxBytesOption, DEFAULT_MAX_BYTES, inputTooLarge } from '../../limits.js';
import { isGzip } from '../idx.js';

const gunzipAsync = promisify(gunzip);

/** Default cap on a file's (decompressed) size: 256 MiB, 5× MNIST's largest file. */
export { DEFAULT_MAX_BYTES };

/**
 * The default download cache: `$XDG_CACHE_HOME/axon`, else `%LOCALAPPDATA%\axon` on Windows,
 * else `~/.cache/axon`.
 */
export function defaultCacheDir(): string {
  const xdg = process.env.XDG_CACHE_HOME;
  if (xdg) return join(resolve(xdg), 'axon');
  if (process.platform === 'win32' && process.env.LOCALAPPDATA) return join(process.env.LOCALAPPDATA, 'axon');
  return join(homedir(), '.cache', 'axon');
}

/**
 * Directories searched for a dataset's files, in order: `dir` and `dir/<sub>`, then
 * `$AXON_DATA` and `$AXON_DATA/<sub>` (relative values resolve against the working directory),
 * then `extra` (the cache folder, for downloadable sets). Duplicates are dropped.
 */
export function searchDirs(sub: string, dir: string | undefined, extra: string[] = []): string[] {
  const out: string[] = [];
  const env = process.env.AXON_DATA;
  for (const base of [dir, env]) {
    if (!base) continue;
    out.push(resolve(base), resolve(base, sub));
  }
  out.push(...extra.map((d) => resolve(d)));
  return [...new Set(out)];
}

/** The first existing regular file `d/name` over dirs × names (dirs outer), or undefined. */
export async function findFile(dirs: readonly string[], names: readonly string[]): Promise<string | undefined> {
  for (const d of dirs) {
    for (const n of names) {
      const p = join(d, n);
      try {
        if ((await stat(p)).isFile()) return p;
      } catch {
        // absent: keep looking
      }
    }
  }
  return undefined;
}

/**
 * Reads a file and gunzips it when it starts with the gzip magic (1f 8b). Files or decompressed
 * contents larger than `maxBytes` and bad gzip data throw AxonError('CORRUPT_DATA') naming the path.
 */
export async function readMaybeGzip(path: string, caller: string, maxBytes = DEFAULT_MAX_BYTES): Promise<Uint8Array> {
  let raw: Uint8Array;
  try {
    const size = (await stat(path)).size;
    if (size > maxBytes) throw inputTooLarge(caller, path, size, maxBytes);
    raw = await readFile(path);
  } catch (e) {
    if (e instanceof AxonError) throw e;
    throw new ArgumentError(`${caller}: cannot read '${path}': ${(e as Error).message}`);
  }
  return isGzip(raw) ? gunzipCapped(raw, path, caller, maxBytes) : raw;
}

/**
 * Gunzips `bytes`, refusing output beyond `maxBytes`: zlib inflates chunk by chunk and stops as
 * soon as the output passes the cap, so a gzip bomb costs at most `maxBytes` (plus a chunk), not
 * an out-of-memory crash.
 */
export async function gunzipCapped(bytes: Uint8Array, name: string, caller: string, maxBytes = DEFAULT_MAX_BYTES): Promise<Uint8Array> {
  // zlib rejects a cap above the largest Buffer; past that, the Buffer limit is the cap anyway.
  const cap = Math.min(maxBytes, bufferConstants.MAX_LENGTH);
  try {
    return await gunzipAsync(bytes, { maxOutputLength: cap });
  } catch (e) {
    const err = e as NodeJS.ErrnoException;
    if (err.code === 'ERR_BUFFER_TOO_LARGE' || err instanceof RangeError) {
      throw new AxonError('CORRUPT_DATA', `${caller}: ${name} decompresses to more than maxBytes = ${cap} bytes; raise maxBytes if the file is trusted`);
    }
    throw new AxonError('CORRUPT_DATA', `${caller}: ${name} is not valid gzip data (${err.message}${err.code ? `, ${err.code}` : ''}); delete it or replace it with a good copy`);
  }
}

/** Checks a `maxBytes` option: a positive integer or Infinity; default {@link DEFAULT_MAX_BYTES}. */
export function checkMaxBytes(caller: string, v: unknown): number {
  return checkMaxBytesOption(caller, v, DEFAULT_MAX_BYTES);
}

/** Checks an optional string option (a directory). */
export function checkDirOption(caller: string, key: string, v: unknown): string | undefined {
  if (v === undefined) return undefined;
  if (typeof v !== 'string' || v === '') throw new ArgumentError(`${caller}: option '${key}' expected a directory path, given ${describeValue(v)}`);
  return v;
}

/** Checks an optional boolean option. */
export function checkBoolOption(caller: string, key: string, v: unknown, dflt: boolean): boolean {
  if (v === undefined) return dflt;
  if (typeof v !== 'boolean') throw new ArgumentError(`${caller}: option '${key}' expected true or false, given ${describeValue(v)}`);
  return v;
}
