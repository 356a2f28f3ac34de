/**
 * web-llm cannot download or run a model here (no network, no real GPU). Its
 * own worker handler and client run for real over a MessageChannel; only the
 * MLC engine behind the worker boundary is a double (MLCEngineDouble).
 */
import { describe, expect, it } from 'vitest';
import type { ChatMessage } from '../contracts.ts';
import { EngineCritic } from '../critic/engine-critic.ts';
import { WebLLMCritic } from '../critic/webllm-critic.ts';
import { renderMessage, buildCriticPrompt } from '../critic/prompt.ts';
import type { CriticInput } from '../critic/critic-interface.ts';
import { VERDICT_JSON_SCHEMA } from '../critic/verdict.ts';
import type { EngineProgress } from './engine-interface.ts';
import { WebLLMEngine } from './webllm.ts';
import { ModelStorageDouble, newScript, workerFactory } from '../../../tests/doubles/webllm-double.ts';

const MODEL = 'Qwen2.5-0.5B-Instruct-q4f32_1-MLC';
const bytes = (t: string) => new TextEncoder().encode(t).length;
const chatmlTokens = (messages: ReadonlyArray<{ role: string; content?: unknown }>) =>
  messages.reduce((n, m) => n + bytes(`<|im_start|>${m.role}\n${typeof m.content === 'string' ? m.content : ''}<|im_end|>\n`), 0) + bytes('<|im_start|>assistant\n');
const input: CriticInput = { policy: 'p', tools: [], history: [{ role: 'user', content: 'hi' }], proposal: { kind: 'message', content: 'hello' }, previousAttempts: [] };

describe('WebLLMEngine through web-llm’s worker protocol (MLC engine doubled)', () => {
  it('loads with progress and the cache backend, and judges with the verdict schema as XGrammar json_object', async () => {
    const script = newScript();
    const { create } = workerFactory(script);
    const engine = new WebLLMEngine({ model: MODEL, cacheBackend: 'indexeddb', createWorker: create, storage: new ModelStorageDouble() });
    const progress: EngineProgress[] = [];
    const info = await engine.load((p) => progress.push(p));
    expect(info).toMatchObject({ engine: 'webllm', model: MODEL, device: 'webgpu' });
    expect(progress.map((p) => p.fraction)).toEqual([0, 0.5, 1, 1]);
    expect(progress[1]?.text).toContain('Fetching param cache');
    expect(script.appConfigs[0]?.cacheBackend).toBe('indexeddb');
    // As WebLLMCritic builds it: web-llm constrains decoding with the verdict's schema.
    const critic = new EngineCritic(engine, 256, JSON.stringify(VERDICT_JSON_SCHEMA));
    const v = await critic.judge(input, new AbortController().signal);
    const req = script.requests[0];
    // The double counts one token per byte of the ChatML rendering, as web-llm counts with the model's tokenizer.
    expect(v).toMatchObject({ decision: 'approve', critic: `webllm:${MODEL}`, usage: { promptTokens: chatmlTokens(req?.messages ?? []), completionTokens: 23 } });
    expect(req?.response_format).toEqual({ type: 'json_object', schema: JSON.stringify(VERDICT_JSON_SCHEMA) });
    expect(req?.temperature).toBe(0);
    expect(req?.messages[0]?.role).toBe('system');
  });

  it('recovers from a failed download by clearing the model’s cache entries and retrying once', async () => {
    const script = newScript({ reloads: ['fetch-fails', 'ok'] });
    const { create, made } = workerFactory(script);
    const storage = new ModelStorageDouble();
    const engine = new WebLLMEngine({ model: MODEL, createWorker: create, storage });
    const texts: string[] = [];
    const info = await engine.load((p) => texts.push(p.text));
    expect(storage.deleted).toEqual([MODEL]);
    expect(texts.some((t) => /clearing cached files and retrying/.test(t))).toBe(true);
    expect(info.attempts).toHaveLength(2);
    expect(made[0]?.terminated).toBe(true);
    expect(made).toHaveLength(2);
  });

  it('gives up after a second failed download with load-failed', async () => {
    const { create } = workerFactory(newScript({ reloads: ['fetch-fails', 'fetch-fails'] }));
    const engine = new WebLLMEngine({ model: MODEL, createWorker: create, storage: new ModelStorageDouble() });
    await expect(engine.load(() => {})).rejects.toMatchObject({ code: 'load-failed' });
  });

  it('reports no WebGPU without retrying, and shader-f16 as a permanent load failure', async () => {
    const storage = new ModelStorageDouble();
    const a = workerFactory(newScript({ reloads: ['no-webgpu'] }));
    await expect(new WebLLMEngine({ model: MODEL, createWorker: a.create, storage }).load(() => {})).rejects.toMatchObject({ code: 'no-webgpu' });
    expect(a.made).toHaveLength(1);
    const b = workerFactory(newScript({ reloads: ['shader-f16'] }));
    await expect(new WebLLMEngine({ model: MODEL, createWorker: b.create, storage }).load(() => {})).rejects.toMatchObject({ code: 'load-failed' });
    expect(b.made).toHaveLength(1);
    expect(storage.deleted).toEqual([]);
  });

  it('turns out-of-memory and device loss during generation into oom / device-lost', async () => {
    for (const [completion, code] of [['oom', 'oom'], ['device-lost', 'device-lost']] as const) {
      const { create } = workerFactory(newScript({ completion }));
      const engine = new WebLLMEngine({ model: MODEL, createWorker: create, storage: new ModelStorageDouble() });
      await engine.load(() => {});
      await expect(engine.generate({ system: 's', user: 'u' }, new AbortController().signal)).rejects.toMatchObject({ name: 'EngineError', code });
    }
  });

  it('interrupts generation on abort, and rejects with worker-died when the worker crashes', async () => {
    const script = newScript({ completion: 'hang' });
    const { create, made } = workerFactory(script);
    const engine = new WebLLMEngine({ model: MODEL, createWorker: create, storage: new ModelStorageDouble() });
    await engine.load(() => {});
    const ctrl = new AbortController();
    const p = engine.generate({ system: 's', user: 'u' }, ctrl.signal);
    setTimeout(() => ctrl.abort(), 10);
    await expect(p).rejects.toMatchObject({ code: 'aborted' });
    expect(script.interrupted).toBe(1);
    const q = engine.generate({ system: 's', user: 'u' }, new AbortController().signal);
    setTimeout(() => made[0]?.crash(), 10);
    await expect(q).rejects.toMatchObject({ code: 'worker-died' });
  });

  it('deletes the cached model and reports the storage freed', async () => {
    const { create, made } = workerFactory(newScript());
    const storage = new ModelStorageDouble();
    const engine = new WebLLMEngine({ model: MODEL, createWorker: create, storage });
    await engine.load(() => {});
    expect(await engine.isCached()).toBe(true);
    expect(await engine.deleteCache()).toEqual({ usageBefore: 900_000_000, usageAfter: 100_000_000, freedBytes: 800_000_000 });
    expect(await engine.isCached()).toBe(false);
    expect(made[0]?.terminated).toBe(true);
  });

  it('registers a custom model (weights URL + model library URL) in the app config', () => {
    const engine = new WebLLMEngine({
      model: 'my-critic-q4f32_1-MLC',
      custom: { modelUrl: 'https://models.example/my-critic/', modelLibUrl: 'https://models.example/qwen2-q4f32_1.wasm', vramMB: 1200 },
      createWorker: () => workerFactory(newScript()).create(),
    });
    const rec = engine.appConfig.model_list.find((m) => m.model_id === 'my-critic-q4f32_1-MLC');
    expect(rec).toEqual({ model: 'https://models.example/my-critic/', model_id: 'my-critic-q4f32_1-MLC', model_lib: 'https://models.example/qwen2-q4f32_1.wasm', vram_required_MB: 1200 });
    expect(engine.appConfig.cacheBackend).toBe('cache');
  });

  describe('incremental prompt style (KV-cache reuse)', () => {
    const historyAt = (n: number): ChatMessage[] =>
      Array.from({ length: n }, (_, i): ChatMessage[] => [
        { role: 'user', content: `q${i}` },
        { role: 'assistant', content: `a${i}` },
      ]).flat();
    const at = (n: number): CriticInput => ({ policy: 'policy', tools: [], history: historyAt(n), proposal: { kind: 'message', content: `p${n}` }, previousAttempts: [] });

    it('over a 5-step episode each request is the previous request plus the verdict the model produced plus one user turn with exactly the new messages', async () => {
      const script = newScript();
      const engine = new WebLLMEngine({ model: MODEL, createWorker: workerFactory(script).create, storage: new ModelStorageDouble() });
      expect(engine.promptStyle).toBe('incremental');
      expect((await engine.load(() => {})).kvReuse).toBe(true);
      const critic = new WebLLMCritic(engine);
      const stats = [];
      for (let step = 1; step <= 5; step++) {
        script.content = `{"decision": "approve"}${' '.repeat(step)}`;
        const { verdict, stats: s } = await critic.judgeWithStats(at(step), new AbortController().signal);
        expect(verdict.decision).toBe('approve');
        stats.push(s);
      }
      const reqs = script.requests;
      expect(reqs).toHaveLength(5);
      expect(reqs[0]?.messages.map((m) => m.role)).toEqual(['system', 'user']);
      for (let i = 1; i < 5; i++) {
        const prev = reqs[i - 1]?.messages ?? [];
        const cur = reqs[i]?.messages ?? [];
        expect(cur.slice(0, -1)).toEqual([...prev, { role: 'assistant', content: `{"decision": "approve"}${' '.repeat(i)}` }]);
        const fresh = historyAt(i + 1).slice(historyAt(i).length).map(renderMessage).join('\n');
        expect(cur.at(-1)).toEqual({ role: 'user', content: `# Conversation since your previous verdict\n${fresh}\n\n# Proposed next action\nMessage to the user:\np${i + 1}\n\nYour verdict as JSON:` });
        expect(reqs[i]?.response_format).toEqual(reqs[0]?.response_format);
      }
      // web-llm's per-round counts: only the new user turn is prefilled; the cache holds every earlier prompt and reply.
      expect(stats[0]).toEqual({ prefillTokens: chatmlTokens(reqs[0]?.messages ?? []), reusedTokens: 0 });
      for (let i = 1; i < 5; i++) {
        expect(stats[i]?.prefillTokens).toBe(chatmlTokens((reqs[i]?.messages ?? []).slice(-1)));
        const reply = `{"decision": "approve"}${' '.repeat(i)}`;
        expect(stats[i]?.reusedTokens).toBe((stats[i - 1]?.reusedTokens ?? 0) + (stats[i - 1]?.prefillTokens ?? 0) + bytes(reply));
      }
      expect(critic.lastStats).toEqual(stats[4]);
    });

    it('starts a fresh chat for a new episode or an edited history, and after a failed request', async () => {
      const script = newScript();
      const engine = new WebLLMEngine({ model: MODEL, createWorker: workerFactory(script).create, storage: new ModelStorageDouble() });
      await engine.load(() => {});
      const critic = new WebLLMCritic(engine);
      const signal = new AbortController().signal;
      await critic.judge(at(3), signal);
      const edited = historyAt(4);
      edited[0] = { role: 'user', content: 'edited' };
      const v = await critic.judgeWithStats({ ...at(4), history: edited }, signal);
      expect(v.stats.reusedTokens).toBe(0);
      await critic.judge(at(1), signal);
      expect(script.requests.map((r) => r.messages.length)).toEqual([2, 2, 2]);
      expect(script.requests[2]?.messages[1]?.content).toContain('# Conversation so far\nUSER: q0\nAGENT: a0');
      script.completion = 'oom';
      await expect(critic.judge(at(2), signal)).rejects.toMatchObject({ code: 'oom' });
      script.completion = 'approve';
      await critic.judge(at(3), signal);
      expect(script.requests.at(-1)?.messages).toHaveLength(2);
    });

    it('parses verdicts as before: a revise verdict with feedback, and unparsed text', async () => {
      const script = newScript({ content: '{"decision": "revise", "category": "no-confirmation", "feedback": "Ask first."}' });
      const engine = new WebLLMEngine({ model: MODEL, createWorker: workerFactory(script).create, storage: new ModelStorageDouble() });
      await engine.load(() => {});
      const critic = new WebLLMCritic(engine);
      expect(await critic.judge(at(1), new AbortController().signal)).toMatchObject({ decision: 'revise', category: 'no-confirmation', feedback: 'Ask first.' });
      script.content = 'not json';
      expect((await critic.judge(at(2), new AbortController().signal)).decision).toBe('unparsed');
    });

    it('a custom (fine-tuned) model defaults to the single-turn buildCriticPrompt format, without KV reuse', async () => {
      const script = newScript();
      const engine = new WebLLMEngine({
        model: 'my-critic-q4f32_1-MLC',
        custom: { modelUrl: 'https://models.example/my-critic/', modelLibUrl: 'https://models.example/lib.wasm' },
        createWorker: workerFactory(script).create,
        storage: new ModelStorageDouble(),
      });
      expect(engine.promptStyle).toBe('single-turn');
      expect((await engine.load(() => {})).kvReuse).toBe(false);
      const critic = new WebLLMCritic(engine);
      await critic.judge(at(1), new AbortController().signal);
      await critic.judge(at(2), new AbortController().signal);
      const p = buildCriticPrompt(at(2));
      expect(script.requests[1]?.messages).toEqual([
        { role: 'system', content: p.system },
        { role: 'user', content: p.user },
      ]);
    });
  });

  describe('the context window', () => {
    const tauLikeHistory = (steps: number): ChatMessage[] =>
      Array.from({ length: steps }, (_, i): ChatMessage[] => [
        { role: 'user', content: `I would like to return item ${i} of my order, it arrived broken.` },
        { role: 'assistant', content: '', toolCalls: [{ id: `c${i}`, name: 'get_order_details', arguments: { order_id: `#W${i}` } }] },
        { role: 'tool', toolCallId: `c${i}`, name: 'get_order_details', content: JSON.stringify({ order_id: `#W${i}`, items: Array.from({ length: 8 }, (_, k) => ({ item_id: `${i}${k}`, price: 10 + k })) }) },
      ]).flat();
    const tauAt = (steps: number, policy = 'Verify the user first.'): CriticInput => ({ policy, tools: [], history: tauLikeHistory(steps), proposal: { kind: 'message', content: `Done ${steps}.` }, previousAttempts: [] });

    it('loads with a window sized for the work (the model allows 32k; 16k by default), or the smaller one chosen', async () => {
      const script = newScript();
      const engine = new WebLLMEngine({ model: MODEL, createWorker: workerFactory(script).create, storage: new ModelStorageDouble() });
      expect((await engine.load(() => {})).contextWindow).toBe(16384);
      const small = new WebLLMEngine({ model: MODEL, createWorker: workerFactory(script).create, storage: new ModelStorageDouble(), contextWindow: 2048 });
      expect((await small.load(() => {})).contextWindow).toBe(2048);
      const tooBig = new WebLLMEngine({ model: MODEL, createWorker: workerFactory(script).create, storage: new ModelStorageDouble(), contextWindow: 1 << 20 });
      await tooBig.load(() => {});
      expect(script.windows).toEqual([16384, 2048, 32768]);
    });

    it('counts tokens with the loaded model’s tokenizer, in the worker', async () => {
      const engine = new WebLLMEngine({ model: MODEL, createWorker: workerFactory(newScript()).create, storage: new ModelStorageDouble() });
      await engine.load(() => {});
      expect(await engine.countTokens(['héllo', ''])).toEqual([6, 0]);
    });

    it('follows a 40-step episode in a 4,096-token window to the end: the chat restarts shortened, web-llm never overflows', async () => {
      const script = newScript();
      const engine = new WebLLMEngine({ model: MODEL, createWorker: workerFactory(script).create, storage: new ModelStorageDouble(), contextWindow: 4096 });
      await engine.load(() => {});
      expect(chatmlTokens([{ role: 'user', content: buildCriticPrompt(tauAt(40)).user }])).toBeGreaterThan(4 * 4096);
      const critic = new WebLLMCritic(engine);
      let restarts = 0;
      for (let step = 1; step <= 40; step++) {
        const { verdict, stats } = await critic.judgeWithStats(tauAt(step), new AbortController().signal);
        expect(verdict.decision).toBe('approve');
        expect(stats.prefillTokens + stats.reusedTokens).toBeLessThanOrEqual(4096);
        if (step > 1 && stats.reusedTokens === 0) restarts++;
      }
      expect(restarts).toBeGreaterThan(0);
      expect(restarts).toBeLessThan(15);
      expect(script.requests.at(-1)?.messages[1]?.content).toMatch(/earlier messages left out|characters left out/);
    });

    it('turns a prompt that cannot fit into a context-overflow error: from the budget, and from web-llm’s own ContextWindowSizeExceededError', async () => {
      const script = newScript();
      const engine = new WebLLMEngine({ model: MODEL, createWorker: workerFactory(script).create, storage: new ModelStorageDouble(), contextWindow: 2048 });
      await engine.load(() => {});
      const critic = new WebLLMCritic(engine);
      await expect(critic.judge(tauAt(3, 'Never refund. '.repeat(200)), new AbortController().signal)).rejects.toMatchObject({ code: 'context-overflow' });
      expect(script.requests).toHaveLength(0);
      const e = await engine.generate({ system: 's', user: 'x'.repeat(3000) }, new AbortController().signal).catch((err: unknown) => err);
      expect(e).toMatchObject({ name: 'ContextOverflowError', code: 'context-overflow' });
      expect(String(Reflect.get(Object(e), 'message'))).toContain('Prompt tokens exceed context window size: number of prompt tokens: 30');
    });
  });
});
