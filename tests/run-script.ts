/** Runs a CLI in scripts/ the way `npm run` does (through tsx), for tests of its output and exit code. */
import { execFile } from 'node:child_process';
import path from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);
const TSX = path.resolve(process.cwd(), 'node_modules', '.bin', 'tsx');

/** `env` is added to this process's environment (e.g. a key the script reads). */
export async function runScript(script: string, args: string[], env: Record<string, string> = {}): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await run(TSX, [script, ...args], { maxBuffer: 64 * 1024 * 1024, env: { ...process.env, ...env } });
    return { code: 0, stdout, stderr };
  } catch (err) {
    // execFile's error carries the exit code and the output.
    const pick = (k: string): unknown => (err !== null && typeof err === 'object' && k in err ? Reflect.get(err, k) : undefined);
    const code = pick('code');
    return { code: typeof code === 'number' ? code : -1, stdout: String(pick('stdout') ?? ''), stderr: String(pick('stderr') ?? '') };
  }
}

/** `npm run headless` with the actor key in its environment; `out` is stdout then stderr, all a person would read. */
export async function runHeadless(args: string[], key: string): Promise<{ code: number; out: string }> {
  const r = await runScript('scripts/headless-run.ts', args, { SPOTTER_ACTOR_KEY: key });
  return { code: r.code, out: r.stdout + r.stderr };
}
