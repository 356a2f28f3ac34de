/**
 * `npm run exam` end to end under Node: the real sets built from
 * ../shared/tau-bench, the real OpenAI-compatible client against
 * ProviderServerDouble, and the tiny transformers.js model on onnxruntime-node.
 */
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildCriticPrompt } from '../src/lib/critic/prompt.ts';
import { examToJsonl, parseExamJsonl } from '../src/lib/exam/jsonl.ts';
import { parseExamResults } from '../src/lib/exam/results.ts';
import { ProviderServerDouble, type RecordedRequest } from '../tests/doubles/provider-server-double.ts';
import { examSet, hasExamSources } from '../tests/fixtures/exam-items.ts';
import { runScript } from '../tests/run-script.ts';
import { makeTinyModels } from './make-tiny-model.ts';

const KEY = 'sk-exam-SECRET-7f3a91';
const items = hasExamSources ? await examSet('quick') : [];
const dir = mkdtempSync(join(tmpdir(), 'spotter-exam-'));
const itemsFile = join(dir, 'items.jsonl');
const provider = new ProviderServerDouble();

function userTurn(req: RecordedRequest): string {
  const messages = req.body['messages'];
  const last: unknown = Array.isArray(messages) ? messages.at(-1) : undefined;
  const content = last !== null && typeof last === 'object' && 'content' in last ? last.content : undefined;
  return typeof content === 'string' ? content : '';
}
const labelByPrompt = new Map(items.map((i) => [buildCriticPrompt(i.input).user, i.label]));

beforeAll(async () => {
  writeFileSync(itemsFile, examToJsonl(items.slice(0, 24)));
  makeTinyModels();
  await provider.start();
  provider.respond('oracle', (req) =>
    labelByPrompt.get(userTurn(req)) === 'revise'
      ? { kind: 'message', content: '{"decision": "revise", "feedback": "Not on the gold path."}' }
      : { kind: 'message', content: '{"decision": "approve"}' },
  );
  provider.respond('echo', () => ({ kind: 'echo-key', echo: 'full' }));
});
afterAll(() => provider.stop());

function exam(args: string[], env: Record<string, string> = {}): Promise<{ code: number; stdout: string; stderr: string }> {
  return runScript('scripts/exam.ts', args, { ...env });
}

describe.skipIf(!hasExamSources)('npm run exam', () => {
  it('export writes the set as JSONL, one item per line with id, label and why', async () => {
    const r = await exam(['export', '--set', 'quick']);
    expect(r.code).toBe(0);
    const lines = r.stdout.trim().split('\n');
    expect(lines).toHaveLength(60);
    const back = parseExamJsonl(r.stdout);
    expect(back.map((i) => [i.id, i.label, i.why])).toEqual(items.map((i) => [i.id, i.label, i.why]));
  });

  it('grade against an endpoint: the results file, the table with baselines, no key anywhere', async () => {
    const out = join(dir, 'oracle.json');
    const r = await exam(['grade', '--set', 'quick', '--critic-base-url', `${provider.url}/v1`, '--critic-model', 'oracle', '--out', out], { SPOTTER_CRITIC_KEY: KEY });
    expect(r.stderr).not.toContain('exam failed');
    expect(r.code).toBe(0);
    const results = parseExamResults(readFileSync(out, 'utf8'), out);
    const first = items;
    const revise = 30;
    expect(first.filter((i) => i.label === 'revise')).toHaveLength(revise);
    expect(results.records).toHaveLength(60);
    expect(results.set).toEqual({ name: 'quick', items: 60 });
    expect(results.critic).toEqual({ label: 'remote:oracle', engine: 'openai-compatible', model: 'oracle', device: 'remote' });
    expect(results.metrics.matrix).toEqual({ revise: { approve: 0, revise, unparsed: 0, failed: 0 }, approve: { approve: 60 - revise, revise: 0, unparsed: 0, failed: 0 } });
    expect(results.records.map((x) => [x.id, x.label, x.tool, x.decision])).toEqual(first.map((i) => [i.id, i.label, i.tool, i.label]));
    expect(r.stdout).toContain('approve everything');
    expect(r.stdout).toContain('revise everything');
    expect(r.stdout).toMatch(/MCC\s+1\.000\s+0\.000\s+0\.000/);
    expect(r.stderr).toContain('[60/60]');
    // The key went to the provider and nowhere else.
    expect(provider.requests.at(-1)?.headers['authorization']).toBe(`Bearer ${KEY}`);
    expect(`${r.stdout}${r.stderr}${readFileSync(out, 'utf8')}`).not.toContain(KEY);
  });

  it('grades an exam file (--items); takes the key from the variable --critic-api-key-env names, and scrubs a provider echoing it', async () => {
    const out = join(dir, 'echo.json');
    const r = await exam(['grade', '--items', itemsFile, '--critic-base-url', `${provider.url}/v1`, '--critic-model', 'echo', '--critic-api-key-env', 'MY_CRITIC_KEY', '--limit', '3', '--out', out], {
      MY_CRITIC_KEY: KEY,
    });
    expect(r.code).toBe(0);
    const results = parseExamResults(readFileSync(out, 'utf8'), out);
    expect(results.set).toEqual({ name: 'quick', items: 24 });
    expect(results.metrics.failed).toBe(3);
    expect(results.records[0]?.errorCode).toBe('provider');
    expect(provider.requests.at(-1)?.headers['authorization']).toBe(`Bearer ${KEY}`);
    // The provider's 401 repeats the key; the records keep the error message, without it.
    expect(`${r.stdout}${r.stderr}`).not.toContain(KEY);
  });

  it('grades with the tiny transformers.js model on Node (--limit)', async () => {
    const out = join(dir, 'tiny.json');
    const r = await exam(['grade', '--set', 'quick', '--critic-engine', 'transformers', '--critic-model', '.fixtures/models/tiny-critic', '--limit', '3', '--out', out]);
    expect(r.stderr).not.toContain('exam failed');
    expect(r.code).toBe(0);
    const results = parseExamResults(readFileSync(out, 'utf8'), out);
    expect(results.critic).toMatchObject({ label: 'transformers:tiny-critic', engine: 'transformers', model: 'tiny-critic', device: 'cpu', quantization: 'fp32' });
    // The tiny critic always approves.
    expect(results.records.map((x) => x.decision)).toEqual(['approve', 'approve', 'approve']);
    expect(results.metrics.promptTokens.median).toBeGreaterThan(1000);
    expect(results.metrics.contextOverflows).toBe(0);
  });

  it('resumes from its results file without grading any item twice; --fresh starts over; another critic is refused', async () => {
    const out = join(dir, 'resume.json');
    const args = ['grade', '--set', 'quick', '--critic-base-url', `${provider.url}/v1`, '--critic-model', 'oracle', '--out', out];
    const env = { SPOTTER_CRITIC_KEY: KEY };
    const before = provider.requests.length;
    expect((await exam([...args, '--limit', '10'], env)).code).toBe(0);
    expect(provider.requests.length - before).toBe(10);
    const resumed = await exam(args, env);
    expect(resumed.code).toBe(0);
    expect(resumed.stderr).toContain('Resuming');
    expect(resumed.stderr).toContain('10 items already graded');
    expect(provider.requests.length - before).toBe(60);
    const results = parseExamResults(readFileSync(out, 'utf8'), out);
    expect(new Set(results.records.map((r) => r.id)).size).toBe(60);
    expect(results.metrics.scores.mcc).toBe(1);
    const other = await exam(['grade', '--set', 'quick', '--critic-base-url', `${provider.url}/v1`, '--critic-model', 'echo', '--out', out], env);
    expect(other.code).toBe(2);
    expect(other.stderr).toContain('holds results of remote:oracle on quick; pass --fresh');
    expect((await exam([...args, '--limit', '5', '--fresh'], env)).code).toBe(0);
    expect(parseExamResults(readFileSync(out, 'utf8'), out).records).toHaveLength(5);
  }, 180_000); // four runs of the CLI

  it('a corrupt exam file is rejected, naming the file, line and field', async () => {
    const bad = join(dir, 'bad.jsonl');
    writeFileSync(bad, examToJsonl(items.slice(0, 3)).replace('"label":"', '"label":"maybe-'));
    const r = await exam(['export', '--items', bad]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(`${bad}: line 1: label: `);
    expect(r.stdout).toBe('');
  });

  it('bad arguments: exit 2 with the usage', async () => {
    const r = await exam(['grade', '--items', itemsFile, '--critic-model', 'x', '--out', join(dir, 'x.json')]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('--critic-base-url: is required');
    expect(r.stderr).toContain('Usage:');
  });
});
