/**
 * The UserBench pack worker's side, as a plain class: reads, parses and
 * validates the pack and runs load_tasks' shuffles over the data files, then
 * posts the pack (pack-wire.ts). The worker entry hands it its messages; tests
 * call it under Node.
 */
import { SpotterError, badRequestResponse, errorMessage, type WireError } from '../../errors.ts';
import { cachedPackSource, filesPackSource, httpPackSource } from '../tau-bench/pack.ts';
import { loadUserBenchPack, upstreamDataSource, USERBENCH_CACHE, USERBENCH_RAW_BASE, type PackSource } from './pack.ts';
import { packToWire } from './pack-wire.ts';
import { PackWorkerRequestSchema, type PackLocation, type PackWorkerResponse } from './pack-worker-protocol.ts';

interface PackWorkerDeps {
  /** `transfer`: buffers that move to the page instead of being copied. */
  post(message: PackWorkerResponse, transfer?: ArrayBuffer[]): void;
  /** The files a load reads. */
  sourceFor(location: PackLocation, upstreamData: boolean): PackSource;
}

/** The browser's sources: the pack's files through `fetchFn`; the upstream data files from raw GitHub, cached. */
export function browserPackSource(location: PackLocation, upstreamData: boolean, fetchFn: typeof fetch): PackSource {
  const pack = location.kind === 'url' ? httpPackSource(location.baseUrl, fetchFn) : filesPackSource(location.files);
  return upstreamData ? upstreamDataSource(pack, cachedPackSource(httpPackSource(USERBENCH_RAW_BASE, fetchFn), USERBENCH_CACHE)) : pack;
}

function toWireError(err: unknown): WireError {
  if (err instanceof SpotterError) return err.toWire();
  return { name: err instanceof Error ? err.name : 'Error', code: 'pack', message: errorMessage(err) };
}

export class PackWorkerHandler {
  constructor(private readonly deps: PackWorkerDeps) {}

  /** Handles one message; never throws (failures go back as error responses). */
  async handle(data: unknown): Promise<void> {
    const parsed = PackWorkerRequestSchema.safeParse(data);
    if (!parsed.success) {
      this.deps.post(badRequestResponse(data, parsed.error));
      return;
    }
    const req = parsed.data;
    try {
      const source = this.deps.sourceFor(req.location, req.upstreamData);
      const pack = await loadUserBenchPack(source, { ...req.options, onProgress: (progress) => this.deps.post({ id: req.id, type: 'progress', progress }) });
      const wire = packToWire(pack);
      this.deps.post({ id: req.id, type: 'result', value: wire }, [wire.pyTexts]);
    } catch (err) {
      this.deps.post({ id: req.id, type: 'error', error: toWireError(err) });
    }
  }
}
