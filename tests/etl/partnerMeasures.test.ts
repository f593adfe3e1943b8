import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadFiles } from '../../etl/load/loadFiles.ts';
import { Warehouse } from '../../sql/warehouse.ts';
import { runCli } from '../support/runCli.ts';
import { startTestServer } from '../support/testServer.ts';
import { tempDir, writeCanonicalCsv, type FixtureRow } from '../support/fixtureWarehouse.ts';

/**
 * DATA.md partner_measures.csv ("measure, agency, period_start, period_end, numerator, denominator,
 * unit — unit one of percent, rate_per_10k, count (no denominator). One row per measure, agency and
 * period; a later load of the same (measure, agency, period) replaces it") through the same stage,
 * validate and merge path as every canonical table: bad rows are rejected with file, row, field and
 * reason (issue 11), good rows of the same file still land. Reference date 2026-03-31.
 */
let dir: string;
let warehouse: Warehouse;
const referenceDate = '2026-03-31';

beforeAll(async () => {
  dir = tempDir('partner-measures');
  warehouse = await Warehouse.open(join(dir, 'w.duckdb'));
});
afterAll(() => warehouse.close());

const absence = (overrides: FixtureRow = {}): FixtureRow => ({
  measure: 'school_persistent_absence',
  agency: 'Schools',
  period_start: '2025-10-01',
  period_end: '2025-12-31',
  numerator: 1840,
  denominator: 9800,
  unit: 'percent',
  ...overrides,
});

async function load(folder: string, rows: FixtureRow[]) {
  writeCanonicalCsv(join(dir, folder), { 'partner_measures.csv': rows });
  const [result] = await loadFiles(warehouse, [join(dir, folder)], { loadedBy: 'test', referenceDate });
  const rejects = await warehouse.query<{
    file: string;
    row: string;
    field: string;
    value: string | null;
    reason: string;
  }>(
    'SELECT file, "row", field, value, reason FROM rejects WHERE load_id = $id ORDER BY "row"::INTEGER, field, reason',
    { id: result!.loadId ?? -1 },
  );
  return { result: result!, rejects };
}

const stored = () =>
  warehouse.query<Record<string, unknown>>(
    `SELECT measure, agency, strftime(period_start, '%Y-%m-%d') AS period_start, strftime(period_end, '%Y-%m-%d') AS period_end,
            numerator::INTEGER AS numerator, denominator::INTEGER AS denominator, unit
     FROM partner_measures ORDER BY measure, agency, period_end`,
  );

describe('partner_measures.csv', () => {
  it('is recognised by its DATA.md header and loads every unit, ids trimmed and lower-cased', async () => {
    const { result, rejects } = await load('good', [
      absence({ measure: ' School_Persistent_Absence ' }),
      absence({ measure: 'two_year_funded_takeup', agency: 'Early years', numerator: 410, denominator: 600 }),
      absence({
        measure: 'health_was_not_brought',
        agency: 'Health',
        numerator: 120,
        denominator: 4000,
        unit: 'RATE_PER_10K',
      }),
      absence({
        measure: 'police_da_incidents_children',
        agency: 'Police',
        numerator: 212,
        denominator: null,
        unit: 'count',
      }),
    ]);
    expect(rejects).toEqual([]);
    expect(result).toMatchObject({
      status: 'loaded',
      table: 'partner_measures',
      rowsRead: 4,
      rowsAccepted: 4,
      rowsMerged: 4,
    });
    expect(await stored()).toEqual([
      {
        measure: 'health_was_not_brought',
        agency: 'Health',
        period_start: '2025-10-01',
        period_end: '2025-12-31',
        numerator: 120,
        denominator: 4000,
        unit: 'rate_per_10k',
      },
      {
        measure: 'police_da_incidents_children',
        agency: 'Police',
        period_start: '2025-10-01',
        period_end: '2025-12-31',
        numerator: 212,
        denominator: null,
        unit: 'count',
      },
      {
        measure: 'school_persistent_absence',
        agency: 'Schools',
        period_start: '2025-10-01',
        period_end: '2025-12-31',
        numerator: 1840,
        denominator: 9800,
        unit: 'percent',
      },
      {
        measure: 'two_year_funded_takeup',
        agency: 'Early years',
        period_start: '2025-10-01',
        period_end: '2025-12-31',
        numerator: 410,
        denominator: 600,
        unit: 'percent',
      },
    ]);
    // Lineage: each stored row names the load it came from.
    const [lineage] = await warehouse.query<{ loads: number }>(
      'SELECT count(DISTINCT load_id)::INTEGER AS loads FROM partner_measures WHERE load_id = $id',
      { id: result.loadId! },
    );
    expect(lineage!.loads).toBe(1);
  });

  it('rejects each bad row with its file, row, field and reason, and keeps the good one', async () => {
    const { result, rejects } = await load('bad', [
      absence({ agency: 'School 2', period_end: '2026-01-31', period_start: '2026-01-01' }), // row 2: good
      absence({ agency: 'School 3', numerator: 9801 }), // row 3: numerator above denominator
      absence({ agency: 'School 4', unit: 'per_cent' }), // row 4: unknown unit
      absence({ agency: 'School 5', period_start: '2026-01-01', period_end: '2025-12-31' }), // row 5: end before start
      absence({ agency: 'School 6', denominator: null }), // row 6: a percent with no denominator
      absence({ agency: 'School 7', unit: 'rate_per_10k', denominator: null }), // row 7: a rate with no denominator
      absence({ agency: 'School 8', unit: 'count', denominator: 9800 }), // row 8: a count with a denominator
      absence({ agency: 'School 9', numerator: -4 }), // row 9: negative
      absence({ agency: 'School 10', measure: '' }), // row 10: no measure
      absence({ agency: ' ' }), // row 11: no agency
      absence({ agency: 'School 12', denominator: 0, numerator: 0 }), // row 12: a percent of nothing
      absence({ agency: 'School 13', numerator: 12.5 }), // row 13: not whole
    ]);
    expect(result).toMatchObject({ status: 'loaded', rowsRead: 12, rowsAccepted: 1, rowsRejected: 11 });
    const file = 'partner_measures.csv';
    expect(rejects).toEqual([
      {
        file,
        row: '3',
        field: 'numerator',
        value: '9801',
        reason: 'above the denominator: a percent cannot be more than 100',
      },
      {
        file,
        row: '4',
        field: 'unit',
        value: 'per_cent',
        reason: 'unknown code (expected one of percent, rate_per_10k, count)',
      },
      { file, row: '5', field: 'period_end', value: '2025-12-31', reason: 'period_end is before period_start' },
      {
        file,
        row: '6',
        field: 'denominator',
        value: null,
        reason: 'missing: a percent or a rate per 10,000 needs a denominator',
      },
      {
        file,
        row: '7',
        field: 'denominator',
        value: null,
        reason: 'missing: a percent or a rate per 10,000 needs a denominator',
      },
      {
        file,
        row: '8',
        field: 'denominator',
        value: '9800',
        reason: 'a count has no denominator (was the unit meant to be percent or rate_per_10k?)',
      },
      { file, row: '9', field: 'numerator', value: '-4', reason: 'must not be negative' },
      { file, row: '10', field: 'measure', value: null, reason: 'missing' },
      { file, row: '11', field: 'agency', value: null, reason: 'missing' },
      {
        file,
        row: '12',
        field: 'denominator',
        value: '0',
        reason: 'must be above 0 for a percent or a rate per 10,000',
      },
      { file, row: '13', field: 'numerator', value: '12.5', reason: 'not a whole number' },
    ]);
  });

  it('rejects a second row of the same measure, agency and period in one file', async () => {
    const { rejects } = await load('twice', [
      absence({ period_start: '2025-07-01', period_end: '2025-09-30' }),
      absence({ period_start: '2025-07-01', period_end: '2025-09-30', numerator: 1 }),
    ]);
    expect(rejects).toEqual([
      {
        file: 'partner_measures.csv',
        row: '3',
        field: 'measure+agency+period_start+period_end',
        value: null,
        reason: 'duplicate of row 2 in the same file',
      },
    ]);
  });

  it('replaces a stored row when a later load sends the same measure, agency and period', async () => {
    const { result } = await load('correction', [absence({ measure: 'SCHOOL_PERSISTENT_ABSENCE', numerator: 1700 })]);
    expect(result).toMatchObject({ rowsAccepted: 1, rowsMerged: 1 });
    const rows = (await stored()).filter(
      (r) => r['measure'] === 'school_persistent_absence' && r['agency'] === 'Schools',
    );
    // The October–December row was 1840; now 1700, still one row; the other periods are untouched.
    expect(rows.map((r) => [r['period_end'], r['numerator']])).toEqual([
      ['2025-09-30', 1840],
      ['2025-12-31', 1700],
    ]);
  });
});

describe('lscb load', () => {
  it('loads partner_measures.csv from the command line and reports its rejects', async () => {
    const folder = join(dir, 'cli');
    writeCanonicalCsv(folder, {
      'partner_measures.csv': [absence(), absence({ agency: 'Academies', unit: 'percentage' })],
    });
    const db = join(dir, 'cli.duckdb');
    const run = await runCli(['load', '--db', db, '--reference-date', referenceDate, folder]);
    expect(run.stderr).toBe('');
    expect(run.status).toBe(0);
    expect(run.stdout).toMatch(/partner_measures\.csv/);
    const cli = await Warehouse.open(db, { readOnly: true });
    try {
      const [counts] = await cli.query<{ rows: number; rejects: number }>(
        'SELECT (SELECT count(*) FROM partner_measures)::INTEGER AS rows, (SELECT count(*) FROM rejects)::INTEGER AS rejects',
      );
      expect(counts).toEqual({ rows: 1, rejects: 1 });
    } finally {
      cli.close();
    }
  });

  it('accepts exactly the DATA.md header, written by hand', async () => {
    const path = join(dir, 'by-hand.csv');
    writeFileSync(
      path,
      'measure,agency,period_start,period_end,numerator,denominator,unit\n' +
        'police_da_incidents_children,Northbury Police,01/01/2026,31/03/2026,57,,count\n',
    );
    const [result] = await loadFiles(warehouse, [path], { loadedBy: 'test', referenceDate });
    expect(result).toMatchObject({ status: 'loaded', table: 'partner_measures', rowsAccepted: 1 });
  });
});

describe('the upload page', () => {
  it('loads partner_measures.csv through the same loader, with its rejects', async () => {
    const served = await Warehouse.open(join(dir, 'served.duckdb'));
    const server = await startTestServer({ warehouse: served });
    try {
      const admin = await server.as('admin');
      const folder = join(dir, 'upload');
      writeCanonicalCsv(folder, {
        'partner_measures.csv': [absence(), absence({ agency: 'Academies', numerator: 9801 })],
      });
      const form = new FormData();
      form.append('reference_date', referenceDate);
      form.append('file', new Blob([readFileSync(join(folder, 'partner_measures.csv'))]), 'partner_measures.csv');
      const response = await fetch(new URL('/api/v1/uploads', server.url), {
        method: 'POST',
        headers: { Cookie: admin.cookie ?? '', 'X-CSRF-Token': admin.csrfToken ?? '' },
        body: form,
      });
      expect(response.status).toBe(202);
      const { id } = (await response.json()) as { id: string };
      let job: Record<string, any> = {};
      for (let i = 0; i < 200; i++) {
        job = (await admin.get(`/api/v1/uploads/${id}`)).body as Record<string, any>;
        if (job['status'] !== 'loading') break;
        await new Promise((r) => setTimeout(r, 50));
      }
      expect(job['results'][0]).toMatchObject({
        file: 'partner_measures.csv',
        status: 'loaded',
        rowsRead: 2,
        rowsAccepted: 1,
        rowsRejected: 1,
      });
      const [counts] = await served.query<{ rows: number; reason: string }>(
        'SELECT (SELECT count(*) FROM partner_measures)::INTEGER AS rows, (SELECT any_value(reason) FROM rejects) AS reason',
      );
      expect(counts).toEqual({ rows: 1, reason: 'above the denominator: a percent cannot be more than 100' });
    } finally {
      await server.close();
      served.close();
    }
  });
});
