import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadFiles } from '../../etl/load/loadFiles.ts';
import { Warehouse } from '../../sql/warehouse.ts';
import { tempDir, writeCanonicalCsv } from '../support/fixtureWarehouse.ts';

/**
 * Issue 15, "Inputs that break the figures": each value below was accepted before and moved a
 * figure. Now each row is rejected with its file, row, field and a reason, and the good rows of the
 * same file still land. The reference date of these loads is 2025-06-30.
 */
let dir: string;
let warehouse: Warehouse;
const referenceDate = '2025-06-30';

beforeAll(async () => {
  dir = tempDir('impossible');
  warehouse = await Warehouse.open(join(dir, 'w.duckdb'));
});
afterAll(() => warehouse.close());

async function load(folder: string, files: Parameters<typeof writeCanonicalCsv>[1], confirmPopulation = false) {
  writeCanonicalCsv(join(dir, folder), files);
  const [result] = await loadFiles(warehouse, [join(dir, folder)], {
    loadedBy: 'test',
    referenceDate,
    confirmPopulation,
  });
  const rejects = await warehouse.query<{ row: string; field: string; value: string | null; reason: string }>(
    'SELECT "row", field, value, reason FROM rejects WHERE load_id = $id ORDER BY "row", field',
    { id: result!.loadId ?? -1 },
  );
  return { result: result!, rejects };
}

describe('values no extract can hold', () => {
  it('refuses plans starting in 2099 or in year 0, a negative previous-plan count, and keeps the good plan', async () => {
    const { result, rejects } = await load('plans', {
      'cp_plans.csv': [
        {
          plan_id: 'P1',
          child_id: 'C1',
          start_date: '2024-01-01',
          initial_category: 'NEG',
          latest_category: 'NEG',
          previous_plans: 0,
        },
        {
          plan_id: 'P2',
          child_id: 'C2',
          start_date: '2099-01-01',
          initial_category: 'NEG',
          latest_category: 'NEG',
          previous_plans: 0,
        },
        {
          plan_id: 'P3',
          child_id: 'C3',
          start_date: '0001-01-01',
          initial_category: 'NEG',
          latest_category: 'NEG',
          previous_plans: 0,
        },
        {
          plan_id: 'P4',
          child_id: 'C4',
          start_date: '2024-02-01',
          initial_category: 'NEG',
          latest_category: 'NEG',
          previous_plans: -3,
        },
      ],
    });
    expect(result).toMatchObject({ status: 'loaded', rowsRead: 4, rowsAccepted: 1, rowsRejected: 3 });
    expect(rejects).toEqual([
      {
        row: '3',
        field: 'start_date',
        value: '2099-01-01',
        reason: "after the extract's reference date (2025-06-30): an extract cannot record what has not happened",
      },
      {
        row: '4',
        field: 'start_date',
        value: '0001-01-01',
        reason: "before 1900-01-01: not a date in a child's record",
      },
      { row: '5', field: 'previous_plans', value: '-3', reason: 'must not be negative' },
    ]);
  });

  it('refuses a sex that is no code (=1+1), and takes every spelling the returns use', async () => {
    const { result, rejects } = await load('children', {
      'children.csv': [
        { child_id: 'K1', birth_date: '2015-05-01', sex: '1' },
        { child_id: 'K2', birth_date: '2015-05-01', sex: 'F' },
        { child_id: 'K3', birth_date: '2015-05-01', sex: 'u' },
        { child_id: 'K4', birth_date: '2015-05-01', sex: '=1+1' },
      ],
    });
    expect(result).toMatchObject({ rowsAccepted: 3, rowsRejected: 1 });
    expect(rejects).toEqual([
      { row: '5', field: 'sex', value: '=1+1', reason: 'unknown code (expected one of 1, 2, 0, 9, M, F, U)' },
    ]);
  });

  it('takes an expected birth date up to ten months after the reference date, not further', async () => {
    const { rejects } = await load('unborn', {
      'children.csv': [
        { child_id: 'U1', expected_birth_date: '2026-01-15' },
        { child_id: 'U2', expected_birth_date: '2026-07-01' },
      ],
    });
    // 2025-06-30 + 305 days = 2026-05-01: January 2026 is fine, July 2026 is not.
    expect(rejects).toEqual([
      {
        row: '3',
        field: 'expected_birth_date',
        value: '2026-07-01',
        reason: "more than 305 days after the extract's reference date (2025-06-30)",
      },
    ]);
  });
});

describe('a census value far too long for any extract', () => {
  it('rejects the records holding it, naming the element and field, instead of a staging line', async () => {
    // Issue 15: a 30 MB text value got "cannot be read as CSV: line 2". 200,000 characters will do.
    const { readFileSync, writeFileSync } = await import('node:fs');
    const sample = readFileSync(join(import.meta.dirname, '../fixtures/samples/cin-census/cin-2022.xml'), 'utf8');
    const huge = sample.replace(/<LAchildID>[^<]*<\/LAchildID>/, `<LAchildID>${'A'.repeat(200_000)}</LAchildID>`);
    const path = join(dir, 'huge-value.xml');
    writeFileSync(path, huge);
    const [result] = await loadFiles(warehouse, [path], { loadedBy: 'test', confirmLa: true }); // cin-2022.xml is LA 201's
    expect(result).toMatchObject({ status: 'loaded', rowsAccepted: 0 });
    const rejects = await warehouse.query<{ row: string; field: string; reason: string }>(
      'SELECT "row", field, reason FROM rejects WHERE load_id = $id ORDER BY "row"',
      { id: result!.loadId! },
    );
    expect(rejects[0]).toEqual({
      row: 'Child 1 (line 18)',
      field: 'child_id',
      reason: 'is 200,000 characters long; no value in an extract is longer than 100,000',
    });
  });
});

describe('population files', () => {
  // The warehouse opened with the project's configuration (Northbury, 990, a fictional LA) has no
  // ONS estimate of its own; these tests record one as the bundled reference would for a real LA.
  beforeAll(async () => {
    await warehouse.query(`INSERT INTO population VALUES (2024, 'all', 'all', 60000, 'ons', NULL)`);
  });

  it('refuses a file in thousands (60 against an ONS estimate of 60,000), and negative counts', async () => {
    const { result, rejects } = await load('population-thousands', {
      'population.csv': [
        { year: 2024, dimension: 'all', group: 'all', count: 60 },
        { year: 2024, dimension: 'sex', group: 'male', count: -30 },
      ],
    });
    expect(result).toMatchObject({ rowsAccepted: 0, rowsRejected: 2 });
    expect(rejects).toEqual([
      {
        row: '2',
        field: 'count',
        value: '60',
        reason:
          "differs from the ONS mid-year estimate of this LA's children by more than 25% (a file in thousands, or another LA?); " +
          'load it with --confirm-population if it is right',
      },
      { row: '3', field: 'count', value: '-30', reason: 'must not be negative' },
    ]);
  });

  it('takes a population within 25% of the ONS estimate (or of the latest before it), and a confirmed one', async () => {
    // 2025 has no ONS row: 2024's 60,000 is the comparison; 70,000 is 16.7% above it.
    const near = await load('population-near', {
      'population.csv': [{ year: 2025, dimension: 'all', group: 'all', count: 70000 }],
    });
    expect(near.result).toMatchObject({ rowsAccepted: 1, rowsRejected: 0 });
    const confirmed = await load(
      'population-confirmed',
      { 'population.csv': [{ year: 2024, dimension: 'all', group: 'all', count: 90000 }] },
      true,
    );
    expect(confirmed.result).toMatchObject({ rowsAccepted: 1, rowsRejected: 0 });
  });
});
