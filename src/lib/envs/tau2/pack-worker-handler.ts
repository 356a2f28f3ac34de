/**
 * The τ³ pack worker's side, as a plain class: reads (with byte progress),
 * parses and validates a domain's files, then posts the pack (pack-wire.ts).
 * The worker entry hands it its messages; tests call it under Node.
 */
import { badRequestResponse, toWireError } from '../../errors.ts';
import { filesPackSource, httpPackSource, type PackSource } from '../tau-bench/pack.ts';
import { cachedUpstreamTau2Source, loadTau2PackData } from './pack.ts';
import { packToWire } from './pack-wire.ts';
import { Tau2PackWorkerRequestSchema, type Tau2PackLocation, type Tau2PackWorkerResponse } from './pack-worker-protocol.ts';

interface Tau2PackWorkerDeps {
  /** `transfer`: buffers that move to the page instead of being copied. */
  post(message: Tau2PackWorkerResponse, transfer?: ArrayBuffer[]): void;
  /** The files a load reads. */
  sourceFor(location: Tau2PackLocation): PackSource;
}

/** The browser's sources: a URL or folder as they are; upstream from raw GitHub, each file kept in Cache Storage. */
export function browserTau2Source(location: Tau2PackLocation, fetchFn: typeof fetch): PackSource {
  if (location.kind === 'url') return httpPackSource(location.baseUrl, fetchFn);
  if (location.kind === 'files') return filesPackSource(location.files);
  return cachedUpstreamTau2Source(fetchFn);
}

export class Tau2PackWorkerHandler {
  constructor(private readonly deps: Tau2PackWorkerDeps) {}

  /** Handles one message; never throws (failures go back as error responses). */
  async handle(data: unknown): Promise<void> {
    const parsed = Tau2PackWorkerRequestSchema.safeParse(data);
    if (!parsed.success) {
      this.deps.post(badRequestResponse(data, parsed.error));
      return;
    }
    const req = parsed.data;
    try {
      const source = this.deps.sourceFor(req.location);
      const pack = await loadTau2PackData(source, req.domain, {
        upstream: req.location.kind === 'upstream',
        onProgress: (progress) => this.deps.post({ id: req.id, type: 'progress', progress }),
      });
      const wire = packToWire(pack);
      this.deps.post({ id: req.id, type: 'result', value: wire }, [wire.texts]);
    } catch (err) {
      this.deps.post({ id: req.id, type: 'error', error: toWireError(err) });
    }
  }
}
