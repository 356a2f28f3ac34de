/**
 * `npm run fixtures` step: rebuilds tau2-bench's airline db.json (see
 * tau2-airline-db.ts) from ../shared into .fixtures/tau2/airline/db.json
 * (gitignored, never bundled), and says whether it is the exact upstream file.
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { AIRLINE_DB_BLOB, AirlineDbPatches, buildAirlineDb, gitBlobId } from './tau2-airline-db.ts';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
export const SHARED_V1_AIRLINE = resolve(ROOT, '../shared/tau-bench/airline');
export const AIRLINE_PATCHES = join(ROOT, 'tests/fixtures/tau2/airline-db-patches.json');
export const AIRLINE_DB_OUT = join(ROOT, '.fixtures/tau2/airline/db.json');

export function rebuildAirlineDb(): string {
  const read = (name: string): string => readFileSync(join(SHARED_V1_AIRLINE, `${name}.json`), 'utf8');
  const patches = AirlineDbPatches.parse(JSON.parse(readFileSync(AIRLINE_PATCHES, 'utf8')));
  return buildAirlineDb({ flights: read('flights'), users: read('users'), reservations: read('reservations') }, patches);
}

function main(): void {
  if (!existsSync(SHARED_V1_AIRLINE)) {
    console.log(`tau2: ${SHARED_V1_AIRLINE} missing; airline db not rebuilt`);
    return;
  }
  const text = rebuildAirlineDb();
  const blob = gitBlobId(text);
  const old = existsSync(AIRLINE_DB_OUT) ? readFileSync(AIRLINE_DB_OUT, 'utf8') : null;
  if (old !== text) {
    mkdirSync(dirname(AIRLINE_DB_OUT), { recursive: true });
    writeFileSync(AIRLINE_DB_OUT, text);
  }
  const exact = blob === AIRLINE_DB_BLOB;
  console.log(`tau2: airline db.json ${text.length} chars, blob ${blob} (${exact ? 'exact upstream copy' : `NOT the upstream blob ${AIRLINE_DB_BLOB}`})`);
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) main();
