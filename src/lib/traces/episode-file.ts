/**
 * An episodes file as History opens it, whatever its format: Spotter's JSONL
 * (one episode per line) or a tau-bench results file (a JSON list), told
 * apart by content. Either is validated whole before anything is returned.
 */
import { parseJsonl } from './jsonl.ts';
import type { EpisodeTrace } from './schema.ts';
import { looksLikeTauResults, parseTauResults, type TauResultsOptions } from './tau-results.ts';

type EpisodeFileFormat = 'jsonl' | 'tau-bench-results';

interface ParsedEpisodeFile {
  format: EpisodeFileFormat;
  traces: EpisodeTrace[];
  /** Episodes whose id repeats an earlier one of the same file (kept: the first). */
  duplicatesInFile: number;
}

export function parseEpisodeFile(text: string, opts: TauResultsOptions = {}): ParsedEpisodeFile {
  if (!looksLikeTauResults(text)) return { format: 'jsonl', ...parseJsonl(text) };
  const seen = new Set<string>();
  const traces: EpisodeTrace[] = [];
  let duplicatesInFile = 0;
  for (const t of parseTauResults(text, opts).episodes) {
    if (seen.has(t.id)) {
      duplicatesInFile++;
      continue;
    }
    seen.add(t.id);
    traces.push(t);
  }
  return { format: 'tau-bench-results', traces, duplicatesInFile };
}
