import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hasChromium } from '../support/chromium.ts';
import { smallDemoWarehouse } from '../support/demoWarehouse.ts';
import { hasPdftotext, pdfOutlineTitles, pdfText } from '../support/pdf.ts';
import { runCli } from '../support/runCli.ts';

if (!hasChromium || !hasPdftotext)
  console.warn('SKIPPED report tests: need /usr/bin/chromium and pdftotext (poppler-utils)');

describe.skipIf(!hasChromium || !hasPdftotext)('lscb report --pdf', () => {
  let dbPath: string;
  let dir: string;
  beforeAll(async () => {
    const demo = await smallDemoWarehouse();
    demo.warehouse.close(); // the report is another process
    ({ dbPath, dir } = demo);
  });
  afterAll(() => undefined);

  it('writes a tagged A4 PDF whose outline has the pack’s sections and whose text has the headline figures', async () => {
    const pdfPath = join(dir, 'pack.pdf');
    const result = await runCli(
      ['report', '--db', dbPath, '--from', '2026-01-01', '--to', '2026-03-31', '--pdf', pdfPath],
      { timeoutMs: 180_000 },
    );
    expect(result.stderr).toBe('');
    expect(result.status).toBe(0);
    const pdf = readFileSync(pdfPath);
    expect(pdf.subarray(0, 5).toString()).toBe('%PDF-');
    expect(pdf.toString('latin1')).toContain('/StructTreeRoot'); // tagged: a structure tree for screen readers
    // The outline: the document's title (its info dictionary), then one entry per heading of the
    // page — the page title, the executive summary (its three parts listed first, as Chromium
    // writes children before their parent), the commentary and the pack's sections.
    const sections = [
      'What changed since the previous quarter',
      'Signals of change',
      'Compared with England, the region and statistical neighbours',
      'Executive summary',
      'Commentary',
      'How much neglect is there?',
      'Neglect compared with England',
      'Neglect across early help, child in need and child protection',
      'Is it changing? Neglect plans over five years',
      'Child protection plans by category of abuse',
      'Repeat plans and re-referrals',
      'Plan durations and drift',
      'Into care',
      'Are we seeing all of it fairly? Who is over-represented',
      'Who refers children, and who leads early help',
      // The demo's partner agencies, each a heading under Partners (children before their parent).
      'Early years',
      'Health',
      'Police',
      'Schools',
      'Partners: schools, early years, health and police',
      'Is the neglect strategy working? Success indicators',
      'About the data',
    ];
    const outline = pdfOutlineTitles(pdf).filter((t) => t !== 'Neglect board pack' && !t.includes('LSCB Insight'));
    expect(outline).toEqual(sections);

    // The same quarter's board figures, from the CLI: the PDF must print them.
    const metrics = await runCli([
      'metrics',
      '--db',
      dbPath,
      '--from',
      '2026-01-01',
      '--to',
      '2026-03-31',
      '--suppress',
      '--json',
    ]);
    const pack = JSON.parse(metrics.stdout);
    const text = pdfText(pdfPath);
    const count = (v: number | string) => (typeof v === 'number' ? new Intl.NumberFormat('en-GB').format(v) : v);
    expect(text).toContain('OFFICIAL-SENSITIVE');
    expect(text).toMatch(/page 1 of \d+/);
    for (const key of ['cp_open_neglect_initial', 'neglect_any_stage_children', 'cp_open']) {
      expect(text, key).toMatch(new RegExp(`(^|\\s)${count(pack.prevalence[key])}(\\s|$)`, 'm'));
    }
    expect(text).toContain(`${pack.prevalence.cp_open_neglect_initial_rate_per_10k.toFixed(1)} per 10,000 children`);
  }, 300_000); // a build, a server and Chromium in a child process: well over a minute on two busy cores

  it('refuses a period that is not a calendar quarter', async () => {
    const result = await runCli([
      'report',
      '--db',
      dbPath,
      '--from',
      '2026-02-01',
      '--to',
      '2026-03-31',
      '--pdf',
      join(dir, 'x.pdf'),
    ]);
    expect(result.status).toBe(2);
    expect(result.stderr).toContain('is not one');
  });

  it('refuses a --to that ends no quarter, saying so, before building anything', async () => {
    const result = await runCli(['report', '--db', dbPath, '--to', '2026-03-30', '--pdf', join(dir, 'x.pdf')]);
    expect(result.status).toBe(2);
    expect(result.stderr.trim()).toBe(
      'lscb report: the pack covers a calendar quarter; --to 2026-03-30 is not the last day of one (31 Mar, 30 Jun, 30 Sep or 31 Dec).',
    );
    expect(result.stdout).not.toContain('Built the page');
  });
});
