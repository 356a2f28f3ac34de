/**
 * Messages between the page and the UserBench pack worker, validated with zod
 * where they arrive. A load request carries an id that its progress, result or
 * error echo back; errors travel as { name, code, message } (errorFromWire).
 */
import { z } from 'zod';
import { linkResponseSchema } from '../../worker-link.ts';
import { PackLoadProgressSchema } from './pack.ts';

/** Where the pack is: a URL (the app's copy or another), or the files of a folder the person opened. */
export const PackLocationSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('url'), baseUrl: z.url() }),
  z.object({ kind: z.literal('files'), files: z.array(z.instanceof(File)) }),
]);
export type PackLocation = z.infer<typeof PackLocationSchema>;

/** loadUserBenchPack's options that can cross (no callbacks). */
const PackLoadOptionsSchema = z.object({
  env: z.string().optional(),
  oneChoice: z.boolean().optional(),
  indexFile: z.string().optional(),
  scenarioFiles: z.array(z.string()).readonly().optional(),
  numpySeed: z.number().int().optional(),
});

const id = z.string().min(1);

export const PackWorkerRequestSchema = z.object({
  id,
  type: z.literal('load'),
  location: PackLocationSchema,
  /** The eight travelgym/data files from the pinned upstream commit (kept in Cache Storage), the rest from `location`. */
  upstreamData: z.boolean(),
  options: PackLoadOptionsSchema,
});
export type PackWorkerRequest = z.infer<typeof PackWorkerRequestSchema>;

/** A result's value is a PackWire, validated by the page (pack-wire.ts). */
export const PackWorkerResponseSchema = linkResponseSchema(PackLoadProgressSchema);
export type PackWorkerResponse = z.infer<typeof PackWorkerResponseSchema>;
