import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser as ChromiumBrowser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { projectRoot, type Warehouse } from '../../sql/warehouse.ts';
import { clippedFields, hasChromium, loopbackContext, sidewaysScroll, signInOnPage } from '../support/chromium.ts';
import { demoInChromium, type DemoInChromium } from '../support/demoInChromium.ts';
import type { TestServer } from '../support/testServer.ts';
import { seriousViolations } from '../support/axe.ts';

/**
 * The audit workflow in Chromium on the demo warehouse (issue 13, METRICS.md §13 "Audit samples"):
 * an officer draws a Lambeth-style sample of 12 (4 aged 0–5, 4 aged 6–11, 4 aged 12–17) from the
 * neglect-at-any-stage case list, records a judgement for every child, closes the audit and reads
 * the findings with their intervals; a board member sees only the closed audit, suppressed; the
 * access log has every step. `AUDIT_SCREENSHOTS=1` also writes the README's pictures to
 * docs/screenshots/.
 */

if (!hasChromium) console.warn('SKIPPED audit browser tests: no Chromium at /usr/bin/chromium');

const screenshots = process.env['AUDIT_SCREENSHOTS'] ? join(projectRoot, 'docs/screenshots') : undefined;

describe.skipIf(!hasChromium)('the audit workflow in Chromium', () => {
  let demo: DemoInChromium;
  let warehouse: Warehouse;
  let server: TestServer;
  let browser: ChromiumBrowser;
  let officer: Page;
  let auditId: number;
  const childIds: string[] = [];

  /** Signed in straight onto a page (not the pack, whose first computation is slow on a busy machine). */
  async function signedIn(role: 'board' | 'officer', hash: string): Promise<Page> {
    const page = await (await loopbackContext(browser)).newPage();
    await signInOnPage(page, `${server.url}#${hash}`, role, `body[data-ready="true"][data-page="${hash}"]`);
    return page;
  }

  async function go(page: Page, hash: string, ready: string): Promise<void> {
    await page.evaluate((h) => {
      location.hash = h;
    }, hash);
    await page.waitForSelector(ready, { timeout: 30_000 });
    await page.waitForSelector('body[data-ready="true"]', { timeout: 30_000 });
  }

  beforeAll(async () => {
    demo = await demoInChromium();
    ({ warehouse, server, browser } = demo);
    if (screenshots) mkdirSync(screenshots, { recursive: true });
  }, 600_000);
  afterAll(() => demo?.close());

  it('draws a sample of 12 (4 + 4 + 4) from the neglect-at-any-stage case list, shown beside its population', async () => {
    officer = await signedIn('officer', 'cases');
    await officer.selectOption('#case-list', 'prevalence.neglect_any_stage_children');
    await officer.waitForSelector('a.audit-action[href="#audit-draw/prevalence.neglect_any_stage_children"]');
    await officer.click('a.audit-action');
    await officer.waitForSelector('#audit-draw-form');
    await officer.waitForSelector('body[data-ready="true"][data-page="audit-draw"]');
    expect(await officer.inputValue('#audit-figure')).toBe('prevalence.neglect_any_stage_children');
    // Lambeth's strata are the default.
    expect(await officer.inputValue('#range-0-n')).toBe('4');
    expect(await officer.inputValue('#range-2-to')).toBe('17');
    // Every range field shows its whole value: a rule meant for tick boxes once shrank them to
    // 1.2rem, so "0" and "17" were cut to a sliver (text wider than the box).
    expect(await clippedFields(officer, '.audit-ranges input')).toEqual([]);
    await officer.fill('#audit-theme', 'Neglect at any stage: Lambeth-style multi-agency audit');
    await officer.fill('#audit-seed', 'chromium-audit');
    if (screenshots) await officer.screenshot({ path: join(screenshots, 'audit-draw.png'), fullPage: true });
    await officer.click('#audit-draw-form button[type="submit"]');
    await officer.waitForSelector('#audit-sample', { timeout: 30_000 });
    await officer.waitForSelector('body[data-ready="true"][data-page="audit"]');
    auditId = Number(/#audit\/(\d+)/.exec(officer.url())![1]);

    const tables = officer.locator('#audit-sample table');
    const strata = await tables
      .nth(0)
      .locator('tbody tr')
      .evaluateAll((rows) => rows.map((r) => [...r.children].map((c) => c.textContent)));
    // Each stratum: its label, children on the list (at least 4), …, asked for 4, drawn 4.
    expect(strata.slice(0, 3).map((r) => [r[0], r[4], r[5]])).toEqual([
      ['Aged 0–5', '4', '4'],
      ['Aged 6–11', '4', '4'],
      ['Aged 12–17', '4', '4'],
    ]);
    for (const row of strata.slice(0, 3)) expect(Number(row[1])).toBeGreaterThanOrEqual(4);
    const sample = tables.nth(1).locator('tbody th a');
    expect(await sample.count()).toBe(12);
    childIds.push(...(await sample.allTextContents()));
    expect(new Set(childIds).size).toBe(12);
    // One child per family (children.family_id; a child with none is a family of one).
    const families = await warehouse.query<{ families: number }>(
      `SELECT count(DISTINCT coalesce(ch.family_id, 'child ' || ac.child_key))::INTEGER AS families
       FROM audit_children ac LEFT JOIN children ch USING (child_key) WHERE ac.audit_id = $id::INTEGER`,
      { id: auditId },
    );
    expect(families).toEqual([{ families: 12 }]);
    expect(await seriousViolations(officer), 'sample page').toEqual([]);
    if (screenshots) await officer.screenshot({ path: join(screenshots, 'audit-sample.png'), fullPage: true });
  }, 240_000);

  it('records a judgement for each of the 12 children, each saved as version 1 under the officer’s name', async () => {
    for (const [i, id] of childIds.entries()) {
      await go(officer, `audit/${auditId}`, '#audit-sample');
      await officer.click(`#audit-sample tr:has(th a:text-is("${id}")) a.judge-link`);
      await officer.waitForSelector(`#audit-judgement-heading:text-is("Judgement: child ${id}")`, { timeout: 30_000 });
      await officer.waitForSelector('body[data-ready="true"][data-page="audit-judge"]');
      // A spread of answers: drift in every third child, progress positive in half, GCP2 in two thirds.
      await officer.check(`#judge-quality-${['good', 'requires_improvement', 'inadequate', 'good'][i % 4]}`);
      await officer.check(`#judge-drift-${i % 3 === 0 ? 'yes' : 'no'}`);
      if (i % 3 === 0) await officer.check('#judge-missed-escalation');
      if (i % 4 === 0) await officer.check('#judge-missed-early_help');
      await officer.check(`#judge-progress-${['positive', 'partial', 'positive', 'none'][i % 4]}`);
      await officer.check(`#judge-tool-${i % 3 === 2 ? 'none' : 'gcp2'}`);
      await officer.check(`#judge-voice-${i % 2 === 0 ? 'yes' : 'no'}`);
      await officer.check(`#judge-multi_agency-${i % 2 === 0 ? 'effective' : 'partly_effective'}`);
      await officer.check('#judge-step_down-not_applicable');
      await officer.fill('#judge-note', `Audited in the Chromium test (${i + 1} of 12).`);
      if (i === 0) {
        expect(await seriousViolations(officer), 'judgement form').toEqual([]);
        if (screenshots) await officer.screenshot({ path: join(screenshots, 'audit-judgement.png'), fullPage: true });
      }
      await officer.click('#judgement-form button[type="submit"]');
      await officer.waitForSelector('#judgement-form .form-message:text-is("Saved as version 1.")', {
        timeout: 30_000,
      });
    }
    const saved = await warehouse.query<{ n: number; authors: string[] }>(
      `SELECT count(*)::INTEGER AS n, list(DISTINCT author) AS authors FROM audit_judgements WHERE audit_id = $id::INTEGER`,
      { id: auditId },
    );
    expect(saved).toEqual([{ n: 12, authors: ['officer'] }]);
  }, 240_000);

  it('closes the audit and shows the findings with 95% intervals beside Ofsted 2014', async () => {
    await go(officer, `audit/${auditId}`, '#audit-close-form');
    expect(await officer.textContent('#audit-close-form p')).toMatch(/^Every child has a judgement/);
    await officer.click('#audit-close-form button[type="submit"]');
    await officer.waitForSelector('#audit-findings', { timeout: 30_000 });
    await officer.waitForSelector('body[data-ready="true"][data-page="audit-findings"]');
    expect(await officer.locator('#audit-findings .audit-caveat').first().textContent()).toMatch(
      /^Audit samples are small/,
    );
    // Drift: children 1, 4, 7 and 10 (i = 0, 3, 6, 9) → yes 4 of 12 = 33%, Wilson 95% interval 14% to 61%.
    const drift = officer.locator('#audit-findings table', {
      has: officer.locator('caption:text-is("Drift or delay: 12 children judged")'),
    });
    const yes = await drift.locator('tbody tr').first().locator('th, td').allTextContents();
    expect(yes.slice(0, 4)).toEqual(['Yes', '4', '33%', '14% to 61%']);
    expect(yes[4]).toMatch(/^drift and delay in a third of long-term cases \(33%\)\. Ofsted \(2014\)/);
    expect(await seriousViolations(officer), 'findings page').toEqual([]);
    if (screenshots) await officer.screenshot({ path: join(screenshots, 'audit-findings.png'), fullPage: true });
    // After closing, the form is read-only and the server refuses a late edit with 409.
    const child = await warehouse.query<{ child_key: number }>(
      'SELECT child_key FROM audit_children WHERE audit_id = $id::INTEGER LIMIT 1',
      { id: auditId },
    );
    const late = await officer.evaluate(
      async ([id, key]) => {
        const session = (await (await fetch('/api/v1/session')).json()) as { csrfToken: string };
        const response = await fetch(`/api/v1/audits/${id}/children/${key}/judgements`, {
          method: 'POST',
          headers: { 'Content-Type': 'application/json', 'X-CSRF-Token': session.csrfToken },
          body: JSON.stringify({
            answers: {
              quality: 'good',
              drift: 'no',
              missed: [],
              progress: 'positive',
              tool: 'gcp2',
              voice: 'yes',
              multi_agency: 'effective',
              step_down: 'yes',
            },
            baseVersion: 1,
          }),
        });
        return response.status;
      },
      [auditId, child[0]!.child_key],
    );
    expect(late).toBe(409);
    await go(officer, `audit-judge/${auditId}/${child[0]!.child_key}`, '#audit-judgement .audit-closed');
    expect(await officer.locator('#judgement-form button').count()).toBe(0);
    expect(await officer.locator('#judgement-form input:not([disabled])').count()).toBe(0);
  }, 240_000);

  it('shows a board member only the closed audit, and only its suppressed findings', async () => {
    // A second, open audit the board must not see.
    await go(officer, 'audit-draw/prevalence.cp_open', '#audit-draw-form');
    await officer.fill('#audit-theme', 'Open audit the board must not see');
    await officer.click('#audit-draw-form button[type="submit"]');
    await officer.waitForSelector('#audit-sample', { timeout: 30_000 });

    const board = await signedIn('board', 'audits');
    const register = await board.locator('#audits tbody tr').allTextContents();
    expect(register).toHaveLength(1);
    expect(register[0]).toContain('Neglect at any stage: Lambeth-style multi-agency audit');
    expect(register[0]).toContain('Closed');
    expect(await board.locator('#audits a[href^="#audit/"]').count()).toBe(0);
    expect(await seriousViolations(board), 'register').toEqual([]);
    await board.click(`#audits a[href="#audit-findings/${auditId}"]`);
    await board.waitForSelector('#audit-findings', { timeout: 30_000 });
    await board.waitForSelector('body[data-ready="true"][data-page="audit-findings"]');
    expect(await board.getAttribute('body', 'data-suppressed')).toBe('true');
    // Drift yes 4 of 12 is c; no 8 would give it back, so it is c too (METRICS.md §7).
    const drift = board.locator('#audit-findings table', {
      has: board.locator('caption:text-is("Drift or delay: 12 children judged")'),
    });
    const cells = await drift
      .locator('tbody tr')
      .evaluateAll((rows) => rows.map((r) => [...r.children].slice(0, 4).map((c) => c.textContent)));
    expect(cells).toEqual([
      ['Yes', 'c', 'c', 'c'],
      ['No', 'c', 'c', 'c'],
    ]);
    const text = (await board.textContent('#audit-findings')) ?? '';
    for (const id of childIds) expect(text).not.toContain(id);
    expect(text).not.toContain('Audited in the Chromium test');
    if (screenshots) await board.screenshot({ path: join(screenshots, 'audit-findings-board.png'), fullPage: true });
    // The sample is not the board's: the API refuses it.
    const status = await board.evaluate(async (id) => (await fetch(`/api/v1/audits/${id}`)).status, auditId);
    expect(status).toBe(403);
  }, 240_000);

  it('has every step in the access log', async () => {
    const rows = await warehouse.query<{
      username: string;
      method: string;
      path: string;
      status: number;
      sensitivity: string;
    }>(
      `SELECT username, method, path, status, sensitivity FROM access_log WHERE path LIKE '/api/v1/audits%' ORDER BY id`,
    );
    const count = (username: string, method: string, path: RegExp, status: number, sensitivity: string) =>
      rows.filter(
        (r) =>
          r.username === username &&
          r.method === method &&
          path.test(r.path) &&
          r.status === status &&
          r.sensitivity === sensitivity,
      ).length;
    expect(count('officer', 'POST', /^\/api\/v1\/audits$/, 201, 'identity')).toBe(2);
    expect(count('officer', 'GET', new RegExp(`^/api/v1/audits/${auditId}$`), 200, 'identity')).toBeGreaterThanOrEqual(
      13,
    );
    expect(
      count('officer', 'POST', new RegExp(`^/api/v1/audits/${auditId}/children/\\d+/judgements$`), 201, 'identity'),
    ).toBe(12);
    // Each of the 12 judgement forms, and the read-only one opened after closing.
    expect(
      count('officer', 'GET', new RegExp(`^/api/v1/audits/${auditId}/children/\\d+/judgements$`), 200, 'identity'),
    ).toBe(13);
    expect(count('officer', 'POST', new RegExp(`^/api/v1/audits/${auditId}/close$`), 200, 'identity')).toBe(1);
    expect(count('officer', 'GET', new RegExp(`^/api/v1/audits/${auditId}/findings$`), 200, 'aggregate')).toBe(1);
    expect(count('board', 'GET', /^\/api\/v1\/audits$/, 200, 'aggregate')).toBe(1);
    expect(count('board', 'GET', new RegExp(`^/api/v1/audits/${auditId}/findings$`), 200, 'aggregate')).toBe(1);
    expect(count('board', 'GET', new RegExp(`^/api/v1/audits/${auditId}$`), 403, 'identity')).toBe(1);
  });

  it('reflows to a 320 px screen: the case lists, the draw form, a sample and its findings scroll no page sideways (WCAG 1.4.10)', async () => {
    // A long case-list name once set the select's width, and the draw form's fields with it (317 px too wide).
    const page = await signedIn('officer', 'cases');
    await page.setViewportSize({ width: 320, height: 800 });
    expect(await sidewaysScroll(page)).toBe(0);
    await go(page, '#audit-draw/prevalence.neglect_any_stage_children', '#audit-draw-form');
    expect(await sidewaysScroll(page)).toBe(0);
    // The ranges keep two digits whole at this width too.
    expect(await clippedFields(page, '.audit-ranges input')).toEqual([]);
    // The audit drawn above: its sample's screen-reader words once sat outside their table's scrolling
    // box and widened the page by 176 px.
    await go(page, `#audit/${auditId}`, '#audit-sample');
    expect(await sidewaysScroll(page)).toBe(0);
    await go(page, `#audit-findings/${auditId}`, '#audit-findings');
    expect(await sidewaysScroll(page)).toBe(0);
    await page.context().close();
  }, 120_000);
});
