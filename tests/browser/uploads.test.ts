import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser as ChromiumBrowser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Warehouse } from '../../sql/warehouse.ts';
import { buildClientForTest } from '../support/buildClient.ts';
import { hasChromium, launchChromium, loopbackContext, sidewaysScroll, signInOnPage } from '../support/chromium.ts';
import { tempDir } from '../support/fixtureWarehouse.ts';
import { tableCounts } from '../support/tableCounts.ts';
import { startTestServer, type TestServer } from '../support/testServer.ts';

const sample = join(import.meta.dirname, '../fixtures/samples/cin-census/fake_CIN_data.xml');

describe.skipIf(!hasChromium)('loading extracts from the page (admin)', () => {
  let warehouse: Warehouse;
  let server: TestServer;
  let browser: ChromiumBrowser;

  beforeAll(async () => {
    warehouse = await Warehouse.open(join(tempDir('upload-page'), 'lscb.duckdb'));
    server = await startTestServer({ warehouse, clientDir: await buildClientForTest() });
    browser = await launchChromium();
  });
  afterAll(async () => {
    await browser?.close();
    await server?.close();
    warehouse?.close();
  });

  it('refuses a file with no reference date and one from another LA, the warehouse unchanged each time; loads the second once confirmed', async () => {
    const page = await (await loopbackContext(browser)).newPage();
    await signInOnPage(page, server.url, 'admin', 'body[data-ready="empty"]');
    const before = await tableCounts(warehouse);

    // A canonical CSV carries no reference date: refused before any load when none is given.
    const csvDir = tempDir('upload-page-csv');
    writeFileSync(
      join(csvDir, 'children.csv'),
      'child_id,birth_date,expected_birth_date,sex,ethnicity,disability\nU1,2015-01-01,,F,WBRI,\n',
    );
    await page.setInputFiles('#extract-files', join(csvDir, 'children.csv'));
    await page.click('form.upload button[type="submit"]');
    await page.waitForSelector('#upload-status:has-text("refused")');
    expect(await page.textContent('#upload-status')).toBe(
      "The upload was refused: 'children.csv' is canonical CSV, which carries no reference date: give the extract's reference date. Nothing was loaded.",
    );
    expect(await tableCounts(warehouse)).toEqual(before);

    // fake_CIN_data.xml states LA 975; the warehouse is Northbury, 990: refused, naming both.
    await page.setInputFiles('#extract-files', sample);
    await page.click('form.upload button[type="submit"]');
    await page.waitForSelector('#upload-status:has-text("Done")', { timeout: 60_000 });
    expect(await page.textContent('#upload-status')).toBe('Done: 0 loaded, 0 failed, 1 refused, 0 skipped.');
    expect(await page.textContent('#confirm-la-form')).toContain(
      'fake_CIN_data.xml says LA 975; this warehouse is LA 990. Nothing of it was loaded.',
    );
    expect(await page.locator('#upload-results td').allTextContents()).toContain('refused');
    expect(await tableCounts(warehouse)).toEqual(before);

    // The second step loads only once ticked.
    await page.click('#confirm-la-form button[type="submit"]');
    expect(await tableCounts(warehouse)).toEqual(before);
    await page.check('#confirm-la');
    await page.click('#confirm-la-form button[type="submit"]');
    await page.waitForSelector('#upload-status:has-text("Done: 1 loaded")', { timeout: 60_000 });
    expect(await page.textContent('#upload-status')).toBe('Done: 1 loaded, 0 failed, 0 refused, 0 skipped.');
    // fake_CIN_data.xml: 734 rows read; 72 of its 402 CIN episodes (14 are dated after the header's
    // reference date, 316 more fall outside its census year: DfE rules 8569/8620) and 324 of its 332
    // children (DfE rules 8790/8794 reject 8 children's disability codes): 338 rejected
    // (tests/etl/cinCensusSamples.test.ts).
    const cells = await page.locator('#upload-results td').allTextContents();
    expect(cells).toContain('734');
    expect(cells).toContain('338');
    expect(await tableCounts(warehouse)).toMatchObject({ children: 324, referrals: 72 });
  });

  it('reflows to a 320 px screen: the upload form scrolls no page sideways (WCAG 1.4.10)', async () => {
    const page = await (await loopbackContext(browser)).newPage();
    await page.setViewportSize({ width: 320, height: 800 });
    await signInOnPage(page, `${server.url}#uploads`, 'admin');
    await page.waitForSelector('#extract-files');
    // The file field, padded to the forms' size, once made the form (and the page) 59 px too wide.
    expect(await sidewaysScroll(page)).toBe(0);
    await page.context().close();
  });
});
