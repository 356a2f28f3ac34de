/**
 * The τ³ pack worker's handler and the page's client joined by a real
 * MessageChannel (structured clone and the buffer's transfer included), as a
 * Worker would be: each domain arrives equal to an in-process load (tasks,
 * their tasks.json objects, the environments' DB hashes, gold replays'
 * rewards), progress arrives in bytes, a bad field comes back as a
 * ValidationError naming the file and the field, a damaged posted pack is
 * refused naming what is wrong, and a dead worker rejects pending loads.
 */
import { readFileSync } from 'node:fs';
import { MessageChannel, type MessagePort } from 'node:worker_threads';
import { afterEach, describe, expect, it } from 'vitest';
import { ValidationError } from '../../errors.ts';
import { httpPackSource, type PackSource } from '../tau-bench/pack.ts';
import { dumps } from '../tau-bench/py.ts';
import type { Tau2Domain } from './domains.ts';
import { loadTau2Pack, loadTau2PackData, type Tau2LoadProgress } from './pack.ts';
import { defaultTau2AirlineDb, defaultTau2Dir, nodeTau2Source } from './pack-node.ts';
import { packFromPosted, packToWire } from './pack-wire.ts';
import { Tau2PackWorkerClient } from './pack-worker-client.ts';
import { Tau2PackWorkerHandler } from './pack-worker-handler.ts';
import { goldSteps, replay } from './replay.ts';

const ports: MessagePort[] = [];
afterEach(() => {
  for (const p of ports.splice(0)) p.close();
});

function connect(source: PackSource): { client: Tau2PackWorkerClient; mainSide: MessagePort } {
  const { port1, port2 } = new MessageChannel();
  ports.push(port1, port2);
  const handler = new Tau2PackWorkerHandler({ post: (m, transfer) => port2.postMessage(m, transfer ?? []), sourceFor: () => source });
  port2.on('message', (data: unknown) => void handler.handle(data));
  return { client: new Tau2PackWorkerClient(port1), mainSide: port1 };
}

/** ../shared/tau2-bench with one file's text replaced. */
function patched(path: string, edit: (text: string) => string): PackSource {
  const base = nodeTau2Source();
  return { describe: 'patched', readText: async (p, o) => (p === path ? edit(await base.readText(p, o)) : base.readText(p, o)) };
}

const location = { kind: 'url' as const, baseUrl: 'http://127.0.0.1:1/tau2-bench/' };

/** The app's server at `location` (the dev server serves ../shared/tau2-bench and the rebuilt airline db there), through fetch as the worker reads it. */
function servedSource(): PackSource {
  const files = nodeTau2Source();
  const fetchDouble: typeof fetch = async (input) => {
    const body = Buffer.from(await files.readText(String(input).replace(location.baseUrl, '')));
    return new Response(body, { headers: { 'content-length': String(body.byteLength) } });
  };
  return httpPackSource(location.baseUrl, fetchDouble);
}

describe('τ³ pack worker (handler + client over a MessageChannel)', () => {
  it.each<Tau2Domain>(['airline', 'retail', 'telecom'])('loads %s equal to an in-process load: tasks, tasks.json objects, DB hashes, gold rewards', async (domain) => {
    const inProcess = await loadTau2Pack(nodeTau2Source(), domain);
    const { client } = connect(servedSource());
    const progress: Tau2LoadProgress[] = [];
    const pack = await client.load(location, domain, (p) => progress.push(p));

    expect(pack.tasks).toEqual(inProcess.tasks);
    expect(pack.rawTasks.map((t) => dumps(t))).toEqual(inProcess.rawTasks.map((t) => dumps(t)));
    expect([pack.domain, pack.domainPolicy, pack.splits, pack.describe]).toEqual([inProcess.domain, inProcess.domainPolicy, inProcess.splits, location.baseUrl]);
    const [mine, theirs] = [pack.makeEnv(), inProcess.makeEnv()];
    expect(await mine.dbHash()).toBe(await theirs.dbHash());
    expect(await mine.userDbHash()).toBe(await theirs.userDbHash());

    // Gold replays write to the database: the copies must behave as the in-process ones, reward and hashes.
    for (const task of pack.tasks.filter((t) => t.criteria?.actions?.length).slice(0, 4)) {
      const a = await replay(task, goldSteps(task), pack.makeEnv, null);
      const b = await replay(task, goldSteps(task), inProcess.makeEnv, null);
      expect(JSON.stringify(a)).toBe(JSON.stringify(b));
    }

    const files = progress.map((p) => p.file);
    expect(new Set(files).size).toBeGreaterThanOrEqual(4);
    const last = progress.at(-1);
    expect(last?.loaded).toBe(last?.total);
    if (domain === 'airline') expect(last?.loaded).toBeGreaterThan(readFileSync(defaultTau2AirlineDb()).byteLength);
  });

  it('sends a bad task field or database record back as a ValidationError naming the file and the field', async () => {
    const task = connect(patched('retail/tasks.json', (t) => t.replace('"reward_basis": [', '"reward_basis": ["NOPE", ')));
    const err = await task.client.load(location, 'retail').catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ValidationError);
    expect((err as ValidationError).where).toBe('retail/tasks.json');
    expect((err as ValidationError).message).toMatch(/^retail\/tasks\.json: task #0 \(0\) field evaluation_criteria\.reward_basis\.0: /);

    const db = connect(patched('airline/db.json', (t) => t.replace('"first_name": "', '"first_name": 7, "x": "')));
    const dbErr = await db.client.load(location, 'airline').catch((e: unknown) => e);
    expect(dbErr).toBeInstanceOf(ValidationError);
    expect((dbErr as ValidationError).message).toMatch(/^airline\/db\.json: .*first_name/s);

    const missing = connect({ describe: 'empty folder', readText: () => Promise.reject(new Error('no such file')) });
    await expect(missing.client.load(location, 'telecom')).rejects.toThrow(/^telecom\/[\w.]+: cannot read \(no such file\) from empty folder/);
  });

  it('refuses a damaged posted pack, naming what is wrong', async () => {
    const data = await loadTau2PackData(nodeTau2Source(defaultTau2Dir()), 'telecom');
    const wire = packToWire(data);
    await expect(packFromPosted({ ...wire, taskEnds: wire.taskEnds.slice(1) })).rejects.toThrow(/pack from the τ³ pack worker: 133 tasks but the task files hold 134/);
    await expect(packFromPosted({ ...wire, domain: 'bank' })).rejects.toThrow(/pack from the τ³ pack worker: domain: /);
    await expect(packFromPosted({ ...wire, texts: wire.texts.slice(0, 1000) })).rejects.toThrow(/telecom\/tasks\.37199f3\.json task #\d+ from the τ³ pack worker: its text .* is outside the buffer of 1000/);
    const table = wire.db.tables.find((t) => t.keys === null);
    if (!table) throw new Error('telecom db.toml has list tables');
    const first = wire.db.tables.indexOf(table);
    const bad = { ...wire, db: { tables: wire.db.tables.map((t, i) => (i === first ? { ...t, ends: [...t.ends, ...t.ends] } : t)) } };
    await expect(packFromPosted(bad)).rejects.toThrow(`telecom/db.toml ${table.name} from the τ³ pack worker: expected one segment, got 2`);
  });

  it('rejects every pending load with worker-died when the worker errors, and later loads at once', async () => {
    const never: PackSource = { describe: 'never', readText: () => new Promise<string>(() => undefined) };
    const { client, mainSide } = connect(never);
    const a = client.load(location, 'retail');
    const b = client.load(location, 'telecom');
    mainSide.dispatchEvent(new Event('error'));
    await expect(a).rejects.toMatchObject({ code: 'worker-died' });
    await expect(b).rejects.toMatchObject({ code: 'worker-died' });
    expect(client.dead).toBe(true);
    await expect(client.load(location, 'retail')).rejects.toMatchObject({ code: 'worker-died' });
  });

  it('answers a malformed request with a validation error under its id', async () => {
    const { mainSide } = connect(nodeTau2Source());
    const reply = new Promise<unknown>((r) => mainSide.once('message', r));
    mainSide.postMessage({ id: 'x1', type: 'load', location: { kind: 'url', baseUrl: 'http://127.0.0.1:1/' }, domain: 'bank' });
    expect(await reply).toMatchObject({ id: 'x1', type: 'error', error: { code: 'validation' } });
  });
});
