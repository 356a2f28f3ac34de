/**
 * Sweeps end to end under Node: `npm run headless` as separate processes over
 * the real tau-bench pack (../shared), the real OpenAI-compatible clients, and
 * ProviderServerDouble standing in for the agent, the simulated user and the
 * critic. Three shard processes and one whole-run process over the same 12
 * units; a shard killed mid-run and started again; merge's refusals.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { appendFileSync, copyFileSync, existsSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { DEFAULT_PRICES } from '../src/lib/pricing.ts';
import { parseShardState, parseTraceLines, type ShardState } from '../src/lib/runs/merge.ts';
import { configurationResults } from '../src/lib/runs/results.ts';
import { CSV_COLUMNS } from '../src/lib/runs/results-export.ts';
import { parseHeadlessArgs } from './headless-cli.ts';
import { unitsOfShard } from '../src/lib/runs/shard.ts';
import { planUnits } from '../src/lib/runs/units.ts';
import { parseJsonl } from '../src/lib/traces/jsonl.ts';
import type { EpisodeTrace } from '../src/lib/traces/schema.ts';
import { ProviderServerDouble } from '../tests/doubles/provider-server-double.ts';
import { mergeMain } from './headless-merge.ts';
import { goldAgentResponder, retailGoldTasks, taskOfRequest, taskUserResponder } from '../tests/doubles/tau-gold-responders-double.ts';

const DATA_DIR = resolve(process.env.SPOTTER_TAU_DIR ?? '../shared/tau-bench');
const KEY = 'sk-sweep-SECRET-7c41';
const tasks = retailGoldTasks(DATA_DIR);
const FEEDBACK = 'Check the order first.';

let starts: number[] = [];
/** While set, the agent never answers: an episode in flight, to kill. */
let hang = false;

const provider = new ProviderServerDouble();
beforeAll(async () => {
  await provider.start();
  // An agent that gets the critic's feedback gives up (reward 0): so "critic intervene" scores differently.
  provider.respond(
    'agent',
    goldAgentResponder(tasks, {
      onStart: (t) => starts.push(t),
      override: (_t, req) => (hang ? { kind: 'hang' } : JSON.stringify(req.body).includes(FEEDBACK) ? { kind: 'message', content: 'Sorry, I cannot help with that.' } : undefined),
    }),
  );
  provider.respond('user-sim', taskUserResponder(tasks));
  // The critic sends task 1's first proposal back, once (the feedback is in its later prompts): revisions in
  // "intervene", a recorded objection in "monitor". It decides from the request alone, as every responder here.
  provider.respond('critic', (req) =>
    taskOfRequest(req) === 1 && !JSON.stringify(req.body).includes(FEEDBACK)
      ? { kind: 'message', content: JSON.stringify({ decision: 'revise', feedback: FEEDBACK }) }
      : { kind: 'message', content: '{"decision": "approve"}' },
  );
});
afterAll(() => provider.stop());

function spawnCli(args: string[]): { child: ChildProcess; done: Promise<{ code: number | null; out: string; stdout: string }> } {
  const child = spawn(process.execPath, ['--import', 'tsx', 'scripts/headless-run.ts', ...args], { env: { ...process.env, SPOTTER_ACTOR_KEY: KEY } });
  let out = '';
  let stdout = '';
  child.stdout?.on('data', (d: Buffer) => ((stdout += d.toString()), (out += d.toString())));
  child.stderr?.on('data', (d: Buffer) => (out += d.toString()));
  const done = new Promise<{ code: number | null; out: string; stdout: string }>((ok) => child.on('close', (code) => ok({ code, out, stdout })));
  return { child, done };
}
const cli = (args: string[]) => spawnCli(args).done;

/** `merge` as the CLI runs it (same function, same files), without a process start: what it says, and its exit code. */
async function mergeInProcess(args: string[]): Promise<{ code: number; out: string }> {
  let out = '';
  const write = vi.spyOn(process.stderr, 'write').mockImplementation((chunk: string | Uint8Array) => ((out += String(chunk)), true));
  const table = vi.spyOn(console, 'table').mockImplementation(() => undefined);
  try {
    return { code: await mergeMain(args, { SPOTTER_ACTOR_KEY: KEY }), out };
  } finally {
    write.mockRestore();
    table.mockRestore();
  }
}

/** The sweep: retail tasks 0-1 x 2 trials x off / monitor / intervene = 12 units. */
const sweep = (): string[] => [
  '--domain', 'retail', '--tasks', '0-1', '--trials', '2', '--configs', 'off,monitor,intervene',
  '--actor-base-url', `${provider.url}/v1`, '--actor-model', 'agent', '--user-model', 'user-sim',
  '--critic-base-url', `${provider.url}/v1`, '--critic-model', 'critic',
];

const readState = (file: string): ShardState => parseShardState(readFileSync(file, 'utf8'), file);

/** Per unit, what must not depend on which process ran it: reward, outcome, steps, revisions, verdicts, tokens. */
function episodes(state: ShardState, traces: Map<string, EpisodeTrace>): Array<Record<string, unknown>> {
  return planUnits(state.spec).map((u) => {
    const r = state.results[u.slot.key];
    const t = r && traces.get(r.episodeId);
    const verdicts = t?.timeline.flatMap((e) => (e.type === 'step' ? e.step.proposals.map((p) => p.verdict?.decision ?? '-') : []));
    return { unit: u.id, reward: r?.reward, outcome: r?.outcome, steps: r?.steps, revisions: r?.revisions, flagged: r?.flagged, criticCalls: r?.criticCalls, usage: r?.usage, verdicts };
  });
}

const planUnitIdsOfShard2 = (): string[] => unitsOfShard(planUnits(parseHeadlessArgs([...sweep(), '--list-units'], {}).spec), { index: 2, count: 3 }).map((u) => u.id);

const passK = (state: ShardState) => configurationResults(state, DEFAULT_PRICES).map((c) => ({ label: c.label, finished: c.finished, passK: c.passK }));

describe.skipIf(!existsSync(DATA_DIR))('sweeps: npm run headless -- --shard i/n, merge', () => {
  const dir = mkdtempSync(join(tmpdir(), 'spotter-sweep-'));
  const shardOut = (i: number) => join(dir, `shard-${i}`, 'r.json');

  it('three shard processes merge into exactly what one process computes over the same 12 units', async () => {
    // The CLI lists a shard's units, one id a line, nothing else; the three shards' runs below cover the 12 units.
    const all12 = planUnits(parseHeadlessArgs([...sweep(), '--out', 'x.json'], {}).spec);
    const [listed, single, ...shards] = await Promise.all([
      cli([...sweep(), '--list-units', '--shard', '2/3']),
      cli([...sweep(), '--run-id', 'single', '--concurrency', '2', '--out', join(dir, 'single', 'r.json')]),
      // The shards also keep to a request rate (3,000 a minute: 20 ms apart), which must change nothing but the pace.
      ...[1, 2, 3].map((i) => cli([...sweep(), '--run-id', 'sweep', '--shard', `${i}/3`, '--concurrency', '1', '--max-rpm', '3000', '--out', shardOut(i)])),
    ]);
    expect(listed?.stdout).toBe(unitsOfShard(all12, { index: 2, count: 3 }).map((u) => `${u.id}\n`).join(''));
    expect(single?.code, single?.out).toBe(0);
    for (const s of shards) expect(s.code, s.out).toBe(0);
    expect(shards.map((s) => (s.out.match(/^\[\d+\/4\]/gm) ?? []).length)).toEqual([4, 4, 4]);

    const merged = await cli(['merge', ...[1, 2, 3].map((i) => `${shardOut(i)}.state.json`), '--out', join(dir, 'all', 'r.json'), '--summary-md', join(dir, 'summary.md')]);
    expect(merged.code, merged.out).toBe(0);
    expect(merged.out).toContain('12 of 12 units merged');

    const one = readState(join(dir, 'single', 'r.json.state.json'));
    const all = readState(join(dir, 'all', 'r.json.state.json'));
    const oneTraces = parseTraceLines(readFileSync(join(dir, 'single', 'r.json.state.json.traces.jsonl'), 'utf8'), 'single');
    // The merged episodes are what History imports: one line per episode, every line valid.
    const imported = parseJsonl(readFileSync(join(dir, 'all', 'r.json.state.json.traces.jsonl'), 'utf8'));
    expect(imported.traces).toHaveLength(12);
    expect(imported.duplicatesInFile).toBe(0);
    const allTraces = new Map(imported.traces.map((t) => [t.id, t]));

    expect(episodes(all, allTraces)).toEqual(episodes(one, oneTraces));
    expect(passK(all)).toEqual(passK(one));
    // Not a vacuous comparison: the critic objected, the agent revised, and task 1 failed where it did.
    const facts = episodes(all, allTraces);
    expect(facts.filter((f) => (f['revisions'] as number) > 0).map((f) => f['unit'])).toEqual(['tau-bench/retail/test/task1/trial0/critic-intervene', 'tau-bench/retail/test/task1/trial1/critic-intervene']);
    expect(facts.filter((f) => f['reward'] === 0).map((f) => f['unit'])).toEqual(['tau-bench/retail/test/task1/trial0/critic-intervene', 'tau-bench/retail/test/task1/trial1/critic-intervene']);
    expect(facts.filter((f) => (f['verdicts'] as string[]).includes('revise'))).toHaveLength(4);
    console.info('3 shards vs 1 process, per configuration:', JSON.stringify(passK(all).map((c) => [c.label, c.finished, c.passK?.passK.map((p) => p.value), c.passK?.averageReward])));

    // The per-configuration results files and the CSV match too, but for ids and times.
    const csvRows = (file: string) =>
      readFileSync(file, 'utf8')
        .trim()
        .split('\n')
        .map((l) => l.split(',').filter((_, i) => !['run_id', 'episode_ms', 'mean_actor_ms', 'mean_critic_ms'].includes(CSV_COLUMNS[i] ?? '')).join(','));
    expect(csvRows(join(dir, 'all', 'r.csv'))).toEqual(csvRows(join(dir, 'single', 'r.csv')));
    expect(readdirSync(join(dir, 'all')).sort()).toEqual(readdirSync(join(dir, 'single')).sort());
    expect(readFileSync(join(dir, 'summary.md'), 'utf8')).toMatch(/\| configuration \| episodes \| pass\^1 \| pass\^2 \|/);
    for (const f of readdirSync(join(dir, 'all'))) expect(readFileSync(join(dir, 'all', f), 'utf8')).not.toContain(KEY);

  }, 180_000);

  it('merge refuses another spec, a conflicting duplicate and a corrupt file, naming them, and reports a missing shard', async () => {
    // First, a dry run of shard 2: its units and an estimate on standard output, and nothing sent.
    const sent = provider.requests.length;
    const dry = await cli([...sweep(), '--dry-run', '--shard', '2/3']);
    expect(dry.code, dry.out).toBe(0);
    const lines = dry.stdout.split('\n');
    expect(lines.slice(0, 4)).toEqual(planUnitIdsOfShard2());
    // The units the dry run lists are the units shard 2 ran.
    const ran = readState(`${shardOut(2)}.state.json`);
    const idOf = new Map(planUnits(ran.spec).map((u) => [u.slot.key, u.id]));
    expect(Object.keys(ran.results).map((k) => idOf.get(k)).sort()).toEqual(planUnitIdsOfShard2().sort());
    expect(dry.stdout).toMatch(/4 units \(shard 2\/3\); per episode: default tau-bench profile.*Nothing was sent\./);
    expect(dry.stdout).toMatch(/total: [\d,]+ calls, [\d,]+ tokens, (\$|≥ \$|unknown)/);
    expect(provider.requests.length).toBe(sent);

    const s1 = `${shardOut(1)}.state.json`;
    const s2 = `${shardOut(2)}.state.json`;
    const out = join(dir, 'refused', 'r.json');
    const edited = (name: string, edit: (s: ShardState) => unknown): string => {
      const file = join(dir, name);
      writeFileSync(file, JSON.stringify(edit(readState(s2))));
      return file;
    };
    const other = edited('other.state.json', (s) => ({ ...s, spec: { ...s.spec, maxSteps: 10 } }));
    const key = Object.keys(readState(s2).results)[0] ?? '';
    const conflicting = edited('conflict.state.json', (s) => ({ ...s, results: { ...s.results, [key]: { ...s.results[key], steps: 99 } } }));
    const corrupt = join(dir, 'corrupt.state.json');
    writeFileSync(corrupt, readFileSync(s2, 'utf8').slice(0, 200));

    const r1 = await mergeInProcess([s1, other, '--out', out]);
    expect(r1.code).toBe(2);
    expect(r1.out).toContain(`${other}: a different sweep from ${s1} (differs in maxSteps)`);
    const r2 = await mergeInProcess([s1, s2, conflicting, '--out', out]);
    expect(r2.code).toBe(2);
    expect(r2.out).toMatch(new RegExp(`unit tau-bench/retail/test/task\\d/trial\\d/[a-z-]+: .*(shard-2/r\\.json\\.state\\.json and .*conflict|conflict\\.state\\.json and .*shard-2).* hold different results \\(steps`));
    const r3 = await mergeInProcess([s1, corrupt, '--out', out]);
    expect(r3.code).toBe(2);
    expect(r3.out).toContain(`${corrupt}: not valid JSON`);
    expect(existsSync(join(dir, 'refused'))).toBe(false);

    const r4 = await mergeInProcess([s1, `${shardOut(3)}.state.json`, '--out', out]);
    expect(r4.code).toBe(3);
    expect(r4.out).toContain('Missing 4 units:');
    expect(r4.out).toContain('shard 2/3: no file (4 units)');
  }, 120_000);

  it('a shard killed mid-run resumes from its own state file, and no finished unit runs again', async () => {
    const out = join(dir, 'killed', 'r.json');
    const args = [...sweep(), '--run-id', 'sweep', '--shard', '2/3', '--concurrency', '1', '--out', out];
    starts = [];
    const first = spawnCli(args);
    // After two units, the agent stops answering: the third episode is in flight when the process is killed.
    await new Promise<void>((ok) =>
      first.child.stderr?.on('data', (d: Buffer) => {
        if (d.toString().includes('[2/4]')) {
          hang = true;
          ok();
        }
      }),
    );
    await new Promise((ok) => setTimeout(ok, 300));
    first.child.kill('SIGKILL');
    await first.done;
    hang = false;
    const afterKill = readState(`${out}.state.json`);
    const doneBefore = Object.keys(afterKill.results);
    expect(doneBefore).toHaveLength(2);
    expect(afterKill.shard).toEqual({ index: 2, count: 3 });
    const startsBefore = starts.length;
    expect(startsBefore).toBe(3);
    // A kill mid-append would leave half a line: the restart cuts it, and the file stays whole for the merge.
    appendFileSync(`${out}.state.json.traces.jsonl`, '{"schemaVersion":3,"id":"sweep/c1-t0');

    const second = await cli(args);
    expect(second.code, second.out).toBe(0);
    expect(second.out).toContain('Resuming sweep shard 2/3: 2 episodes already done.');
    // Only the two units without a result ran: the killed one again, and the one never started.
    expect(starts.length - startsBefore).toBe(2);
    expect(second.out.match(/^\[\d\/4\]/gm)).toEqual(['[3/4]', '[4/4]']);
    const final = readState(`${out}.state.json`);
    expect(Object.keys(final.results)).toHaveLength(4);
    for (const k of doneBefore) expect(final.results[k]).toEqual(afterKill.results[k]);
    // Its units are the clean run's shard 2, result for result.
    const clean = readState(`${shardOut(2)}.state.json`);
    expect(Object.keys(final.results).sort()).toEqual(Object.keys(clean.results).sort());
    for (const k of Object.keys(clean.results)) expect(final.results[k]?.reward).toBe(clean.results[k]?.reward);
    // Each finished episode is in its traces file once; the merge takes the resumed shard in place of the clean one.
    const lines = readFileSync(`${out}.state.json.traces.jsonl`, 'utf8').trim().split('\n');
    expect(lines).toHaveLength(4);
    expect(parseTraceLines(lines.join('\n'), 'killed').size).toBe(4);
    copyFileSync(`${shardOut(1)}.state.json`, join(dir, 'killed', 's1.state.json'));
    copyFileSync(`${shardOut(1)}.state.json.traces.jsonl`, join(dir, 'killed', 's1.state.json.traces.jsonl'));
    const merged = await mergeInProcess([join(dir, 'killed', 's1.state.json'), `${out}.state.json`, `${shardOut(3)}.state.json`, '--out', join(dir, 'killed-all', 'r.json')]);
    expect(merged.code, merged.out).toBe(0);
    expect(merged.out).toContain('12 of 12 units merged');
    expect(merged.out).not.toContain('No trace for');
  }, 120_000);
});
