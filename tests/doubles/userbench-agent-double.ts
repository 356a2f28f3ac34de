/**
 * UserBenchRolesDouble: replies for ProviderServerDouble that play UserBench's
 * three remote roles on the three sample scenarios: the agent (searches every
 * aspect, asks one question, then answers; on the first sample a correct but
 * not best option first), the judge (search judge and utterance judge, as
 * JSON the way gpt-4o writes it) and the simulated user. They read the
 * requests as the real models would: the conversation and the prompts.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';
import type { RecordedRequest, ScriptedReply } from './provider-server-double.ts';

const SampleSchema = z.object({
  initial_desc: z.string(),
  dimensions: z.array(z.string()),
  /** The raw entry: per dimension, its best and correct ids (other keys are not read here). */
  preferences: z.record(z.string(), z.unknown()),
});

export interface SamplePlan {
  initialDesc: string;
  /** The gym action contents, in order, with the per-turn reward each earns. */
  turns: Array<{ choice: 'search' | 'action' | 'answer'; content: string; reward: number }>;
}

export const SAMPLE_FILES = ['testtask272_flight_apartment.json', 'testtask733_rentalcar_restaurant.json', 'testtask2330_hotel_restaurant_flight.json'];

export function samplePlans(dir: string): SamplePlan[] {
  return SAMPLE_FILES.map((file, i) => {
    const s = SampleSchema.parse(JSON.parse(readFileSync(join(dir, 'scenarios', file), 'utf8')));
    const Dim = z.object({ best_id: z.string(), correct_ids: z.array(z.string()) });
    const pref = (d: string) => Dim.parse(s.preferences[d]);
    const turns: SamplePlan['turns'] = s.dimensions.map((d) => ({ choice: 'search' as const, content: `${d} matching the trip in the request`, reward: 0.2 }));
    turns.push({ choice: 'action', content: `What exactly matters to you for the ${s.dimensions[0] ?? ''}?`, reward: 0.2 });
    const first = s.dimensions[0] ?? '';
    if (i === 0) turns.push({ choice: 'answer', content: pref(first).correct_ids.find((id) => id !== pref(first).best_id) ?? '', reward: 0.8 });
    for (const d of s.dimensions) turns.push({ choice: 'answer', content: pref(d).best_id, reward: 1 });
    return { initialDesc: s.initial_desc, turns };
  });
}

const Messages = z.array(z.object({ role: z.string(), content: z.unknown().optional() }).loose());
const text = (c: unknown): string => (typeof c === 'string' ? c : JSON.stringify(c ?? ''));

/** The agent: the next turn of the sample whose opening request the conversation starts with. */
export function userBenchAgentDouble(plans: SamplePlan[], onStart?: (sample: number) => void): (req: RecordedRequest) => ScriptedReply {
  return (req) => {
    const msgs = Messages.parse(req.body['messages'] ?? []);
    const opening = text(msgs.find((m) => m.role === 'user')?.content);
    const sample = plans.findIndex((p) => opening.includes(p.initialDesc.slice(0, 60)));
    const done = msgs.filter((m) => m.role === 'tool').length;
    if (done === 0 && !msgs.some((m) => m.role === 'assistant')) onStart?.(sample);
    const turn = plans[sample]?.turns[done];
    if (!turn) return { kind: 'message', content: 'I have nothing more to do.' };
    return { kind: 'tool_call', name: 'interact_with_env', arguments: { thought: `turn ${done}`, choice: turn.choice, content: turn.content } };
  };
}

/** The judge and the simulated user (one model, as UserBench's gpt-4o), told apart by their prompts. */
export function userBenchJudgeDouble(req: RecordedRequest): ScriptedReply {
  const msgs = Messages.parse(req.body['messages'] ?? []);
  const user = text(msgs.find((m) => m.role === 'user')?.content);
  const search = /\*\*Agent's Search Request:\*\*\n(\w+)/.exec(user);
  if (search) return { kind: 'message', content: `\`\`\`json\n{"alignment_judgement": "True", "alignment_aspect": "${search[1] ?? ''}"}\n\`\`\`` };
  if (user.includes('**Available Preferences:**')) {
    const id = /Preference ID: (P\d+)/.exec(user.slice(user.indexOf('**Available Preferences:**')))?.[1];
    return { kind: 'message', content: id ? `{"type": "2", "preference_id": "${id}"}` : '{"type": "1"}' };
  }
  return { kind: 'message', content: '{"response": "Honestly, I care about that a lot: it has to feel right for us."}' };
}
