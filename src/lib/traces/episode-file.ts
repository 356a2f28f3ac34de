/**
 * An episodes file as History opens it, whatever its format: Spotter's JSONL
 * (one episode per line), a tau-bench results file (a JSON list) or a
 * tau2-bench results file (a JSON object with `simulations`), told apart by
 * content. Each is validated whole before anything is returned.
 */
import { parseJsonl } from './jsonl.ts';
import type { EpisodeTrace } from './schema.ts';
import { looksLikeTauResults, parseTauResults, type TauResultsOptions } from './tau-results.ts';
import { tau2ResultsToEpisodes, tau2ResultsValue } from './tau2-results.ts';

type EpisodeFileFormat = 'jsonl' | 'tau-bench-results' | 'tau2-bench-results';

interface ParsedEpisodeFile {
  format: EpisodeFileFormat;
  traces: EpisodeTrace[];
  /** Episodes whose id repeats an earlier one of the same file (kept: the first). */
  duplicatesInFile: number;
}

export function parseEpisodeFile(text: string, opts: TauResultsOptions = {}): ParsedEpisodeFile {
  const tau2 = tau2ResultsValue(text);
  if (tau2 === undefined && !looksLikeTauResults(text)) return { format: 'jsonl', ...parseJsonl(text) };
  const seen = new Set<string>();
  const traces: EpisodeTrace[] = [];
  let duplicatesInFile = 0;
  const episodes = tau2 !== undefined ? tau2ResultsToEpisodes(tau2, opts.now).episodes : parseTauResults(text, opts).episodes;
  for (const t of episodes) {
    if (seen.has(t.id)) {
      duplicatesInFile++;
      continue;
    }
    seen.add(t.id);
    traces.push(t);
  }
  return { format: tau2 !== undefined ? 'tau2-bench-results' : 'tau-bench-results', traces, duplicatesInFile };
}
