/**
 * Bytes, speed and time left of a download, from progress reports that come
 * per file (transformers.js) or as one fraction of an estimated size (web-llm).
 */
interface TransferSample {
  /** Per-file byte counts, when the engine reports them. */
  file?: string | undefined;
  loaded?: number | undefined;
  total?: number | undefined;
  /** 0..1 of the whole, when only that is known. */
  fraction?: number | undefined;
}

export interface TransferStatus {
  loaded: number;
  /** Undefined while unknown. */
  total: number | undefined;
  /** Bytes per second over the whole transfer so far. */
  bytesPerSecond: number | undefined;
  /** Seconds left at that speed. */
  etaSeconds: number | undefined;
  /** Whether the byte counts are estimated from a fraction and an expected size. */
  estimated: boolean;
}

export class TransferMeter {
  #files = new Map<string, { loaded: number; total: number }>();
  #fractionLoaded: number | undefined;
  #started: number | undefined;

  constructor(
    /** Expected size in bytes, used when reports carry only a fraction. */
    private readonly expectedBytes: number | undefined,
    private readonly now: () => number = () => performance.now(),
  ) {}

  add(s: TransferSample): TransferStatus {
    this.#started ??= this.now();
    if (s.loaded !== undefined && s.total !== undefined && s.total > 0) {
      this.#files.set(s.file ?? '', { loaded: s.loaded, total: s.total });
    } else if (s.fraction !== undefined && this.expectedBytes !== undefined) {
      this.#fractionLoaded = s.fraction * this.expectedBytes;
    }
    return this.status();
  }

  status(): TransferStatus {
    const estimated = this.#files.size === 0;
    let loaded = 0;
    let total: number | undefined = 0;
    if (!estimated) {
      for (const f of this.#files.values()) {
        loaded += f.loaded;
        total += f.total;
      }
      // Files announced later add to the total: never below what is known.
      if (this.expectedBytes !== undefined) total = Math.max(total, this.expectedBytes);
    } else {
      loaded = this.#fractionLoaded ?? 0;
      total = this.expectedBytes;
    }
    const seconds = this.#started === undefined ? 0 : (this.now() - this.#started) / 1000;
    const bytesPerSecond = seconds > 0.5 && loaded > 0 ? loaded / seconds : undefined;
    const etaSeconds = bytesPerSecond && total !== undefined ? Math.max(0, (total - loaded) / bytesPerSecond) : undefined;
    return { loaded, total, bytesPerSecond, etaSeconds, estimated };
  }
}
