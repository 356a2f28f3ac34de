/** The ported tau2 domains: each builds fresh environments from its validated initial DB. */
import { parseJson, type PyDict } from '../tau-bench/py.ts';
import { envCopy, freezeRecords } from './cow.ts';
import { AIRLINE_TOOLS, airlineToolkit, loadAirlineDb } from './airline/index.ts';
import { Tau2Environment } from './environment.ts';
import { loadRetailDb, RETAIL_TOOLS, retailToolkit } from './retail/index.ts';
import {
  loadTelecomDb,
  loadTelecomUserDb,
  TELECOM_POLICY_FILES,
  TELECOM_TOOLS,
  TELECOM_USER_TOOLS,
  telecomEnvFromDbs,
  telecomPolicy,
  tomlToPy,
  type TelecomEnvOptions,
} from './telecom/index.ts';
import type { Tau2Tool, Toolkit } from './toolkit.ts';
import { Tau2DomainSchema, type Tau2Domain } from '../environment.ts';

// The domains are named once, with the environment families (envs/environment.ts).
export { TAU2_DOMAINS, type Tau2Domain } from '../environment.ts';

export function isTau2Domain(s: string): s is Tau2Domain {
  return Tau2DomainSchema.safeParse(s).success;
}

const BUILD: Record<'airline' | 'retail', { load: (json: ReturnType<typeof parseJson>) => PyDict; kit: (db: PyDict) => Toolkit }> = {
  airline: { load: loadAirlineDb, kit: airlineToolkit },
  retail: { load: loadRetailDb, kit: retailToolkit },
};

/**
 * What the app needs to know about a domain: its files under `data/tau2/domains/<domain>/` in
 * tau2-bench at a2c0247 (`localTasks`: the task files in ../shared/tau2-bench used by dev, tests and CI
 * where upstream's `tasks` is not stored there), the agent's tools, the user's tools (telecom's phone:
 * the buttons of a person in the user's seat), and how the policy files are assembled into the agent's
 * policy (`policyFiles` texts, in order).
 */
export interface Tau2DomainSpec {
  files: { db: string; userDb?: string; tasks: string; splits: string; localTasks?: readonly string[]; policyFiles: readonly string[] };
  tools: readonly Tau2Tool[];
  userTools: readonly Tau2Tool[];
  policy: (policyTexts: readonly string[]) => string;
}

const onePolicy = (texts: readonly string[]): string => texts[0] ?? '';

export const TAU2_DOMAIN_SPECS: Record<Tau2Domain, Tau2DomainSpec> = {
  airline: { files: { db: 'db.json', tasks: 'tasks.json', splits: 'split_tasks.json', policyFiles: ['policy.md'] }, tools: AIRLINE_TOOLS, userTools: [], policy: onePolicy },
  retail: { files: { db: 'db.json', tasks: 'tasks.json', splits: 'split_tasks.json', policyFiles: ['policy.md'] }, tools: RETAIL_TOOLS, userTools: [], policy: onePolicy },
  telecom: {
    files: {
      db: 'db.toml',
      userDb: 'user_db.toml',
      // Upstream's tasks.json (all 2,285 tasks of the `full` split) is not in ../shared; its 134 base
      // and small tasks are, in these two files, equal as JSON to their entries there (docs/tau2.md).
      tasks: 'tasks.json',
      splits: 'split_tasks.json',
      localTasks: ['tasks.37199f3.json', 'tasks_small.json'],
      policyFiles: [TELECOM_POLICY_FILES.main, TELECOM_POLICY_FILES.techSupport],
    },
    tools: TELECOM_TOOLS,
    userTools: TELECOM_USER_TOOLS,
    policy: (texts) => telecomPolicy(texts[0] ?? '', texts[1] ?? ''),
  },
};

/** A domain's database files as text: airline and retail have `db.json`; telecom has `db.toml` and the user's `user_db.toml`. */
export interface Tau2DomainData {
  db: string;
  userDb?: string;
}

/** A domain's validated initial database(s): the template every environment copies (telecom also has the user's phone). */
export interface Tau2DomainDbs {
  db: PyDict;
  userDb: PyDict | null;
}

/** Parses and validates a domain's database file(s) (`data` alone is airline's or retail's db.json). */
export function domainDbs(domain: Tau2Domain, data: string | Tau2DomainData): Tau2DomainDbs {
  const files = typeof data === 'string' ? { db: data } : data;
  if (domain === 'telecom') {
    if (files.userDb === undefined) throw new Error('telecom needs user_db.toml besides db.toml');
    return { db: loadTelecomDb(tomlToPy(files.db, 'telecom db.toml')), userDb: loadTelecomUserDb(tomlToPy(files.userDb, 'telecom user_db.toml')) };
  }
  return { db: BUILD[domain].load(parseJson(files.db)), userDb: null };
}

/** Fresh environments, each on private copies of validated databases (`domainDbs`, or the same values from the pack worker). */
export function envFactoryOf(domain: Tau2Domain, dbs: Tau2DomainDbs, opts: TelecomEnvOptions = {}): () => Tau2Environment {
  if (domain === 'telecom') {
    if (dbs.userDb === null) throw new Error('telecom needs user_db.toml besides db.toml');
    return telecomEnvFromDbs(dbs.db, dbs.userDb, opts);
  }
  const { kit } = BUILD[domain];
  const template = dbs.db;
  freezeRecords(template);
  return () => new Tau2Environment(domain, kit(envCopy(template)), null);
}

/**
 * Parses and validates a domain's database(s) once; `makeEnv` hands out environments on private copies.
 * `dbText` alone is airline's or retail's db.json.
 */
export function domainEnvFactory(domain: Tau2Domain, data: string | Tau2DomainData, opts: TelecomEnvOptions = {}): () => Tau2Environment {
  return envFactoryOf(domain, domainDbs(domain, data), opts);
}
