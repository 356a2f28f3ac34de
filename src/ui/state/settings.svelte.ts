import { z } from 'zod';
import { ProviderConfigSchema, type ProviderConfig } from '../../lib/actor/provider.ts';
import { CriticModeSchema, FailureRuleSchema, type ModelEngine } from '../../lib/contracts.ts';
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
const SettingsFieldsSchema = z.object({
  actor: ProviderConfigSchema.omit({ apiKey: true }).default({ kind: 'openai-compatible', baseUrl: 'https://api.openai.com/v1', model: 'gpt-4o', temperature: 0, maxTokens: 1024, stream: false }),
  critic: ProviderConfigSchema.omit({ apiKey: true }).default({ kind: 'openai-compatible', baseUrl: 'https://api.openai.com/v1', model: 'gpt-4o-mini', temperature: 0, maxTokens: 512, stream: false }),
  /** The actor runs in this browser (a web-llm model, Setup panel) instead of on the provider above: see `actorEngine`. */
  actorOnDevice: z.boolean().default(false),
  localActorModel: z.string().min(1).default(DEFAULT_LOCAL_ACTOR),
  /** The critic is the one loaded in this browser (Critic tab) instead of the provider above: see `criticEngine`. */
  criticOnDevice: z.boolean().default(false),
  mode: CriticModeSchema.default('intervene'),
  maxRevisions: z.number().int().min(0).max(5).default(2),
  failureRule: FailureRuleSchema.default('fail-open'),
  criticTimeoutS: z.number().positive().max(600).default(60),
  rememberKeys: z.boolean().default(false),
  policy: z.string().default('Never promise a refund over $100. Never ask for a full card number.'),
});

/**
 * Records saved before the one engine vocabulary said `actorEngine` / `criticEngine`:
 * 'remote' (the provider above) or 'local' (in this browser). They read as the
 * `…OnDevice` flags; any other value is left to fail the schema (the record falls back whole).
 */
function fromEngineChoice(raw: unknown): unknown {
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) return raw;
  const out: Record<string, unknown> = { ...raw };
  for (const who of ['actor', 'critic'] as const) {
    const old = out[`${who}Engine`];
    Reflect.deleteProperty(out, `${who}Engine`);
    if (old === undefined || `${who}OnDevice` in out) continue;
    out[`${who}OnDevice`] = old === 'local' ? true : old === 'remote' ? false : old;
  }
  return out;
}
const SavedSettingsSchema = z.preprocess(fromEngineChoice, SettingsFieldsSchema);
type SavedSettings = z.infer<typeof SettingsFieldsSchema>;
type SettingKey = keyof SavedSettings;
const SETTING_KEYS = SettingsFieldsSchema.keyof().options;

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

  /** The actor's engine, of the one vocabulary: the provider's API style, or 'local' (the model loaded in this browser). */
  get actorEngine(): ModelEngine {
    return this.actorOnDevice ? 'local' : this.actor.kind;
  }
  set actorEngine(engine: ModelEngine) {
    this.actorOnDevice = engine === 'local';
    if (engine !== 'local') this.actor.kind = engine;
  }

  /** The critic's engine, of the one vocabulary: the critic provider's API style, or 'local' (the critic loaded in this browser). */
  get criticEngine(): ModelEngine {
    return this.criticOnDevice ? 'local' : this.critic.kind;
  }
  set criticEngine(engine: ModelEngine) {
    this.criticOnDevice = engine === 'local';
    if (engine !== 'local') this.critic.kind = engine;
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
