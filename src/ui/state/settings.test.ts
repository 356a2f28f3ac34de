import { describe, expect, it } from 'vitest';
import { Settings } from './settings.svelte.ts';

/** Stands in for the browser's localStorage, which Node lacks. */
class StorageDouble implements Storage {
  #m = new Map<string, string>();
  get length(): number {
    return this.#m.size;
  }
  clear(): void {
    this.#m.clear();
  }
  getItem(k: string): string | null {
    return this.#m.get(k) ?? null;
  }
  key(i: number): string | null {
    return [...this.#m.keys()][i] ?? null;
  }
  removeItem(k: string): void {
    this.#m.delete(k);
  }
  setItem(k: string, v: string): void {
    this.#m.set(k, v);
  }
}

describe('Settings: the actor engine choice', () => {
  it('saves the in-browser actor and its model, without keys, and reads them back', () => {
    const storage = new StorageDouble();
    const s = new Settings(storage);
    expect(s.actorEngine).toBe('remote');
    s.actorEngine = 'local';
    s.localActorModel = 'Llama-3.1-8B-Instruct-q4f32_1-MLC';
    s.actorKey = 'sk-secret-1234';
    s.save();
    const raw = storage.getItem('spotter.settings.v1') ?? '';
    expect(raw).toContain('"actorEngine":"local"');
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
      Reflect.deleteProperty(saved, 'actorEngine');
      Reflect.deleteProperty(saved, 'localActorModel');
    }
    storage.setItem('spotter.settings.v1', JSON.stringify(saved));
    const s = new Settings(storage);
    expect(s.policy).toBe('Only refunds under $50.');
    expect(s.actorEngine).toBe('remote');
    expect(s.localActorModel).toBe('Qwen2.5-7B-Instruct-q4f32_1-MLC');
  });

  it('rejects an unknown engine value as a whole (back to defaults) rather than trusting it', () => {
    const storage = new StorageDouble();
    const s = new Settings(storage);
    s.save();
    storage.setItem('spotter.settings.v1', (storage.getItem('spotter.settings.v1') ?? '').replace('"actorEngine":"remote"', '"actorEngine":"gpu-cloud"'));
    expect(storage.getItem('spotter.settings.v1')).toContain('gpu-cloud');
    expect(new Settings(storage).actorEngine).toBe('remote');
  });
});
