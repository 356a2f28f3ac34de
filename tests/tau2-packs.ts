/**
 * The real τ³-bench data (../shared/tau2-bench, airline's db.json rebuilt by
 * `npm run fixtures`) as the environment factory's packs, for tests that build
 * τ³ episodes under Node; each domain loads once per test file.
 */
import { existsSync } from 'node:fs';
import { defaultTau2AirlineDb, defaultTau2Dir, nodeTau2Packs } from '../src/lib/envs/tau2/pack-node.ts';
import type { EnvironmentPacks } from '../src/lib/setup/environments.ts';

/** Whether the data is there (the tests skip without it). */
export const tau2DataReady = existsSync(defaultTau2Dir()) && existsSync(defaultTau2AirlineDb());

/** τ³ packs from the shared data; the other families are not used. */
export function tau2TestPacks(): EnvironmentPacks {
  return {
    tau2: nodeTau2Packs(),
    tauBench: () => Promise.reject(new Error('not used')),
    userBench: () => Promise.reject(new Error('not used')),
  };
}
