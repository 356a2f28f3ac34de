/**
 * The messages between the page and the service worker, validated where they
 * arrive. Imported by both sides (page: src/ui/sw-register.ts).
 */
import { z } from 'zod';

/** The page asks the worker to cache what it loaded before the worker controlled it. */
export const CacheUrlsMessageSchema = z.object({ type: z.literal('cache-urls'), urls: z.array(z.unknown()) });
export type CacheUrlsMessage = z.infer<typeof CacheUrlsMessageSchema>;

/** The worker's answer once those URLs are cached (or failed, offline): how many it considered. */
export const CachedReplySchema = z.object({ type: z.literal('cached'), count: z.number().int().nonnegative() });
export type CachedReply = z.infer<typeof CachedReplySchema>;
