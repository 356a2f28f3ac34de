import { z } from 'zod';
import { ProviderConfigSchema, type ProviderConfig } from '../../lib/actor/provider.ts';
import { CriticModeSchema, FailureRuleSchema } from '../../lib/types.ts';
import { loadStored, saveStored } from './stored.ts';

const STORAGE_KEY = 'spotter.settings.v1';
const KEY_PREFIX = 'spotter.key.';
/** Runs without shader-f16, and follows a JSON action format well for its size. */
const DEFAULT_LOCAL_ACTOR = 'Qwen2.5-7B-Instruct-q4f32_1-MLC';

/**
 * What is saved on this device: everything but the keys (those only on explicit
 * opt-in, apart). The one place the settings' shape and defaults are written:
 * each field is also a reactive property of Settings, and a field missing from
 * a stored record (saved before it existed) takes its default.
 */
const SavedSettingsSchema = z.object({
  actor: ProviderConfigSchema.omit({ apiKey: true }).default({ kind: 'openai-compatible', baseUrl: 'https://api.openai.com/v1', model: 'gpt-4o', temperature: 0, maxTokens: 1024, stream: false }),
  critic: ProviderConfigSchema.omit({ apiKey: true }).default({ kind: 'openai-compatible', baseUrl: 'https://api.openai.com/v1', model: 'gpt-4o-mini', temperature: 0, maxTokens: 512, stream: false }),
  /** remote: the provider above; local: a web-llm model in this browser (Setup panel). */
  actorEngine: z.enum(['remote', 'local']).default('remote'),
  localActorModel: z.string().min(1).default(DEFAULT_LOCAL_ACTOR),
  criticEngine: z.enum(['remote', 'local']).default('remote'),
  mode: CriticModeSchema.default('intervene'),
  maxRevisions: z.number().int().min(0).max(5).default(2),
  failureRule: FailureRuleSchema.default('fail-open'),
  criticTimeoutS: z.number().positive().max(600).default(60),
  rememberKeys: z.boolean().default(false),
  policy: z.string().default('Never promise a refund over $100. Never ask for a full card number.'),
});
type SavedSettings = z.infer<typeof SavedSettingsSchema>;
type SettingKey = keyof SavedSettings;
const SETTING_KEYS = SavedSettingsSchema.keyof().options;

// Each saved field is a property of Settings (defined in its static block), typed from the schema.
// eslint-disable-next-line @typescript-eslint/no-unsafe-declaration-merging, @typescript-eslint/no-empty-object-type
export interface Settings extends SavedSettings {}

/**
 * Settings for the actor, the critic and the loop. API keys are held in
 * memory only, unless the person opts in to remembering them on this device;
 * they are never part of the saved settings object, a trace or an export.
 */
// eslint-disable-next-line @typescript-eslint/no-unsafe-declaration-merging
export class Settings {
  /** The saved fields, one reactive record; read and written through the properties named after them. */
  #saved = $state<SavedSettings>(SavedSettingsSchema.parse({}));
  actorKey = $state('');
  criticKey = $state('');

  static {
    const expose = <K extends SettingKey>(key: K) =>
      Object.defineProperty(Settings.prototype, key, {
        get(this: Settings): SavedSettings[K] {
          return this.#saved[key];
        },
        set(this: Settings, value: SavedSettings[K]) {
          this.#saved[key] = value;
        },
        enumerable: true,
      });
    for (const key of SETTING_KEYS) expose(key);
  }

  constructor(private readonly storage: Storage | undefined = globalThis.localStorage) {
    this.#saved = loadStored(storage, STORAGE_KEY, SavedSettingsSchema, SavedSettingsSchema.parse({}));
    if (this.rememberKeys) {
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
    saveStored(this.storage, STORAGE_KEY, $state.snapshot(this.#saved));
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
