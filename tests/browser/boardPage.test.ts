import type { Browser as ChromiumBrowser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cpOpenFixture } from '../metrics/cpOpen.fixture.ts';
import { buildClientForTest } from '../support/buildClient.ts';
import { hasChromium, launchChromium, loopbackContext, signInOnPage } from '../support/chromium.ts';
import { demoInChromium, type DemoInChromium } from '../support/demoInChromium.ts';
import { fixtureWarehouse, type FixtureWarehouse } from '../support/fixtureWarehouse.ts';
import type { Browser } from '../support/authApp.ts';
import { startTestServer, type TestServer } from '../support/testServer.ts';
import { valueAtPath } from '../../metrics/contract/figurePath.ts';

// Browser tests need Debian's Chromium (.ci/run installs it); without it they are skipped, loudly.
if (!hasChromium) console.warn('SKIPPED browser tests: no Chromium at /usr/bin/chromium (apt-get install -y chromium)');

const valueAt = valueAtPath;

/** The page's rule for showing a figure: counts with separators, rates to 1 dp, 'c' as itself. */
function shown(value: unknown, kind: 'count' | 'rate' | 'pct'): string {
  if (value === null || value === undefined) return '–';
  if (typeof value !== 'number') return String(value);
  if (kind === 'count') return new Intl.NumberFormat('en-GB').format(value);
  return `${value.toFixed(1)}${kind === 'pct' ? '%' : ''}`;
}

describe.skipIf(!hasChromium)('board pack page in Chromium', () => {
  let demo: DemoInChromium;
  let server: TestServer;
  let board: Browser;
  let browser: ChromiumBrowser;
  let page: Page;
  const pageErrors: string[] = [];

  beforeAll(async () => {
    demo = await demoInChromium();
    ({ server, browser } = demo);
    board = await server.as('board');
    page = await (await loopbackContext(browser)).newPage();
    page.on('pageerror', (err) => pageErrors.push(err.message));
    page.on('console', (msg) => {
      if (msg.type() === 'error') pageErrors.push(msg.text());
    });
  });
  afterAll(() => demo?.close());

  const api = async (path: string) => (await board.get(path)).body as any;

  it('opens, after signing in, on the latest complete quarter and every headline figure equals the API’s', async () => {
    await signInOnPage(page, server.url, 'board');
    expect(await page.locator('body').getAttribute('data-suppressed')).toBe('true');
    expect(await page.locator('#quarter').inputValue()).toBe('2026-03-31'); // the demo's extract date
    expect(await page.title()).toBe('Neglect board pack, Jan–Mar 2026 — LSCB Insight'); // WCAG 2.4.2
    const pack = await api('/api/v1/board-pack?quarter=2026-03-31');
    const figures = await page
      .locator('[data-figure]')
      .evaluateAll((els) => els.map((el) => [el.getAttribute('data-figure')!, el.textContent ?? ''] as const));
    expect(figures.length).toBeGreaterThanOrEqual(8);
    for (const [path, text] of figures) {
      const value = valueAt(pack.figures, path);
      const kind = path.endsWith('_pct') ? 'pct' : path.includes('rate_per_10k') ? 'rate' : 'count';
      const expected = kind === 'rate' ? `${shown(value, 'rate')} per 10,000 children` : shown(value, kind);
      expect(text, path).toBe(expected);
    }
    expect(typeof pack.figures.prevalence.cp_open_neglect_initial).toBe('number');
  });

  it('on the demo, shows Into care and Partners with their benchmarks, every number the API’s (issue 11)', async () => {
    const pack = await api('/api/v1/board-pack?quarter=2026-03-31');
    // Into care: the six headline figures as the API gives them, not an empty section.
    const care = await page
      .locator('#into-care [data-figure]')
      .evaluateAll((els) => els.map((el) => [el.getAttribute('data-figure')!, el.textContent ?? ''] as const));
    expect(care.map(([path]) => path)).toContain('looked_after.lac_open');
    for (const [path, text] of care) {
      const kind = path.includes('rate_per_10k') ? 'rate' : 'count';
      const value = valueAt(pack.figures, path);
      expect(text, path).toBe(kind === 'rate' ? `${shown(value, 'rate')} per 10,000 children` : shown(value, kind));
    }
    expect(pack.figures.looked_after.lac_open).toBeGreaterThan(5);
    // At 31 March the rate stands beside LAIT's (2025: England 67 per 10,000).
    expect(await page.locator('#into-care [data-benchmark="lac_open_rate_per_10k"]').textContent()).toContain(
      'England 67.0 per 10,000',
    );
    // Partners: the demo's four measures, each value the API's, with LAIT beside persistent absence.
    const partners = await page.locator('#partners .partner-measure').evaluateAll((els) =>
      els.map((el) => ({
        measure: el.getAttribute('data-measure')!,
        value: el.querySelector('.partner-value')?.textContent ?? '',
      })),
    );
    expect(partners.map((p) => p.measure).sort()).toEqual([
      'health_was_not_brought',
      'police_da_incidents_children',
      'school_persistent_absence',
      'two_year_funded_takeup',
    ]);
    for (const figure of pack.figures.partner as { measure: string; unit: string; value: unknown }[]) {
      const expected = figure.unit === 'percent' ? `${shown(figure.value, 'pct')}` : shown(figure.value, 'count');
      expect(partners.find((p) => p.measure === figure.measure)?.value, figure.measure).toBe(expected);
    }
    expect(
      await page.locator('#partners [data-measure="school_persistent_absence"] .partner-benchmark').textContent(),
    ).toMatch(/^England \d+\.\d%/);
  });

  it('renders every section with a chart that has an accessible name, and a data table', async () => {
    for (const id of [
      'headline',
      'continuum',
      'neglect-trend',
      'categories',
      'repeat',
      'drift',
      'disproportionality',
      'quality',
    ]) {
      expect(await page.locator(`section#${id} h2`).count(), id).toBe(1);
    }
    // The SPC chart is a group of focusable points; every other chart is one image (helper notes).
    const charts = page.locator('svg.chart[role="img"], svg.chart[role="group"]');
    expect(await charts.count()).toBeGreaterThanOrEqual(7);
    for (const svg of await charts.all()) {
      const labelledBy = await svg.getAttribute('aria-labelledby');
      expect(labelledBy).toBeTruthy();
      const [titleId] = labelledBy!.split(' ');
      expect((await page.locator(`[id="${titleId}"]`).textContent())?.length).toBeGreaterThan(10);
    }
    expect(await page.locator('table.data-table').count()).toBeGreaterThanOrEqual(8);
    // Every chart has its numbers in a data table in the same section.
    const sectionsWithChartButNoTable = await page.evaluate(() =>
      [...document.querySelectorAll('section.pack-section')]
        .filter((s) => s.querySelector('svg.chart') && !s.querySelector('table.data-table'))
        .map((s) => s.id),
    );
    expect(sectionsWithChartButNoTable).toEqual([]);
    // Ids are unique, so every aria reference names one element.
    const duplicateIds = await page.evaluate(() => {
      const ids = [...document.querySelectorAll('[id]')].map((e) => e.id);
      return ids.filter((id, i) => ids.indexOf(id) !== i);
    });
    expect(duplicateIds).toEqual([]);
  });

  it('lets a keyboard user pass each SPC chart in one Tab and walk its points with the arrow keys', async () => {
    const charts = await page.locator('svg.spc-chart[role="group"]').all();
    expect(charts.length).toBeGreaterThanOrEqual(1);
    for (const svg of charts) {
      const marks = await svg.locator('.chart-mark').count();
      expect(marks).toBeGreaterThan(1);
      // One mark in the tab order (the latest), every other one reached by the keys.
      expect(await svg.locator('.chart-mark[tabindex="0"]').count()).toBe(1);
      expect(await svg.locator('.chart-mark[tabindex="-1"]').count()).toBe(marks - 1);
    }
    const chart = charts[0]!;
    const titles = await chart.locator('.chart-mark title').allTextContents();
    const focusedTitle = () =>
      page.evaluate(() => document.activeElement?.closest('.chart-mark')?.querySelector('title')?.textContent ?? null);
    await chart.locator('.chart-mark[tabindex="0"]').focus();
    expect(await focusedTitle()).toBe(titles[titles.length - 1]);
    await page.keyboard.press('ArrowLeft');
    expect(await focusedTitle()).toBe(titles[titles.length - 2]);
    expect(await chart.locator('.chart-tooltip text').textContent()).toBe(titles[titles.length - 2]);
    await page.keyboard.press('Home');
    expect(await focusedTitle()).toBe(titles[0]);
    // The next Tab leaves the chart, whichever point it was on.
    await page.keyboard.press('Tab');
    expect(await chart.evaluate((svg) => svg.contains(document.activeElement))).toBe(false);
  });

  it('compares like with like: England, region and statistical neighbours for the DfE year (METRICS.md §9)', async () => {
    const pack = await api('/api/v1/board-pack?quarter=2026-03-31');
    expect(pack.benchmarks.year).toBe(2025); // the newest published year
    const cards = await page.locator('.figure .benchmark').allTextContents();
    // CP plans at 31 March: England 2025 = 49,420 ÷ 12,183,016 × 10,000 = 40.6 (SOURCES.md).
    expect(cards.join(' ')).toContain('England 40.6 per 10,000');
    expect(cards.join(' ')).toContain('England 24.5%');
    expect(cards.join(' ')).toContain('(DfE, year to 31 March 2025)');
    // The funnel places the LA among all LAs, with its own point highlighted, unless a quarter of that
    // year hides its repeat plans: then the year's figure is hidden too (metrics/linkedPeriods.ts),
    // or the year minus the shown quarters would give the hidden quarter back.
    const { from, to } = pack.repeatFunnel.period;
    const quarters = await api(`/api/v1/trend?figure=repeat.cp_starts_second_or_subsequent&from=${from}&to=${to}`);
    const aQuarterHidden = quarters.points.some((p: { value: unknown }) => p.value === 'c');
    const highlighted = pack.repeatFunnel.points.filter((p: { highlight?: boolean }) => p.highlight);
    expect(highlighted).toHaveLength(aQuarterHidden ? 0 : 1);
    expect(await page.locator('section#repeat svg.chart').count()).toBe(1);
  });

  it('has a category table whose every cell equals the API', async () => {
    const pack = await api('/api/v1/board-pack?quarter=2026-03-31');
    const rows = await page
      .locator('#cp-open-by-category-table tbody tr')
      .evaluateAll((trs) => trs.map((tr) => [...tr.children].map((cell) => cell.textContent ?? '')));
    const quarterEnds = [...new Set(pack.categories.map((r: { quarter_end: string }) => r.quarter_end))];
    expect(rows).toHaveLength(quarterEnds.length);
    const codes = ['NEG', 'PHY', 'EMO', 'SAB', 'MUL'];
    quarterEnds.forEach((quarterEnd, i) => {
      const expected = codes.map((code) =>
        shown(
          pack.categories.find(
            (r: { quarter_end: string; category: string }) => r.quarter_end === quarterEnd && r.category === code,
          ).children,
          'count',
        ),
      );
      expect(rows[i]!.slice(1), String(quarterEnd)).toEqual(expected);
    });
  });

  it('changes the figures when the quarter changes', async () => {
    const before = await page.locator('[data-figure="prevalence.neglect_any_stage_children"]').textContent();
    await page.selectOption('#quarter', '2025-09-30');
    await page.waitForSelector('body[data-ready="true"][data-quarter="2025-09-30"]');
    const pack = await api('/api/v1/board-pack?quarter=2025-09-30');
    const after = await page.locator('[data-figure="prevalence.neglect_any_stage_children"]').textContent();
    expect(after).toBe(shown(pack.figures.prevalence.neglect_any_stage_children, 'count'));
    expect(after).not.toBe(before);
    expect(await page.title()).toBe('Neglect board pack, Jul–Sep 2025 — LSCB Insight');
  });

  it('offers only quarters wholly inside the data (issue 10 "partial history")', async () => {
    const extent = await api('/api/v1/extent');
    const offered = await page
      .locator('#quarter option')
      .evaluateAll((os) => os.map((o) => (o as HTMLOptionElement).value));
    expect(offered[0]).toBe(extent.latest_quarter_end);
    // The data start part-way through a quarter (the small demo: 5 November 2012), so that quarter is not offered.
    const first = new Date(`${extent.first_date}T00:00:00Z`);
    const firstQuarterEnd = new Date(Date.UTC(first.getUTCFullYear(), Math.ceil((first.getUTCMonth() + 1) / 3) * 3, 0));
    expect(extent.first_date.endsWith('-01-01') || extent.first_date.endsWith('-04-01')).toBe(false);
    expect(offered).not.toContain(firstQuarterEnd.toISOString().slice(0, 10));
    // Nor the thin years before the system recorded everything: the earliest quarter offered is the
    // first recorded in full (referrals at half their usual rate or more: extent.recorded_from).
    const earliest = offered[offered.length - 1]!;
    expect(extent.recorded_from > extent.first_date).toBe(true);
    expect(Date.parse(earliest) - Date.parse(extent.recorded_from)).toBeGreaterThan(0);
    expect(Date.parse(earliest) - Date.parse(extent.recorded_from)).toBeLessThan(100 * 86_400_000);
  });

  it('says "Not enough history" instead of a number where the history is too short', async () => {
    const earliest = await page.locator('#quarter option').last().getAttribute('value');
    await page.selectOption('#quarter', earliest!);
    await page.waitForSelector(`body[data-ready="true"][data-quarter="${earliest}"]`, { timeout: 60_000 });
    const pack = await api(`/api/v1/board-pack?quarter=${earliest}`);
    expect(pack.history).toMatchObject({
      rereferrals_12m: 'too_short',
      repeat_plans: 'too_short',
      spc_limits: 'too_short',
    });
    expect(await page.locator('[data-history="rereferrals_12m"]').textContent()).toBe(
      'Not enough history: re-referrals need 12 months of referrals before the quarter.',
    );
    expect(await page.locator('[data-history="repeat_plans"]').textContent()).toBe(
      'Not enough history: repeat plans need 12 months of earlier plans before the quarter.',
    );
    expect(await page.locator('#neglect-trend [data-history="spc_limits"]').textContent()).toContain(
      'at least 15 quarters',
    );
    expect(await page.locator('[data-figure="percentages.rereferrals_12m_pct"]').count()).toBe(0);
    expect(await page.locator('#headline').textContent()).not.toContain('0.0%');
    expect(await page.locator('#headline .period-note').textContent()).not.toContain('?');
  });

  it('never leaves the previous quarter’s figures under a quarter that failed to load', async () => {
    const failing = await (await loopbackContext(browser)).newPage();
    await signInOnPage(failing, server.url, 'board');
    await failing.route('**/api/v1/board-pack?quarter=2025-06-30', (route) =>
      route.fulfill({
        status: 500,
        contentType: 'application/json',
        body: JSON.stringify({ error: 'the server failed' }),
      }),
    );
    await failing.selectOption('#quarter', '2025-06-30');
    await failing.waitForSelector('body[data-ready="error"][data-quarter="2025-06-30"]');
    expect(await failing.locator('#pack [data-figure]').count()).toBe(0);
    expect(await failing.locator('#pack section').count()).toBe(0);
    expect(await failing.locator('#pack .load-error').textContent()).toBe(
      'The figures for Apr–Jun 2025 could not be loaded: the server failed',
    );
    expect(await failing.locator('#subtitle').textContent()).toBe('Apr–Jun 2025 · not available');
    expect(await failing.title()).toBe('Apr–Jun 2025 not available — LSCB Insight'); // not the last page's name
    await failing.close();
  });

  it('says the basis of each of the two neglect-plan numbers where it appears', async () => {
    await page.selectOption('#quarter', '2026-03-31');
    await page.waitForSelector('body[data-ready="true"][data-quarter="2026-03-31"]', { timeout: 60_000 });
    const pack = await api('/api/v1/board-pack?quarter=2026-03-31');
    expect(await page.locator('#headline .figure .basis').first().textContent()).toBe(
      'Plans open on 31 March 2026, counted by their initial category.',
    );
    const note = await page.locator('#continuum .basis-note').textContent();
    expect(note).toContain('at any time during the quarter whose plan had neglect as its initial or latest category');
    expect(note).toContain(`the headline’s ${shown(pack.figures.prevalence.cp_open_neglect_initial, 'count')}`);
    expect(await page.locator('#continuum table').first().textContent()).toContain(
      'Child protection plan (any plan during the quarter, initial or latest category neglect)',
    );
  });

  it('speaks plain English to a board member: no clause numbers, no file names, one sign-out name', async () => {
    const text = (await page.locator('body').textContent()) ?? '';
    expect(text).not.toMatch(/METRICS\.md|DATA\.md|§/);
    expect(await page.locator('nav .link-button').textContent()).toBe('Sign out (board)');
    const quality = page.locator('#quality');
    expect(await quality.locator('.data-summary').textContent()).toMatch(
      /^The figures use data up to 31 March 2026, loaded on \d+ \w+ \d{4}\./,
    );
    expect(await quality.locator('th', { hasText: /^File$/ }).count()).toBe(0);
    expect(await quality.locator('table').count()).toBe(1); // one line per extract
    expect(await quality.locator('tbody tr').count()).toBe(1);
    expect(await quality.textContent()).not.toMatch(/\.csv|failed/);
  });

  it('shows the days from the first sign of neglect to a neglect plan with n and quartiles, in whole days, for the quarter and the year', async () => {
    const pack = await api('/api/v1/board-pack?quarter=2026-03-31');
    const rows = await page
      .locator('#days-to-neglect-plan tbody tr')
      .evaluateAll((trs) => trs.map((tr) => [...tr.children].map((cell) => cell.textContent ?? '')));
    const days = (v: unknown) => (typeof v === 'number' ? `${shown(v, 'count')} days` : shown(v, 'count'));
    const expected = (figures: any) => [
      shown(figures.drift.first_neglect_to_cp_n, 'count'),
      days(figures.drift.first_neglect_to_cp_q1_days),
      days(figures.drift.first_neglect_to_cp_median_days),
      days(figures.drift.first_neglect_to_cp_q3_days),
    ];
    expect(rows).toHaveLength(2);
    expect(rows[0]!.slice(1)).toEqual(expected(pack.figures));
    expect(rows[1]![0]).toBe('The reporting year to 31 March 2026');
    expect(rows[1]!.slice(1)).toEqual(expected(pack.yearToDate));
    for (const cell of rows.flat()) expect(cell).not.toMatch(/\d\.\d/);
  });

  it('compares neglect with England, and says plainly where no national figure is published', async () => {
    const national = page.locator('#national');
    const cells = await national
      .locator('tbody tr')
      .evaluateAll((trs) => trs.map((tr) => [...tr.children].map((cell) => cell.textContent ?? '')));
    const row = (label: string) => cells.find((r) => r[0]!.startsWith(label))!;
    expect(row('Early help episodes that were about neglect')[2]).toBe('No national figure is published.');
    expect(row('Child in need plans for children showing neglect')[2]).toBe('No national figure is published.');
    expect(row('Plans open at the quarter end with neglect')[2]).toMatch(
      /^\d+\.\d% \(DfE, year to 31 March \d{4}\)\.$|^No national figure is published\.$/,
    );
    // The neglect headline itself has its England comparison (issue 10 "done when").
    expect((await page.locator('#headline .figure').first().locator('.benchmark').allTextContents()).join(' ')).toMatch(
      /of open plans had neglect as the initial category; (England \d+\.\d% \(DfE, year to 31 March \d{4}\)|No national figure is published)\./,
    );
    // Ofsted's 2014 shares each with their trend.
    expect(await national.locator('.share-trend svg.sparkline').count()).toBe(2);
    for (const reading of await national.locator('.share-trend-reading').allTextContents())
      expect(reading).toMatch(/^Over 20 quarters: /);
  });

  it('is readable on a tablet: at 768 × 1024 no element runs off the side of the screen', async () => {
    const context = await loopbackContext(browser);
    const page = await context.newPage();
    await page.setViewportSize({ width: 768, height: 1024 });
    await signInOnPage(page, server.url, 'board');
    const overflowing = await page.evaluate(() => {
      const width = document.documentElement.clientWidth;
      // An SVG's own box is checked; the text inside it is the charts' own test (no label clipped).
      return [...document.querySelectorAll('body *')]
        .filter((el) => !(el.parentElement instanceof SVGElement) && !el.closest('svg *'))
        .filter((el) => getComputedStyle(el).display !== 'none')
        .map((el) => ({ el, box: el.getBoundingClientRect() }))
        .filter(({ box }) => box.width > 0 && (box.right > width + 0.5 || box.left < -0.5))
        .filter(({ el }) => !el.closest('.skip-link'))
        .map(
          ({ el, box }) =>
            `${el.tagName.toLowerCase()}${el.id ? `#${el.id}` : ''}.${el.className} ${Math.round(box.left)}–${Math.round(box.right)}`,
        );
    });
    expect(overflowing).toEqual([]);
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(768);
    await context.close();
  });

  it('prints to A4 with the controls hidden', async () => {
    await page.emulateMedia({ media: 'print' });
    expect(await page.locator('#period-form').isVisible()).toBe(false);
    const pdf = await page.pdf({
      format: 'A4',
      printBackground: true,
      preferCSSPageSize: true,
      tagged: true,
      outline: true,
    });
    expect(pdf.subarray(0, 5).toString()).toBe('%PDF-');
    await page.emulateMedia({ media: 'screen' });
  });

  it('raised no errors in the page', () => {
    expect(pageErrors).toEqual([]);
  });
});

describe.skipIf(!hasChromium)('board output suppresses small numbers on the page', () => {
  let fixture: FixtureWarehouse;
  let server: TestServer;
  let browser: ChromiumBrowser;

  beforeAll(async () => {
    fixture = await fixtureWarehouse(cpOpenFixture);
    server = await startTestServer({ warehouse: fixture.warehouse, clientDir: await buildClientForTest() });
    browser = await launchChromium();
  });
  afterAll(async () => {
    await browser?.close();
    await server?.close();
    fixture?.dispose();
  });

  it('shows a figure of 1–5 as c (tests/metrics/cpOpen.fixture.ts: 2 children on neglect plans)', async () => {
    const page = await (await loopbackContext(browser)).newPage();
    await signInOnPage(page, server.url, 'board');
    expect(await page.locator('body').getAttribute('data-suppressed')).toBe('true');
    expect(await page.locator('[data-figure="prevalence.cp_open_neglect_initial"]').textContent()).toBe('c');
    expect(await page.locator('[data-figure="prevalence.cp_open_neglect_initial_rate_per_10k"]').textContent()).toBe(
      'c per 10,000 children',
    );
  });
});
