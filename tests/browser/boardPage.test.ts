import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cpOpenFixture } from '../metrics/cpOpen.fixture.ts';
import { buildClientForTest } from '../support/buildClient.ts';
import { hasChromium, launchChromium, loopbackContext } from '../support/chromium.ts';
import { fixtureWarehouse, type FixtureWarehouse } from '../support/fixtureWarehouse.ts';
import { startTestServer } from '../support/testServer.ts';

// Browser tests need Debian's Chromium (.ci/run installs it); without it they are skipped, loudly.
if (!hasChromium) console.warn('SKIPPED browser tests: no Chromium at /usr/bin/chromium (apt-get install -y chromium)');

describe.skipIf(!hasChromium)('board page in Chromium', () => {
  let fixture: FixtureWarehouse;
  let server: { url: string; close: () => Promise<void> };
  let browser: Browser;
  let page: Page;
  const pageErrors: string[] = [];

  beforeAll(async () => {
    fixture = await fixtureWarehouse(cpOpenFixture);
    server = await startTestServer({ warehouse: fixture.warehouse, clientDir: await buildClientForTest() });
    browser = await launchChromium();
    page = await (await loopbackContext(browser)).newPage();
    page.on('pageerror', (err) => pageErrors.push(err.message));
    page.on('console', (msg) => {
      if (msg.type() === 'error') pageErrors.push(msg.text());
    });
  });
  afterAll(async () => {
    await browser?.close();
    await server?.close();
    fixture?.dispose();
  });

  async function apiJson(path: string) {
    return (await fetch(new URL(path, server.url))).json();
  }

  it('loads the latest complete quarter and shows the API’s headline figures', async () => {
    await page.goto(server.url);
    await page.waitForSelector('body[data-ready="true"]');
    // Extract date 2025-04-30 → latest complete quarter Jan–Mar 2025 (tests/metrics/cpOpen.fixture.ts).
    expect(await page.locator('#quarter').inputValue()).toBe('2025-03-31');
    const pack = await apiJson('/api/v1/metrics?from=2025-01-01&to=2025-03-31');
    expect(await page.locator('[data-metric="cp_open"]').textContent()).toBe(String(pack.prevalence.cp_open));
    expect(await page.locator('[data-metric="cp_open_neglect_initial"]').textContent()).toBe(
      String(pack.prevalence.cp_open_neglect_initial),
    );
    expect(await page.locator('[data-metric="cp_open_rate_per_10k"]').textContent()).toBe(
      `${pack.prevalence.cp_open_rate_per_10k.toFixed(1)} per 10,000`,
    );
    expect(pack.prevalence.cp_open).toBe(5);
  });

  it('has a table whose every cell equals the API series', async () => {
    const series = await apiJson('/api/v1/series/cp_open_by_initial_category?from=2020-04-01&to=2025-03-31');
    const rows = await page.locator('#cp-open-by-category-table tbody tr').evaluateAll((trs) =>
      trs.map((tr) => [...tr.children].map((cell) => cell.textContent ?? '')),
    );
    const headers = await page.locator('#cp-open-by-category-table thead th').allTextContents();
    expect(headers).toEqual(['Quarter end', 'Neglect', 'Physical abuse', 'Emotional abuse', 'Sexual abuse', 'Multiple', 'All categories']);
    const quarterEnds = [...new Set(series.rows.map((r: { quarter_end: string }) => r.quarter_end))];
    expect(rows).toHaveLength(quarterEnds.length);
    const codes = ['NEG', 'PHY', 'EMO', 'SAB', 'MUL'];
    quarterEnds.forEach((quarterEnd, i) => {
      const expected = codes.map(
        (code) => series.rows.find((r: { quarter_end: string; category: string }) => r.quarter_end === quarterEnd && r.category === code).children,
      );
      expect(rows[i]!.slice(1, 6).map(Number), String(quarterEnd)).toEqual(expected);
      expect(Number(rows[i]![6]), String(quarterEnd)).toBe(expected.reduce((a: number, b: number) => a + b, 0));
    });
    // The worked example: 31 December 2024 has NEG 3, EMO 1, MUL 1.
    const december = rows.find((r) => r[0] === '31 December 2024');
    expect(december).toEqual(['31 December 2024', '3', '0', '1', '0', '1', '5']);
  });

  it('draws the chart as an SVG with an accessible name and a description of the data', async () => {
    const svg = page.locator('#trend-figure svg[role="img"]');
    await expect(svg.count()).resolves.toBe(1);
    expect(await svg.locator('title').textContent()).toContain('by initial category');
    expect(await svg.locator('desc').textContent()).toMatch(/Neglect \d+ to 2/);
    expect(await svg.locator('path.series').count()).toBe(5);
  });

  it('changes the figures when the quarter changes', async () => {
    await page.selectOption('#quarter', '2024-12-31');
    await page.waitForSelector('body[data-ready="true"][data-quarter="2024-12-31"]');
    const pack = await apiJson('/api/v1/metrics?from=2024-10-01&to=2024-12-31');
    // At 31 December 2024: A, B, E, F, H open = 5; NEG initial A, B, H = 3.
    expect(pack.prevalence.cp_open_neglect_initial).toBe(3);
    expect(await page.locator('[data-metric="cp_open_neglect_initial"]').textContent()).toBe('3');
  });

  it('prints to an A4 PDF with the figures in it', async () => {
    await page.emulateMedia({ media: 'print' });
    const pdf = await page.pdf({ format: 'A4', printBackground: true, preferCSSPageSize: true, tagged: true });
    expect(pdf.subarray(0, 5).toString()).toBe('%PDF-');
    expect(pdf.length).toBeGreaterThan(10_000);
    expect(await page.locator('#period-form').isVisible()).toBe(false);
    await page.emulateMedia({ media: 'screen' });
  });

  it('raised no errors in the page', () => {
    expect(pageErrors).toEqual([]);
  });
});
