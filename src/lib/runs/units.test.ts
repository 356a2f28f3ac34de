import { describe, expect, it } from 'vitest';
import { GPT_4O, retailRunSpec } from '../../../tests/fixtures/run-specs.ts';
import { parseHeadlessArgs } from '../../../scripts/headless-cli.ts';
import { assignShards, parseShard, unitsOfShard } from './shard.ts';
import { labelSlug, planUnits, specDifferences } from './units.ts';

const critic = { engine: 'openai-compatible', model: 'qwen', baseUrl: 'http://127.0.0.1:8/v1' } as const;
const threeConfigs = [
  { label: 'actor alone', mode: 'off' },
  { label: 'critic monitor', mode: 'monitor', critic },
  { label: 'critic intervene', mode: 'intervene', critic },
] as const;

describe('work units', () => {
  it('one unit per environment, task, trial and configuration, with readable ids', () => {
    const units = planUnits(retailRunSpec({ taskIndices: [0, 1], trials: 2, configurations: [...threeConfigs] }));
    expect(units).toHaveLength(12);
    expect(new Set(units.map((u) => u.id)).size).toBe(12);
    expect(units.slice(0, 3).map((u) => u.id)).toEqual([
      'tau-bench/retail/test/task0/trial0/actor-alone',
      'tau-bench/retail/test/task0/trial0/critic-intervene',
      'tau-bench/retail/test/task0/trial0/critic-monitor',
    ]);
    expect(planUnits(retailRunSpec({ environment: { family: 'userbench', domain: 'travel22', oneChoice: true }, split: 'test', taskIndices: [3] }))[0]?.id).toBe('userbench/travel22-onechoice/test/task3/trial0/alone');
  });

  it('ids and their order do not depend on the run id, the order of the configurations or of the flags', () => {
    const a = planUnits(retailRunSpec({ id: 'a', configurations: [...threeConfigs] }));
    const b = planUnits(retailRunSpec({ id: 'b', concurrency: 8, configurations: [...threeConfigs].reverse() }));
    expect(b.map((u) => u.id)).toEqual(a.map((u) => u.id));
    const flags = ['--domain', 'retail', '--tasks', '0-2,7', '--trials', '2', '--actor-base-url', 'http://h/v1', '--actor-model', 'gpt-4o', '--out', 'r.json'];
    const pairs: string[][] = [];
    for (let i = 0; i < flags.length; i += 2) pairs.push(flags.slice(i, i + 2));
    const shuffled = [pairs[3], pairs[0], pairs[5], pairs[2], pairs[1], pairs[4]].flat().filter((x): x is string => x !== undefined);
    const ids = (argv: string[]): string[] => planUnits(parseHeadlessArgs(argv, {}).spec).map((u) => u.id);
    expect(ids(shuffled)).toEqual(ids(flags));
    expect(ids(['--tasks', '7,2,1,0', ...flags.slice(4), ...flags.slice(0, 2)])).toEqual(ids(flags));
  });

  it('refuses labels that would share an id', () => {
    expect(labelSlug('Critic  Intervene!')).toBe('critic-intervene');
    const spec = retailRunSpec({ configurations: [{ label: 'a b', mode: 'off' }, { label: 'a_b', mode: 'off' }, { label: 'A B', mode: 'off' }] });
    expect(() => planUnits(spec)).toThrow(/"a_b" and "a b" give the same unit id \(a-b\)/);
  });

  it('specDifferences names the fields that differ, ignoring id and concurrency', () => {
    const a = retailRunSpec();
    expect(specDifferences(a, retailRunSpec({ id: 'other', concurrency: 9 }))).toEqual([]);
    expect(specDifferences(a, retailRunSpec({ trials: 2, user: { ...GPT_4O, model: 'gpt-4o-mini' } }))).toEqual(['trials', 'user']);
  });
});

describe('shards', () => {
  it('parses i/n, 1-based, and refuses the rest', () => {
    expect(parseShard('2/3')).toEqual({ index: 2, count: 3 });
    for (const bad of ['0/3', '4/3', '1/0', '1', 'a/b', '-1/3']) expect(() => parseShard(bad)).toThrow(/--shard/);
  });

  it('cover every unit exactly once, 12 units as 4 + 4 + 4', () => {
    const units = planUnits(retailRunSpec({ taskIndices: [0, 1], trials: 2, configurations: [...threeConfigs] }));
    const shards = [1, 2, 3].map((index) => unitsOfShard(units, { index, count: 3 }).map((u) => u.id));
    expect(shards.map((s) => s.length)).toEqual([4, 4, 4]);
    expect(shards.flat().sort()).toEqual(units.map((u) => u.id).sort());
  });

  it('are balanced on a 6,000-episode sweep, in size and in mix: no shard gets one configuration only', () => {
    // tau-bench retail (115) + airline (50) = 165 tasks here as 165 retail tasks, 4 trials, 9 configurations (3 modes x 3 critics).
    const critics = ['qwen-0.5b', 'qwen-1.5b', 'llama-3b'].map((model) => ({ ...critic, model }));
    const configurations = critics.flatMap((c) => (['off', 'monitor', 'intervene'] as const).map((mode) => ({ label: `${mode} ${c.model}`, mode, critic: c })));
    const spec = retailRunSpec({ taskIndices: Array.from({ length: 165 }, (_, i) => i), trials: 4, configurations });
    const units = planUnits(spec);
    expect(units).toHaveLength(5940);
    for (const count of [2, 3, 7, 9, 16, 40]) {
      const of = assignShards(units, count);
      const sizes = new Map<number, number>();
      const cells = new Map<string, number>();
      const tasks = new Map<number, Set<number>>();
      for (const u of units) {
        const s = of.get(u.id) ?? 0;
        sizes.set(s, (sizes.get(s) ?? 0) + 1);
        cells.set(`${s} ${u.config}`, (cells.get(`${s} ${u.config}`) ?? 0) + 1);
        tasks.set(s, (tasks.get(s) ?? new Set()).add(u.slot.taskIndex));
      }
      expect([...sizes.keys()].sort((a, b) => a - b)).toEqual(Array.from({ length: count }, (_, i) => i + 1));
      expect(Math.max(...sizes.values()) - Math.min(...sizes.values())).toBeLessThanOrEqual(1);
      // Each configuration's share of every shard is within one of the mean (round-robin over the plan order would
      // give a shard all or none of a configuration's units at count 9).
      const mean = units.length / count / configurations.length;
      for (let s = 1; s <= count; s++) {
        for (const c of configurations) expect(Math.abs((cells.get(`${s} ${labelSlug(c.label)}`) ?? 0) - mean)).toBeLessThan(1);
        // And the tasks mix: a shard's units come from many tasks, not a block of them.
        expect(tasks.get(s)?.size ?? 0).toBeGreaterThan(Math.min(165, sizes.get(s) ?? 0) * 0.5);
      }
    }
  });

  it('is the same for the same ids in any order', () => {
    const units = planUnits(retailRunSpec({ taskIndices: [0, 1, 2, 3], trials: 3, configurations: [...threeConfigs] }));
    expect([...assignShards([...units].reverse(), 5)].sort()).toEqual([...assignShards(units, 5)].sort());
  });
});
