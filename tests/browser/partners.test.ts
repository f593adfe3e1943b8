import type { Browser as ChromiumBrowser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { MetricsPack, PartnerFigure } from '../../metrics/contract/types.ts';
import { cpOpenFixture } from '../metrics/cpOpen.fixture.ts';
import type { Browser } from '../support/authApp.ts';
import { buildClientForTest } from '../support/buildClient.ts';
import { hasChromium, launchChromium, loopbackContext, signInOnPage } from '../support/chromium.ts';
import { fixtureWarehouse, type FixtureWarehouse } from '../support/fixtureWarehouse.ts';
import { startTestServer, type TestServer } from '../support/testServer.ts';

// Browser tests need Debian's Chromium (.ci/run installs it); without it they are skipped, loudly.
if (!hasChromium) console.warn('SKIPPED browser tests: no Chromium at /usr/bin/chromium (apt-get install -y chromium)');

/**
 * Issue 11, "the pack shows the Partners section with benchmarks; a Chromium test checks their
 * headline numbers equal the API's": on a warehouse with partner measures (the CP fixture, extract
 * date 30 April 2025, so the pack opens on January to March 2025), the Partners section shows each
 * agency's measures with the value /api/v1/metrics gives for the quarter, as a board member sees
 * them (a numerator of 1-5 is c, METRICS.md §11).
 */
const partnerRows = [
  ['school_persistent_absence', 'Schools', '2024-09-01', '2024-12-31', 1500, 9000, 'percent'],
  ['school_persistent_absence', 'Schools', '2025-01-01', '2025-03-31', 1620, 9100, 'percent'],
  ['two_year_funded_takeup', 'Early years', '2024-09-01', '2025-01-31', 390, 560, 'percent'],
  ['health_was_not_brought', 'Health', '2025-01-01', '2025-03-31', 130, 4100, 'rate_per_10k'],
  ['police_da_incidents_children', 'Police', '2025-01-01', '2025-03-31', 3, null, 'count'],
  // Ends after the quarter: not the value shown for January to March.
  ['police_da_incidents_children', 'Police', '2025-04-01', '2025-04-30', 61, null, 'count'],
].map(([measure, agency, period_start, period_end, numerator, denominator, unit]) => ({
  measure,
  agency,
  period_start,
  period_end,
  numerator,
  denominator,
  unit,
}));

/** The page's rule for a partner value: percent and rate to 1 dp, counts with separators, c as itself. */
function shown(figure: PartnerFigure): string {
  const { value, unit } = figure;
  if (typeof value !== 'number') return value === null ? '–' : value;
  if (unit === 'percent') return `${value.toFixed(1)}%`;
  if (unit === 'rate_per_10k') return `${value.toFixed(1)} per 10,000`;
  return new Intl.NumberFormat('en-GB').format(value);
}

describe.skipIf(!hasChromium)('the Partners section in Chromium', () => {
  let fixture: FixtureWarehouse;
  let server: TestServer;
  let board: Browser;
  let browser: ChromiumBrowser;
  let page: Page;
  const pageErrors: string[] = [];

  beforeAll(async () => {
    fixture = await fixtureWarehouse({ ...cpOpenFixture, 'partner_measures.csv': partnerRows });
    const clientDir = await buildClientForTest();
    server = await startTestServer({ warehouse: fixture.warehouse, clientDir, auth: { demo: true } });
    board = await server.as('board');
    browser = await launchChromium();
    page = await (await loopbackContext(browser)).newPage();
    page.on('pageerror', (err) => pageErrors.push(err.message));
  });
  afterAll(async () => {
    await browser?.close();
    await server?.close();
    fixture?.dispose();
  });

  it('shows every agency’s measures with the value and period the API gives, as a board member sees them', async () => {
    await signInOnPage(page, server.url, 'board');
    expect(await page.locator('#quarter').inputValue()).toBe('2025-03-31');
    await page.waitForSelector('#partners');

    const metrics = (await board.get('/api/v1/metrics?from=2025-01-01&to=2025-03-31')).body as unknown as MetricsPack;
    const expected = metrics.partner!;
    expect(expected.map((f) => f.measure).sort()).toEqual([
      'health_was_not_brought',
      'police_da_incidents_children',
      'school_persistent_absence',
      'two_year_funded_takeup',
    ]);
    const onPage = await page.locator('#partners .partner-measure').evaluateAll((els) =>
      els.map((el) => ({
        measure: el.getAttribute('data-measure')!,
        agency: el.getAttribute('data-agency')!,
        value: el.querySelector('.partner-value')?.textContent ?? '',
        period: el.querySelector('.partner-period')?.textContent ?? '',
      })),
    );
    expect(onPage).toHaveLength(expected.length);
    const pack = (await board.get('/api/v1/board-pack?quarter=2025-03-31')).body as {
      partners: { measures: { measure: string; latest: { period_words: string } }[] };
    };
    for (const figure of expected) {
      const shownFigure = onPage.find((m) => m.measure === figure.measure && m.agency === figure.agency);
      expect(shownFigure?.value, figure.measure).toBe(shown(figure));
      const words = pack.partners.measures.find((m) => m.measure === figure.measure)!.latest.period_words;
      expect(shownFigure?.period, figure.measure).toBe(` for ${words}`);
    }
    // 1620 / 9100 × 100 = 17.8%; police's 3 incidents are c for the board; the April count is not shown.
    expect(onPage.find((m) => m.measure === 'school_persistent_absence')!.value).toBe('17.8%');
    expect(onPage.find((m) => m.measure === 'police_da_incidents_children')).toMatchObject({
      value: 'c',
      period: ' for January to March 2025',
    });
    // LAIT benchmarks beside the two known ids with one, and a table behind the section.
    expect(
      await page.locator('#partners [data-measure="school_persistent_absence"] .partner-benchmark').textContent(),
    ).toMatch(/^England \d+\.\d%, North West \d+\.\d%, statistical neighbours \d+\.\d% \(mean of 10\): LAIT 371/);
    expect(await page.locator('#partners-table tbody tr').count()).toBe(expected.length);
    expect(pageErrors).toEqual([]);
  });
});
