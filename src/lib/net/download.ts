/**
 * Reads a response body as it arrives, with byte progress (bytes, speed, time
 * left through TransferMeter), and says clearly when it stopped short: a body
 * cut off mid-way, or shorter or longer than the size the caller expects.
 * The pack sources read every file through it (over HTTP and from opened files).
 */
import { SpotterError } from '../errors.ts';
import { TransferMeter, type TransferStatus } from './transfer-rate.ts';

export interface ReadOptions {
  /** Called as bytes arrive (and once at the end). */
  onProgress?: (status: TransferStatus) => void;
  /** The exact size the body must have, when known; also the progress total. */
  expectedBytes?: number;
}

/** The body did not arrive whole. */
export class IncompleteDownloadError extends SpotterError {
  override name = 'IncompleteDownloadError';
  constructor(message: string) {
    super('download', message);
  }
}

function errorText(err: unknown): string {
  return err instanceof Error ? err.message || err.name : String(err);
}

/**
 * All of `response`'s body. The progress total is `expectedBytes`, or else the
 * Content-Length while the body has not passed it (a compressed transfer's
 * Content-Length counts compressed bytes).
 */
export async function readBody(response: Response, opts: ReadOptions = {}): Promise<Uint8Array> {
  const header = Number(response.headers.get('content-length') ?? NaN);
  const lengthHint = Number.isFinite(header) && header > 0 ? header : undefined;
  const meter = new TransferMeter(opts.expectedBytes);
  const chunks: Uint8Array[] = [];
  let loaded = 0;
  const report = () => {
    const total = opts.expectedBytes ?? (lengthHint !== undefined && loaded <= lengthHint ? lengthHint : undefined);
    opts.onProgress?.(meter.add(total !== undefined ? { loaded, total } : {}));
  };
  const sizeText = () => `${loaded} bytes${opts.expectedBytes !== undefined ? ` of ${opts.expectedBytes}` : ''}`;
  if (response.body) {
    const reader = response.body.getReader();
    for (;;) {
      let next: ReadableStreamReadResult<Uint8Array>;
      try {
        next = await reader.read();
      } catch (err) {
        throw new IncompleteDownloadError(`the download broke off after ${sizeText()}: ${errorText(err)}`);
      }
      if (next.done) break;
      chunks.push(next.value);
      loaded += next.value.byteLength;
      if (opts.expectedBytes !== undefined && loaded > opts.expectedBytes) {
        await reader.cancel().catch(() => undefined);
        throw new IncompleteDownloadError(`more than the expected ${opts.expectedBytes} bytes arrived: not the expected file`);
      }
      report();
    }
  }
  report();
  if (opts.expectedBytes !== undefined && loaded !== opts.expectedBytes) {
    throw new IncompleteDownloadError(`only ${sizeText()} arrived`);
  }
  const bytes = new Uint8Array(loaded);
  let at = 0;
  for (const c of chunks) {
    bytes.set(c, at);
    at += c.byteLength;
  }
  return bytes;
}

/** The body as UTF-8 text, as `Response.text()` decodes it. */
export async function readBodyText(response: Response, opts: ReadOptions = {}): Promise<string> {
  return new TextDecoder().decode(await readBody(response, opts));
}
