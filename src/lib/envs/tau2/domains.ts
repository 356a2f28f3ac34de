/** The ported tau2 domains: each builds fresh environments from its validated initial DB. */
import { parseJson, type PyDict } from '../tau-bench/py.ts';
import { envCopy, freezeRecords } from './cow.ts';
import { airlineToolkit, loadAirlineDb } from './airline/index.ts';
import { Tau2Environment } from './environment.ts';
import { loadRetailDb, retailToolkit } from './retail/index.ts';
import type { Toolkit } from './toolkit.ts';

export const TAU2_DOMAINS = ['airline', 'retail'] as const;
export type Tau2Domain = (typeof TAU2_DOMAINS)[number];

export function isTau2Domain(s: string): s is Tau2Domain {
  return (TAU2_DOMAINS as readonly string[]).includes(s);
}

const BUILD: Record<Tau2Domain, { load: (json: ReturnType<typeof parseJson>) => PyDict; kit: (db: PyDict) => Toolkit }> = {
  airline: { load: loadAirlineDb, kit: airlineToolkit },
  retail: { load: loadRetailDb, kit: retailToolkit },
};

/** Parses and validates a domain's db.json once; `makeEnv` hands out environments on private copies. */
export function domainEnvFactory(domain: Tau2Domain, dbText: string): () => Tau2Environment {
  const { load, kit } = BUILD[domain];
  const template = load(parseJson(dbText));
  freezeRecords(template);
  return () => new Tau2Environment(domain, kit(envCopy(template)), null);
}
