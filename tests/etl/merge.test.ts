import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { loadFiles } from '../../etl/load/loadFiles.ts';
import { Warehouse } from '../../sql/warehouse.ts';
import { tempDir, writeCanonicalCsv } from '../support/fixtureWarehouse.ts';
import { tableCounts, warehouseFingerprint } from '../support/tableCounts.ts';
import { censusXml } from './cinCensusXml.fixture.ts';

/**
 * DATA.md "Identity and merging across files": one row per real thing; a later extract (by the
 * file's reference date) fills in or corrects the same episode instead of duplicating it; the
 * same file twice changes nothing; a failed load leaves the warehouse as it was.
 */
let dir: string;
let warehouse: Warehouse;
beforeEach(async () => {
  dir = tempDir('merge');
  warehouse = await Warehouse.open(join(dir, 'lscb.duckdb'));
});
afterEach(() => warehouse.close());

const write = (name: string, text: string) => {
  const path = join(dir, name);
  writeFileSync(path, text);
  return path;
};
const load = (...paths: string[]) => loadFiles(warehouse, paths, { loadedBy: 'test', referenceDate: '2026-01-01' });

// Child K1's episode from 2023-11-01 with a NEG plan from 2024-01-10 appears in two census years.
// In 2023-24 (reference date 2024-03-31) the plan is open and still NEG; in 2024-25 it ended on
// 2024-09-30 with latest category EMO, and the episode closed on 2024-12-01.
const year2024 = censusXml('2024-03-31', [
  {
    id: 'K1',
    birth: '2019-04-02',
    episodes: [{ referralDate: '2023-11-01', cpPlans: [{ start: '2024-01-10', initial: 'NEG', latest: 'NEG' }] }],
  },
]);
const year2025 = censusXml('2025-03-31', [
  {
    id: 'K1',
    birth: '2019-04-02',
    episodes: [
      {
        referralDate: '2023-11-01',
        closureDate: '2024-12-01',
        cpPlans: [{ start: '2024-01-10', end: '2024-09-30', initial: 'NEG', latest: 'EMO' }],
      },
    ],
  },
]);

describe('merging census years', () => {
  it('keeps one row per episode and plan, with the later year’s values', async () => {
    await load(write('CIN_2024.xml', year2024), write('CIN_2025.xml', year2025));
    const counts = await tableCounts(warehouse);
    expect(counts).toMatchObject({ child_identity: 1, children: 1, referrals: 1, cp_plans: 1 });
    const [plan] = await warehouse.query(
      'SELECT start_date, end_date, initial_category, latest_category FROM cp_plans',
    );
    expect(plan).toEqual({
      start_date: '2024-01-10',
      end_date: '2024-09-30',
      initial_category: 'NEG',
      latest_category: 'EMO',
    });
    const [referral] = await warehouse.query('SELECT closure_date FROM referrals');
    expect(referral!['closure_date']).toBe('2024-12-01');
  });

  it('never lets an older census overwrite a newer one, whatever order they are loaded in', async () => {
    await load(write('CIN_2025.xml', year2025));
    await load(write('CIN_2024.xml', year2024));
    const [plan] = await warehouse.query('SELECT end_date, latest_category FROM cp_plans');
    expect(plan).toEqual({ end_date: '2024-09-30', latest_category: 'EMO' });
    expect((await tableCounts(warehouse))['cp_plans']).toBe(1);
  });

  it('applies a corrected file for the same year over the first one', async () => {
    await load(write('CIN_2025.xml', year2025));
    const corrected = year2025
      .replace('<LatestCategoryOfAbuse>EMO', '<LatestCategoryOfAbuse>PHY')
      .replace('2024-09-30', '2024-10-15');
    const [result] = await load(write('CIN_2025_corrected.xml', corrected));
    expect(result!.status).toBe('loaded');
    const [plan] = await warehouse.query('SELECT end_date, latest_category FROM cp_plans');
    expect(plan).toEqual({ end_date: '2024-10-15', latest_category: 'PHY' });
    expect((await tableCounts(warehouse))['cp_plans']).toBe(1);
  });

  it('skips a file loaded before (same content, any name) and changes nothing', async () => {
    await load(write('CIN_2025.xml', year2025));
    const before = await warehouseFingerprint(warehouse);
    const [again] = await load(write('copy-of-CIN_2025.xml', year2025));
    expect(again!.status).toBe('skipped');
    expect(again!.message).toMatch(/^already loaded as load 1 at /);
    expect(await warehouseFingerprint(warehouse)).toBe(before);
  });

  it('links CSV records of the same child to the census episode by date', async () => {
    await load(write('CIN_2025.xml', year2025));
    const csvDir = join(dir, 'csv');
    writeCanonicalCsv(csvDir, {
      'assessments.csv': [
        {
          assessment_id: 'AS1',
          referral_id: 'R-other-system',
          child_id: 'K1',
          start_date: '2023-11-05',
          authorisation_date: '2023-12-01',
          factors: '16A;2B',
        },
      ],
    });
    await load(csvDir);
    const [assessment] = await warehouse.query(
      'SELECT a.factors, r.referral_date FROM assessments a JOIN referrals r USING (referral_key)',
    );
    expect(assessment).toEqual({ factors: ['16A', '2B'], referral_date: '2023-11-01' });
  });
  it('links a record to the referral its id names, once, when a child has two referrals under that id', async () => {
    // Child C1 has two referrals carrying the id R1: 2024-01-01 from an extract dated 2025-01-01 and
    // 2024-06-01 from one dated 2026-01-01. DATA.md: a record takes "the same child's referral
    // carrying that extract id", and the later extract is the one that counts. Assessment A1 (a first
    // load of assessments: an empty table) and A2 (a later one: merged into a table holding A1)
    // each name R1, so each is one row, linked to the 2024-06-01 referral: 2 rows, not 4.
    const referral = (date: string) => ({ referral_id: 'R1', child_id: 'C1', referral_date: date, source: '10' });
    const assessment = (id: string, start: string) => ({
      assessment_id: id,
      referral_id: 'R1',
      child_id: 'C1',
      start_date: start,
      authorisation_date: start,
      factors: '16A',
    });
    const loadCsv = async (name: string, tables: Parameters<typeof writeCanonicalCsv>[1], referenceDate: string) => {
      writeCanonicalCsv(join(dir, name), tables);
      const [result] = await loadFiles(warehouse, [join(dir, name)], { loadedBy: 'test', referenceDate });
      expect(result?.status).toBe('loaded');
    };
    await loadCsv('first', { 'referrals.csv': [referral('2024-01-01')] }, '2025-01-01');
    await loadCsv('later', { 'referrals.csv': [referral('2024-06-01')] }, '2026-01-01');
    await loadCsv('a1', { 'assessments.csv': [assessment('A1', '2024-06-05')] }, '2026-01-01');
    await loadCsv('a2', { 'assessments.csv': [assessment('A2', '2024-07-01')] }, '2026-01-01');
    expect(
      await warehouse.query(
        `SELECT a.source_id, r.referral_date FROM assessments a JOIN referrals r USING (referral_key) ORDER BY 1`,
      ),
    ).toEqual([
      { source_id: 'A1', referral_date: '2024-06-01' },
      { source_id: 'A2', referral_date: '2024-06-01' },
    ]);
    expect(await tableCounts(warehouse)).toMatchObject({ referrals: 2, assessments: 2 });
  });
});

describe('a load that fails half-way', () => {
  it('leaves the warehouse exactly as it was: a census truncated after its first child', async () => {
    await load(write('CIN_2024.xml', year2024));
    const before = await warehouseFingerprint(warehouse);
    const twoChildren = censusXml('2025-03-31', [
      {
        id: 'K2',
        birth: '2018-01-01',
        episodes: [{ referralDate: '2024-06-01', cpPlans: [{ start: '2024-07-01', initial: 'NEG', latest: 'NEG' }] }],
      },
      { id: 'K3', birth: '2017-01-01', episodes: [{ referralDate: '2024-06-02' }] },
    ]);
    // Cut inside the second child: the first child has been read and staged by then.
    const truncated = twoChildren.slice(0, twoChildren.indexOf('<LAchildID>K3') + 20);
    const [result] = await load(write('CIN_2025_truncated.xml', truncated));
    expect(result!.status).toBe('failed');
    expect(result!.message).toMatch(
      /^CIN_2025_truncated\.xml: line \d+, column \d+, field LAchildID: is not well-formed XML/,
    );
    expect(await warehouseFingerprint(warehouse)).toBe(before);
    const loads = await warehouse.query("SELECT file, status, message FROM loads WHERE status = 'failed'");
    expect(loads).toHaveLength(1); // the failure itself is recorded for the data-quality page
  });
});
