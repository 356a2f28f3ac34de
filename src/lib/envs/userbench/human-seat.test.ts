import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { nodePackSource } from '../tau-bench/pack-node.ts';
import { TravelGym } from './gym.ts';
import { HumanTravelSeat, type SeatRequest } from './human-seat.ts';
import type { TravelLlm } from './llm.ts';
import { loadUserBenchPack, scenarioOf } from './pack.ts';

const DIR = resolve(process.env.SPOTTER_USERBENCH_DIR ?? '../shared/userbench');

async function samplePack() {
  return loadUserBenchPack(nodePackSource(DIR), {
    indexFile: 'tasks/sample_scenarios_train_rows.json',
    scenarioFiles: ['scenarios/testtask272_flight_apartment.json'],
    env: 'travel22',
  });
}

describe('a person in the user seat', () => {
  it('is asked to reveal the preference the judge found, and their words are the observation', async () => {
    const pack = await samplePack();
    const row = pack.tasks[0];
    if (!row) throw new Error('no sample row');
    const seen: Array<SeatRequest | undefined> = [];
    const seat = new HumanTravelSeat(pack.prompts, (r) => seen.push(r));
    const judge: TravelLlm = async (_m, purpose) => (purpose === 'utterance-judge' ? '{"type": "2", "preference_id": "P2"}' : 'never');
    const gym = new TravelGym(scenarioOf(pack, row), {}, seat.llm(judge), pack.prompts);
    const step = gym.step('[action] Which airline do you prefer?');
    await expect.poll(() => seat.pending).toEqual({ kind: 'reveal', preferenceId: 'P2' });
    seat.say('I always fly with a carrier that serves real meals.');
    const r = await step;
    expect(r.observation).toBe('I always fly with a carrier that serves real meals.');
    expect(r.reward).toBe(0.2);
    expect(seen).toEqual([{ kind: 'reveal', preferenceId: 'P2' }, undefined]);
    expect(seat.pending).toBeUndefined();
  });

  it('stops waiting when the episode is stopped', async () => {
    const pack = await samplePack();
    const seat = new HumanTravelSeat(pack.prompts);
    const abort = new AbortController();
    const reply = seat.llm(async () => 'x')([{ role: 'system', content: pack.prompts.responseNatural.system }], 'user-reply', abort.signal);
    expect(seat.pending).toEqual({ kind: 'natural' });
    abort.abort();
    await expect(reply).rejects.toThrow('Stopped');
    expect(seat.pending).toBeUndefined();
  });
});
