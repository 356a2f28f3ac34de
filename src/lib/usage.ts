/**
 * Token arithmetic, the one way: a total of token counts, and totals per
 * role and model. Below traces and runs, which both count tokens.
 */
import { z } from 'zod';
import { engineRunsOnDevice, type Engine, type Usage } from './contracts.ts';

/** Adds `u` into `total`. */
export function addUsage(total: Usage, u: Usage | undefined): void {
  if (!u) return;
  total.promptTokens += u.promptTokens;
  total.completionTokens += u.completionTokens;
}

export function sumUsage(items: ReadonlyArray<Usage | undefined>): Usage {
  const total: Usage = { promptTokens: 0, completionTokens: 0 };
  for (const u of items) addUsage(total, u);
  return total;
}

/** Tokens one model spent in one role; kept per model so cost can be recomputed when prices change. */
export const UsageEntrySchema = z.object({
  role: z.enum(['actor', 'critic', 'user', 'judge']),
  model: z.string(),
  local: z.boolean().optional(),
  promptTokens: z.number().int().nonnegative(),
  completionTokens: z.number().int().nonnegative(),
});
export type UsageEntry = z.infer<typeof UsageEntrySchema>;

/** The entry for tokens a model spent: priced by its model unless its engine runs on the device. */
export function usageEntry(role: UsageEntry['role'], by: { engine: Engine; model: string }, used: Usage): UsageEntry {
  return { role, model: by.model, ...(engineRunsOnDevice(by.engine) ? { local: true } : {}), ...used };
}

/** Sums token entries by role+model, keeping `local`. */
export function mergeUsage(entries: readonly UsageEntry[]): UsageEntry[] {
  const byKey = new Map<string, UsageEntry>();
  for (const e of entries) {
    const k = `${e.role}\u0000${e.model}\u0000${e.local ? 1 : 0}`;
    const prev = byKey.get(k);
    if (prev) addUsage(prev, e);
    else byKey.set(k, { ...e });
  }
  return [...byKey.values()];
}
