import { describe, expect, it } from 'vitest';
import { ValidationError } from '../errors.ts';
import { parseRunSpec, parseTaskRange, planSlots, runEnvironment, runEnvironmentName } from './plan.ts';
import { episodeEnvironment } from '../envs/bench-environment.ts';

const base = {
  id: 'r',
  environment: { family: 'tau-bench', domain: 'airline' },
  taskIndices: [3, 5],
  trials: 2,
  concurrency: 2,
  actor: { engine: 'openai-compatible', model: 'gpt-4o' },
  user: { engine: 'openai-compatible', model: 'gpt-4o' },
  configurations: [
    { label: 'A', mode: 'off' },
    { label: 'B', mode: 'monitor', critic: { engine: 'openai-compatible', model: 'c', baseUrl: 'http://127.0.0.1:1' } },
  ],
};

describe('parseRunSpec', () => {
  it("applies tau-bench's agent defaults", () => {
    const s = parseRunSpec(base);
    expect(s.maxSteps).toBe(30);
    expect(s.temperature).toBe(0);
    expect(s.split).toBe('test');
    expect(s.configurations[0]).toMatchObject({ maxRevisions: 2, failureRule: 'fail-open' });
  });
  it('rejects duplicate labels, a supervised configuration without critic, and repeated tasks', () => {
    expect(() => parseRunSpec({ ...base, configurations: [base.configurations[0], base.configurations[0]] })).toThrow(/duplicate label/);
    expect(() => parseRunSpec({ ...base, configurations: [{ label: 'X', mode: 'intervene' }] })).toThrow(/needs a critic/);
    expect(() => parseRunSpec({ ...base, taskIndices: [1, 1] })).toThrow(/twice/);
    expect(() => parseRunSpec({ ...base, trials: 0 })).toThrow(ValidationError);
    expect(() => parseRunSpec({ ...base, environment: { family: 'tau-bench', domain: 'bank' } })).toThrow(/domain/);
    // A family's option given to another family is refused, naming it.
    expect(() => parseRunSpec({ ...base, environment: { family: 'tau-bench', domain: 'retail', oneChoice: true } })).toThrow(/environment.*oneChoice/);
    expect(() => parseRunSpec({ ...base, environment: { family: 'policy-chat' } })).toThrow(/run spec environment/);
  });
});

describe('planSlots', () => {
  it('plans tasks x trials x configurations, trial-major, with stable unique ids', () => {
    const slots = planSlots(parseRunSpec(base));
    expect(slots).toHaveLength(8);
    expect(slots.map((s) => [s.trial, s.taskIndex, s.configLabel])).toEqual([
      [0, 3, 'A'],
      [0, 3, 'B'],
      [0, 5, 'A'],
      [0, 5, 'B'],
      [1, 3, 'A'],
      [1, 3, 'B'],
      [1, 5, 'A'],
      [1, 5, 'B'],
    ]);
    expect(new Set(slots.map((s) => s.key)).size).toBe(8);
    expect(slots[0]?.episodeId).toBe('r/c0-t3-r0');
    expect(planSlots(parseRunSpec(base))).toEqual(slots);
  });
});

describe('parseTaskRange', () => {
  it('parses ranges and lists', () => {
    expect(parseTaskRange('0-4')).toEqual([0, 1, 2, 3, 4]);
    expect(parseTaskRange('7')).toEqual([7]);
    expect(parseTaskRange(' 3, 0-1 ,3,10-11')).toEqual([0, 1, 3, 10, 11]);
  });
  it('rejects bad input with a message naming it', () => {
    expect(() => parseTaskRange('a-b')).toThrow(/"a-b"/);
    expect(() => parseTaskRange('5-2')).toThrow(/backwards/);
    expect(() => parseTaskRange('')).toThrow(/no task/);
    expect(() => parseTaskRange('0-50', 50)).toThrow(/task 50 does not exist/);
  });
});

describe('episodeEnvironment', () => {
  it("records the run's environment as fields, and names it as UserBench's result files key it", () => {
    expect(episodeEnvironment({ family: 'tau-bench', domain: 'airline' })).toEqual({ family: 'tau-bench', domain: 'airline' });
    expect(episodeEnvironment({ family: 'userbench', domain: 'travel33' })).toEqual({ family: 'userbench', domain: 'travel33' });
    expect(episodeEnvironment({ family: 'userbench', domain: 'travel22', oneChoice: true, tasksFile: 't.json', scenarioFiles: ['s.json'] })).toEqual({ family: 'userbench', domain: 'travel22', oneChoice: true });
    expect(runEnvironment({ environment: { family: 'userbench', domain: 'travel33', scenarioFiles: ['s.json'] } })).toEqual({ family: 'userbench', domain: 'travel33' });
    expect(runEnvironmentName({ environment: { family: 'tau-bench', domain: 'retail' } })).toBe('tau-bench/retail');
    expect(runEnvironmentName({ environment: { family: 'userbench', domain: 'travel44', oneChoice: true } })).toBe('userbench/travel44-onechoice');
  });
});
