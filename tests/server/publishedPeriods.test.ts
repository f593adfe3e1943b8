import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { requireWithinData } from '../../server/http/publishedPeriods.ts';
import { cpOpenFixture } from '../metrics/cpOpen.fixture.ts';
import type { Browser } from '../support/authApp.ts';
import { fixtureWarehouse, type FixtureWarehouse } from '../support/fixtureWarehouse.ts';
import { startTestServer, type TestServer } from '../support/testServer.ts';

/**
 * Issue 15: board output only from published periods (docs/SECURITY.md, "Published periods"), and
 * no request that stalls the server. Each request below was answered before: a board member
 * stepping `to` a day at a time recovered hidden counts, and `to=9999-12-31` blocked the event loop
 * for seconds before a 500.
 */
let fixture: FixtureWarehouse;
let server: TestServer;
let board: Browser;
let officer: Browser;
beforeAll(async () => {
  fixture = await fixtureWarehouse(cpOpenFixture);
  server = await startTestServer({ warehouse: fixture.warehouse });
  board = await server.as('board');
  officer = await server.as('officer');
});
afterAll(async () => {
  await server.close();
  fixture.dispose();
});

describe('board output comes only from published periods', () => {
  it.each([
    ['a quarter cut short (1 Jan to 28 Feb)', '/api/v1/metrics?from=2025-01-01&to=2025-02-28'],
    ['an as-at inside a quarter (12 March)', '/api/v1/metrics?from=2025-01-01&to=2025-03-12'],
    ['a quarter that starts late', '/api/v1/metrics?from=2025-01-02&to=2025-03-31'],
    ['a half year', '/api/v1/metrics?from=2024-10-01&to=2025-03-31'],
    ['a trend ending mid-quarter', '/api/v1/trend?figure=repeat.cp_starts&from=2024-01-01&to=2025-03-13'],
    ['a series starting mid-quarter', '/api/v1/series/cp_open_by_initial_category?from=2024-01-15&to=2025-03-31'],
  ])('refuses the board %s with a 400 that says what is published', async (_what, path) => {
    const reply = await board.get(path);
    expect(reply.status).toBe(400);
    expect(String(reply.body['error'])).toContain(
      'Board figures are published for whole quarters and reporting years only',
    );
  });

  it('gives the board whole quarters, reporting years and quarter-aligned trends', async () => {
    expect((await board.get('/api/v1/metrics?from=2025-01-01&to=2025-03-31')).status).toBe(200);
    expect((await board.get('/api/v1/metrics?from=2024-04-01&to=2025-03-31')).status).toBe(200);
    expect((await board.get('/api/v1/trend?figure=repeat.cp_starts&from=2024-01-01&to=2025-03-31')).status).toBe(200);
  });

  it('still gives officers any period, unsuppressed', async () => {
    const reply = await officer.get('/api/v1/metrics?from=2025-01-01&to=2025-03-12');
    expect(reply.status).toBe(200);
    expect(reply.body['suppressed']).toBe(false);
  });
});

describe('requests that would stall the server', () => {
  it.each([
    ['/api/v1/metrics?from=2025-01-01&to=9999-12-31', "'to' (9999-12-31) is outside the data"],
    ['/api/v1/trend?figure=repeat.cp_starts&from=1800-01-01&to=2025-03-31', "'from' (1800-01-01) is outside the data"],
    [
      '/api/v1/series/cp_open_by_initial_category?from=2025-01-01&to=9999-12-31',
      "'to' (9999-12-31) is outside the data",
    ],
  ])('%s is a quick 400', async (path, message) => {
    const started = performance.now();
    const reply = await officer.get(path);
    expect(reply.status).toBe(400);
    expect(String(reply.body['error'])).toContain(message);
    // Refused before any calendar or SQL work (it took 2–3.5 s before the 500).
    expect(performance.now() - started).toBeLessThan(1500);
  });

  it('refuses a trend over more than 100 quarters, even within the data', () => {
    // Data from 1990 to 2026: 1995–2026 lies within them but spans 128 quarters (505 took 9.9 s).
    const extent = { first_date: '1990-05-01', extract_date: '2026-03-31', latest_quarter_end: '2026-03-31' };
    expect(() => requireWithinData({ from: '1995-01-01', to: '2026-12-31' }, extent, { series: true })).toThrow(
      'a trend or series covers at most 100 quarters (25 years)',
    );
    expect(() => requireWithinData({ from: '2002-01-01', to: '2026-12-31' }, extent, { series: true })).not.toThrow();
  });
});
