import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  caseListDeclarations,
  caseListFor,
  figureLeaves,
  isCountingFigure,
  runCaseList,
} from '../../metrics/caseLists.ts';
import { caseListColumns } from '../../metrics/contract/caseListColumns.ts';
import { metricsRegistry } from '../../metrics/registry.ts';
import { computeMetricsPacks } from '../../metrics/figures.ts';
import type { Warehouse } from '../../sql/warehouse.ts';
import { smallDemoWarehouse } from '../support/demoWarehouse.ts';

/**
 * METRICS.md "Case lists": every figure that counts children, plans, referrals, assessments or
 * episodes has a case list built from its own cohort, so the list's length is the figure. This walks
 * the whole §8 object on the demo warehouse, for two periods, and so catches a figure added without
 * a list (or a list that drifted from its figure).
 */
const periods = [
  { from: '2025-10-01', to: '2025-12-31' },
  { from: '2024-04-01', to: '2025-03-31' },
];

let demo: { warehouse: Warehouse };
let packs: Awaited<ReturnType<typeof computeMetricsPacks>>;
beforeAll(async () => {
  demo = await smallDemoWarehouse(3000);
  packs = await computeMetricsPacks(demo.warehouse, periods, { benchmarks: false });
}, 300_000);
afterAll(() => demo?.warehouse.close());

const howToAdd = (figure: string) =>
  `'${figure}' counts children or records but has no case list. Add one to sql/metrics/caselists.sql: ` +
  `a query headed '-- case list of: ${figure}' that selects the rows of the same cohort fragment the figure ` +
  `counts (move the figure's cohort into a '-- fragment:' block if it is inline), or a line ` +
  `'-- case list of: ${figure} where <boolean column>' on the list it is a part of, or ` +
  `'-- case list of: ${figure.replace(/\.[^.]+$/, '')} by <column>' for a split. If it is not a count, ` +
  `name it by the rule in docs/METRICS.md "Case lists" (…_rate_per_10k, …_pct, median_…, …_days) or add its ` +
  `section to sectionsWithoutCounts in metrics/caseLists.ts.`;

describe('a case list behind every count (the demo warehouse, two periods)', () => {
  it('finds the counting figures of the §8 object, and leaves rates, percentages and medians out', () => {
    const paths = figureLeaves(packs[0]!).map(([path]) => path);
    expect(paths).toContain('drift.cp_open_18m_plus');
    expect(paths.filter(isCountingFigure)).toContain('drift.cp_open_by_duration.2y_plus');
    expect(isCountingFigure('prevalence.cp_open_rate_per_10k')).toBe(false);
    expect(isCountingFigure('percentages.rereferrals_12m_pct')).toBe(false);
    expect(isCountingFigure('drift.median_days_first_neglect_to_cp')).toBe(false);
    expect(isCountingFigure('drift.first_neglect_to_cp_q1_days')).toBe(false);
    expect(isCountingFigure('drift.first_neglect_to_cp_n')).toBe(true);
  });

  it('every counting figure has a case list', () => {
    const missing = figureLeaves(packs[0]!)
      .map(([path]) => path)
      .filter(isCountingFigure)
      .filter((path) => caseListFor(path) === undefined);
    expect(missing.map(howToAdd)).toEqual([]);
  });

  it.each(periods.map((period, i) => [`${period.from} to ${period.to}`, i] as const))(
    'each list is exactly as long as its figure, %s',
    async (_label, i) => {
      const pack = packs[i]!;
      const wrong: string[] = [];
      let nonZero = 0;
      await demo.warehouse.withConnection(async (c) => {
        for (const [path, value] of figureLeaves(pack).filter(([p]) => isCountingFigure(p))) {
          const source = caseListFor(path);
          if (!source) continue; // reported by the test above, with what to add
          const rows = await runCaseList(c, source, periods[i]!);
          if (rows.length !== value)
            wrong.push(`${path}: figure ${value}, case list ${source.query} has ${rows.length} rows`);
          if (value > 0) nonZero += 1;
        }
      });
      expect(wrong).toEqual([]);
      // A walk over zeros would prove nothing: the demo gives most figures children.
      expect(nonZero).toBeGreaterThan(20);
    },
    300_000,
  );

  it('names every column of every list in words (metrics/contract/caseListColumns.ts)', async () => {
    const queries = [...new Set(caseListDeclarations().map((d) => d.query))];
    const unnamed: string[] = [];
    await demo.warehouse.withConnection(async (c) => {
      for (const query of queries) {
        const sql = metricsRegistry()
          .expand(query, { periods: [periods[0]!] })
          .replace(/;$/, '');
        const columns = (await c.runAndReadAll(`DESCRIBE ${sql}`))
          .getRowObjectsJson()
          .map((r) => String(r['column_name']));
        for (const column of columns)
          if (!Object.hasOwn(caseListColumns, column))
            unnamed.push(`${query}.${column}: add its header and kind to caseListColumns`);
      }
    });
    expect(unnamed).toEqual([]);
  });
});
