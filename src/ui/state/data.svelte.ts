import { loadEnvContext, type LoadTau2Pack, type LoadTauPack } from '../../lib/data/env-context.ts';
import { httpPackSource, type PackSource } from '../../lib/envs/tau-bench/pack.ts';
import { buildEvaluation, evaluateCritics, liveRunReport, type EvaluationReport, type LiveRunReport } from '../../lib/data/evaluate.ts';
import { exportFileName, jsonlChunks, type ExportFormat } from '../../lib/data/training-jsonl.ts';
import { interventionLabels } from '../../lib/data/labels/interventions.ts';
import { combineLabels, type LabelSet } from '../../lib/data/labels/label.ts';
import { outcomeLabels } from '../../lib/data/labels/outcome.ts';
import { teacherLabels } from '../../lib/data/labels/teacher.ts';
import { allDecisionPoints, runPipeline, type EnvContext, type PipelineResult } from '../../lib/data/pipeline.ts';
import type { DecisionPoint } from '../../lib/data/points.ts';
import { errorMessage, isAbort } from '../../lib/errors.ts';
import { appUrl } from '../app-url.ts';
import type { EpisodeTrace } from '../../lib/traces/schema.ts';
import type { CriticChoice } from '../../lib/setup/critic-choices.ts';
import type { Critic } from '../../lib/critic/critic-interface.ts';

/** Where the state reads episodes from: the IndexedDB trace store in the app. */
interface TraceSource {
  list(): Promise<{ traces: EpisodeTrace[]; invalid: number }>;
}

export interface Progress {
  what: string;
  done: number;
  total: number;
}

const EMPTY_CTX: EnvContext = { toolsOf: () => [], goldOf: () => undefined };

/**
 * The Data tab: stored episodes → training files, and critic comparison.
 * Everything but the teacher and the re-judging critics runs locally on
 * IndexedDB, so it works offline.
 */
export class DataState {
  traces = $state.raw<EpisodeTrace[]>([]);
  invalid = $state(0);
  ctx = $state.raw<EnvContext>(EMPTY_CTX);
  problems = $state.raw<string[]>([]);
  loading = $state(false);
  /** The critic's context window the exported prompts are budgeted to (0: whole prompts). */
  exportWindow = $state(0);
  error = $state<string | undefined>(undefined);

  // Label sources and split.
  useOutcome = $state(true);
  useInterventions = $state(true);
  useTeacher = $state(false);
  hardTasksOnly = $state(false);
  minRuns = $state(2);
  validationPercent = $state(20);
  seed = $state('spotter');
  teacher = $state.raw<{ critic: string; labels: LabelSet; unparsed: number; errors: number } | undefined>(undefined);

  // Critic evaluation.
  evalLabelledOnly = $state(true);
  evalLimit = $state(200);
  includeRecorded = $state(true);
  report = $state.raw<EvaluationReport | undefined>(undefined);

  progress = $state.raw<Progress | undefined>(undefined);
  #abort: AbortController | undefined;

  constructor(
    private readonly source: TraceSource,
    /** The tau-bench pack, through the app's one pack cache (the Chat tab's pick: its folder or URL). */
    private readonly loadTau: LoadTauPack,
    /** The UserBench pack, for its agent tool (the app's copy). */
    private readonly userBench: PackSource = httpPackSource(appUrl('userbench/')),
    /** τ³-bench's data, for its episodes' gold actions (the Chat tab's τ³ source and cache). */
    private readonly loadTau2?: LoadTau2Pack,
  ) {}

  readonly finished = $derived(this.traces.filter((t) => t.status !== 'running'));
  readonly points: DecisionPoint[] = $derived(allDecisionPoints(this.finished, this.ctx.toolsOf));

  readonly result: PipelineResult = $derived(
    runPipeline(this.finished, this.ctx, {
      outcome: this.useOutcome,
      interventions: this.useInterventions,
      ...(this.useTeacher && this.teacher ? { teacher: this.teacher.labels } : {}),
      hardTasksOnly: this.hardTasksOnly,
      minRunsForHardTasks: this.minRuns,
      validationFraction: this.validationPercent / 100,
      seed: this.seed,
    }, this.points),
  );

  /** Helpfulness, harmfulness and recovery of the critics that intervened in the stored runs. */
  readonly live: LiveRunReport = $derived(liveRunReport(this.finished, this.ctx.goldOf));

  /** The labels critics are scored against: outcome and interventions (never a teacher, which is itself a critic). */
  readonly referenceLabels: LabelSet = $derived(
    combineLabels([outcomeLabels(this.finished, this.ctx.goldOf), interventionLabels(this.finished, this.ctx.goldOf)]),
  );

  get busy(): boolean {
    return this.progress !== undefined;
  }

  async load(): Promise<void> {
    this.loading = true;
    this.error = undefined;
    try {
      const { traces, invalid } = await this.source.list();
      this.traces = traces;
      this.invalid = invalid;
      const loaded = await loadEnvContext(
        traces.map((t) => t.meta),
        this.loadTau,
        this.userBench,
        this.loadTau2,
      );
      this.ctx = loaded.ctx;
      this.problems = loaded.problems;
    } catch (err) {
      this.error = errorMessage(err);
    } finally {
      this.loading = false;
    }
  }

  /** The file, built chunk by chunk: the prompts are rebuilt here and never all held as strings at once. */
  file(part: 'train' | 'validation', format: ExportFormat): { name: string; blob: Blob } {
    const examples = part === 'train' ? this.result.split.train : this.result.split.validation;
    let blob = new Blob([], { type: 'application/jsonl' });
    for (const chunk of jsonlChunks(examples, format, 500, this.exportWindow || undefined)) blob = new Blob([blob, chunk], { type: 'application/jsonl' });
    return { name: exportFileName(format, part), blob };
  }

  stop(): void {
    this.#abort?.abort();
  }

  async #run(what: string, total: number, work: (signal: AbortSignal) => Promise<void>): Promise<void> {
    this.stop();
    const abort = new AbortController();
    this.#abort = abort;
    this.error = undefined;
    this.progress = { what, done: 0, total };
    try {
      await work(abort.signal);
    } catch (err) {
      this.error = isAbort(err, abort.signal) ? `${what}: stopped.` : `${what}: ${errorMessage(err)}`;
    } finally {
      if (this.#abort === abort) {
        this.progress = undefined;
        this.#abort = undefined;
      }
    }
  }

  /** Labels every proposal with a large model's verdict (one call per proposal, through the user's API). */
  async runTeacher(choice: CriticChoice): Promise<void> {
    const make = choice.make;
    if (!make) return;
    const points = this.points;
    await this.#run(`Teacher ${choice.label}`, points.length, async (signal) => {
      const critic = make();
      const r = await teacherLabels(points, critic, {
        signal,
        onProgress: (done, total) => (this.progress = { what: `Teacher ${choice.label}`, done, total }),
      });
      this.teacher = { critic: critic.label, ...r };
      this.useTeacher = true;
    });
  }

  /** The proposals to re-judge: labelled ones first when asked, capped so a remote critic's bill stays known. */
  readonly evalPoints: DecisionPoint[] = $derived(
    (this.evalLabelledOnly ? this.points.filter((p) => this.referenceLabels.has(p.key)) : this.points).slice(0, Math.max(0, this.evalLimit)),
  );

  async evaluate(choices: readonly CriticChoice[]): Promise<void> {
    const points = this.evalPoints;
    const critics: Critic[] = [];
    for (const c of choices) if (c.make) critics.push(c.make());
    if (critics.length === 0 && !this.includeRecorded) return;
    await this.#run('Re-judging', points.length * critics.length, async (signal) => {
      const { runs } = await evaluateCritics(points, critics, this.referenceLabels, {
        signal,
        includeRecorded: this.includeRecorded,
        onProgress: (i, done) => (this.progress = { what: `Re-judging with ${critics[i]?.label ?? ''}`, done: i * points.length + done, total: points.length * critics.length }),
      });
      this.report = buildEvaluation(points, this.referenceLabels, runs);
    });
  }
}
