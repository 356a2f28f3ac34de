import { z } from 'zod';
import { ProviderConfigSchema, type ProviderConfig } from '../../lib/actor/provider.ts';
import { CriticModeSchema, FailureRuleSchema } from '../../lib/types.ts';
import { loadStored, saveStored } from './stored.ts';

const STORAGE_KEY = 'spotter.settings.v1';
const KEY_PREFIX = 'spotter.key.';
/** Runs without shader-f16, and follows a JSON action format well for its size. */
const DEFAULT_LOCAL_ACTOR = 'Qwen2.5-7B-Instruct-q4f32_1-MLC';

/** What is saved on this device: everything but the keys (those only on explicit opt-in, apart). */
const SavedSettingsSchema = z.object({
  actor: ProviderConfigSchema.omit({ apiKey: true }),
  critic: ProviderConfigSchema.omit({ apiKey: true }),
  /** remote: the provider above; local: a web-llm model in this browser (Setup panel). */
  actorEngine: z.enum(['remote', 'local']).default('remote'),
  localActorModel: z.string().min(1).default(DEFAULT_LOCAL_ACTOR),
  criticEngine: z.enum(['remote', 'local']).default('remote'),
  mode: CriticModeSchema,
  maxRevisions: z.number().int().min(0).max(5),
  failureRule: FailureRuleSchema,
  criticTimeoutS: z.number().positive().max(600),
  rememberKeys: z.boolean(),
  policy: z.string(),
});
type SavedSettings = z.infer<typeof SavedSettingsSchema>;

const DEFAULTS: SavedSettings = {
  actor: { kind: 'openai-compatible', baseUrl: 'https://api.openai.com/v1', model: 'gpt-4o', temperature: 0, maxTokens: 1024, stream: false },
  critic: { kind: 'openai-compatible', baseUrl: 'https://api.openai.com/v1', model: 'gpt-4o-mini', temperature: 0, maxTokens: 512, stream: false },
  actorEngine: 'remote',
  localActorModel: DEFAULT_LOCAL_ACTOR,
  criticEngine: 'remote',
  mode: 'intervene',
  maxRevisions: 2,
  failureRule: 'fail-open',
  criticTimeoutS: 60,
  rememberKeys: false,
  policy: 'Never promise a refund over $100. Never ask for a full card number.',
};


/**
 * Settings for the actor, the critic and the loop. API keys are held in
 * memory only, unless the person opts in to remembering them on this device;
 * they are never part of the saved settings object, a trace or an export.
 */
export class Settings {
  actor = $state<SavedSettings['actor']>(DEFAULTS.actor);
  critic = $state<SavedSettings['critic']>(DEFAULTS.critic);
  actorEngine = $state<SavedSettings['actorEngine']>('remote');
  localActorModel = $state(DEFAULT_LOCAL_ACTOR);
  criticEngine = $state<SavedSettings['criticEngine']>('remote');
  mode = $state<SavedSettings['mode']>('intervene');
  maxRevisions = $state(2);
  failureRule = $state<SavedSettings['failureRule']>('fail-open');
  criticTimeoutS = $state(60);
  rememberKeys = $state(false);
  policy = $state('');
  actorKey = $state('');
  criticKey = $state('');

  constructor(private readonly storage: Storage | undefined = globalThis.localStorage) {
    const s = loadStored(storage, STORAGE_KEY, SavedSettingsSchema, DEFAULTS);
    this.actor = s.actor;
    this.critic = s.critic;
    this.actorEngine = s.actorEngine;
    this.localActorModel = s.localActorModel;
    this.criticEngine = s.criticEngine;
    this.mode = s.mode;
    this.maxRevisions = s.maxRevisions;
    this.failureRule = s.failureRule;
    this.criticTimeoutS = s.criticTimeoutS;
    this.rememberKeys = s.rememberKeys;
    this.policy = s.policy;
    if (s.rememberKeys) {
      this.actorKey = storage?.getItem(`${KEY_PREFIX}actor`) ?? '';
      this.criticKey = storage?.getItem(`${KEY_PREFIX}critic`) ?? '';
    }
  }

  get actorConfig(): ProviderConfig {
    return { ...$state.snapshot(this.actor), apiKey: this.actorKey };
  }

  get criticConfig(): ProviderConfig {
    // An empty critic key means "same key as the actor" when both use one provider.
    const key = this.criticKey || (this.critic.baseUrl === this.actor.baseUrl ? this.actorKey : '');
    return { ...$state.snapshot(this.critic), apiKey: key };
  }

  /** Every key currently known, to scrub from anything leaving the app. */
  get secrets(): string[] {
    return [this.actorKey, this.criticKey].filter((k) => k.length >= 4);
  }

  save(): void {
    const saved: SavedSettings = {
      actor: $state.snapshot(this.actor),
      critic: $state.snapshot(this.critic),
      actorEngine: this.actorEngine,
      localActorModel: this.localActorModel,
      criticEngine: this.criticEngine,
      mode: this.mode,
      maxRevisions: this.maxRevisions,
      failureRule: this.failureRule,
      criticTimeoutS: this.criticTimeoutS,
      rememberKeys: this.rememberKeys,
      policy: this.policy,
    };
    saveStored(this.storage, STORAGE_KEY, saved);
    try {
      if (this.rememberKeys) {
        this.storage?.setItem(`${KEY_PREFIX}actor`, this.actorKey);
        this.storage?.setItem(`${KEY_PREFIX}critic`, this.criticKey);
      } else {
        this.storage?.removeItem(`${KEY_PREFIX}actor`);
        this.storage?.removeItem(`${KEY_PREFIX}critic`);
      }
    } catch {
      // Storage disabled or full: the keys stay in memory for this session.
    }
  }
}
