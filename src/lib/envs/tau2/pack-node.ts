/**
 * The τ³-bench data on disk (Node only; kept apart so browser bundles never import node:fs):
 * ../shared/tau2-bench, with the airline db.json that `npm run fixtures` rebuilds into
 * .fixtures/tau2/airline/ — the same layout the dev server serves at /tau2-bench/.
 */
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { PackCache } from '../tau-bench/pack-cache.ts';
import type { PackSource } from '../tau-bench/pack.ts';
import type { Tau2Domain } from '../environment.ts';
import { TAU2_DOMAIN_SPECS } from './domains.ts';
import { loadTau2Pack, type Tau2Pack } from './pack.ts';

export const TAU2_AIRLINE_DB_PATH = 'airline/db.json';

export function defaultTau2Dir(cwd: string = process.cwd()): string {
  return resolve(cwd, '..', 'shared', 'tau2-bench');
}

export function defaultTau2AirlineDb(cwd: string = process.cwd()): string {
  return resolve(cwd, '.fixtures', 'tau2', 'airline', 'db.json');
}

/** `dir`'s files; airline/db.json from `airlineDb` when `dir` has none. */
export function nodeTau2Source(dir: string = defaultTau2Dir(), airlineDb: string = defaultTau2AirlineDb()): PackSource {
  const root = resolve(dir);
  return {
    describe: root,
    readText: (path) => readFile(path === TAU2_AIRLINE_DB_PATH && !existsSync(join(root, path)) ? airlineDb : join(root, path), 'utf8'),
  };
}

/**
 * One domain from `dir` (as `nodeTau2Source`). A `telecom/tasks.json` there (upstream's at a2c0247, all
 * 2,285 tasks of the `full` split) is read instead of the local task files, as the app reads GitHub's.
 */
export function loadNodeTau2Pack(domain: Tau2Domain, dir: string = defaultTau2Dir(), airlineDb: string = defaultTau2AirlineDb()): Promise<Tau2Pack> {
  const root = resolve(dir);
  const upstream = existsSync(join(root, domain, TAU2_DOMAIN_SPECS[domain].files.tasks));
  return loadTau2Pack(nodeTau2Source(root, airlineDb), domain, { upstream });
}

/** `loadNodeTau2Pack` over `dir`, each domain read and parsed once (a run, its results files, a merge's configurations). */
export function nodeTau2Packs(dir: string = defaultTau2Dir(), airlineDb: string = defaultTau2AirlineDb()): (domain: Tau2Domain) => Promise<Tau2Pack> {
  const cache = new PackCache<Tau2Pack>();
  return (domain) => cache.get(domain, () => loadNodeTau2Pack(domain, dir, airlineDb));
}
