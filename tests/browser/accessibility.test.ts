import type { Browser as ChromiumBrowser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hasChromium, loopbackContext, signInOnPage } from '../support/chromium.ts';
import { demoInChromium, type DemoInChromium } from '../support/demoInChromium.ts';
import type { TestServer } from '../support/testServer.ts';
import { seriousViolations } from '../support/axe.ts';

describe.skipIf(!hasChromium)('accessibility (axe-core)', () => {
  let demo: DemoInChromium;
  let server: TestServer;
  let browser: ChromiumBrowser;
  let page: Page;

  beforeAll(async () => {
    demo = await demoInChromium();
    ({ server, browser } = demo);
    page = await (await loopbackContext(browser)).newPage();
  });
  afterAll(() => demo?.close());

  it('the sign-in page has no serious or critical violations', async () => {
    await page.goto(server.url);
    await page.waitForSelector('body[data-ready="signin"]');
    expect(await seriousViolations(page)).toEqual([]);
  });

  it('the board pack has no serious or critical violations', async () => {
    await signInOnPage(page, server.url, 'board');
    expect(await seriousViolations(page)).toEqual([]);
  });

  it('the officer pages have no serious or critical violations', async () => {
    const officer = await (await loopbackContext(browser)).newPage();
    await signInOnPage(officer, server.url, 'officer');
    for (const hash of ['quality', 'cases']) {
      await officer.evaluate((h) => {
        location.hash = h;
      }, hash);
      await officer.waitForSelector(`body[data-ready="true"][data-page="${hash}"]`, { timeout: 30_000 });
      expect(await seriousViolations(officer), hash).toEqual([]);
      if (hash === 'quality') {
        // Loads read as the rest of the product writes: dates in words, counts with separators.
        const loads = await officer.locator('#quality-loads tbody tr').first().locator('td').allTextContents();
        expect(loads[2]).toMatch(/^\d{1,2} [A-Z][a-z]+ \d{4}$/); // extract date
        expect(loads[3]).toMatch(/^\d{1,2} [A-Z][a-z]+ \d{4}, \d{2}:\d{2} by /); // loaded
        const read = await officer.locator('#quality-loads tbody td.numeric').allTextContents();
        expect(
          read.some((cell) => /^\d{1,3}(,\d{3})+$/.test(cell)),
          read.join(' '),
        ).toBe(true);
        // The flags' section sends an officer to the definitions page, not to a developer's file name.
        expect(await officer.locator('#quality-flags a').first().getAttribute('href')).toBe(
          './definitions.html#section-16',
        );
        // The demo loads no census, so nothing is flagged: no button offering an empty list of records.
        expect(await officer.textContent('#quality-flags')).toContain('No record is flagged.');
        expect(await officer.locator('#quality-flags button').count()).toBe(0);
        // With a record flagged (one row of the kind a census load writes), the button is there, and
        // is one of the product's action buttons, not the browser's grey default.
        await demo.warehouse.query(
          `INSERT INTO validation_flags (load_id, rule, child_key, record_table, record_key, fields, message)
           SELECT 1, '8935', min(child_key), 'cp_plans', NULL, 'end_date', 'a test flag' FROM children`,
        );
        await officer.reload();
        await officer.waitForSelector('body[data-ready="true"][data-page="quality"]', { timeout: 30_000 });
        const button = officer.locator('#quality-flags button').first();
        expect(await button.evaluate((b) => getComputedStyle(b).backgroundColor)).toBe('rgb(0, 114, 178)');
        await demo.warehouse.query('DELETE FROM validation_flags');
      }
    }
    // From a case list to a child's chronology, by the child's link.
    const firstChild = officer.locator('#cases tbody th a').first();
    const childId = await firstChild.textContent();
    await firstChild.click();
    await officer.waitForSelector('body[data-ready="true"][data-page="chronology"]', { timeout: 30_000 });
    expect(await officer.textContent('#chronology-heading')).toBe(`Chronology of child ${childId}`);
    expect(await officer.locator('#chronology tbody tr').count()).toBeGreaterThan(0);
    expect(await officer.locator('#period-form').isVisible()).toBe(false); // no quarter on a chronology
    expect(await seriousViolations(officer), 'chronology').toEqual([]);
  });

  it('the admin upload page has no serious or critical violations', async () => {
    const admin = await (await loopbackContext(browser)).newPage();
    await signInOnPage(admin, `${server.url}#uploads`, 'admin', 'body[data-ready="true"][data-page="uploads"]');
    expect(await seriousViolations(admin)).toEqual([]);
  });
});
