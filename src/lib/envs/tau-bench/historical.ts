/**
 * tau-bench's published GPT-4o airline results file (200 real episodes, MIT),
 * fetched at run time and kept in Cache Storage for offline use. It comes
 * from, in the order given: the build's bundled pack (`<app>/tau-bench/`,
 * where the Pages workflow puts it), the upstream repository at the pinned
 * commit, or a file or folder the user opened. Every copy must be the pinned
 * file exactly (its size, and its SHA-256 where the page has Web Crypto), so
 * a cut-off or different download is an error and is never cached. This returns the text; the results importer
 * parses it.
 */
import { ValidationError, errorMessage } from '../../errors.ts';
import type { TransferStatus } from '../../net/transfer-rate.ts';
import { cachedPackSource, filesPackSource, httpPackSource, type PackSource } from './pack.ts';
import { TAU_BENCH_COMMIT, TAU_BENCH_RAW_BASE } from './upstream.ts';

export const HISTORICAL_FILE = {
  name: 'gpt-4o-airline.json',
  /** Where a pack holds it (../shared/tau-bench/historical/, dist/tau-bench/historical/). */
  packPath: 'historical/gpt-4o-airline.json',
  /** Where the upstream repository holds it. */
  upstreamPath: 'historical_trajectories/gpt-4o-airline.json',
  bytes: 4_114_038,
  sha256: 'e9e6c0297660c537f83d4fd9c476ce7a9a86ecd2784874b7bfc13be598e37bfa',
} as const;

/** The Cache Storage cache that keeps it. */
export const HISTORICAL_CACHE = 'spotter-tau-bench';

export type HistoricalOrigin =
  /** The app's bundled pack, e.g. `new URL('tau-bench/', location.href)`. */
  | { kind: 'bundled'; packBaseUrl: string }
  /** raw.githubusercontent.com at the pinned commit. */
  | { kind: 'upstream' }
  /** Files the user opened: the file itself, or a folder holding it (a pack or an upstream checkout). */
  | { kind: 'files'; files: readonly File[] };

/** Where to look when the user has opened nothing: the bundled pack, then upstream. */
export function defaultHistoricalOrigins(packBaseUrl: string): HistoricalOrigin[] {
  return [{ kind: 'bundled', packBaseUrl }, { kind: 'upstream' }];
}

interface LoadHistoricalOptions {
  /** The fetch that records each request (RequestLog.fetchFor('pack')). */
  fetchFn?: typeof fetch;
  /** Default: the browser's Cache Storage; none under Node. */
  storage?: CacheStorage | undefined;
  onProgress?: (status: TransferStatus) => void;
  /** Default: the page's Web Crypto (absent outside secure contexts). */
  subtle?: SubtleCrypto | undefined;
}

interface HistoricalText {
  text: string;
  /** Where it came from: 'cache', or the origin's description. */
  from: string;
}

/** The origin as a source, the path to read there, and how messages name it (a URL, or the opened files). */
function originSource(origin: HistoricalOrigin, fetchFn: typeof fetch | undefined): { source: PackSource; path: string; where: string } {
  switch (origin.kind) {
    case 'bundled': {
      const source = httpPackSource(origin.packBaseUrl, fetchFn);
      return { source, path: HISTORICAL_FILE.packPath, where: `${source.describe}${HISTORICAL_FILE.packPath}` };
    }
    case 'upstream':
      return { source: httpPackSource(TAU_BENCH_RAW_BASE, fetchFn), path: HISTORICAL_FILE.upstreamPath, where: `${TAU_BENCH_RAW_BASE}${HISTORICAL_FILE.upstreamPath}` };
    case 'files': {
      // Matched by the end of its path: the file alone, historical/…, or historical_trajectories/….
      const source = filesPackSource(origin.files);
      return { source, path: HISTORICAL_FILE.name, where: `${source.describe} (${HISTORICAL_FILE.name})` };
    }
  }
}

/** SHA-256 as hex; undefined where the page has no Web Crypto (served over plain http from another host). */
async function sha256Hex(text: string, subtle: SubtleCrypto | undefined): Promise<string | undefined> {
  if (!subtle) return undefined;
  const digest = await subtle.digest('SHA-256', new TextEncoder().encode(text));
  return [...new Uint8Array(digest)].map((b) => b.toString(16).padStart(2, '0')).join('');
}

/**
 * The historical file's text, from the cache or else the first origin that
 * has it whole. The error names every origin tried and why each failed.
 */
export async function loadHistoricalFile(origins: readonly HistoricalOrigin[], opts: LoadHistoricalOptions = {}): Promise<HistoricalText> {
  let from = 'cache';
  const subtle = 'subtle' in opts ? opts.subtle : (globalThis as { crypto?: Crypto }).crypto?.subtle;
  const pinned: PackSource = {
    // One key for every origin: each is checked to be the same pinned file.
    describe: `tau-bench@${TAU_BENCH_COMMIT}`,
    async readText(_path, readOpts) {
      const failures: string[] = [];
      for (const origin of origins) {
        const { source, path, where } = originSource(origin, opts.fetchFn);
        try {
          const text = await source.readText(path, { ...readOpts, expectedBytes: HISTORICAL_FILE.bytes });
          // The size is always checked (readText); the content where Web Crypto exists.
          const hash = await sha256Hex(text, subtle);
          if (hash !== undefined && hash !== HISTORICAL_FILE.sha256) throw new Error(`SHA-256 ${hash} is not the pinned file's ${HISTORICAL_FILE.sha256}`);
          from = where;
          return text;
        } catch (err) {
          failures.push(`${where}: ${errorMessage(err)}`);
        }
      }
      throw new Error(failures.length ? failures.join('; ') : 'no origin to load it from');
    },
  };
  const storage = 'storage' in opts ? opts.storage : (globalThis as { caches?: CacheStorage }).caches;
  const source = cachedPackSource(pinned, HISTORICAL_CACHE, storage);
  try {
    const text = await source.readText(HISTORICAL_FILE.packPath, opts.onProgress ? { onProgress: opts.onProgress } : {});
    return { text, from };
  } catch (err) {
    throw new ValidationError(HISTORICAL_FILE.name, `cannot load tau-bench's ${HISTORICAL_FILE.name} at ${TAU_BENCH_COMMIT.slice(0, 7)}: ${errorMessage(err)}`);
  }
}
