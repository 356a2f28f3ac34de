/**
 * Money spent, from token counts and a user-editable price table (USD per 1M
 * tokens). A model missing from the table makes the cost unknown, never 0:
 * a silent zero would understate what a run costs.
 */
import { z } from 'zod';
import type { UsageEntry } from './usage.ts';

const PriceSchema = z.object({
  inputPerM: z.number().nonnegative(),
  outputPerM: z.number().nonnegative(),
});
type Price = z.infer<typeof PriceSchema>;

export const PriceTableSchema = z.record(z.string(), PriceSchema);
export type PriceTable = z.infer<typeof PriceTableSchema>;

/** List prices at the time of writing; the user edits them in the panel. */
export const DEFAULT_PRICES: PriceTable = {
  'gpt-4o': { inputPerM: 2.5, outputPerM: 10 },
  'gpt-4o-mini': { inputPerM: 0.15, outputPerM: 0.6 },
  'gpt-4.1': { inputPerM: 2, outputPerM: 8 },
  'gpt-4.1-mini': { inputPerM: 0.4, outputPerM: 1.6 },
  'gpt-4.1-nano': { inputPerM: 0.1, outputPerM: 0.4 },
  'claude-3-5-sonnet-20241022': { inputPerM: 3, outputPerM: 15 },
  'claude-3-5-haiku-20241022': { inputPerM: 0.8, outputPerM: 4 },
};

export interface CostSummary {
  /** Undefined when some model with tokens has no price. */
  usd: number | undefined;
  /** USD of the models that do have a price. */
  knownUsd: number;
  unknownModels: string[];
}

function priceOf(table: PriceTable, model: string): Price | undefined {
  return Object.hasOwn(table, model) ? table[model] : undefined;
}

export function costOf(usage: readonly UsageEntry[], table: PriceTable): CostSummary {
  let knownUsd = 0;
  const unknown = new Set<string>();
  for (const u of usage) {
    if (u.local) continue; // runs on the user's machine
    if (u.promptTokens === 0 && u.completionTokens === 0) continue;
    const p = priceOf(table, u.model);
    if (!p) {
      unknown.add(u.model);
      continue;
    }
    knownUsd += (u.promptTokens * p.inputPerM + u.completionTokens * p.outputPerM) / 1_000_000;
  }
  const unknownModels = [...unknown].sort();
  return { usd: unknownModels.length ? undefined : knownUsd, knownUsd, unknownModels };
}

export function formatUsd(c: CostSummary): string {
  if (c.usd === undefined) {
    return c.knownUsd > 0 ? `≥ $${c.knownUsd.toFixed(4)} (no price for ${c.unknownModels.join(', ')})` : `unknown (no price for ${c.unknownModels.join(', ')})`;
  }
  return `$${c.usd.toFixed(4)}`;
}
