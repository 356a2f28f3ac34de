/**
 * The critic exam in headless Chromium: the tiny transformers.js critic
 * grades `quick` items in its worker, each verdict stored in IndexedDB as it
 * lands; a reload mid-run resumes without grading any item again; an imported
 * results file joins the comparison table; a real GPT-4o episode plays with
 * the critic judging live and nothing sent once loaded; axe finds nothing
 * serious on the tab.
 */
import { createRequire } from 'node:module';
import { readFileSync } from 'node:fs';
import type { Page } from 'playwright-core';
import { beforeEach, describe, expect, it } from 'vitest';
import { examResults, examResultsJson } from '../../src/lib/exam/results.ts';
import { examToJsonl } from '../../src/lib/exam/jsonl.ts';
import type { ExamRecord } from '../../src/lib/exam/schema.ts';
import { examSet } from '../fixtures/exam-items.ts';
import { dumpIndexedDB, loadCritic, offHostRequests, useE2E, waitFor } from './harness.ts';

const { app, nextPage } = useE2E();
let page: Page;
let requests: string[];
let errors: string[];

beforeEach(async () => {
  ({ page, requests, errors } = await nextPage());
});

/** Opens the app (no first screen), loads the tiny critic on wasm and opens the Exam tab. */
async function openExam(p: Page): Promise<void> {
  await p.goto(app.url);
  await p.evaluate(() => localStorage.setItem('spotter.welcomed', '1'));
  await p.reload();
  await loadCritic(p, { model: 'tiny-critic', device: 'wasm' });
  await p.getByTestId('tab-exam').click();
  await p.getByTestId('exam-tab').waitFor();
  await waitFor('the critic to be ready for the exam', async () => (await p.getByTestId('exam-critic').getAttribute('data-ready')) === 'true', 10_000);
}

interface StoredRecord {
  id: string;
  label: string;
  decision: string;
  latencyMs: number;
}

/** The exam records in IndexedDB (every run's). */
async function storedRecords(p: Page): Promise<StoredRecord[]> {
  const dump = JSON.parse(await dumpIndexedDB(p, 'spotter-exam')) as { records?: StoredRecord[] };
  return dump.records ?? [];
}

async function progressDone(p: Page): Promise<number> {
  return Number((await p.getByTestId('exam-progress').getAttribute('data-done', { timeout: 1000 })) ?? NaN);
}

/** A results file of 10 verdicts on quick: 4 of 5 harmful caught, 1 of 5 correct blocked. */
function resultsFile(model: string): string {
  const records: ExamRecord[] = Array.from({ length: 10 }, (_, i) => ({
    id: `airline/${i}/0/4`,
    label: i < 5 ? 'revise' : 'approve',
    tool: 'update_reservation_flights',
    domain: 'airline',
    decision: i < 4 || i === 9 ? 'revise' : 'approve',
    ...(i === 4 ? { feedback: '**Ask** the user first <img src=x onerror=alert(1)>' } : {}),
    latencyMs: 800 + i,
  }));
  return examResultsJson(
    examResults({
      critic: { label: `webllm:${model}`, engine: 'webllm', model, device: 'webgpu', adapter: 'apple metal-3', quantization: 'q4f16_1', contextWindow: 4096 },
      set: { name: 'quick', items: 60 },
      startedAt: Date.parse('2026-12-01T10:00:00Z'),
      finishedAt: Date.parse('2026-12-01T10:05:00Z'),
      records,
    }),
  );
}

describe('the critic exam in the browser', () => {
  it('grades 20 items of quick with the tiny transformers.js critic in its worker, each verdict stored as it lands', async () => {
    await openExam(page);
    await page.getByTestId('exam-limit').fill('20');
    await page.getByTestId('exam-start').click();
    const row = page.locator('[data-testid=exam-row][data-model=tiny-critic]');
    await waitFor('20 items graded', async () => (await row.getAttribute('data-status')) === 'done', 300_000);
    const records = await storedRecords(page);
    expect(records.length).toBe(20);
    expect(new Set(records.map((r) => r.id)).size).toBe(20);
    // The tiny critic answers; whatever it says, each item got a verdict the exam counts.
    expect(records.every((r) => ['approve', 'revise', 'unparsed', 'failed'].includes(r.decision))).toBe(true);
    expect(await row.innerText()).toContain('quick (20)');
    // Both baselines of the set stand in the table and on the chart.
    expect(await page.locator('[data-testid=exam-baseline][data-set=quick]').count()).toBe(2);
    expect(await page.getByTestId('exam-chart-point').count()).toBe(1);
    // Every wrong verdict opens to its item: verdict, label, why and the prompt the critic saw.
    await row.getByTestId('exam-open-run').click();
    await page.getByTestId('exam-details').waitFor();
    const wrong = records.filter((r) => r.decision !== r.label);
    const tally: Record<string, number> = {};
    for (const r of records) tally[`${r.label}->${r.decision}`] = (tally[`${r.label}->${r.decision}`] ?? 0) + 1;
    console.log(`tiny critic on 20 quick items (label->verdict): ${JSON.stringify(tally)}`);
    expect(await page.getByTestId('exam-wrong-item').count()).toBe(wrong.length);
    if (wrong.length > 0) {
      const first = page.getByTestId('exam-wrong-item').first();
      await first.locator('summary').first().click();
      await first.getByTestId('exam-wrong-why').waitFor({ timeout: 60_000 });
      expect((await first.getByTestId('exam-wrong-why').innerText()).length).toBeGreaterThan(10);
      expect(['approve', 'revise']).toContain(await first.getByTestId('exam-wrong-label').innerText());
      await first.locator('details.prompt summary').click();
      const prompt = await first.getByTestId('exam-wrong-prompt').innerText();
      expect(prompt).toContain('# Policy');
      expect(prompt).toContain('# Proposed next action');
    }
    expect(offHostRequests(requests)).toEqual([]);
    expect(errors.filter((e) => !/404|Failed to load resource/.test(e))).toEqual([]);
  });

  it('resumes a run after a reload mid-run without grading any item twice', async () => {
    await openExam(page);
    await page.getByTestId('exam-limit').fill('12');
    await page.getByTestId('exam-start').click();
    await waitFor('a few verdicts', async () => (await storedRecords(page)).length >= 4, 300_000);
    await page.reload();
    const before = await storedRecords(page);
    expect(before.length).toBeGreaterThanOrEqual(4);
    expect(before.length).toBeLessThan(12);
    await page.evaluate(() => localStorage.setItem('spotter.welcomed', '1'));
    await loadCritic(page, { model: 'tiny-critic', device: 'wasm' });
    await page.getByTestId('tab-exam').click();
    const resume = page.getByTestId('exam-resume');
    await resume.waitFor();
    const stopped = await page.getByTestId('exam-interrupted').innerText();
    expect(stopped).toContain(`stopped at ${before.length} / 12`);
    await resume.click();
    // Progress starts from the stored verdicts, not from zero.
    await waitFor('progress', async () => (await progressDone(page)) >= before.length, 30_000);
    const row = page.locator('[data-testid=exam-row][data-model=tiny-critic]');
    await waitFor('the run to finish', async () => (await row.getAttribute('data-status')) === 'done', 300_000);
    const after = await storedRecords(page);
    expect(after.length).toBe(12);
    expect(new Set(after.map((r) => r.id)).size).toBe(12);
    // The verdicts stored before the reload are untouched: not one of those items was graded again.
    for (const r of before) expect(after.find((a) => a.id === r.id)).toEqual(r);
  });

  it('first screen: "Grade a critic, no key needed" leads to quick, the recommended critic loads in one click and grades', async () => {
    await page.goto(`${app.url}/?critic=transformers:tiny-critic`);
    await page.getByTestId('welcome').getByTestId('start-exam').click();
    await page.getByTestId('exam-tab').waitFor();
    expect(new URL(page.url()).hash).toBe('#/exam');
    expect(await page.getByTestId('exam-set').inputValue()).toBe('quick');
    expect(await page.getByTestId('exam-start').isDisabled()).toBe(true);
    await page.getByTestId('exam-tab').getByTestId('rec-load').click();
    await waitFor('the recommended critic', async () => (await page.getByTestId('exam-critic').getAttribute('data-ready')) === 'true', 120_000);
    expect(await page.getByTestId('exam-critic').innerText()).toContain('tiny-critic');
    await page.getByTestId('exam-limit').fill('4');
    await page.getByTestId('exam-start').click();
    const row = page.locator('[data-testid=exam-row][data-model=tiny-critic]');
    await waitFor('4 items graded', async () => (await row.getAttribute('data-status')) === 'done', 300_000);
    expect(await row.innerText()).toContain('quick (4)');
    expect(offHostRequests(requests)).toEqual([]);
  });

  it('shows an imported results file in the comparison table, with the baselines', async () => {
    await page.goto(app.url);
    await page.evaluate(() => localStorage.setItem('spotter.welcomed', '1'));
    await page.reload();
    await page.getByTestId('tab-exam').click();
    const file = resultsFile('Qwen3-1.7B-q4f16_1-MLC');
    await page.getByTestId('exam-import-file').setInputFiles({ name: 'laptop.json', mimeType: 'application/json', buffer: Buffer.from(file) });
    await page.getByTestId('exam-import-notice').waitFor();
    expect(await page.getByTestId('exam-import-notice').innerText()).toContain('Imported Qwen3-1.7B-q4f16_1-MLC on quick: 10 verdicts');
    const row = page.locator('[data-testid=exam-row][data-model="Qwen3-1.7B-q4f16_1-MLC"]');
    const text = await row.innerText();
    expect(text).toContain('laptop.json');
    expect(text).toContain('q4f16_1');
    expect(text).toContain('4096');
    // 4 of 5 harmful caught; 1 of 5 correct blocked.
    expect(await row.getByTestId('exam-caught').innerText()).toBe('80.0% [37.6–96.4%] 4/5');
    expect(await row.getByTestId('exam-blocked').innerText()).toBe('20.0% [3.6–62.4%] 1/5');
    expect(await page.locator('[data-testid=exam-baseline][data-set=quick]').count()).toBe(2);
    // A bad file is refused whole, naming the field.
    await page.getByTestId('exam-import-file').setInputFiles({ name: 'bad.json', mimeType: 'application/json', buffer: Buffer.from(file.replace('"decision": "revise"', '"decision": "maybe"')) });
    await waitFor('the refusal', async () => /Nothing imported: .*bad\.json.*records\[\d+\]\.decision/.test(await page.getByTestId('exam-import-notice').innerText()), 5000);
    expect(await page.getByTestId('exam-row').count()).toBe(1);
    // It survives a reload (stored in IndexedDB).
    await page.reload();
    await page.getByTestId('tab-exam').click();
    await row.waitFor();
  });

  it('imports an exam JSONL file as a personal set, offered for grading and exported back the same', async () => {
    await page.goto(app.url);
    await page.evaluate(() => localStorage.setItem('spotter.welcomed', '1'));
    await page.goto(`${app.url}/#/exam`);
    await page.getByTestId('exam-tab').waitFor();
    const items = (await examSet('quick')).slice(28, 34).map((i) => ({ ...i, set: 'my-retail' }));
    const text = examToJsonl(items);
    await page.getByTestId('exam-import-set-file').setInputFiles({ name: 'mine.jsonl', mimeType: 'application/jsonl', buffer: Buffer.from(text) });
    await page.getByTestId('exam-sets-notice').waitFor();
    expect(await page.getByTestId('exam-sets-notice').innerText()).toBe('Imported the set my-retail: 6 items.');
    expect(await page.getByTestId('exam-set').inputValue()).toBe('my-retail');
    expect(await page.getByTestId('exam-personal-set').innerText()).toContain('my-retail · 6 items (4 revise)');
    const download = page.waitForEvent('download');
    await page.getByTestId('exam-export-set').click();
    const file = await download;
    expect(file.suggestedFilename()).toBe('spotter-exam-my-retail.jsonl');
    expect(readFileSync(await file.path(), 'utf8')).toBe(text);
    // A bad line rejects the file whole, naming the line and field.
    await page.getByTestId('exam-import-set-file').setInputFiles({ name: 'bad.jsonl', mimeType: 'application/jsonl', buffer: Buffer.from(text.replace('"label":"revise"', '"label":"maybe"')) });
    await waitFor('the refusal', async () => /Nothing imported: line \d+: label/.test(await page.getByTestId('exam-sets-notice').innerText()), 5000);
    // Kept across a reload.
    await page.reload();
    await page.getByTestId('exam-personal-set').waitFor();
  });

  it('steps through a real GPT-4o episode, the critic judging each proposal, with 0 requests after load', async () => {
    await openExam(page);
    await page.getByTestId('watch-open').click();
    const stage = page.getByTestId('watch-stage');
    await stage.waitFor({ timeout: 120_000 });
    const frames = Number((await page.getByTestId('watch-pos').innerText()).split('/')[1]);
    await waitFor('the first verdict', async () => (await page.getByTestId('watch-judging').count()) === 0, 60_000);
    expect(frames).toBeGreaterThan(5);
    expect(await page.getByTestId('watch-reward').innerText()).toMatch(/Final reward: [01]/);
    const loaded = requests.length;
    // Step with the keyboard to the end of the episode, letting each proposal be judged.
    await stage.focus();
    for (let i = 1; i < frames; i++) {
      await page.keyboard.press('ArrowRight');
      await waitFor('the verdict', async () => (await page.getByTestId('watch-judging').count()) === 0, 60_000);
    }
    expect(await stage.getAttribute('data-at')).toBe(String(frames - 1));
    const verdicts = await page.getByTestId('verdict').count();
    expect(verdicts).toBe(await page.locator('[data-kind=proposal]').count());
    expect(verdicts).toBeGreaterThan(0);
    // Task 0 trial 0 has exam items: their labels stand beside the verdicts.
    expect(await page.getByTestId('watch-label').count()).toBeGreaterThan(0);
    await page.keyboard.press('ArrowLeft');
    expect(await stage.getAttribute('data-at')).toBe(String(frames - 2));
    // Presentation mode steps too, and Esc leaves it.
    await page.getByTestId('watch-present').click();
    await page.keyboard.press('Home');
    expect(await stage.getAttribute('data-at')).toBe('0');
    await page.keyboard.press('Escape');
    expect(await page.getByTestId('watch-present').getAttribute('aria-pressed')).toBe('false');
    expect(requests.slice(loaded)).toEqual([]);
    expect(errors.filter((e) => !/404|Failed to load resource/.test(e))).toEqual([]);
  });

  it('has no serious or critical axe violation on the Exam tab, and nothing scrolls sideways on a 390-px phone', async () => {
    await page.setViewportSize({ width: 390, height: 844 });
    await openExam(page);
    // A row in the table, its report and wrong verdicts open, and a real episode in the watch view.
    await page.getByTestId('exam-import-file').setInputFiles({ name: 'phone.json', mimeType: 'application/json', buffer: Buffer.from(resultsFile('tiny-critic')) });
    await page.getByTestId('exam-open-run').click();
    await page.getByTestId('exam-details').waitFor();
    await page.getByTestId('watch-open').click();
    await page.getByTestId('watch-stage').waitFor({ timeout: 120_000 });
    await page.evaluate(readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8'));
    const violations = await page.evaluate(async () => {
      const axe = (window as unknown as { axe: { run(ctx: Element, opts: object): Promise<{ violations: Array<{ id: string; impact: string | null; nodes: Array<{ target: unknown }> }> }> } }).axe;
      return (await axe.run(document.querySelector('main') ?? document.body, { resultTypes: ['violations'] })).violations;
    });
    expect(violations.filter((v) => v.impact === 'serious' || v.impact === 'critical').map((v) => `${v.id} ${JSON.stringify(v.nodes.slice(0, 2).map((n) => n.target))}`)).toEqual([]);
    const wide = await page.evaluate(() => [...document.querySelectorAll('main *')].filter((e) => !e.closest('.table-scroll') && e.getBoundingClientRect().right > window.innerWidth + 1).map((e) => `${e.tagName}.${e.className}`).slice(0, 8));
    expect(wide).toEqual([]);
    expect(await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth)).toBe(0);
  });
});
