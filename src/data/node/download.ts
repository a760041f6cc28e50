/**
 * Verified, atomic downloads: fetch from each mirror in turn, check the sha256 in memory, then
 * write a temporary file beside the destination and rename it into place, so the cache never
 * holds a partial or unverified file (even with concurrent processes or a crash mid-write).
 */
import { createHash, randomBytes } from 'node:crypto';
import { mkdir, rename, unlink, writeFile } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';

/** Progress of one file's download, reported as chunks arrive. */
export interface DownloadProgress {
  /** File name, e.g. `train-images-idx3-ubyte.gz`. */
  file: string;
  /** The URL being fetched. */
  url: string;
  /** Bytes received so far. */
  received: number;
  /** Total bytes when the server sent a Content-Length, else undefined. */
  total: number | undefined;
}

/** What {@link downloadVerified} needs. */
export interface DownloadRequest {
  /** Full URLs to try in order (one per mirror). */
  urls: readonly string[];
  /** Expected sha256, lowercase hex. */
  sha256: string;
  /** Final path of the file. */
  dest: string;
  /** Largest accepted response body, bytes. */
  maxBytes: number;
  /** Per-URL time limit, ms. */
  timeoutMs: number;
  /** Called after every received chunk. */
  onProgress?: (p: DownloadProgress) => void;
}

/** Lowercase hex sha256 of `bytes`. */
export function sha256Hex(bytes: Uint8Array): string {
  return createHash('sha256').update(bytes).digest('hex');
}

/**
 * Downloads `req.dest` from the first mirror that serves bytes with the expected sha256.
 * Resolves when the file is in place; rejects with an Error whose message lists every attempt
 * (`url: reason`), joined by '; '.
 */
export async function downloadVerified(req: DownloadRequest): Promise<void> {
  const failures: string[] = [];
  for (const url of req.urls) {
    let bytes: Uint8Array;
    try {
      bytes = await fetchCapped(url, req);
    } catch (e) {
      failures.push(`${url}: ${reason(e)}`);
      continue;
    }
    const got = sha256Hex(bytes);
    if (got !== req.sha256) {
      failures.push(`${url}: sha256 mismatch (got ${got}, expected ${req.sha256})`);
      continue;
    }
    await writeAtomic(req.dest, bytes);
    return;
  }
  throw new Error(failures.join('; '));
}

async function fetchCapped(url: string, req: DownloadRequest): Promise<Uint8Array> {
  const res = await fetch(url, { signal: AbortSignal.timeout(req.timeoutMs), redirect: 'follow' });
  if (!res.ok) {
    await res.body?.cancel().catch(() => {});
    throw new Error(`HTTP ${res.status}${res.statusText ? ` ${res.statusText}` : ''}`);
  }
  const header = res.headers.get('content-length');
  const total = header !== null && /^\d+$/.test(header) ? Number(header) : undefined;
  if (total !== undefined && total > req.maxBytes) {
    await res.body?.cancel().catch(() => {});
    throw new Error(`response is ${total} bytes, more than maxBytes = ${req.maxBytes}`);
  }
  const chunks: Uint8Array[] = [];
  let received = 0;
  const file = basename(req.dest);
  if (res.body) {
    const reader = res.body.getReader();
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      received += value.length;
      if (received > req.maxBytes) {
        await reader.cancel().catch(() => {});
        throw new Error(`response exceeds maxBytes = ${req.maxBytes}`);
      }
      chunks.push(value);
      req.onProgress?.({ file, url, received, total });
    }
  }
  if (total !== undefined && received !== total) throw new Error(`incomplete body: ${received} of ${total} bytes`);
  const out = new Uint8Array(received);
  let at = 0;
  for (const c of chunks) {
    out.set(c, at);
    at += c.length;
  }
  return out;
}

/** Writes `bytes` to a unique temporary file in `dest`'s folder, then renames it to `dest`. */
export async function writeAtomic(dest: string, bytes: Uint8Array): Promise<void> {
  const dir = dirname(dest);
  await mkdir(dir, { recursive: true });
  const tmp = join(dir, `.${basename(dest)}.${process.pid}.${randomBytes(6).toString('hex')}.part`);
  try {
    await writeFile(tmp, bytes, { flag: 'wx' });
    await rename(tmp, dest);
  } catch (e) {
    await unlink(tmp).catch(() => {});
    throw e;
  }
}

/** A short reason for a failed fetch: the network error's code/message rather than "fetch failed". */
function reason(e: unknown): string {
  const err = e as Error & { cause?: { code?: string; message?: string } };
  if (err?.name === 'TimeoutError') return 'timed out';
  const cause = err?.cause;
  if (cause) return cause.code ? `${cause.code}${cause.message && !cause.message.includes(cause.code) ? ` (${cause.message})` : ''}` : String(cause.message ?? cause);
  return err?.message ?? String(e);
}
