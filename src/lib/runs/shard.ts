/**
 * Which units a shard of a sweep runs. `--shard i/n` is 1-based, as in
 * Playwright and Jest (`1/3`, `2/3`, `3/3`).
 *
 * Assignment: configuration by configuration (in label order), the units are
 * ordered by a hash of their id (ties by id) and dealt round-robin, the deal
 * going on from one configuration to the next. So
 * - it depends only on the set of units: the same on every machine and for
 *   any order of the flags (ids are canonical);
 * - shard sizes differ by at most one, and so does each configuration's share
 *   of every shard. A hash modulo n alone spreads sizes by about ±√(N/n),
 *   and the slowest shard sets the sweep's wall time; configurations differ
 *   most in cost (a critic that intervenes doubles the calls);
 * - the deal does not follow the plan's structure. Round-robin over the plan
 *   order would alias with it: with 3 configurations and 3 shards, shard 1
 *   would get every "actor alone" episode and shard 3 every "critic
 *   intervene" one. Hash order mixes tasks and trials into every shard.
 * A sweep's spec and shard count are fixed for its life (merge refuses
 * anything else), so reshuffling when the spec changes costs nothing.
 */
import { z } from 'zod';
import { ValidationError } from '../errors.ts';
import { compareText, type WorkUnit } from './units.ts';

export const ShardSchema = z
  .object({ index: z.number().int().min(1), count: z.number().int().min(1) })
  .refine((s) => s.index <= s.count, { message: 'shard index above the shard count' });
export type Shard = z.infer<typeof ShardSchema>;

export function formatShard(s: Shard): string {
  return `${s.index}/${s.count}`;
}

/** `--shard 2/3`: the second of three shards. */
export function parseShard(text: string): Shard {
  const m = /^(\d+)\/(\d+)$/.exec(text.trim());
  const index = Number(m?.[1]);
  const count = Number(m?.[2]);
  if (!m || count < 1 || index < 1 || index > count) {
    throw new ValidationError('--shard', `"${text}" is not i/n with 1 ≤ i ≤ n (e.g. 1/3)`);
  }
  return { index, count };
}

/** FNV-1a, 32 bits: small, stable across platforms, no dependency. */
function fnv1a(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}

/** The shard (1-based) of every unit id, for `count` shards. */
export function assignShards(units: ReadonlyArray<Pick<WorkUnit, 'id' | 'config'>>, count: number): Map<string, number> {
  if (!Number.isInteger(count) || count < 1) throw new ValidationError('shard count', `${count} is not a positive whole number`);
  const order = [...new Map(units.map((u) => [u.id, u])).values()]
    .map((u) => ({ id: u.id, config: u.config, h: fnv1a(u.id) }))
    .sort((a, b) => compareText(a.config, b.config) || a.h - b.h || compareText(a.id, b.id));
  return new Map(order.map((u, i) => [u.id, (i % count) + 1]));
}

/** The units of one shard, in their given order. */
export function unitsOfShard<U extends Pick<WorkUnit, 'id' | 'config'>>(units: readonly U[], shard: Shard): U[] {
  const of = assignShards(units, shard.count);
  return units.filter((u) => of.get(u.id) === shard.index);
}
