/**
 * The Exam tab's state over the real store (fake-indexeddb), the real grader
 * and the real quick set, with a scripted critic: a run stored verdict by
 * verdict, stopped, then resumed with only the rest graded; resuming with
 * another critic is refused.
 */
import 'fake-indexeddb/auto';
import { describe, expect, it } from 'vitest';
import { gradeExam } from '../../lib/exam/grade.ts';
import type { CriticDescriptor } from '../../lib/exam/results.ts';
import { ExamStore } from '../../lib/exam/store.ts';
import { ScriptedCriticDouble, type CriticStep } from '../../../tests/doubles/scripted-doubles.ts';
import { examSet } from '../../../tests/fixtures/exam-items.ts';
import { ExamState } from './exam.svelte.ts';

const about: CriticDescriptor = { label: 'scripted-critic', engine: 'transformers', model: 'scripted', device: 'wasm' };

function setup(db: string, critic: () => { critic: ScriptedCriticDouble; about: CriticDescriptor }) {
  const store = new ExamStore({ name: db, upgrades: [(d) => ['runs', 'records', 'sets'].forEach((s) => d.createObjectStore(s))] });
  let t = 1000;
  const state = new ExamState({ store, items: () => examSet('quick'), critic, grade: gradeExam, timeoutMs: () => 5000, now: () => t++ });
  return { state, store };
}

describe('ExamState', () => {
  it('stores each verdict as it lands; a stopped run resumes grading only the items without one', async () => {
    // Six verdicts, then the critic hangs until Stop.
    const first = new ScriptedCriticDouble([...Array<CriticStep>(6).fill({ decision: 'revise', feedback: 'no' }), 'hang']);
    let critic = first;
    const { state, store } = setup('exam-state-a', () => ({ critic, about }));
    state.limit = 10;
    const running = state.start();
    const until = Date.now() + 30_000;
    while (first.inputs.length < 7 && Date.now() < until) await new Promise((r) => setTimeout(r, 10));
    state.stop();
    await running;
    expect(state.error).toMatch(/Stopped/);
    const [run] = await store.listRuns();
    if (!run) throw new Error('no run stored');
    expect(run.status).toBe('stopped');
    expect(run.itemIds.length).toBe(10);
    const stored = await store.records(run.id);
    expect(stored.length).toBe(6);
    expect(state.runs[0]?.records.length).toBe(6);

    // A reload: a fresh state over the same store finds the stopped run and resumes it.
    critic = new ScriptedCriticDouble([]);
    const again = setup('exam-state-a', () => ({ critic, about })).state;
    await again.load();
    expect(again.runs.map((r) => [r.run.status, r.records.length])).toEqual([['stopped', 6]]);
    await again.resume(run.id);
    expect(again.error).toBeUndefined();
    // Only the 4 items without a verdict went to the critic, and they are the run's last 4.
    expect(critic.inputs.length).toBe(4);
    const after = await store.records(run.id);
    expect(after.length).toBe(10);
    expect(after.filter((r) => r.decision === 'revise').length).toBe(6);
    expect((await store.getRun(run.id))?.status).toBe('done');
    const quick = await examSet('quick');
    const gradedLast = run.itemIds.filter((id) => !stored.some((r) => r.id === id));
    expect(critic.inputs).toEqual(gradedLast.map((id) => quick.find((i) => i.id === id)?.input));
  }, 60_000);

  it('refuses to resume a run with another critic, and keeps its verdicts', async () => {
    const critic = new ScriptedCriticDouble(['hang']);
    const { state, store } = setup('exam-state-b', () => ({ critic, about }));
    state.limit = 4;
    const running = state.start();
    while (critic.inputs.length < 1) await new Promise((r) => setTimeout(r, 10));
    state.stop();
    await running;
    const [run] = await store.listRuns();
    if (!run) throw new Error('no run stored');
    const other = setup('exam-state-b', () => ({ critic: new ScriptedCriticDouble([]), about: { ...about, model: 'other', label: 'other' } })).state;
    await other.load();
    await other.resume(run.id);
    expect(other.error).toMatch(/This run graded scripted-critic; the active critic is other/);
    expect((await store.getRun(run.id))?.status).toBe('stopped');
  }, 60_000);
});
