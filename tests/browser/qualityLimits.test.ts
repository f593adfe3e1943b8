import type { Browser as ChromiumBrowser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hasChromium, loopbackContext, signInOnPage } from '../support/chromium.ts';
import { demoInChromium, type DemoInChromium } from '../support/demoInChromium.ts';
import type { TestServer } from '../support/testServer.ts';

/**
 * The data-quality page lists at most 200 loads (server/routes/quality.ts qualityListLimits). A list
 * the server cut must say so, not look like every load: here the limit is lowered to 2 loads, on the
 * small demo, which holds more (its ten canonical files, each a load).
 */
describe.skipIf(!hasChromium)('the data-quality page when a list is cut at its limit', () => {
  let demo: DemoInChromium;
  let server: TestServer;
  let browser: ChromiumBrowser;

  beforeAll(async () => {
    demo = await demoInChromium({
      qualityListLimits: { loads: 2, reject_reasons: 500, flag_rules: 500, rejects: 10_000 },
    });
    ({ server, browser } = demo);
  });
  afterAll(() => demo?.close());

  it('the API names the cut list with its limit, and the page says only the latest 2 loads are listed', async () => {
    const officer = await server.as('officer');
    const quality = (await officer.get('/api/v1/quality')).body as {
      loads: { load_id: number }[];
      cut_at_limit?: Record<string, number>;
    };
    const [{ n: loads }] = (await demo.warehouse.query('SELECT count(*)::INTEGER AS n FROM loads')) as [{ n: number }];
    expect(loads).toBeGreaterThan(2);
    expect(quality.loads).toHaveLength(2);
    expect(quality.cut_at_limit).toEqual({ loads: 2 });

    const page = await (await loopbackContext(browser)).newPage();
    await signInOnPage(page, server.url, 'officer');
    await page.goto(`${server.url}#quality`);
    await page.waitForSelector('#quality-loads table');
    expect(await page.locator('#quality-loads p.note').textContent()).toBe('Only the latest 2 loads are listed.');
    expect(await page.locator('#quality-loads caption').textContent()).toContain('The latest 2 loads, newest first');
    expect(await page.locator('#quality-loads tbody tr').count()).toBe(2);
    // The reasons were not cut, so they say nothing of a limit.
    expect(await page.locator('#quality-rejects p.note').count()).toBe(0);
  });
});
