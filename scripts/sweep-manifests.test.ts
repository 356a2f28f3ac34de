/**
 * The sweep's engines as files: .github/workflows/sweep.yml and
 * deploy/k8s/sweep-job.yaml, parsed as YAML. Their `npm run headless`
 * command lines are expanded as the shell would (with sample values for the
 * variables) and read by the CLI's own parsers and option tables, so a
 * renamed or removed flag fails here, not in a sweep.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseAllDocuments } from 'yaml';
import { z } from 'zod';
import { HEADLESS_OPTIONS, MERGE_OPTIONS, parseHeadlessArgs, parseMergeArgs } from './headless-cli.ts';
import { unitsOfShard } from '../src/lib/runs/shard.ts';
import { planUnits } from '../src/lib/runs/units.ts';

const Yaml = z.record(z.string(), z.unknown());
const docs = (file: string): Array<Record<string, unknown>> => parseAllDocuments(readFileSync(file, 'utf8')).map((d) => Yaml.parse(d.toJS()));
const obj = (v: unknown, where: string): Record<string, unknown> => {
  const r = Yaml.safeParse(v);
  if (!r.success) throw new Error(`${where}: not a mapping`);
  return r.data;
};
const list = (v: unknown, where: string): unknown[] => {
  if (!Array.isArray(v)) throw new Error(`${where}: not a list`);
  return v;
};
const str = (v: unknown): string => (typeof v === 'string' ? v : '');

/** The words after `npm run headless --` in a shell script, variables expanded from `vars`, quotes removed. */
function headlessArgv(script: string, vars: Record<string, string>): string[] {
  const env = { ...vars };
  const lines = script.replace(/\\\n/g, ' ').split('\n');
  for (const line of lines) {
    // NAME=$((OTHER + 1)), as the Job computes its 1-based shard.
    const m = /^\s*(\w+)=\$\(\((\w+) \+ (\d+)\)\)\s*$/.exec(line);
    if (m?.[1] && m[2]) env[m[1]] = String(Number(env[m[2]] ?? NaN) + Number(m[3]));
  }
  const line = lines.find((l) => l.includes('npm run headless --'));
  if (!line) throw new Error(`no npm run headless in:\n${script}`);
  const rest = line.slice(line.indexOf('npm run headless --') + 'npm run headless --'.length);
  const expanded = rest.replace(/\$\{?(\w+)\}?/g, (_, name: string) => {
    const v = env[name];
    if (v === undefined) throw new Error(`$${name} is not set in the step's environment`);
    return v;
  });
  const words: string[] = [];
  for (const m of expanded.matchAll(/"([^"]*)"|(\S+)/g)) words.push(m[1] ?? m[2] ?? '');
  return words;
}

/** Flags in argv that the option table does not know. */
function unknownFlags(argv: readonly string[], table: Record<string, unknown>): string[] {
  return argv.filter((w) => w.startsWith('--') && !Object.hasOwn(table, w.slice(2)));
}

describe('.github/workflows/sweep.yml', () => {
  const [wf] = docs('.github/workflows/sweep.yml');
  if (!wf) throw new Error('empty workflow');
  const on = obj(wf['on'], 'on');
  const inputs = obj(obj(on['workflow_dispatch'], 'workflow_dispatch')['inputs'], 'inputs');
  const jobs = obj(wf['jobs'], 'jobs');
  const shardJob = obj(jobs['shard'], 'jobs.shard');
  const mergeJob = obj(jobs['merge'], 'jobs.merge');
  const steps = (job: Record<string, unknown>) => list(job['steps'], 'steps').map((s, i) => obj(s, `step ${i}`));

  /** `${{ … }}` expressions with sample values: the inputs' defaults, shard 2 of 4's matrix entry, the plan's outputs. */
  const sample = (value: string, override: Record<string, string> = {}): string =>
    value.replace(/\$\{\{\s*([^}]+?)\s*\}\}/g, (_, expr: string) => {
      if (override[expr] !== undefined) return override[expr];
      const input = /^inputs\.(\w+)$/.exec(expr)?.[1];
      if (input) return str(obj(inputs[input], `inputs.${input}`)['default']);
      if (expr === 'matrix.shard') return '2';
      if (expr === 'needs.plan.outputs.max_rpm') return '125';
      if (expr.startsWith('secrets.')) return `sk-test-${expr.slice(8)}`;
      throw new Error(`no sample value for \${{ ${expr} }}`);
    });
  const stepEnv = (step: Record<string, unknown>, override: Record<string, string> = {}): Record<string, string> => ({
    GITHUB_RUN_ID: '4242',
    GITHUB_STEP_SUMMARY: '/tmp/summary.md',
    ...Object.fromEntries(Object.entries(obj(step['env'] ?? {}, 'env')).map(([k, v]) => [k, sample(str(v), override)])),
  });
  const runStep = (job: Record<string, unknown>) => {
    const s = steps(job).find((x) => str(x['run']).includes('npm run headless'));
    if (!s) throw new Error('no headless step');
    return s;
  };

  it('is dispatched by hand with the sweep as inputs', () => {
    expect(Object.keys(on)).toEqual(['workflow_dispatch']);
    expect(Object.keys(inputs)).toEqual(expect.arrayContaining(['domain', 'tasks', 'trials', 'configs', 'actor_model', 'critic_base_url', 'critic_model', 'shards']));
  });

  it("runs each shard with flags the CLI knows, its keys from secrets in the step's environment only", () => {
    const step = runStep(shardJob);
    const env = stepEnv(step);
    const argv = headlessArgv(str(step['run']), env);
    expect(unknownFlags(argv, HEADLESS_OPTIONS)).toEqual([]);
    const opts = parseHeadlessArgs(argv, env);
    expect(opts.action).toBe('run');
    expect(opts.shard).toEqual({ index: 2, count: 4 });
    expect(opts.maxRpm).toBe(125);
    expect(opts.spec.id).toBe('sweep-4242');
    expect(opts.keys).toEqual({ actor: 'sk-test-SPOTTER_ACTOR_KEY', user: 'sk-test-SPOTTER_ACTOR_KEY', critic: 'sk-test-SPOTTER_CRITIC_KEY' });
    // The defaults: 10 tasks x 4 trials x 3 configurations = 120 units, 30 a shard.
    expect(unitsOfShard(planUnits(opts.spec), { index: 2, count: 4 })).toHaveLength(30);
    // Every domain the form offers is one the CLI runs.
    for (const domain of list(obj(inputs['domain'], 'domain')['options'], 'options')) {
      expect(parseHeadlessArgs(headlessArgv(str(step['run']), { ...env, DOMAIN: str(domain) }), env).spec.environment.domain).toBe(domain);
    }
  });

  it('pastes no expression into a script: inputs and secrets reach the shell as environment variables', () => {
    for (const [name, job] of Object.entries(jobs)) {
      for (const s of steps(obj(job, name))) expect(str(s['run'])).not.toMatch(/\$\{\{/);
    }
    expect(JSON.stringify(wf).match(/secrets\.\w+/g)?.every((m) => /^secrets\.SPOTTER_(ACTOR|CRITIC)_KEY$/.test(m))).toBe(true);
  });

  it('a shard restores and saves its own state (a re-run resumes), and uploads its files even when it failed', () => {
    const [restore, save, upload] = ['actions/cache/restore', 'actions/cache/save', 'actions/upload-artifact'].map((u) => steps(shardJob).find((s) => str(s['uses']).startsWith(u)));
    const out = stepEnv(runStep(shardJob))['OUT'] ?? '';
    const dir = out.slice(0, out.lastIndexOf('/'));
    for (const s of [restore, save, upload]) expect(sample(str(obj(s?.['with'], 'with')['path']))).toBe(dir);
    expect(str(obj(restore?.['with'], 'with')['restore-keys'])).toContain('matrix.shard');
    expect(save?.['if']).toBe('always()');
    expect(upload?.['if']).toBe('always()');
    expect(obj(obj(shardJob['strategy'], 'strategy'), 'strategy')['fail-fast']).toBe(false);
  });

  it('merges every shard it finds with flags the CLI knows, the pass^k table into the job summary', () => {
    expect(mergeJob['needs']).toEqual(expect.arrayContaining(['shard']));
    const step = runStep(mergeJob);
    const argv = headlessArgv(str(step['run']), stepEnv(step));
    expect(argv[0]).toBe('merge');
    expect(unknownFlags(argv.slice(1), MERGE_OPTIONS)).toEqual([]);
    const opts = parseMergeArgs(argv.slice(1));
    expect(opts.summaryMd).toBe('/tmp/summary.md');
    // The files it merges are those the shard job writes: <out>.state.json in each downloaded artifact.
    const out = stepEnv(runStep(shardJob))['OUT'] ?? '';
    expect(opts.files).toEqual([`shards/*/${out.slice(out.lastIndexOf('/') + 1)}.state.json`]);
  });
});

describe('deploy/k8s/sweep-job.yaml', () => {
  const all = docs('deploy/k8s/sweep-job.yaml');
  const byName = (kind: string, name: string) => {
    const d = all.find((x) => x['kind'] === kind && obj(x['metadata'], 'metadata')['name'] === name);
    if (!d) throw new Error(`no ${kind} ${name}`);
    return d;
  };
  const config = Object.fromEntries(Object.entries(obj(byName('ConfigMap', 'spotter-sweep')['data'], 'data')).map(([k, v]) => [k, str(v)]));
  const podOf = (job: Record<string, unknown>) => obj(obj(obj(job['spec'], 'spec')['template'], 'template')['spec'], 'pod spec');
  const container = (job: Record<string, unknown>) => obj(list(podOf(job)['containers'], 'containers')[0], 'container');
  const script = (c: Record<string, unknown>) => list(c['args'], 'args').map(str).join('\n');
  const secretEnv = (c: Record<string, unknown>) =>
    Object.fromEntries(list(c['env'] ?? [], 'env').map((e) => [str(obj(e, 'env')['name']), `sk-test-${str(obj(e, 'env')['name'])}`]));

  it('is an Indexed Job with one pod per shard, JOB_COMPLETION_INDEX becoming --shard, flags the CLI knows', () => {
    const job = byName('Job', 'spotter-sweep');
    const spec = obj(job['spec'], 'spec');
    expect(spec['completionMode']).toBe('Indexed');
    expect(String(spec['completions'])).toBe(config['SHARDS']);
    expect(String(spec['parallelism'])).toBe(config['SHARDS']);
    const c = container(job);
    for (const index of [0, 7]) {
      const env = { ...config, ...secretEnv(c), JOB_COMPLETION_INDEX: String(index) };
      const argv = headlessArgv(script(c), env);
      expect(unknownFlags(argv, HEADLESS_OPTIONS)).toEqual([]);
      const opts = parseHeadlessArgs(argv, env);
      expect(opts.shard).toEqual({ index: index + 1, count: Number(config['SHARDS']) });
      expect(opts.out).toBe(`/results/shard-${index + 1}/results.json`);
      expect(opts.spec.configurations.find((x) => x.critic)?.critic).toMatchObject({ baseUrl: config['CRITIC_BASE_URL'] });
      expect(opts.keys.actor).toBe('sk-test-SPOTTER_ACTOR_KEY');
    }
    // Results live on the shared volume the merge Job reads.
    expect(JSON.stringify(c['volumeMounts'])).toContain('"mountPath":"/results"');
  });

  it('keys come from a Secret, never from the ConfigMap', () => {
    for (const e of list(container(byName('Job', 'spotter-sweep'))['env'], 'env')) {
      expect(obj(obj(e, 'env')['valueFrom'], 'valueFrom')['secretKeyRef']).toBeDefined();
    }
    expect(JSON.stringify(config)).not.toMatch(/sk-|KEY/);
  });

  it('a merge Job merges the shards with flags the CLI knows', () => {
    const c = container(byName('Job', 'spotter-sweep-merge'));
    const argv = headlessArgv(script(c), { ...config, ...secretEnv(c) });
    expect(argv[0]).toBe('merge');
    expect(unknownFlags(argv.slice(1), MERGE_OPTIONS)).toEqual([]);
    expect(parseMergeArgs(argv.slice(1))).toMatchObject({ files: ['/results/shard-*/results.json.state.json'], out: '/results/merged/results.json' });
  });
});
