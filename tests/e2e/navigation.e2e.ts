/**
 * Navigation (issue 20): tabs are hash routes, deep links open a tab or one
 * stored episode, arrow keys move between tabs, focus comes back after the
 * intro and presentation mode, and on a 390-px phone opening an episode from
 * History shows it without scrolling.
 */
import { readFileSync } from 'node:fs';
import { beforeEach, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { ProviderServerDouble } from '../doubles/provider-server-double.ts';
import { configureProvider, dumpIndexedDB, openWithSettings, screenshot, seriousViolations, useE2E } from './harness.ts';

const provider = new ProviderServerDouble();
const { app, nextPage } = useE2E({ provider });
let page: Page;

beforeEach(async () => {
  ({ page } = await nextPage());
});

/** Runs one short chat episode and returns its id. */
async function recordEpisode(p: Page, first: string): Promise<string> {
  provider.script('actor', { kind: 'message', content: 'Refunds up to $100 are fine.' }).script('critic', { kind: 'message', content: '{"decision":"approve"}' });
  await configureProvider(p, provider, { key: 'sk-nav-test-1', critic: 'critic' });
  await p.fill('textarea[name=message]', first);
  await p.press('textarea[name=message]', 'Enter');
  await p.getByText('Refunds up to $100 are fine.').waitFor({ timeout: 30_000 });
  let id = '';
  await expect
    .poll(async () => {
      const db = JSON.parse(await dumpIndexedDB(p, 'spotter-traces')) as { episodes: Array<{ id: string; timeline: unknown[] }> };
      id = db.episodes[0]?.id ?? '';
      return db.episodes[0]?.timeline.length;
    }, { timeout: 10_000 })
    .toBe(2);
  await p.getByTestId('abort').click();
  return id;
}

describe('tabs as routes', () => {
  it('a tab click sets the hash, a reload keeps the tab, back goes back, and an episode link opens it', async () => {
    await page.goto(app.url);
    await page.getByTestId('close-welcome').click();
    const id = await recordEpisode(page, 'Where is my parcel from last Tuesday?');
    await page.getByTestId('tab-history').click();
    expect(new URL(page.url()).hash).toBe('#/history');
    await page.reload();
    await page.getByTestId('review').waitFor();
    expect(await page.getByTestId('tab-history').getAttribute('aria-selected')).toBe('true');
    // The row says what the episode was about, with one step (singular).
    const row = page.getByTestId('episode-row').first();
    await expect(row.getByTestId('row-preview').innerText()).resolves.toBe('Where is my parcel from last Tuesday?');
    await expect(row.getByTestId('row-steps').innerText()).resolves.toBe('1 step');
    await row.click();
    await page.getByTestId('episode-view').waitFor();
    expect(new URL(page.url()).hash).toBe(`#/history/${id}`);
    await page.getByTestId('tab-data').click();
    expect(new URL(page.url()).hash).toBe('#/data');
    await page.goBack();
    await page.getByTestId('episode-view').waitFor();

    // A link to the episode, opened fresh.
    const fresh = await page.context().newPage();
    await fresh.goto(`${app.url}#/history/${id}`);
    await fresh.getByTestId('episode-view').waitFor({ timeout: 10_000 });
    await expect(fresh.getByTestId('episode-view').innerText()).resolves.toContain('Where is my parcel');
    await fresh.goto(`${app.url}#/privacy`);
    await fresh.reload();
    expect(await fresh.getByTestId('tab-privacy').getAttribute('aria-selected')).toBe('true');
  });

  it('arrow keys, Home and End move between tabs; only the current tab is a Tab stop', async () => {
    await page.goto(`${app.url}#/chat`);
    await page.getByTestId('close-welcome').click();
    // Closing the intro leaves focus on the current tab, not the body.
    await expect.poll(() => page.evaluate(() => document.activeElement?.getAttribute('data-testid'))).toBe('tab-chat');
    const focused = () => page.evaluate(() => document.activeElement?.getAttribute('data-testid'));
    await page.keyboard.press('ArrowRight');
    expect(await focused()).toBe('tab-critic');
    expect(new URL(page.url()).hash).toBe('#/critic');
    await page.keyboard.press('ArrowLeft');
    await page.keyboard.press('ArrowLeft');
    expect(await focused()).toBe('tab-privacy');
    await page.keyboard.press('Home');
    expect(await focused()).toBe('tab-chat');
    await page.keyboard.press('End');
    expect(await focused()).toBe('tab-privacy');
    const stops = await page.locator('[role=tab][tabindex="0"]').count();
    expect(stops).toBe(1);
    expect(await seriousViolations(page)).toEqual([]);
  });
});

describe('History', () => {
  it('ticks episodes with Space and Ctrl-click, exports just those, and deletes them together', async () => {
    await page.goto(app.url);
    await page.getByTestId('close-welcome').click();
    for (const first of ['first episode', 'second episode', 'third episode']) {
      await recordEpisode(page, first);
      await page.getByTestId('episode-status').waitFor();
    }
    await page.getByTestId('tab-history').click();
    const rows = page.getByTestId('episode-row');
    await expect.poll(() => rows.count()).toBe(3);
    // Keyboard: focus the list, Space ticks the active (newest) row.
    await page.getByTestId('episode-list').focus();
    await page.keyboard.press('Space');
    await rows.nth(2).click({ modifiers: ['Control'] });
    await expect(page.getByTestId('marked-actions').innerText()).resolves.toContain('2 ticked');
    expect(await rows.nth(0).getAttribute('aria-checked')).toBe('true');
    const [download] = await Promise.all([page.waitForEvent('download'), page.getByTestId('export-marked').click()]);
    const lines = readFileSync((await download.path()) ?? '', 'utf8').trim().split('\n');
    expect(lines).toHaveLength(2);
    expect(lines.join()).toContain('third episode');
    expect(lines.join()).toContain('first episode');
    page.once('dialog', (d) => void d.accept());
    await page.getByTestId('delete-marked').click();
    await expect.poll(() => rows.count()).toBe(1);
    await expect(rows.first().getByTestId('row-preview').innerText()).resolves.toBe('second episode');
    expect(await seriousViolations(page)).toEqual([]);
  }, 90_000);
});

describe('History on a 390-px phone', () => {
  it('opening an episode shows it at once (list/detail), and the back button returns to the list', async () => {
    await page.setViewportSize({ width: 390, height: 844 });
    await page.goto(app.url);
    await page.getByTestId('close-welcome').click();
    await recordEpisode(page, 'Phone check: can I return shoes?');
    await page.getByTestId('tab-history').click();
    await page.getByTestId('episode-row').first().click();
    const view = page.getByTestId('episode-view');
    await view.waitFor();
    const box = await view.boundingBox();
    expect(box?.y).toBeGreaterThanOrEqual(0);
    expect(box?.y ?? 9999).toBeLessThan(844 - 100);
    expect(await page.getByTestId('episode-list').isVisible()).toBe(false);
    expect(await seriousViolations(page)).toEqual([]);
    await screenshot(page, 'history-episode-phone');
    await page.getByTestId('back-to-list').click();
    await page.getByTestId('episode-list').waitFor();
    expect(new URL(page.url()).hash).toBe('#/history');
  });

  it('the chat on a phone: a complete setup folds into one line, the composer keeps its width, and it says edits apply to the next episode', async () => {
    await page.setViewportSize({ width: 390, height: 844 });
    // A server on this machine needs no key: nothing is missing, so the setup folds.
    await openWithSettings(page, app.url, { baseUrl: `${provider.url}/v1`, actor: 'actor', critic: 'critic', mode: 'intervene' });
    if (await page.getByTestId('welcome').count()) await page.getByTestId('close-welcome').click();
    const sheet = page.getByTestId('setup-sheet');
    expect(await sheet.getAttribute('open')).toBeNull();
    const composer = page.locator('textarea[name=message]');
    const box = await composer.boundingBox();
    expect(box?.width ?? 0).toBeGreaterThan(300);
    expect((box?.y ?? 9999) + (box?.height ?? 0)).toBeLessThan(844);
    // The checkbox has a real size.
    await sheet.locator('summary').click();
    const remember = await page.locator('input[name=remember-keys]').boundingBox();
    expect(remember?.width ?? 0).toBeGreaterThanOrEqual(14);
    provider.script('actor', { kind: 'delay', ms: 3000, then: { kind: 'message', content: 'Slow answer.' } }).script('critic', { kind: 'message', content: '{"decision":"approve"}' });
    await page.fill('textarea[name=message]', 'hello from a phone');
    await page.press('textarea[name=message]', 'Enter');
    await expect(page.getByTestId('setup-applies-next').innerText()).resolves.toMatch(/apply from the next episode/);
    await expect(page.getByTestId('activity').innerText()).resolves.toMatch(/actor thinking…|critic judging…/);
    await page.getByText('Slow answer.').waitFor({ timeout: 30_000 });
    expect(await seriousViolations(page)).toEqual([]);
  });

  it('presentation mode gives focus back to its button on Esc', async () => {
    await page.goto(app.url);
    await page.getByTestId('close-welcome').click();
    await recordEpisode(page, 'Present this one');
    await page.getByTestId('tab-history').click();
    await page.getByTestId('episode-row').first().click();
    const present = page.getByTestId('present');
    await present.focus();
    await page.keyboard.press('Enter');
    await page.getByTestId('presentation').waitFor();
    expect(await seriousViolations(page)).toEqual([]);
    await page.keyboard.press('Escape');
    await expect.poll(() => page.evaluate(() => document.activeElement?.getAttribute('data-testid'))).toBe('present');
  });
});
