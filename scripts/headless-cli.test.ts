import { describe, expect, it } from 'vitest';
import { HEADLESS_OPTIONS, HEADLESS_USAGE, MERGE_OPTIONS, outputPaths, parseHeadlessArgs, parseMergeArgs, sameRun } from './headless-cli.ts';

const base = ['--domain', 'retail', '--tasks', '0-2', '--trials', '3', '--actor-base-url', 'http://127.0.0.1:9/v1', '--actor-model', 'gpt-4o', '--out', 'r.json'];

describe('parseHeadlessArgs', () => {
  it('builds an actor-alone run with tau-bench defaults and keys from the environment', () => {
    const o = parseHeadlessArgs(base, { SPOTTER_ACTOR_KEY: 'sk-actor' }, () => 0);
    expect(o.spec.taskIndices).toEqual([0, 1, 2]);
    expect(o.spec.trials).toBe(3);
    expect(o.spec.temperature).toBe(0);
    expect(o.spec.maxSteps).toBe(30);
    expect(o.spec.configurations.map((c) => c.mode)).toEqual(['off']);
    expect(o.spec.user).toEqual(o.spec.actor);
    expect(o.keys).toEqual({ actor: 'sk-actor', user: 'sk-actor', critic: 'sk-actor' });
    expect(o.statePath).toBe('r.json.state.json');
    expect(o.dataDir).toBe('../shared/tau-bench');
    expect(JSON.stringify(o.spec)).not.toContain('sk-actor');
  });

  it('adds the critic configurations when a critic is given', () => {
    const o = parseHeadlessArgs([...base, '--critic-base-url', 'http://127.0.0.1:8/v1', '--critic-model', 'small'], { SPOTTER_CRITIC_KEY: 'sk-c' });
    expect(o.spec.configurations.map((c) => [c.label, c.mode, c.critic?.model])).toEqual([
      ['actor alone', 'off', undefined],
      ['critic intervene', 'intervene', 'small'],
    ]);
    expect(o.keys.critic).toBe('sk-c');
    const three = parseHeadlessArgs([...base, '--critic-base-url', 'u', '--critic-model', 's', '--configs', 'off,monitor,intervene', '--max-revisions', '1'], {});
    expect(three.spec.configurations.map((c) => [c.mode, c.maxRevisions])).toEqual([
      ['off', 1],
      ['monitor', 1],
      ['intervene', 1],
    ]);
  });

  it('rejects missing or contradictory arguments', () => {
    expect(() => parseHeadlessArgs(base.slice(2), {})).toThrow(/--tasks|domain/);
    expect(() => parseHeadlessArgs([...base, '--configs', 'intervene'], {})).toThrow(/needs --critic-model/);
    expect(() => parseHeadlessArgs([...base, '--configs', 'maybe'], {})).toThrow(/unknown mode/);
    expect(() => parseHeadlessArgs([...base, '--api-key', 'x'], {})).toThrow(/api-key/);
    expect(() => parseHeadlessArgs([...base, '--trials', 'two'], {})).toThrow(/--trials/);
  });
});

describe('sameRun', () => {
  it('ignores id and concurrency only', () => {
    const a = parseHeadlessArgs(base, {}, () => 0).spec;
    const b = parseHeadlessArgs([...base, '--concurrency', '9'], {}, () => 5000).spec;
    const c = parseHeadlessArgs([...base.slice(0, 4), '--trials', '2', ...base.slice(6)], {}).spec;
    expect(sameRun(a, b)).toBe(true);
    expect(sameRun(a, c)).toBe(false);
  });
});

describe('outputPaths', () => {
  it('names one JSON per configuration', () => {
    expect(outputPaths('out/r.json', ['actor alone'])).toEqual({ json: ['out/r.json'], csv: 'out/r.csv' });
    expect(outputPaths('r.json', ['actor alone', 'critic intervene']).json).toEqual(['r.actor_alone.json', 'r.critic_intervene.json']);
  });

  it('takes the critic context window (--critic-context) into the run spec, and refuses nonsense', () => {
    const o = parseHeadlessArgs([...base, '--critic-base-url', 'u', '--critic-model', 's', '--critic-context', '4096'], {});
    expect(o.spec.configurations.find((c) => c.mode === 'intervene')?.critic).toMatchObject({ model: 's', contextWindow: 4096 });
    expect(() => parseHeadlessArgs([...base, '--critic-base-url', 'u', '--critic-model', 's', '--critic-context', '10'], {})).toThrow(/at least 512/);
    expect(() => parseHeadlessArgs([...base, '--critic-context', '4096'], {})).toThrow(/needs --critic-model/);
    expect(() => parseHeadlessArgs([...base, '--critic-base-url', 'u', '--critic-model', 's', '--critic-context', '4k'], {})).toThrow(/not a whole number/);
  });
});

describe('parseHeadlessArgs for UserBench', () => {
  it("uses UserBench's defaults: gpt-4o judges at temperature 0, 20 turns, the userbench folder", () => {
    const o = parseHeadlessArgs(['--domain', 'travel33', ...base.slice(2), '--one-choice'], {}, () => 0);
    expect(o.spec.environment.domain).toBe('travel33');
    expect(o.spec.environment.family === 'userbench' && o.spec.environment.oneChoice).toBe(true);
    expect(o.spec.user).toMatchObject({ model: 'gpt-4o', baseUrl: 'http://127.0.0.1:9/v1' });
    expect(o.spec.userTemperature).toBe(0);
    expect(o.spec.maxSteps).toBe(20);
    expect(o.dataDir).toBe('../shared/userbench');
    expect(parseHeadlessArgs(['--domain', 'travel22', ...base.slice(2), '--max-steps', '8'], {}).spec.maxSteps).toBe(8);
  });
  it('runs τ³-bench as tau2/<domain>: its splits, its data folder, ~100 agent steps, and the NL judge', () => {
    const tau2 = ['--domain', 'tau2/telecom', '--split', 'small', ...base.slice(2)];
    const o = parseHeadlessArgs([...tau2, '--judge-model', 'gpt-4.1-2025-04-14'], { SPOTTER_ACTOR_KEY: 'sk-a' });
    expect(o.spec.environment).toEqual({ family: 'tau2', domain: 'telecom' });
    expect(o.spec.split).toBe('small');
    expect(o.spec.maxSteps).toBe(100);
    expect(o.dataDir).toBe('../shared/tau2-bench');
    expect(o.spec.nlJudge).toEqual({ engine: 'openai-compatible', model: 'gpt-4.1-2025-04-14', baseUrl: 'http://127.0.0.1:9/v1' });
    expect(parseHeadlessArgs(tau2, {}).spec.nlJudge).toBeUndefined();
    expect(parseHeadlessArgs([...tau2, '--max-steps', '40'], {}).spec.maxSteps).toBe(40);
    // A bare domain keeps naming tau-bench (v1), as before τ³.
    expect(parseHeadlessArgs(base, {}).spec.environment).toEqual({ family: 'tau-bench', domain: 'retail' });
    expect(parseHeadlessArgs(['--domain', 'tau-bench/airline', ...base.slice(2)], {}).spec.environment).toEqual({ family: 'tau-bench', domain: 'airline' });
    expect(() => parseHeadlessArgs([...base, '--judge-model', 'j'], {})).toThrow(/only τ³-bench/);
    expect(() => parseHeadlessArgs(['--domain', 'tau2/banking', ...base.slice(2)], {})).toThrow(/tau2\/banking/);
  });

  it('refuses one-choice outside UserBench and unknown environments', () => {
    expect(() => parseHeadlessArgs([...base, '--one-choice'], {})).toThrow(/oneChoice/);
    expect(() => parseHeadlessArgs(['--domain', 'travel99', ...base.slice(2)], {})).toThrow(/domain/);
  });
});

describe('sweep flags', () => {
  it('--shard, --run-id and --max-rpm go into the options; --list-units and --dry-run need no --out', () => {
    const o = parseHeadlessArgs([...base, '--shard', '2/5', '--run-id', 'sweep-7', '--max-rpm', '60'], {});
    expect(o).toMatchObject({ action: 'run', shard: { index: 2, count: 5 }, maxRpm: 60 });
    expect(o.spec.id).toBe('sweep-7');
    const noOut = base.slice(0, -2);
    expect(parseHeadlessArgs([...noOut, '--list-units'], {}).action).toBe('list-units');
    expect(parseHeadlessArgs([...noOut, '--dry-run', '--estimate-from', 'pilot.json'], {})).toMatchObject({ action: 'dry-run', estimateFrom: 'pilot.json' });
    expect(() => parseHeadlessArgs(noOut, {})).toThrow(/--out/);
  });

  it('refuses nonsense', () => {
    expect(() => parseHeadlessArgs([...base, '--shard', '4/3'], {})).toThrow(/--shard/);
    expect(() => parseHeadlessArgs([...base, '--max-rpm', '0'], {})).toThrow(/--max-rpm/);
    expect(() => parseHeadlessArgs([...base, '--max-rpm', 'fast'], {})).toThrow(/--max-rpm/);
    expect(() => parseHeadlessArgs([...base, '--list-units', '--dry-run'], {})).toThrow(/pick one/);
    expect(() => parseHeadlessArgs([...base, '--estimate-from', 'p.json'], {})).toThrow(/needs --dry-run/);
  });

  it('the usage names every flag of the option tables', () => {
    expect(Object.keys(HEADLESS_OPTIONS).filter((k) => !HEADLESS_USAGE.includes(`--${k}`))).toEqual([]);
    expect(Object.keys(MERGE_OPTIONS).filter((k) => !HEADLESS_USAGE.split('merge ')[1]?.includes(`--${k}`))).toEqual([]);
  });

  it('merge takes files and --out', () => {
    expect(parseMergeArgs(['a.json', 'b.json', '--out', 'all.json', '--summary-md', 's.md'])).toEqual({ files: ['a.json', 'b.json'], out: 'all.json', pricesPath: undefined, summaryMd: 's.md', tau2DataDir: '../shared/tau2-bench' });
    expect(parseMergeArgs(['a.json', '--out', 'all.json', '--data-dir', 'data/tau2']).tau2DataDir).toBe('data/tau2');
    expect(() => parseMergeArgs(['--out', 'all.json'])).toThrow(/state files/);
    expect(() => parseMergeArgs(['a.json'])).toThrow(/--out/);
    expect(() => parseMergeArgs(['a.json', '--out', 'x', '--force'])).toThrow(/force/);
  });
});
