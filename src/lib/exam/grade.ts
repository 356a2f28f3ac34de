/**
 * Grading a critic on an exam set: each item's recorded critic input goes to
 * `critic.judge`, exactly as the loop hands it over, so the critic builds the
 * prompt itself with the same builder, budget and window as in a run. Each
 * verdict becomes an ExamRecord and is handed to `onRecord` as it lands (the
 * app stores it in IndexedDB, the CLI in memory), so a stopped or reloaded run
 * resumes with `alreadyGraded` and grades no item twice.
 */
import type { Critic } from '../critic/critic-interface.ts';
import { judgeOnce } from '../data/rejudge.ts';
import type { EpisodeEnvironment } from '../envs/environment.ts';
import type { Verdict } from '../contracts.ts';
import type { ExamDecision, ExamItem, ExamRecord } from './schema.ts';

export interface GradeProgress {
  /** Items graded, those of earlier sessions (`alreadyGraded`) included. */
  done: number;
  total: number;
  /** Time left at this session's pace; undefined before the first verdict of the session. */
  etaMs: number | undefined;
}

export interface GradeOptions {
  critic: Critic;
  items: readonly ExamItem[];
  /** Ids graded before (stored records): skipped, and counted as done. */
  alreadyGraded?: ReadonlySet<string>;
  /** Called with each record as it lands, awaited before the next item (so a stored record is never graded again). */
  onRecord: (record: ExamRecord) => Promise<void> | void;
  onProgress?: (progress: GradeProgress) => void;
  /** Stops the run: the item in flight is dropped (not recorded) and gradeExam throws AbortedError. */
  signal: AbortSignal;
  /** A verdict taking longer is a `failed` record with errorCode `timeout`, as the loop's critic timeout. None by default. */
  timeoutMs?: number;
  now?: () => number;
}

interface GradeSummary {
  /** Items graded in this call. */
  graded: number;
  /** Items skipped because they were graded before (or appear twice in `items`). */
  skipped: number;
}

/** The per-domain breakdown's key: the benchmark's domain (`airline`, `retail`, `travel22`), or the family where it has none. */
export const domainOf = (e: EpisodeEnvironment): string => ('domain' in e ? e.domain : e.family);

const DECISION: Record<Verdict['decision'], ExamDecision> = { approve: 'approve', revise: 'revise', unparsed: 'unparsed', error: 'failed' };

/** A critic's verdict on an item as the exam records it: an `error` verdict is `failed` (its code kept), an unparsed one keeps its raw output. */
function examRecord(item: ExamItem, verdict: Verdict): ExamRecord {
  const decision = DECISION[verdict.decision];
  return {
    id: item.id,
    label: item.label,
    tool: item.tool,
    domain: domainOf(item.environment),
    decision,
    ...(verdict.feedback ? { feedback: verdict.feedback } : {}),
    ...(verdict.category ? { category: verdict.category } : {}),
    ...(decision === 'unparsed' && verdict.raw !== undefined ? { raw: verdict.raw } : {}),
    ...(verdict.error ? { error: verdict.error } : {}),
    ...(verdict.errorCode ? { errorCode: verdict.errorCode } : {}),
    latencyMs: verdict.latencyMs,
    ...(verdict.usage ? { promptTokens: verdict.usage.promptTokens, outputTokens: verdict.usage.completionTokens } : {}),
  };
}

/**
 * Grades every item not graded yet, one at a time (an on-device engine serves
 * one request at a time anyway), in the order given. Infrastructure failures
 * (context overflow, timeout, network) are `failed` records, never thrown;
 * aborting `signal` throws AbortedError after the last stored record.
 */
export async function gradeExam(opts: GradeOptions): Promise<GradeSummary> {
  const now = opts.now ?? (() => performance.now());
  const before = opts.alreadyGraded ?? new Set<string>();
  const ids = new Set(opts.items.map((i) => i.id));
  const queued = new Set<string>();
  const todo = opts.items.filter((item) => {
    if (before.has(item.id) || queued.has(item.id)) return false;
    queued.add(item.id);
    return true;
  });
  const total = ids.size;
  let done = total - todo.length;
  const started = now();
  let graded = 0;
  opts.onProgress?.({ done, total, etaMs: undefined });
  for (const item of todo) {
    // Each item afresh: an incremental critic would otherwise extend the chat of the item before it.
    await opts.critic.forget?.().catch(() => undefined); // a dead critic fails the verdict itself
    const verdict = await judgeOnce(opts.critic, item.input, { signal: opts.signal, timeoutMs: opts.timeoutMs, now });
    await opts.onRecord(examRecord(item, verdict));
    graded++;
    done++;
    const perItem = (now() - started) / graded;
    opts.onProgress?.({ done, total, etaMs: perItem * (total - done) });
  }
  return { graded, skipped: opts.items.length - graded };
}
