/**
 * Scrubs API keys out of text that came back from a provider (error messages
 * echo keys: "Incorrect API key provided: sk-…"), before that text is stored,
 * shown, logged or exported. Providers echo keys whole, cut to a prefix, or
 * inside JSON, so not only the whole key goes: any run of RUN_LENGTH or more
 * of its characters does too.
 */

/** Runs this long of a key are replaced; shorter ones match ordinary text too easily. */
export const RUN_LENGTH = 8;

/** How a key is named once scrubbed: its vendor prefix and last 4, e.g. `sk-…9f2c` (7 key characters at most, never a run of 8). */
export function redactionOf(key: string): string {
  const prefix = /^[a-z]{2,3}-/i.exec(key)?.[0] ?? '';
  return `${prefix}…${key.slice(-4)}`;
}

/** Keys worth scrubbing: at least one full run long (the empty "no key" and placeholders are skipped). */
function usable(secrets: readonly string[]): string[] {
  return [...new Set(secrets.filter((s) => s.length >= RUN_LENGTH))].sort((a, b) => b.length - a.length);
}

/**
 * Replaces every run of RUN_LENGTH or more characters of any secret in `text`
 * by `redactionOf(secret)`. Works on RUN_LENGTH-character windows: each window
 * that occurs in a secret marks its characters, and each marked stretch is
 * replaced once, so a prefix, a middle part or the whole key all go.
 */
export function redactSecrets(text: string, secrets: readonly string[]): string {
  const keys = usable(secrets);
  if (keys.length === 0 || text.length < RUN_LENGTH) return text;
  const owner = new Map<string, string>();
  for (const key of keys) {
    for (let i = 0; i + RUN_LENGTH <= key.length; i++) {
      const gram = key.slice(i, i + RUN_LENGTH);
      if (!owner.has(gram)) owner.set(gram, key);
    }
  }
  const marked = new Array<string | undefined>(text.length);
  let any = false;
  for (let i = 0; i + RUN_LENGTH <= text.length; i++) {
    const key = owner.get(text.slice(i, i + RUN_LENGTH));
    if (!key) continue;
    any = true;
    for (let j = i; j < i + RUN_LENGTH; j++) marked[j] ??= key;
  }
  if (!any) return text;
  let out = '';
  for (let i = 0; i < text.length; ) {
    const key = marked[i];
    if (!key) {
      out += text[i];
      i++;
      continue;
    }
    out += redactionOf(key);
    while (i < text.length && marked[i] !== undefined) i++;
  }
  return out;
}
