import { describe, expect, it } from 'vitest';
import type { ProviderConfig } from '../actor/provider.ts';
import { ValidationError } from '../errors.ts';
import type { CriticInput } from '../critic/critic-interface.ts';
import type { Verdict } from '../contracts.ts';
import { SerialCritic } from './models.ts';
import { providerConfigFor } from '../setup/factory.ts';
import { tauBenchFactories, type TauKit } from './tau-factories.ts';
import { CounterEnvDouble, FirstProposalCriticDouble, OneTurnUserDouble, UserActorDouble } from '../../../tests/doubles/runner-doubles.ts';
import { retailRunSpec } from '../../../tests/fixtures/run-specs.ts';

const RETAIL = { family: 'tau-bench', domain: 'retail' } as const;
const AIRLINE = { family: 'tau-bench', domain: 'airline' } as const;
const base: ProviderConfig = { kind: 'openai-compatible', baseUrl: 'https://a.example/v1', model: 'm', apiKey: 'k', temperature: 0, maxTokens: 100, stream: true };

function kitDouble(failFirst = false) {
  let loads = 0;
  const kit: TauKit<{ n: number }> = {
    loadPack: async () => {
      loads++;
      if (failFirst && loads === 1) throw new Error('retail/tools.json: missing');
      return { n: loads };
    },
    createEnv: (pack, _d, taskIndex) => new CounterEnvDouble(taskIndex + pack.n * 100, false),
    createUser: (_pack, _d, _t, _s, actor) => new OneTurnUserDouble(actor),
    checkTask: (_pack, _d, taskIndex) => {
      if (taskIndex > 5) throw new Error(`retail/tasks_test.json: no task ${taskIndex} (there are 6)`);
    },
  };
  return { kit, loads: () => loads };
}

const models = { providerFor: () => base };

describe('tauBenchFactories', () => {
  it('loads the pack once per domain and builds a fresh env per episode', async () => {
    const { kit, loads } = kitDouble();
    const f = tauBenchFactories(kit, models);
    const [a, b] = await Promise.all([f.createEnv(RETAIL, 1, 'test'), f.createEnv(RETAIL, 2, 'test')]);
    expect(a).not.toBe(b);
    expect(a.id).toBe('double/101');
    await f.createUser({ environment: RETAIL, taskIndex: 1, split: 'test', env: a, actor: new UserActorDouble() });
    expect(loads()).toBe(1);
    await f.createEnv(AIRLINE, 0, 'test');
    expect(loads()).toBe(2);
  });

  it('checks every task of the run before it starts', async () => {
    const { kit, loads } = kitDouble();
    const f = tauBenchFactories(kit, models);
    const spec = retailRunSpec({ id: 'r', taskIndices: [0, 9] });
    await expect(f.prepare?.(spec)).rejects.toThrow('no task 9 (there are 6)');
    await expect(f.prepare?.({ ...spec, taskIndices: [0, 5] })).resolves.toBeUndefined();
    expect(loads()).toBe(1);
  });

  it('retries a pack load that failed', async () => {
    const { kit, loads } = kitDouble(true);
    const f = tauBenchFactories(kit, models);
    await expect(f.createEnv(RETAIL, 0, 'test')).rejects.toThrow('tools.json');
    await expect(f.createEnv(RETAIL, 0, 'test')).resolves.toBeDefined();
    expect(loads()).toBe(2);
  });

  it('uses the loaded in-browser critic for local specs and says when none is loaded', async () => {
    const local = new FirstProposalCriticDouble();
    const critic = await tauBenchFactories(kitDouble().kit, { ...models, localCritic: local }).buildCritic({ engine: 'local', model: 'x', local: true });
    expect(critic.label).toBe(local.label);
    const input = { policy: '', tools: [], history: [], proposal: { kind: 'message' as const, content: 'hi' }, previousAttempts: [] };
    await critic.judge(input, new AbortController().signal);
    expect(local.calls).toBe(1);
    expect(() => tauBenchFactories(kitDouble().kit, models).buildCritic({ engine: 'local', model: 'x' })).toThrow(/no in-browser critic/);
  });
});

describe('SerialCritic', () => {
  it('runs one judgement at a time, in order, and survives a failed one', async () => {
    const log: string[] = [];
    let active = 0;
    const inner = {
      label: 'slow',
      judge: async (input: CriticInput): Promise<Verdict> => {
        active++;
        expect(active).toBe(1);
        const what = input.proposal.kind === 'message' ? input.proposal.content : '';
        log.push(`start ${what}`);
        await new Promise((r) => setTimeout(r, 5));
        log.push(`end ${what}`);
        active--;
        if (what === 'b') throw new Error('engine hiccup');
        return { decision: 'approve', latencyMs: 5, critic: 'slow' };
      },
    };
    // Two wrappers of one engine (two episodes) still take turns.
    const c = new SerialCritic(inner);
    const c2 = new SerialCritic(inner);
    const mk = (content: string): CriticInput => ({ policy: '', tools: [], history: [], proposal: { kind: 'message', content }, previousAttempts: [] });
    const s = new AbortController().signal;
    const results = await Promise.allSettled([c.judge(mk('a'), s), c2.judge(mk('b'), s), c.judge(mk('c'), s)]);
    expect(results.map((r) => r.status)).toEqual(['fulfilled', 'rejected', 'fulfilled']);
    expect(log).toEqual(['start a', 'end a', 'start b', 'end b', 'start c', 'end c']);
  });
});

describe('local actor', () => {
  it('serves agent and user specs with engine local from the loaded in-browser actor, one call at a time', async () => {
    let active = 0;
    let maxActive = 0;
    const local = {
      label: 'webllm:x',
      propose: async () => {
        maxActive = Math.max(maxActive, ++active);
        await new Promise((r) => setTimeout(r, 5));
        active--;
        return { action: { kind: 'message' as const, content: 'ok' }, latencyMs: 5 };
      },
    };
    const f = tauBenchFactories(kitDouble().kit, { ...models, localActor: local });
    const agent = await f.buildActor({ engine: 'local', model: 'x' }, 'agent', 0);
    const user = await f.buildActor({ engine: 'local', model: 'x' }, 'user', undefined);
    const req = { system: '', messages: [], tools: [] };
    const s = new AbortController().signal;
    await Promise.all([agent.propose(req, s), user.propose(req, s), agent.propose(req, s)]);
    expect(maxActive).toBe(1);
    expect(() => tauBenchFactories(kitDouble().kit, models).buildActor({ engine: 'local', model: 'x' }, 'agent', 0)).toThrow(/no in-browser actor/);
  });
});

describe('providerConfigFor', () => {
  it('takes API style, endpoint and model from the spec, the key from the settings', () => {
    const c = providerConfigFor({ engine: 'anthropic', model: 'claude', baseUrl: 'https://b.example' }, base);
    expect(c).toMatchObject({ kind: 'anthropic', model: 'claude', baseUrl: 'https://b.example', apiKey: 'k' });
    expect(providerConfigFor({ engine: 'openai-compatible', model: 'x' }, base).baseUrl).toBe('https://a.example/v1');
    expect(() => providerConfigFor({ engine: 'webllm', model: 'x' }, base)).toThrow(ValidationError);
  });
});
