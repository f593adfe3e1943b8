import { existsSync } from 'node:fs';
import type { Browser, BrowserContext } from 'playwright-core';
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
