/**
 * The UserBench pack worker's handler and the page's client joined by a real
 * MessageChannel (structured clone included), as a Worker would be: upstream-
 * format data files load through it with load_tasks' option order intact,
 * progress arrives per file, a bad field comes back as a ValidationError
 * naming the file and the field, and a dead worker rejects pending loads.
 */
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { MessageChannel, type MessagePort } from 'node:worker_threads';
import { afterEach, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { ValidationError } from '../../errors.ts';
import { dumps, type PyValue } from '../tau-bench/py.ts';
import { synthesizeDataFiles } from '../../../../tests/fixtures/userbench-data.ts';
import { indexFileFor, loadUserBenchPack, scenarioOf, upstreamDataSource, type PackLoadProgress, type PackSource, type UserBenchPack } from './pack.ts';
import { defaultUserBenchDir, nodePackSource } from './pack-node.ts';
import { PackWorkerClient } from './pack-worker-client.ts';
import { PackWorkerHandler } from './pack-worker-handler.ts';
import type { TravelTask } from './task.ts';

const DIR = defaultUserBenchDir();
const ports: MessagePort[] = [];
afterEach(() => {
  for (const p of ports.splice(0)) p.close();
});

/** The data files in memory, the rest of the pack from ../shared/userbench. */
function memorySource(files: ReadonlyMap<string, string>): PackSource {
  const data: PackSource = {
    describe: 'memory',
    readText: async (path) => {
      const text = files.get(path);
      if (text === undefined) throw new Error('missing file');
      return text;
    },
  };
  return upstreamDataSource(nodePackSource(DIR), data);
}

function connect(source: PackSource): { client: PackWorkerClient; mainSide: MessagePort } {
  const { port1, port2 } = new MessageChannel();
  ports.push(port1, port2);
  const handler = new PackWorkerHandler({ post: (m, transfer) => port2.postMessage(m, transfer ?? []), sourceFor: () => source });
  port2.on('message', (data: unknown) => void handler.handle(data));
  return { client: new PackWorkerClient(port1), mainSide: port1 };
}

/** travel22's first test rows' scenario ids, put first in travelgym_data_22.json. */
const ids = z
  .array(z.object({ reward_model: z.object({ id: z.string() }) }))
  .parse(JSON.parse(readFileSync(resolve(DIR, indexFileFor('travel22', false)), 'utf8')))
  .slice(0, 5)
  .map((r) => r.reward_model.id);

async function dataFiles(patch?: (text: string) => string): Promise<Map<string, string>> {
  const files = await synthesizeDataFiles(DIR, 6, { '22': ids });
  return new Map(files.map(({ suffix, text }) => [`travelgym/data/travelgym_data_${suffix}.json`, suffix === '33' && patch ? patch(text) : text]));
}

const pyOf = (t: TravelTask): string => dumps(new Map<string, PyValue>([['o', new Map([...t.allOptions].map(([k, v]) => [k, [...v]]))], ['a', t.arguments]]));
const location = { kind: 'url' as const, baseUrl: 'http://127.0.0.1:1/userbench/' };

describe('UserBench pack worker (handler + client over a MessageChannel)', () => {
  it('loads the eight upstream-format files with the same scenarios and option order as in-process, reporting files and bytes', async () => {
    const files = await dataFiles();
    const source = memorySource(files);
    const inProcess: UserBenchPack = await loadUserBenchPack(source, { env: 'travel22' });
    const { client } = connect(source);
    const progress: PackLoadProgress[] = [];
    const pack = await client.load({ location, upstreamData: true, options: { env: 'travel22' } }, (p) => progress.push(p));

    expect(pack.tasks).toEqual(inProcess.tasks);
    expect(pack.prompts).toEqual(inProcess.prompts);
    expect(pack.tool).toEqual(inProcess.tool);
    // Only the index rows' scenarios cross; each equals load_tasks' in-process result, options in the shuffled order.
    expect(pack.scenarios.size).toBe(5);
    for (const row of pack.tasks.slice(0, 5)) {
      const mine = scenarioOf(pack, row);
      const theirs = scenarioOf(inProcess, row);
      expect({ ...mine, allOptions: undefined, arguments: undefined }).toEqual({ ...theirs, allOptions: undefined, arguments: undefined });
      expect(pyOf(mine)).toBe(pyOf(theirs));
      expect(pack.scenarios.get(row.id)).toBe(mine); // parsed once
    }
    const sixth = pack.tasks[5];
    if (!sixth) throw new Error('travel22 has 101 test rows');
    expect(() => scenarioOf(pack, sixth)).toThrow(/is in none of the loaded scenario files/);

    const bytes = [...files.values()].reduce((n, t) => n + Buffer.byteLength(t), 0);
    expect(progress.map((p) => [p.stage, p.filesDone, p.filesTotal])).toEqual([
      ...[1, 2, 3, 4, 5, 6, 7, 8].map((n) => ['files', n, 8]),
      ['shuffle', 8, 8],
    ]);
    expect(progress[0]?.file).toBe('travelgym/data/travelgym_data_22.json');
    expect(progress.at(-1)?.bytes).toBe(bytes);
  });

  it('sends a bad field back as a ValidationError naming the file and the field', async () => {
    const files = await dataFiles((text) => text.replace('"dimensions": [', '"dimensions": "oops", "x": ['));
    const { client } = connect(memorySource(files));
    const err = await client.load({ location, upstreamData: true, options: { env: 'travel22' } }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ValidationError);
    expect((err as ValidationError).where).toBe('travelgym/data/travelgym_data_33.json');
    expect((err as ValidationError).message).toMatch(/^travelgym\/data\/travelgym_data_33\.json: \["scenario-33-0"\]\.dimensions: /);
  });

  it('names a missing file', async () => {
    const files = await dataFiles();
    files.delete('travelgym/data/travelgym_data_444.json');
    const { client } = connect(memorySource(files));
    await expect(client.load({ location, upstreamData: true, options: { env: 'travel22' } })).rejects.toThrow(/travelgym\/data\/travelgym_data_444\.json: cannot read \(missing file\)/);
  });

  it('rejects every pending load with worker-died when the worker errors, and later loads at once', async () => {
    const never: PackSource = { describe: 'never', readText: () => new Promise<string>(() => undefined) };
    const { client, mainSide } = connect(never);
    const a = client.load({ location, upstreamData: false, options: {} });
    const b = client.load({ location, upstreamData: false, options: {} });
    mainSide.dispatchEvent(new Event('error'));
    await expect(a).rejects.toMatchObject({ code: 'worker-died' });
    await expect(b).rejects.toMatchObject({ code: 'worker-died' });
    expect(client.dead).toBe(true);
    await expect(client.load({ location, upstreamData: false, options: {} })).rejects.toMatchObject({ code: 'worker-died' });
  });

  it('answers a malformed request with a validation error under its id', async () => {
    const { mainSide } = connect(nodePackSource(DIR));
    const reply = new Promise<unknown>((r) => mainSide.once('message', r));
    mainSide.postMessage({ id: 'x1', type: 'load', location: { kind: 'url', baseUrl: 'not a url' }, upstreamData: false, options: {} });
    expect(await reply).toMatchObject({ id: 'x1', type: 'error', error: { code: 'validation' } });
  });
});
