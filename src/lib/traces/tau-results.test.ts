import 'fake-indexeddb/auto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { defaultTauDir } from '../envs/tau-bench/pack-node.ts';
import { ValidationError } from '../errors.ts';
import { historyFromTimeline } from '../loop/history.ts';
import { parseEpisodeFile } from './episode-file.ts';
import { toJsonl } from './jsonl.ts';
import { tauTraj } from '../runs/results-export.ts';
import { syntheticTrace } from '../../../tests/fixtures/synthetic-traces.ts';
import { EpisodeTraceSchema, type EpisodeTrace } from './schema.ts';
import { TraceStore } from './trace-store.ts';
import { inferTauDomain, looksLikeTauResults, parseTauResultRecords, parseTauResults, type TauMessage, type TauResult } from './tau-results.ts';

const FILE = join(defaultTauDir(), 'historical', 'gpt-4o-airline.json');
let text = '';
let raw: unknown[] = [];
beforeAll(() => {
  text = readFileSync(FILE, 'utf8');
  const v: unknown = JSON.parse(text);
  if (!Array.isArray(v)) throw new Error('the historical file is not a list');
  raw = v;
});

let n = 0;
const freshStore = () => new TraceStore(`tau-results-test-${n++}`);

/** The file with one record changed (a deep copy: the loaded one stays intact). */
function corrupt(change: (records: Array<Record<string, unknown>>) => void): string {
  const records: Array<Record<string, unknown>> = JSON.parse(text);
  change(records);
  return JSON.stringify(records);
}

/** The traj an episode came from, rebuilt from what the episode holds (the inverse of the import). */
function rebuildTraj(t: EpisodeTrace): unknown[] {
  const out: unknown[] = [{ role: 'system', content: t.policy }];
  const steps = t.timeline.flatMap((e) => (e.type === 'step' ? [e.step] : []));
  let k = 0;
  for (const m of historyFromTimeline(t.timeline)) {
    if (m.role === 'user') out.push({ role: 'user', content: m.content });
    else if (m.role === 'tool') out.push({ role: 'tool', tool_call_id: m.toolCallId, name: m.name, content: m.content });
    else {
      const step = steps[k++];
      const call = m.toolCalls?.[0];
      const rawArgs = step?.envInfo?.rawArguments;
      out.push(
        call
          ? {
              content: m.content === '' ? null : m.content,
              role: 'assistant',
              tool_calls: [{ function: { arguments: typeof rawArgs === 'string' ? rawArgs : JSON.stringify(call.arguments), name: call.name }, id: call.id, type: 'function' }],
            }
          : { content: m.content, role: 'assistant' },
      );
    }
  }
  return out;
}

/** Key order aside, as the file's JSON compares. */
const canonical = (v: unknown): unknown => JSON.parse(JSON.stringify(v, (_k, x: unknown) => (x && typeof x === 'object' && !Array.isArray(x) ? Object.fromEntries(Object.entries(x).sort(([a], [b]) => a.localeCompare(b))) : x)));

describe('tau-bench results import: the 200 real GPT-4o airline episodes', () => {
  it('imports one valid episode per record, with the id, environment, task, trial, reward and no verdicts', () => {
    const { domain, episodes } = parseTauResults(text, { now: 1000 });
    expect(domain).toBe('airline');
    expect(episodes).toHaveLength(200);
    expect(new Set(episodes.map((e) => e.id)).size).toBe(200);
    for (const [i, e] of episodes.entries()) {
      const r = raw[i] as { task_id: number; trial: number; reward: number };
      expect(EpisodeTraceSchema.parse(e)).toEqual(e);
      expect(e.id).toBe(`tau-bench/airline/${r.task_id}/${r.trial}`);
      expect(e.meta).toMatchObject({ environment: { family: 'tau-bench', domain: 'airline' }, taskIndex: r.task_id, trial: r.trial, mode: 'off', userKind: 'simulated' });
      expect(e.reward).toBe(r.reward);
      for (const entry of e.timeline) if (entry.type === 'step') expect(entry.step.proposals.every((p) => p.verdict === undefined)).toBe(true);
    }
    // Every one of the 50 tasks has its 4 trials.
    expect(new Set(episodes.map((e) => e.meta.taskIndex)).size).toBe(50);
    // The counts per reward match the file: 84 passed, 116 failed.
    const byReward = (xs: Array<{ reward?: number }>) => xs.reduce<Record<string, number>>((a, x) => ((a[String(x.reward)] = (a[String(x.reward)] ?? 0) + 1), a), {});
    expect(byReward(episodes)).toEqual(byReward(raw as Array<{ reward: number }>));
    expect(byReward(episodes)).toEqual({ '0': 116, '1': 84 });
    // 195 ended by themselves (the user stopped, a transfer); 5 ran out of the 30 steps.
    expect(episodes.filter((e) => e.status === 'done')).toHaveLength(195);
    expect(episodes.filter((e) => e.status === 'max_steps').map((e) => e.id).sort()).toEqual(
      ['tau-bench/airline/2/1', 'tau-bench/airline/33/0', 'tau-bench/airline/46/3', 'tau-bench/airline/9/2', 'tau-bench/airline/9/3'].sort(),
    );
  });

  it('is lossless: each traj comes back from its episode, message for message, and info is kept whole', () => {
    const { episodes } = parseTauResults(text, { now: 0 });
    let rawKept = 0;
    for (const [i, e] of episodes.entries()) {
      const r = raw[i] as { traj: unknown[]; info: unknown };
      expect(canonical(rebuildTraj(e))).toEqual(canonical(r.traj));
      expect(e.rewardDetails).toEqual(r.info);
      for (const entry of e.timeline) if (entry.type === 'step' && entry.step.envInfo?.rawArguments !== undefined) rawKept++;
    }
    // 125 of the 1,164 calls were written with spaces JSON.stringify would not give back: their text is kept.
    expect(rawKept).toBe(125);
    // The policy is the system message, which is the pack's airline wiki.
    expect(episodes[0]?.policy).toBe(readFileSync(join(defaultTauDir(), 'airline', 'wiki.md'), 'utf8'));
  });

  it('re-importing adds nothing; the file passes through History’s import (content detection)', async () => {
    const store = freshStore();
    const parsed = parseEpisodeFile(text);
    expect(parsed.format).toBe('tau-bench-results');
    expect(await store.importMany(parsed.traces)).toEqual({ added: 200, skipped: 0 });
    expect(await store.importMany(parseEpisodeFile(text).traces)).toEqual({ added: 0, skipped: 200 });
    expect((await store.summaries()).length).toBe(200);
    // And Spotter's own JSONL still goes the JSONL way, and round-trips the imported episodes.
    const jsonl = toJsonl(parsed.traces.slice(0, 3));
    expect(looksLikeTauResults(jsonl)).toBe(false);
    expect(parseEpisodeFile(jsonl)).toEqual({ format: 'jsonl', traces: parsed.traces.slice(0, 3), duplicatesInFile: 0 });
  });

  it('rejects a corrupt file whole, naming the record and the field, and writes nothing', async () => {
    const cases: Array<[string, string | RegExp]> = [
      [
        corrupt((rs) => {
          const m = (rs[137]?.traj as Array<Record<string, unknown>>)[5];
          if (m) m.content = 5;
        }),
        /^record 137: traj\[5\]\.content: /,
      ],
      [corrupt((rs) => delete rs[42]?.trial), /^record 42: trial: /],
      [
        corrupt((rs) => {
          const m = (rs[10]?.traj as Array<Record<string, unknown>>).findIndex((x) => x.role === 'tool');
          const tool = (rs[10]?.traj as Array<Record<string, unknown>>)[m];
          if (tool) tool.tool_call_id = 'call_other';
        }),
        /^record 10 \(task 10, trial 0\): traj\[\d+\]\.tool_call_id: "call_other" is not the call before it/,
      ],
      [
        corrupt((rs) => {
          const m = (rs[3]?.traj as Array<Record<string, unknown>>).find((x) => x.role === 'assistant' && x.tool_calls);
          const c = (m?.tool_calls as Array<{ function: { arguments: string } }>)[0];
          if (c) c.function.arguments = '{"reservation_id": ';
        }),
        /^record 3 \(task 3, trial 0\): traj\[\d+\]\.tool_calls\[0\]\.function\.arguments: not valid JSON/,
      ],
      [
        corrupt((rs) => {
          const m = (rs[7]?.traj as Array<Record<string, unknown>>)[2];
          if (m) m.audio = { id: 'x' };
        }),
        /^record 7 \(task 7, trial 0\): traj\[2\]\.audio: a field an episode cannot hold/],
      [text.slice(0, -10), /^file: not valid JSON/],
      ['[]', /^file: no episodes in it/],
    ];
    const store = freshStore();
    for (const [bad, message] of cases) {
      let err: unknown;
      try {
        await store.importMany(parseEpisodeFile(bad).traces);
      } catch (e) {
        err = e;
      }
      expect(err).toBeInstanceOf(ValidationError);
      expect(String((err as Error).message)).toMatch(message);
    }
    expect(await store.summaries()).toEqual([]);
  });

  it('keeps a truncated extra tool call and empty fields a newer client writes', () => {
    const records = parseTauResultRecords(JSON.parse(text)).slice(0, 1);
    const r = structuredClone(records[0]) as TauResult;
    const at = r.traj.findIndex((m) => m.role === 'assistant' && m.tool_calls);
    const m = r.traj[at] as Extract<TauMessage, { role: 'assistant' }>;
    const first = m.tool_calls?.[0];
    if (!first) throw new Error('no call');
    r.traj[at] = { ...m, function_call: null, refusal: null, tool_calls: [first, { ...first, id: 'call_2', function: { name: 'think', arguments: '{"thought": "x"}' } }] };
    const e = parseTauResults(JSON.stringify([r])).episodes[0];
    const step = e?.timeline.flatMap((x) => (x.type === 'step' ? [x.step] : [])).find((s) => s.executed.kind === 'tool_call');
    expect(step?.envInfo?.untakenToolCalls).toEqual([{ id: 'call_2', name: 'think', arguments: { thought: 'x' }, rawArguments: '{"thought": "x"}' }]);
  });
});

describe('Spotter’s own results export', () => {
  it('comes back as the episodes it was made from: user turns, executed actions, observations, reward, outcome', () => {
    const traces = [1, 3, 5, 6].map(syntheticTrace);
    const results = traces.map((t, k) => ({ task_id: t.meta.taskIndex, reward: t.reward, info: { reward_info: null, outcome: k === 2 ? 'max_steps' : 'done' }, traj: tauTraj(t), trial: k }));
    // The synthetic episodes use only get_user_details, which both domains have: the domain must be given.
    expect(() => parseTauResults(JSON.stringify(results))).toThrow(/cannot tell the domain/);
    const { episodes } = parseTauResults(JSON.stringify(results), { domain: 'airline' });
    const view = (t: EpisodeTrace) => t.timeline.map((e) => (e.type === 'user' ? ['user', e.content] : e.type === 'step' ? ['step', e.step.index, e.step.executed, e.step.observation] : [e.type]));
    episodes.forEach((e, k) => {
      const t = traces[k];
      if (!t) throw new Error('missing');
      expect(view(e)).toEqual(view(t));
      expect(e.policy).toBe(t.policy);
      expect(e.reward).toBe(t.reward);
      expect(e.status).toBe(k === 2 ? 'max_steps' : 'done');
    });
  });
});

describe('the domain', () => {
  const rec = (names: string[], policy = 'p'): TauResult => ({
    task_id: 0,
    reward: 0,
    trial: 0,
    info: {},
    traj: [
      { role: 'system', content: policy },
      { role: 'user', content: 'hi' },
      ...names.flatMap((name, i): TauMessage[] => [
        { role: 'assistant', content: null, tool_calls: [{ id: `c${i}`, type: 'function', function: { name, arguments: '{}' } }] },
        { role: 'tool', tool_call_id: `c${i}`, name, content: 'ok' },
      ]),
    ],
  });

  it('is read from the tools; tools both domains have decide nothing, and a given domain must fit', () => {
    expect(inferTauDomain([rec(['get_user_details', 'book_reservation'])])).toBe('airline');
    expect(inferTauDomain([rec(['get_order_details'])])).toBe('retail');
    expect(() => inferTauDomain([rec(['transfer_to_human_agents', 'get_user_details'])])).toThrow(/cannot tell the domain from its tools .*choose retail or airline/);
    // Then the policy's title decides, when every record's names the same domain.
    expect(inferTauDomain([rec(['transfer_to_human_agents'], '# Retail agent policy\n\n...')])).toBe('retail');
    expect(inferTauDomain([rec([], '# Airline Agent Policy\n'), rec(['think'], '# Airline Agent Policy\n')])).toBe('airline');
    expect(() => inferTauDomain([rec([], '# Airline Agent Policy'), rec([], '# Retail agent policy')])).toThrow(/cannot tell the domain/);
    expect(inferTauDomain([rec(['transfer_to_human_agents'])], 'retail')).toBe('retail');
    expect(() => inferTauDomain([rec(['book_reservation'])], 'retail')).toThrow(/the retail domain has no tool "book_reservation"/);
    expect(() => inferTauDomain([rec(['launch_rocket'])])).toThrow(/no tau-bench domain has the tool "launch_rocket"/);
    expect(() => inferTauDomain([rec(['book_reservation', 'get_order_details'])])).toThrow(/mix the retail and airline domains/);
  });
});
