import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadFiles } from '../../etl/load/loadFiles.ts';
import { derivedTables, derivedTablesCurrent, ensureDerivedTables } from '../../sql/derived.ts';
import { Warehouse } from '../../sql/warehouse.ts';
import { smallDemoWarehouse } from '../support/demoWarehouse.ts';
import { tempDir, writeCanonicalCsv } from '../support/fixtureWarehouse.ts';

/**
 * The derived tables (sql/derived.sql, issue 17) are the metrics' history facts built once per load.
 * Held here to a from-scratch computation of the same SELECT on the demo LA, row for row, and kept
 * current: a new load rebuilds them, and a warehouse whose tables are stale or missing is rebuilt
 * when opened for writing.
 */
let demo: { warehouse: Warehouse; dbPath: string; dir: string } | undefined;
beforeAll(async () => {
  demo = await smallDemoWarehouse(3000);
}, 300_000);
afterAll(() => demo?.warehouse.close());

async function differences(warehouse: Warehouse): Promise<Record<string, number>> {
  const out: Record<string, number> = {};
  for (const derived of derivedTables()) {
    const [row] = await warehouse.query<{ stored_only: number; fresh_only: number; rows: number }>(
      `SELECT (SELECT count(*) FROM (SELECT * FROM ${derived.table} EXCEPT ALL SELECT * FROM (${derived.sql})))::INTEGER AS stored_only,
              (SELECT count(*) FROM (SELECT * FROM (${derived.sql}) EXCEPT ALL SELECT * FROM ${derived.table}))::INTEGER AS fresh_only,
              (SELECT count(*) FROM ${derived.table})::INTEGER AS rows`,
    );
    out[derived.name] = row!.stored_only + row!.fresh_only;
    expect(row!.rows, `${derived.table} holds rows on the demo`).toBeGreaterThan(0);
  }
  return out;
}

describe('derived tables', { timeout: 300_000 }, () => {
  it('equal a from-scratch computation on the demo LA, every table, row for row', async () => {
    expect(derivedTables().map((d) => d.name)).toEqual([
      'cp_plan_history',
      'referral_history',
      'eh_history',
      'stop_start_reopenings',
      'referral_neglect',
    ]);
    expect(await differences(demo!.warehouse)).toEqual({
      cp_plan_history: 0,
      referral_history: 0,
      eh_history: 0,
      stop_start_reopenings: 0,
      referral_neglect: 0,
    });
    expect(await demo!.warehouse.withConnection((c) => derivedTablesCurrent(c))).toBe(true);
  });

  it('the one-pass reopenings equal the spells of METRICS.md §5 built and numbered one by one', async () => {
    // The definition's own words as SQL: episodes merge into spells where they overlap or touch
    // (next start <= reach so far + 1), each spell numbered, its start the least start and its end
    // the greatest end; a reopening is a spell starting within 365 days after the previous ended.
    const spells = `
      WITH episodes AS (
        SELECT child_key, start_date, coalesce(end_date, DATE '9999-01-01') AS end_date FROM early_help
        UNION ALL
        SELECT child_key, referral_date, coalesce(closure_date, DATE '9999-01-01') FROM referrals WHERE nfa IS NOT TRUE
      ),
      running AS (
        SELECT *, max(end_date) OVER (PARTITION BY child_key ORDER BY start_date, end_date
                                      ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING) AS reach_before
        FROM episodes
      ),
      numbered AS (
        SELECT *, sum(CASE WHEN reach_before IS NULL OR start_date > reach_before + 1 THEN 1 ELSE 0 END)
                    OVER (PARTITION BY child_key ORDER BY start_date, end_date ROWS UNBOUNDED PRECEDING) AS spell
        FROM running
      ),
      spells AS (
        SELECT child_key, spell, min(start_date) AS spell_start, max(end_date) AS spell_end FROM numbered GROUP BY ALL
      )
      SELECT child_key, spell_start
      FROM (SELECT *, lag(spell_end) OVER (PARTITION BY child_key ORDER BY spell) AS previous_end FROM spells)
      WHERE spell_start - previous_end <= 365`;
    const [row] = await demo!.warehouse.query<{ differ: number; reopenings: number }>(
      `SELECT ((SELECT count(*) FROM (SELECT * FROM derived_stop_start_reopenings EXCEPT ALL (${spells})))
               + (SELECT count(*) FROM ((${spells}) EXCEPT ALL SELECT * FROM derived_stop_start_reopenings)))::INTEGER AS differ,
              (SELECT count(*) FROM derived_stop_start_reopenings)::INTEGER AS reopenings`,
    );
    expect(row!.reopenings, 'the demo has reopenings to compare').toBeGreaterThan(100);
    expect(row!.differ).toBe(0);
  });

  it('a table built by another definition of its SELECT is built again whole', async () => {
    const w = demo!.warehouse;
    await w.query(`UPDATE derived_state SET definition = 'an older definition' WHERE name = 'eh_history'`);
    await w.query(`INSERT INTO derived_eh_history SELECT * FROM derived_eh_history LIMIT 1`);
    expect(await w.withConnection((c) => derivedTablesCurrent(c))).toBe(false);
    await w.withConnection((c) => ensureDerivedTables(c));
    expect(await w.withConnection((c) => derivedTablesCurrent(c))).toBe(true);
    // The repeated row is gone: the table was replaced, not topped up.
    expect((await differences(w))['eh_history']).toBe(0);
  });

  it('a later load rebuilds them: a new referral of an existing child gets its previous referral', async () => {
    const w = demo!.warehouse;
    const [child] = await w.query<{ la_child_id: string; referral_date: string; referral_key: number }>(
      `SELECT i.la_child_id, h.referral_date::VARCHAR AS referral_date, h.referral_key
       FROM derived_referral_history h JOIN child_identity i USING (child_key)
       WHERE h.referral_date < DATE '2026-01-01'
       ORDER BY h.referral_date DESC, h.referral_key LIMIT 1`,
    );
    const builtAfter = async () =>
      Object.fromEntries(
        (await w.query<{ name: string; n: number }>('SELECT name, built_after_load AS n FROM derived_state')).map(
          (r) => [r.name, r.n],
        ),
      );
    const before = await builtAfter();
    const dir = tempDir('derived-later');
    writeCanonicalCsv(dir, {
      'referrals.csv': [
        { referral_id: 'LATER-1', child_id: child!.la_child_id, referral_date: '2026-03-20', nfa: 'false' },
      ],
    });
    const [result] = await loadFiles(w, [dir], { loadedBy: 'test', referenceDate: '2026-03-31' });
    expect(result?.status).toBe('loaded');
    const [later] = await w.query<{ previous_referral_date: string }>(
      `SELECT h.previous_referral_date::VARCHAR AS previous_referral_date
       FROM derived_referral_history h JOIN referrals r USING (referral_key) WHERE r.source_id = 'LATER-1'`,
    );
    expect(later?.previous_referral_date).not.toBeNull();
    // Only the tables that read referrals were built again; the plan and early help histories stand.
    const after = await builtAfter();
    expect(after['referral_history']).toBeGreaterThan(before['referral_history']!);
    expect(after['stop_start_reopenings']).toBeGreaterThan(before['stop_start_reopenings']!);
    expect(after['cp_plan_history']).toBe(before['cp_plan_history']);
    expect(after['eh_history']).toBe(before['eh_history']);
    expect(await differences(w)).toEqual({
      cp_plan_history: 0,
      referral_history: 0,
      eh_history: 0,
      stop_start_reopenings: 0,
      referral_neglect: 0,
    });
  });

  it('a warehouse whose derived tables are missing is rebuilt when opened for writing', async () => {
    const dir = tempDir('derived-missing');
    const path = join(dir, 'lscb.duckdb');
    const first = await Warehouse.open(path);
    writeCanonicalCsv(dir, {
      'children.csv': [{ child_id: 'A', birth_date: '2015-01-01', sex: 'F', ethnicity: 'WBRI' }],
      'referrals.csv': [
        { referral_id: 'R1', child_id: 'A', referral_date: '2025-05-01', nfa: 'false' },
        { referral_id: 'R2', child_id: 'A', referral_date: '2025-09-01', nfa: 'false' },
      ],
    });
    await loadFiles(first, [dir], { loadedBy: 'test', referenceDate: '2026-03-31' });
    await first.query('DROP TABLE derived_referral_history');
    expect(await first.withConnection((c) => derivedTablesCurrent(c))).toBe(false);
    first.close();
    const again = await Warehouse.open(path);
    try {
      // R2's previous referral is R1, on 2025-05-01.
      expect(
        await again.query(
          `SELECT referral_date::VARCHAR AS referral_date, previous_referral_date::VARCHAR AS previous
           FROM derived_referral_history ORDER BY referral_date`,
        ),
      ).toEqual([
        { referral_date: '2025-05-01', previous: null },
        { referral_date: '2025-09-01', previous: '2025-05-01' },
      ]);
    } finally {
      again.close();
    }
  });
});
