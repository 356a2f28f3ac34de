/**
 * Timings for `npm run bench`: building the exam sets from the pack and the
 * historical GPT-4o airline results (Node, ../shared/tau-bench): loading,
 * validating, and the build of every set, first (cold) and again (median of
 * three builds from fresh sources objects, so nothing is reused).
 */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { loadTauPack } from '../src/lib/envs/tau-bench/pack.ts';
import { defaultTauDir, nodePackSource } from '../src/lib/envs/tau-bench/pack-node.ts';
import { buildExamSet, EXAM_SET_NAMES, type ExamSources } from '../src/lib/exam/sets.ts';
import { HISTORICAL_AIRLINE_FILE } from '../src/lib/exam/sources-node.ts';
import { median } from '../src/lib/percentiles.ts';
import { parseTauResultRecords } from '../src/lib/traces/tau-results.ts';

const round = (x: number): number => Math.round(x * 10) / 10;

function buildAll(sources: ExamSources): number {
  const t = performance.now();
  for (const name of EXAM_SET_NAMES) buildExamSet(name, sources);
  return performance.now() - t;
}

export async function benchExamSets(dir: string = defaultTauDir()): Promise<Record<string, number>> {
  let t = performance.now();
  const pack = await loadTauPack(nodePackSource(dir), ['airline']);
  const packMs = performance.now() - t;
  const text = await readFile(join(dir, HISTORICAL_AIRLINE_FILE), 'utf8');
  t = performance.now();
  const historical = parseTauResultRecords(JSON.parse(text));
  const parseMs = performance.now() - t;
  const coldMs = buildAll({ pack, historical });
  const warm = [0, 1, 2].map(() => buildAll({ pack, historical }));
  return {
    'exam.airline_pack_load_ms': round(packMs),
    'exam.historical_parse_validate_ms': round(parseMs),
    'exam.all_sets_build_cold_ms': round(coldMs),
    'exam.all_sets_build_ms (median of 3)': round(median(warm) ?? NaN),
  };
}
