import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { runScript } from '../tests/run-script.ts';

const OutputSchema = z.object({
  observations: z.array(z.string().nullable()),
  reward: z.union([z.literal(0), z.literal(1)]),
  db: z.record(z.string(), z.unknown()),
});

const tau = (args: string[]) => runScript('scripts/tau.ts', args);

describe('npm run tau -- replay', () => {
  it('prints one JSON line for the gold actions, reward 1', async () => {
    const r = await tau(['replay', '--domain', 'airline', '--task-index', '0']);
    expect(r.code).toBe(0);
    expect(r.stdout.split('\n')).toHaveLength(2); // one line and the final newline
    const out = OutputSchema.parse(JSON.parse(r.stdout));
    expect(out.reward).toBe(1);
    expect(out.observations).toHaveLength(1);
    expect(Object.keys(out.db)).toEqual(['flights', 'reservations', 'users']);
    expect(r.stdout).toContain('"HATHAT": {"reservation_id": "HATHAT"');
  }, 60_000);

  it('replays an actions file: null for respond, reward 0 for a wrong database', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'tau-'));
    const file = path.join(dir, 'a.json');
    writeFileSync(
      file,
      JSON.stringify([
        { name: 'respond', kwargs: { content: 'Hello' } },
        { name: 'get_reservation_details', kwargs: { reservation_id: 'ZZZZZZ' } },
      ]),
    );
    const r = await tau(['replay', '--domain', 'airline', '--task-index', '0', '--actions', file]);
    expect(r.code).toBe(0);
    const out = OutputSchema.parse(JSON.parse(r.stdout));
    expect(out.observations).toEqual([null, 'Error: user not found']);
    expect(out.reward).toBe(0);
  }, 60_000);

  it('exits 2 with a clear message on bad arguments', async () => {
    const bad = await tau(['replay', '--domain', 'bank', '--task-index', '0']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('--domain must be retail or airline');
    const noIndex = await tau(['replay', '--domain', 'retail']);
    expect(noIndex.code).toBe(2);
    expect(noIndex.stderr).toContain('--task-index is required');
    const outOfRange = await tau(['replay', '--domain', 'airline', '--task-index', '50']);
    expect(outOfRange.code).toBe(2);
    expect(outOfRange.stderr).toContain('airline/tasks_test.json: no task 50 (there are 50)');
  }, 60_000);
});
