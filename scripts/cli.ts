/** What the replay CLIs (scripts/tau.ts, scripts/userbench.ts) share: usage errors and reading an option's JSON file. */
import { readFile } from 'node:fs/promises';
import type { z } from 'zod';
import { errorMessage } from '../src/lib/errors.ts';
import { formatPath } from '../src/lib/envs/tau-bench/pack.ts';
import { JsonSyntaxError, parseJson, toJs, type PyValue } from '../src/lib/envs/tau-bench/py.ts';

/** Bad arguments or a bad input file: the CLI prints it with the usage and exits with code 2. */
export class UsageError extends Error {}

/**
 * Reads the JSON file given as `--<option>`, parsed as Python's json.load would, and checks it against
 * `schema`. Returns the parsed value as Python sees it (`raw`) and as the schema types it (`data`);
 * anything wrong is a UsageError naming the file (and the field).
 */
export async function readOptionFile<T>(option: string, file: string, schema: z.ZodType<T>): Promise<{ raw: PyValue; data: T }> {
  let raw: PyValue;
  try {
    raw = parseJson(await readFile(file, 'utf8'));
  } catch (err) {
    if (err instanceof JsonSyntaxError) throw new UsageError(`${file}: invalid JSON: ${err.message}`);
    throw new UsageError(`cannot read --${option} file ${file}: ${errorMessage(err)}`);
  }
  const r = schema.safeParse(toJs(raw));
  if (!r.success) {
    const issue = r.error.issues[0];
    throw new UsageError(`${file}: ${issue ? `${formatPath(issue.path)}: ${issue.message}` : 'invalid'}`);
  }
  return { raw, data: r.data };
}
