import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { valueAtPath } from '../../metrics/contract/figurePath.ts';
import type { MetricsPack } from '../../metrics/contract/types.ts';
import { figurePaths } from '../../metrics/trend.ts';
import type { Browser } from '../support/authApp.ts';
import { fixtureWarehouse, type FixtureTables, type FixtureWarehouse } from '../support/fixtureWarehouse.ts';
import { startTestServer, type TestServer } from '../support/testServer.ts';

/**
 * Issue 15, "Differencing": a board member must recover no count of 1–5 that the officer view shows,
 * by subtracting one answer from another (docs/SECURITY.md, "Published periods").
 *
 * Fixture: CP plans (initial PHY, still open) starting in each quarter of the reporting year to
 * 31 March 2025: 7 in Apr–Jun 2024, 8 in Jul–Sep, 9 in Oct–Dec, 3 in Jan–Mar 2025.
 * repeat.cp_starts: quarters 7, 8, 9, 3 (board: 7, 8, 9, c); the year 27. Before, the board got 27
 * for the year, and 27 − 7 − 8 − 9 = 3 gave the hidden quarter back. Now the year is c as well.
 */
const starts: [string, number][] = [
  ['2024-05-01', 7],
  ['2024-08-01', 8],
  ['2024-11-01', 9],
  ['2025-02-10', 3],
];
const fixture: FixtureTables = {
  'children.csv': starts.flatMap(([, n], q) =>
    Array.from({ length: n }, (_, i) => ({
      child_id: `Q${q}C${i}`,
      birth_date: '2015-01-01',
      sex: '1',
      ethnicity: 'WBRI',
    })),
  ),
  'cp_plans.csv': starts.flatMap(([date, n], q) =>
    Array.from({ length: n }, (_, i) => ({
      plan_id: `Q${q}P${i}`,
      child_id: `Q${q}C${i}`,
      start_date: date,
      initial_category: 'PHY',
      latest_category: 'PHY',
      previous_plans: 0,
    })),
  ),
};
const quarters = [
  ['2024-04-01', '2024-06-30'],
  ['2024-07-01', '2024-09-30'],
  ['2024-10-01', '2024-12-31'],
  ['2025-01-01', '2025-03-31'],
] as const;
const year = ['2024-04-01', '2025-03-31'] as const;

let warehouse: FixtureWarehouse;
let server: TestServer;
let board: Browser;
let officer: Browser;
beforeAll(async () => {
  warehouse = await fixtureWarehouse(fixture);
  server = await startTestServer({ warehouse: warehouse.warehouse });
  board = await server.as('board');
  officer = await server.as('officer');
});
afterAll(async () => {
  await server.close();
  warehouse.dispose();
});

const metrics = async (who: Browser, [from, to]: readonly [string, string]) => {
  const reply = await who.get(`/api/v1/metrics?from=${from}&to=${to}`);
  expect(reply.status).toBe(200);
  return reply.body as Record<string, unknown>;
};

describe('a hidden quarter inside a shown year', () => {
  it('the officer sees 7, 8, 9 and 3 plans starting, 27 in the year', async () => {
    const values = await Promise.all(
      quarters.map(async (q) => valueAtPath(await metrics(officer, q), 'repeat.cp_starts')),
    );
    expect(values).toEqual([7, 8, 9, 3]);
    expect(valueAtPath(await metrics(officer, year), 'repeat.cp_starts')).toBe(27);
  });

  it('the board sees c for the quarter and for the year, through /metrics and a yearly trend', async () => {
    const values = await Promise.all(
      quarters.map(async (q) => valueAtPath(await metrics(board, q), 'repeat.cp_starts')),
    );
    expect(values).toEqual([7, 8, 9, 'c']);
    expect(valueAtPath(await metrics(board, year), 'repeat.cp_starts')).toBe('c');
    const trend = await board.get(`/api/v1/trend?figure=repeat.cp_starts&cadence=year&from=${year[0]}&to=${year[1]}`);
    expect((trend.body as { points: { value: unknown }[] }).points.map((p) => p.value)).toEqual(['c']);
  });

  it('no figure of the year, minus its shown quarters, gives back a count the board does not see', async () => {
    const yearPack = await metrics(board, year);
    const quarterPacks = await Promise.all(quarters.map((q) => metrics(board, q)));
    const officerQuarters = await Promise.all(quarters.map((q) => metrics(officer, q)));
    const recovered: string[] = [];
    for (const path of figurePaths(yearPack as unknown as MetricsPack)) {
      const whole = valueAtPath(yearPack, path);
      if (typeof whole !== 'number') continue;
      const parts = quarterPacks.map((p) => valueAtPath(p, path));
      const hidden = parts.findIndex((v) => v === 'c');
      if (
        hidden < 0 ||
        parts.filter((v) => v === 'c').length > 1 ||
        !parts.every((v) => v === 'c' || typeof v === 'number')
      )
        continue;
      const guess = whole - parts.reduce<number>((sum, v) => sum + (typeof v === 'number' ? v : 0), 0);
      if (guess === valueAtPath(officerQuarters[hidden], path)) recovered.push(`${path} = ${guess}`);
    }
    expect(recovered).toEqual([]);
  });
});
