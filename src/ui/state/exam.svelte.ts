import type { Critic } from '../../lib/critic/critic-interface.ts';
import { errorMessage, isAbort } from '../../lib/errors.ts';
import type { GradeOptions, GradeProgress } from '../../lib/exam/grade.ts';
import { balancedPrefix } from '../../lib/exam/limit.ts';
import type { ExamItem, ExamRecord } from '../../lib/exam/schema.ts';
import type { ExamWorkerProgress } from '../../lib/exam/worker-protocol.ts';
import type { CriticDescriptor } from '../../lib/exam/results.ts';
import { EXAM_RUN_VERSION, type ExamRun, type ExamStore, type PersonalSet } from '../../lib/exam/store.ts';

export type { GradeProgress as ExamProgress } from '../../lib/exam/grade.ts';
type ExamProgress = GradeProgress;

export interface ExamDeps {
  store: Pick<ExamStore, 'putRun' | 'getRun' | 'listRuns' | 'putRecord' | 'putRunWithRecords' | 'records' | 'deleteRun' | 'putSet' | 'listSets' | 'deleteSet'>;
  /** The items of a named set, built from the packs (and the personal sets stored in this browser). */
  items: (set: string, onProgress: (p: ExamWorkerProgress) => void) => Promise<ExamItem[]>;
  /** The active critic (the Critic tab's, or the remote one) and what the table says about it; throws when none is ready. */
  critic: () => { critic: Critic; about: CriticDescriptor };
  grade: (call: GradeOptions) => Promise<unknown>;
  /** Seconds a verdict may take before it counts as failed (the loop's critic timeout). */
  timeoutMs: () => number;
  now?: () => number;
}

/** One run in the comparison table: the run and its graded items. */
interface ExamRunView {
  run: ExamRun;
  records: ExamRecord[];
}

/**
 * The Exam tab: pick a set, grade the active critic on it with progress and
 * ETA, stop, resume after a reload (every verdict is in IndexedDB the moment
 * it lands), and compare every critic examined in this browser.
 */
export class ExamState {
  /** The set to grade: `quick`, the two tau-airline sets, or a personal set's name. */
  setName = $state('quick');
  /** Grade only N items, both labels in turn (0: all). */
  limit = $state(0);
  runs = $state.raw<ExamRunView[]>([]);
  /** Personal sets stored in this browser. */
  personalSets = $state.raw<PersonalSet[]>([]);
  /** The run being graded now. */
  activeRunId = $state<string | undefined>(undefined);
  progress = $state.raw<ExamProgress | undefined>(undefined);
  loading = $state.raw<ExamWorkerProgress | undefined>(undefined);
  error = $state<string | undefined>(undefined);
  /** The items of the sets loaded so far, by set, for the wrong-verdict drill-down. */
  items = $state.raw<Readonly<Record<string, ExamItem[]>>>({});

  #abort: AbortController | undefined;
  #loaded: Promise<void> | undefined;
  readonly #now: () => number;

  constructor(private readonly deps: ExamDeps) {
    this.#now = deps.now ?? (() => Date.now());
  }

  /** A run (or a set's loading) is in progress. */
  busy = $state(false);

  /** Runs interrupted by a reload (stored as running, not the one in progress here). */
  get interrupted(): ExamRunView[] {
    return this.runs.filter((r) => r.run.status === 'running' && r.run.id !== this.activeRunId);
  }

  /** Reads the stored runs once (the tab calls it when it opens). */
  load(): Promise<void> {
    this.#loaded ??= this.refresh().catch((err: unknown) => {
      this.#loaded = undefined;
      this.error = errorMessage(err);
    });
    return this.#loaded;
  }

  async refresh(): Promise<void> {
    this.personalSets = await this.deps.store.listSets();
    const runs = await this.deps.store.listRuns();
    this.runs = await Promise.all(runs.map(async (run) => ({ run, records: await this.deps.store.records(run.id) })));
  }

  async #itemsOf(set: string, signal: AbortSignal): Promise<ExamItem[]> {
    const known = this.items[set];
    if (known) return known;
    this.loading = { text: `Loading the ${set} set…` };
    try {
      const items = await this.deps.items(set, (p) => (this.loading = p));
      signal.throwIfAborted();
      this.items = { ...this.items, [set]: items };
      return items;
    } finally {
      this.loading = undefined;
    }
  }

  /** Makes sure a set's items are loaded (for the drill-down of a stored run); errors show, never throw. */
  async ensureItems(set: string): Promise<void> {
    if (this.items[set]) return;
    try {
      await this.#itemsOf(set, new AbortController().signal);
    } catch (err) {
      this.error = errorMessage(err);
    }
  }

  /** Grades the active critic on the chosen set: a new run. */
  async start(): Promise<void> {
    await this.#work(async (signal) => {
      const { critic, about } = this.deps.critic();
      const set = this.setName;
      const all = await this.#itemsOf(set, signal);
      const items = balancedPrefix(all, this.limit);
      const now = this.#now();
      const run: ExamRun = {
        schemaVersion: EXAM_RUN_VERSION,
        id: `exam-${now.toString(36)}-${Math.random().toString(36).slice(2, 8)}`,
        set,
        itemIds: items.map((i) => i.id),
        critic: about,
        createdAt: now,
        updatedAt: now,
        status: 'running',
      };
      await this.deps.store.putRun(run);
      await this.#grade(run, critic, items, [], signal);
    });
  }

  /** Resumes an interrupted or stopped run with the active critic: only items without a stored verdict are graded. */
  async resume(runId: string): Promise<void> {
    await this.#work(async (signal) => {
      const stored = await this.deps.store.getRun(runId);
      if (!stored) throw new Error(`exam run ${runId} is not stored any more`);
      const { critic, about } = this.deps.critic();
      if (about.model !== stored.critic.model || about.engine !== stored.critic.engine) {
        throw new Error(`This run graded ${stored.critic.label}; the active critic is ${about.label}. Load ${stored.critic.model} to resume it, or start a new run.`);
      }
      const byId = Object.fromEntries((await this.#itemsOf(stored.set, signal)).map((i) => [i.id, i]));
      const items = stored.itemIds.map((id) => {
        const item = byId[id];
        if (!item) throw new Error(`exam run ${runId}: item ${id} is no longer in the ${stored.set} set`);
        return item;
      });
      const records = await this.deps.store.records(runId);
      const run: ExamRun = { ...stored, status: 'running', updatedAt: this.#now() };
      await this.deps.store.putRun(run);
      await this.#grade(run, critic, items, records, signal);
    });
  }

  async #grade(run: ExamRun, critic: Critic, items: readonly ExamItem[], stored: ExamRecord[], signal: AbortSignal): Promise<void> {
    this.activeRunId = run.id;
    const records = [...stored];
    this.#show(run, records);
    let status: ExamRun['status'] = 'stopped';
    try {
      await this.deps.grade({
        critic,
        items,
        // eslint-disable-next-line svelte/prefer-svelte-reactivity -- handed to gradeExam once, not state
        alreadyGraded: new Set(stored.map((r) => r.id)),
        onRecord: async (record) => {
          await this.deps.store.putRecord(run.id, record);
          records.push(record);
          this.#show(run, records);
        },
        onProgress: (p) => (this.progress = p),
        signal,
        timeoutMs: this.deps.timeoutMs(),
      });
      status = 'done';
    } finally {
      const ended = { ...run, status, updatedAt: this.#now() };
      // The final status is best effort: a run left 'running' resumes after a reload anyway.
      await this.deps.store.putRun(ended).catch(() => undefined);
      this.#show(ended, records);
      this.activeRunId = undefined;
    }
  }

  /** Puts a run's latest records into the table (the row updates as verdicts land). */
  #show(run: ExamRun, records: ExamRecord[]): void {
    const view = { run, records: [...records] };
    const i = this.runs.findIndex((r) => r.run.id === run.id);
    this.runs = i < 0 ? [...this.runs, view] : this.runs.map((r, j) => (j === i ? view : r));
  }

  stop(): void {
    this.#abort?.abort();
  }

  /** Stores a personal set (replacing one of the same name) and offers it for grading. */
  async saveSet(set: PersonalSet): Promise<void> {
    await this.deps.store.putSet(set);
    this.personalSets = [...this.personalSets.filter((s) => s.name !== set.name), set].sort((a, b) => a.name.localeCompare(b.name));
    this.items = { ...this.items, [set.name]: set.items };
  }

  async deleteSet(name: string): Promise<void> {
    try {
      await this.deps.store.deleteSet(name);
      this.personalSets = this.personalSets.filter((s) => s.name !== name);
      if (this.setName === name) this.setName = 'quick';
    } catch (err) {
      this.error = errorMessage(err);
    }
  }

  async deleteRun(runId: string): Promise<void> {
    try {
      await this.deps.store.deleteRun(runId);
      this.runs = this.runs.filter((r) => r.run.id !== runId);
    } catch (err) {
      this.error = errorMessage(err);
    }
  }

  /** Stores an imported results file's run (validated by the caller's parser) and shows it. */
  async addImported(run: ExamRun, records: ExamRecord[]): Promise<void> {
    await this.deps.store.putRunWithRecords(run, records);
    this.#show(run, records);
  }

  async #work(job: (signal: AbortSignal) => Promise<void>): Promise<void> {
    if (this.#abort) return;
    const abort = new AbortController();
    this.#abort = abort;
    this.busy = true;
    this.error = undefined;
    this.progress = undefined;
    try {
      await job(abort.signal);
    } catch (err) {
      this.error = isAbort(err, abort.signal) ? 'Stopped. Every verdict so far is stored: resume the run to grade the rest.' : errorMessage(err);
    } finally {
      this.#abort = undefined;
      this.busy = false;
      this.progress = undefined;
    }
  }
}
