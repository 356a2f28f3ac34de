/**
 * Parity with the original tau2-bench (a2c0247): tests/fixtures/tau2/parity.jsonl was recorded by
 * running the original Python (tests/fixtures/tau2/record_parity.py) on every airline, retail and
 * telecom task's gold actions and seeded mutations. The port must give the same observations, final
 * DB hash(es), reward and breakdown. Airline runs on the rebuilt db.json (npm run fixtures), the same
 * file the fixtures were recorded on. NL_ASSERTION: the fixtures stub the judge at 1.0; the port
 * without a judge must say "not judged" (reward null) and agree on every other component.
 */
import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { isDict, parseJson, toJs, type PyValue } from '../tau-bench/py.ts';
import { domainEnvFactory, TAU2_DOMAIN_SPECS, type Tau2Domain } from './domains.ts';
import { parseReplaySteps, replay } from './replay.ts';
import { parseTasks, type Tau2Task } from './tasks.ts';

// airline and retail in parity.jsonl, telecom in parity-telecom.jsonl.
const FIXTURES = ['parity.jsonl', 'parity-telecom.jsonl'].map((f) => resolve('tests/fixtures/tau2', f));
const SHARED = resolve('../shared/tau2-bench');
const AIRLINE_DB = resolve('.fixtures/tau2/airline/db.json');

interface Case {
  domain: Tau2Domain;
  task_id: string;
  case: string;
  observations?: Array<{ requestor: string; name: string; content: string | { len: number; sha256: string }; error: boolean }>;
  db_hash?: string;
  user_db_hash?: string | null;
  reward?: number;
  breakdown?: Record<string, number>;
  db_match?: boolean | null;
  nl_in_basis?: boolean;
  exception?: string;
}

const lines = FIXTURES.flatMap((f) => (existsSync(f) ? readFileSync(f, 'utf8').split('\n') : [])).filter((l) => l.trim() !== '');
const records: Array<{ c: Case; steps: PyValue }> = lines.map((l) => {
  const v = parseJson(l);
  const steps = isDict(v) ? (v.get('steps') ?? null) : null;
  return { c: toJs(v) as Case, steps };
});

// Python's len counts code points (the phone's status bar has emoji).
const shortObs = (s: string): string | { len: number; sha256: string } =>
  [...s].length <= 160 ? s : { len: [...s].length, sha256: createHash('sha256').update(s).digest('hex') };

/** The original's uuid4 is pinned for telecom's new draft bills (see record_parity.py). */
const TELECOM_BILL_ID = 'Bfeedc0de';

function domainSetup(domain: Tau2Domain): { tasks: Map<string, Tau2Task>; makeEnv: ReturnType<typeof domainEnvFactory> } {
  const dir = `${SHARED}/${domain}`;
  const { files } = TAU2_DOMAIN_SPECS[domain];
  const tasks = (files.localTasks ?? [files.tasks]).flatMap((f) => parseTasks(readFileSync(`${dir}/${f}`, 'utf8'), f));
  const db = readFileSync(domain === 'airline' ? AIRLINE_DB : `${dir}/${files.db}`, 'utf8');
  const userDb = files.userDb === undefined ? undefined : readFileSync(`${dir}/${files.userDb}`, 'utf8');
  return { tasks: new Map(tasks.map((t) => [t.id, t])), makeEnv: domainEnvFactory(domain, { db, userDb }, { newBillId: () => TELECOM_BILL_ID }) };
}

for (const domain of ['retail', 'airline', 'telecom'] as const) {
  const mine = records.filter((r) => r.c.domain === domain);
  const ready = mine.length > 0 && existsSync(SHARED) && (domain !== 'airline' || existsSync(AIRLINE_DB));
  describe.runIf(ready)(`tau2 ${domain}: parity with the original`, () => {
    const setup = ready ? domainSetup(domain) : null;
    it(`covers every task's gold actions and mutations (${mine.length} cases)`, () => {
      const gold = new Set(mine.filter((r) => r.c.case === 'gold').map((r) => r.c.task_id));
      expect(gold.size).toBe(setup?.tasks.size);
      expect(mine.filter((r) => r.c.case !== 'gold').length).toBeGreaterThanOrEqual({ airline: 90, retail: 200, telecom: 300 }[domain]);
    });
    it('gives the same observations, DB hash, reward and breakdown on every case', { timeout: 600_000 }, async () => {
      if (setup === null) return;
      const mismatches: string[] = [];
      for (const { c, steps } of mine) {
        const task = setup.tasks.get(c.task_id);
        if (task === undefined) throw new Error(`fixture names unknown task ${c.task_id}`);
        if (c.exception !== undefined) continue;
        const r = await replay(task, parseReplaySteps(steps, `${c.task_id}/${c.case}`), setup.makeEnv, null);
        // Only tasks with NL assertions to judge need the judge (an empty list scores 1.0 in the original too).
        const needsJudge = c.nl_in_basis === true && (task.criteria?.nlAssertions.length ?? 0) > 0;
        const dropNl = (b: Record<string, number | null | undefined>): Record<string, number | null | undefined> =>
          needsJudge ? Object.fromEntries(Object.entries(b).filter(([k]) => k !== 'NL_ASSERTION')) : b;
        const got = {
          observations: r.observations.map((o) => ({ ...o, content: shortObs(o.content) })),
          db_hash: r.dbHash,
          ...(c.user_db_hash === undefined ? {} : { user_db_hash: r.userDbHash }),
          db_match: r.reward.dbMatch,
          breakdown: dropNl(r.reward.breakdown),
          reward: r.reward.reward,
        };
        const want = {
          observations: c.observations,
          db_hash: c.db_hash,
          ...(c.user_db_hash === undefined ? {} : { user_db_hash: c.user_db_hash }),
          db_match: c.db_match,
          breakdown: dropNl(c.breakdown ?? {}),
          // The original with its judge stubbed at 1.0; the port with no judge: not judged.
          reward: needsJudge ? null : c.reward,
        };
        if (JSON.stringify(got) !== JSON.stringify(want)) mismatches.push(`${c.task_id}/${c.case}: ${JSON.stringify(got).slice(0, 400)} != ${JSON.stringify(want).slice(0, 400)}`);
        if (needsJudge) expect(r.reward.nl).toBe('not judged');
      }
      expect(mismatches.slice(0, 5)).toEqual([]);
    });
  });
}
