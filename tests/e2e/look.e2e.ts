/**
 * Every tab at 1280×800 (light) and on a 390-px-wide phone (dark): axe-core (run in the
 * page) finds no serious or critical accessibility violation, nothing
 * scrolls sideways, and a screenshot of each is taken (copied into
 * docs/screenshots/ with SPOTTER_UPDATE_SCREENSHOTS=1, for the README).
 */
import { describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { screenshot, seriousViolations, useE2E } from './harness.ts';

const TABS = ['welcome', 'chat', 'critic', 'history', 'data', 'exam', 'bench', 'privacy'] as const;
const SIZES = [
  // The phone in dark mode (following the system), so both colour schemes are checked.
  { name: 'desktop', width: 1280, height: 800, colorScheme: 'light' },
  { name: 'phone', width: 390, height: 844, colorScheme: 'dark' },
] as const;

const { app, openPage } = useE2E();

async function open(page: Page, tab: (typeof TABS)[number]): Promise<void> {
  if (tab === 'welcome') {
    await page.getByTestId('welcome').waitFor();
    await page.getByTestId('welcome').getByTestId('rec-reason').waitFor({ timeout: 30_000 });
    return;
  }
  if (await page.getByTestId('welcome').count()) await page.getByTestId('close-welcome').click();
  await page.getByTestId(`tab-${tab}`).click();
  await page.waitForFunction(() => !document.querySelector('main .loading'));
}

describe('look and feel', () => {
  for (const size of SIZES) {
    it(`every tab at ${size.width}px, ${size.colorScheme}: no serious axe violation, no sideways scroll, a screenshot`, async () => {
      // axe is injected by evaluation; the app's CSP (no inline scripts) stays on for everything else.
      const { context, page, errors } = await openPage({ viewport: { width: size.width, height: size.height }, colorScheme: size.colorScheme });
      await page.goto(app.url);
      const problems: string[] = [];
      for (const tab of TABS) {
        await open(page, tab);
        for (const v of await seriousViolations(page)) problems.push(`${tab}: ${v}`);
        const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
        if (overflow > 0) problems.push(`${tab}: scrolls sideways by ${overflow}px`);
        await screenshot(page, `${tab}-${size.name}`);
      }
      expect(problems).toEqual([]);
      expect(errors).toEqual([]);
      await context.close();
    });
  }
});
