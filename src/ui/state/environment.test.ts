import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { TauPack } from '../../lib/envs/tau-bench/pack.ts';
import { PackCache } from '../../lib/envs/tau-bench/pack-cache.ts';
import { EnvironmentChoice } from './environment.svelte.ts';
import { UserBenchPacks } from './userbench-packs.svelte.ts';
import { Tau2Packs } from './tau2.svelte.ts';
import { tau2PackWorkerDouble } from '../../../tests/doubles/tau2-pack-worker-double.ts';

const PACK = resolve(import.meta.dirname, '../../../../shared/tau-bench');
const RETAIL_FILES = ['user_simulator_prompt.txt', ...['tools.json', 'wiki.md', 'rules.json', 'orders.json', 'products.json', 'users.json', 'tasks_test.json'].map((f) => `retail/${f}`)];

const base = { actor: 'a', mode: 'off', maxRevisions: 2, failureRule: 'fail-open', userKind: 'human' } as const;

describe('EnvironmentChoice', () => {
  // appUrl resolves against the page; a page address stands in for it under Node.
  beforeAll(() => vi.stubGlobal('document', { baseURI: 'http://127.0.0.1:5173/' }));
  afterAll(() => vi.unstubAllGlobals());

  it('restores the world and task of a stored episode from its environment fields', () => {
    const choice = new EnvironmentChoice(new UserBenchPacks());
    choice.seat = 'simulated';
    choice.restore({ ...base, environment: { family: 'tau-bench', domain: 'airline' }, taskIndex: 7 });
    expect([choice.kind, choice.domain, choice.taskIndex, choice.seat]).toEqual(['tau-bench', 'airline', 7, 'human']);

    choice.restore({ ...base, environment: { family: 'userbench', domain: 'travel33', oneChoice: true }, taskIndex: 2, taskSplit: 'samples' });
    const ub = choice.userBench;
    expect([choice.kind, ub.env, ub.oneChoice, ub.samples, ub.taskIndex]).toEqual(['userbench', 'travel33', true, true, 2]);
    choice.restore({ ...base, environment: { family: 'userbench', domain: 'travel44' }, taskIndex: 0, taskSplit: 'test' });
    expect([ub.env, ub.oneChoice, ub.samples]).toEqual(['travel44', false, false]);

    choice.restore({ ...base, environment: { family: 'policy-chat' } });
    expect(choice.kind).toBe('policy-chat');
  });

  it("loads the picked pack through the app's one cache, which the Data tab reads too", async () => {
    const cache = new PackCache<TauPack>();
    const choice = new EnvironmentChoice(new UserBenchPacks(), undefined, cache);
    choice.openFolder(RETAIL_FILES.map((f) => new File([readFileSync(resolve(PACK, f))], f)));
    const chat = await choice.pack();
    expect(chat.domains.retail?.tasks.test?.length).toBeGreaterThan(100);
    // The Data tab asks for the same domain and split: the same loaded pack, not a second load.
    expect(await choice.tauPack('retail', 'test')).toBe(chat);
    // A new folder pick may hold edited files: it loads again.
    choice.openFolder(choice.folder);
    expect(await choice.pack()).not.toBe(chat);
  });

  it('builds a τ³ task from the served data: its meta, and for a person in the seat a seat that records their turns', async () => {
    const served = resolve(import.meta.dirname, '../../../../shared/tau2-bench');
    const urls: string[] = [];
    // Stands in for the app's server at tau2-bench/ (the dev server and e2e serve ../shared/tau2-bench there).
    const fetchDouble: typeof fetch = (input) => {
      const url = String(input);
      urls.push(url);
      const rel = url.replace('http://127.0.0.1:5173/tau2-bench/', '');
      return Promise.resolve(new Response(readFileSync(resolve(served, rel))));
    };
    // The τ³ pack worker's handler reads through the same server double.
    const choice = new EnvironmentChoice(new UserBenchPacks(), fetchDouble, undefined, new Tau2Packs(() => tau2PackWorkerDouble(fetchDouble)));
    choice.kind = 'tau2';
    choice.tau2.domain = 'telecom';
    choice.tau2.split = 'small';
    choice.tau2.taskIndex = 2;
    await choice.refreshTask();
    expect(choice.tau2.taskCount).toBe(20);
    expect(choice.tau2.instructions).toContain('Domain: telecom');
    expect(urls.every((u) => u.startsWith('http://127.0.0.1:5173/tau2-bench/telecom/'))).toBe(true);

    choice.seat = 'human';
    const built = await choice.build('', () => {
      throw new Error('no simulated user with a person in the seat');
    });
    expect(built.meta).toEqual({ environment: { family: 'tau2', domain: 'telecom' }, taskIndex: 2, taskSplit: 'small', dataSource: 'app' });
    expect(built.user).toBeUndefined();
    const person = { kind: 'human' as const, first: async () => ({ content: 'No data abroad.', stop: false }), reply: async () => ({ content: 'ok', stop: false }) };
    const seat = built.seat?.(person);
    expect(seat?.kind).toBe('human');
    expect(choice.tau2.seat?.tools.map((t) => t.function.name)).toContain('toggle_roaming');

    choice.restore({ ...base, environment: { family: 'tau2', domain: 'airline' }, taskIndex: 4, taskSplit: 'train' });
    expect([choice.kind, choice.tau2.domain, choice.tau2.split, choice.tau2.taskIndex]).toEqual(['tau2', 'airline', 'train', 4]);
    // A resumed episode reads its own data source: upstream again (a folder opened since is set aside) …
    choice.openFolder([]);
    choice.restore({ ...base, environment: { family: 'tau2', domain: 'telecom' }, taskIndex: 2, taskSplit: 'small', dataSource: 'upstream' });
    expect([choice.tau2.source, choice.folder]).toEqual(['upstream', undefined]);
    // … and a folder, which a reload forgets, must be opened again: said plainly, nothing changed in the trace.
    expect(() => choice.restore({ ...base, environment: { family: 'tau2', domain: 'telecom' }, taskIndex: 2, taskSplit: 'small', dataSource: 'folder' })).toThrow(/from a folder you opened\. Open that folder again/);
    choice.openFolder([]);
    expect(() => choice.restore({ ...base, environment: { family: 'tau2', domain: 'telecom' }, taskIndex: 2, taskSplit: 'small', dataSource: 'folder' })).not.toThrow();
  });
});
