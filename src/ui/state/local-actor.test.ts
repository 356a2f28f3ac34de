/**
 * The local actor's state, with web-llm's real worker client and handler over
 * a MessageChannel; only the MLC engine behind the worker boundary
 * (MLCEngineDouble) and browser storage (ModelStorageDouble) are doubles.
 */
import { prebuiltAppConfig } from '@mlc-ai/web-llm';
import { describe, expect, it } from 'vitest';
import type { Actor } from '../../lib/actor/actor-interface.ts';
import type { Capabilities } from '../../lib/engines/capabilities.ts';
import { ModelStorageDouble, newScript, workerFactory, type Script } from '../../../tests/doubles/webllm-double.ts';
import type { ToolSchema } from '../../lib/contracts.ts';
import { LocalActorState, NO_WEBGPU_HELP } from './local-actor.svelte.ts';

const MODEL = 'Qwen2.5-7B-Instruct-q4f32_1-MLC';
const gpu: Capabilities = { webgpu: true, shaderF16: false };
const tools: ToolSchema[] = [{ type: 'function', function: { name: 'get_user', parameters: { type: 'object', properties: { id: { type: 'string' } } } } }];

function setup(script: Script, caps: Capabilities = gpu) {
  const factory = workerFactory(script);
  const storage = new ModelStorageDouble();
  const seen: Array<Actor | undefined> = [];
  const state = new LocalActorState((a) => seen.push(a), {
    createWorker: factory.create,
    storage,
    probe: async () => caps,
    modelList: async () => prebuiltAppConfig.model_list,
  });
  return { state, seen, storage, made: factory.made };
}

describe('LocalActorState (web-llm behind a real worker protocol, MLC engine doubled)', () => {
  it('lists actor-sized models, loads with progress, and hands an actor that answers with tool calls', async () => {
    const script = newScript({ content: '{"action": "tool_call", "name": "get_user", "arguments": {"id": "u1"}}' });
    const { state, seen } = setup(script);
    await state.probe();
    const ids = state.modelOptions.map((o) => o.id);
    expect(ids).toContain(MODEL);
    expect(ids.every((id) => /f32/.test(id))).toBe(true);
    const loading = state.load(MODEL);
    expect(state.status).not.toBe('ready');
    await loading;
    expect(state.status).toBe('ready');
    expect(state.error).toBe('');
    expect(state.progress).toMatchObject({ stage: 'ready', fraction: 1 });
    expect(state.loadedModel).toBe(MODEL);
    expect(seen).toHaveLength(1);
    const actor = seen[0];
    expect(actor?.label).toBe(`webllm:${MODEL}`);
    const reply = await actor?.propose({ system: 'Verify identity first.', messages: [{ role: 'user', content: 'I am u1' }], tools }, new AbortController().signal);
    expect(reply?.action).toMatchObject({ kind: 'tool_call', call: { name: 'get_user', arguments: { id: 'u1' } } });
    const req = script.requests[0];
    expect(req?.response_format?.type).toBe('json_object');
    expect(String(req?.messages[0]?.content)).toContain('get_user');
    expect(script.appConfigs[0]?.model_list.some((m) => m.model_id === MODEL)).toBe(true);
  });

  it('unloads: the app loses the actor and the worker is terminated', async () => {
    const { state, seen, made } = setup(newScript());
    await state.load(MODEL);
    await state.unload();
    expect(seen).toEqual([expect.anything(), undefined]);
    expect(state.actor).toBeUndefined();
    expect(state.status).toBe('idle');
    expect(made[0]?.terminated).toBe(true);
  });

  it('without WebGPU explains why and starts no worker', async () => {
    const { state, seen, made } = setup(newScript(), { webgpu: false, webgpuProblem: 'navigator.gpu is missing', shaderF16: false });
    await state.load(MODEL);
    expect(state.status).toBe('error');
    expect(state.error).toContain(NO_WEBGPU_HELP);
    expect(state.error).toContain('navigator.gpu is missing');
    expect(made).toHaveLength(0);
    expect(seen).toEqual([]);
  });

  it('when web-llm itself finds no WebGPU, says so in the same words', async () => {
    const { state, made } = setup(newScript({ reloads: ['no-webgpu'] }));
    await state.load(MODEL);
    expect(state.status).toBe('error');
    expect(state.error).toBe(NO_WEBGPU_HELP);
    expect(made[0]?.terminated).toBe(true);
    expect(state.actor).toBeUndefined();
  });

  it('an unload during loading cancels it: no actor is handed over', async () => {
    const { state, seen } = setup(newScript());
    const loading = state.load(MODEL);
    await state.unload();
    await loading;
    expect(state.status).toBe('idle');
    expect(seen).toEqual([]);
  });

  it('deletes the cached model, unloading it first, and reports the space freed', async () => {
    const { state, storage, seen } = setup(newScript());
    await state.load(MODEL);
    await state.deleteCache(MODEL);
    expect(storage.deleted).toEqual([MODEL]);
    expect(state.freed).toBe(`${MODEL}: 762.9 MB freed`);
    expect(seen.at(-1)).toBeUndefined();
    expect(state.status).toBe('idle');
  });

  it('an unload while the worker is still starting, or while WebGPU is being checked, hands nothing over; the next load does', async () => {
    let release: () => void = () => undefined;
    const slowProbe = new Promise<Capabilities>((resolve) => (release = () => resolve(gpu)));
    const factory = workerFactory(newScript());
    const seen: Array<Actor | undefined> = [];
    const state = new LocalActorState((a) => seen.push(a), { createWorker: factory.create, storage: new ModelStorageDouble(), probe: () => slowProbe, modelList: async () => prebuiltAppConfig.model_list });
    const loading = state.load(MODEL);
    await state.unload();
    release();
    await loading;
    expect(state.status).toBe('idle');
    expect(seen).toEqual([]);
    expect(factory.made).toHaveLength(0);
    await state.load(MODEL);
    expect(state.status).toBe('ready');
    expect(state.loadedModel).toBe(MODEL);
    expect(seen).toHaveLength(1);
    await state.unload();
    expect(state.loadedModel).toBe('');
    expect(factory.made.every((w) => w.terminated)).toBe(true);
  });

  it('a failed probe is shown, never thrown (the panels call it without awaiting), and the next call tries again', async () => {
    let calls = 0;
    const state = new LocalActorState(() => undefined, {
      createWorker: workerFactory(newScript()).create,
      storage: new ModelStorageDouble(),
      probe: async () => {
        if (calls++ === 0) throw new Error('adapter request failed');
        return gpu;
      },
      modelList: async () => prebuiltAppConfig.model_list,
    });
    await expect(state.probe()).resolves.toBeUndefined();
    expect(state.error).toBe('adapter request failed');
    await state.probe();
    expect(state.caps).toEqual(gpu);
    expect(calls).toBe(2);
  });
});
