import type { Browser as ChromiumBrowser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { valueAtPath } from '../../metrics/contract/figurePath.ts';
import { cpOpenFixture } from '../metrics/cpOpen.fixture.ts';
import { lookedAfterFixture } from '../metrics/lookedAfter.fixture.ts';
import type { Browser } from '../support/authApp.ts';
import { buildClientForTest } from '../support/buildClient.ts';
import { hasChromium, launchChromium, loopbackContext, signInOnPage } from '../support/chromium.ts';
import { fixtureWarehouse, type FixtureWarehouse } from '../support/fixtureWarehouse.ts';
import { startTestServer, type TestServer } from '../support/testServer.ts';
import { seriousViolations } from '../support/axe.ts';

if (!hasChromium) console.warn('SKIPPED browser tests: no Chromium at /usr/bin/chromium (apt-get install -y chromium)');

/**
 * The "Into care" section (METRICS.md §10) in Chromium on a warehouse with care episodes: the CP
 * fixture (tests/metrics/cpOpen.fixture.ts) with the looked-after one (tests/metrics/lookedAfter.fixture.ts)
 * beside it, loaded through the real loader. Its numbers, worked out there for the quarter to 31 March
 * 2025: 9 children looked after, 4 of them N1; 6 started to be looked after, 3 N1, 3 from a neglect plan.
 * The page must show what the API sends: unsuppressed to an officer, with c for 1–5 to a board member.
 */
const fixtureTables = {
  ...cpOpenFixture,
  'looked_after.csv': lookedAfterFixture['looked_after.csv'],
  // The CP fixture's plans are A–H; the looked-after children's plans are added under ids of their own.
  'cp_plans.csv': [
    ...(cpOpenFixture['cp_plans.csv'] ?? []),
    ...(lookedAfterFixture['cp_plans.csv'] ?? []).map((plan) => ({
      ...plan,
      plan_id: `LA-${String(plan['plan_id'])}`,
    })),
  ],
};

/** The page's rule for a figure: counts with separators, rates to 1 dp with their unit, c as itself. */
function shown(path: string, value: unknown): string {
  const text =
    value === null || value === undefined
      ? '–'
      : typeof value !== 'number'
        ? String(value)
        : path.includes('rate_per_10k')
          ? value.toFixed(1)
          : new Intl.NumberFormat('en-GB').format(value);
  return path.includes('rate_per_10k') ? `${text} per 10,000 children` : text;
}

describe.skipIf(!hasChromium)('the "Into care" section in Chromium', () => {
  let fixture: FixtureWarehouse;
  let server: TestServer;
  let browser: ChromiumBrowser;
  const pageErrors: string[] = [];

  beforeAll(async () => {
    fixture = await fixtureWarehouse(fixtureTables, '2025-04-30');
    server = await startTestServer({ warehouse: fixture.warehouse, clientDir: await buildClientForTest() });
    browser = await launchChromium();
  });
  afterAll(async () => {
    await browser?.close();
    await server?.close();
    fixture?.dispose();
  });

  const figuresOnPage = (page: Page) =>
    page
      .locator('#into-care [data-figure]')
      .evaluateAll((els) => els.map((el) => [el.getAttribute('data-figure')!, el.textContent ?? ''] as const));

  it.each([
    ['officer', false],
    ['board', true],
  ] as const)('as %s, every headline number of the section equals the API’s', async (role, suppressed) => {
    const page = await (await loopbackContext(browser)).newPage();
    page.on('pageerror', (err) => pageErrors.push(err.message));
    await signInOnPage(page, server.url, role);
    expect(await page.locator('#quarter').inputValue()).toBe('2025-03-31');
    const client: Browser = await server.as(role);
    const pack = (await client.get('/api/v1/board-pack?quarter=2025-03-31')).body as any;
    expect(pack.suppressed).toBe(suppressed);

    await page.locator('#into-care').waitFor();
    expect(await page.locator('#into-care-heading').textContent()).toBe('Into care');
    const figures = await figuresOnPage(page);
    expect(figures.map(([path]) => path)).toEqual([
      'looked_after.lac_open',
      'looked_after.lac_open_rate_per_10k',
      'looked_after.lac_open_n1',
      'looked_after.lac_starts',
      'looked_after.lac_starts_n1',
      'looked_after.lac_from_neglect_plan',
    ]);
    for (const [path, text] of figures) expect(text, path).toBe(shown(path, valueAtPath(pack.figures, path)));

    // The fixture's numbers (lookedAfter.fixture.ts), so the test cannot pass on an empty section.
    const expected = suppressed
      ? { lac_open: 9, lac_open_n1: 'c', lac_starts: 6, lac_starts_n1: 'c', lac_from_neglect_plan: 'c' }
      : { lac_open: 9, lac_open_n1: 4, lac_starts: 6, lac_starts_n1: 3, lac_from_neglect_plan: 3 };
    expect(pack.figures.looked_after).toMatchObject(expected);

    // At 31 March the rate stands beside DfE's (LAIT 124, 2025: England 67 per 10,000).
    expect(await page.locator('#into-care [data-benchmark="lac_open_rate_per_10k"]').textContent()).toContain(
      'England 67.0 per 10,000',
    );
    // The sentence is the server's, and N1 is never called neglect alone.
    expect(await page.locator('#into-care .reading').first().textContent()).toBe(pack.intoCare.reading);
    const text = (await page.locator('#into-care').textContent()) ?? '';
    expect(text).toContain('abuse or neglect (N1)');
    // A trend chart with the table behind it, one row per quarter the API sends.
    expect(await page.locator('#into-care svg').count()).toBeGreaterThan(0);
    expect(await page.locator('#into-care-trend-table tbody tr').count()).toBe(pack.intoCare.trend.points.length);

    // The continuum runs on to being looked after, with how each stage sees neglect.
    const basis = await page.locator('#continuum .stage-basis').allTextContents();
    expect(basis).toHaveLength(4);
    expect(basis[3]).toContain('category of need N1, abuse or neglect');
    expect(await seriousViolations(page)).toEqual([]);
    await page.close();
  });

  it('raised no errors in the page', () => {
    expect(pageErrors).toEqual([]);
  });
});
