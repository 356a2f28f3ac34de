import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { parityFixture as parity } from '../tests/fixtures/userbench/parity.ts';
import { runScript } from '../tests/run-script.ts';

const SCENARIOS = path.resolve(process.cwd(), '..', 'shared', 'userbench', 'scenarios');
const userbench = (args: string[]) => runScript('scripts/userbench.ts', args);

const dir = mkdtempSync(path.join(tmpdir(), 'userbench-'));
function stepsFile(name: string, steps: unknown): string {
  const file = path.join(dir, name);
  writeFileSync(file, JSON.stringify(steps));
  return file;
}

describe('npm run userbench -- replay', () => {
  it.each([
    ['testtask733_rentalcar_restaurant.json', 'tour', 'async'],
    ['testtask2330_hotel_restaurant_flight.json', 'onechoice', 'sync'],
    ['testtask272_flight_apartment.json', 'reveal-seed12345', 'sync'],
  ])('%s %s %s prints the line the original printed', async (scenario, script, mode) => {
    const r = parity.records.find((x) => x.scenario === scenario && x.script === script && x.mode === mode && !x.upstreamFile);
    if (!r) throw new Error('fixture record missing');
    const args = ['replay', '--scenario', path.join(SCENARIOS, scenario), '--steps', stepsFile(`${script}-${mode}.json`, r.steps), '--max-steps', String(r.maxSteps)];
    if (r.seed !== null) args.push('--seed', String(r.seed));
    if (r.oneChoice) args.push('--one-choice');
    if (mode === 'sync') args.push('--sync');
    const out = await userbench(args);
    expect(out.stderr).toBe('');
    expect(out.code).toBe(0);
    expect(out.stdout).toBe(`${r.line}\n`);
  }, 60_000);

  it('an upstream data file (keyed by scenario id) goes through load_tasks: numpy 42 without --seed, the seed with it', async () => {
    const sample = z.looseObject({ id: z.string(), preferences: z.unknown() }).parse(JSON.parse(readFileSync(path.join(SCENARIOS, 'testtask733_rentalcar_restaurant.json'), 'utf8')));
    const dataFile = path.join(dir, 'travelgym_data_22.json');
    writeFileSync(dataFile, JSON.stringify({ [sample.id]: sample.preferences }));
    for (const seed of [null, 5]) {
      const r = parity.records.find((x) => x.scenario === 'testtask733_rentalcar_restaurant.json' && x.upstreamFile && x.seed === seed);
      if (!r) throw new Error('fixture record missing');
      const args = ['replay', '--scenario', dataFile, '--steps', stepsFile(`upstream-${seed}.json`, r.steps)];
      if (seed !== null) args.push('--seed', String(seed));
      const out = await userbench(args);
      expect(out.stderr).toBe('');
      expect(out.stdout).toBe(`${r.line}\n`);
    }
  }, 60_000);

  it('exits 3 when a step is given fewer or more LLM texts than it uses', async () => {
    const scenario = path.join(SCENARIOS, 'testtask272_flight_apartment.json');
    const fewer = stepsFile('fewer.json', [{ choice: 'action', content: 'hi', llm: ['{"type": "1"}'] }]);
    const a = await userbench(['replay', '--scenario', scenario, '--steps', fewer]);
    expect(a.code).toBe(3);
    expect(a.stdout).toBe('');
    expect(a.stderr).toMatch(/step 0: needs more than the 1 scripted LLM text\(s\) given/);
    const more = stepsFile('more.json', [
      { choice: 'answer', content: 'F4', llm: [] },
      { choice: 'action', content: 'pool?', llm: ['{"type": "3"}', 'unused reply'] },
    ]);
    const b = await userbench(['replay', '--scenario', scenario, '--steps', more]);
    expect(b.code).toBe(3);
    expect(b.stderr).toMatch(/step 1: used 1 of the 2 scripted LLM text\(s\) given/);
  }, 60_000);

  it('exits 2 with the usage on bad arguments or a bad steps file', async () => {
    const a = await userbench(['replay', '--steps', 'x.json']);
    expect(a.code).toBe(2);
    expect(a.stderr).toMatch(/--scenario is required[\s\S]*usage:/);
    const bad = stepsFile('bad.json', [{ choice: 'answer', content: 3, llm: [] }]);
    const b = await userbench(['replay', '--scenario', path.join(SCENARIOS, 'testtask272_flight_apartment.json'), '--steps', bad, '--max-steps', '0']);
    expect(b.code).toBe(2);
    expect(b.stderr).toMatch(/--max-steps must be an integer >= 1/);
  }, 60_000);
});
