import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runEpisode } from '../../loop/run-episode.ts';
import type { LoopEvent, TimelineEntry } from '../../loop/events.ts';
import { ScriptedActorDouble } from '../../../../tests/doubles/scripted-doubles.ts';
import type { Action } from '../../contracts.ts';
import { ToolSchemaSchema } from '../../contracts.ts';
import { parseJson } from '../tau-bench/py.ts';
import { createUserBenchEnv, NO_TOOL_CALL_NOTE, UserBenchOpening } from './env.ts';
import { TravelGym } from './gym.ts';
import type { TravelLlm } from './llm.ts';
import type { UserBenchPrompts } from './prompts.ts';
import { recordedLlmCalls, RecordingTravelLlm, type LlmCallRecord } from './recording-llm.ts';
import { taskFromProcessed } from './task.ts';

const DIR = resolve(process.env.SPOTTER_USERBENCH_DIR ?? '../shared/userbench');
const read = (p: string): string => readFileSync(join(DIR, p), 'utf8');
const pair = (name: string) => ({ system: read(`prompts/${name}_system.txt`), user: read(`prompts/${name}_user.txt`) });
const prompts: UserBenchPrompts = {
  judgeSearch: pair('judge_search'),
  judgeUtterance: pair('judge_prompt'),
  responsePreference: pair('response_preference'),
  responseElicit: pair('response_elicit'),
  responseNatural: pair('response_natural'),
  optionSchemas: Object.fromEntries(Object.entries(JSON.parse(read('prompts/option_schemas.json')) as Record<string, string>)),
};
const tool = ToolSchemaSchema.parse(JSON.parse(read('prompts/tools.json'))[0]);
const FILE = 'scenarios/testtask272_flight_apartment.json';
const task = () => taskFromProcessed(FILE, parseJson(read(FILE)));

/** A judge/user double answering by purpose, recording the purposes. */
function llmDouble(answers: Record<string, string[]>): TravelLlm & { purposes: string[] } {
  const purposes: string[] = [];
  const f = (async (_m, purpose) => {
    purposes.push(purpose);
    const next = answers[purpose]?.shift();
    if (next === undefined) throw new Error(`no ${purpose} answer`);
    return next;
  }) as TravelLlm & { purposes: string[] };
  f.purposes = purposes;
  return f;
}

const call = (choice: string, content: string, id = 'c'): Action => ({
  kind: 'tool_call',
  call: { id, name: 'interact_with_env', arguments: { thought: 't', choice, content } },
});

function episode(llm: TravelLlm, replay: LlmCallRecord[][] = []) {
  const recorder = new RecordingTravelLlm(llm, replay);
  const gym = new TravelGym(task(), { maxSteps: 20 }, recorder.llm, prompts);
  const env = createUserBenchEnv({ id: 'userbench/sample/272', policy: 'SYSTEM', tool, gym, llm: recorder });
  return { env, gym, recorder };
}

async function collect(gen: AsyncGenerator<LoopEvent>): Promise<LoopEvent[]> {
  const out: LoopEvent[] = [];
  for await (const e of gen) out.push(e);
  return out;
}

describe('UserBench env on the sample scenario (flight + apartment)', () => {
  it("plays eval.py's loop: rewards per turn on the steps, best for every aspect scores 1", async () => {
    const llm = llmDouble({
      'search-judge': ['```json\n{"alignment_judgement": "True", "alignment_aspect": "Flight"}\n```'],
      'utterance-judge': ['{"type": "2", "preference_id": "P1"}'],
      'user-reply': ['{"response": "I like to keep things tidy."}'],
    });
    const { env } = episode(llm);
    const actor = new ScriptedActorDouble([
      call('search', 'flight from New York to Barcelona on April 10th'),
      call('action', 'What matters most to you in the apartment?'),
      call('answer', 'F2'),
      call('answer', '[answer] A17'),
    ]);
    const events = await collect(
      runEpisode(
        {
          episodeId: 'e1',
          env,
          user: new UserBenchOpening('I need a trip to Barcelona.'),
          actor,
          mode: 'off',
          maxRevisions: 2,
          failureRule: 'fail-open',
          maxSteps: 20,
          criticTimeoutMs: 1000,
          meta: { environment: { family: 'userbench', domain: 'travel22' }, taskIndex: 0 },
        },
        new AbortController().signal,
      ),
    );
    const steps = events.flatMap((e) => (e.type === 'step' ? [e.step] : []));
    expect(steps.map((s) => s.reward)).toEqual([0.2, 0.2, 1, 1]);
    expect(steps[0]?.observation).toContain('Here are all the options for <flight>:');
    expect(steps[0]?.envInfo?.['search']).toMatchObject({ outcome: 'results', aspect: 'flight' });
    expect(steps[1]?.observation).toBe('I like to keep things tidy.');
    expect(steps[1]?.envInfo?.['revealed']).toEqual([expect.objectContaining({ id: 'P1' })]);
    expect(steps[2]?.envInfo?.['answer']).toMatchObject({ ids: ['F2'], outcome: 'best' });
    expect(steps[3]?.envInfo?.['action']).toBe('[answer] A17');
    // Each step keeps the raw LLM outputs it used, in call order.
    expect((steps[1]?.envInfo?.['llm'] as LlmCallRecord[]).map((c) => c.purpose)).toEqual(['utterance-judge', 'user-reply']);
    const end = events.at(-1);
    expect(end).toMatchObject({ type: 'episode_end', outcome: 'done', reward: 1 });
    expect(end?.type === 'episode_end' && end.rewardDetails).toMatchObject({ best_found: 2, aspects: 2, turn_rewards: [0.2, 0.2, 1, 1], active_elicited_preferences: 1 });
    // eval.py sends tool_choice "required" with the one tool, and the task's system prompt.
    expect(actor.requests[0]).toMatchObject({ system: 'SYSTEM', toolChoice: 'required', tools: [{ function: { name: 'interact_with_env' } }] });
    expect(actor.requests[0]?.messages[0]).toEqual({ role: 'user', content: 'I need a trip to Barcelona.' });
  });

  it('ends the rollout, as eval.py does, on arguments without thought/choice/content and on a reply without a tool call', async () => {
    const { env } = episode(llmDouble({}));
    const r = await env.execute({ id: 'x', name: 'interact_with_env', arguments: { choice: 'search', content: 'q' } });
    expect(r).toMatchObject({ endsEpisode: true });
    expect(r.observation).toMatch(/Invalid response/);
    expect(r.reward).toBeUndefined();
    expect(await new UserBenchOpening('hi').reply()).toEqual({ content: NO_TOOL_CALL_NOTE, stop: true });
  });

  it('a wrong answer and truncation: reward 0 for the episode, the turns as the gym scored them', async () => {
    const recorder = new RecordingTravelLlm(llmDouble({}));
    const gym = new TravelGym(task(), { maxSteps: 2 }, recorder.llm, prompts);
    const env = createUserBenchEnv({ id: 'x', policy: 'S', tool, gym, llm: recorder });
    const a = await env.execute({ id: '1', name: 'interact_with_env', arguments: { thought: '', choice: 'answer', content: 'F4' } });
    expect(a.reward).toBe(0.8);
    const b = await env.execute({ id: '2', name: 'interact_with_env', arguments: { thought: '', choice: 'answer', content: 'F1' } });
    expect(b).toMatchObject({ reward: 0, endsEpisode: true, info: { truncated: true } });
    expect(await env.reward?.([])).toMatchObject({ reward: 0, details: { best_found: 0, turn_rewards: [0.8, 0] } });
  });

  it('replays recorded LLM outputs without calling the model (resume), then goes on live', async () => {
    const live = llmDouble({
      'search-judge': ['{"alignment_judgement": "True", "alignment_aspect": "apartment"}', '{"alignment_judgement": "True", "alignment_aspect": "flight"}'],
    });
    const first = episode(live);
    const r1 = await first.env.execute({ id: '1', name: 'interact_with_env', arguments: { thought: '', choice: 'search', content: 'apartment in Barcelona' } });
    const recorded = [r1.info?.['llm'] as LlmCallRecord[]];
    expect(live.purposes).toEqual(['search-judge']);

    const again = episode(live, recorded);
    const replayed = await again.env.execute({ id: '1', name: 'interact_with_env', arguments: { thought: '', choice: 'search', content: 'apartment in Barcelona' } });
    expect(replayed.observation).toBe(r1.observation);
    expect(live.purposes).toEqual(['search-judge']); // no model call while replaying
    const next = await again.env.execute({ id: '2', name: 'interact_with_env', arguments: { thought: '', choice: 'search', content: 'flight' } });
    expect(next.reward).toBe(0.2);
    expect(live.purposes).toEqual(['search-judge', 'search-judge']);

    // A record that lacks an output the gym asks for is a broken record, never a judge failure.
    const broken = episode(live, [[]]);
    const r = await broken.env.execute({ id: '1', name: 'interact_with_env', arguments: { thought: '', choice: 'search', content: 'apartment' } });
    expect(r).toMatchObject({ endsEpisode: true, info: { ended: 'gym-error' } });
    expect(r.observation).toMatch(/no more LLM outputs/);
    expect(live.purposes).toHaveLength(2);
  });

  it('resumes a stored episode: the recorded outputs rebuild the gym, then the loop goes on live', async () => {
    const answers = () => ({
      'search-judge': ['{"alignment_judgement": "True", "alignment_aspect": "flight"}'],
      'utterance-judge': ['{"type": "2", "preference_id": "P1"}'],
      'user-reply': ['{"response": "Tidy, please."}'],
    });
    const cfg = (env: ReturnType<typeof episode>['env'], actor: ScriptedActorDouble, resume?: TimelineEntry[]) => ({
      episodeId: 'e2',
      env,
      user: new UserBenchOpening('Trip to Barcelona.'),
      actor,
      mode: 'off' as const,
      maxRevisions: 2,
      failureRule: 'fail-open' as const,
      maxSteps: 20,
      criticTimeoutMs: 1000,
      meta: { environment: { family: 'userbench' as const, domain: 'travel22' as const } },
      ...(resume ? { resume } : {}),
    });
    // The first run stops after two turns (the actor's script ends: an error, as a reload would cut it).
    const first = llmDouble(answers());
    const a = episode(first);
    const events = await collect(runEpisode(cfg(a.env, new ScriptedActorDouble([call('search', 'flight NY to Barcelona'), call('action', 'Apartment wishes?')])), new AbortController().signal));
    const timeline: TimelineEntry[] = events.flatMap((e): TimelineEntry[] => (e.type === 'user' ? [e] : e.type === 'step' ? [{ type: 'step', step: e.step }] : []));
    expect(timeline).toHaveLength(3);

    // Resumed: no judge is called for the two stored turns; the gym is where it was (search done, P1 revealed).
    const second = llmDouble({ 'search-judge': ['{"alignment_judgement": "True", "alignment_aspect": "flight"}'] });
    const b = episode(second, recordedLlmCalls(timeline));
    const rest = await collect(runEpisode(cfg(b.env, new ScriptedActorDouble([call('search', 'flight again'), call('answer', 'F2'), call('answer', 'A17')]), timeline), new AbortController().signal));
    expect(second.purposes).toEqual(['search-judge']);
    const steps = rest.flatMap((e) => (e.type === 'step' ? [e.step] : []));
    // The flight results were already shown before the reload: a repeated search scores 0.
    expect(steps[0]?.observation).toMatch(/already got the search results for <flight>/);
    expect(steps.map((s) => [s.index, s.reward])).toEqual([
      [2, 0],
      [3, 1],
      [4, 1],
    ]);
    expect(b.gym.state.elicitedPreferences.map((p) => p.id)).toEqual(['P1']);
    expect(rest.at(-1)).toMatchObject({ type: 'episode_end', outcome: 'done', reward: 1 });
  });
});
