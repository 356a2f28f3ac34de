import { SpotterError, ValidationError, errorMessage } from '../errors.ts';
import { parseTraceRecord } from './migrations.ts';
import type { EpisodeTrace } from './schema.ts';

/** Keys shorter than this are too short to be real and would match ordinary text. */
const MIN_SECRET_LENGTH = 8;

/** Refused export: a trace holds a configured secret. The message never repeats the secret. */
export class SecretInExportError extends SpotterError {
  override name = 'SecretInExportError';
  constructor(readonly episodeId: string) {
    super('secret-in-export', `Episode ${episodeId} contains one of your API keys; it was not exported. Delete or edit that episode first.`);
  }
}

/**
 * One episode per line, each carrying its schemaVersion. Refuses (throws)
 * when any line contains one of `secrets` (the keys configured in settings),
 * as a last defence: traces are never meant to hold keys.
 */
export function toJsonl(traces: readonly EpisodeTrace[], secrets: readonly string[] = []): string {
  const keys = secrets.filter((s) => s.length >= MIN_SECRET_LENGTH);
  const lines: string[] = [];
  for (const t of traces) {
    const line = JSON.stringify(t);
    // JSON escapes some characters; check both the raw and the escaped form of each key.
    for (const k of keys) {
      if (line.includes(k) || line.includes(JSON.stringify(k).slice(1, -1))) throw new SecretInExportError(t.id);
    }
    lines.push(line);
  }
  return lines.length ? lines.join('\n') + '\n' : '';
}

interface ParsedJsonl {
  traces: EpisodeTrace[];
  /** Lines whose id repeats an earlier line of the same file (kept: the first). */
  duplicatesInFile: number;
}

/**
 * Parses and validates every line before returning anything: one bad line
 * rejects the whole file with a ValidationError naming the line and the field
 * (`line 5000: timeline.3.step.executed: ...`). Older versions are migrated;
 * blank lines are ignored.
 */
export function parseJsonl(text: string): ParsedJsonl {
  const traces: EpisodeTrace[] = [];
  const ids = new Set<string>();
  let duplicatesInFile = 0;
  let lineNo = 0;
  let start = 0;
  const src = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  while (start <= src.length) {
    let end = src.indexOf('\n', start);
    if (end === -1) end = src.length;
    lineNo++;
    const line = src.slice(start, end).trim();
    start = end + 1;
    if (line === '') continue;
    const where = `line ${lineNo}`;
    let value: unknown;
    try {
      value = JSON.parse(line);
    } catch (e) {
      throw new ValidationError(where, `not valid JSON (${errorMessage(e)})`);
    }
    const t = parseTraceRecord(value, where);
    if (ids.has(t.id)) {
      duplicatesInFile++;
      continue;
    }
    ids.add(t.id);
    traces.push(t);
  }
  if (traces.length === 0 && duplicatesInFile === 0) throw new ValidationError('file', 'no episodes in it');
  return { traces, duplicatesInFile };
}

/** `spotter-episodes-2026-01-31.jsonl` for the given time. */
export function exportFileName(now: number = Date.now()): string {
  return `spotter-episodes-${new Date(now).toISOString().slice(0, 10)}.jsonl`;
}
