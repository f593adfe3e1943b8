import { chromium, type Browser } from 'playwright-core';

export const chromiumPath = process.env['CHROMIUM_PATH'] ?? '/usr/bin/chromium';

/** Flags for Debian's Chromium, offline and as root in a container (see docs/BENCHMARKS.md, tech notes). */
const chromiumArgs = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-dev-shm-usage',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--disable-default-apps',
  '--disable-extensions',
  '--no-first-run',
  '--disable-quic',
  '--metrics-recording-only',
  '--mute-audio',
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
  /** The names the page header prints; by default those on the page's cover. */
  partnershipName?: string;
  laName?: string;
  /** What the footer calls the document (default the board pack); the strategy review names itself. */
  documentTitle?: string;
}

/** Header and footer templates are HTML: a configured name must print as text. */
function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (ch) => `&#${ch.charCodeAt(0)};`);
}

/**
 * Prints the board pack page as the browser prints it: A4, print CSS, a tagged PDF (a structure
 * tree for screen readers) with an outline built from the section headings, the partnership, the LA
 * and the protective marking in every page's header, and page numbers. Nothing but loopback is
 * reachable from the page.
 */
export async function renderPackPdf(options: PackPdfOptions): Promise<Uint8Array> {
  const browser = await launchChromium();
  try {
    const context = await browser.newContext({ locale: 'en-GB', timezoneId: 'Europe/London' });
    const origin = new URL(options.url);
    if (options.cookie) {
      await context.addCookies([
        {
          name: options.cookie.name,
          value: options.cookie.value,
          domain: origin.hostname,
          path: '/',
          httpOnly: true,
          sameSite: 'Strict',
        },
      ]);
    }
    await context.route('**/*', (route) =>
      new URL(route.request().url()).host === origin.host ? route.continue() : route.abort(),
    );
    const page = await context.newPage();
    await page.goto(options.url);
    await page.waitForSelector('body[data-ready="true"], body[data-ready="error"], body[data-ready="empty"]', {
      timeout: 120_000,
    });
    if ((await page.getAttribute('body', 'data-ready')) !== 'true') {
      throw new Error(`the pack page did not render: ${await page.textContent('#status')}`);
    }
    await page.emulateMedia({ media: 'print' });
    // Whose pack it is, as the page's cover says (from the API): the header names it on every page.
    const cover = await page.evaluate(() => {
      const el = document.querySelector<HTMLElement>('#cover');
      const data = el?.dataset;
      return { partnership: data?.['partnershipName'], la: data?.['laName'], quarter: data?.['quarterTitle'] };
    });
    const partnership = options.partnershipName ?? cover.partnership ?? 'LSCB Insight';
    const laName = options.laName ?? cover.la;
    const small =
      'font-size:8px;width:100%;font-family:sans-serif;margin:0 14mm;' + 'display:flex;justify-content:space-between';
    const names = `${escapeHtml(partnership)}${laName ? ` · ${escapeHtml(laName)}` : ''}`;
    const quarter = cover.quarter ? ` · ${escapeHtml(cover.quarter)}` : '';
    return await page.pdf({
      format: 'A4',
      printBackground: true,
      preferCSSPageSize: true,
      tagged: true,
      outline: true,
      displayHeaderFooter: true,
      // The protective marking once per page, here only (client/print.css hides the page's own copies).
      headerTemplate:
        `<div style="${small}"><span>${names}</span>` + '<span style="font-weight:700">OFFICIAL-SENSITIVE</span></div>',
      footerTemplate:
        `<div style="${small}"><span>${escapeHtml(options.documentTitle ?? 'Neglect board pack')}${quarter}</span>` +
        '<span>page <span class="pageNumber"></span> of <span class="totalPages"></span></span></div>',
      margin: { top: '18mm', bottom: '18mm', left: '14mm', right: '14mm' },
    });
  } finally {
    await browser.close();
  }
}
