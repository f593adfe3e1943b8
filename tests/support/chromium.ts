import { existsSync } from 'node:fs';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { chromiumPath, launchChromium } from '../../report/pdf.ts';

/** Debian's Chromium (`npx playwright install` cannot download browsers here), as the report writer launches it. */
export { chromiumPath, launchChromium };
export const hasChromium = existsSync(chromiumPath);

/** A context that can reach only loopback: nothing a page does may leave the machine. */
export async function loopbackContext(browser: Browser): Promise<BrowserContext> {
  const context = await browser.newContext({
    locale: 'en-GB',
    timezoneId: 'Europe/London',
    viewport: { width: 1366, height: 768 },
  });
  await context.route('**/*', (route) => {
    const host = new URL(route.request().url()).hostname;
    return host === '127.0.0.1' || host === 'localhost' ? route.continue() : route.abort();
  });
  return context;
}

/**
 * Signs in through the page's own form with a demo login (`board` / `demo-board`, ...), as a user
 * would, and waits until the first page is ready (a board pack on a demo can take a while to build
 * on a busy machine): by default any page with data, or what `ready` selects (a named page, or an
 * empty warehouse's `body[data-ready="empty"]`).
 */
export async function signInOnPage(
  page: Page,
  url: string,
  role: string,
  ready = 'body[data-ready="true"]',
): Promise<void> {
  await page.goto(url);
  await page.waitForSelector('body[data-ready="signin"]', { timeout: 30_000 });
  await page.fill('#username', role);
  await page.fill('#password', `demo-${role}`);
  await page.click('form.sign-in button[type="submit"]');
  await page.waitForSelector(ready, { timeout: 120_000 });
}

/** How far the page scrolls sideways (WCAG 1.4.10 wants 0 at 320 px): 0 when it fits the screen. */
export function sidewaysScroll(page: Page): Promise<number> {
  return page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
}

/** The ids of the fields matching `selector` whose text is wider than their box (cut off). */
export function clippedFields(page: Page, selector: string): Promise<string[]> {
  return page.$$eval(selector, (inputs) =>
    (inputs as HTMLInputElement[]).filter((i) => i.scrollWidth > i.clientWidth).map((i) => i.id),
  );
}
