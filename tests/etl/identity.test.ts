import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { loadFiles } from '../../etl/load/loadFiles.ts';
import { Warehouse } from '../../sql/warehouse.ts';
import { tempDir, writeCanonicalCsv } from '../support/fixtureWarehouse.ts';
import { censusXml } from './cinCensusXml.fixture.ts';

/**
 * DATA.md: "Keep the LA child id only in an identity table". The table has no index (a first load
 * of a million children would pay more for it than for the rest of its file), so the loader alone
 * keeps each id and each key to one row: it registers only ids it has not seen, in id order.
 */
describe('child identity', () => {
  const dir = tempDir('identity');
  let warehouse: Warehouse;
  afterAll(() => warehouse?.close());
  const identities = () =>
    warehouse.query<{ la_child_id: string; child_key: number }>(
      'SELECT la_child_id, child_key FROM child_identity ORDER BY child_key',
    );

  it('gives every LA child id one key, across files and loads, and never reissues one', async () => {
    warehouse = await Warehouse.open(join(dir, 'lscb.duckdb'));
    // Load 1: children C2, C1 (keys in id order: C1 → 1, C2 → 2); their referrals name C1 again.
    writeCanonicalCsv(join(dir, 'one'), {
      'children.csv': [
        { child_id: 'C2', sex: 'F' },
        { child_id: 'C1', sex: 'M' },
      ],
      'referrals.csv': [
        { referral_id: 'R1', child_id: 'C1', referral_date: '2024-01-01' },
        { referral_id: 'R3', child_id: 'C3', referral_date: '2024-02-01' },
      ],
    });
    await loadFiles(warehouse, [join(dir, 'one')], { loadedBy: 'test', referenceDate: '2024-03-31' });
    // children.csv loads first (model order) and registers C1, C2. referrals.csv, written before
    // registration into an empty table, finds C3 unkeyed: its rows go, C3 gets 3, and they are written again.
    const first = await identities();
    expect(first).toEqual([
      { la_child_id: 'C1', child_key: 1 },
      { la_child_id: 'C2', child_key: 2 },
      { la_child_id: 'C3', child_key: 3 },
    ]);

    // Load 2: C1 and C3 again, C0 new (sorts first, but keys continue from the largest: 4).
    writeCanonicalCsv(join(dir, 'two'), {
      'children.csv': [
        { child_id: 'C3', sex: 'F' },
        { child_id: 'C0', sex: 'M' },
        { child_id: 'C1', sex: 'M' },
      ],
    });
    await loadFiles(warehouse, [join(dir, 'two')], { loadedBy: 'test', referenceDate: '2024-06-30' });
    const second = await identities();
    expect(second).toEqual([...first, { la_child_id: 'C0', child_key: 4 }]);

    // Load 3: one census file names C1 (known) and C9 (new), each in several of its tables, all
    // checked before its transaction. The children table registers C9 → 5; C9's referral and
    // assessment get that key, and C9 is not registered again by them. C1's referral keeps key 1.
    const census = join(dir, 'CIN_2024.xml');
    writeFileSync(
      census,
      censusXml('2024-03-31', [
        { id: 'C1', birth: '2015-01-01', episodes: [{ referralDate: '2024-02-10' }] },
        {
          id: 'C9',
          birth: '2016-01-01',
          episodes: [
            {
              referralDate: '2024-02-15',
              assessments: [{ start: '2024-02-16', authorised: '2024-02-20', factors: ['16A'] }],
            },
          ],
        },
      ]),
    );
    const [censusLoad] = await loadFiles(warehouse, [census], { loadedBy: 'test', confirmLa: true });
    expect(censusLoad?.status).toBe('loaded');
    const third = await identities();
    expect(third).toEqual([...second, { la_child_id: 'C9', child_key: 5 }]);
    const records = await warehouse.query<{ child_key: number; referral_date: string; assessments: number }>(
      `SELECT r.child_key, r.referral_date, count(a.assessment_key)::INTEGER AS assessments
       FROM referrals r LEFT JOIN assessments a USING (referral_key)
       WHERE r.referral_date >= DATE '2024-02-10' GROUP BY ALL ORDER BY r.referral_date`,
    );
    expect(records).toEqual([
      { child_key: 1, referral_date: '2024-02-10', assessments: 0 },
      { child_key: 5, referral_date: '2024-02-15', assessments: 1 },
    ]);

    // Load 4, no children file: referrals and assessments into tables that already hold rows (the
    // merge path, which registers first). C8 is new and gets key 6; C1's R1 is sent again and
    // replaces its row, keeping key 1. C8's assessment (a later file of the load) finds C8
    // registered and its referral by id.
    writeCanonicalCsv(join(dir, 'four'), {
      'referrals.csv': [
        { referral_id: 'R1', child_id: 'C1', referral_date: '2024-01-01' },
        { referral_id: 'R8', child_id: 'C8', referral_date: '2024-05-01' },
      ],
      'assessments.csv': [{ assessment_id: 'A8', child_id: 'C8', referral_id: 'R8', start_date: '2024-05-02' }],
    });
    await loadFiles(warehouse, [join(dir, 'four')], { loadedBy: 'test', referenceDate: '2024-09-30' });
    const fourth = await identities();
    expect(fourth).toEqual([...third, { la_child_id: 'C8', child_key: 6 }]);
    const merged = await warehouse.query<{ child_key: number; source_id: string; assessments: number }>(
      `SELECT r.child_key, r.source_id, count(a.assessment_key)::INTEGER AS assessments
       FROM referrals r LEFT JOIN assessments a USING (referral_key)
       WHERE r.source_id IN ('R1', 'R8') GROUP BY ALL ORDER BY r.source_id`,
    );
    expect(merged).toEqual([
      { child_key: 1, source_id: 'R1', assessments: 0 },
      { child_key: 6, source_id: 'R8', assessments: 1 },
    ]);
    const [unkeyed] = await warehouse.query<{ rows: number }>(
      `SELECT count(*)::INTEGER AS rows FROM (
         SELECT child_key FROM referrals UNION ALL SELECT child_key FROM assessments) WHERE child_key < 1`,
    );
    expect(unkeyed?.rows).toBe(0);

    const [unique] = await warehouse.query<{ rows: number; ids: number; keys: number }>(
      'SELECT count(*)::INTEGER AS rows, count(DISTINCT la_child_id)::INTEGER AS ids, count(DISTINCT child_key)::INTEGER AS keys FROM child_identity',
    );
    expect(unique).toEqual({ rows: 6, ids: 6, keys: 6 });
  });
});
