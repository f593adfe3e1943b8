import { chromium, errors, type Browser } from 'playwright-core';
import { firstLine, ReportFailure } from './failure.ts';
import { overDeadline } from './packData.ts';

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
  try {
    return await chromium.launch({ executablePath: chromiumPath, headless: true, args: chromiumArgs });
  } catch (err) {
    // Playwright's message is a call log; its first line names the cause (ENOENT, a crash).
    throw new ReportFailure(`Chromium could not start (${chromiumPath}; set CHROMIUM_PATH): ${firstLine(err)}`);
  }
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
  /** When to give up waiting for the page (ms since the epoch); default 30 minutes from now. */
  deadline?: number;
  /** Told each step as it starts ("rendering the pages", "printing the PDF"). */
  progress?: (step: string) => void;
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
    // No fixed timeout: the page is ready when it says so (body[data-ready]), however long its data
    // takes, within the report's overall cap.
    const deadline = options.deadline ?? Date.now() + 30 * 60_000;
    page.setDefaultTimeout(Math.max(1, deadline - Date.now()));
    options.progress?.('rendering the pages in Chromium');
    try {
      await page.goto(options.url);
      await page.waitForSelector('body[data-ready="true"], body[data-ready="error"], body[data-ready="empty"]', {
        timeout: Math.max(1, deadline - Date.now()),
      });
    } catch (err) {
      if (err instanceof errors.TimeoutError) throw new ReportFailure(overDeadline('rendering the pages', deadline));
      throw err;
    }
    if ((await page.getAttribute('body', 'data-ready')) !== 'true') {
      const status = (await page.textContent('#status'))?.replace(/\s+/g, ' ').trim();
      throw new ReportFailure(`the pack page did not render: ${status || 'it showed no reason'}`);
    }
    options.progress?.('printing the PDF');
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
