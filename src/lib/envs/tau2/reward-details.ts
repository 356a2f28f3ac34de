/**
 * The reward details a τ³ episode keeps (env.ts `rewardDetails`), read back
 * from a stored trace: validated once here, then shown per component, named
 * and ordered as the original's evaluator names them.
 */
import { z } from 'zod';
import { RewardType } from './tasks.ts';

const Component = z.number().nullable();

export const Tau2RewardDetailsSchema = z.object({
  taskId: z.string(),
  rewardBasis: z.array(RewardType),
  breakdown: z.object({ DB: Component, ENV_ASSERTION: Component, ACTION: Component, COMMUNICATE: Component, NL_ASSERTION: Component }).partial(),
  notJudged: z.boolean(),
  dbMatch: z.boolean().nullable(),
  actionChecks: z.array(z.object({ actionId: z.string(), name: z.string(), match: z.boolean() })),
  communicateChecks: z.array(z.object({ info: z.string(), met: z.boolean() })),
  envAssertions: z.array(z.object({ funcName: z.string(), met: z.boolean() })),
  nlAssertions: z.union([z.literal('not judged'), z.literal('not needed'), z.array(z.boolean())]),
  userActions: z.array(z.object({ name: z.string(), arguments: z.record(z.string(), z.unknown()), content: z.string(), error: z.boolean() })).optional(),
  note: z.string().optional(),
});
export type Tau2RewardDetails = z.infer<typeof Tau2RewardDetailsSchema>;

/** The original's order of the components (evaluate_simulation: environment, actions, NL assertions, communicate). */
export const COMPONENT_ORDER = ['DB', 'ENV_ASSERTION', 'ACTION', 'NL_ASSERTION', 'COMMUNICATE'] as const;

export interface ComponentRow {
  component: (typeof COMPONENT_ORDER)[number];
  /** 1 or 0, or 'not judged' (NL_ASSERTION without a judge). */
  value: number | 'not judged';
  /** What decided it, in a few words. */
  why: string;
}

/** The details of a stored episode, or undefined when they are not a τ³ episode's. */
export function parseTau2RewardDetails(details: unknown): Tau2RewardDetails | undefined {
  const r = Tau2RewardDetailsSchema.safeParse(details);
  return r.success ? r.data : undefined;
}

function count(xs: ReadonlyArray<{ met?: boolean; match?: boolean }>): string {
  const ok = xs.filter((x) => x.met === true || x.match === true).length;
  return `${ok} of ${xs.length}`;
}

/** One row per component of the task's reward basis. */
export function componentRows(d: Tau2RewardDetails): ComponentRow[] {
  const rows: ComponentRow[] = [];
  for (const component of COMPONENT_ORDER) {
    if (!(component in d.breakdown)) continue;
    const v = d.breakdown[component];
    const value = v === null || v === undefined ? 'not judged' : v;
    const why =
      component === 'DB'
        ? d.dbMatch
          ? 'final database equals the gold one'
          : 'final database differs from the gold one'
        : component === 'ENV_ASSERTION'
          ? `${count(d.envAssertions)} assertions hold`
          : component === 'ACTION'
            ? `${count(d.actionChecks)} gold actions made`
            : component === 'COMMUNICATE'
              ? `${count(d.communicateChecks)} facts told to the user`
              : Array.isArray(d.nlAssertions)
                ? `${d.nlAssertions.filter(Boolean).length} of ${d.nlAssertions.length} assertions met`
                : d.nlAssertions === 'not judged'
                  ? 'no judge configured'
                  : 'no assertions';
    rows.push({ component, value, why });
  }
  return rows;
}
