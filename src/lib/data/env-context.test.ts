import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import type { EpisodeEnvironment } from '../envs/environment.ts';
import { loadTauPack } from '../envs/tau-bench/pack.ts';
import { nodePackSource } from '../envs/tau-bench/pack-node.ts';
import type { EpisodeMeta } from '../loop/events.ts';
import { loadEnvContext, type LoadTauPack } from './env-context.ts';

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
