import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AuditDetail, AuditFindings, FindingField } from '../../metrics/contract/audits.ts';
import { projectRoot } from '../../sql/warehouse.ts';
import { cpOpenFixture } from '../metrics/cpOpen.fixture.ts';
import type { Browser } from '../support/authApp.ts';
import { fixtureWarehouse, type FixtureWarehouse } from '../support/fixtureWarehouse.ts';
import { startTestServer, type TestServer } from '../support/testServer.ts';

/**
 * Audits over the real app (METRICS.md §13 "Audit samples"), on the cp_open fixture: the case list
 * prevalence.cp_open for 2025-01-01 to 2025-03-31 holds A, C, E, F and G (tests/metrics/cpOpen.fixture.ts).
 * Ages at 2025-03-31 in completed years (§1): A 3, C 12, E 14, F 17 (born 29 February 2008), G unborn.
 * Lambeth's strata, 4 each: 0–5 holds A; 6–11 nobody; 12–17 C, E, F; G is in no stratum. C and E are
 * made brother and sister (one family), so the 12–17 draw takes one of them and passes over the
 * other: 3 children drawn, every stratum short.
 */

let fixture: FixtureWarehouse;
let server: TestServer;
let board: Browser;
let officer: Browser;
let admin: Browser;
let lead: Browser;
beforeAll(async () => {
  fixture = await fixtureWarehouse(cpOpenFixture);
  await fixture.warehouse.query(
    `UPDATE children SET family_id = 'FAM-CE'
     WHERE child_key IN (SELECT child_key FROM child_identity WHERE la_child_id IN ('C', 'E'))`,
  );
  server = await startTestServer({ warehouse: fixture.warehouse });
  [board, officer, admin] = await Promise.all([server.as('board'), server.as('officer'), server.as('admin')]);
  lead = await server.as('lead');
});
afterAll(async () => {
  await server.close();
  fixture.dispose();
});

const draw = {
  theme: 'Children on plans: multi-agency audit',
  figure: 'prevalence.cp_open',
  from: '2025-01-01',
  to: '2025-03-31',
  seed: 'fixture-seed',
};
const answers = (drift: 'yes' | 'no', progress: string) => ({
  quality: 'requires_improvement',
  drift,
  missed: drift === 'yes' ? ['escalation', 'proceedings'] : [],
  progress,
  tool: 'gcp2',
  voice: 'yes',
  multi_agency: 'partly_effective',
  step_down: 'not_applicable',
});
const secretNote = 'Mother refused the GP appointment twice (private note)';

/** METRICS.md §6's Wilson score interval for k of n, written out (z = 1.959964). */
function wilson(k: number, n: number): [number, number] {
  const z = 1.959964;
  const p = k / n;
  const centre = (p + (z * z) / (2 * n)) / (1 + (z * z) / n);
  const half = (z * Math.sqrt((p * (1 - p)) / n + (z * z) / (4 * n * n))) / (1 + (z * z) / n);
  return [centre - half, centre + half];
}

let audit: AuditDetail;

describe('audits', () => {
  it('lets an officer draw a Lambeth-style sample from a case list, shown beside its population', async () => {
    const reply = await officer.request('POST', '/api/v1/audits', { json: draw });
    expect(reply.status, reply.text).toBe(201);
    audit = reply.body as unknown as AuditDetail;
    expect(audit.audit).toMatchObject({
      theme: draw.theme,
      figure: 'prevalence.cp_open',
      period: { from: '2025-01-01', to: '2025-03-31' },
      strata: { by: 'age' },
      seed: 'fixture-seed',
      lookbackDays: 365,
      drawnBy: 'officer',
      status: 'open',
      sampleSize: 3,
      judged: 0,
    });
    expect(audit.sample.strata.map((s) => [s.key, s.population, s.siblingsPassedOver, s.short])).toEqual([
      ['age_0_5', 1, 0, true],
      ['age_6_11', 0, 0, true],
      ['age_12_17', 3, 1, true],
    ]);
    expect(audit.sample.outsideStrata).toBe(1);
    const ids = audit.children.map((c) => c.laChildId);
    expect(ids).toContain('A');
    expect(ids).toContain('F');
    expect(ids.filter((id) => id === 'C' || id === 'E')).toHaveLength(1);
    expect(audit.sentences).toHaveLength(3);
  });

  it('skips the children just audited when the same list is drawn again (365-day look-back)', async () => {
    const again = await officer.request('POST', '/api/v1/audits', { json: { ...draw, theme: 'Second look' } });
    expect(again.status).toBe(201);
    const second = again.body as unknown as AuditDetail;
    expect(second.children.map((c) => c.laChildId)).toEqual([other(audit)]);
    expect(second.sample.strata.map((s) => s.recentlyAudited)).toEqual([1, 0, 2]);
  });

  it('refuses board members the sample, the draw and the judgements, and refuses bad requests', async () => {
    expect((await board.request('POST', '/api/v1/audits', { json: draw })).status).toBe(403);
    expect((await board.get(`/api/v1/audits/${audit.audit.id}`)).status).toBe(403);
    const child = audit.children[0]!.childKey;
    expect((await board.get(`/api/v1/audits/${audit.audit.id}/children/${child}/judgements`)).status).toBe(403);
    expect((await officer.request('POST', '/api/v1/audits', { json: { ...draw, figure: 'constructor' } })).status).toBe(
      400,
    );
    const overlapping = {
      by: 'age',
      ranges: [
        { from: 0, to: 5, n: 1 },
        { from: 5, to: 9, n: 1 },
      ],
    };
    const bad = await officer.request('POST', '/api/v1/audits', { json: { ...draw, strata: overlapping } });
    expect(bad.status).toBe(400);
    expect(bad.body['error']).toBe('age ranges must not overlap');
    // Board members and leads see closed audits only: none yet.
    expect((await board.get('/api/v1/audits')).body['audits']).toEqual([]);
    expect(((await officer.get('/api/v1/audits')).body['audits'] as unknown[]).length).toBe(2);
  });

  it('records judgements with author and time, versioned, refusing a stale edit and a bad answer', async () => {
    const [first, second, third] = audit.children;
    const url = (childKey: number) => `/api/v1/audits/${audit.audit.id}/children/${childKey}/judgements`;
    const saved = await officer.request('POST', url(first!.childKey), {
      json: { answers: answers('yes', 'none'), note: secretNote, baseVersion: 0 },
    });
    expect(saved.status, saved.text).toBe(201);
    expect(saved.body['saved']).toMatchObject({ version: 1, author: 'officer', note: secretNote });
    const stale = await admin.request('POST', url(first!.childKey), {
      json: { answers: answers('no', 'positive'), baseVersion: 0 },
    });
    expect(stale.status).toBe(409);
    const edited = await admin.request('POST', url(first!.childKey), {
      json: { answers: answers('yes', 'partial'), note: secretNote, baseVersion: 1 },
    });
    expect(edited.body['saved']).toMatchObject({ version: 2, author: 'admin' });
    const wrong = await officer.request('POST', url(second!.childKey), {
      json: { answers: { ...answers('no', 'positive'), quality: 'excellent' } },
    });
    expect(wrong.status).toBe(400);
    expect(wrong.body['error']).toMatch(/^Overall quality of practice: one of outstanding/);
    expect((await officer.request('POST', url(999_999), { json: { answers: answers('no', 'positive') } })).status).toBe(
      404,
    );
    // Closing before every child is judged is refused.
    expect((await officer.request('POST', `/api/v1/audits/${audit.audit.id}/close`)).status).toBe(409);
    for (const child of [second!, third!]) {
      const reply = await officer.request('POST', url(child.childKey), {
        json: { answers: answers('no', 'positive') },
      });
      expect(reply.status).toBe(201);
    }
    const history = await officer.get(url(first!.childKey));
    expect(
      (history.body['history'] as { version: number; author: string }[]).map((h) => [h.version, h.author]),
    ).toEqual([
      [2, 'admin'],
      [1, 'officer'],
    ]);
  });

  it('has no findings until closed; once closed, judgements are read-only (409)', async () => {
    expect((await officer.get(`/api/v1/audits/${audit.audit.id}/findings`)).status).toBe(404);
    const closed = await officer.request('POST', `/api/v1/audits/${audit.audit.id}/close`);
    expect(closed.status).toBe(200);
    expect(closed.body['audit']).toMatchObject({ status: 'closed', closedBy: 'officer', judged: 3 });
    expect((await officer.request('POST', `/api/v1/audits/${audit.audit.id}/close`)).status).toBe(409);
    const late = await officer.request(
      'POST',
      `/api/v1/audits/${audit.audit.id}/children/${audit.children[0]!.childKey}/judgements`,
      { json: { answers: answers('no', 'positive'), baseVersion: 2 } },
    );
    expect(late.status).toBe(409);
    expect(late.body['error']).toMatch(/is closed/);
  });

  it('gives officers each share with its Wilson interval, beside Ofsted 2014', async () => {
    const reply = await officer.get(`/api/v1/audits/${audit.audit.id}/findings`);
    expect(reply.status).toBe(200);
    const findings = reply.body as unknown as AuditFindings;
    expect(findings.suppressed).toBe(false);
    const field = (key: string) => findings.fields.find((f) => f.key === key)!;
    // Drift: the first child (latest version: yes), the other two no → yes 1 of 3.
    const driftYes = field('drift').shares.find((s) => s.value === 'yes')!;
    expect(field('drift').judged).toBe(3);
    expect(driftYes.count).toBe(1);
    expect(driftYes.share).toBeCloseTo(1 / 3, 10);
    expect(driftYes.ciLow).toBeCloseTo(wilson(1, 3)[0], 6);
    expect(driftYes.ciHigh).toBeCloseTo(wilson(1, 3)[1], 6);
    expect(driftYes.ofsted?.text).toBe('drift and delay in a third of long-term cases');
    // Progress: the first child's version 2 says partial (version 1 said none) → partial 1, positive 2, none 0.
    expect(field('progress').shares.map((s) => [s.value, s.count])).toEqual([
      ['positive', 2],
      ['partial', 1],
      ['none', 0],
    ]);
    expect(field('progress').shares[0]!.ofsted?.share).toBeCloseTo(27 / 44, 10);
    expect(field('missed').shares.map((s) => [s.value, s.count])).toEqual([
      ['early_help', 0],
      ['escalation', 1],
      ['proceedings', 1],
    ]);
    expect(findings.sentences[0]).toMatch(/^Audit samples are small/);
    expect(reply.text).not.toContain(secretNote);
  });

  it('shows board members the closed audit only, suppressed, with no child and no note', async () => {
    const register = (await board.get('/api/v1/audits')).body['audits'] as { id: number; status: string }[];
    expect(register.map((a) => [a.id, a.status])).toEqual([[audit.audit.id, 'closed']]);
    // The second audit is open: it has no findings for anyone.
    expect((await board.get(`/api/v1/audits/${audit.audit.id + 1}/findings`)).status).toBe(404);
    const reply = await board.get(`/api/v1/audits/${audit.audit.id}/findings`);
    expect(reply.status).toBe(200);
    const findings = reply.body as unknown as AuditFindings;
    expect(findings.suppressed).toBe(true);
    // Three children judged: 1–5, so every field's total and every share built on it is c (METRICS.md §7).
    for (const f of findings.fields as FindingField[]) {
      expect(f.judged).toBe('c');
      for (const s of f.shares) expect([s.count, s.share, s.ciLow, s.ciHigh]).toEqual(['c', 'c', 'c', 'c']);
    }
    expect(findings.sentences[1]).toMatch(/^Fewer than 6 children were judged/);
    expect(reply.text).not.toContain(secretNote);
    for (const id of ['"A"', '"C"', '"E"', '"F"']) expect(reply.text).not.toContain(id);
  });

  it('shows a lead the closed audit’s findings unsuppressed, and never the sample (METRICS.md §13 decision)', async () => {
    const register = (await lead.get('/api/v1/audits')).body['audits'] as { id: number }[];
    expect(register.map((a) => a.id)).toEqual([audit.audit.id]);
    const findings = (await lead.get(`/api/v1/audits/${audit.audit.id}/findings`)).body as unknown as AuditFindings;
    expect(findings.suppressed).toBe(false);
    expect(findings.fields.find((f) => f.key === 'drift')!.judged).toBe(3);
    expect((await lead.get(`/api/v1/audits/${audit.audit.id}`)).status).toBe(403);
    expect((await lead.request('POST', '/api/v1/audits', { json: draw })).status).toBe(403);
  });

  it('draws from a filtered case list too: neglect by initial category is A and G', async () => {
    // prevalence.cp_open_neglect_initial = A, G (fixture); A is 3 and already audited 0 days ago in
    // the first audit, so under a zero-day look-back it is still skipped (same day); G has no age.
    const reply = await officer.request('POST', '/api/v1/audits', {
      json: { ...draw, figure: 'prevalence.cp_open_neglect_initial', theme: 'Filtered', lookbackDays: 0 },
    });
    expect(reply.status, reply.text).toBe(201);
    const filtered = reply.body as unknown as AuditDetail;
    expect(filtered.sample.strata.map((s) => [s.population, s.recentlyAudited])).toEqual([
      [1, 1],
      [0, 0],
      [0, 0],
    ]);
    expect(filtered.sample.outsideStrata).toBe(1);
    expect(filtered.children).toEqual([]);
  });

  it('logs every step: draws, samples and judgements as identity access, findings and the register as aggregates', async () => {
    const rows = await fixture.warehouse.query<{
      username: string;
      method: string;
      path: string;
      status: number;
      sensitivity: string;
    }>(
      `SELECT username, method, path, status, sensitivity FROM access_log WHERE path LIKE '/api/v1/audits%' ORDER BY id`,
    );
    const id = audit.audit.id;
    const has = (username: string, method: string, path: string, status: number, sensitivity: string) =>
      expect(rows, `${username} ${method} ${path} ${status}`).toContainEqual({
        username,
        method,
        path,
        status,
        sensitivity,
      });
    has('officer', 'POST', '/api/v1/audits', 201, 'identity');
    has('board', 'POST', '/api/v1/audits', 403, 'identity');
    has('board', 'GET', `/api/v1/audits/${id}`, 403, 'identity');
    has('officer', 'POST', `/api/v1/audits/${id}/children/${audit.children[0]!.childKey}/judgements`, 201, 'identity');
    has('admin', 'POST', `/api/v1/audits/${id}/children/${audit.children[0]!.childKey}/judgements`, 409, 'identity');
    has('officer', 'GET', `/api/v1/audits/${id}/children/${audit.children[0]!.childKey}/judgements`, 200, 'identity');
    has('officer', 'POST', `/api/v1/audits/${id}/close`, 200, 'identity');
    has('officer', 'GET', `/api/v1/audits/${id}/findings`, 200, 'aggregate');
    has('board', 'GET', `/api/v1/audits/${id}/findings`, 200, 'aggregate');
    has('board', 'GET', '/api/v1/audits', 200, 'aggregate');
  });

  it('has no statement in the product that changes a saved audit, sample, judgement or closing', () => {
    const statements = ['UPDATE', 'DELETE\\s+FROM', 'TRUNCATE(\\s+TABLE)?', 'DROP\\s+TABLE(\\s+IF\\s+EXISTS)?'];
    const changing = new RegExp(
      `\\b(${statements.join('|')})\\s+(audits|audit_children|audit_judgements|audit_closures)\\b`,
      'i',
    );
    const offenders: string[] = [];
    const walk = (dir: string): void => {
      for (const name of readdirSync(dir)) {
        const path = join(dir, name);
        if (statSync(path).isDirectory()) walk(path);
        else if (/\.(ts|js|sql)$/.test(name) && changing.test(readFileSync(path, 'utf8'))) {
          offenders.push(relative(projectRoot, path));
        }
      }
    };
    for (const dir of ['server', 'sql', 'bin', 'etl', 'client', 'metrics', 'report']) walk(join(projectRoot, dir));
    expect(offenders).toEqual([]);
  });
});

/** The one of C and E the first draw passed over. */
function other(first: AuditDetail): string {
  return first.children.some((c) => c.laChildId === 'C') ? 'E' : 'C';
}
