/**
 * The critic exam from the command line, with the same core as the app: the
 * factory builds the critic, gradeExam grades it item by item, examMetrics
 * scores it, and the results file is the one the app imports.
 *
 *   npm run --silent exam -- export --set quick > quick.jsonl
 *   SPOTTER_CRITIC_KEY=... npm run --silent exam -- grade --set quick \
 *     --critic-base-url https://api.openai.com/v1 --critic-model gpt-4o-mini --out results.json
 *   npm run --silent exam -- grade --set quick --critic-engine transformers \
 *     --critic-model .fixtures/models/tiny-critic --limit 20 --out results.json
 *
 * Progress goes to stderr, the export and the metrics table to stdout.
 */
import { existsSync, mkdirSync, readFileSync, renameSync, statSync, writeFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import type { ProviderConfig } from '../src/lib/actor/provider.ts';
import type { Critic } from '../src/lib/critic/critic-interface.ts';
import { errorMessage, ValidationError } from '../src/lib/errors.ts';
import { EXAM_USAGE, parseExamArgs, type ExamCommand, type ExamCriticOption, type ExamItemsOption } from './exam-cli.ts';
import { gradeExam } from '../src/lib/exam/grade.ts';
import { examToJsonl, parseExamJsonl } from '../src/lib/exam/jsonl.ts';
import { ExamSetNameSchema, buildExamSet, EXAM_SET_NAMES, examSetSummary } from '../src/lib/exam/sets.ts';
import { loadExamSourcesFromDir } from '../src/lib/exam/sources-node.ts';
import { examResults, examResultsJson, parseExamResults, type CriticDescriptor, type ExamResults } from '../src/lib/exam/results.ts';
import type { ExamItem, ExamRecord } from '../src/lib/exam/schema.ts';
import { formatExamReport } from '../src/lib/exam/table.ts';
import { redactSecrets } from '../src/lib/secrets.ts';
import { buildCritic } from '../src/lib/setup/factory.ts';
import { openOnDeviceCritic } from '../src/lib/setup/on-device.ts';
import { nodeTransformersWorker } from './node-critic-worker.ts';

const isFolder = (p: string): boolean => existsSync(p) && statSync(p).isDirectory();

/** The items of a named set, built from the data folder, or of an exam file (validated whole). */
async function loadItems(from: ExamItemsOption): Promise<{ name: string; items: ExamItem[] }> {
  if ('file' in from) {
    let text: string;
    try {
      text = readFileSync(from.file, 'utf8');
    } catch (err) {
      throw new ValidationError('--items', `cannot read ${from.file}: ${errorMessage(err)}`);
    }
    let items: ExamItem[];
    try {
      items = parseExamJsonl(text);
    } catch (err) {
      throw err instanceof ValidationError ? new ValidationError(from.file, err.message) : err;
    }
    return { name: items[0]?.set ?? from.file, items };
  }
  const name = ExamSetNameSchema.safeParse(from.set);
  if (!name.success) throw new ValidationError('--set', `no exam set "${from.set}" (there are ${EXAM_SET_NAMES.join(', ')})`);
  return { name: name.data, items: buildExamSet(name.data, await loadExamSourcesFromDir(from.dataDir)) };
}

/** The critic, built through the one factory (an on-device one opened and loaded first), and how to describe it in the results. */
async function openCritic(option: ExamCriticOption, key: string, say: (text: string) => void): Promise<{ critic: Critic; descriptor: CriticDescriptor; close: () => Promise<void> }> {
  if (option.kind === 'remote') {
    const base: ProviderConfig = { kind: option.spec.engine, baseUrl: option.spec.baseUrl ?? '', model: option.spec.model, apiKey: key, temperature: 0, maxTokens: 1024, stream: false };
    const critic = buildCritic(option.spec, { base });
    return {
      critic,
      descriptor: { label: critic.label, engine: option.spec.engine, model: option.spec.model, device: 'remote', ...(option.spec.contextWindow ? { contextWindow: option.spec.contextWindow } : {}) },
      close: async () => {},
    };
  }
  const { engine, critic: loaded } = await openOnDeviceCritic(option.config, {
    transformersWorker: nodeTransformersWorker,
    webllmWorker: () => {
      throw new ValidationError('--critic-engine', 'web-llm needs WebGPU in a browser; grade web-llm critics in the app');
    },
  });
  let lastPct = -10;
  const info = await engine.load((p) => {
    const pct = p.fraction === undefined ? undefined : Math.floor(p.fraction * 100);
    if (pct !== undefined && pct >= lastPct + 10) say(`loading ${option.config.model}: ${(lastPct = pct)}%`);
  });
  say(`loaded ${info.model} on ${info.device}${info.dtype ? ` (${info.dtype})` : ''}, window ${info.contextWindow ?? 'none'} tokens, in ${Math.round(info.loadMs)} ms`);
  const critic = buildCritic({ engine: 'local', model: option.config.model }, { base: { kind: 'openai-compatible', baseUrl: 'http://127.0.0.1/', model: '', apiKey: '', temperature: 0, maxTokens: 1, stream: false }, loaded });
  return {
    critic,
    descriptor: {
      label: critic.label,
      engine: 'transformers',
      model: option.config.model,
      device: info.device,
      ...(info.dtype ? { quantization: info.dtype } : {}),
      ...(info.contextWindow ? { contextWindow: info.contextWindow } : {}),
    },
    close: () => engine.unload(),
  };
}

/** Writes to stdout and waits until it is flushed: process.exit would cut a piped export short. */
const out = (text: string): Promise<void> => new Promise((done, fail) => process.stdout.write(text, (err) => (err ? fail(err) : done())));

/** The results an earlier run left in `out`, if any (a bad file is an error naming its field, never overwritten). */
function priorResults(out: string): ExamResults | undefined {
  if (!existsSync(out)) return undefined;
  return parseExamResults(readFileSync(out, 'utf8'), out);
}

const fmtMs = (ms: number | undefined): string => {
  if (ms === undefined) return '?';
  const s = Math.round(ms / 1000);
  return s < 60 ? `${s}s` : `${Math.floor(s / 60)}m${String(s % 60).padStart(2, '0')}s`;
};

async function grade(cmd: Extract<ExamCommand, { command: 'grade' }>, key: string, say: (text: string) => void): Promise<number> {
  const { name, items: all } = await loadItems(cmd.items);
  const items = cmd.limit === undefined ? all : all.slice(0, cmd.limit);
  const summary = examSetSummary(items);
  say(`Grading ${summary.items} of ${all.length} items of ${name} (${summary.byLabel.approve} approve, ${summary.byLabel.revise} revise).`);
  const { critic, descriptor, close } = await openCritic(cmd.critic, key, say);
  const controller = new AbortController();
  process.once('SIGINT', () => {
    say('Stopping: the results so far are written.');
    controller.abort();
  });
  const prior = cmd.fresh ? undefined : priorResults(cmd.out);
  if (prior && (JSON.stringify(prior.critic) !== JSON.stringify(descriptor) || prior.set.name !== name)) {
    await close();
    throw new ValidationError('--out', `${cmd.out} holds results of ${prior.critic.label} on ${prior.set.name}; pass --fresh to replace it or give another --out`);
  }
  const wanted = new Set(items.map((i) => i.id));
  const records: ExamRecord[] = (prior?.records ?? []).filter((r) => wanted.has(r.id));
  if (prior) say(`Resuming ${cmd.out}: ${records.length} items already graded.`);
  const startedAt = prior ? Date.parse(prior.startedAt) : Date.now();
  const save = (): ExamResults => {
    const results = examResults({ critic: descriptor, set: { name, items: all.length }, startedAt, finishedAt: Date.now(), records });
    mkdirSync(dirname(resolve(cmd.out)), { recursive: true });
    writeFileSync(`${cmd.out}.tmp`, examResultsJson(results));
    renameSync(`${cmd.out}.tmp`, cmd.out);
    return results;
  };
  let stopped = false;
  try {
    await gradeExam({
      critic,
      items,
      signal: controller.signal,
      timeoutMs: cmd.timeoutMs,
      alreadyGraded: new Set(records.map((r) => r.id)),
      // Each record is in the file as it lands: an interrupted run resumes with the same command.
      onRecord: (r) => {
        records.push(r);
        save();
      },
      onProgress: (p) => {
        const r = records.at(-1);
        if (r) say(`[${p.done}/${p.total}] ${r.id} ${r.tool}: ${r.decision} (label ${r.label}, ${Math.round(r.latencyMs)} ms${r.errorCode ? `, ${r.errorCode}` : ''}) ETA ${fmtMs(p.etaMs)}`);
      },
    });
  } catch (err) {
    if (!controller.signal.aborted) throw err;
    stopped = true;
  } finally {
    await close();
  }
  const results = save();
  await out(`Critic ${descriptor.label} on ${name}: ${records.length} of ${all.length} items${stopped ? ' (stopped)' : ''}\n\n${formatExamReport(results.metrics)}\n`);
  say(`Wrote ${cmd.out}.`);
  return stopped ? 1 : 0;
}

async function main(cmd: ExamCommand, key: string, say: (text: string) => void): Promise<number> {
  if (cmd.command === 'export') {
    const { items } = await loadItems(cmd.items);
    await out(examToJsonl(items));
    return 0;
  }
  return grade(cmd, key, say);
}

let cmd: ExamCommand;
try {
  cmd = parseExamArgs(process.argv.slice(2), process.env, isFolder);
} catch (err) {
  process.stderr.write(`${errorMessage(err)}\n\n${EXAM_USAGE}\n`);
  process.exit(2);
}
const key = cmd.command === 'grade' && cmd.critic.kind === 'remote' ? (process.env[cmd.critic.keyEnv] ?? '') : '';
const say = (text: string): void => void process.stderr.write(redactSecrets(text, [key]) + '\n');
main(cmd, key, say).then(
  (code) => process.exit(code),
  (err: unknown) => {
    const usage = err instanceof ValidationError;
    say(`exam failed: ${errorMessage(err)}${usage ? `\n\n${EXAM_USAGE}` : ''}`);
    process.exit(usage ? 2 : 1);
  },
);
