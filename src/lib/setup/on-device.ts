/**
 * On-device models, opened from a spec: the engine (load, unload, delete,
 * context window, one interface for both kinds) and what runs on it, a critic
 * or the actor. Nothing is downloaded until the caller loads the engine.
 * web-llm is imported on demand, so it stays out of the app's first load.
 */
import type { Actor } from '../actor/actor-interface.ts';
import type { Critic } from '../critic/critic-interface.ts';
import { WorkerCritic, type WorkerEndpoint } from '../critic/worker-critic.ts';
import { TransformersWorkerEngine } from '../engines/transformers-worker.ts';
import type { OnDeviceEngine } from '../engines/engine-interface.ts';
import type { MLCWorkerLike, WebLLMEngine, WebLLMStorage } from '../engines/webllm.ts';
import { EngineError } from '../errors.ts';
import type { OnDeviceCriticSpec, WebLLMCriticSpec } from './specs.ts';

/** Where the browser meets the engines: the app passes its real workers, tests put doubles behind the worker boundary. */
export interface OnDeviceDeps {
  webllmWorker: () => MLCWorkerLike;
  transformersWorker: () => WorkerEndpoint;
  webllmStorage?: Partial<WebLLMStorage>;
}

interface OnDeviceCritic {
  engine: OnDeviceEngine;
  critic: Critic;
}

async function webllmEngine(spec: Omit<WebLLMCriticSpec, 'engine'>, deps: Pick<OnDeviceDeps, 'webllmWorker' | 'webllmStorage'>): Promise<WebLLMEngine> {
  const { WebLLMEngine } = await import('../engines/webllm.ts');
  return new WebLLMEngine({
    model: spec.model,
    createWorker: deps.webllmWorker,
    ...(deps.webllmStorage ? { storage: deps.webllmStorage } : {}),
    ...(spec.cacheBackend ? { cacheBackend: spec.cacheBackend } : {}),
    ...(spec.custom ? { custom: spec.custom } : {}),
    ...(spec.contextWindow ? { contextWindow: spec.contextWindow } : {}),
    ...(spec.promptStyle ? { promptStyle: spec.promptStyle } : {}),
  });
}

/** The engine and critic for an on-device critic spec, not loaded yet. */
export async function openOnDeviceCritic(spec: OnDeviceCriticSpec, deps: OnDeviceDeps): Promise<OnDeviceCritic> {
  if (spec.engine === 'transformers') {
    const engine = new TransformersWorkerEngine(spec, () => new WorkerCritic(deps.transformersWorker()));
    return { engine, critic: engine.session };
  }
  const engine = await webllmEngine(spec, deps);
  const { WebLLMCritic } = await import('../critic/webllm-critic.ts');
  // Extends one chat per episode, so web-llm prefills only each step's new turn (single-turn for custom critics).
  return { engine, critic: new WebLLMCritic(engine) };
}

/** The web-llm engine for the in-browser actor, not loaded yet. */
export function openOnDeviceActorEngine(model: string, deps: Pick<OnDeviceDeps, 'webllmWorker' | 'webllmStorage'>): Promise<WebLLMEngine> {
  return webllmEngine({ model }, deps);
}

/** The actor over a loaded web-llm engine. */
export async function actorOnEngine(engine: WebLLMEngine): Promise<Actor> {
  const mlc = engine.chatEngine;
  if (!mlc) throw new EngineError('load-failed', `${engine.model} loaded without an engine`);
  const { WebLLMActor } = await import('../actor/webllm.ts');
  return new WebLLMActor(mlc, engine.model);
}
