import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cpOpenFixture } from '../metrics/cpOpen.fixture.ts';
import { fixtureWarehouse, type FixtureWarehouse } from '../support/fixtureWarehouse.ts';
import type { Browser } from '../support/authApp.ts';
import { startTestServer, type TestServer } from '../support/testServer.ts';

// Expected numbers are worked out in tests/metrics/cpOpen.fixture.ts: at 2025-03-31 cp_open 5,
// cp_open_neglect_initial 2; at 2024-12-31 cp_open_neglect_initial 3.
let fixture: FixtureWarehouse;
let server: TestServer;
let board: Browser;
beforeAll(async () => {
  fixture = await fixtureWarehouse(cpOpenFixture);
  server = await startTestServer({ warehouse: fixture.warehouse });
  board = await server.as('board');
});
afterAll(async () => {
  await server.close();
  fixture.dispose();
});

const get = async (path: string) => {
  const reply = await board.get(path);
  return { status: reply.status, json: async () => reply.body as any };
};

describe('GET /api/v1/board-pack', () => {
  it('is board output for the board role: counts of 1–5 are c, with everything built on them', async () => {
    const pack = await (await get('/api/v1/board-pack?quarter=2025-03-31')).json();
    expect(pack.suppressed).toBe(true);
    expect(pack.period).toEqual({ from: '2025-01-01', to: '2025-03-31' });
    expect(pack.previousPeriod).toEqual({ from: '2024-10-01', to: '2024-12-31' });
    expect(pack.figures.prevalence.cp_open).toBe('c');
    expect(pack.figures.prevalence.cp_open_rate_per_10k).toBe('c');
    expect(pack.previous.prevalence.cp_open_neglect_initial).toBe('c');
    expect(pack.figures.suppressed).toBe(true);
    // The category series: at 2024-12-31 NEG 3, EMO 1, MUL 1 → all c.
    const december = pack.categories.filter((r: { quarter_end: string }) => r.quarter_end === '2024-12-31');
    expect(december.find((r: { category: string }) => r.category === 'NEG').children).toBe('c');
    expect(december.find((r: { category: string }) => r.category === 'PHY').children).toBe(0);
  });

  it('says in words what the figures bear, never a suppressed number', async () => {
    const pack = await (await get('/api/v1/board-pack?quarter=2025-03-31')).json();
    expect(pack.readings.headline).toBe(
      'The number of children on a child protection plan for neglect is too small to publish.',
    );
    for (const reading of Object.values(pack.readings) as string[])
      expect(reading).not.toMatch(/\b[1-5]\b(?! ?(quarters|%|years|months))/);
  });

  it('carries a 20-quarter trend with SPC (a run chart below 15 points)', async () => {
    const pack = await (await get('/api/v1/board-pack?quarter=2025-03-31')).json();
    expect(pack.neglectTrend.points).toHaveLength(20);
    expect(pack.neglectTrend.spc.chart).toBe('run'); // suppressed points are gaps: too few remain
    expect(typeof pack.neglectTrend.reading).toBe('string');
  });

  it('refuses a date that is not a quarter end', async () => {
    const response = await get('/api/v1/board-pack?quarter=2025-03-30');
    expect(response.status).toBe(400);
    expect((await response.json()).error).toContain('last day of a quarter');
  });

  it('says which of missing, given twice, or not a date the quarter was', async () => {
    const error = async (query: string) => {
      const response = await get(`/api/v1/board-pack${query}`);
      expect(response.status).toBe(400);
      return (await response.json()).error as string;
    };
    expect(await error('')).toBe("'quarter' is required: the last day of a quarter as YYYY-MM-DD, e.g. 2026-03-31");
    expect(await error('?quarter=')).toMatch(/^'quarter' is required/);
    expect(await error('?quarter=2025-03-31&quarter=2024-12-31')).toMatch(/^'quarter' must be given once/);
    expect(await error('?quarter=2025-02-31')).toBe(
      "'quarter' must be the last day of a quarter as YYYY-MM-DD, e.g. 2026-03-31, not '2025-02-31'",
    );
  });
});

describe('GET /api/v1/board-pack where the history is short (issue 10 "partial history")', () => {
  // The fixture's first plan starts 2023-01-01 and it records no referrals at all.
  it('withdraws repeat figures the history cannot answer, and says why', async () => {
    const pack = await (await get('/api/v1/board-pack?quarter=2023-03-31')).json();
    expect(pack.history).toMatchObject({
      repeat_plans: 'too_short',
      rereferrals_12m: 'too_short',
      spc_limits: 'too_short',
    });
    expect(pack.figures.percentages.cp_starts_second_or_subsequent_pct).toBeNull();
    expect(pack.figures.repeat.cp_starts_second_or_subsequent).toBeNull();
    expect(pack.figures.percentages.rereferrals_12m_pct).toBeNull();
    expect(pack.readings.repeat).toContain('12 months of plans');
  });

  it('keeps repeat plans once 12 months of plans lie before the quarter', async () => {
    const pack = await (await get('/api/v1/board-pack?quarter=2025-03-31')).json();
    expect(pack.history.repeat_plans).toBeUndefined();
    expect(pack.history.rereferrals_12m).toBe('too_short'); // still no referrals recorded
  });

  it('refuses a quarter that ends before the first recorded event, in words', async () => {
    const response = await get('/api/v1/board-pack?quarter=2022-12-31');
    expect(response.status).toBe(400);
    expect((await response.json()).error).toBe(
      'The data start on 2023-01-01, so there are no figures for Oct–Dec 2022.',
    );
  });
});

describe('the data-quality note (issue 10 "developer words")', () => {
  // The fixture is one extract: its CSV files, loaded with reference date 2025-04-30.
  it('gives the board one line per extract and no file names or load messages', async () => {
    const pack = await (await get('/api/v1/board-pack?quarter=2025-03-31')).json();
    expect(pack.quality.loads).toBeUndefined();
    expect(pack.quality.data_to).toBe('2025-04-30');
    expect(pack.quality.extracts).toHaveLength(1);
    expect(pack.quality.extracts[0]).toMatchObject({ reference_date: '2025-04-30', failed_files: 0 });
    expect(pack.quality.extracts[0].files).toBeGreaterThan(1);
    expect(JSON.stringify(pack.quality)).not.toMatch(/\.csv/);
  });

  it('gives officers the files as well', async () => {
    const officer = await server.as('officer');
    const pack = (await officer.get('/api/v1/board-pack?quarter=2025-03-31')).body as any;
    expect(pack.quality.loads.length).toBe(pack.quality.extracts[0].files);
    expect(pack.quality.loads[0].file).toMatch(/\.csv$/);
  });
});

describe('GET /api/v1/board-pack for an officer', () => {
  it('is unsuppressed and says so', async () => {
    const officer = await server.as('officer');
    const pack = (await officer.get('/api/v1/board-pack?quarter=2025-03-31')).body as any;
    expect(pack.suppressed).toBe(false);
    expect(pack.figures.prevalence.cp_open).toBe(5);
    expect(pack.previous.prevalence.cp_open_neglect_initial).toBe(3);
  });
});
