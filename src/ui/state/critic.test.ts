/**
 * The Critic tab's state over both on-device engines through one interface:
 * web-llm's real worker client and handler with the MLC engine doubled, and
 * the transformers.js worker protocol over a MessageChannel with the real
 * handler and engine on the tiny model. Browser storage is the double.
 */
import type { MessagePort } from 'node:worker_threads';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { makeTinyModels } from '../../../scripts/make-tiny-model.ts';
import { ModelStorageDouble, newScript, workerFactory } from '../../../tests/doubles/webllm-double.ts';
import type { Critic } from '../../lib/critic/critic-interface.ts';
import { CriticPanelState } from './critic.svelte.ts';
import { StorageDouble } from '../../../tests/doubles/storage-double.ts';
import { transformersWorkerChannelDouble } from '../../../tests/doubles/transformers-worker-channel.ts';

const ports: MessagePort[] = [];
const hadDocument = 'document' in globalThis;
beforeAll(() => {
  makeTinyModels();
  // The transformers config names the app's model folder relative to the page.
  if (!hadDocument) Reflect.set(globalThis, 'document', { baseURI: 'http://127.0.0.1/' });
});
afterAll(() => {
  if (!hadDocument) Reflect.deleteProperty(globalThis, 'document');
});
afterEach(() => {
  for (const p of ports.splice(0)) p.close();
});

const transformersWorker = (deleted: string[]) => transformersWorkerChannelDouble(ports, { usage: 8 * 2 ** 20, deleted }, { freed: 2 * 2 ** 20, files: 5 });

function setup(storage: Storage = new StorageDouble()) {
  const seen: Array<Critic | undefined> = [];
  const deleted: string[] = [];
  const webllm = workerFactory(newScript());
  const state = new CriticPanelState((c) => seen.push(c), {
    webllmWorker: webllm.create,
    webllmStorage: new ModelStorageDouble(),
    transformersWorker: transformersWorker(deleted),
    storage,
  });
  return { state, seen, deleted, made: webllm.made };
}

describe('CriticPanelState', () => {
  it('restores the saved choice through loadStored (a bad field falls back alone) and saves it back', () => {
    const storage = new StorageDouble();
    storage.setItem('spotter.criticPanel', JSON.stringify({ kind: 'webllm', webllmModel: 42, tfModel: 'my/critic' }));
    const { state } = setup(storage);
    expect([state.kind, state.webllmModel, state.tfModel]).toEqual(['webllm', 'Qwen2.5-0.5B-Instruct-q4f32_1-MLC', 'my/critic']);
    state.kind = 'transformers';
    state.save();
    expect(JSON.parse(storage.getItem('spotter.criticPanel') ?? '')).toEqual({ kind: 'transformers', webllmModel: 'Qwen2.5-0.5B-Instruct-q4f32_1-MLC', tfModel: 'my/critic' });
    storage.setItem('spotter.criticPanel', '{not json');
    expect(setup(storage).state.kind).toBe('transformers');
  });

  it('reads a choice saved in today’s format ("remote") as the remote endpoint in the one engine vocabulary, and keeps the other fields', () => {
    const storage = new StorageDouble();
    storage.setItem('spotter.criticPanel', JSON.stringify({ kind: 'remote', webllmModel: 'Llama-3.2-1B-Instruct-q4f16_1-MLC', tfModel: 'my/critic' }));
    const { state } = setup(storage);
    expect([state.kind, state.webllmModel, state.tfModel]).toEqual(['openai-compatible', 'Llama-3.2-1B-Instruct-q4f16_1-MLC', 'my/critic']);
    storage.setItem('spotter.criticPanel', JSON.stringify({ kind: 'anthropic', tfModel: 'my/critic' }));
    expect(setup(storage).state.kind).toBe('transformers');
  });

  it('loads, unloads and deletes a web-llm critic; it becomes the active critic and leaves it on unload', async () => {
    const { state, seen, made } = setup();
    state.kind = 'webllm';
    state.webllmWindow = 4096;
    await state.load();
    expect(state.error).toBe('');
    expect(state.status).toBe('ready');
    expect(state.loadInfo).toMatchObject({ engine: 'webllm', contextWindow: 4096 });
    expect(seen).toEqual([state.critic]);
    expect(state.critic?.label).toBe('webllm:Qwen2.5-0.5B-Instruct-q4f32_1-MLC');
    await state.unload();
    expect(seen.at(-1)).toBeUndefined();
    expect(made[0]?.terminated).toBe(true);
    await state.deleteCache();
    expect(state.freed).toBe('762.9 MB freed');
  });

  it('loads and deletes a transformers.js critic the same way, with the same report shape', async () => {
    const { state, seen, deleted } = setup();
    state.kind = 'transformers';
    state.tfModel = 'tiny-critic-kv';
    state.tfDtype = 'fp32';
    await state.load();
    expect(state.error).toBe('');
    expect(state.status).toBe('ready');
    expect(state.loadInfo).toMatchObject({ engine: 'transformers', model: 'tiny-critic-kv' });
    expect(seen).toEqual([state.critic]);
    await state.deleteCache();
    expect(state.freed).toBe('5 file(s) deleted, 2.0 MB freed');
    expect(deleted).toEqual(['tiny-critic-kv']);
    // Deleting unloads first: the critic is no longer active.
    expect(state.status).toBe('idle');
    expect(seen.at(-1)).toBeUndefined();
  });

  it('shows a load failure and keeps nothing loaded', async () => {
    const { state, seen } = setup();
    state.kind = 'transformers';
    state.tfModel = 'no-such-model';
    state.tfDtype = 'fp32';
    await state.load();
    expect(state.status).toBe('error');
    expect(state.error).toMatch(/no-such-model/);
    expect(state.critic).toBeUndefined();
    expect(seen).toEqual([]);
  });

  it('an unload during loading cancels it: no critic is handed over, its worker is stopped, and a later load works', async () => {
    for (const kind of ['webllm', 'transformers'] as const) {
      const { state, seen, made } = setup();
      state.kind = kind;
      state.tfModel = 'tiny-critic-kv';
      state.tfDtype = 'fp32';
      const loading = state.load();
      await state.unload();
      await loading;
      expect(state.status, kind).toBe('idle');
      expect(state.critic, kind).toBeUndefined();
      expect(seen, kind).toEqual([]);
      if (kind === 'webllm') expect(made.every((w) => w.terminated)).toBe(true);
      // The panel is not stuck: the next load hands its critic over.
      await state.load();
      expect(state.status, kind).toBe('ready');
      expect(seen, kind).toEqual([state.critic]);
      await state.unload();
    }
  });

  it('a second load overtaking the first hands over only the second critic', async () => {
    const { state, seen } = setup();
    state.kind = 'webllm';
    const first = state.load();
    state.webllmModel = 'Qwen2.5-1.5B-Instruct-q4f32_1-MLC';
    const second = state.load();
    await Promise.all([first, second]);
    expect(state.status).toBe('ready');
    expect(seen).toHaveLength(1);
    expect(seen[0]?.label).toBe('webllm:Qwen2.5-1.5B-Instruct-q4f32_1-MLC');
  });
});
