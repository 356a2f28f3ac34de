import { isContextOverflow } from '../critic/health.ts';
import type { Critic } from '../critic/critic-interface.ts';
import type { EpisodeTrace } from '../traces/schema.ts';
import type { Verdict } from '../contracts.ts';
import { isReadOnlyTool, pointKey, replayAgainstGold } from './gold.ts';
import type { LabelSet } from './labels/label.ts';
import type { GoldOf } from './labels/outcome.ts';
import { cohensKappa, median, percentile, prf, type Confusion, type Prf } from './metrics.ts';
import type { DecisionPoint } from './points.ts';
import { rejudge, type RejudgeOptions } from './rejudge.ts';

/** Verdicts of one critic by decision point key. */
type VerdictMap = Map<string, Verdict>;

interface CriticReport {
  critic: string;
  /** Points that got a verdict; judged = approve + revise + unparsed + errors. */
  judged: number;
  approve: number;
  revise: number;
  unparsed: number;
  errors: number;
  /** Errors that were context overflows: the prompt did not fit the critic's window. */
  contextOverflows: number;
  /** Points with a label that got an approve/revise verdict: the confusion matrix covers exactly these. */
  compared: number;
  /** Points with a label whose verdict was unparsed or an error: outside the matrix, counted here. */
  labelledUnusable: number;
  confusion: Confusion;
  /** Of `revise` as the positive class, against the labels. */
  agreement: Prf;
  /** Over approve, revise and unparsed verdicts (errors are mostly timeouts and would only measure the limit). */
  latencyMedianMs: number | null;
  latencyP95Ms: number | null;
}

export function criticReport(critic: string, points: readonly DecisionPoint[], verdicts: VerdictMap, labels: LabelSet): CriticReport {
  const r: CriticReport = {
    critic,
    judged: 0,
    approve: 0,
    revise: 0,
    unparsed: 0,
    errors: 0,
    contextOverflows: 0,
    compared: 0,
    labelledUnusable: 0,
    confusion: { tp: 0, fp: 0, fn: 0, tn: 0 },
    agreement: { precision: null, recall: null, f1: null },
    latencyMedianMs: null,
    latencyP95Ms: null,
  };
  const latencies: number[] = [];
  for (const p of points) {
    const v = verdicts.get(p.key);
    if (!v) continue;
    r.judged++;
    if (v.decision === 'error') {
      r.errors++;
      if (isContextOverflow(v)) r.contextOverflows++;
    } else {
      r[v.decision]++;
      latencies.push(v.latencyMs);
    }
    const label = labels.get(p.key);
    if (!label) continue;
    if (v.decision !== 'approve' && v.decision !== 'revise') {
      r.labelledUnusable++;
      continue;
    }
    r.compared++;
    const said = v.decision === 'revise';
    const truth = label.decision === 'revise';
    if (said && truth) r.confusion.tp++;
    else if (said) r.confusion.fp++;
    else if (truth) r.confusion.fn++;
    else r.confusion.tn++;
  }
  r.agreement = prf(r.confusion);
  r.latencyMedianMs = median(latencies);
  r.latencyP95Ms = percentile(latencies, 95);
  return r;
}

interface PairAgreement {
  a: string;
  b: string;
  /** Points where both critics gave approve or revise. */
  n: number;
  /** Raw share of those points where they gave the same decision. */
  agreement: number | null;
  kappa: number | null;
}

function pairAgreement(a: string, va: VerdictMap, b: string, vb: VerdictMap, points: readonly DecisionPoint[]): PairAgreement {
  const pairs: Array<[boolean, boolean]> = [];
  for (const p of points) {
    const x = va.get(p.key)?.decision;
    const y = vb.get(p.key)?.decision;
    if ((x === 'approve' || x === 'revise') && (y === 'approve' || y === 'revise')) pairs.push([x === 'revise', y === 'revise']);
  }
  return { a, b, n: pairs.length, ...cohensKappa(pairs) };
}

/** The verdicts recorded during the live runs, as a critic of their own to compare against. */
export function recordedVerdicts(points: readonly DecisionPoint[]): VerdictMap {
  const out: VerdictMap = new Map();
  for (const p of points) if (p.proposal.verdict) out.set(p.key, p.proposal.verdict);
  return out;
}

export interface EvaluationReport {
  points: number;
  labelled: number;
  critics: CriticReport[];
  pairs: PairAgreement[];
}

export function buildEvaluation(points: readonly DecisionPoint[], labels: LabelSet, runs: ReadonlyArray<{ critic: string; verdicts: VerdictMap }>): EvaluationReport {
  const pairs: PairAgreement[] = [];
  runs.forEach((x, i) => runs.slice(i + 1).forEach((y) => pairs.push(pairAgreement(x.critic, x.verdicts, y.critic, y.verdicts, points))));
  return {
    points: points.length,
    labelled: points.filter((p) => labels.has(p.key)).length,
    critics: runs.map((r) => criticReport(r.critic, points, r.verdicts, labels)),
    pairs,
  };
}

export interface EvaluateOptions extends Omit<RejudgeOptions, 'onProgress'> {
  /** Progress over all critics: which critic, and how many of its points are judged. */
  onProgress?: (criticIndex: number, done: number, total: number) => void;
  /** Also report the verdicts recorded in the traces, as the critic "recorded". */
  includeRecorded?: boolean;
}

/** Re-judges the points with each critic in turn (one request at a time) and reports against the labels and each other. */
export async function evaluateCritics(
  points: readonly DecisionPoint[],
  critics: readonly Critic[],
  labels: LabelSet,
  opts: EvaluateOptions,
): Promise<{ report: EvaluationReport; runs: Array<{ critic: string; verdicts: VerdictMap }> }> {
  const runs: Array<{ critic: string; verdicts: VerdictMap }> = [];
  if (opts.includeRecorded) runs.push({ critic: 'recorded', verdicts: recordedVerdicts(points) });
  for (const [i, critic] of critics.entries()) {
    const verdicts = await rejudge(points, critic, { ...opts, onProgress: (done, total) => opts.onProgress?.(i, done, total) });
    runs.push({ critic: critic.label, verdicts });
  }
  return { report: buildEvaluation(points, labels, runs), runs };
}

/**
 * What the critic did on live runs where it intervened (mode `intervene`).
 * Over scored episodes whose task has gold actions, per step, with the
 * actor's first proposal judged by gold (see gold.ts; neutral ones — messages,
 * reads — count in neither figure); an intervention is a step where the
 * critic sent the first proposal back (the step has more than one proposal):
 * - helpfulness = wrong first proposals followed by an intervention after
 *   which the executed action was not wrong / all wrong first proposals;
 * - harmfulness = right first proposals followed by an intervention after
 *   which the executed action was not right (blocked, or worse) / all right first proposals.
 * Over all scored intervene-mode episodes (gold not needed):
 * - recovery = interventions in episodes that ended with reward 1 / all interventions.
 */
export interface LiveRunReport {
  episodes: number;
  episodesWithGold: number;
  wrongProposals: number;
  helped: number;
  helpfulness: number | null;
  rightProposals: number;
  harmed: number;
  harmfulness: number | null;
  interventions: number;
  recovered: number;
  recovery: number | null;
}

export function liveRunReport(traces: readonly EpisodeTrace[], goldOf: GoldOf, readOnly = isReadOnlyTool): LiveRunReport {
  const r: LiveRunReport = {
    episodes: 0,
    episodesWithGold: 0,
    wrongProposals: 0,
    helped: 0,
    helpfulness: null,
    rightProposals: 0,
    harmed: 0,
    harmfulness: null,
    interventions: 0,
    recovered: 0,
    recovery: null,
  };
  for (const t of traces) {
    if (t.meta.mode !== 'intervene' || t.reward === undefined) continue;
    if (t.status !== 'done' && t.status !== 'max_steps') continue;
    r.episodes++;
    const gold = goldOf(t.meta);
    const replay = gold ? replayAgainstGold(t, gold, readOnly) : undefined;
    if (replay) r.episodesWithGold++;
    for (const entry of t.timeline) {
      if (entry.type !== 'step') continue;
      const { step } = entry;
      const intervened = step.proposals.length > 1;
      if (intervened) {
        r.interventions++;
        if (t.reward >= 1) r.recovered++;
      }
      const first = step.proposals[0];
      const last = step.proposals[step.proposals.length - 1];
      if (!replay || !first || !last) continue;
      const before = replay.judgements.get(pointKey(t.id, step.index, first.attempt))?.correctness;
      const after = replay.judgements.get(pointKey(t.id, step.index, last.attempt))?.correctness;
      if (before === 'wrong') {
        r.wrongProposals++;
        if (intervened && after !== 'wrong') r.helped++;
      } else if (before === 'right') {
        r.rightProposals++;
        if (intervened && after !== 'right') r.harmed++;
      }
    }
  }
  const share = (a: number, b: number): number | null => (b ? a / b : null);
  r.helpfulness = share(r.helped, r.wrongProposals);
  r.harmfulness = share(r.harmed, r.rightProposals);
  r.recovery = share(r.recovered, r.interventions);
  return r;
}
