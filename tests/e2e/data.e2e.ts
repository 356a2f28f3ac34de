import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import type { BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadEnvContext } from '../../src/lib/data/env-context.ts';
import { loadTauPack } from '../../src/lib/envs/tau-bench/pack.ts';
import { nodePackSource } from '../../src/lib/envs/tau-bench/pack-node.ts';
import { toJsonl as examplesJsonl, type ExportFormat } from '../../src/lib/data/training-jsonl.ts';
import { interventionLabels } from '../../src/lib/data/labels/interventions.ts';
import { combineLabels } from '../../src/lib/data/labels/label.ts';
import { outcomeLabels } from '../../src/lib/data/labels/outcome.ts';
import { allDecisionPoints, runPipeline, type EnvContext, type PipelineResult } from '../../src/lib/data/pipeline.ts';
import { call, recordEpisode, recordScripted, say, type ScriptedEpisode } from '../fixtures/scripted-episodes.ts';
import { toJsonl } from '../../src/lib/traces/jsonl.ts';
import type { EpisodeTrace } from '../../src/lib/traces/schema.ts';
import { loadCritic, useE2E } from './harness.ts';

// Retail test task 0's gold actions (../shared/tau-bench), acted out right and wrong.
const FIND = call('find_user_id_by_name_zip', { first_name: 'Yusuf', last_name: 'Rossi', zip: '19122' });
const ORDER = call('get_order_details', { order_id: '#W2378156' });
const exchange = (payment: string) =>
  call('exchange_delivered_order_items', {
    order_id: '#W2378156',
    item_ids: ['1151293680', '4983901480'],
    new_item_ids: ['7706410293', '7747408585'],
    payment_method_id: payment,
  });
const retail = (e: Omit<ScriptedEpisode, 'environment' | 'taskIndex'>): ScriptedEpisode => ({ ...e, environment: { family: 'tau-bench', domain: 'retail' }, taskIndex: 0 });
const RETAIL: ScriptedEpisode[] = [
  retail({ id: 'R1', reward: 1, mode: 'off', user: ['Exchange my items'], actor: [FIND, ORDER, exchange('credit_card_9513926'), say('Done.')] }),
  retail({ id: 'R2', reward: 0, mode: 'off', user: ['Exchange my items'], actor: [FIND, ORDER, exchange('gift_card_1'), say('Done.')] }),
  retail({
    id: 'R3',
    reward: 1,
    mode: 'intervene',
    user: ['Exchange my items'],
    actor: [FIND, exchange('gift_card_1'), exchange('credit_card_9513926'), say('Done.')],
    critic: [{ decision: 'approve' }, { decision: 'revise', category: 'payment', feedback: 'Use the card the user named.' }, { decision: 'approve' }, { decision: 'approve' }],
  }),
];

const PACK = resolve(import.meta.dirname, '../../../shared/tau-bench');
const OPTIONS = { outcome: true, interventions: true, hardTasksOnly: false, validationFraction: 0.2, seed: 'spotter' };

const { app, openPage } = useE2E();
let dir: string;
let traces: EpisodeTrace[];
let expected: PipelineResult;
let envCtx: EnvContext;
/** Proposals with an outcome or intervention label: what the comparison re-judges by default. */
let labelled: number;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'spotter-data-'));
  traces = [...(await recordScripted()), ...(await Promise.all(RETAIL.map(async (e) => (await recordEpisode(e)).trace)))];
  const { ctx, problems } = await loadEnvContext(traces.map((t) => t.meta), (domain, split) => loadTauPack(nodePackSource(PACK), [domain], { [domain]: [split] }));
  expect(problems).toEqual([]);
  envCtx = ctx;
  expected = runPipeline(traces, ctx, OPTIONS);
  const labels = combineLabels([outcomeLabels(traces, ctx.goldOf), interventionLabels(traces, ctx.goldOf)]);
  labelled = allDecisionPoints(traces, ctx.toolsOf).filter((p) => labels.has(p.key)).length;
});
afterAll(() => {
  rmSync(dir, { recursive: true, force: true });
});

async function download(page: Page, testId: string): Promise<string> {
  const [d] = await Promise.all([page.waitForEvent('download'), page.getByTestId(testId).click()]);
  const path = join(dir, d.suggestedFilename());
  await d.saveAs(path);
  return readFileSync(path, 'utf8');
}

describe('Data tab in a real browser', () => {
  let context: BrowserContext;
  let page: Page;
  let errors: string[];

  beforeAll(async () => {
    ({ context, page, errors } = await openPage({ acceptDownloads: true }));
    await page.goto(app.url);
    await page.getByTestId('tab-history').click();
    const file = join(dir, 'episodes.jsonl');
    writeFileSync(file, toJsonl(traces));
    await page.getByTestId('import-file').setInputFiles(file);
    await page.getByTestId('import-notice').waitFor();
    expect(await page.getByTestId('import-notice').innerText()).toBe(`Imported ${traces.length} episodes.`);
    await page.getByTestId('tab-data').click();
  });
  afterAll(async () => {
    await context?.close();
  });

  it('labels stored episodes with the pack’s gold and downloads exactly the Node pipeline’s files', async () => {
    const proposals = expected.proposals;
    await page.waitForFunction((n) => document.querySelector('[data-testid=data-counts]')?.textContent?.includes(`${n} proposals`), proposals);
    expect(expected.stats.revise).toBeGreaterThan(1);
    expect(expected.stats.byEnvironment['tau-bench/retail']?.revise).toBe(2);
    // Labels settle once the pack's gold has loaded: poll rather than read once.
    await expect
      .poll(() => page.getByTestId('data-stats').innerText(), { timeout: 15_000 })
      .toContain(`${expected.stats.total} examples: ${expected.stats.approve} approve, ${expected.stats.revise} revise`);
    expect(expected.split.validationTasks.length).toBeGreaterThan(0);
    const files: Array<[string, 'train' | 'validation', ExportFormat]> = [
      ['dl-train-openai', 'train', 'openai'],
      ['dl-train-trl', 'train', 'trl'],
      ['dl-validation-openai', 'validation', 'openai'],
      ['dl-validation-trl', 'validation', 'trl'],
    ];
    for (const [id, part, format] of files) {
      expect(await download(page, id)).toBe(examplesJsonl(part === 'train' ? expected.split.train : expected.split.validation, format));
    }
    expect(errors).toEqual([]);
  });

  it('after leaving the tab and coming back, every setting still drives the examples, the split and the downloads', async () => {
    await page.getByTestId('tab-chat').click();
    await page.getByTestId('tab-data').click();
    await page.getByTestId('data-stats').waitFor();
    // Interventions only, 50 % validation: the labels, split and files of that pipeline (was: unchanged, issue 20 problem 9).
    const changed = runPipeline(traces, envCtx, { ...OPTIONS, outcome: false, validationFraction: 0.5 });
    expect(changed.stats.total).not.toBe(expected.stats.total);
    await page.getByTestId('src-outcome').uncheck();
    await page.getByTestId('validation-percent').fill('50');
    await expect
      .poll(() => page.getByTestId('data-stats').innerText(), { timeout: 10_000 })
      .toContain(`${changed.stats.total} examples: ${changed.stats.approve} approve, ${changed.stats.revise} revise`);
    await expect(page.getByTestId('data-split').innerText()).resolves.toContain(`Validation: ${changed.split.validation.length} example`);
    expect(await download(page, 'dl-train-openai')).toBe(examplesJsonl(changed.split.train, 'openai'));
    // Re-judging follows its cap too.
    await page.getByTestId('eval-limit').fill('3');
    await expect.poll(() => page.getByTestId('eval-count').innerText()).toMatch(/^3 proposals/);
    // Every source off: no example, and the tab says why and what would give some.
    await page.getByTestId('src-interventions').uncheck();
    await expect(page.getByTestId('no-examples').innerText()).resolves.toMatch(/Every label source is off.*teacher/);
    await page.getByTestId('src-outcome').check();
    await page.getByTestId('src-interventions').check();
    await page.getByTestId('validation-percent').fill('20');
    await page.getByTestId('eval-limit').fill('200');
    await expect.poll(() => page.getByTestId('data-stats').innerText()).toContain(`${expected.stats.total} examples`);
    expect(errors).toEqual([]);
  });

  it('re-judges with the recorded verdicts and shows the comparison and live-run figures', async () => {
    await page.getByTestId('eval-run').click();
    const table = page.getByTestId('eval-table');
    await table.waitFor();
    const row = await table.locator('tbody tr').first().innerText();
    expect(row.split('\t')[0]).toBe('recorded');
    // Recorded verdicts on labelled proposals: C (4) and R3 (4); D failed and, with no gold for the shop (policy chat), has no labels.
    expect(row.split('\t')[1]).toBe('8');
    const live = await page.getByTestId('live-table').innerText();
    // Gold is known for R3 only: its wrong payment method was turned into the right one.
    expect(live).toContain('1 of 1 wrong first proposals');
    expect(live).toContain('0 of 1 right first proposals');
    expect(live).toContain('2 of 3 interventions');
    expect(errors).toEqual([]);
  });

  it('re-judges with the tiny in-browser critic loaded in the Critic tab, with progress and a chart', async () => {
    await loadCritic(page, { model: 'tiny-critic', device: 'wasm' });
    await page.getByTestId('tab-data').click();
    await page.getByTestId('eval-critic-local').check();
    await page.getByTestId('eval-run').click();
    await page.waitForFunction(() => document.querySelectorAll('[data-testid=eval-table] tbody tr').length === 2, undefined, { timeout: 120_000 });
    const rows = await page.getByTestId('eval-table').locator('tbody tr').allInnerTexts();
    const tiny = rows[1]?.split('\t') ?? [];
    expect(tiny[0]).toBe('transformers:tiny-critic');
    // judged, approve, revise, unparsed, errors: the tiny critic approves everything.
    expect(tiny.slice(1, 6)).toEqual([String(labelled), String(labelled), '0', '0', '0']);
    expect(await page.locator('[data-testid=critic-eval-panel] svg rect').count()).toBe(6);
    expect(errors).toEqual([]);
  });
});
