import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { lookedAfterFixture } from '../metrics/lookedAfter.fixture.ts';
import type { Browser } from '../support/authApp.ts';
import { fixtureWarehouse, type FixtureWarehouse } from '../support/fixtureWarehouse.ts';
import { startTestServer, type TestServer } from '../support/testServer.ts';

/**
 * The looked-after figures through the real API (METRICS.md §10), on tests/metrics/lookedAfter.fixture.ts:
 * quarter to 31 March 2025, 9 looked after (4 N1), 6 starts (3 N1, 3 from a neglect plan); quarter to
 * 31 December 2024, 2 looked after. Case lists are for officers; the board gets c for 1 to 5 (§7).
 */
let fixture: FixtureWarehouse;
let server: TestServer;
let officer: Browser;
let board: Browser;
beforeAll(async () => {
  fixture = await fixtureWarehouse(lookedAfterFixture, '2025-04-30');
  server = await startTestServer({ warehouse: fixture.warehouse });
  officer = await server.as('officer');
  board = await server.as('board');
});
afterAll(async () => {
  await server?.close();
  fixture?.dispose();
});

const quarter = 'from=2025-01-01&to=2025-03-31';

describe('children looked after through the API', () => {
  it.each([
    ['looked_after.lac_open', ['L1', 'L10', 'L2', 'L3', 'L5', 'L6', 'L7', 'L8', 'L9']],
    ['looked_after.lac_open_n1', ['L1', 'L3', 'L7', 'L8']],
    ['looked_after.lac_starts', ['L10', 'L2', 'L3', 'L5', 'L7', 'L8']],
    ['looked_after.lac_starts_n1', ['L3', 'L7', 'L8']],
    ['looked_after.lac_from_neglect_plan', ['L2', 'L3', 'L5']],
  ])('gives officers the case list of %s, and the board none', async (figure, children) => {
    const reply = await officer.get(`/api/v1/cases/${figure}?${quarter}`);
    expect(reply.status).toBe(200);
    const rows = reply.body['rows'] as { la_child_id: string }[];
    expect(rows.map((r) => r.la_child_id).sort()).toEqual(children);
    expect((await board.get(`/api/v1/cases/${figure}?${quarter}`)).status).toBe(403);
  });

  it('trends the rate, suppressed for the board where its count is 1 to 5', async () => {
    const path = `/api/v1/trend?figure=looked_after.lac_open_rate_per_10k&from=2024-10-01&to=2025-03-31`;
    // 2 / 20,000 × 10,000 = 1.0 and 9 / 20,000 × 10,000 = 4.5 (population.csv: 20,000, mid-2024).
    expect(((await officer.get(path)).body as { points: unknown[] }).points).toEqual([
      { from: '2024-10-01', to: '2024-12-31', value: 1 },
      { from: '2025-01-01', to: '2025-03-31', value: 4.5 },
    ]);
    expect(((await board.get(path)).body as { points: { value: unknown }[] }).points.map((p) => p.value)).toEqual([
      'c',
      4.5,
    ]);
  });

  it('carries the section in the metrics object, suppressed for the board', async () => {
    const metrics = (await board.get(`/api/v1/metrics?${quarter}`)).body as { looked_after: Record<string, unknown> };
    expect(metrics.looked_after).toEqual({
      lac_open: 9,
      lac_open_rate_per_10k: 4.5,
      lac_open_n1: 'c',
      lac_starts: 6,
      lac_starts_n1: 'c',
      lac_from_neglect_plan: 'c',
    });
  });
});
