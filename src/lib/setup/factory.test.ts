import type { MessagePort } from 'node:worker_threads';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { makeTinyModels } from '../../../scripts/make-tiny-model.ts';
import { ProviderServerDouble } from '../../../tests/doubles/provider-server-double.ts';
import { ModelStorageDouble, newScript, workerFactory } from '../../../tests/doubles/webllm-double.ts';
import type { ProviderConfig } from '../actor/provider.ts';
import type { Actor } from '../actor/actor-interface.ts';
import { WebLLMCritic } from '../critic/webllm-critic.ts';
import { RemoteCritic } from '../critic/remote.ts';
import type { Critic, CriticInput } from '../critic/critic-interface.ts';
import { WorkerCritic } from '../critic/worker-critic.ts';
import { TransformersWorkerEngine } from '../engines/transformers-worker.ts';
import { deleteReportText } from '../engines/engine-interface.ts';
import { WebLLMEngine } from '../engines/webllm.ts';
import { ValidationError } from '../errors.ts';
import { criticChoicesFrom } from './critic-choices.ts';
import { buildActor, buildCritic, providerConfigFor } from './factory.ts';
import { actorOnEngine, openOnDeviceActorEngine, openOnDeviceCritic, type OnDeviceDeps } from './on-device.ts';
import { runActorSpec, runCriticSpec, runUserSpec } from './run-specs.ts';
import { CriticSpecSchema, ModelSpecSchema, runsOnDevice } from './specs.ts';
import { transformersWorkerChannelDouble, type ModelStorageState } from '../../../tests/doubles/transformers-worker-channel.ts';

const server = new ProviderServerDouble();
const ports: MessagePort[] = [];
beforeAll(async () => {
  makeTinyModels();
  await server.start();
});
afterAll(() => server.stop());
afterEach(() => {
  for (const p of ports.splice(0)) p.close();
});

const base = (): ProviderConfig => ({ kind: 'openai-compatible', baseUrl: `${server.url}/v1`, model: 'unused', apiKey: 'sk-factory', temperature: 0, maxTokens: 64, stream: false });
const input: CriticInput = {
  policy: 'Verify the user before any change.',
  tools: [],
  history: [{ role: 'user', content: 'Cancel booking ABC123.' }],
  proposal: { kind: 'message', content: 'May I have your user id first?' },
  previousAttempts: [],
};
const signal = () => new AbortController().signal;
const unused = (): never => {
  throw new Error('this test opens no worker of this kind');
};
const loadedActor: Actor = { label: 'webllm:tiny', propose: () => Promise.reject(new Error('not called')) };
const loadedCritic: Critic = { label: 'transformers:tiny', judge: () => Promise.reject(new Error('not called')) };

const transformersWorker = (deletes: ModelStorageState): OnDeviceDeps['transformersWorker'] =>
  transformersWorkerChannelDouble(ports, deletes, { freed: 3 * 2 ** 20, files: 3 });

describe('specs', () => {
  it('say a model runs on the device from its engine, not from a stored flag', () => {
    expect(runsOnDevice(ModelSpecSchema.parse({ engine: 'local', model: 'webllm:Qwen' }))).toBe(true);
    // A stored spec whose flag contradicts its engine is still priced as the remote model it is.
    expect(runsOnDevice(ModelSpecSchema.parse({ engine: 'openai-compatible', model: 'gpt-4o', local: true }))).toBe(false);
    expect(runsOnDevice(ModelSpecSchema.parse({ engine: 'anthropic', model: 'claude' }))).toBe(false);
  });

  it('parse every engine kind of the union', () => {
    const specs = [
      { engine: 'none' },
      { engine: 'openai-compatible', model: 'gpt-4o-mini', baseUrl: 'https://api.example/v1', contextWindow: 4096 },
      { engine: 'anthropic', model: 'claude' },
      { engine: 'local', model: 'webllm:Qwen', local: true },
      { engine: 'webllm', model: 'Qwen2.5-0.5B-Instruct-q4f32_1-MLC', contextWindow: 4096, cacheBackend: 'indexeddb' },
      { engine: 'transformers', model: 'tiny-critic', device: 'wasm', dtype: 'fp32' },
      { engine: 'transformers', model: 'tiny-critic', device: 'webgpu' },
    ];
    expect(specs.map((s) => CriticSpecSchema.parse(s).engine)).toEqual(specs.map((s) => s.engine));
  });

  it('refuse invalid specs with a zod error that names the field', () => {
    const unknown = CriticSpecSchema.safeParse({ engine: 'gpt', model: 'x' });
    expect(unknown.success).toBe(false);
    expect(unknown.error?.issues[0]?.path).toEqual(['engine']);
    expect(unknown.error?.issues[0]?.message).toMatch(/openai-compatible.*anthropic.*local.*webllm.*transformers/);
    const noModel = ModelSpecSchema.safeParse({ engine: 'anthropic' });
    expect(noModel.error?.issues[0]?.path).toEqual(['model']);
    const badDevice = CriticSpecSchema.safeParse({ engine: 'transformers', model: 'm', device: 'tpu' });
    expect(badDevice.error?.issues[0]?.path).toEqual(['device']);
    const badWindow = CriticSpecSchema.safeParse({ engine: 'webllm', model: 'm', contextWindow: -1 });
    expect(badWindow.error?.issues[0]?.path).toEqual(['contextWindow']);
    // An on-device engine is not a run's model: runs name the loaded one ('local').
    expect(ModelSpecSchema.safeParse({ engine: 'webllm', model: 'm' }).success).toBe(false);
  });
});

describe('buildActor', () => {
  it('builds a remote actor that calls the spec’s endpoint and model with the settings’ key, through the SDK', async () => {
    server.script('actor-m', { kind: 'message', content: 'hello from the actor' });
    const actor = buildActor({ engine: 'openai-compatible', model: 'actor-m', baseUrl: `${server.url}/v1` }, { base: { ...base(), baseUrl: 'http://127.0.0.1:9/v1' } }, { temperature: 0.5 });
    expect(actor.label).toBe('actor-m');
    const reply = await actor.propose({ system: 's', messages: [{ role: 'user', content: 'hi' }], tools: [] }, signal());
    expect(reply.action).toEqual({ kind: 'message', content: 'hello from the actor' });
    const req = server.requests.at(-1);
    expect(req?.path).toBe('/v1/chat/completions');
    expect(req?.body).toMatchObject({ model: 'actor-m', temperature: 0.5 });
  });

  it('builds an Anthropic actor over the messages API', async () => {
    server.script('claude-m', { kind: 'message', content: 'hi from claude' });
    const actor = buildActor({ engine: 'anthropic', model: 'claude-m', baseUrl: server.url }, { base: base() });
    const reply = await actor.propose({ system: 's', messages: [{ role: 'user', content: 'hi' }], tools: [] }, signal());
    expect(reply.action).toEqual({ kind: 'message', content: 'hi from claude' });
    expect(server.requests.at(-1)?.path).toBe('/v1/messages');
  });

  it('gives the loaded in-browser actor for a local spec, and says what to do when none is loaded', () => {
    expect(buildActor({ engine: 'local', model: 'webllm:tiny' }, { base: base(), loaded: loadedActor })).toBe(loadedActor);
    expect(() => buildActor({ engine: 'local', model: 'webllm:tiny' }, { base: base(), notLoaded: 'Load the actor first.' })).toThrow('Load the actor first.');
    expect(() => buildActor({ engine: 'local', model: 'webllm:tiny' }, { base: base() })).toThrow(/no in-browser actor is loaded/);
  });
});

describe('buildCritic', () => {
  it('builds the loaded one for local, and a remote critic that records engine and model on its verdicts', async () => {
    expect(buildCritic({ engine: 'local', model: 'transformers:tiny' }, { base: base(), loaded: loadedCritic })).toBe(loadedCritic);
    expect(() => buildCritic({ engine: 'local', model: 'x' }, { base: base(), notLoaded: 'No critic: load one.' })).toThrow('No critic: load one.');
    server.script('critic-m', { kind: 'message', content: '{"decision": "approve"}' });
    const critic = buildCritic({ engine: 'openai-compatible', model: 'critic-m', contextWindow: 4096 }, { base: base() });
    expect(critic).toBeInstanceOf(RemoteCritic);
    expect(critic?.contextWindow).toBe(4096);
    const v = await critic?.judge(input, signal());
    expect(v).toMatchObject({ decision: 'approve', critic: 'remote:critic-m', engine: 'openai-compatible', model: 'critic-m' });
  });

  it('providerConfigFor takes API style, endpoint and model from the spec and refuses on-device specs', () => {
    expect(providerConfigFor({ engine: 'anthropic', model: 'c', baseUrl: 'https://b.example' }, base())).toMatchObject({ kind: 'anthropic', model: 'c', baseUrl: 'https://b.example', apiKey: 'sk-factory' });
    expect(() => providerConfigFor({ engine: 'local', model: 'x' }, base())).toThrow(ValidationError);
    expect(() => providerConfigFor({ engine: 'transformers', model: 'x' }, base())).toThrow(/not a remote API/);
  });
});

describe('on-device critics and actor', () => {
  it('opens a web-llm critic: one engine interface to load, judge, unload and delete, verdicts naming engine and model', async () => {
    const storage = new ModelStorageDouble();
    const { create, made } = workerFactory(newScript());
    const deps: OnDeviceDeps = { webllmWorker: create, transformersWorker: unused, webllmStorage: storage };
    const { engine, critic } = await openOnDeviceCritic({ engine: 'webllm', model: 'Qwen2.5-0.5B-Instruct-q4f32_1-MLC', contextWindow: 4096 }, deps);
    expect(engine).toBeInstanceOf(WebLLMEngine);
    expect(critic).toBeInstanceOf(WebLLMCritic);
    expect(engine.kind).toBe('webllm');
    expect((await engine.load(() => {})).contextWindow).toBe(4096);
    expect(engine.contextWindow).toBe(4096);
    expect(await critic.judge(input, signal())).toMatchObject({ decision: 'approve', engine: 'webllm', model: 'Qwen2.5-0.5B-Instruct-q4f32_1-MLC' });
    const report = await engine.deleteCache();
    expect(report).toEqual({ usageBefore: 900_000_000, usageAfter: 100_000_000, freedBytes: 800_000_000 });
    expect(deleteReportText(report)).toBe('762.9 MB freed');
    expect(made[0]?.terminated).toBe(true);
  });

  it('opens a transformers.js critic in its worker with the same interface; delete reports in the same shape', async () => {
    const deletes = { usage: 10 * 2 ** 20, deleted: [] as string[] };
    const deps: OnDeviceDeps = { webllmWorker: unused, transformersWorker: transformersWorker(deletes) };
    const { engine, critic } = await openOnDeviceCritic({ engine: 'transformers', model: 'tiny-critic-kv', dtype: 'fp32', maxNewTokens: 16 }, deps);
    expect(engine).toBeInstanceOf(TransformersWorkerEngine);
    expect(critic).toBeInstanceOf(WorkerCritic);
    expect(engine.kind).toBe('transformers');
    const info = await engine.load(() => {});
    expect(info).toMatchObject({ engine: 'transformers', model: 'tiny-critic-kv', device: 'cpu' });
    const v = await critic.judge(input, signal());
    expect(v).toMatchObject({ engine: 'transformers', model: 'tiny-critic-kv', critic: 'transformers:tiny-critic-kv' });
    const report = await engine.deleteCache();
    expect(report).toEqual({ usageBefore: 10 * 2 ** 20, usageAfter: 7 * 2 ** 20, freedBytes: 3 * 2 ** 20, deletedEntries: 3 });
    expect(deleteReportText(report)).toBe('3 file(s) deleted, 3.0 MB freed');
    expect(deletes.deleted).toEqual(['tiny-critic-kv']);
    // The worker went with the model: the critic no longer answers.
    await expect(critic.judge(input, signal())).rejects.toMatchObject({ code: 'worker-died' });
  });

  it('opens the in-browser actor on a web-llm engine', async () => {
    const engine = await openOnDeviceActorEngine('Qwen2.5-0.5B-Instruct-q4f32_1-MLC', { webllmWorker: workerFactory(newScript()).create, webllmStorage: new ModelStorageDouble() });
    await expect(actorOnEngine(engine)).rejects.toMatchObject({ code: 'load-failed' });
    await engine.load(() => {});
    expect((await actorOnEngine(engine)).label).toBe('webllm:Qwen2.5-0.5B-Instruct-q4f32_1-MLC');
  });
});

describe('run specs from the person’s choices', () => {
  const actor = { kind: 'openai-compatible' as const, model: 'gpt-4o', baseUrl: 'https://api.example/v1' };
  const critic = { kind: 'anthropic' as const, model: 'claude-haiku', baseUrl: 'https://anthropic.example' };

  it('the agent: the provider model, or the loaded in-browser actor (which must be loaded)', () => {
    expect(runActorSpec({ actorEngine: 'openai-compatible', actor }, undefined)).toEqual({ engine: 'openai-compatible', model: 'gpt-4o', baseUrl: 'https://api.example/v1' });
    expect(runActorSpec({ actorEngine: 'local', actor }, loadedActor)).toEqual({ engine: 'local', model: 'webllm:tiny' });
    expect(() => runActorSpec({ actorEngine: 'local', actor }, undefined)).toThrow(/in-browser actor is not loaded/);
  });

  it('the simulated user: the local actor plays it; a remote one takes the named model, gpt-4o for UserBench', () => {
    const local = runActorSpec({ actorEngine: 'local', actor }, loadedActor);
    expect(runUserSpec(local, 'other', false)).toBe(local);
    const remote = runActorSpec({ actorEngine: 'openai-compatible', actor }, undefined);
    expect(runUserSpec(remote, '', false).model).toBe('gpt-4o');
    expect(runUserSpec({ ...remote, model: 'm' }, '', true).model).toBe('gpt-4o');
    expect(runUserSpec(remote, 'mini', true)).toMatchObject({ engine: 'openai-compatible', model: 'mini' });
  });

  it('a configuration’s critic: none when off, the endpoint with the row’s model, or the loaded critic with its window', () => {
    expect(runCriticSpec({ mode: 'off', onDevice: false, model: '' }, critic, undefined)).toBeUndefined();
    expect(runCriticSpec({ mode: 'intervene', onDevice: false, model: '' }, critic, undefined)).toEqual({ engine: 'anthropic', model: 'claude-haiku', baseUrl: 'https://anthropic.example' });
    expect(runCriticSpec({ mode: 'monitor', onDevice: false, model: 'row-m' }, critic, undefined)?.model).toBe('row-m');
    expect(runCriticSpec({ mode: 'intervene', onDevice: true, model: '' }, critic, undefined)).toBeUndefined();
    expect(runCriticSpec({ mode: 'intervene', onDevice: true, model: '' }, critic, { label: 'webllm:q', contextWindow: 4096 })).toEqual({ engine: 'local', model: 'webllm:q', contextWindow: 4096 });
  });
});

describe('critic choices (Data tab: teacher labels and critic evaluation)', () => {
  it('offers the critic endpoint and the actor model when callable, and the loaded critic when there is one', async () => {
    const withKey = base();
    const noKey = { ...base(), apiKey: '', baseUrl: 'https://api.example/v1', model: 'big' };
    const choices = criticChoicesFrom({ critic: withKey, actor: noKey }, undefined);
    expect(choices.map((c) => [c.id, c.make !== undefined])).toEqual([
      ['critic-api', true],
      ['actor-api', false],
      ['local', false],
    ]);
    // A local server needs no key.
    expect(criticChoicesFrom({ critic: withKey, actor: { ...noKey, baseUrl: 'http://localhost:8000/v1' } }, loadedCritic)[1]?.make).toBeDefined();
    expect(criticChoicesFrom({ critic: withKey, actor: noKey }, loadedCritic)[2]?.make?.()).toBe(loadedCritic);
    server.script('unused', { kind: 'message', content: '{"decision": "revise", "feedback": "Verify first."}' });
    const made = choices[0]?.make?.();
    expect(made).toBeInstanceOf(RemoteCritic);
    expect(await made?.judge(input, signal())).toMatchObject({ decision: 'revise', engine: 'openai-compatible', model: 'unused' });
  });
});
