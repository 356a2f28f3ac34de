/**
 * The critic's prompts stay byte-identical: every quick-set exam item and the
 * longest real-length tau-bench episodes (../shared/tau-bench), single-turn
 * and incremental, at every window, against digests recorded before the
 * prompt code was refactored (tests/fixtures/critic-prompt/).
 */
import { readFileSync } from 'node:fs';
import { beforeAll, describe, expect, it } from 'vitest';
import { digestCase, snapshotCases, type PromptCase } from '../../../tests/fixtures/critic-prompt/digests.ts';

const recorded: unknown = JSON.parse(readFileSync(new URL('../../../tests/fixtures/critic-prompt/snapshot.json', import.meta.url), 'utf8'));
let cases: PromptCase[] = [];

beforeAll(async () => {
  cases = await snapshotCases();
}, 120_000);

describe('critic prompt snapshot', () => {
  it('covers the quick set and long real-length episodes of both domains', () => {
    expect(cases.filter((c) => c.name.startsWith('quick/'))).toHaveLength(60);
    expect(cases.filter((c) => c.episode).length).toBe(12);
    expect(Math.min(...cases.filter((c) => c.episode).map((c) => c.points.length))).toBeGreaterThanOrEqual(15);
  });

  it('renders every prompt exactly as recorded', () => {
    const now = Object.fromEntries(cases.map((c) => [c.name, digestCase(c)]));
    expect(now).toEqual(recorded);
  }, 120_000);
});
