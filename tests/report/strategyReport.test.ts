import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { hasChromium } from '../support/chromium.ts';
import { smallDemoWarehouse } from '../support/demoWarehouse.ts';
import { hasPdftotext, pdfOutlineTitles, pdfText, pdfTitle } from '../support/pdf.ts';
import { runCli } from '../support/runCli.ts';
import { strategyScorecard } from '../../metrics/indicatorScores.ts';
import type { Scorecard } from '../../metrics/contract/types.ts';

if (!hasChromium || !hasPdftotext)
  console.warn('SKIPPED strategy report tests: need /usr/bin/chromium and pdftotext (poppler-utils)');

/** `lscb report --strategy --pdf` (METRICS.md §13): the annual strategy review, printed as board output. */
describe.skipIf(!hasChromium || !hasPdftotext)('lscb report --strategy --pdf', () => {
  let dbPath: string;
  let dir: string;
  let card: Scorecard;
  beforeAll(async () => {
    const demo = await smallDemoWarehouse();
    // What the board sees (the report prints as a board user): the values pdftotext must find.
    card = await strategyScorecard(demo.warehouse, '2026-03-31', { suppress: true });
    demo.warehouse.close(); // the report is another process
    ({ dbPath, dir } = demo);
  }, 600_000);

  it(
    'writes a tagged PDF with a bookmark per indicator and each indicator’s latest value in its text',
    { timeout: 400_000 },
    async () => {
      const pdfPath = join(dir, 'strategy.pdf');
      const result = await runCli(['report', '--strategy', '--db', dbPath, '--to', '2026-03-31', '--pdf', pdfPath], {
        timeoutMs: 300_000,
      });
      expect(result.stderr).toBe('');
      expect(result.status).toBe(0);
      expect(result.stdout).toContain('Wrote the strategy review for 2026-01-01 to 2026-03-31');
      const pdf = readFileSync(pdfPath);
      expect(pdf.toString('latin1')).toContain('/StructTreeRoot'); // tagged
      // The document's title (a PDF reader's window, a screen reader's first words) is the review's.
      expect(pdfTitle(pdfPath)).toBe('Neglect strategy review, Jan–Mar 2026 — LSCB Insight');
      const outline = pdfOutlineTitles(pdf);
      expect(outline).toContain('Neglect strategy: annual review');
      expect(card.indicators).toHaveLength(7);
      for (const score of card.indicators) expect(outline).toContain(score.indicator.title);

      const text = pdfText(pdfPath).replace(/\s+/g, ' ');
      expect(text).toContain('Neglect strategy review');
      for (const { indicator, latest, unavailable } of card.indicators) {
        if (!latest) {
          // A measure the demo does not load says so in words.
          expect(text).toContain(unavailable!.slice(0, 40));
          continue;
        }
        // The review's sentence: "… <latest> in Jan–Mar 2026." (counts whole, rates to one decimal place).
        const value =
          typeof latest.value === 'number'
            ? Number.isInteger(latest.value)
              ? latest.value.toLocaleString('en-GB')
              : latest.value.toFixed(1)
            : String(latest.value);
        expect(text, indicator.title).toContain(`${value} in Jan–Mar 2026`);
      }
    },
  );
});
