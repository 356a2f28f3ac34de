/**
 * The published exam sets, built from the real pack and the 200 real GPT-4o
 * airline episodes in ../shared/tau-bench. The counts are asserted so that
 * any change to the data or the rule shows here (docs/exam.md lists them).
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { loadTauPack } from '../envs/tau-bench/pack.ts';
import { defaultTauDir, nodePackSource } from '../envs/tau-bench/pack-node.ts';
import { hashableEqual } from '../envs/tau-bench/hash.ts';
import { isDict, parseJson, type PyValue } from '../envs/tau-bench/py.ts';
import { isReadOnlyTool } from '../data/gold.ts';
import { stepAction } from '../envs/tau-bench/env.ts';
import type { ChatMessage } from '../contracts.ts';
import { ExamItemSchema, type ExamItem } from './schema.ts';
import { airlineSets, buildExamSet, EXAM_SET_NAMES, examSetSummary, examSourcesOf, type ExamSources } from './sets.ts';
import { loadExamSourcesFromDir } from './sources-node.ts';
import { buildAirlineSets } from './tau-airline.ts';
import { airlineRecordsTouched, applyCall, ReplayDb } from './state-rule.ts';

let sources: ExamSources;
let sets: Record<string, ExamItem[]> = {};
beforeAll(async () => {
  sources = await loadExamSourcesFromDir();
  sets = Object.fromEntries(EXAM_SET_NAMES.map((n) => [n, buildExamSet(n, sources)]));
}, 60_000);

const set = (name: string): ExamItem[] => sets[name] ?? [];
const item = (name: string, id: string): ExamItem => {
  const it = set(name).find((x) => x.id === id);
  if (!it) throw new Error(`no item ${id} in ${name}`);
  return it;
};
const tally = (items: readonly ExamItem[], key: (it: ExamItem) => string) =>
  items.reduce<Record<string, number>>((a, it) => ((a[key(it)] = (a[key(it)] ?? 0) + 1), a), {});
const byLabel = (items: readonly ExamItem[]) => tally(items, (it) => it.label);
const byToolAndLabel = (items: readonly ExamItem[]) => tally(items, (it) => `${it.tool} ${it.label}`);
const args = (it: ExamItem) => (it.input.proposal.kind === 'tool_call' ? it.input.proposal.call.arguments : undefined);

describe('the counts of each set', () => {
  it('tau-airline-gpt4o: 225 items, 119 approve and 106 revise', () => {
    const real = set('tau-airline-gpt4o');
    expect(real).toHaveLength(225);
    expect(byLabel(real)).toEqual({ approve: 119, revise: 106 });
    expect(byToolAndLabel(real)).toEqual({
      'book_reservation approve': 1,
      'book_reservation revise': 22,
      'cancel_reservation approve': 41,
      'cancel_reservation revise': 28,
      'send_certificate approve': 6,
      'send_certificate revise': 2,
      'transfer_to_human_agents approve': 35,
      'transfer_to_human_agents revise': 13,
      'update_reservation_baggages approve': 2,
      'update_reservation_baggages revise': 11,
      'update_reservation_flights approve': 33,
      'update_reservation_flights revise': 29,
      'update_reservation_passengers approve': 1,
      'update_reservation_passengers revise': 1,
    });
    // Against the episodes' rewards: passing episodes are nearly all approve (the one revise is a
    // change made in another order than gold's, airline/5/1/18); failing ones hold most revises.
    expect(tally(real, (it) => `${it.source.reward} ${it.label}`)).toEqual({ '1 approve': 77, '1 revise': 1, '0 approve': 42, '0 revise': 105 });
  });

  it('tau-airline-gpt4o-mutations: 218 items, all revise; 15 harmless and 13 refused mutations dropped', () => {
    const s = airlineSets(sources);
    expect(s.mutations).toHaveLength(218);
    expect(byLabel(s.mutations)).toEqual({ revise: 218 });
    expect(tally(s.mutations, (it) => it.tool)).toEqual({
      book_reservation: 6,
      cancel_reservation: 70,
      update_reservation_baggages: 4,
      update_reservation_flights: 137,
      update_reservation_passengers: 1,
    });
    expect(s.droppedHarmless).toBe(15);
    expect(s.droppedFailing).toBe(13);
    expect(s.byKind).toEqual({
      'payment-method': { generated: 30, kept: 27 },
      'other-flight-date': { generated: 34, kept: 31 },
      'other-reservation': { generated: 75, kept: 66 },
      'other-passenger': { generated: 2, kept: 2 },
      'wrong-cabin': { generated: 34, kept: 21 },
      'passenger-count': { generated: 1, kept: 1 },
      'bag-count': { generated: 3, kept: 3 },
      'cancel-instead-of-modify': { generated: 36, kept: 36 },
      'other-flight': { generated: 31, kept: 31 },
    });
    // Only approved calls are mutated, transfers never.
    const approved = new Set(set('tau-airline-gpt4o').filter((it) => it.label === 'approve').map((it) => it.id));
    for (const m of s.mutations) {
      expect(approved.has(m.source.mutation?.of ?? '')).toBe(true);
      expect(m.id).toMatch(new RegExp(`^${m.source.mutation?.of ?? ''}/m\\d$`));
    }
  });

  it('quick: 60 items, 30 of each label, every tool of each label represented', () => {
    const quick = set('quick');
    expect(quick).toHaveLength(60);
    expect(byLabel(quick)).toEqual({ approve: 30, revise: 30 });
    expect(byToolAndLabel(quick)).toEqual({
      'book_reservation approve': 1,
      'book_reservation revise': 6,
      'cancel_reservation approve': 7,
      'cancel_reservation revise': 5,
      'send_certificate approve': 6,
      'send_certificate revise': 2,
      'transfer_to_human_agents approve': 7,
      'transfer_to_human_agents revise': 5,
      'update_reservation_baggages approve': 2,
      'update_reservation_baggages revise': 5,
      'update_reservation_flights approve': 6,
      'update_reservation_flights revise': 5,
      'update_reservation_passengers approve': 1,
      'update_reservation_passengers revise': 2,
    });
    expect(quick.every((it) => it.set === 'quick')).toBe(true);
    // Drawn from the two sets, ids unchanged.
    const pool = new Map([...set('tau-airline-gpt4o'), ...set('tau-airline-gpt4o-mutations')].map((it) => [it.id, it]));
    for (const it of quick) expect({ ...pool.get(it.id), set: 'quick' }).toEqual(it);
    expect(quick.filter((it) => it.source.mutation).length).toBe(11);
  });

  it('summarises a set by label and tool', () => {
    const s = examSetSummary(set('tau-airline-gpt4o'));
    expect(s.items).toBe(225);
    expect(s.byLabel).toEqual({ approve: 119, revise: 106 });
    expect(s.byTool.transfer_to_human_agents).toEqual({ approve: 35, revise: 13 });
    expect(Object.values(s.byTool).reduce((n, t) => n + t.approve + t.revise, 0)).toBe(225);
  });

  it('takes the historical file as text, validated whole, naming the file', () => {
    expect(() => examSourcesOf(sources.pack, '[{"task_id": 0}]', 'x.json')).toThrow(/^x\.json: record 0: /);
    expect(() => examSourcesOf(sources.pack, '{', 'x.json')).toThrow(/^x\.json: not valid JSON/);
  });

  it('every item is valid and ids are unique', () => {
    const all = [...set('tau-airline-gpt4o'), ...set('tau-airline-gpt4o-mutations')];
    expect(new Set(all.map((it) => it.id)).size).toBe(all.length);
    for (const it of [...all, ...set('quick')]) expect(ExamItemSchema.parse(it)).toEqual(it);
    for (const it of set('tau-airline-gpt4o')) expect(it.id).toMatch(/^airline\/\d+\/[0-3]\/\d+$/);
  });
});

describe('the build', () => {
  it('is deterministic: fresh sources give the same sets; another seed other mutations, the same real set', async () => {
    const again = await loadExamSourcesFromDir();
    const json = (xs: readonly ExamItem[]) => JSON.stringify(xs);
    for (const n of EXAM_SET_NAMES) expect(json(buildExamSet(n, again))).toBe(json(set(n)));
    const other = buildAirlineSets(again, 'another-seed');
    expect(json(other.real)).toBe(json(set('tau-airline-gpt4o')));
    expect(json(other.mutations)).not.toBe(json(set('tau-airline-gpt4o-mutations')));
  }, 60_000);

  it('replays each run faithfully: every call gives the recorded observation, reads but for one renamed field', () => {
    const domain = sources.pack.domains.airline;
    if (!domain) throw new Error('no airline');
    let calls = 0;
    let renamed = 0;
    for (const r of sources.historical) {
      const db = new ReplayDb(domain.db);
      r.traj.forEach((m, i) => {
        const call = m.role === 'assistant' ? m.tool_calls?.[0] : undefined;
        const next = r.traj[i + 1];
        if (!call || next?.role !== 'tool') return;
        const parsed = parseJson(call.function.arguments);
        const kwargs = isDict(parsed) ? parsed : new Map<string, PyValue>();
        // Reads write nothing; writes copy the records they touch (the last test checks the pack stayed intact).
        const obs = isReadOnlyTool(call.function.name)
          ? (stepAction(domain, db.data, { name: call.function.name, kwargs }) ?? '')
          : applyCall(db, domain, call.function.name, kwargs, airlineRecordsTouched).observation;
        calls++;
        if (obs === next.content) return;
        // The published database has since renamed the users' address field `province` to `state`.
        expect(call.function.name).toBe('get_user_details');
        expect(obs.replaceAll('"state": ', '"province": ')).toBe(next.content);
        renamed++;
      });
    }
    expect(calls).toBe(1164);
    expect(renamed).toBe(120);
  }, 60_000);

  it('gives each item the critic input the loop would build: the pack’s policy and tools, the conversation before the call, the call', () => {
    const domain = sources.pack.domains.airline;
    if (!domain) throw new Error('no airline');
    const wiki = readFileSync(join(defaultTauDir(), 'airline', 'wiki.md'), 'utf8');
    const byEpisode = new Map(sources.historical.map((r) => [`tau-bench/airline/${r.task_id}/${r.trial}`, r]));
    for (const it of set('tau-airline-gpt4o')) {
      expect(it.input.policy).toBe(wiki);
      expect(it.input.tools).toEqual(domain.tools);
      expect(it.input.previousAttempts).toEqual([]);
      const r = byEpisode.get(it.source.episodeId ?? '');
      const at = it.source.messageIndex ?? -1;
      if (!r) throw new Error(`no record for ${it.id}`);
      // traj[0] is the system message (the policy, apart); the conversation is traj[1..at).
      const expected: ChatMessage[] = r.traj.slice(1, at).map((m): ChatMessage => {
        if (m.role === 'user' || m.role === 'system') return { role: 'user', content: m.content };
        if (m.role === 'tool') return { role: 'tool', toolCallId: m.tool_call_id, name: m.name, content: m.content };
        const c = m.tool_calls?.[0];
        return c
          ? { role: 'assistant', content: m.content ?? '', toolCalls: [{ id: c.id, name: c.function.name, arguments: JSON.parse(c.function.arguments) as Record<string, unknown> }] }
          : { role: 'assistant', content: m.content ?? '' };
      });
      expect(it.input.history).toEqual(expected);
      const proposed = r.traj[at];
      const call = proposed?.role === 'assistant' ? proposed.tool_calls?.[0] : undefined;
      const content = proposed?.content ? { content: proposed.content } : {};
      expect(it.input.proposal).toEqual({ kind: 'tool_call', call: { id: call?.id, name: call?.function.name, arguments: JSON.parse(call?.function.arguments ?? 'null') as unknown }, ...content });
    }
  });
});

describe('five real items, reasoned', () => {
  it('an on-path booking: airline/11/0/32 is approve', () => {
    // Task 11: gold books DTW→SEA on HAT097+HAT251 (2024-05-17), economy, for Ivan Smith, paying gift card 128 and
    // credit card 247, no bags, no insurance. GPT-4o's call has exactly these arguments, so the new reservation
    // HATHAT and the user (gift card balance down by 128, HATHAT added) hold gold's final values. The episode passed.
    const it = item('tau-airline-gpt4o', 'airline/11/0/32');
    expect(it.label).toBe('approve');
    expect(it.tool).toBe('book_reservation');
    expect(it.why).toBe("Changes users/ivan_muller_7015: on gold's path (gold's final value); reservations/HATHAT: on gold's path (gold's final value).");
    expect(it.source.reward).toBe(1);
  });

  it('an off-path booking: airline/0/0/28 is revise', () => {
    // Task 0: gold books JFK→SEA for Mia Li with 3 bags, none of them paid (a gold member's bags are free), paying
    // certificate 250 + credit card 5. GPT-4o charged one bag (nonfree_baggages 1) and so put 55 on the card. The
    // user's record still ends as gold's (the certificate is used up, a card has no balance), but the reservation
    // HATHAT holds a value gold never gives it.
    const it = item('tau-airline-gpt4o', 'airline/0/0/28');
    expect(args(it)).toMatchObject({ nonfree_baggages: 1, payment_methods: [{ payment_id: 'certificate_7504069', amount: 250 }, { payment_id: 'credit_card_4421486', amount: 55 }] });
    expect(it.label).toBe('revise');
    expect(it.why).toBe("Changes users/mia_li_3668: on gold's path (gold's final value); reservations/HATHAT: off gold's path (gold gives it another value).");
  });

  it('an on-path update: airline/2/0/14 is approve, in an episode that failed later', () => {
    // Task 2: gold changes five of Omar Davis's reservations to economy; the first is JG7FMM to HAT028+HAT277 on
    // 2024-05-21, paid by credit_card_2929732. GPT-4o's first change is exactly that one: JG7FMM then holds gold's
    // final value (the card has no balance to change). The episode still failed (reward 0) on later changes: the
    // rule judges each call where it happens, not the episode.
    const it = item('tau-airline-gpt4o', 'airline/2/0/14');
    expect(it.tool).toBe('update_reservation_flights');
    expect(it.label).toBe('approve');
    expect(it.why).toBe("Changes reservations/JG7FMM: on gold's path (gold's final value).");
    expect(it.source.reward).toBe(0);
  });

  it('a transfer when gold has none: airline/4/0/24 is revise', () => {
    // Task 4: gold changes reservation FQ8APE's flights, passenger and bags itself; it never transfers. GPT-4o had
    // changed FQ8APE's flights off gold's path (airline/4/0/16) and then handed the passenger change to a human,
    // with the database not at gold's final state.
    const it = item('tau-airline-gpt4o', 'airline/4/0/24');
    expect(it.tool).toBe('transfer_to_human_agents');
    expect(it.label).toBe('revise');
    expect(it.why).toBe("Transfer to a human agent: gold has none, and the database still differs from gold's final state in reservations/FQ8APE, users/omar_rossi_1241.");
    expect(item('tau-airline-gpt4o', 'airline/4/0/16').label).toBe('revise');
  });

  it('a mutated payment method: airline/2/0/14/m0 is revise', () => {
    // The on-path update above, paid with Omar Davis's gift card instead of the credit card gold uses. The change
    // itself is the same, but JG7FMM's payment history now names the gift card, and the gift card's balance drops:
    // gold later pays another change with that gift card, so the user's record takes other values on gold's path.
    const it = item('tau-airline-gpt4o-mutations', 'airline/2/0/14/m0');
    const source = item('tau-airline-gpt4o', 'airline/2/0/14');
    expect(it.source.mutation).toEqual({ of: 'airline/2/0/14', kind: 'payment-method', change: 'payment_id credit_card_2929732 -> gift_card_3481935' });
    expect(args(it)).toEqual({ ...args(source), payment_id: 'gift_card_3481935' });
    expect(it.input.history).toBe(source.input.history);
    expect(it.label).toBe('revise');
    expect(it.why).toBe(
      "Mutated (payment-method: payment_id credit_card_2929732 -> gift_card_3481935). Changes reservations/JG7FMM: off gold's path (gold gives it another value); users/omar_davis_3817: off gold's path (gold gives it other values).",
    );
  });
});

describe('after every build and replay above', () => {
  it('never writes the pack’s database (the copy-on-write replay copied every record a call wrote)', async () => {
    const fresh = await loadTauPack(nodePackSource(defaultTauDir()), ['airline']);
    const a = sources.pack.domains.airline?.db;
    const b = fresh.domains.airline?.db;
    if (!a || !b) throw new Error('no airline');
    expect(hashableEqual(a, b)).toBe(true);
  }, 60_000);
});
