import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cpOpenFixture } from '../metrics/cpOpen.fixture.ts';
import { createUser } from '../../server/auth/users.ts';
import { Browser } from '../support/authApp.ts';
import { fixtureWarehouse, type FixtureWarehouse } from '../support/fixtureWarehouse.ts';
import { startTestServer, type TestServer } from '../support/testServer.ts';

/**
 * Case lists behind any count, and their CSV export (issue 13): officers and admins only, logged as a
 * case list whose path ends in .csv, in words, every cell starting =, +, - or @ neutralised.
 * cpOpenFixture (tests/metrics/cpOpen.fixture.ts): open at 2025-03-31 are A, C, E, F, G; F's MUL plan
 * has run 820 days, the only one of 18 months or more. Child X is added here: an early help episode
 * whose lead agency is written like a spreadsheet formula.
 */
let fixture: FixtureWarehouse;
let server: TestServer;
beforeAll(async () => {
  fixture = await fixtureWarehouse({
    ...cpOpenFixture,
    'children.csv': [...(cpOpenFixture['children.csv'] ?? []), { child_id: 'X', birth_date: '2018-04-04', sex: 'F' }],
    'early_help.csv': [
      {
        episode_id: 'EH-X',
        child_id: 'X',
        start_date: '2025-01-10',
        lead_agency: '=HYPERLINK("http://example.invalid","click")',
        neglect: 'Y',
      },
    ],
  });
  server = await startTestServer({ warehouse: fixture.warehouse });
  await createUser(fixture.warehouse, { username: 'strategy-lead', role: 'lead', password: leadPassword });
});

// The demo has no lead login; the strategy lead sees unsuppressed aggregates and never a child.
const leadPassword = 'lanterns-over-the-estuary-7';
async function signedIn(role: 'board' | 'lead'): Promise<Browser> {
  if (role === 'board') return server.as('board');
  const lead = new Browser(server.url);
  expect((await lead.signIn('strategy-lead', leadPassword)).status).toBe(200);
  return lead;
}
afterAll(async () => {
  await server.close();
  fixture.dispose();
});

const period = 'from=2025-01-01&to=2025-03-31';
const lastLog = async () =>
  (
    await fixture.warehouse.query<Record<string, unknown>>(
      'SELECT username, role, path, status, rows_returned, sensitivity FROM access_log ORDER BY id DESC LIMIT 1',
    )
  )[0];

describe('case lists behind any count', () => {
  it('lists drift.cp_open_18m_plus (it answered "no case list" before)', async () => {
    const officer = await server.as('officer');
    const reply = await officer.get(`/api/v1/cases/drift.cp_open_18m_plus?${period}`);
    expect(reply.status).toBe(200);
    expect(reply.body).toMatchObject({ figure: 'drift.cp_open_18m_plus' });
    expect((reply.body['rows'] as { la_child_id: string }[]).map((r) => r.la_child_id)).toEqual(['F']);
  });

  it('lists a part of a list (a flag) and a part of a split (a band)', async () => {
    const officer = await server.as('officer');
    const neglect = await officer.get(`/api/v1/cases/prevalence.cp_open_neglect_initial?${period}`);
    expect((neglect.body['rows'] as { la_child_id: string }[]).map((r) => r.la_child_id).sort()).toEqual(['A', 'G']);
    const twoYears = await officer.get(`/api/v1/cases/drift.cp_open_by_duration.2y_plus?${period}`);
    expect((twoYears.body['rows'] as { la_child_id: string }[]).map((r) => r.la_child_id)).toEqual(['F']);
    expect((await officer.get(`/api/v1/cases/drift.cp_open_by_duration?${period}`)).status).toBe(400);
    expect((await officer.get(`/api/v1/cases/prevalence.cp_open_rate_per_10k?${period}`)).status).toBe(400);
  });

  it('offers every list, with the splits by their codes', async () => {
    const officer = await server.as('officer');
    const { lists } = (await officer.get('/api/v1/cases')).body as { lists: { figure: string }[] };
    const figures = lists.map((l) => l.figure);
    expect(figures).toEqual(
      expect.arrayContaining(['prevalence.cp_open', 'drift.cp_open_18m_plus', 'drift.cp_open_by_duration.le_3m']),
    );
  });
});

describe('CSV export of a case list', () => {
  it('gives officers the list in words, logged as a case-list export', async () => {
    const officer = await server.as('officer');
    const reply = await officer.get(`/api/v1/cases/prevalence.cp_open.csv?${period}`);
    expect(reply.status).toBe(200);
    expect(reply.headers.get('content-type')).toMatch(/^text\/csv/);
    expect(reply.headers.get('content-disposition')).toBe(
      'attachment; filename="case-list-prevalence.cp_open-2025-01-01-to-2025-03-31.csv"',
    );
    const lines = reply.text.trimEnd().split('\r\n');
    expect(lines[0]).toBe(
      'Child,Age band,Sex,Ethnic group,Plan start,Days on plan,Time on plan,Neglect at the start (initial category),' +
        'Neglect now (latest category),Open 18 months or more',
    );
    expect(lines).toHaveLength(6); // the header and the five children
    // F: born 29 February 2008, MUL plan from 1 January 2023, 820 days at 31 March 2025.
    expect(lines).toContain('F,16 and over,Female,White,1 January 2023,820,2 years or more,no,no,yes');
    expect(await lastLog()).toMatchObject({
      username: 'officer',
      path: '/api/v1/cases/prevalence.cp_open.csv',
      status: 200,
      rows_returned: 5,
      sensitivity: 'case_list',
    });
  });

  it('neutralises a cell that a spreadsheet would run as a formula', async () => {
    const admin = await server.as('admin');
    const reply = await admin.get(`/api/v1/cases/prevalence.eh_episodes.csv?${period}`);
    expect(reply.status).toBe(200);
    const row = reply.text.split('\r\n').find((line) => line.startsWith('X,'))!;
    expect(row).toContain(`"'=HYPERLINK(""http://example.invalid"",""click"")"`);
    expect(row).not.toMatch(/,=/);
  });

  it.each(['board', 'lead'] as const)('refuses a %s member (403), and logs the refusal', async (role) => {
    const user = await signedIn(role);
    const reply = await user.get(`/api/v1/cases/prevalence.cp_open.csv?${period}`);
    expect(reply.status).toBe(403);
    expect(reply.text).not.toContain('F,');
    expect(await lastLog()).toMatchObject({
      role,
      path: '/api/v1/cases/prevalence.cp_open.csv',
      status: 403,
      sensitivity: 'case_list',
    });
  });
});
