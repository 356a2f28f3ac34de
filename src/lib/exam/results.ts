/**
 * An exam's results as a file: which critic, which set, when, its metrics and
 * one record per item. The app exports and imports it (compare laptops after
 * a talk), the CLI writes it (`exam grade --out results.json`). One versioned
 * zod schema, documented in docs/exam-results.md; bump the version with a
 * note there whenever the shape changes.
 */
import { z } from 'zod';
import { ValidationError } from '../errors.ts';
import { formatPath } from '../envs/tau-bench/pack.ts';
import { StoredEngineSchema } from '../contracts.ts';
import { examMetrics, ExamMetricsSchema } from './metrics.ts';
import { ExamRecordSchema, type ExamRecord } from './schema.ts';

const EXAM_RESULTS_FORMAT = 'spotter-exam-results';
const EXAM_RESULTS_VERSION = 2;
/** Version 1 files said engine "remote" for a provider endpoint; they read as version 2 (StoredEngineSchema migrates the engine). */
const ReadableVersionSchema = z.union([z.literal(1), z.literal(EXAM_RESULTS_VERSION)]).transform((): typeof EXAM_RESULTS_VERSION => EXAM_RESULTS_VERSION);

/** The critic that sat the exam, as people compare critics: model, engine, where it ran, how it was quantized, its window. */
export const CriticDescriptorSchema = z.object({
  /** The critic's display label (`transformers:tiny-critic`, `remote:gpt-4o-mini`). */
  label: z.string().min(1),
  /** Of the one engine vocabulary: a remote API style (`openai-compatible`, `anthropic`), or `webllm` / `transformers`. */
  engine: StoredEngineSchema,
  model: z.string().min(1),
  /** Where it ran: `webgpu`, `wasm`, `cpu` (Node) or `remote`. */
  device: z.string().optional(),
  /** The GPU adapter, as the browser describes it (vendor, architecture). */
  adapter: z.string().optional(),
  /** The weights' quantization (`q4f16_1`, `q4`, `fp32`). */
  quantization: z.string().optional(),
  /** The context window the prompts were budgeted to, in tokens; absent: none (a remote critic without --critic-context). */
  contextWindow: z.number().int().positive().optional(),
});
export type CriticDescriptor = z.infer<typeof CriticDescriptorSchema>;

const isoTime = z.iso.datetime({ offset: true });

const ExamResultsSchema = z
  .object({
    format: z.literal(EXAM_RESULTS_FORMAT),
    version: ReadableVersionSchema,
    critic: CriticDescriptorSchema,
    /** The exam set's name and its size (records may be fewer: a `--limit`, a stopped run). */
    set: z.object({ name: z.string().min(1), items: z.number().int().nonnegative() }),
    startedAt: isoTime,
    finishedAt: isoTime,
    /** Computed from `records` (examMetrics); the confusion matrix is `metrics.matrix` (label × decision) and `metrics.scores.confusion`. */
    metrics: ExamMetricsSchema,
    records: z.array(ExamRecordSchema),
  })
  .superRefine((r, ctx) => {
    const seen = new Set<string>();
    r.records.forEach((rec, i) => {
      if (seen.has(rec.id)) ctx.addIssue({ code: 'custom', path: ['records', i, 'id'], message: `"${rec.id}" appears twice` });
      seen.add(rec.id);
    });
    if (r.metrics.items !== r.records.length) {
      ctx.addIssue({ code: 'custom', path: ['metrics', 'items'], message: `${r.metrics.items} but the file holds ${r.records.length} records` });
    }
  });
export type ExamResults = z.infer<typeof ExamResultsSchema>;

/** The results of one run, metrics computed from the records. */
export function examResults(p: { critic: CriticDescriptor; set: { name: string; items: number }; startedAt: number; finishedAt: number; records: readonly ExamRecord[] }): ExamResults {
  return {
    format: EXAM_RESULTS_FORMAT,
    version: EXAM_RESULTS_VERSION,
    critic: p.critic,
    set: p.set,
    startedAt: new Date(p.startedAt).toISOString(),
    finishedAt: new Date(p.finishedAt).toISOString(),
    metrics: examMetrics(p.records),
    records: [...p.records],
  };
}

export function examResultsJson(r: ExamResults): string {
  return `${JSON.stringify(r, null, 2)}\n`;
}

/**
 * A results file read back: the whole file is checked before anything is
 * used, and a bad one is rejected whole with the field named
 * (`results.json: records[3].decision: ...`).
 */
export function parseExamResults(text: string, where: string): ExamResults {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (err) {
    throw new ValidationError(where, `not JSON (${err instanceof Error ? err.message : String(err)})`);
  }
  const r = ExamResultsSchema.safeParse(value);
  if (!r.success) {
    const issue = r.error.issues[0];
    throw new ValidationError(where, issue ? `${formatPath(issue.path)}: ${issue.message}` : 'invalid');
  }
  return r.data;
}
