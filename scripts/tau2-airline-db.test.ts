import { existsSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { AIRLINE_DB_BLOB, AIRLINE_DB_LENGTH, gitBlobId } from './tau2-airline-db.ts';
import { SHARED_V1_AIRLINE, rebuildAirlineDb } from './make-tau2-data.ts';

describe.runIf(existsSync(SHARED_V1_AIRLINE))('tau2 airline db.json rebuilt from v1 + patches', () => {
  const text = rebuildAirlineDb();
  const db = JSON.parse(text) as {
    flights: Record<string, { dates: Record<string, { status: string }> }>;
    users: Record<string, Record<string, unknown>>;
    reservations: Record<string, Record<string, unknown>>;
  };

  it('gitBlobId is git hash-object', () => {
    // `printf 'hello\n' | git hash-object --stdin`
    expect(gitBlobId('hello\n')).toBe('ce013625030ba8dba906f756967f9e9ca394464a');
  });

  it('has the real file length, layout and the patched records', () => {
    expect(text.length).toBe(AIRLINE_DB_LENGTH);
    expect(text.startsWith('{\n    "flights": {\n        "HAT001": {\n            "origin": "PHL",')).toBe(true);
    expect(text.endsWith('}')).toBe(true);
    expect(Object.keys(db.flights)).toHaveLength(300);
    expect(Object.keys(db.users)).toHaveLength(500);
    expect(Object.keys(db.reservations)).toHaveLength(2000);
    expect(Object.keys(db.users['mia_li_3668'] ?? {})[0]).toBe('user_id');
    expect(db.flights['HAT018']?.dates['2024-05-11']?.status).toBe('delayed');
    expect(db.reservations['Z7GOZK']?.['flight_type']).toBe('round_trip');
    expect(db.reservations['Z7GOZK']?.['destination']).toBe('IAH');
    // The later upstream change (tau2-bench 7c1c685) that made these economy is not in a2c0247.
    expect(db.reservations['K1NW8N']?.['cabin']).toBe('basic_economy');
    expect(db.reservations['OWZ4XL']?.['cabin']).toBe('basic_economy');
    expect(text).toContain('"amount": 250.0');
  });

  it(`hashes to the upstream blob ${AIRLINE_DB_BLOB}`, () => {
    expect(gitBlobId(text)).toBe(AIRLINE_DB_BLOB);
  });

  it('is what npm run fixtures wrote', () => {
    const out = '.fixtures/tau2/airline/db.json';
    if (existsSync(out)) expect(readFileSync(out, 'utf8') === text).toBe(true);
  });
});
