/**
 * tau2-bench results files into History: the file is the retail run of
 * tests/fixtures/tau2/export-sample.ts, which the ORIGINAL `Results.load`
 * reads (export-check.json): 11 simulations, rewards 1 and 0, NL checks, one
 * ended at max_steps. Lossless, idempotent, and rejected whole when corrupt.
 */
import 'fake-indexeddb/auto';
import { existsSync } from 'node:fs';
import { beforeAll, describe, expect, it } from 'vitest';
import { exportSample, RETAIL_DIR } from '../../../tests/fixtures/tau2/export-sample.ts';
import { syntheticTrace } from '../../../tests/fixtures/synthetic-traces.ts';
import { ValidationError } from '../errors.ts';
import { parseTau2RewardDetails } from '../envs/tau2/reward-details.ts';
import { parseEpisodeFile } from './episode-file.ts';
import { toJsonl } from './jsonl.ts';
import { EpisodeTraceSchema } from './schema.ts';
import { TraceStore } from './trace-store.ts';

let text = '';
let file: { simulations: Array<Record<string, unknown>> } = { simulations: [] };

function corrupt(change: (f: { simulations: Array<Record<string, unknown>> }) => void): string {
  const copy: typeof file = JSON.parse(text);
  change(copy);
  return JSON.stringify(copy);
}

function errorOf(f: () => unknown): unknown {
  try {
    f();
  } catch (e) {
    return e;
  }
  return undefined;
}

describe.runIf(existsSync(RETAIL_DIR))('tau2-bench results into History', () => {
  beforeAll(async () => {
    text = (await exportSample(true)).results;
    file = JSON.parse(text);
  }, 120_000);

  it('makes one valid episode per simulation, with reward, breakdown and the conversation as steps and user turns', () => {
    const parsed = parseEpisodeFile(text);
    expect(parsed.format).toBe('tau2-bench-results');
    expect(parsed.traces).toHaveLength(11);
    for (const t of parsed.traces) expect(EpisodeTraceSchema.safeParse(t).success).toBe(true);
    const first = parsed.traces[0];
    expect(first?.id).toBe('tau2/retail/spotter-0-0');
    expect(first?.meta).toMatchObject({ environment: { family: 'tau2', domain: 'retail' }, taskIndex: 0, trial: 0, actor: 'gpt-4.1', userKind: 'simulated' });
    expect(first?.reward).toBe(1);
    expect(first?.rewardDetails).toMatchObject({ taskId: '0', breakdown: { DB: 1, NL_ASSERTION: 1 }, terminationReason: 'user_stop' });
    // History reads them as a live τ³ episode's details, per component.
    expect(parseTau2RewardDetails(first?.rewardDetails)).toMatchObject({ rewardBasis: ['DB', 'NL_ASSERTION'], dbMatch: true, nlAssertions: [] });
    expect(parseTau2RewardDetails(parsed.traces[6]?.rewardDetails)).toMatchObject({ taskId: '19', nlAssertions: [true, true], dbMatch: true });
    const steps = first?.timeline.flatMap((e) => (e.type === 'step' ? [e.step] : [])) ?? [];
    const sim0 = file.simulations[0];
    const messages = Array.isArray(sim0?.['messages']) ? sim0['messages'] : [];
    const toolMessages = messages.filter((m: { role?: string }) => m.role === 'tool');
    expect(steps.filter((s) => s.executed.kind === 'tool_call').map((s) => s.observation)).toEqual(toolMessages.map((m: { content?: string }) => m.content));
    expect(first?.timeline[0]).toMatchObject({ type: 'user', content: "Hi, I'd like to sort out my order." });
    expect(parsed.traces.map((t) => t.reward)).toEqual([1, 0, 1, 0, 1, 0, 1, 0, 1, 0, 0]);
    expect(parsed.traces[10]).toMatchObject({ status: 'max_steps', rewardDetails: { terminationReason: 'max_steps' } });
  });

  it('a user\'s own tool call (telecom\'s phone) lands in the timeline in its place, and in the reward details', () => {
    const withPhone = corrupt((f) => {
      const messages = f.simulations[0]?.['messages'];
      if (!Array.isArray(messages)) throw new Error('no messages');
      const firstUser = messages.findIndex((m: { role?: string }) => m.role === 'user');
      messages.splice(
        firstUser,
        0,
        { role: 'user', content: null, tool_calls: [{ id: 'u0', name: 'toggle_roaming', arguments: {}, requestor: 'user' }] },
        { role: 'tool', id: 'u0', content: 'Data Roaming is now ON.', requestor: 'user', error: false },
      );
    });
    const first = parseEpisodeFile(withPhone).traces[0];
    expect(first?.timeline.slice(0, 2)).toMatchObject([
      { type: 'user_tool', call: { id: 'u0', name: 'toggle_roaming', arguments: {} }, observation: 'Data Roaming is now ON.', error: false },
      { type: 'user', content: "Hi, I'd like to sort out my order." },
    ]);
    expect(first?.timeline.filter((e) => e.type === 'step')).toHaveLength(parseEpisodeFile(text).traces[0]?.timeline.filter((e) => e.type === 'step').length ?? -1);
    expect(first?.rewardDetails).toMatchObject({ userActions: [{ name: 'toggle_roaming', content: 'Data Roaming is now ON.', error: false, turn: 0 }] });
  });

  it('loses nothing: each episode holds its simulation and task exactly as the file has them', () => {
    const parsed = parseEpisodeFile(text);
    const tasks = (JSON.parse(text) as { tasks: Array<{ id: string }> }).tasks;
    parsed.traces.forEach((t, i) => {
      const held = t.rewardDetails?.['tau2'];
      expect(held).toEqual({ simulation: file.simulations[i], task: tasks.find((x) => x.id === file.simulations[i]?.['task_id']) });
    });
  });

  it('importing the same file again adds nothing', async () => {
    const store = new TraceStore('tau2-results-import');
    const once = await store.importMany(parseEpisodeFile(text).traces);
    const twice = await store.importMany(parseEpisodeFile(text).traces);
    expect(once).toEqual({ added: 11, skipped: 0 });
    expect(twice).toEqual({ added: 0, skipped: 11 });
  });

  it('rejects a corrupt file whole, naming the simulation and the field', () => {
    const badId = corrupt((f) => {
      const msgs = f.simulations[3]?.['messages'];
      const tool = Array.isArray(msgs) ? msgs.find((m: { role?: string }) => m.role === 'tool') : undefined;
      if (tool) tool.id = 'not-the-call';
    });
    const e1 = errorOf(() => parseEpisodeFile(badId));
    expect(e1).toBeInstanceOf(ValidationError);
    expect(String(e1)).toMatch(/simulation 3 \(spotter-1-1\): messages\[\d+\]\.id: "not-the-call" is not the call it follows/);

    const badReason = corrupt((f) => {
      if (f.simulations[5]) f.simulations[5]['termination_reason'] = 'gave_up';
    });
    expect(String(errorOf(() => parseEpisodeFile(badReason)))).toMatch(/simulation 5 \(spotter-5-1\): termination_reason/);
    const badDomain = text.replace('"domain_name": "retail"', '"domain_name": "banking"');
    expect(String(errorOf(() => parseEpisodeFile(badDomain)))).toMatch(/file: info\.environment_info\.domain_name: "banking"/);
  });

  it('still reads Spotter JSONL, a one-line file included', () => {
    expect(parseEpisodeFile(toJsonl([syntheticTrace(1)])).format).toBe('jsonl');
    expect(parseEpisodeFile(toJsonl([syntheticTrace(1), syntheticTrace(2)])).traces).toHaveLength(2);
  });
});
