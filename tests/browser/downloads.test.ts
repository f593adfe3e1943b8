import { readFileSync } from 'node:fs';
import type { Browser as ChromiumBrowser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cpOpenFixture } from '../metrics/cpOpen.fixture.ts';
import { buildClientForTest } from '../support/buildClient.ts';
import { hasChromium, launchChromium, loopbackContext, signInOnPage } from '../support/chromium.ts';
import { fixtureWarehouse, type FixtureWarehouse } from '../support/fixtureWarehouse.ts';
import { parseCsv } from '../support/csv.ts';
import { startTestServer, type TestServer } from '../support/testServer.ts';

if (!hasChromium) console.warn('SKIPPED download tests: no Chromium at /usr/bin/chromium');

// tests/metrics/cpOpen.fixture.ts: small counts, so board output has c in its tables.
describe.skipIf(!hasChromium)('Download CSV under the pack’s tables', () => {
  let fixture: FixtureWarehouse;
  let server: TestServer;
  let browser: ChromiumBrowser;
  let page: Page;

  beforeAll(async () => {
    fixture = await fixtureWarehouse(cpOpenFixture);
    const clientDir = await buildClientForTest();
    server = await startTestServer({ warehouse: fixture.warehouse, clientDir, auth: { demo: true } });
    browser = await launchChromium();
    page = await (await loopbackContext(browser)).newPage();
    await signInOnPage(page, server.url, 'board');
  });
  afterAll(async () => {
    await browser?.close();
    await server?.close();
    fixture?.dispose();
  });

  it('gives a board member, for every table, a CSV equal to the cells on the page, c and all', async () => {
    const tables = page.locator('#pack table.data-table');
    const count = await tables.count();
    expect(count).toBeGreaterThanOrEqual(5);
    let suppressedCells = 0;
    for (let i = 0; i < count; i += 1) {
      // Chromium stops delivering a page's downloads after a dozen in quick succession (the pack has
      // more tables than that), so the page is opened afresh every few tables.
      if (i > 0 && i % 6 === 0) {
        await page.reload();
        await page.waitForSelector('body[data-ready="true"]', { timeout: 60_000 });
      }
      const table = tables.nth(i);
      const cells = await table.evaluate((t: HTMLTableElement) =>
        [...t.rows].map((r) => [...r.cells].map((c) => (c.textContent ?? '').trim())),
      );
      const button = table.locator('xpath=following-sibling::*[1]');
      expect(await button.getAttribute('class'), `table ${i}`).toContain('download-csv');
      const [download] = await Promise.all([page.waitForEvent('download'), button.click()]);
      const caption = (await table.locator('caption').textContent()) ?? '';
      expect(download.suggestedFilename(), caption).toMatch(/^[a-z0-9-]+-2025-03-31\.csv$/);
      const csv = readFileSync((await download.path())!, 'utf8');
      expect(csv.startsWith('\ufeff'), caption).toBe(true);
      // Cells starting = + - @ would be neutralised; the pack has none but plain numbers.
      expect(parseCsv(csv), caption).toEqual(cells);
      suppressedCells += cells.flat().filter((c) => c === 'c').length;
    }
    expect(suppressedCells).toBeGreaterThan(0); // the fixture's small counts are c on the page and in the files
  });

  it('offers the pack’s figures as one CSV, and prints no download buttons', async () => {
    expect(await page.locator('.pack-downloads a').getAttribute('href')).toBe(
      '/api/v1/board-pack.csv?quarter=2025-03-31',
    );
    await page.emulateMedia({ media: 'print' });
    expect(await page.locator('.download-csv').first().isVisible()).toBe(false);
    expect(await page.locator('.pack-downloads').isVisible()).toBe(false);
    await page.emulateMedia({ media: 'screen' });
    expect(await page.locator('.download-csv').first().isVisible()).toBe(true);
  });
});
