import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { ValidationError } from '../../errors.ts';
import { deepCopy, isDict, parseJson, type PyDict, type PyValue } from '../tau-bench/py.ts';
import { defaultUserBenchDir } from './pack-node.ts';
import { DATA_SUFFIXES } from './pack.ts';
import { loadTasks, taskFromProcessed } from './task.ts';

// Recorded by tests/fixtures/userbench/make_python_fixtures.py: upstream load_tasks on data files built from the samples.
const Fixture = z.object({
  loadOrder: z.object({
    samples: z.record(z.string(), z.string()),
    layouts: z.record(z.string(), z.record(z.string(), z.array(z.tuple([z.string(), z.string()])))),
    runs: z.array(
      z.object({
        layout: z.string(),
        variant: z.enum(['fresh', 'second-load', 'seed7']),
        order: z.array(z.tuple([z.string(), z.record(z.string(), z.array(z.string()))])),
      }),
    ),
  }),
});
const fx = Fixture.parse(JSON.parse(readFileSync(resolve(import.meta.dirname, '../../../../tests/fixtures/userbench/python.json'), 'utf8'))).loadOrder;
const dir = defaultUserBenchDir();
const sampleText = (file: string): string => readFileSync(resolve(dir, 'scenarios', file), 'utf8');

function rawSample(key: string): PyDict {
  const file = fx.samples[key];
  if (!file) throw new Error(`no sample ${key}`);
  const raw = parseJson(sampleText(file));
  if (!isDict(raw)) throw new Error('sample is not an object');
  return raw;
}

/** The eight data files of a layout, as make_python_fixtures.py wrote them: {sample id + suffix: raw entry}. */
function dataFiles(layout: string): { file: string; raw: PyValue }[] {
  const spec = fx.layouts[layout] ?? {};
  return DATA_SUFFIXES.map((s) => {
    const content: PyDict = new Map();
    for (const [key, suffix] of spec[s] ?? []) {
      const sample = rawSample(key);
      content.set(`${String(sample.get('id'))}${suffix}`, deepCopy(sample.get('preferences') ?? null));
    }
    return { file: `travelgym/data/travelgym_data_${s}.json`, raw: content };
  });
}

describe('load_tasks option order (numpy legacy shuffles over all eight files)', () => {
  it.each(fx.runs.map((r) => [r.layout, r.variant, r] as const))('%s layout, %s', (layout, variant, run) => {
    const opts = variant === 'second-load' ? { priorLoads: 1 } : variant === 'seed7' ? { numpySeed: 7 } : {};
    const tasks = loadTasks(dataFiles(layout), opts);
    const got = tasks.map((t) => [t.id, Object.fromEntries(t.dimensions.map((d) => [d, (t.allOptions.get(d) ?? []).map((o) => (isDict(o) ? o.get('id') : null))]))]);
    expect(got).toEqual(run.order);
  });

  it('the stress layout has more tasks than files and a key repeated across files', () => {
    const stress = fx.runs.find((r) => r.layout === 'stress');
    expect(stress?.order.length).toBeGreaterThan(8);
  });

  it('drops type and reason from every option, as load_tasks pops them', () => {
    const files = dataFiles('readme');
    const first = files[0]?.raw;
    const entry = first && isDict(first) ? [...first.values()][0] : undefined;
    const flight = entry && isDict(entry) ? entry.get('flight') : undefined;
    const options = flight && isDict(flight) ? flight.get('options') : undefined;
    const correct = options && isDict(options) ? options.get('correct') : undefined;
    if (!Array.isArray(correct) || !isDict(correct[0] ?? null)) throw new Error('sample shape changed');
    (correct[0] as PyDict).set('type', 'correct').set('reason', 'why');
    const [task] = loadTasks(files);
    for (const list of task?.allOptions.values() ?? []) for (const o of list) expect(isDict(o) && (o.has('type') || o.has('reason'))).toBe(false);
  });
});

describe('processed scenario files', () => {
  it.each(Object.values(fx.samples))('%s keeps all_options in its written order', (file) => {
    const raw = parseJson(sampleText(file));
    const task = taskFromProcessed(file, raw);
    const written = JSON.parse(sampleText(file)) as { all_options: Record<string, { id: string }[]>; dimensions: string[] };
    for (const d of task.dimensions) {
      expect((task.allOptions.get(d) ?? []).map((o) => (isDict(o) ? o.get('id') : null))).toEqual(written.all_options[d]?.map((o) => o.id));
      expect(task.allOptions.get(d)?.length).toBe(18);
    }
    expect(task.preferences.map((p) => p.id)).toEqual(task.preferences.map((_, i) => `P${i + 1}`));
    expect(task.bestIds.length).toBe(task.dimensions.length);
  });

  it('numbers preferences across dimensions in dimension order', () => {
    const task = taskFromProcessed('272', parseJson(sampleText('testtask272_flight_apartment.json')));
    expect(task.dimensions).toEqual(['apartment', 'flight']);
    expect(task.preferences.map((p) => `${p.id}:${p.dimension}`)).toEqual(['P1:apartment', 'P2:apartment', 'P3:flight', 'P4:flight']);
    expect(task.bestIds).toEqual(['A17', 'F2']);
    expect(task.correctIds).toEqual(['A17', 'A3', 'A16', 'F19', 'F2', 'F4']);
  });
});

describe('bad scenario data names the file and the field', () => {
  it('an upstream entry without a scenario', () => {
    const entry = deepCopy(rawSample('272').get('preferences') ?? null);
    if (isDict(entry)) entry.delete('scenario');
    const files = [{ file: 'travelgym/data/travelgym_data_22.json', raw: new Map([['k|1', entry]]) }];
    expect(() => loadTasks(files)).toThrow(ValidationError);
    expect(() => loadTasks(files)).toThrow(/travelgym_data_22\.json: \["k\|1"\]\.scenario/);
  });

  it('an option without an id', () => {
    const entry = deepCopy(rawSample('272').get('preferences') ?? null);
    const flight = isDict(entry) ? entry.get('flight') : undefined;
    const options = flight && isDict(flight) ? flight.get('options') : undefined;
    const wrong = options && isDict(options) ? options.get('wrong') : undefined;
    if (Array.isArray(wrong) && isDict(wrong[2] ?? null)) (wrong[2] as PyDict).delete('id');
    const files = [{ file: 'd.json', raw: new Map([['k', entry]]) }];
    expect(() => loadTasks(files)).toThrow(/d\.json: k\.flight\.options\.wrong\[2\]\.id/);
  });

  it('a processed file whose all_options is not an object', () => {
    const raw = parseJson(sampleText('testtask272_flight_apartment.json'));
    if (isDict(raw)) raw.set('all_options', []);
    expect(() => taskFromProcessed('s.json', raw)).toThrow(/s\.json: all_options/);
  });
});
