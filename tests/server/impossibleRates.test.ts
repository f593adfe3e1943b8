import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser } from '../support/authApp.ts';
import { fixtureWarehouse, type FixtureWarehouse } from '../support/fixtureWarehouse.ts';
import { startTestServer, type TestServer } from '../support/testServer.ts';

/**
 * Issue 15: "metrics never crash on data: a rate whose count exceeds its population is flagged in
 * data quality, not a 500". A population in thousands, confirmed by mistake: 60 children in all,
 * 20 boys. Three boys on neglect plans open at 31 March 2025 are fine; 25 boys are more than the 20
 * the population holds, so the Wilson interval (sqrt of a negative number) used to fail the pack.
 */
const boys = Array.from({ length: 25 }, (_, i) => `B${i}`);
let fixture: FixtureWarehouse;
let server: TestServer;
let officer: Browser;
beforeAll(async () => {
  fixture = await fixtureWarehouse({
    'children.csv': boys.map((id) => ({ child_id: id, birth_date: '2015-01-01', sex: '1', ethnicity: 'WBRI' })),
    'cp_plans.csv': boys.map((id) => ({
      plan_id: `P${id}`,
      child_id: id,
      start_date: '2024-06-01',
      initial_category: 'NEG',
      latest_category: 'NEG',
      previous_plans: 0,
    })),
    'population.csv': [
      { year: 2024, dimension: 'all', group: 'all', count: 60 },
      { year: 2024, dimension: 'sex', group: 'male', count: 20 },
      { year: 2024, dimension: 'sex', group: 'female', count: 40 },
    ],
  });
  server = await startTestServer({ warehouse: fixture.warehouse });
  officer = await server.as('officer');
});
afterAll(async () => {
  await server.close();
  fixture.dispose();
});

describe('a count above its population', () => {
  it('is computed without an interval, not a 500', async () => {
    const reply = await officer.get('/api/v1/metrics?from=2025-01-01&to=2025-03-31');
    expect(reply.status).toBe(200);
    const male = (reply.body as any).disproportionality.cp_open_neglect.sex.find((r: any) => r.group === 'male');
    // 25 / 20 × 10,000 = 12,500 per 10,000: impossible, so no interval and no flag.
    expect(male).toMatchObject({
      count: 25,
      population: 20,
      rate_per_10k: 12500,
      ci_low: null,
      ci_high: null,
      flag: null,
    });
  });

  it('is listed for officers in data quality', async () => {
    const reply = await officer.get('/api/v1/quality');
    expect(reply.status).toBe(200);
    expect((reply.body as any).impossible_rates).toContainEqual({
      as_at: '2025-03-31',
      cohort: 'cp_open_neglect',
      dimension: 'sex',
      group: 'male',
      count: 25,
      population: 20,
    });
  });
});
