import { loadTau2PackData } from './src/lib/envs/tau2/pack.ts';
import { nodeTau2Source } from './src/lib/envs/tau2/pack-node.ts';
import { packFromPosted, packToWire } from './src/lib/envs/tau2/pack-wire.ts';
import { parseJson } from './src/lib/envs/tau-bench/py.ts';
import { readFileSync } from 'node:fs';
const data = await loadTau2PackData(nodeTau2Source(), 'airline');
for (let i = 0; i < 4; i++) {
  const wire = packToWire(data);
  const t0 = performance.now();
  const w = structuredClone(wire, { transfer: [wire.texts] });
  const t1 = performance.now();
  await packFromPosted(w, 1e9);
  const t2 = performance.now();
  const sc = structuredClone(data.dbs.db);
  const t3 = performance.now();
  const txt = readFileSync('.fixtures/tau2/airline/db.json', 'utf8');
  const t4 = performance.now(); parseJson(txt); const t5 = performance.now();
  console.log(`clone wire ${(t1 - t0).toFixed(0)} ms | rebuild (unsliced) ${(t2 - t1).toFixed(0)} ms | structuredClone of parsed db ${(t3 - t2).toFixed(0)} ms | parseJson whole db.json ${(t5 - t4).toFixed(0)} ms | wire bytes ${wire.texts.byteLength}`);
}
