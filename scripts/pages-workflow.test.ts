/**
 * The Pages workflow exports the tau-bench pack at build time: it checks out
 * the upstream repository at the commit the app pins, runs the exporter, and
 * builds with SPOTTER_TAU_DIR at the exported pack. This reads the workflow
 * as YAML and checks those steps agree with the script and the app; then it
 * runs the workflow's own export command on a stand-in checkout (the sparse
 * paths of ../shared/tau-bench-src, plus the historical file) and compares the
 * result with ../shared/tau-bench byte for byte, historical/ included.
 */
import { execFile } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import type { Plugin, Rollup } from 'vite';
import { afterAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { z } from 'zod';
import { TAU_BENCH_COMMIT, TAU_BENCH_REPOSITORY } from '../src/lib/envs/tau-bench/upstream.ts';
import { HISTORICAL_FILE } from '../src/lib/envs/tau-bench/historical.ts';
import { packFiles, tauPackPlugin } from './vite-tau-pack.ts';

const run = promisify(execFile);
const SHARED_SRC = path.resolve('..', 'shared', 'tau-bench-src');
const PACK = path.resolve('..', 'shared', 'tau-bench');

const StepSchema = z.object({
  name: z.string().optional(),
  uses: z.string().optional(),
  run: z.string().optional(),
  with: z.record(z.string(), z.union([z.string(), z.boolean(), z.number()])).optional(),
  env: z.record(z.string(), z.string()).optional(),
});
const WorkflowSchema = z.object({
  jobs: z.object({ build: z.object({ steps: z.array(StepSchema) }), deploy: z.object({ needs: z.string() }) }),
});

const workflow = WorkflowSchema.parse(parse(readFileSync('.github/workflows/pages.yml', 'utf8')));
const steps = workflow.jobs.build.steps;
const indexOf = (pred: (s: z.infer<typeof StepSchema>) => boolean, what: string): number => {
  const i = steps.findIndex(pred);
  if (i < 0) throw new Error(`pages.yml: no build step that ${what}`);
  return i;
};

const upstreamAt = indexOf((s) => s.uses?.startsWith('actions/checkout@') === true && s.with?.repository === TAU_BENCH_REPOSITORY, `checks out ${TAU_BENCH_REPOSITORY}`);
const upstream = steps[upstreamAt]?.with ?? {};
const exportAt = indexOf((s) => s.run?.includes('export-tau-pack.py') === true, 'runs the exporter');
const exportRun = steps[exportAt]?.run?.trim() ?? '';
const buildAt = indexOf((s) => s.run?.trim() === 'npm run build', 'runs npm run build');
const buildEnv = steps[buildAt]?.env ?? {};

/** `--flag value` and `--flag` pairs of a one-line command. */
function flagsOf(cmd: string): { argv: string[]; flags: Map<string, string | true> } {
  const argv = cmd.split(/\s+/);
  const flags = new Map<string, string | true>();
  argv.forEach((a, i) => {
    if (!a.startsWith('--')) return;
    const next = argv[i + 1];
    flags.set(a, next !== undefined && !next.startsWith('--') ? next : true);
  });
  return { argv, flags };
}

describe('.github/workflows/pages.yml', () => {
  it('checks out the upstream tau-bench at the commit the app pins', () => {
    expect(upstream.ref).toBe(TAU_BENCH_COMMIT);
    expect(TAU_BENCH_COMMIT).toMatch(/^[0-9a-f]{40}$/);
    expect(TAU_BENCH_COMMIT.startsWith('59a200c')).toBe(true); // ../shared/README.md
    // The sparse checkout holds what the exporter reads.
    const sparse = String(upstream['sparse-checkout']).trim().split('\n');
    expect(sparse).toEqual(['/LICENSE', '/tau_bench/', '/historical_trajectories/gpt-4o-airline.json']);
    expect(upstream['sparse-checkout-cone-mode']).toBe(false);
  });

  it('runs the exporter at its real path with its real flags, between the checkout and the build that bundles its output', async () => {
    const { argv, flags } = flagsOf(exportRun);
    expect(argv.slice(0, 2)).toEqual(['python3', 'scripts/export-tau-pack.py']);
    expect(existsSync(argv[1] ?? '')).toBe(true);
    expect(flags.get('--src')).toBe(upstream.path);
    expect(flags.get('--with-historical')).toBe(true);
    expect(flags.get('--out')).toBe(buildEnv.SPOTTER_TAU_DIR);
    // Every flag used is one the script declares.
    const { stdout: help } = await run('python3', ['scripts/export-tau-pack.py', '--help']);
    for (const f of flags.keys()) expect(help).toContain(f);
    expect(upstreamAt).toBeLessThan(exportAt);
    expect(exportAt).toBeLessThan(buildAt);
    expect(steps.find((s) => s.uses?.startsWith('actions/upload-pages-artifact@'))?.with?.path).toBe('dist');
    expect(workflow.jobs.deploy.needs).toBe('build');
  });

  describe("the workflow's export command, on a stand-in checkout", () => {
    const tmp = mkdtempSync(path.join(tmpdir(), 'pages-'));
    afterAll(() => rmSync(tmp, { recursive: true, force: true }));

    it('writes ../shared/tau-bench byte for byte, historical/ included, and the build plugin emits all of it', async () => {
      // The checkout: what the sparse paths select of the upstream source, plus the historical file (a verbatim copy).
      const checkout = path.join(tmp, String(upstream.path));
      mkdirSync(checkout, { recursive: true });
      cpSync(path.join(SHARED_SRC, 'LICENSE'), path.join(checkout, 'LICENSE'));
      cpSync(path.join(SHARED_SRC, 'tau_bench'), path.join(checkout, 'tau_bench'), { recursive: true });
      mkdirSync(path.join(checkout, 'historical_trajectories'));
      cpSync(path.join(PACK, HISTORICAL_FILE.packPath), path.join(checkout, HISTORICAL_FILE.upstreamPath));
      symlinkSync(path.resolve('scripts'), path.join(tmp, 'scripts'));
      await run('bash', ['-c', exportRun], { cwd: tmp });

      const out = path.join(tmp, buildEnv.SPOTTER_TAU_DIR ?? '');
      const files = packFiles(PACK);
      expect(files).toContain(HISTORICAL_FILE.packPath);
      expect(packFiles(out)).toEqual(files);
      const differ = files.filter((f) => !readFileSync(path.join(out, f)).equals(readFileSync(path.join(PACK, f))));
      expect(differ).toEqual([]);

      // vite's plugin copies the pack at SPOTTER_TAU_DIR into dist/tau-bench/.
      const emitted = new Map<string, number>();
      const context = {
        emitFile: (f: Rollup.EmittedFile) => {
          if (f.type === 'asset' && f.fileName !== undefined && f.source instanceof Uint8Array) emitted.set(f.fileName, f.source.byteLength);
          return '';
        },
        warn: (m: unknown) => {
          throw new Error(String(m));
        },
      };
      const hook: Plugin['generateBundle'] = tauPackPlugin(out).generateBundle;
      if (typeof hook !== 'function') throw new Error('tauPackPlugin: generateBundle is not a function');
      await Reflect.apply(hook, context, [{}, {}, true]);
      expect([...emitted.keys()].sort()).toEqual(files.map((f) => `tau-bench/${f}`));
      expect(emitted.get(`tau-bench/${HISTORICAL_FILE.packPath}`)).toBe(HISTORICAL_FILE.bytes);
    }, 60_000);
  });
});
