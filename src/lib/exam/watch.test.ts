import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { loadTauPack } from '../envs/tau-bench/pack.ts';
import { nodePackSource } from '../envs/tau-bench/pack-node.ts';
import { parseTauResults } from '../traces/tau-results.ts';
import type { EpisodeTrace } from '../traces/schema.ts';
import type { ToolSchema } from '../contracts.ts';
import { EXAM_SCHEMA_VERSION, type ExamItem } from './schema.ts';
import { watchFrames, wouldBeFeedback } from './watch.ts';

const PACK = resolve(import.meta.dirname, '../../../../shared/tau-bench');
let episodes: EpisodeTrace[];
let tools: ToolSchema[];

beforeAll(async () => {
  const pack = await loadTauPack(nodePackSource(PACK), ['airline'], { airline: ['test'] });
  tools = pack.domains.airline?.tools ?? [];
  episodes = parseTauResults(await readFile(resolve(PACK, 'historical/gpt-4o-airline.json'), 'utf8'), { domain: 'airline' }).episodes;
});

describe('watchFrames on the real GPT-4o airline episodes', () => {
  it('gives every user turn and every proposal in order, each with the input the loop would build, then the reward', () => {
    expect(episodes.length).toBe(200);
    let proposals = 0;
    for (const ep of episodes) {
      const frames = watchFrames(ep, tools, []);
      const steps = ep.timeline.filter((e) => e.type === 'step').length;
      const users = ep.timeline.filter((e) => e.type === 'user').length;
      expect(frames.length).toBe(steps + users + 1);
      expect(frames.at(-1)).toEqual({ kind: 'end', reward: ep.reward });
      for (const f of frames) {
        if (f.kind !== 'proposal') continue;
        proposals++;
        // The critic sees the airline policy and tools, and only what came before the proposal.
        expect(f.point.input.policy).toBe(ep.policy);
        expect(f.point.input.tools).toBe(tools);
        expect(f.point.input.proposal).toEqual(f.point.proposal.action);
      }
    }
    // Every assistant message of the 200 episodes is one proposal.
    expect(proposals).toBe(episodes.reduce((n, e) => n + e.timeline.filter((x) => x.type === 'step').length, 0));
  });

  it('puts an exam item beside the proposal of its traj message, and only for its own episode', async () => {
    // Task 0, trial 0: its last assistant message with a tool call (call ids repeat in this episode, so they cannot name it).
    const raw = z.array(z.object({ task_id: z.number(), trial: z.number(), traj: z.array(z.object({ role: z.string(), tool_calls: z.array(z.object({ id: z.string(), function: z.object({ name: z.string(), arguments: z.string() }) })).nullish() })) }));
    const records = raw.parse(JSON.parse(await readFile(resolve(PACK, 'historical/gpt-4o-airline.json'), 'utf8')));
    const rec = records.find((r) => r.task_id === 0 && r.trial === 0);
    const ep = episodes.find((e) => e.id === 'tau-bench/airline/0/0');
    if (!rec || !ep) throw new Error('no task 0 trial 0');
    const assistant = rec.traj.flatMap((m, i) => (m.role === 'assistant' ? [i] : []));
    const k = assistant.findLastIndex((i) => (rec.traj[i]?.tool_calls ?? []).length > 0);
    const messageIndex = assistant[k];
    const call = rec.traj[messageIndex ?? -1]?.tool_calls?.[0];
    if (messageIndex === undefined || !call) throw new Error('no assistant message with a call');
    const frames = watchFrames(ep, tools, []);
    const target = frames.filter((f) => f.kind === 'proposal')[k];
    if (target?.kind !== 'proposal' || target.point.proposal.action.kind !== 'tool_call') throw new Error(`proposal ${k} is no tool call`);
    expect(target.point.proposal.action.call.name).toBe(call.function.name);
    expect(target.point.proposal.action.call.arguments).toEqual(JSON.parse(call.function.arguments));
    const item: ExamItem = {
      schemaVersion: EXAM_SCHEMA_VERSION,
      id: 'airline/x',
      set: 'tau-airline-gpt4o',
      environment: { family: 'tau-bench', domain: 'airline' },
      tool: 'x',
      input: target.point.input,
      label: 'revise',
      why: 'test',
      source: { episodeId: ep.id, messageIndex },
    };
    const other = { ...item, id: 'airline/y', source: { episodeId: 'tau-bench/airline/1/0', messageIndex } };
    const mutated = { ...item, id: 'airline/x/m0', source: { episodeId: ep.id, messageIndex, mutation: { of: 'airline/x', kind: 'payment', change: 'a -> b' } } };
    const withItems = watchFrames(ep, tools, [other, mutated, item]);
    const labelled = withItems.filter((f) => f.kind === 'proposal' && f.item);
    expect(labelled.length).toBe(1);
    expect(labelled[0]).toBe(withItems[frames.indexOf(target)]);
    expect(labelled[0]?.kind === 'proposal' && labelled[0].item?.id).toBe('airline/x');
  });

  it("shows a revise verdict's feedback as the loop's revision message would carry it", () => {
    const frames = episodes.flatMap((e) => watchFrames(e, tools, []));
    const call = frames.find((f) => f.kind === 'proposal' && f.point.proposal.action.kind === 'tool_call');
    const msg = frames.find((f) => f.kind === 'proposal' && f.point.proposal.action.kind === 'message');
    if (call?.kind !== 'proposal' || msg?.kind !== 'proposal') throw new Error('no call or message');
    const verdict = { decision: 'revise' as const, feedback: 'Confirm with the user first.', latencyMs: 1, critic: 'test' };
    expect(wouldBeFeedback(call.point, verdict)).toBe(
      'Your proposed action was not carried out. A reviewer checking it against the policy objected: Confirm with the user first.\nRevise your action.',
    );
    expect(wouldBeFeedback(msg.point, verdict)).toMatch(/^\[Reviewer note, not visible to the user\] Your proposed action was not carried out\. .*Confirm with the user first\./s);
  });
});
