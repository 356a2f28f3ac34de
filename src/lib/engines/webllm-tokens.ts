/**
 * Token counts with the loaded web-llm model's own tokenizer. web-llm offers
 * no tokenize call across its worker boundary, so the worker runs web-llm's
 * handler extended by one message: COUNT_TOKENS with texts, answered by
 * TOKEN_COUNTS with their counts. The tokenizer is the one web-llm's chat
 * pipeline encodes prompts with (MLCEngine.loadedModelIdToPipeline →
 * LLMChatPipeline.tokenizer, web-llm 0.2.86); both are private in web-llm's
 * types, so they are reached by name and checked before use.
 */
import { WebWorkerMLCEngineHandler } from '@mlc-ai/web-llm';
import { z } from 'zod';

export const COUNT_TOKENS = 'spotter.countTokens';
const TOKEN_COUNTS = 'spotter.tokenCounts';

const CountTokensRequestSchema = z.object({ kind: z.literal(COUNT_TOKENS), uuid: z.string(), content: z.array(z.string()) });
export const TokenCountsSchema = z.object({
  kind: z.literal(TOKEN_COUNTS),
  uuid: z.string(),
  content: z.array(z.number().int().nonnegative()),
  error: z.string().optional(),
});
export type TokenCounts = z.infer<typeof TokenCountsSchema>;

interface Encoder {
  encode(text: string): ArrayLike<number>;
}

const isEncoder = (x: unknown): x is Encoder => x instanceof Object && typeof Reflect.get(x, 'encode') === 'function';

/** The tokenizer of the (first) loaded model of an MLCEngine, or undefined before a model is loaded. */
function loadedTokenizer(engine: unknown): Encoder | undefined {
  if (!(engine instanceof Object)) return undefined;
  const pipelines: unknown = Reflect.get(engine, 'loadedModelIdToPipeline');
  if (!(pipelines instanceof Map)) return undefined;
  for (const pipeline of pipelines.values()) {
    const tokenizer: unknown = pipeline instanceof Object ? Reflect.get(pipeline, 'tokenizer') : undefined;
    if (isEncoder(tokenizer)) return tokenizer;
  }
  return undefined;
}

/** web-llm's worker handler plus the token-count message. src/workers/webllm.worker.ts runs this one. */
export class CountingWebLLMHandler extends WebWorkerMLCEngineHandler {
  override onmessage(event: unknown, onComplete?: (value: unknown) => void, onError?: () => void): void {
    const data: unknown = typeof MessageEvent !== 'undefined' && event instanceof MessageEvent ? event.data : event;
    const req = CountTokensRequestSchema.safeParse(data);
    if (!req.success) {
      super.onmessage(event, onComplete, onError);
      return;
    }
    const tokenizer = loadedTokenizer(this.engine);
    const reply: TokenCounts = tokenizer
      ? { kind: TOKEN_COUNTS, uuid: req.data.uuid, content: req.data.content.map((t) => tokenizer.encode(t).length) }
      : { kind: TOKEN_COUNTS, uuid: req.data.uuid, content: [], error: 'No web-llm model is loaded' };
    this.postMessage(reply);
  }
}
