import { describe, expect, it } from 'vitest';
import { ValidationError } from '../errors.ts';
import { migrateRecord, parseTraceRecord } from './migrations.ts';
import { episodeCost } from './episode-stats.ts';
import { TRACE_SCHEMA_VERSION } from './schema.ts';
import { environmentName, type EpisodeEnvironment } from '../envs/environment.ts';
import { syntheticTrace } from '../../../tests/fixtures/synthetic-traces.ts';

/** A record as version 1 stored it: the environment as one string ('tau-bench/retail'). */
function v1Record(i: number, environment: string): Record<string, unknown> {
  const t = syntheticTrace(i);
  return { ...t, schemaVersion: 1, meta: { ...t.meta, environment } };
}

/** A record as the version-0 prototype stored it: no schemaVersion, finishedAt, no updatedAt, no failureRule. */
function v0Record(i: number): Record<string, unknown> {
  const { schemaVersion: _v, updatedAt: _u, endedAt, meta, ...rest } = syntheticTrace(i);
  const { failureRule: _f, ...meta0 } = meta;
  return { ...rest, meta: { ...meta0, environment: 'tau-bench/retail' }, finishedAt: endedAt };
}

/** Every environment name versions 0 and 1 wrote (chat, benchmark runs, UserBench in chat and runs). */
const V1_NAMES: Array<[string, EpisodeEnvironment]> = [
  ['policy-chat', { family: 'policy-chat' }],
  ['tau-bench/retail', { family: 'tau-bench', domain: 'retail' }],
  ['tau-bench/airline', { family: 'tau-bench', domain: 'airline' }],
  ['userbench/travel22', { family: 'userbench', domain: 'travel22' }],
  ['userbench/travel33', { family: 'userbench', domain: 'travel33' }],
  ['userbench/travel44-onechoice', { family: 'userbench', domain: 'travel44', oneChoice: true }],
];

describe('migrations', () => {
  it('migrates a v0 record to the current version', () => {
    const t = parseTraceRecord(v0Record(7), 'test');
    expect(t.schemaVersion).toBe(TRACE_SCHEMA_VERSION);
    expect(t.endedAt).toBe(syntheticTrace(7).endedAt);
    expect(t.updatedAt).toBe(syntheticTrace(7).endedAt);
    expect(t.meta.failureRule).toBe('fail-open');
    expect(t.meta.environment).toEqual({ family: 'tau-bench', domain: 'retail' });
    expect(t).not.toHaveProperty('finishedAt');
  });

  it.each(V1_NAMES)('migrates a v1 record of %s to the environment as fields, keeping the rest', (name, environment) => {
    const t = parseTraceRecord(v1Record(4, name), 'test');
    expect(t.schemaVersion).toBe(TRACE_SCHEMA_VERSION);
    expect(t.meta.environment).toEqual(environment);
    // The name lists, filters and training data show is the one version 1 stored.
    expect(environmentName(t.meta.environment)).toBe(name);
    expect({ ...t, meta: { ...t.meta, environment: undefined } }).toEqual({ ...syntheticTrace(4), meta: { ...syntheticTrace(4).meta, environment: undefined } });
  });

  it('refuses a v1 environment no version wrote, naming where and the value', () => {
    for (const name of ['tau-bench/shop', 'userbench/travel99', 'retail', 'tau-bench/retail-onechoice']) {
      expect(() => parseTraceRecord(v1Record(1, name), 'line 9')).toThrow(`line 9: meta.environment: unknown environment ${JSON.stringify(name)}`);
    }
  });

  it('leaves a current record as it is', () => {
    expect(parseTraceRecord(syntheticTrace(3), 'x')).toEqual(syntheticTrace(3));
  });

  it('refuses newer and nonsense versions, naming where', () => {
    expect(() => migrateRecord({ ...syntheticTrace(1), schemaVersion: 99 }, 'line 4')).toThrow(/^line 4: schemaVersion: 99 is newer/);
    expect(() => migrateRecord({ ...syntheticTrace(1), schemaVersion: 'one' }, 'line 4')).toThrow(ValidationError);
    expect(() => migrateRecord([1, 2], 'line 4')).toThrow(/expected an object/);
  });

  it('v1 → v2: derives the critic engine and model of each verdict from today’s labels; other labels stay unknown', () => {
    const labels = ['remote:gpt-4o-mini', 'webllm:Qwen2.5-0.5B-Instruct-q4f32_1-MLC', 'transformers:onnx-community/Qwen2.5-0.5B-Instruct', 'transformers:http://127.0.0.1/models/tiny', 'a double'];
    const base = syntheticTrace(2);
    const template = base.timeline.find((e) => e.type === 'step' && e.step.proposals[0]?.verdict);
    if (template?.type !== 'step') throw new Error('the synthetic trace has a judged step');
    // Today's format: version 1, the verdict names its critic only in the label.
    const v1: Record<string, unknown> = JSON.parse(
      JSON.stringify({
        ...base,
        schemaVersion: 1,
        timeline: labels.map((critic, i) => ({ ...template, step: { ...template.step, index: i, proposals: [{ ...template.step.proposals[0], verdict: { ...template.step.proposals[0]?.verdict, critic } }] } })),
      }),
    );
    expect(JSON.stringify(v1)).not.toContain('"engine"');
    const t = parseTraceRecord(v1, 'stored');
    const verdicts = t.timeline.flatMap((e) => (e.type === 'step' ? e.step.proposals.map((p) => p.verdict) : []));
    expect(verdicts.map((v) => [v?.engine, v?.model])).toEqual([
      ['openai-compatible', 'gpt-4o-mini'],
      ['webllm', 'Qwen2.5-0.5B-Instruct-q4f32_1-MLC'],
      ['transformers', 'onnx-community/Qwen2.5-0.5B-Instruct'],
      ['transformers', 'http://127.0.0.1/models/tiny'],
      [undefined, undefined],
    ]);
    // The label stays for display; a record already carrying the fields keeps them.
    expect(verdicts[0]?.critic).toBe('remote:gpt-4o-mini');
    expect(parseTraceRecord(t, 'again')).toEqual(t);
  });

  it('v3 → v4: a remote critic’s verdicts in today’s format ("engine": "remote") read in the one engine vocabulary, and cost the same', () => {
    const base = syntheticTrace(2);
    // Today's format: version 3, a remote critic's verdicts say engine "remote".
    const v3: Record<string, unknown> = JSON.parse(
      JSON.stringify({ ...base, schemaVersion: 3 }).replaceAll('"critic":"remote-critic"', '"critic":"remote:gpt-4o-mini","engine":"remote","model":"gpt-4o-mini"'),
    );
    expect(JSON.stringify(v3)).toContain('"engine":"remote"');
    const t = parseTraceRecord(v3, 'stored');
    const verdicts = t.timeline.flatMap((e) => (e.type === 'step' ? e.step.proposals.flatMap((p) => (p.verdict ? [p.verdict] : [])) : []));
    expect(verdicts.length).toBeGreaterThan(0);
    expect(new Set(verdicts.map((v) => `${v.engine} ${v.model}`))).toEqual(new Set(['openai-compatible gpt-4o-mini']));
    expect(t.schemaVersion).toBe(TRACE_SCHEMA_VERSION);
    const prices = { 'gpt-4o': { inputPerM: 2.5, outputPerM: 10 }, 'gpt-4o-mini': { inputPerM: 0.15, outputPerM: 0.6 } };
    expect(episodeCost(t, prices).unknownModels).toEqual([]);
    expect(episodeCost(t, {}).unknownModels).toEqual(['gpt-4o', 'gpt-4o-mini']);
    // Any other engine value is still refused, naming the field.
    expect(() => parseTraceRecord(JSON.parse(JSON.stringify(v3).replaceAll('"engine":"remote"', '"engine":"gpu-cloud"')), 'line 2')).toThrow(/^line 2: timeline\.\d+\.step\.proposals\.0\.verdict\.engine: /);
  });

  it('v4 → v5: a stored record reads as it was; the user\'s tool calls and the data source are new, and a bad one names its field', () => {
    const base = syntheticTrace(5);
    const v4: Record<string, unknown> = JSON.parse(JSON.stringify({ ...base, schemaVersion: 4 }));
    expect(parseTraceRecord(v4, 'stored')).toEqual(base);
    const phone = { type: 'user_tool', call: { id: 'person_0', name: 'toggle_roaming', arguments: {} }, observation: 'Data Roaming is now ON.', error: false, at: 5 } as const;
    const v5 = { ...base, meta: { ...base.meta, dataSource: 'upstream' }, timeline: [...base.timeline.slice(0, 1), phone, ...base.timeline.slice(1)] };
    expect(parseTraceRecord(JSON.parse(JSON.stringify(v5)), 'stored')).toEqual(v5);
    // Validated where it enters, naming the field.
    expect(() => parseTraceRecord({ ...v5, timeline: [{ ...phone, observation: 7 }] }, 'line 3')).toThrow(/^line 3: timeline\.0\.observation: /);
    expect(() => parseTraceRecord({ ...v5, meta: { ...v5.meta, dataSource: 'ftp' } }, 'line 3')).toThrow(/^line 3: meta\.dataSource: /);
  });
});
