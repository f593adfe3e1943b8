import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cpOpenFixture } from '../metrics/cpOpen.fixture.ts';
import { fixtureWarehouse, type FixtureWarehouse } from '../support/fixtureWarehouse.ts';
import type { Browser } from '../support/authApp.ts';
import { warehouseFingerprint } from '../support/tableCounts.ts';
import { startTestServer, type TestServer } from '../support/testServer.ts';

// Expected numbers are worked out in tests/metrics/cpOpen.fixture.ts.
let fixture: FixtureWarehouse;
let server: TestServer;
let officer: Browser;
beforeAll(async () => {
  fixture = await fixtureWarehouse(cpOpenFixture);
  server = await startTestServer({ warehouse: fixture.warehouse });
  officer = await server.as('officer');
});
afterAll(async () => {
  await server.close();
  fixture.dispose();
});

/** Officers see unsuppressed figures, so the fixture's small numbers can be checked exactly. */
const get = async (path: string) => {
  const reply = await officer.get(path);
  return { status: reply.status, headers: reply.headers, json: async () => reply.body as any };
};

describe('GET /api/v1/metrics', () => {
  it('serves the §8 object for the period', async () => {
    const response = await get('/api/v1/metrics?from=2025-01-01&to=2025-03-31');
    expect(response.status).toBe(200);
    const pack = await response.json();
    expect(pack.prevalence).toMatchObject({ cp_open: 5, cp_open_neglect_initial: 2 });
    expect(pack.prevalence.cp_open_rate_per_10k).toBeCloseTo(2.5, 9);
  });

  it.each([
    ['', "'from' is required"],
    ['?from=2025-01-01', "'to' is required"],
    ['?from=2025-02-30&to=2025-03-31', "'from' must be a real date"],
    ["?from=2025-01-01&to=2025-03-31'%20OR%201=1--", "'to' must be a real date"],
    ['?from=2025-04-01&to=2025-03-31', "'from' (2025-04-01) is after 'to' (2025-03-31)"],
  ])('answers 400 with a clear message for %s, and changes nothing', async (query, message) => {
    const before = await warehouseFingerprint(fixture.warehouse);
    const response = await get(`/api/v1/metrics${query}`);
    expect(response.status).toBe(400);
    expect((await response.json()).error).toContain(message);
    expect(await warehouseFingerprint(fixture.warehouse)).toBe(before);
  });
});

describe('GET /api/v1/series/:name', () => {
  it('serves CP plans open at each quarter end by initial category', async () => {
    const response = await get('/api/v1/series/cp_open_by_initial_category?from=2024-10-01&to=2025-03-31');
    const body = await response.json();
    const quarter = (from: string, to: string) => ({ period_from: from, period_to: to, quarter_end: to });
    expect(body.rows).toContainEqual({ ...quarter('2024-10-01', '2024-12-31'), category: 'NEG', children: 3 });
    expect(body.rows).toContainEqual({ ...quarter('2025-01-01', '2025-03-31'), category: 'PHY', children: 1 });
  });

  it('refuses a name that is not a series, without running it', async () => {
    const response = await get('/api/v1/series/cp_open?from=2024-10-01&to=2025-03-31');
    expect(response.status).toBe(400);
    expect((await response.json()).error).toContain("unknown series 'cp_open'");
  });
});

describe('GET /api/v1/extent', () => {
  it('gives the first event and the latest complete quarter at the extract date', async () => {
    // The fixture was loaded with reference date 2025-04-30, inside Apr–Jun 2025: the latest
    // complete quarter ends 2025-03-31. The first event is F's plan on 2023-01-01.
    const extent = await (await get('/api/v1/extent')).json();
    // No referrals in the fixture, so no quarter is known to be recorded in full (recorded_from null).
    expect(extent).toEqual({
      first_date: '2023-01-01',
      recorded_from: null,
      extract_date: '2025-04-30',
      latest_quarter_end: '2025-03-31',
    });
  });
});

describe('GET /api/v1/quality', () => {
  it('lists the fixture’s loads with their row counts', async () => {
    // cpOpenFixture: children.csv 8 rows, cp_plans.csv 9 rows, population.csv 3 rows, all accepted.
    const body = await (await get('/api/v1/quality')).json();
    const byFile = Object.fromEntries(body.loads.map((l: { file: string }) => [l.file, l]));
    expect(byFile['children.csv']).toMatchObject({
      status: 'loaded',
      rows_read: 8,
      rows_accepted: 8,
      rows_rejected: 0,
      rows_merged: 8,
    });
    expect(byFile['cp_plans.csv']).toMatchObject({
      rows_read: 9,
      rows_merged: 9,
      reference_date: '2025-04-30',
      loaded_by: 'test',
    });
    expect(body.reject_reasons).toEqual([]);
  });

  it('refuses a load number that is not one', async () => {
    const response = await get('/api/v1/quality?load=1;DROP');
    expect(response.status).toBe(400);
  });
});

describe('safety', () => {
  it('sends a Content-Security-Policy and no X-Powered-By', async () => {
    const response = await get('/api/v1/extent');
    expect(response.headers.get('content-security-policy')).toContain("default-src 'self'");
    expect(response.headers.get('x-powered-by')).toBeNull();
  });

  it('answers an unknown API path with a JSON 404', async () => {
    const response = await get('/api/v1/nothing');
    expect(response.status).toBe(404);
    expect(await response.json()).toEqual({ error: 'no such API endpoint' });
  });
});

describe('GET /api/v1/trend', () => {
  it('gives a figure at every quarter end, computed over the calendar (tests/metrics/cpOpen.fixture.ts)', async () => {
    const body = await (
      await get('/api/v1/trend?figure=prevalence.cp_open_neglect_initial&from=2024-10-01&to=2025-03-31')
    ).json();
    expect(body.points).toEqual([
      { from: '2024-10-01', to: '2024-12-31', value: 3 },
      { from: '2025-01-01', to: '2025-03-31', value: 2 },
    ]);
  });

  it('carries statistical process control on the series (a run chart below 15 points)', async () => {
    const body = await (
      await get('/api/v1/trend?figure=prevalence.cp_open&from=2024-01-01&to=2025-03-31&improvement=down')
    ).json();
    // Five quarter ends of cpOpenFixture: too few for XmR limits, so a run chart around the median.
    // Open at 2024-03-31: B, E(1st), F = 3; 06-30: A, B, F = 3; 09-30: A, B, E, F = 4;
    // 12-31: A, B, E, F, H = 5; 2025-03-31: A, C, E, F, G = 5. Median of 3, 3, 4, 5, 5 = 4.
    expect(body.points.map((p: { value: number }) => p.value)).toEqual([3, 3, 4, 5, 5]);
    expect(body.spc.centre).toBe(4);
    expect(body.spc.chart).toBe('run');
    expect(body.spc.limits).toBeNull();
    expect(body.spc.points.map((p: { period_to: string }) => p.period_to)).toEqual(
      body.points.map((p: { to: string }) => p.to),
    );
    expect(typeof body.reading).toBe('string');
    expect(
      (await get('/api/v1/trend?figure=prevalence.cp_open&from=2024-01-01&to=2025-03-31&improvement=sideways')).status,
    ).toBe(400);
  });

  it('serves the percentages of METRICS.md §14 as series too', async () => {
    // cpOpen.fixture.ts at 2025-03-31: 2 of 5 open children on an initial NEG plan = 40%.
    const body = await (
      await get('/api/v1/trend?figure=percentages.cp_open_neglect_initial_pct&from=2025-01-01&to=2025-03-31')
    ).json();
    expect(body.points).toEqual([{ from: '2025-01-01', to: '2025-03-31', value: 40 }]);
  });

  it('refuses an unknown figure or cadence', async () => {
    expect((await get('/api/v1/trend?figure=prevalence.nothing&from=2024-10-01&to=2025-03-31')).status).toBe(400);
    expect(
      (await get('/api/v1/trend?figure=prevalence.cp_open&cadence=month&from=2024-10-01&to=2025-03-31')).status,
    ).toBe(400);
  });
});

describe('the access log on the real app', () => {
  it('gets exactly one row per data request, with who, role, endpoint, parameters and rows', async () => {
    const count = async () =>
      (await fixture.warehouse.query<{ n: number }>('SELECT count(*)::INTEGER AS n FROM access_log'))[0]!.n;
    const before = await count();
    const paths = [
      '/api/v1/extent',
      '/api/v1/metrics?from=2025-01-01&to=2025-03-31',
      '/api/v1/cases/prevalence.cp_open?from=2025-01-01&to=2025-03-31',
    ];
    for (const path of paths) await officer.get(path);
    expect(await count()).toBe(before + paths.length);
    const rows = await fixture.warehouse.query<Record<string, unknown>>(
      'SELECT username, role, path, params, rows_returned, sensitivity FROM access_log ORDER BY id DESC LIMIT 3',
    );
    expect(rows.map((r) => r['path'])).toEqual([
      '/api/v1/cases/prevalence.cp_open',
      '/api/v1/metrics',
      '/api/v1/extent',
    ]);
    expect(rows[0]).toMatchObject({ username: 'officer', role: 'officer', rows_returned: 5, sensitivity: 'case_list' });
    expect(JSON.parse(rows[1]!['params'] as string).query).toEqual({ from: '2025-01-01', to: '2025-03-31' });
  });
});

describe('who sees what', () => {
  it('refuses every data endpoint without a session', async () => {
    for (const path of [
      '/api/v1/metrics?from=2025-01-01&to=2025-03-31',
      '/api/v1/extent',
      '/api/v1/board-pack?quarter=2025-03-31',
      '/api/v1/quality',
    ]) {
      expect((await fetch(new URL(path, server.url))).status, path).toBe(401);
    }
  });

  it('gives the board suppressed figures and no data quality or case lists', async () => {
    const board = await server.as('board');
    const pack = (await board.get('/api/v1/metrics?from=2025-01-01&to=2025-03-31')).body as {
      suppressed: boolean;
      prevalence: Record<string, unknown>;
    };
    expect(pack.suppressed).toBe(true);
    expect(pack.prevalence['cp_open']).toBe('c'); // 5 children (cpOpen.fixture.ts)
    expect((await board.get('/api/v1/quality')).status).toBe(403);
    expect((await board.get('/api/v1/cases/prevalence.cp_open?from=2025-01-01&to=2025-03-31')).status).toBe(403);
  });

  it('gives officers the case list behind a figure, with LA child ids, logged as a case list', async () => {
    const reply = await officer.get('/api/v1/cases/prevalence.cp_open?from=2025-01-01&to=2025-03-31');
    expect(reply.status).toBe(200);
    const rows = reply.body['rows'] as { la_child_id: string }[];
    expect(rows.map((r) => r.la_child_id).sort()).toEqual(['A', 'C', 'E', 'F', 'G']);
    const [logged] = await fixture.warehouse.query<{ sensitivity: string; rows_returned: number }>(
      "SELECT sensitivity, rows_returned FROM access_log WHERE path LIKE '/api/v1/cases/%' AND status = 200 ORDER BY id DESC LIMIT 1",
    );
    expect(logged).toMatchObject({ sensitivity: 'case_list', rows_returned: 5 });
  });

  it('gives officers a child’s chronology, oldest first, logged as identity access', async () => {
    // Child E (cpOpen.fixture.ts): NEG plan 2024-02-01 to 2024-05-01, then EMO plan from 2024-09-01.
    const reply = await officer.get('/api/v1/children/E/chronology');
    expect(reply.status).toBe(200);
    // Codes in words (issue 13); the neglect signals of METRICS.md §2 marked.
    expect(
      (reply.body['events'] as Record<string, unknown>[]).map(({ date, service, event, detail, neglect }) => ({
        date,
        service,
        event,
        detail,
        neglect,
      })),
    ).toEqual([
      {
        date: '2024-02-01',
        service: 'Child protection',
        event: 'CP plan started',
        detail: 'Category: Neglect',
        neglect: true,
      },
      {
        date: '2024-05-01',
        service: 'Child protection',
        event: 'CP plan ended',
        detail: 'Latest category: Neglect; 90 days',
        neglect: false,
      },
      {
        date: '2024-09-01',
        service: 'Child protection',
        event: 'CP plan started',
        detail: 'Category: Emotional abuse',
        neglect: false,
      },
    ]);
    const [logged] = await fixture.warehouse.query<{ sensitivity: string; rows_returned: number }>(
      "SELECT sensitivity, rows_returned FROM access_log WHERE path LIKE '/api/v1/children/%' ORDER BY id DESC LIMIT 1",
    );
    expect(logged).toMatchObject({ sensitivity: 'identity', rows_returned: 3 });
    expect((await officer.get('/api/v1/children/NOBODY/chronology')).status).toBe(404);
    const board = await server.as('board');
    expect((await board.get('/api/v1/children/E/chronology')).status).toBe(403);
  });
});

describe('dates in requests (metrics/contract/dates.ts, one rule for every endpoint)', () => {
  it('answers a month that does not exist with a 400 in words on the access log, as on the metrics (was a 500)', async () => {
    const admin = await server.as('admin');
    const reply = await admin.get('/api/v1/access-log?from=2026-13-01');
    expect(reply.status).toBe(400);
    expect((reply.body as { error: string }).error).toBe("'from' must be a real date as YYYY-MM-DD, not '2026-13-01'");
    const metrics = await get('/api/v1/metrics?from=2026-13-01&to=2026-12-31');
    expect(metrics.status).toBe(400);
  });
});
