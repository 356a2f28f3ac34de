/** What the in-browser critic and the in-browser actor share: their worker, web-llm's model list. */
import type { ModelRecord } from '@mlc-ai/web-llm';

/** A fresh worker running web-llm's handler; each engine gets its own, so actor and critic load side by side. */
export function webllmWorker(): Worker {
  return new Worker(new URL('../../workers/webllm.worker.ts', import.meta.url), { type: 'module' });
}

/** web-llm's prebuilt list; web-llm (several MB) is imported only when a panel asks for it. */
export async function prebuiltModelList(): Promise<readonly ModelRecord[]> {
  return (await import('@mlc-ai/web-llm')).prebuiltAppConfig.model_list;
}
