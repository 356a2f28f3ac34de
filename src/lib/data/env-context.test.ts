import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import type { EpisodeEnvironment } from '../envs/environment.ts';
import { loadTauPack } from '../envs/tau-bench/pack.ts';
import { nodePackSource } from '../envs/tau-bench/pack-node.ts';
import type { EpisodeMeta } from '../loop/events.ts';
import { loadTau2Pack } from '../envs/tau2/pack.ts';
import { nodeTau2Source } from '../envs/tau2/pack-node.ts';
import { TOOL_SCHEMAS } from '../envs/tau2/tool-schemas.ts';
import { loadEnvContext, type LoadTau2Pack, type LoadTauPack } from './env-context.ts';

const PACK = resolve(import.meta.dirname, '../../../../shared/tau-bench');
const loads: string[] = [];
const readPack: LoadTauPack = (domain, split) => {
  loads.push(`${domain}/${split}`);
  return loadTauPack(nodePackSource(PACK), [domain], { [domain]: [split] });
};

const TaskFile = z.array(z.object({ actions: z.array(z.unknown()), outputs: z.array(z.string()).optional() }));

const RETAIL: EpisodeEnvironment = { family: 'tau-bench', domain: 'retail' };
const AIRLINE: EpisodeEnvironment = { family: 'tau-bench', domain: 'airline' };
const POLICY_CHAT: EpisodeEnvironment = { family: 'policy-chat' };
const TRAVEL22: EpisodeEnvironment = { family: 'userbench', domain: 'travel22' };
const TRAVEL33: EpisodeEnvironment = { family: 'userbench', domain: 'travel33' };

const meta = (environment: EpisodeEnvironment, taskIndex?: number, taskSplit?: string): EpisodeMeta => ({
  environment,
  ...(taskIndex === undefined ? {} : { taskIndex }),
  ...(taskSplit ? { taskSplit } : {}),
  actor: 'a',
  mode: 'off',
  maxRevisions: 2,
  failureRule: 'fail-open',
  userKind: 'simulated',
});

describe('environment context from the tau-bench pack (../shared)', () => {
  it('gives each episode its domain’s tools and its task’s gold actions', async () => {
    loads.length = 0;
    const { ctx, problems } = await loadEnvContext([meta(RETAIL, 0, 'test'), meta(AIRLINE, 3), meta(POLICY_CHAT)], readPack);
    expect(problems).toEqual([]);
    expect(loads).toEqual(['retail/test', 'airline/test']);
    const retailTools = ctx.toolsOf(meta(RETAIL, 0, 'test'));
    expect(retailTools.map((t) => t.function.name)).toContain('cancel_pending_order');
    expect(ctx.toolsOf(meta(AIRLINE, 3)).map((t) => t.function.name)).toContain('book_reservation');
    expect(ctx.goldOf(meta(RETAIL, 0, 'test'))?.actions[0]).toEqual({
      name: 'find_user_id_by_name_zip',
      kwargs: { first_name: 'Yusuf', last_name: 'Rossi', zip: '19122' },
    });
    expect(ctx.toolsOf(meta(POLICY_CHAT))).toEqual([]);
    expect(ctx.goldOf(meta(POLICY_CHAT))).toBeUndefined();
    expect(ctx.goldOf(meta(RETAIL, 99999, 'test'))).toBeUndefined();
  });

  it('gives every task the gold the pack file holds, as plain JSON (what the labels compare proposals with)', async () => {
    const metas = [0, 1].flatMap((i) => [meta(RETAIL, i, 'test'), meta(RETAIL, i, 'train'), meta(AIRLINE, i, 'test')]);
    const { ctx, problems } = await loadEnvContext(metas, readPack);
    expect(problems).toEqual([]);
    for (const [env, domain, split] of [[RETAIL, 'retail', 'test'], [RETAIL, 'retail', 'train'], [AIRLINE, 'airline', 'test']] as const) {
      const file = TaskFile.parse(JSON.parse(await readFile(resolve(PACK, `${domain}/tasks_${split}.json`), 'utf8')));
      file.forEach((task, i) => expect(ctx.goldOf(meta(env, i, split))).toEqual({ actions: task.actions, outputs: task.outputs ?? [] }));
    }
  });

  it('reports what it could not load instead of failing', async () => {
    const { ctx, problems } = await loadEnvContext([meta(RETAIL, 0, 'nosuchsplit')], readPack);
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatch(/^retail\/tasks_nosuchsplit\.json: /);
    expect(ctx.toolsOf(meta(RETAIL)).length).toBeGreaterThan(5);
  });

  it('gives UserBench episodes the interact_with_env tool their critic saw', async () => {
    const ub = nodePackSource(resolve(PACK, '../userbench'));
    const { ctx, problems } = await loadEnvContext([meta(TRAVEL22, 0), meta(RETAIL, 0, 'test')], readPack, ub);
    expect(problems).toEqual([]);
    expect(ctx.toolsOf(meta(TRAVEL22, 0)).map((t) => t.function.name)).toEqual(['interact_with_env']);
    expect(ctx.goldOf(meta(TRAVEL22, 0))).toBeUndefined();
    const without = await loadEnvContext([meta(TRAVEL33, 1)], readPack);
    expect(without.problems[0]).toMatch(/^userbench prompts\/tools\.json: /);
  });
});

describe('environment context for τ³-bench episodes (../shared/tau2-bench)', () => {
  const TAU2 = resolve(import.meta.dirname, '../../../../shared/tau2-bench');
  const RawTasks = z.array(
    z.object({ id: z.string(), evaluation_criteria: z.object({ actions: z.array(z.object({ requestor: z.string().default('assistant'), name: z.string(), arguments: z.record(z.string(), z.unknown()) })).nullable(), communicate_info: z.array(z.string()).nullable().optional() }).nullable() }),
  );
  const Splits = z.record(z.string(), z.array(z.string()));
  const raw = async (domain: string, file: string) => RawTasks.parse(JSON.parse(await readFile(resolve(TAU2, domain, file), 'utf8')));
  const tau2Loads: string[] = [];
  const loadTau2: LoadTau2Pack = (domain) => {
    tau2Loads.push(domain);
    return loadTau2Pack(nodeTau2Source(TAU2), domain);
  };
  const TELECOM: EpisodeEnvironment = { family: 'tau2', domain: 'telecom' };
  const RETAIL2: EpisodeEnvironment = { family: 'tau2', domain: 'retail' };

  it('gives each episode the agent tools the critic saw and its task’s gold agent actions, as tasks.json has them', async () => {
    tau2Loads.length = 0;
    const metas = [meta(TELECOM, 2, 'small'), meta(TELECOM, 0, 'small'), meta(RETAIL2, 0, 'test'), meta(RETAIL2, 5, 'test'), meta(RETAIL, 0, 'test')];
    const { ctx, problems } = await loadEnvContext(metas, readPack, undefined, loadTau2);
    expect(problems).toEqual([]);
    expect(tau2Loads.sort()).toEqual(['retail', 'telecom']);
    expect(ctx.toolsOf(meta(TELECOM, 2, 'small'))).toEqual(TOOL_SCHEMAS.telecom.agent);
    expect(ctx.toolsOf(meta(RETAIL2, 0, 'test'))).toEqual(TOOL_SCHEMAS.retail.agent);
    // v1 retail keeps v1's tools: the families do not mix.
    expect(ctx.toolsOf(meta(RETAIL, 0, 'test'))).not.toEqual(TOOL_SCHEMAS.retail.agent);

    // Telecom small task 2: the agent enables roaming; the user's toggle_roaming on the phone is not agent gold.
    expect(ctx.goldOf(meta(TELECOM, 2, 'small'))).toEqual({ actions: [{ name: 'enable_roaming', kwargs: { customer_id: 'C1001', line_id: 'L1002' } }], outputs: [] });
    expect(ctx.goldOf(meta(TELECOM, 0, 'small'))?.actions).toEqual([]);

    // Every retail test task: its assistant actions and communicate_info, in the test split's order.
    const splits = Splits.parse(JSON.parse(await readFile(resolve(TAU2, 'retail', 'split_tasks.json'), 'utf8')));
    const test = new Set(splits['test']);
    const tasks = (await raw('retail', 'tasks.json')).filter((t) => test.has(t.id));
    expect(tasks.length).toBeGreaterThan(30);
    tasks.forEach((t, i) =>
      expect(ctx.goldOf(meta(RETAIL2, i, 'test'))).toEqual({
        actions: (t.evaluation_criteria?.actions ?? []).filter((a) => a.requestor === 'assistant').map((a) => ({ name: a.name, kwargs: a.arguments })),
        outputs: t.evaluation_criteria?.communicate_info ?? [],
      }),
    );
    expect(ctx.goldOf(meta(RETAIL2, tasks.length, 'test'))).toBeUndefined();
  });

  it('reads each episode’s gold from the data it ran on: episodes with different data sources go to the loader with their own', async () => {
    const calls: string[] = [];
    // Upstream's copy here: the same retail data with its tasks in reverse file order, so its test task 0 is the app's last.
    const bySource: LoadTau2Pack = async (domain, dataSource) => {
      calls.push(`${dataSource ?? 'none'}/${domain}`);
      if (dataSource === 'folder') throw new Error('read from a folder that was opened in another session: open it again');
      const pack = await loadTau2Pack(nodeTau2Source(TAU2), domain);
      return dataSource === 'upstream' ? { ...pack, tasks: [...pack.tasks].reverse() } : pack;
    };
    const from = (dataSource: EpisodeMeta['dataSource'], taskIndex: number): EpisodeMeta => ({ ...meta(RETAIL2, taskIndex, 'test'), ...(dataSource ? { dataSource } : {}) });
    const metas = [from('app', 0), from('upstream', 0), from('app', 1), from('folder', 0), from(undefined, 0)];
    const { ctx, problems } = await loadEnvContext(metas, readPack, undefined, bySource);
    // One load per data source and domain, each with its own source.
    expect(calls.sort()).toEqual(['app/retail', 'folder/retail', 'none/retail', 'upstream/retail']);
    expect(problems).toEqual(['τ³ retail: read from a folder that was opened in another session: open it again']);

    const splits = Splits.parse(JSON.parse(await readFile(resolve(TAU2, 'retail', 'split_tasks.json'), 'utf8')));
    const test = new Set(splits['test']);
    const tasks = (await raw('retail', 'tasks.json')).filter((t) => test.has(t.id));
    const goldOf = (t: (typeof tasks)[number] | undefined) => ({
      actions: (t?.evaluation_criteria?.actions ?? []).filter((a) => a.requestor === 'assistant').map((a) => ({ name: a.name, kwargs: a.arguments })),
      outputs: t?.evaluation_criteria?.communicate_info ?? [],
    });
    expect(goldOf(tasks[0])).not.toEqual(goldOf(tasks.at(-1)));
    expect(ctx.goldOf(from('app', 0))).toEqual(goldOf(tasks[0]));
    expect(ctx.goldOf(from('app', 1))).toEqual(goldOf(tasks[1]));
    expect(ctx.goldOf(from('upstream', 0))).toEqual(goldOf(tasks.at(-1)));
    expect(ctx.goldOf(from(undefined, 0))).toEqual(goldOf(tasks[0]));
    // The folder's episode has no gold, but its tools.
    expect(ctx.goldOf(from('folder', 0))).toBeUndefined();
    expect(ctx.toolsOf(from('folder', 0))).toEqual(TOOL_SCHEMAS.retail.agent);
  });

  it('says what it could not load: no τ³ data, a split the domain lacks; the tools still come', async () => {
    const without = await loadEnvContext([meta(TELECOM, 2, 'small')], readPack);
    expect(without.problems).toEqual(['τ³ telecom: τ³ data: none given, so these episodes have no gold actions']);
    expect(without.ctx.toolsOf(meta(TELECOM, 2, 'small'))).toEqual(TOOL_SCHEMAS.telecom.agent);
    expect(without.ctx.goldOf(meta(TELECOM, 2, 'small'))).toBeUndefined();
    const noSuch = await loadEnvContext([meta(RETAIL2, 0, 'small'), meta(RETAIL2, 0, 'test')], readPack, undefined, loadTau2);
    expect(noSuch.problems).toEqual([expect.stringMatching(/^τ³ retail\/split_tasks\.json: no split "small"/)]);
    expect(noSuch.ctx.goldOf(meta(RETAIL2, 0, 'test'))?.actions.length).toBeGreaterThan(0);
  });
});
