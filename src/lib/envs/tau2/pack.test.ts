/**
 * τ³-bench data loaded at run time: from a folder (../shared/tau2-bench with the rebuilt airline db), or
 * from the upstream repository at the pinned commit through Cache Storage, so a second load works offline;
 * byte progress; errors that name the file.
 */
import { existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { CacheStorageDouble } from '../../../../tests/doubles/cache-storage-double.ts';
import { ValidationError } from '../../errors.ts';
import { cachedUpstreamTau2Source, loadTau2Pack, splitTasks, tau2TaskOf, TAU2_TELECOM_TASKS_COMMIT, TAU2_UPSTREAM_COMMIT, upstreamTau2Source, wholeSplits, type Tau2LoadProgress } from './pack.ts';
import { defaultTau2AirlineDb, defaultTau2Dir, loadNodeTau2Pack, nodeTau2Source } from './pack-node.ts';
import type { PackSource } from '../tau-bench/pack.ts';

const SHARED = defaultTau2Dir();
const RAW = 'https://raw.githubusercontent.com/sierra-research/tau2-bench/';

/** Stands in for raw.githubusercontent.com: answers the pinned commits' paths from ../shared, recording each URL. */
function rawGithubDouble() {
  const urls: string[] = [];
  const fetchFn: typeof fetch = (input) => {
    const url = String(input);
    urls.push(url);
    const m = /^https:\/\/raw\.githubusercontent\.com\/sierra-research\/tau2-bench\/([0-9a-f]{40})\/data\/tau2\/domains\/(.+)$/.exec(url);
    let file: string | undefined;
    if (m?.[1] === TAU2_UPSTREAM_COMMIT && m[2] !== 'airline/db.json' && m[2] !== 'telecom/tasks.json') file = resolve(SHARED, m[2] ?? '');
    if (m?.[1] === TAU2_TELECOM_TASKS_COMMIT && m[2] === 'telecom/tasks.json') file = resolve(SHARED, 'telecom/tasks.37199f3.json');
    if (!file || !existsSync(file)) return Promise.resolve(new Response('404: Not Found', { status: 404 }));
    const body = readFileSync(file);
    return Promise.resolve(new Response(body, { headers: { 'content-length': String(body.byteLength) } }));
  };
  return { urls, fetchFn };
}

describe('loadTau2Pack', () => {
  it('loads a domain from the folder, every split as split_tasks.json names it, with byte progress', async () => {
    const progress: Tau2LoadProgress[] = [];
    const pack = await loadTau2Pack(nodeTau2Source(), 'retail', { onProgress: (p) => progress.push(p) });
    expect(pack.tasks).toHaveLength(114);
    expect(Object.keys(pack.splits).sort()).toEqual(['base', 'test', 'train']);
    expect(splitTasks(pack, 'test')).toHaveLength(40);
    expect(splitTasks(pack, 'train')).toHaveLength(74);
    expect(pack.domainPolicy).toBe(readFileSync(resolve(SHARED, 'retail/policy.md'), 'utf8'));
    expect(() => tau2TaskOf(pack, 'test', 40)).toThrow(/retail\/test: task 40 does not exist \(there are 40\)/);
    expect(() => splitTasks(pack, 'small')).toThrow(/no split "small"/);
    // Node's folder source reports no bytes; the HTTP path below does.
    expect(progress).toEqual([]);
  });

  it.skipIf(!existsSync(defaultTau2AirlineDb()))('reads airline from the folder with the rebuilt db.json beside it', async () => {
    const pack = await loadTau2Pack(nodeTau2Source(), 'airline');
    expect(splitTasks(pack, 'base')).toHaveLength(50);
    expect(pack.makeEnv().tools.has('book_reservation')).toBe(true);
  });

  it('loads from upstream at the pinned commit, keeps each file in Cache Storage, and loads again offline', async () => {
    const raw = rawGithubDouble();
    const caches = new CacheStorageDouble();
    const progress: Tau2LoadProgress[] = [];
    const pack = await loadTau2Pack(cachedUpstreamTau2Source(raw.fetchFn, caches), 'retail', { onProgress: (p) => progress.push(p) });
    expect(pack.tasks).toHaveLength(114);
    expect(raw.urls.sort()).toEqual(['db.json', 'policy.md', 'split_tasks.json', 'tasks.json'].map((f) => `${RAW}${TAU2_UPSTREAM_COMMIT}/data/tau2/domains/retail/${f}`));
    const last = progress.at(-1);
    const bytes = ['db.json', 'policy.md', 'split_tasks.json', 'tasks.json'].reduce((n, f) => n + readFileSync(resolve(SHARED, 'retail', f)).byteLength, 0);
    expect(last?.total).toBe(bytes);
    expect(last?.loaded).toBe(bytes);

    const offline: typeof fetch = () => Promise.reject(new TypeError('Failed to fetch'));
    const again = await loadTau2Pack(cachedUpstreamTau2Source(offline, caches), 'retail');
    expect(again.tasks.map((t) => t.id)).toEqual(pack.tasks.map((t) => t.id));
  });

  it('reads a local copy\'s telecom tasks from release 37199f3, and names a file upstream did not serve', async () => {
    const raw = rawGithubDouble();
    const source = upstreamTau2Source(raw.fetchFn);
    const text = await source.readText('telecom/tasks.37199f3.json');
    expect(raw.urls).toEqual([`${RAW}${TAU2_TELECOM_TASKS_COMMIT}/data/tau2/domains/telecom/tasks.json`]);
    expect(JSON.parse(text)).toHaveLength(114);
    // The double has no airline db.json (no snapshot holds it): the error names the file and the source.
    const err = await loadTau2Pack(source, 'airline', { upstream: true }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ValidationError);
    expect(String(err)).toMatch(/airline\/db\.json.*HTTP 404.*sierra-research\/tau2-bench@a2c0247/);
    expect(raw.urls).toContain(`${RAW}${TAU2_UPSTREAM_COMMIT}/data/tau2/domains/airline/db.json`);
  });

  it('loads telecom (dual control: both databases, the policy with its manual) from the folder', async () => {
    const pack = await loadTau2Pack(nodeTau2Source(), 'telecom');
    expect(pack.tasks).toHaveLength(134);
    expect(splitTasks(pack, 'small')).toHaveLength(20);
    expect(splitTasks(pack, 'base')).toHaveLength(114);
    expect(pack.domainPolicy).toMatch(/^<main_policy>\n[\s\S]+\n<\/main_policy>\n<tech_support_policy>\n[\s\S]+\n<\/tech_support_policy>$/);
    const env = pack.makeEnv();
    expect(env.userTools?.has('toggle_airplane_mode')).toBe(true);
  });

  it("never returns part of a split: telecom's full (2,285 tasks) on the local data (134 of them) is an error naming both counts", async () => {
    const pack = await loadNodeTau2Pack('telecom');
    expect(pack.splits['full']).toHaveLength(2285);
    expect(wholeSplits(pack)).toEqual(['base', 'train', 'test', 'small']);
    const message = /^telecom\/full: split full has 2,285 tasks; this data \(.+shared\/tau2-bench\) holds 134 of them: load τ³ data from GitHub \(tau2-bench at a2c0247\) to run it$/;
    expect(() => splitTasks(pack, 'full')).toThrow(message);
    // Task 0 of full is held here (it is task 0 of base): the index is still refused, never counted within the part.
    expect(pack.tasks.some((t) => t.id === pack.splits['full']?.[0])).toBe(true);
    expect(() => tau2TaskOf(pack, 'full', 0)).toThrow(message);
  });

  it("offers the splits upstream's layout holds whole: a telecom tasks.json with release 37199f3's 114 base tasks has base, train and test, not small or full", async () => {
    // Upstream's layout (one tasks.json) over the real files, its tasks.json being the 114 base tasks: what
    // a folder or mirror of an older release holds. The same rule that refuses `full` on the local data
    // refuses `small` here, and lets whole splits through in the tasks file's order.
    const shared = nodeTau2Source();
    const source: PackSource = {
      describe: 'upstream layout, tasks.json of 37199f3',
      readText: (path, o) => shared.readText(path === 'telecom/tasks.json' ? 'telecom/tasks.37199f3.json' : path, o),
    };
    const pack = await loadTau2Pack(source, 'telecom', { upstream: true });
    expect(pack.tasks).toHaveLength(114);
    expect(wholeSplits(pack)).toEqual(['base', 'train', 'test']);
    expect(splitTasks(pack, 'base').map((t) => t.id)).toEqual(pack.tasks.map((t) => t.id));
    const order = new Map(pack.tasks.map((t, i) => [t.id, i]));
    const test = splitTasks(pack, 'test');
    expect(new Set(test.map((t) => t.id))).toEqual(new Set(pack.splits['test']));
    expect(test.map((t) => order.get(t.id) ?? -1)).toEqual([...test.map((t) => order.get(t.id) ?? -1)].sort((a, b) => a - b));
    expect(() => splitTasks(pack, 'small')).toThrow(/^telecom\/small: split small has 20 tasks; this data \(upstream layout, tasks\.json of 37199f3\) holds 0 of them/);
    expect(() => splitTasks(pack, 'full')).toThrow(/split full has 2,285 tasks; .* holds 114 of them/);
  });

  it('names the file and the field when a file is bad', async () => {
    const base = nodeTau2Source();
    const broken = (path: string, text: string): PackSource => ({ describe: 'broken', readText: (p, o) => (p === path ? Promise.resolve(text) : base.readText(p, o)) });
    await expect(loadTau2Pack(broken('retail/split_tasks.json', '{"test": [1]}'), 'retail')).rejects.toThrow(/retail\/split_tasks\.json.*expected string/);
    const tasks = z.array(z.record(z.string(), z.unknown())).parse(JSON.parse(readFileSync(resolve(SHARED, 'retail/tasks.json'), 'utf8')));
    tasks[3] = { ...tasks[3], evaluation_criteria: { reward_basis: ['DB', 'VIBES'] } };
    await expect(loadTau2Pack(broken('retail/tasks.json', JSON.stringify(tasks)), 'retail')).rejects.toThrow(/retail\/tasks\.json: task #3 \(\d+\) field evaluation_criteria\.reward_basis\.1/);
    await expect(loadTau2Pack(broken('retail/db.json', '{"users": 3}'), 'retail')).rejects.toThrow(/retail\/db\.json/);
  });
});
