// Cheap under load: the status page and /metrics are computed at most once per registry change and at most once per
// `maxAgeMs`, then served from memory with their gzip form and an ETag, however many clients ask.
//
// "A registry change" is a version string the server builds from two sources, because neither sees every write:
// SQLite's `PRAGMA data_version` changes when another connection (the CLI, another daemon) commits, but not for
// writes on the daemon's own connection; for those the daemon bumps an in-process generation counter after each scan,
// retry pass and lease change. The age limit covers what neither counts (time passing: days left, "overdue").
import crypto from 'node:crypto';
import zlib from 'node:zlib';

/** A computed answer, ready to send as it is or gzipped. */
export interface CachedBody {
  readonly body: Buffer;
  /** Null when the body is too small for compression to pay. */
  readonly gzipped: Buffer | null;
  /** A weak validator (RFC 9110 §8.8.3): the gzipped and the plain form carry the same one. */
  readonly etag: string;
}

/** Bodies below this size are sent as they are. */
export const GZIP_MIN_BYTES = 1024;

export function cachedBody(text: string): CachedBody {
  const body = Buffer.from(text, 'utf8');
  const gzipped = body.length >= GZIP_MIN_BYTES ? zlib.gzipSync(body, { level: 6 }) : null;
  const etag = `W/"${crypto.createHash('sha256').update(body).digest('base64url').slice(0, 32)}"`;
  return { body, gzipped, etag };
}

interface Entry {
  readonly version: string;
  readonly computedAtMs: number;
  readonly value: Promise<CachedBody>;
}

export interface ResponseCacheOptions {
  /** The longest a computed answer is served, even when nothing changed. */
  readonly maxAgeMs: number;
  /** How many different answers (e.g. pages of the token table) are kept; the least recently used goes first. */
  readonly maxEntries: number;
  /** Milliseconds on the injected clock. */
  readonly nowMs: () => number;
}

export class ResponseCache {
  private readonly entries = new Map<string, Entry>();
  private computations = 0;

  constructor(private readonly options: ResponseCacheOptions) {}

  /** How many times an answer was computed (for tests and the bench). */
  get computeCount(): number {
    return this.computations;
  }

  /**
   * The answer for `key` at registry `version`: the kept one while it is fresh, else a new one from `compute`.
   * Concurrent requests share one computation. A null version (the registry cannot be read) is never kept.
   */
  get(key: string, version: string | null, compute: () => Promise<CachedBody> | CachedBody): Promise<CachedBody> {
    const now = this.options.nowMs();
    if (version === null) {
      this.computations += 1;
      return Promise.resolve().then(compute);
    }
    const entry = this.entries.get(key);
    if (entry !== undefined && entry.version === version && now >= entry.computedAtMs && now - entry.computedAtMs < this.options.maxAgeMs) {
      // Least recently used order: a Map iterates in insertion order.
      this.entries.delete(key);
      this.entries.set(key, entry);
      return entry.value;
    }
    this.computations += 1;
    const value = Promise.resolve().then(compute);
    this.entries.delete(key);
    this.entries.set(key, { version, computedAtMs: now, value });
    // A failed computation is not kept: the next request tries again.
    value.catch(() => {
      if (this.entries.get(key)?.value === value) this.entries.delete(key);
    });
    while (this.entries.size > this.options.maxEntries) {
      const oldest = this.entries.keys().next().value;
      if (oldest === undefined) break;
      this.entries.delete(oldest);
    }
    return value;
  }
}

/** Whether `If-None-Match` names `etag`, by weak comparison (RFC 9110 §13.1.2): `*`, or one of a list of tags. */
export function matchesIfNoneMatch(header: string | undefined, etag: string): boolean {
  if (header === undefined) return false;
  if (header.trim() === '*') return true;
  const opaque = (tag: string): string => tag.trim().replace(/^W\//, '');
  const wanted = opaque(etag);
  return header.split(',').some((tag) => opaque(tag) === wanted);
}

/** Whether the client takes gzip (RFC 9110 §12.5.3): named, or `*`, and not with q=0. */
export function acceptsGzip(header: string | undefined): boolean {
  if (header === undefined) return false;
  return header.split(',').some((part) => {
    const [coding = '', ...params] = part.trim().toLowerCase().split(';');
    if (coding.trim() !== 'gzip' && coding.trim() !== '*') return false;
    const q = params.map((p) => /^\s*q\s*=\s*([\d.]+)\s*$/.exec(p)?.[1]).find((v) => v !== undefined);
    return q === undefined || Number(q) > 0;
  });
}
