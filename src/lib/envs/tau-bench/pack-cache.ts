/**
 * The one cache of loaded tau-bench packs: chat, benchmark runs and the data
 * pipeline load each pack once through it. A failed load is forgotten, so
 * the next attempt (a fixed file, a resume) loads again.
 */
import type { TaskSplit, TauDomain } from '../environment.ts';
import { loadTauPack, type PackSource, type TauPack } from './pack.ts';

export class PackCache<Pack = TauPack> {
  readonly #loads = new Map<string, Promise<Pack>>();

  /** The pack under `key`, loaded with `load` the first time (or after a failed load). */
  get(key: string, load: () => Promise<Pack>): Promise<Pack> {
    let p = this.#loads.get(key);
    if (!p) {
      p = load();
      p.catch(() => {
        if (this.#loads.get(key) === p) this.#loads.delete(key);
      });
      this.#loads.set(key, p);
    }
    return p;
  }
}

/**
 * One domain with one task split of the pack from `source`. `sourceKey`
 * names the source across calls (its URL, or a folder pick): the same key
 * must mean the same files.
 */
export function cachedTauPack(cache: PackCache<TauPack>, sourceKey: string, source: () => PackSource, domain: TauDomain, split: TaskSplit): Promise<TauPack> {
  return cache.get(JSON.stringify([sourceKey, domain, split]), () => loadTauPack(source(), [domain], { [domain]: [split] }));
}
