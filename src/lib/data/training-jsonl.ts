import { z } from 'zod';
import { examplePrompt, type TrainingExample } from './examples.ts';

const Msg = <R extends string>(role: R) => z.object({ role: z.literal(role), content: z.string() }).strict();

/** OpenAI chat fine-tuning line: system, user, and the assistant's verdict JSON. */
export const OpenAIChatLineSchema = z
  .object({ messages: z.tuple([Msg('system'), Msg('user'), Msg('assistant')]) })
  .strict();
type OpenAIChatLine = z.infer<typeof OpenAIChatLineSchema>;

/**
 * TRL conversational prompt-completion line (TRL "Dataset formats"): the
 * prompt is the system and user messages, the completion the assistant's
 * verdict. SFTTrainer applies the chat template and, for this type, trains
 * on the completion only, which is what a critic should learn.
 */
export const TrlPromptCompletionLineSchema = z
  .object({ prompt: z.tuple([Msg('system'), Msg('user')]), completion: z.tuple([Msg('assistant')]) })
  .strict();
type TrlPromptCompletionLine = z.infer<typeof TrlPromptCompletionLineSchema>;

export type ExportFormat = 'openai' | 'trl';

function toOpenAIChat(e: TrainingExample, contextWindow?: number): OpenAIChatLine {
  const p = examplePrompt(e, contextWindow);
  return {
    messages: [
      { role: 'system', content: p.system },
      { role: 'user', content: p.user },
      { role: 'assistant', content: e.completion },
    ],
  };
}

function toTrl(e: TrainingExample, contextWindow?: number): TrlPromptCompletionLine {
  const p = examplePrompt(e, contextWindow);
  return {
    prompt: [
      { role: 'system', content: p.system },
      { role: 'user', content: p.user },
    ],
    completion: [{ role: 'assistant', content: e.completion }],
  };
}

/** JSONL, one example per line, newline-terminated (both trainers read it with `datasets`' json loader). */
export function toJsonl(examples: readonly TrainingExample[], format: ExportFormat, contextWindow?: number): string {
  return [...jsonlChunks(examples, format, 500, contextWindow)].join('');
}

/** The same JSONL in chunks of `size` lines, so a large file can become a Blob without one giant string. */
export function* jsonlChunks(examples: readonly TrainingExample[], format: ExportFormat, size = 500, contextWindow?: number): Generator<string> {
  const toLine = format === 'openai' ? toOpenAIChat : toTrl;
  const line = (e: TrainingExample) => toLine(e, contextWindow);
  for (let i = 0; i < examples.length; i += size) {
    yield examples
      .slice(i, i + size)
      .map((e) => JSON.stringify(line(e)) + '\n')
      .join('');
  }
}

export function exportFileName(format: ExportFormat, part: 'train' | 'validation'): string {
  return `spotter-critic-${part}.${format === 'openai' ? 'openai-chat' : 'trl'}.jsonl`;
}
