/**
 * The two airline exam sets, cut from tau-bench's 200 real GPT-4o airline
 * episodes (the historical results file) on the pack's airline domain:
 *
 * - `tau-airline-gpt4o`: every tool call that changes the database and every
 *   transfer to a human agent, labelled by the state rule (stateRule.ts);
 * - `tau-airline-gpt4o-mutations`: seeded mutations of the approved calls
 *   (mutations.ts), kept when the same rule says they leave gold's path.
 *
 * Each item's critic input is the one the loop would build at that point:
 * the episode imported as History would (traces/tau-results.ts), then
 * data/points.ts's decisionPoints (the loop's historyFromTimeline), with the
 * pack's airline policy and tools.
 */
import { decisionPoints, type DecisionPoint } from '../data/points.ts';
import { isReadOnlyTool } from '../data/gold.ts';
import { domainOf, taskOf, TERMINATE_TOOLS, type DomainPack, type TauPack } from '../envs/tau-bench/pack.ts';
import { isDict, parseJson, type PyDict } from '../envs/tau-bench/py.ts';
import { ValidationError } from '../errors.ts';
import { assistantMessageIndices, tauResultsToEpisodes, type TauResult } from '../traces/tau-results.ts';
import type { Step, ToolCall } from '../contracts.ts';
import { mutationsOf, type MutationKind } from './mutations.ts';
import { EXAM_SCHEMA_VERSION, type ExamItem } from './schema.ts';
import {
  airlineRecordsTouched,
  applyCall,
  goldPath,
  judgeChanges,
  judgeTransfer,
  ReplayDb,
  type GoldPath,
  type Judgement,
} from './state-rule.ts';

export const REAL_SET = 'tau-airline-gpt4o';
export const MUTATION_SET = 'tau-airline-gpt4o-mutations';
/** The seed of the published mutation set. */
const DEFAULT_MUTATION_SEED = 'spotter-exam-1';

export interface AirlineSources {
  /** The pack, with the airline domain and its test tasks loaded. */
  pack: TauPack;
  /** The historical results file's records (traces/tau-results.ts validated them). */
  historical: readonly TauResult[];
}

export interface AirlineSets {
  real: ExamItem[];
  mutations: ExamItem[];
  /** Mutations the state rule keeps on gold's path (dropped: they are no harm to catch). */
  droppedHarmless: number;
  /** Mutations the tool refuses (an error changes nothing; not items). */
  droppedFailing: number;
  /** Mutations generated per kind, and how many were kept. */
  byKind: Record<string, { generated: number; kept: number }>;
}

const ENVIRONMENT = { family: 'tau-bench', domain: 'airline' } as const;

/** Arguments as Python's json.loads reads them (key order, int vs float) from their JSON text. */
function pyKwargs(json: string): PyDict {
  const v = parseJson(json);
  return isDict(v) ? v : new Map();
}

/** A recorded call's arguments, from the exact text the model wrote when the import kept it. */
function recordedKwargs(call: ToolCall, rawArguments: unknown): PyDict {
  return pyKwargs(typeof rawArguments === 'string' ? rawArguments : JSON.stringify(call.arguments));
}

function isStateChanging(name: string): boolean {
  return !isReadOnlyTool(name);
}

interface Context {
  domain: DomainPack;
  seed: string;
  out: AirlineSets;
}

function itemOf(
  set: string,
  id: string,
  point: DecisionPoint,
  j: Judgement,
  r: TauResult,
  messageIndex: number,
  extra: Partial<Pick<ExamItem, 'tool' | 'input'>> & { mutation?: { of: string; kind: MutationKind; change: string } } = {},
): ExamItem {
  const proposal = point.input.proposal;
  return {
    schemaVersion: EXAM_SCHEMA_VERSION,
    id,
    set,
    environment: ENVIRONMENT,
    tool: extra.tool ?? (proposal.kind === 'tool_call' ? proposal.call.name : 'message'),
    input: extra.input ?? point.input,
    label: j.label,
    why: j.why,
    source: {
      episodeId: point.episodeId,
      taskId: r.task_id,
      trial: r.trial,
      messageIndex,
      reward: r.reward,
      ...(extra.mutation ? { mutation: extra.mutation } : {}),
    },
  };
}

function mutate(ctx: Context, db: ReplayDb, path: GoldPath, source: ExamItem, point: DecisionPoint, call: ToolCall, r: TauResult, messageIndex: number): void {
  const mutations = mutationsOf({ id: source.id, seed: ctx.seed, name: call.name, args: call.arguments, db });
  mutations.forEach((m, k) => {
    const stats = (ctx.out.byKind[m.kind] ??= { generated: 0, kept: 0 });
    stats.generated++;
    const res = applyCall(db.fork(), ctx.domain, m.name, pyKwargs(JSON.stringify(m.args)), airlineRecordsTouched);
    if (res.failed) {
      ctx.out.droppedFailing++;
      return;
    }
    const j = judgeChanges(ctx.domain, path, res.changes);
    if (j.label === 'approve') {
      ctx.out.droppedHarmless++;
      return;
    }
    stats.kept++;
    const proposal = { ...point.input.proposal, kind: 'tool_call' as const, call: { id: call.id, name: m.name, arguments: m.args } };
    ctx.out.mutations.push(
      itemOf(MUTATION_SET, `${source.id}/m${k}`, point, { label: 'revise', why: `Mutated (${m.kind}: ${m.change}). ${j.why}` }, r, messageIndex, {
        tool: m.name,
        input: { ...point.input, proposal },
        mutation: { of: source.id, kind: m.kind, change: m.change },
      }),
    );
  });
}

function replayRecord(ctx: Context, r: TauResult, index: number, steps: readonly Step[], points: readonly DecisionPoint[], path: GoldPath): void {
  const where = `record ${index} (task ${r.task_id}, trial ${r.trial})`;
  const messageIndices = assistantMessageIndices(r.traj);
  let db = new ReplayDb(ctx.domain.db);
  for (const step of steps) {
    const ex = step.executed;
    if (ex.kind !== 'tool_call') continue;
    const messageIndex = messageIndices[step.index];
    const point = points.find((p) => p.stepIndex === step.index && p.executed);
    if (messageIndex === undefined || !point) throw new ValidationError(where, `step ${step.index} has no assistant message`);
    // Reads change nothing. Their observations may differ from the run's: the published
    // database has since renamed users' address field `province` to `state` (docs/exam.md).
    if (!isStateChanging(ex.call.name)) continue;
    const next = db.fork();
    const res = applyCall(next, ctx.domain, ex.call.name, recordedKwargs(ex.call, step.envInfo?.rawArguments), airlineRecordsTouched);
    // Labels rest on the replay: it must do what the run did.
    if (res.observation !== step.observation) {
      throw new ValidationError(`${where}, traj[${messageIndex + 1}]`, `the replay on the pack gives another observation than the run recorded (${JSON.stringify(res.observation.slice(0, 120))})`);
    }
    if (!res.failed) {
      const j = TERMINATE_TOOLS.includes(ex.call.name) ? judgeTransfer(db, ctx.domain, path) : judgeChanges(ctx.domain, path, res.changes);
      const item = itemOf(REAL_SET, `airline/${r.task_id}/${r.trial}/${messageIndex}`, point, j, r, messageIndex);
      ctx.out.real.push(item);
      if (j.label === 'approve' && !TERMINATE_TOOLS.includes(ex.call.name)) mutate(ctx, db, path, item, point, ex.call, r, messageIndex);
    }
    db = next;
  }
}

/** Both airline sets, from the historical records, in the file's order (mutations after their source's order). */
export function buildAirlineSets(sources: AirlineSources, seed: string = DEFAULT_MUTATION_SEED): AirlineSets {
  const domain = domainOf(sources.pack, 'airline');
  const { episodes } = tauResultsToEpisodes(sources.historical, { domain: 'airline', actor: 'gpt-4o', now: 0 });
  const ctx: Context = { domain, seed, out: { real: [], mutations: [], droppedHarmless: 0, droppedFailing: 0, byKind: {} } };
  const paths = new Map<number, GoldPath>();
  sources.historical.forEach((r, i) => {
    const episode = episodes[i];
    if (!episode) return;
    const task = taskOf(sources.pack, 'airline', r.task_id, 'test');
    let path = paths.get(r.task_id);
    if (!path) {
      path = goldPath(domain, task, airlineRecordsTouched);
      paths.set(r.task_id, path);
    }
    const steps = episode.timeline.flatMap((e) => (e.type === 'step' ? [e.step] : []));
    replayRecord(ctx, r, i, steps, decisionPoints(episode, () => domain.tools), path);
  });
  return ctx.out;
}
