/**
 * Messages between the page and the τ³ pack worker, validated with zod where
 * they arrive. A load request carries an id that its progress, result or error
 * echo back; errors travel as { name, code, message } (errorFromWire).
 */
import { z } from 'zod';
import { linkResponseSchema } from '../../worker-link.ts';
import { PackLocationSchema } from '../userbench/pack-worker-protocol.ts';
import { Tau2DomainSchema } from '../environment.ts';
import { Tau2LoadProgressSchema } from './pack.ts';

/** Where the data is: a URL laid out as ../shared/tau2-bench (the app's copy or another), a folder the person opened, or upstream at the pinned commit (cached). */
export const Tau2PackLocationSchema = z.discriminatedUnion('kind', [...PackLocationSchema.options, z.object({ kind: z.literal('upstream') })]);
export type Tau2PackLocation = z.infer<typeof Tau2PackLocationSchema>;

export const Tau2PackWorkerRequestSchema = z.object({
  id: z.string().min(1),
  type: z.literal('load'),
  location: Tau2PackLocationSchema,
  domain: Tau2DomainSchema,
});

/** A result's value is a Tau2PackWire, validated by the page (pack-wire.ts). */
export const Tau2PackWorkerResponseSchema = linkResponseSchema(Tau2LoadProgressSchema);
export type Tau2PackWorkerResponse = z.infer<typeof Tau2PackWorkerResponseSchema>;
