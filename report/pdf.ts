import { chromium, type Browser } from 'playwright-core';

export const chromiumPath = process.env['CHROMIUM_PATH'] ?? '/usr/bin/chromium';

/** Flags for Debian's Chromium, offline and as root in a container (see docs/BENCHMARKS.md, tech notes). */
const chromiumArgs = [
  '--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage', '--disable-background-networking',
  '--disable-component-update', '--disable-sync', '--disable-default-apps', '--disable-extensions',
  '--no-first-run', '--disable-quic', '--metrics-recording-only', '--mute-audio',
  '--disable-features=Translate,MediaRouter,OptimizationHints',
];

export async function launchChromium(): Promise<Browser> {
  return chromium.launch({ executablePath: chromiumPath, headless: true, args: chromiumArgs });
}

export interface PackPdfOptions {
  /** The served page, e.g. http://127.0.0.1:PORT/?quarter=2026-03-31 */
  url: string;
  /** A session cookie ("name=value") the page's API requests carry. */
  cookie?: { name: string; value: string };
  laName?: string;
}

/**
 * Prints the board pack page as the browser prints it: A4, print CSS, a tagged PDF (a structure
 * tree for screen readers) with an outline built from the section headings, the protective marking
 * on every page and page numbers. Nothing but loopback is reachable from the page.
 */
export async function renderPackPdf(options: PackPdfOptions): Promise<Uint8Array> {
  const browser = await launchChromium();
  try {
    const context = await browser.newContext({ locale: 'en-GB', timezoneId: 'Europe/London' });
    const origin = new URL(options.url);
    if (options.cookie) {
      await context.addCookies([{ name: options.cookie.name, value: options.cookie.value, domain: origin.hostname, path: '/', httpOnly: true, sameSite: 'Strict' }]);
    }
    await context.route('**/*', (route) => (new URL(route.request().url()).host === origin.host ? route.continue() : route.abort()));
    const page = await context.newPage();
    await page.goto(options.url);
    await page.waitForSelector('body[data-ready="true"], body[data-ready="error"], body[data-ready="empty"]', { timeout: 120_000 });
    if ((await page.getAttribute('body', 'data-ready')) !== 'true') {
      throw new Error(`the pack page did not render: ${await page.textContent('#status')}`);
    }
    await page.emulateMedia({ media: 'print' });
    const marking = '<div style="font-size:8px;width:100%;text-align:center;font-family:sans-serif">OFFICIAL-SENSITIVE</div>';
    return await page.pdf({
      format: 'A4',
      printBackground: true,
      preferCSSPageSize: true,
      tagged: true,
      outline: true,
      displayHeaderFooter: true,
      headerTemplate: marking,
      footerTemplate:
        '<div style="font-size:8px;width:100%;text-align:center;font-family:sans-serif">OFFICIAL-SENSITIVE · ' +
        `${options.laName ?? 'LSCB Insight'} neglect board pack · page <span class="pageNumber"></span> of <span class="totalPages"></span></div>`,
      margin: { top: '18mm', bottom: '18mm', left: '14mm', right: '14mm' },
    });
  } finally {
    await browser.close();
  }
}
