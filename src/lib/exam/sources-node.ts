/** The exam's sources read from disk (Node only; kept apart so browser bundles never import node:fs). */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { loadTauPack } from '../envs/tau-bench/pack.ts';
import { defaultTauDir, nodePackSource } from '../envs/tau-bench/pack-node.ts';
import { ValidationError, errorMessage } from '../errors.ts';
import { examSourcesOf, type ExamSources } from './sets.ts';

/** Where the historical GPT-4o airline results live inside a pack folder. */
export const HISTORICAL_AIRLINE_FILE = 'historical/gpt-4o-airline.json';

/** The airline pack and the historical results from a folder laid out as ../shared/tau-bench (the default). */
export async function loadExamSourcesFromDir(dir: string = defaultTauDir()): Promise<ExamSources> {
  const pack = await loadTauPack(nodePackSource(dir), ['airline']);
  const file = join(dir, HISTORICAL_AIRLINE_FILE);
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (err) {
    throw new ValidationError(file, `cannot read the historical results (${errorMessage(err)})`);
  }
  return examSourcesOf(pack, text, file);
}
