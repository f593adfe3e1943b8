import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { renderPackPdf } from '../../report/pdf.ts';
import { addCommentary } from '../../sql/commentary.ts';
import type { Warehouse } from '../../sql/warehouse.ts';
import { buildClientForTest } from '../support/buildClient.ts';
import { hasChromium } from '../support/chromium.ts';
import { smallDemoWarehouse } from '../support/demoWarehouse.ts';
import { hasPdftotext, pdfText } from '../support/pdf.ts';
import { startTestServer, type TestServer } from '../support/testServer.ts';

if (!hasChromium || !hasPdftotext)
  console.warn('SKIPPED printed pack tests: need /usr/bin/chromium and pdftotext (poppler-utils)');

/** Fewest lines of text a page other than the last may carry: below this a page is near-empty. */
const minimumLines = 12;

/**
 * The printed pack as a board member gets it (report/pdf.ts on the page served to a board user, as
 * `lscb report` does), read back page by page with pdftotext.
 */
describe.skipIf(!hasChromium || !hasPdftotext)('the printed pack', () => {
  let demo: { warehouse: Warehouse; dir: string };
  let server: TestServer;
  let pages: string[];
  const commentary = 'Neglect plans fell this quarter.\n\nThe audit of <b>neglect plans</b> reports in June.';

  beforeAll(async () => {
    demo = await smallDemoWarehouse();
    await addCommentary(demo.warehouse, {
      quarterEnd: '2026-03-31',
      body: commentary,
      author: 'officer',
      baseVersion: 0,
    });
    const clientDir = await buildClientForTest();
    server = await startTestServer({ warehouse: demo.warehouse, clientDir, auth: { demo: true } });
    const board = await server.as('board');
    const [name, value] = board.cookie!.split('=') as [string, string];
    const pdf = await renderPackPdf({ url: `${server.url}?quarter=2026-03-31`, cookie: { name, value } });
    const path = join(demo.dir, 'printed.pdf');
    writeFileSync(path, pdf);
    // pdftotext ends every page with a form feed: the last piece is empty.
    pages = pdfText(path).split('\f').slice(0, -1);
  }, 300_000);
  afterAll(async () => {
    await server?.close();
    demo?.warehouse.close();
  });

  const lines = (page: string) => page.split('\n').filter((line) => line.trim() !== '');

  it('marks every page OFFICIAL-SENSITIVE exactly once, with the partnership, the LA and the page number', () => {
    expect(pages.length).toBeGreaterThan(3);
    pages.forEach((page, i) => {
      expect(page.match(/OFFICIAL-SENSITIVE/g)?.length, `page ${i + 1}`).toBe(1);
      expect(page, `page ${i + 1}`).toContain('Northbury Safeguarding Children Partnership · Northbury');
      expect(page, `page ${i + 1}`).toMatch(new RegExp(`page ${i + 1} of ${pages.length}`));
    });
  });

  it('opens with the cover (partnership, LA, quarter) and the executive summary', () => {
    const first = pages[0]!;
    expect(lines(first).slice(1, 8).join('\n')).toContain('Northbury Safeguarding Children Partnership');
    expect(first).toMatch(/Local authority\s+Northbury/);
    expect(first).toMatch(/Quarter\s+January to March 2026/);
    expect(first).toMatch(/Produced\s+\d{1,2} \w+ \d{4}/);
    expect(first).toContain('Executive summary');
    expect(first).toContain('What changed since the previous quarter');
  });

  it('prints the commentary as written, as text', () => {
    const text = pages.join('\n');
    expect(text).toContain('Commentary');
    expect(text).toContain('Neglect plans fell this quarter.');
    expect(text).toContain('The audit of <b>neglect plans</b> reports in June.');
    expect(text).toMatch(/Written by officer on \d{1,2} \w+ \d{4} at \d\d:\d\d \(version 1\)\./);
  });

  it('has no near-empty page: every page but the last carries at least a dozen lines', () => {
    pages.slice(0, -1).forEach((page, i) => {
      // Two of the lines are the page's header and footer.
      expect(lines(page).length - 2, `page ${i + 1} of ${pages.length}:\n${page}`).toBeGreaterThanOrEqual(minimumLines);
    });
  });

  it('repeats a table’s header on each page it runs onto, and never leaves one row of it alone', () => {
    // Rows of the two five-year SPC tables (neglect plans; children looked after, the Into care
    // section): each has one signal cell (common cause, special cause or no value) in the table's
    // right-hand column; a long cell wraps, but its first words stay on one line. A section's
    // sentence may say "common cause" too, but at the left margin.
    const rowsOn = (page: string) =>
      lines(page).filter((line) => {
        const at = line.search(/common cause|special cause|no value/);
        return at >= 30;
      }).length;
    const withRows = pages.map(rowsOn);
    const used = withRows.map((n, i) => [n, i] as const).filter(([n]) => n > 0);
    // 20 quarters in each table; a wrapped sentence may add a line, never a table's worth.
    expect(used.reduce((sum, [n]) => sum + n, 0)).toBeGreaterThanOrEqual(40);
    expect(used.reduce((sum, [n]) => sum + n, 0)).toBeLessThanOrEqual(42);
    expect(used.length).toBeGreaterThanOrEqual(1);
    for (const [n, i] of used) {
      expect(pages[i], `page ${i + 1}`).toMatch(/Quarter end[\s\S]{0,300}Signal/);
      expect(n, `page ${i + 1}`).toBeGreaterThanOrEqual(2);
    }
  });

  it('prints no controls: no quarter picker, download buttons or edit form', () => {
    const text = pages.join('\n');
    for (const control of ['Download CSV', 'Download all the pack', 'Edit commentary', 'Sign out', 'Skip to content']) {
      expect(text).not.toContain(control);
    }
  });
});
