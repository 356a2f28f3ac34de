import { describe, expect, it } from 'vitest';
import { StorageDouble } from '../../../tests/doubles/storage-double.ts';
import { Settings } from './settings.svelte.ts';

describe('Settings: the actor engine choice', () => {
  it('saves the in-browser actor and its model, without keys, and reads them back', () => {
    const storage = new StorageDouble();
    const s = new Settings(storage);
    expect(s.actorEngine).toBe('openai-compatible');
    s.actorEngine = 'local';
    s.localActorModel = 'Llama-3.1-8B-Instruct-q4f32_1-MLC';
    s.actorKey = 'sk-secret-1234';
    s.save();
    const raw = storage.getItem('spotter.settings.v1') ?? '';
    expect(raw).toContain('"actorOnDevice":true');
    expect(raw).not.toContain('sk-secret');
    const again = new Settings(storage);
    expect(again.actorEngine).toBe('local');
    expect(again.localActorModel).toBe('Llama-3.1-8B-Instruct-q4f32_1-MLC');
    expect(again.actorKey).toBe('');
  });

  it('keeps settings saved before the option existed, defaulting to the remote actor', () => {
    const storage = new StorageDouble();
    const old = new Settings(storage);
    old.policy = 'Only refunds under $50.';
    old.save();
    const saved: unknown = JSON.parse(storage.getItem('spotter.settings.v1') ?? '{}');
    if (saved && typeof saved === 'object') {
      Reflect.deleteProperty(saved, 'actorOnDevice');
      Reflect.deleteProperty(saved, 'localActorModel');
    }
    storage.setItem('spotter.settings.v1', JSON.stringify(saved));
    const s = new Settings(storage);
    expect(s.policy).toBe('Only refunds under $50.');
    expect(s.actorEngine).toBe('openai-compatible');
    expect(s.localActorModel).toBe('Qwen2.5-7B-Instruct-q4f32_1-MLC');
  });

  it('rejects an unknown engine value as a whole (back to defaults) rather than trusting it', () => {
    const storage = new StorageDouble();
    const s = new Settings(storage);
    s.save();
    storage.setItem('spotter.settings.v1', (storage.getItem('spotter.settings.v1') ?? '').replace('"actorOnDevice":false', '"actorOnDevice":"gpu-cloud"'));
    expect(storage.getItem('spotter.settings.v1')).toContain('gpu-cloud');
    expect(new Settings(storage).actorEngine).toBe('openai-compatible');
    // A record of the earlier format with an engine it never wrote falls back too.
    storage.setItem('spotter.settings.v1', JSON.stringify({ actorEngine: 'gpu-cloud', policy: 'kept?' }));
    expect([new Settings(storage).actorEngine, new Settings(storage).policy]).toEqual(['openai-compatible', new Settings(new StorageDouble()).policy]);
  });

  it('speaks the one engine vocabulary: the provider’s API style or local, and switching back to the provider keeps its API style', () => {
    const s = new Settings(new StorageDouble());
    s.actor.kind = 'anthropic';
    expect(s.actorEngine).toBe('anthropic');
    s.actorEngine = 'local';
    expect([s.actorEngine, s.actorOnDevice, s.actor.kind]).toEqual(['local', true, 'anthropic']);
    s.actorOnDevice = false;
    expect(s.actorEngine).toBe('anthropic');
    s.criticEngine = 'local';
    s.criticEngine = 'anthropic';
    expect([s.criticOnDevice, s.critic.kind, s.criticEngine]).toEqual([false, 'anthropic', 'anthropic']);
  });
});

describe('Settings: the stored format', () => {
  /** A record as the app has saved it until now (every field, in this order). */
  const TODAY = JSON.stringify({
    actor: { kind: 'anthropic', baseUrl: 'https://api.anthropic.com', model: 'claude-sonnet-4-5', temperature: 0.2, maxTokens: 2048, stream: true },
    critic: { kind: 'openai-compatible', baseUrl: 'http://localhost:8000/v1', model: 'qwen3-4b', temperature: 0, maxTokens: 256, stream: false },
    actorEngine: 'local',
    localActorModel: 'Llama-3.1-8B-Instruct-q4f32_1-MLC',
    criticEngine: 'local',
    mode: 'monitor',
    maxRevisions: 4,
    failureRule: 'fail-closed',
    criticTimeoutS: 120,
    rememberKeys: true,
    policy: 'Refunds only to the original payment method.',
  });

  /** The same record as this version saves it: where each model runs as a flag, its engine derived (actorEngine). */
  const NOW = TODAY.replace('"actorEngine":"local"', '"actorOnDevice":true').replace('"criticEngine":"local"', '"criticOnDevice":true');

  it('loads a record saved in today\'s format, field by field, and saves it in this version’s format', () => {
    const storage = new StorageDouble();
    storage.setItem('spotter.settings.v1', TODAY);
    storage.setItem('spotter.key.actor', 'sk-ant-remembered');
    const s = new Settings(storage);
    expect(s.actor).toEqual({ kind: 'anthropic', baseUrl: 'https://api.anthropic.com', model: 'claude-sonnet-4-5', temperature: 0.2, maxTokens: 2048, stream: true });
    expect(s.critic.model).toBe('qwen3-4b');
    expect([s.actorEngine, s.localActorModel, s.criticEngine, s.mode, s.maxRevisions, s.failureRule, s.criticTimeoutS, s.rememberKeys, s.policy]).toEqual([
      'local',
      'Llama-3.1-8B-Instruct-q4f32_1-MLC',
      'local',
      'monitor',
      4,
      'fail-closed',
      120,
      true,
      'Refunds only to the original payment method.',
    ]);
    expect(s.actorKey).toBe('sk-ant-remembered');
    s.save();
    expect(storage.getItem('spotter.settings.v1')).toBe(NOW);
    const again = new Settings(storage);
    expect([again.actorEngine, again.criticEngine]).toEqual(['local', 'local']);
    again.save();
    expect(storage.getItem('spotter.settings.v1')).toBe(NOW);
  });

  it('reads today’s remote choices as the providers’ API styles', () => {
    const storage = new StorageDouble();
    storage.setItem('spotter.settings.v1', TODAY.replace('"actorEngine":"local"', '"actorEngine":"remote"').replace('"criticEngine":"local"', '"criticEngine":"remote"'));
    const s = new Settings(storage);
    expect([s.actorEngine, s.criticEngine, s.actorOnDevice, s.criticOnDevice]).toEqual(['anthropic', 'openai-compatible', false, false]);
    expect(s.policy).toBe('Refunds only to the original payment method.');
  });

  it('saves what was changed through the properties, nested fields included, and nothing else', () => {
    const storage = new StorageDouble();
    const s = new Settings(storage);
    s.mode = 'off';
    s.maxRevisions = 0;
    s.actor.model = 'gpt-4.1';
    s.save();
    const again = new Settings(storage);
    expect([again.mode, again.maxRevisions, again.actor.model, again.critic.model]).toEqual(['off', 0, 'gpt-4.1', 'gpt-4o-mini']);
    expect(Object.keys(JSON.parse(storage.getItem('spotter.settings.v1') ?? '{}'))).toEqual(Object.keys(JSON.parse(NOW)));
  });

  it('starts from the defaults with nothing stored, or with a stored value out of range', () => {
    const s = new Settings(new StorageDouble());
    expect([s.actor.model, s.critic.model, s.mode, s.maxRevisions, s.failureRule, s.criticTimeoutS, s.rememberKeys]).toEqual(['gpt-4o', 'gpt-4o-mini', 'intervene', 2, 'fail-open', 60, false]);
    expect(s.policy).toContain('Never promise a refund over $100');
    const storage = new StorageDouble();
    storage.setItem('spotter.settings.v1', TODAY.replace('"maxRevisions":4', '"maxRevisions":9'));
    expect(new Settings(storage).mode).toBe('intervene');
  });
});
