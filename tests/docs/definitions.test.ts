import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import type { Browser as ChromiumBrowser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { contractOutline } from '../../client/definitions/contract.ts';
import { computeMetricsPack, type MetricsPack } from '../../metrics/figures.ts';
import { projectRoot } from '../../sql/warehouse.ts';
import { cpOpenFixture } from '../metrics/cpOpen.fixture.ts';
import { buildClientForTest } from '../support/buildClient.ts';
import { hasChromium, launchChromium, loopbackContext, signInOnPage } from '../support/chromium.ts';
import { fixtureWarehouse, type FixtureWarehouse } from '../support/fixtureWarehouse.ts';
import { startTestServer, type TestServer } from '../support/testServer.ts';

/**
 * docs/METRICS.md defines every figure the product computes, and the definitions page a board member
 * opens from the pack is that document, rendered (its anchors: definitionsPage.test.ts).
 */

const markdown = readFileSync(join(projectRoot, 'docs/METRICS.md'), 'utf8');
const outline = contractOutline(markdown);
const definedIds = new Set(outline.figures.map((f) => f.id));

let fixture: FixtureWarehouse;
let pack: Record<string, unknown> & MetricsPack;
beforeAll(async () => {
  fixture = await fixtureWarehouse(cpOpenFixture);
  pack = (await computeMetricsPack(fixture.warehouse, { from: '2025-01-01', to: '2025-03-31' })) as typeof pack;
});
afterAll(() => fixture?.dispose());

/** Sections of the §8 object whose keys are figures, as docs/METRICS.md names them. */
const documentedFamilies = () =>
  outline.headings
    .map((h) => h.family)
    .filter((family): family is string => family !== null && family !== 'disproportionality' && family in pack);

describe('docs/METRICS.md defines every figure the product computes', () => {
  it('has a definition for every key of every figure section of the metrics object', () => {
    const families = documentedFamilies();
    expect(families).toEqual(expect.arrayContaining(['prevalence', 'repeat', 'drift', 'percentages']));
    const undefinedFigures = families.flatMap((family) =>
      Object.keys(pack[family] as Record<string, unknown>)
        .map((key) => `${family}.${key.replace(/_rate_per_10k$/, '')}`)
        .filter((id) => !definedIds.has(id)),
    );
    expect(undefinedFigures).toEqual([]);
  });

  it('names every rate key beside the count it divides', () => {
    const rates = documentedFamilies().flatMap((family) =>
      Object.keys(pack[family] as Record<string, unknown>).filter((key) => key.endsWith('_rate_per_10k')),
    );
    expect(rates).toContain('cp_open_rate_per_10k');
    expect(rates.filter((key) => !markdown.includes(`\`${key}\``))).toEqual([]);
  });

  it('defines every column of a disproportionality row', () => {
    const row = Object.values(pack.disproportionality)[0]!['ethnicity']![0]!;
    expect(Object.keys(row).filter((key) => !definedIds.has(`disproportionality.${key}`))).toEqual([]);
  });

  it('numbers its sections 1 to 15 without a gap, so §N always means one section', () => {
    const numbers = outline.headings.filter((h) => h.depth === 2).map((h) => Number(h.number));
    expect(numbers).toEqual(Array.from({ length: numbers.length }, (_, i) => i + 1));
    expect(numbers.length).toBeGreaterThanOrEqual(15);
  });
});

describe.skipIf(!hasChromium)('the definitions page in the built client, in Chromium', () => {
  let server: TestServer;
  let browser: ChromiumBrowser;
  let page: Page;
  const axeSource = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');

  beforeAll(async () => {
    const clientDir = await buildClientForTest();
    server = await startTestServer({ warehouse: fixture.warehouse, clientDir, auth: { demo: true } });
    browser = await launchChromium();
    page = await (await loopbackContext(browser)).newPage();
  });
  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  it('opens from the board pack, as a board member sees it', async () => {
    await signInOnPage(page, server.url, 'board');
    await page.click('text=How each figure is defined');
    await page.waitForSelector('#section-15');
    expect(new URL(page.url()).pathname).toBe('/definitions.html');
    expect(await page.textContent('h1')).toBe('How each figure is defined');
    expect(await page.textContent('[id="repeat.rereferrals_12m"]')).toContain('another referral dated in the 365 days');
  });

  it('goes straight to a figure by its path', async () => {
    await page.goto(`${server.url}/definitions.html#drift.cp_open_18m_plus`);
    expect(await page.evaluate(() => document.querySelector(':target')?.id)).toBe('drift.cp_open_18m_plus');
  });

  it('has no serious or critical accessibility violation (axe-core, WCAG 2.2 AA)', async () => {
    await page.evaluate(axeSource);
    const violations = await page.evaluate(async () => {
      type Violation = { id: string; impact: string | null; nodes: { target: string[] }[] };
      type Axe = { run: (d: Document, o: object) => Promise<{ violations: Violation[] }> };
      const axe = (window as unknown as { axe: Axe }).axe;
      const tags = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa'];
      const result = await axe.run(document, { runOnly: { type: 'tag', values: tags } });
      return result.violations;
    });
    const serious = violations
      .filter((v) => v.impact === 'serious' || v.impact === 'critical')
      .map(
        (v) =>
          `${v.id}: ${v.nodes
            .slice(0, 3)
            .map((n) => n.target.join(' '))
            .join(', ')}`,
      );
    expect(serious).toEqual([]);
  });
});
