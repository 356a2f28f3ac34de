/** The ported tau2 domains: each builds fresh environments from its validated initial DB. */
import { parseJson, type PyDict } from '../tau-bench/py.ts';
import { envCopy, freezeRecords } from './cow.ts';
import { airlineToolkit, loadAirlineDb } from './airline/index.ts';
import { Tau2Environment } from './environment.ts';
import { loadRetailDb, retailToolkit } from './retail/index.ts';
import { telecomEnvFactory, type TelecomEnvOptions } from './telecom/index.ts';
import type { Toolkit } from './toolkit.ts';

export const TAU2_DOMAINS = ['airline', 'retail', 'telecom'] as const;
export type Tau2Domain = (typeof TAU2_DOMAINS)[number];

export function isTau2Domain(s: string): s is Tau2Domain {
  return (TAU2_DOMAINS as readonly string[]).includes(s);
}

const BUILD: Record<'airline' | 'retail', { load: (json: ReturnType<typeof parseJson>) => PyDict; kit: (db: PyDict) => Toolkit }> = {
  airline: { load: loadAirlineDb, kit: airlineToolkit },
  retail: { load: loadRetailDb, kit: retailToolkit },
};

/** A domain's database files as text: airline and retail have `db.json`; telecom has `db.toml` and the user's `user_db.toml`. */
export interface Tau2DomainData {
  db: string;
  userDb?: string;
}

/**
 * Parses and validates a domain's database(s) once; `makeEnv` hands out environments on private copies.
 * `dbText` alone is airline's or retail's db.json.
 */
export function domainEnvFactory(domain: Tau2Domain, data: string | Tau2DomainData, opts: TelecomEnvOptions = {}): () => Tau2Environment {
  const files = typeof data === 'string' ? { db: data } : data;
  if (domain === 'telecom') {
    if (files.userDb === undefined) throw new Error('telecom needs user_db.toml besides db.toml');
    return telecomEnvFactory(files.db, files.userDb, opts);
  }
  const { load, kit } = BUILD[domain];
  const template = load(parseJson(files.db));
  freezeRecords(template);
  return () => new Tau2Environment(domain, kit(envCopy(template)), null);
}
