/**
 * The pack exporter run on ../shared/tau-bench-src (the upstream Python at the
 * pinned commit) must reproduce ../shared/tau-bench byte for byte: every file,
 * none missing, none extra (historical/ aside: it is a verbatim copy the
 * exporter makes only with --with-historical, from a full upstream checkout).
 */
import { execFile } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { packFiles } from './vite-tau-pack.ts';

const run = promisify(execFile);
const EXPORTER = 'scripts/export-tau-pack.py';
const SRC = path.resolve('..', 'shared', 'tau-bench-src');
const PACK = path.resolve('..', 'shared', 'tau-bench');

async function exportPack(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await run('python3', [EXPORTER, ...args]);
    return { code: 0, stdout, stderr };
  } catch (err) {
    const pick = (k: string): unknown => (err !== null && typeof err === 'object' && k in err ? Reflect.get(err, k) : undefined);
    const code = pick('code');
    return { code: typeof code === 'number' ? code : -1, stdout: String(pick('stdout') ?? ''), stderr: String(pick('stderr') ?? '') };
  }
}


interface PackDiff {
  missing: string[];
  extra: string[];
  differ: string[];
  same: number;
}

/** Compares two pack folders by content, file by file; `skip` leaves out paths under those prefixes. */
function diffPacks(actual: string, expected: string, skip: readonly string[] = []): PackDiff {
  const keep = (f: string) => !skip.some((s) => f.startsWith(s));
  const a = packFiles(actual).filter(keep);
  const e = packFiles(expected).filter(keep);
  const diff: PackDiff = { missing: e.filter((f) => !a.includes(f)), extra: a.filter((f) => !e.includes(f)), differ: [], same: 0 };
  for (const f of e.filter((x) => a.includes(x))) {
    if (readFileSync(path.join(actual, f)).equals(readFileSync(path.join(expected, f)))) diff.same++;
    else diff.differ.push(f);
  }
  return diff;
}

describe('scripts/export-tau-pack.py', () => {
  let tmp = '';
  let out = '';
  let result: Awaited<ReturnType<typeof exportPack>>;

  beforeAll(async () => {
    tmp = mkdtempSync(path.join(tmpdir(), 'tau-pack-'));
    out = path.join(tmp, 'pack');
    result = await exportPack(['--src', SRC, '--out', out]);
  }, 60_000);
  afterAll(() => rmSync(tmp, { recursive: true, force: true }));

  it('exports ../shared/tau-bench-src to exactly ../shared/tau-bench (historical/ aside), byte for byte', () => {
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    const expected = packFiles(PACK).filter((f) => !f.startsWith('historical/'));
    expect(expected).toHaveLength(18);
    // It prints what it wrote.
    expect(result.stdout.trim().split('\n')).toEqual(expected);
    expect(diffPacks(out, PACK, ['historical/'])).toEqual({ missing: [], extra: [], differ: [], same: 18 });
  });

  it('the comparison sees one changed byte (same size), a missing file and an extra one', () => {
    const copy = path.join(tmp, 'changed');
    rmSync(copy, { recursive: true, force: true });
    // A copy of the export with airline/tools.json changed in one byte, retail/rules.json gone and a stray file.
    for (const f of packFiles(out)) {
      const bytes = readFileSync(path.join(out, f));
      if (f === 'retail/rules.json') continue;
      if (f === 'airline/tools.json') bytes[100] = (bytes[100] ?? 0) ^ 1;
      const to = path.join(copy, f);
      mkdirSync(path.dirname(to), { recursive: true });
      writeFileSync(to, bytes);
    }
    writeFileSync(path.join(copy, 'airline', 'tasks_train.json'), '[]');
    expect(statSync(path.join(copy, 'airline/tools.json')).size).toBe(statSync(path.join(PACK, 'airline/tools.json')).size);
    expect(diffPacks(copy, PACK, ['historical/'])).toEqual({
      missing: ['retail/rules.json'],
      extra: ['airline/tasks_train.json'],
      differ: ['airline/tools.json'],
      same: 16,
    });
  });

  it('refuses a non-empty output folder, and --with-historical without the upstream file, writing nothing', async () => {
    const again = await exportPack(['--src', SRC, '--out', out]);
    expect(again.code).toBe(1);
    expect(again.stderr).toContain('not empty (the export writes a fresh pack)');
    const fresh = path.join(tmp, 'fresh');
    const noHistory = await exportPack(['--src', SRC, '--out', fresh, '--with-historical']);
    expect(noHistory.code).toBe(1);
    expect(noHistory.stderr).toContain('historical_trajectories/gpt-4o-airline.json: missing');
    expect(existsSync(fresh)).toBe(false);
    const notUpstream = await exportPack(['--src', tmp, '--out', path.join(tmp, 'x')]);
    expect(notUpstream.code).toBe(1);
    expect(notUpstream.stderr).toContain('no tau_bench/envs here');
  }, 60_000);
});
