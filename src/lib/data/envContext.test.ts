import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { EpisodeMeta } from '../loop/events.ts';
import { loadEnvContext, type ReadPackJson } from './envContext.ts';

const PACK = resolve(import.meta.dirname, '../../../../shared/tau-bench');
const readPack: ReadPackJson = async (path) => {
  const value: unknown = JSON.parse(await readFile(resolve(PACK, path), 'utf8'));
  return value;
};

const meta = (environment: string, taskIndex?: number, taskSplit?: string): EpisodeMeta => ({
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
    const { ctx, problems } = await loadEnvContext([meta('tau-bench/retail', 0, 'test'), meta('tau-bench/airline', 3), meta('policy-chat')], readPack);
    expect(problems).toEqual([]);
    const retailTools = ctx.toolsOf(meta('tau-bench/retail', 0, 'test'));
    expect(retailTools.map((t) => t.function.name)).toContain('cancel_pending_order');
    expect(ctx.toolsOf(meta('tau-bench/airline', 3)).map((t) => t.function.name)).toContain('book_reservation');
    expect(ctx.goldOf(meta('tau-bench/retail', 0, 'test'))?.actions[0]).toEqual({
      name: 'find_user_id_by_name_zip',
      kwargs: { first_name: 'Yusuf', last_name: 'Rossi', zip: '19122' },
    });
    expect(ctx.toolsOf(meta('policy-chat'))).toEqual([]);
    expect(ctx.goldOf(meta('policy-chat'))).toBeUndefined();
    expect(ctx.goldOf(meta('tau-bench/retail', 99999, 'test'))).toBeUndefined();
  });

  it('reports what it could not load instead of failing', async () => {
    const { ctx, problems } = await loadEnvContext([meta('tau-bench/retail', 0, 'nosuchsplit')], readPack);
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatch(/^retail\/tasks_nosuchsplit\.json: /);
    expect(ctx.toolsOf(meta('tau-bench/retail')).length).toBeGreaterThan(5);
  });

  it('gives UserBench episodes the interact_with_env tool their critic saw', async () => {
    const ub: ReadPackJson = async (path) => {
      const value: unknown = JSON.parse(await readFile(resolve(PACK, '../userbench', path), 'utf8'));
      return value;
    };
    const { ctx, problems } = await loadEnvContext([meta('userbench/travel22', 0), meta('tau-bench/retail', 0, 'test')], readPack, ub);
    expect(problems).toEqual([]);
    expect(ctx.toolsOf(meta('userbench/travel22', 0)).map((t) => t.function.name)).toEqual(['interact_with_env']);
    expect(ctx.goldOf(meta('userbench/travel22', 0))).toBeUndefined();
    const without = await loadEnvContext([meta('userbench/travel33', 1)], readPack);
    expect(without.problems[0]).toMatch(/^userbench prompts\/tools\.json: /);
  });
});
