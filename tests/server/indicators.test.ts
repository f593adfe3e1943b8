import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cpOpenFixture } from '../metrics/cpOpen.fixture.ts';
import type { Browser } from '../support/authApp.ts';
import { fixtureWarehouse, type FixtureWarehouse } from '../support/fixtureWarehouse.ts';
import { startTestServer, type TestServer } from '../support/testServer.ts';
import type { Indicator, Scorecard } from '../../metrics/contract/types.ts';

/**
 * The strategy's indicators over HTTP (METRICS.md §13 "Indicators and targets"). The fixture is
 * cpOpen.fixture.ts plus child R, re-registered under neglect: a NEG plan 2023-01-01 → 2023-06-01,
 * then a NEG plan from 2025-02-01. METRICS.md §4 cp_starts_repeat_neglect ("of cp_starts with initial
 * NEG, plans where the child has an earlier plan whose initial or latest category was NEG") for
 * January–March 2025: NEG starts are G (a first plan) and R's second plan → 1. Board output shows
 * that 1 as c (METRICS.md §7: a count from 1 to 5).
 */
let fixture: FixtureWarehouse;
let server: TestServer;
let board: Browser;
let lead: Browser;
beforeAll(async () => {
  fixture = await fixtureWarehouse({
    ...cpOpenFixture,
    'children.csv': [...cpOpenFixture['children.csv']!, { child_id: 'R', birth_date: '2020-01-01', sex: 'F' }],
    'cp_plans.csv': [
      ...cpOpenFixture['cp_plans.csv']!,
      {
        plan_id: 'P-R1',
        child_id: 'R',
        start_date: '2023-01-01',
        end_date: '2023-06-01',
        initial_category: 'NEG',
        latest_category: 'NEG',
        previous_plans: 0,
      },
      {
        plan_id: 'P-R2',
        child_id: 'R',
        start_date: '2025-02-01',
        initial_category: 'NEG',
        latest_category: 'NEG',
        previous_plans: 1,
      },
    ],
  });
  server = await startTestServer({ warehouse: fixture.warehouse });
  [board, lead] = await Promise.all([server.as('board'), server.as('lead')]);
}, 120_000);
afterAll(async () => {
  await server.close();
  fixture.dispose();
});

const quarter = '2025-03-31';
const logOf = (path: string) =>
  fixture.warehouse.query<{ username: string; method: string; status: number }>(
    `SELECT username, method, status FROM access_log WHERE path = $path ORDER BY id`,
    { path },
  );

describe('the strategy scorecard', () => {
  it('a fresh warehouse has the seven Blackburn with Darwen indicators, none with a target', async () => {
    const reply = await lead.get(`/api/v1/indicators?quarter=${quarter}`);
    expect(reply.status).toBe(200);
    const card = reply.body as unknown as Scorecard;
    expect(card.suppressed).toBe(false);
    expect(card.canEdit).toBe(true);
    expect(card.indicators.map((s) => s.indicator.ref)).toEqual([
      { kind: 'figure', figure: 'repeat.cp_starts_repeat_neglect' },
      { kind: 'figure', figure: 'strategy.rereferrals_neglect_after_assessment' },
      { kind: 'figure', figure: 'looked_after.lac_open_rate_per_10k' },
      { kind: 'partner', figure: 'school_persistent_absence', group: 'schools' },
      { kind: 'split_group', figure: 'strategy.eh_starts_by_lead_agency', group: 'school' },
      { kind: 'partner', figure: 'two_year_funded_takeup', group: 'early_years' },
      { kind: 'figure', figure: 'strategy.eh_closed_needs_met' },
    ]);
    expect(card.indicators.every((s) => s.indicator.target === null)).toBe(true);
    const reregistered = card.indicators[0]!;
    // Baseline computed at creation: the latest quarter, January–March 2025, value 1 (see above).
    expect(reregistered.indicator.baseline).toEqual({ from: '2025-01-01', to: quarter, value: 1 });
    expect(reregistered.latest).toMatchObject({ period_to: quarter, value: 1, status: 'no_target' });
    // Nine quarters (2023 Q1 to 2025 Q1): a run chart, so no variation or assurance icon (fewer than 15 points).
    expect(reregistered.spc.chart).toBe('run');
    expect(reregistered.latest?.variation).toBeNull();
    expect(reregistered.latest?.assurance).toBeNull();
    // No partner measures are loaded: said in words, not drawn as zero.
    expect(card.indicators[3]!.unavailable).toMatch(/school_persistent_absence .*not loaded/);
  });

  it("an indicator's page sets DfE's figures beside it where they exist, and says so where they do not", async () => {
    const card = (await lead.get(`/api/v1/indicators?quarter=${quarter}`)).body as unknown as Scorecard;
    const idOf = (figure: string) => card.indicators.find((s) => s.indicator.ref.figure === figure)!.indicator.id;
    // Children looked after per 10,000: LAIT 124 beside it, for the DfE year holding 31 March 2025
    // (April 2024 to March 2025): England 67 (data/reference/SOURCES.md).
    const lookedAfter = await lead.get(
      `/api/v1/indicators/${idOf('looked_after.lac_open_rate_per_10k')}?quarter=${quarter}`,
    );
    expect(lookedAfter.status).toBe(200);
    expect(lookedAfter.body['benchmark']).toMatchObject({ year_words: 'April 2024 to March 2025', england: 67 });
    // Re-registrations under neglect are a count no one publishes nationally.
    const repeat = await lead.get(`/api/v1/indicators/${idOf('repeat.cp_starts_repeat_neglect')}?quarter=${quarter}`);
    expect(repeat.body['benchmark']).toBeNull();
  });

  it('a board member gets the same scorecard suppressed, read-only', async () => {
    const reply = await board.get(`/api/v1/indicators?quarter=${quarter}`);
    expect(reply.status).toBe(200);
    const card = reply.body as unknown as Scorecard;
    expect(card.suppressed).toBe(true);
    expect(card.canEdit).toBe(false);
    expect(card.indicators[0]!.latest?.value).toBe('c');
    // The stored baseline (1) is never sent to the board: the baseline quarter's own shown value is.
    expect(card.indicators[0]!.indicator.baseline?.value).toBe('c');
  });
});

describe('the scorecard’s quarter', () => {
  it('is the latest quarter with data when none is asked, and a quarter asked badly is named as such (400)', async () => {
    const latest = (await lead.get('/api/v1/indicators')).body as unknown as Scorecard;
    expect(latest.as_at).toBe((await lead.get(`/api/v1/indicators?quarter=${quarter}`)).body['as_at']);
    // Given empty, not a date, or not a quarter's last day: each says which (server/http/quarter.ts).
    const empty = await lead.get('/api/v1/indicators?quarter=');
    expect([empty.status, empty.body['error']]).toEqual([400, expect.stringContaining("'quarter' is required")]);
    const notDate = await lead.get('/api/v1/indicators?quarter=soon');
    expect([notDate.status, notDate.body['error']]).toEqual([400, expect.stringContaining("not 'soon'")]);
    const notEnd = await lead.get('/api/v1/indicators?quarter=2025-03-30');
    expect([notEnd.status, notEnd.body['error']]).toEqual([400, expect.stringContaining('the last day of a quarter')]);
  });
});

describe('the board pack’s Strategy section', () => {
  it('carries the scorecard, suppressed for the board and not for a lead', async () => {
    const forBoard = await board.get(`/api/v1/board-pack?quarter=${quarter}`);
    expect(forBoard.status).toBe(200);
    const boardCard = forBoard.body['strategy'] as Scorecard;
    expect(boardCard.suppressed).toBe(true);
    expect(boardCard.indicators).toHaveLength(7);
    expect(boardCard.indicators[0]!.latest?.value).toBe('c');
    const forLead = await lead.get(`/api/v1/board-pack?quarter=${quarter}`);
    expect((forLead.body['strategy'] as Scorecard).indicators[0]!.latest?.value).toBe(1);
  });
});

describe('who may change indicators and annotations', () => {
  it('a board member is refused every change and every indicator page (403), and each attempt is logged', async () => {
    const target = await board.request('PUT', '/api/v1/indicators/1/target', {
      json: { target: { value: 0, date: '2026-03-31' } },
    });
    expect(target.status).toBe(403);
    const note = await board.request('POST', '/api/v1/annotations', {
      json: { noted_on: '2024-07-01', body: 'x', process_change: false, figures: [] },
    });
    expect(note.status).toBe(403);
    expect((await board.get(`/api/v1/indicators/1?quarter=${quarter}`)).status).toBe(403);
    expect(await logOf('/api/v1/indicators/1/target')).toContainEqual({
      username: 'board',
      method: 'PUT',
      status: 403,
    });
    expect(await logOf('/api/v1/annotations')).toContainEqual({ username: 'board', method: 'POST', status: 403 });
  });

  it('a lead cannot open a case list or a chronology (officers and admins only)', async () => {
    expect((await lead.get(`/api/v1/cases/prevalence.cp_open?from=2025-01-01&to=${quarter}`)).status).toBe(403);
    expect((await lead.get('/api/v1/children/A/chronology')).status).toBe(403);
    expect(await logOf('/api/v1/cases/prevalence.cp_open')).toContainEqual({
      username: 'lead',
      method: 'GET',
      status: 403,
    });
  });

  it('a lead sets a target: a new version naming the change, the old one kept, the status judged', async () => {
    const bad = await lead.request('PUT', '/api/v1/indicators/1/target', { json: { target: { value: 'low' } } });
    expect(bad.status).toBe(400);
    const early = await lead.request('PUT', '/api/v1/indicators/1/target', {
      json: { target: { value: 0, date: '2025-01-31' } },
    });
    expect(early.status).toBe(400); // a target date must come after the baseline period
    const saved = await lead.request('PUT', '/api/v1/indicators/1/target', {
      json: { target: { value: 0, date: '2026-03-31' } },
    });
    expect(saved.status).toBe(200);
    expect((saved.body['indicator'] as Indicator).target).toEqual({ value: 0, date: '2026-03-31' });

    const page = await lead.get(`/api/v1/indicators/1?quarter=${quarter}`);
    expect(page.status).toBe(200);
    const history = page.body['history'] as Indicator[];
    expect(history.map((v) => [v.version, v.author, v.change])).toEqual([
      [1, 'lscb', 'created'],
      [2, 'lead', 'target set to 0 by 2026-03-31'],
    ]);
    // At the baseline quarter the trajectory is the baseline (1) and the value is 1: on the trajectory, on_track.
    const score = page.body['score'] as Scorecard['indicators'][number];
    expect(score.latest?.status).toBe('on_track');
    expect(score.points.at(-1)).toMatchObject({ period_to: quarter, value: 1, trajectory: 1, status: 'on_track' });
  });

  it('a lead adds a process change for an indicator: its limits are recalculated from that date', async () => {
    const note = await lead.request('POST', '/api/v1/annotations', {
      json: {
        noted_on: '2024-04-01',
        body: 'New front door',
        process_change: true,
        figures: ['repeat.cp_starts_repeat_neglect'],
      },
    });
    expect(note.status).toBe(201);
    const page = await lead.get(`/api/v1/indicators/1?quarter=${quarter}`);
    const score = page.body['score'] as Scorecard['indicators'][number];
    expect(score.recalculatedFrom).toEqual(['2024-04-01']);
    expect(score.annotations).toContainEqual({
      noted_on: '2024-04-01',
      body: 'New front door',
      process_change: true,
      figures: ['repeat.cp_starts_repeat_neglect'],
    });
    // Two stretches: 2023 Q1 – 2024 Q1 (5 quarters), and from 2024 Q2 (the first quarter ending on or after the change).
    expect(score.spc.segments.map((s) => s.from)).toEqual(['2023-03-31', '2024-06-30']);
  });
});

describe('the board pack after a lead writes', () => {
  it('a note of practice added after the pack was cached is on the next pack, not a stale one', async () => {
    const before = await board.get(`/api/v1/board-pack?quarter=${quarter}`);
    expect(before.status).toBe(200);
    const notesBefore = (before.body['neglectTrend'] as { annotations: { body: string }[] }).annotations;
    expect(notesBefore.map((n) => n.body)).not.toContain('Graded Care Profile 2 training for health visitors');
    const note = await lead.request('POST', '/api/v1/annotations', {
      json: {
        noted_on: '2025-02-15',
        body: 'Graded Care Profile 2 training for health visitors',
        process_change: false,
        figures: [],
      },
    });
    expect(note.status).toBe(201);
    // The pack was in the server's cache and stored in the warehouse; both are stale now.
    const after = await board.get(`/api/v1/board-pack?quarter=${quarter}`);
    const notesAfter = (after.body['neglectTrend'] as { annotations: { body: string }[] }).annotations;
    expect(notesAfter.map((n) => n.body)).toContain('Graded Care Profile 2 training for health visitors');
  });
});
