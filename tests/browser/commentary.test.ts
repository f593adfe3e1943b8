import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import type { Browser as ChromiumBrowser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cpOpenFixture } from '../metrics/cpOpen.fixture.ts';
import { buildClientForTest } from '../support/buildClient.ts';
import { hasChromium, launchChromium, loopbackContext, signInOnPage } from '../support/chromium.ts';
import { fixtureWarehouse, type FixtureWarehouse } from '../support/fixtureWarehouse.ts';
import { startTestServer, type TestServer } from '../support/testServer.ts';

if (!hasChromium) console.warn('SKIPPED commentary browser tests: no Chromium at /usr/bin/chromium');

const axeSource = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');

/** axe-core's serious and critical WCAG 2.2 A/AA violations inside one element (as tests/browser/accessibility.test.ts). */
async function seriousViolationsIn(page: Page, selector: string): Promise<string[]> {
  await page.evaluate(axeSource);
  const violations = await page.evaluate(async (within) => {
    type Violation = { id: string; impact: string | null; nodes: { target: string[] }[] };
    const axe = (
      window as unknown as { axe: { run: (ctx: Element, opts: object) => Promise<{ violations: Violation[] }> } }
    ).axe;
    const result = await axe.run(document.querySelector(within)!, {
      runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa'] },
    });
    return result.violations;
  }, selector);
  return violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`);
}

describe.skipIf(!hasChromium)('commentary on the pack page', () => {
  let fixture: FixtureWarehouse;
  let server: TestServer;
  let browser: ChromiumBrowser;

  async function signedIn(role: 'board' | 'officer'): Promise<Page> {
    const page = await (await loopbackContext(browser)).newPage();
    await signInOnPage(page, server.url, role);
    return page;
  }

  beforeAll(async () => {
    fixture = await fixtureWarehouse(cpOpenFixture);
    const clientDir = await buildClientForTest();
    server = await startTestServer({ warehouse: fixture.warehouse, clientDir, auth: { demo: true } });
    browser = await launchChromium();
  });
  afterAll(async () => {
    await browser?.close();
    await server?.close();
    fixture?.dispose();
  });

  // Markup typed into the box must come back as the same characters, never as elements.
  const written =
    'Neglect plans fell; the audit reports in June.\n<img src=x onerror="document.body.dataset.hacked=1"> is text.';

  it('lets an officer write it, saved as version 1 under the officer’s name', async () => {
    const page = await signedIn('officer');
    await expect(page.locator('#commentary .commentary-none').textContent()).resolves.toContain(
      'No commentary has been written for this quarter yet',
    );
    await page.click('#commentary .commentary-edit');
    await page.fill('#commentary-text', written);
    await page.click('#commentary form button[type="submit"]');
    await page.waitForSelector('#commentary .form-message:has-text("Saved as version 1.")', { timeout: 30_000 });
    expect(await page.locator('#commentary .commentary-shown .commentary-body').textContent()).toBe(written);
    const rows = await fixture.warehouse.query<{ version: number; author: string; body: string }>(
      `SELECT version, author, body FROM commentary WHERE quarter_end = DATE '2025-03-31'`,
    );
    expect(rows).toEqual([{ version: 1, author: 'officer', body: written }]);
    // The cover, the summary and the commentary with its open form pass axe as the rest of the pack does.
    for (const part of ['#cover', '#summary', '#commentary'])
      expect(await seriousViolationsIn(page, part), part).toEqual([]);
  });

  it('shows the board the latest version as written, as text, with no way to edit it', async () => {
    const page = await signedIn('board');
    const body = page.locator('#commentary .commentary-body');
    expect(await body.textContent()).toBe(written);
    expect(await body.locator('img').count()).toBe(0);
    expect(await page.locator('body').getAttribute('data-hacked')).toBeNull();
    expect(await page.locator('#commentary .commentary-meta').textContent()).toMatch(
      /^Written by officer on \d{1,2} \w+ \d{4} at \d\d:\d\d \(version 1\)\.$/,
    );
    expect(await page.locator('#commentary .commentary-edit, #commentary textarea').count()).toBe(0);
    // The cover names whose pack it is.
    expect(await page.locator('#cover .cover-partnership').textContent()).toBe(
      'Northbury Safeguarding Children Partnership',
    );
    expect(await page.locator('#summary h2').textContent()).toBe('Executive summary');
  });
});
