import { existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseJson } from '../tau-bench/py.ts';
import { domainEnvFactory } from './domains.ts';
import { goldSteps, parseReplaySteps, replay } from './replay.ts';
import { parseTasks } from './tasks.ts';

const RETAIL = resolve('../shared/tau2-bench/retail');

describe.runIf(existsSync(RETAIL))('tau2 replay on retail', () => {
  const tasks = parseTasks(readFileSync(`${RETAIL}/tasks.json`, 'utf8'), 'retail/tasks.json');
  const makeEnv = domainEnvFactory('retail', readFileSync(`${RETAIL}/db.json`, 'utf8'));
  const nlTask = tasks.find((t) => (t.criteria?.nlAssertions.length ?? 0) > 0 && t.criteria?.rewardBasis.includes('NL_ASSERTION'));
  const dbTask = tasks.find((t) => t.id === '0');

  it('never passes NL assertions silently: without a judge the reward is null, "not judged"', async () => {
    if (nlTask === undefined) throw new Error('retail has NL tasks');
    const r = await replay(nlTask, goldSteps(nlTask), makeEnv, null);
    expect(r.reward.nl).toBe('not judged');
    expect(r.reward.reward).toBeNull();
    expect(r.reward.breakdown.NL_ASSERTION).toBeNull();
    expect(r.reward.breakdown.DB).toBe(1);
  });

  it('uses the judge when one is given', async () => {
    if (nlTask === undefined) throw new Error('retail has NL tasks');
    const judged = await replay(nlTask, goldSteps(nlTask), makeEnv, async (a) => ({ checks: a.map((x) => ({ nlAssertion: x, met: true, justification: 'ok' })) }));
    expect(judged.reward.reward).toBe(1);
    const failed = await replay(nlTask, goldSteps(nlTask), makeEnv, async (a) => ({ checks: a.map((x, i) => ({ nlAssertion: x, met: i > 0, justification: 'ok' })) }));
    expect(failed.reward.reward).toBe(0);
  });

  it('answers a hallucinated tool with an error and replays it as a no-op', async () => {
    if (dbTask === undefined) throw new Error('retail task 0');
    const steps = [...goldSteps(dbTask)];
    steps.splice(1, 0, ...parseReplaySteps(parseJson('[{"name": "refund_everything", "arguments": {"amount": 5.0}}]'), 'inline'));
    const r = await replay(dbTask, steps, makeEnv, null);
    expect(r.observations[1]).toEqual({ requestor: 'assistant', name: 'refund_everything', content: "Error: Tool 'refund_everything' not found.", error: true });
    expect(r.reward.breakdown.DB).toBe(1);
    expect(r.reward.reward).toBe(1);
  });

  it('names the entry and field of a bad actions file', () => {
    expect(() => parseReplaySteps(parseJson('[{"name": "x"}, {"role": "system", "content": 3}]'), 'a.json')).toThrow(/a\.json: entry #1/);
  });

  it('keeps tool errors as the original words them', async () => {
    if (dbTask === undefined) throw new Error('retail task 0');
    const steps = parseReplaySteps(
      parseJson('[{"name": "cancel_pending_order", "arguments": {"order_id": "#W0000000", "reason": "no longer needed"}}, {"name": "get_order_details", "arguments": {}}]'),
      'inline',
    );
    const r = await replay(dbTask, steps, makeEnv, null);
    expect(r.observations.map((o) => o.content)).toEqual([
      'Error: Order not found',
      "Error: RetailTools.get_order_details() missing 1 required positional argument: 'order_id'",
    ]);
  });
});
