import type { DuckDBConnection } from '@duckdb/node-api';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadFiles } from '../../etl/load/loadFiles.ts';
import { calendar, type Period } from '../../metrics/calendar.ts';
import { computeMetricsPack } from '../../metrics/figures.ts';
import { dataFingerprint, recordTables } from '../../metrics/fingerprints.ts';
import { keepingPeriodResults } from '../../metrics/periodResults.ts';
import { MetricsRegistry, metricsRegistry } from '../../metrics/registry.ts';
import { warehouseLa } from '../../sql/reference.ts';
import { derivedTables, rebuildDerivedTables } from '../../sql/derived.ts';
import { Warehouse } from '../../sql/warehouse.ts';
import { smallDemoWarehouse } from '../support/demoWarehouse.ts';
import { tempDir, writeCanonicalCsv } from '../support/fixtureWarehouse.ts';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';

/**
 * Per-quarter facts (issue 17, metrics/periodResults.ts): each metric query's rows are kept per
 * period once computed, and read back instead of recomputed. That is sound only if a period's rows
 * depend on that period and the data alone, so this holds it for every query over periods on the
 * demo LA, and then holds the kept rows equal to the rows computed from the records.
 */
let demo: { warehouse: Warehouse; dbPath: string; dir: string } | undefined;
beforeAll(async () => {
  demo = await smallDemoWarehouse(3000);
}, 300_000);
afterAll(() => demo?.warehouse.close());

const registry = metricsRegistry();
// The demo's reference date is 2026-03-31: eight quarters, a reporting year and a year to date,
// two of them ending on the same day as a quarter (so rows of different periods share an end).
const periods: Period[] = [
  ...calendar('quarter', '2024-04-01', '2026-03-31'),
  { from: '2025-04-01', to: '2026-03-31' },
  { from: '2025-04-01', to: '2025-12-31' },
];
/**
 * Queries over periods whose rows name their period: every figure of a pack, trend and scorecard.
 * (A case list reads a period too, but its rows are children, not a period's: nothing of it is kept.)
 */
let periodQueries: string[] = [];
beforeAll(async () => {
  periodQueries = [];
  await demo!.warehouse.withConnection(async (c) => {
    for (const name of registry.names()) {
      const query = registry.get(name);
      if (!query.usesPeriods || query.params.length > 0) continue;
      const described = await c.runAndReadAll(`DESCRIBE ${registry.expand(name, { periods }).replace(/;$/, '')}`);
      const columns = described.getRowObjectsJson().map((row) => row['column_name']);
      if (columns.includes('period_from') && columns.includes('period_to')) periodQueries.push(name);
    }
  });
});

type Rows = Record<string, unknown>[];
/** Rows grouped by their period, each period's as a sorted list (rows of one period may tie). */
function byPeriod(rows: Rows): Record<string, string[]> {
  const grouped: Record<string, string[]> = {};
  for (const row of rows) (grouped[`${row['period_from']}/${row['period_to']}`] ??= []).push(JSON.stringify(row));
  for (const list of Object.values(grouped)) list.sort();
  return grouped;
}

const fromRecords = (c: DuckDBConnection, name: string, over: Period[]) => registry.run(c, name, { periods: over });

describe('per-quarter facts', { timeout: 300_000 }, () => {
  it('every query over periods gives a period the same rows whichever periods it is asked with', async () => {
    expect(periodQueries.length).toBeGreaterThan(25);
    await demo!.warehouse.withConnection(async (c) => {
      for (const name of periodQueries) {
        const together = byPeriod(await fromRecords(c, name, periods));
        const apart: Record<string, string[]> = {};
        for (const period of periods) Object.assign(apart, byPeriod(await fromRecords(c, name, [period])));
        expect(together, name).toEqual(apart);
      }
    });
  });

  it('keeps nothing of a query whose rows do not name their period (a case list)', async () => {
    const w = demo!.warehouse;
    const rows = await keepingPeriodResults(w, () =>
      w.withConnection((c) => registry.run(c, 'cases_cp_open', { periods: [periods[7]!] })),
    );
    expect(rows.length).toBeGreaterThan(0);
    const [kept] = await w.query<{ n: number }>(
      `SELECT count(*)::INTEGER AS n FROM period_results WHERE query = 'cases_cp_open'`,
    );
    expect(kept!.n).toBe(0);
  });

  it('kept rows read back equal to the rows computed from the records, some periods kept and some not', async () => {
    const w = demo!.warehouse;
    await w.query('DELETE FROM period_results');
    const kept = await keepingPeriodResults(w, () =>
      w.withConnection(async (c) => {
        const out: Record<string, Rows> = {};
        for (const name of periodQueries) {
          await registry.run(c, name, { periods: periods.slice(0, 3) });
          out[name] = await registry.run(c, name, { periods });
        }
        return out;
      }),
    );
    await w.withConnection(async (c) => {
      for (const name of periodQueries)
        expect(byPeriod(kept[name]!), name).toEqual(byPeriod(await fromRecords(c, name, periods)));
    });
    // Every query names its periods, so each period of each query is kept once.
    const [stored] = await w.query<{ n: number; queries: number }>(
      'SELECT count(*)::INTEGER AS n, count(DISTINCT query)::INTEGER AS queries FROM period_results',
    );
    expect(stored).toEqual({ n: periodQueries.length * periods.length, queries: periodQueries.length });
  });

  it('a period another writer kept meanwhile is replaced, not doubled, when the scope writes its own', async () => {
    const w = demo!.warehouse;
    await w.query('DELETE FROM period_results');
    const [quarter, other] = [periods[7]!, periods[6]!];
    const fingerprint = await dataFingerprint(w);
    const rows = await keepingPeriodResults(w, () =>
      w.withConnection(async (c) => {
        // The scope reads the kept rows (none), then another request keeps this quarter's cp_open.
        await registry.run(c, 'cp_open', { periods: [other] });
        await w.query(
          `INSERT INTO period_results VALUES ('cp_open', 'null', $from, $to, $fingerprint, '[{"cp_open":-3}]')`,
          { from: quarter.from, to: quarter.to, fingerprint },
        );
        return registry.run(c, 'cp_open', { periods: [quarter] });
      }),
    );
    const stored = await w.query<{ rows: string }>(
      `SELECT rows FROM period_results WHERE query = 'cp_open' AND period_from = $from AND period_to = $to`,
      { from: quarter.from, to: quarter.to },
    );
    expect(stored).toEqual([{ rows: JSON.stringify(rows) }]);
    expect(rows[0]!['cp_open']).not.toBe(-3);
  });

  it('a kept period is read, not computed: a marked row comes back, and only the missing period is computed', async () => {
    const w = demo!.warehouse;
    const quarter = periods[7]!;
    await keepingPeriodResults(w, () => computeMetricsPack(w, quarter));
    await w.query(
      `UPDATE period_results SET rows = '[{"period_from":"${quarter.from}","period_to":"${quarter.to}","cp_open":-1}]'
       WHERE query = 'cp_open' AND period_from = '${quarter.from}'`,
    );
    const pack = await computeMetricsPack(w, quarter);
    expect(pack.prevalence['cp_open']).toBe(-1);
    const [earlier] = await w.query<{ n: number }>(
      `SELECT count(*)::INTEGER AS n FROM period_results WHERE query = 'cp_open' AND period_from = '2023-10-01'`,
    );
    expect(earlier!.n).toBe(0);
    await computeMetricsPack(w, calendar('quarter', '2023-12-31', '2023-12-31')[0]!);
    const [after] = await w.query<{ n: number }>(
      `SELECT count(*)::INTEGER AS n FROM period_results WHERE query = 'cp_open' AND period_from = '2023-10-01'`,
    );
    expect(after!.n).toBe(1);
  });

  it('a later load makes every kept row stale: the figures are the records’ again, the old rows gone', async () => {
    const w = demo!.warehouse;
    const quarter = periods[7]!;
    const before = await dataFingerprint(w);
    const [child] = await w.query<{ la_child_id: string }>(
      `SELECT i.la_child_id FROM child_identity i
       WHERE i.child_key NOT IN (SELECT child_key FROM cp_plans) ORDER BY i.la_child_id LIMIT 1`,
    );
    // One more child on a CP plan open at the quarter's end (no end date).
    const dir = tempDir('period-results-later');
    writeCanonicalCsv(dir, {
      'cp_plans.csv': [
        { plan_id: 'LATER-CP', child_id: child!.la_child_id, start_date: '2026-02-02', initial_category: 'NEG' },
      ],
    });
    const [result] = await loadFiles(w, [dir], { loadedBy: 'test', referenceDate: '2026-03-31' });
    expect(result?.status).toBe('loaded');
    expect(await dataFingerprint(w)).not.toBe(before);
    const pack = await computeMetricsPack(w, quarter);
    const computed = await w.withConnection((c) => registry.runOne(c, 'cp_open', { periods: [quarter] }));
    expect(pack.prevalence['cp_open']).toBe(computed['cp_open']);
    expect(pack.prevalence['cp_open']).toBeGreaterThan(0);
    const [left] = await w.query<{ stale: number }>(
      'SELECT count(*) FILTER (WHERE fingerprint <> $f)::INTEGER AS stale FROM period_results',
      { f: await dataFingerprint(w) },
    );
    expect(left!.stale).toBe(0);
  });

  it('rows written outside a load change the fingerprint too', async () => {
    const w = demo!.warehouse;
    const before = await dataFingerprint(w);
    await w.query(`INSERT INTO bank_holidays VALUES (DATE '2099-12-25', 'a test holiday')`);
    expect(await dataFingerprint(w)).not.toBe(before);
    await w.query(`DELETE FROM bank_holidays WHERE date = DATE '2099-12-25'`);
  });

  it('a rebuild of the derived tables changes the fingerprint: rows computed before it are never read after', async () => {
    // A load commits its records, then rebuilds the derived tables from them: a figure computed in
    // between reads new records beside old histories, and must not be kept past the rebuild.
    const w = demo!.warehouse;
    const before = await dataFingerprint(w);
    await w.withConnection((c) => rebuildDerivedTables(c, derivedTables().slice(0, 1)));
    expect(await dataFingerprint(w)).not.toBe(before);
  });

  it('a census load’s flags, written after its records commit, change the fingerprint too', async () => {
    // The board pack's data-quality note counts flags; a pack computed between a census's commit and
    // its flags' must not be kept past them. Listing a load as flagged is what its flags' commit does.
    const w = demo!.warehouse;
    const before = await dataFingerprint(w);
    await w.query(`INSERT INTO flagged_loads VALUES (9999, TIMESTAMP '2026-12-01 00:00:00')`);
    expect(await dataFingerprint(w)).not.toBe(before);
    await w.query(`DELETE FROM flagged_loads WHERE load_id = 9999`);
    expect(await dataFingerprint(w)).toBe(before);
  });

  /** The queries whose rows are kept whole, by their params (`-- kept: by params`). */
  const keptByParams = () => registry.names().filter((name) => registry.get(name).keptByParams);
  // A short series of hand-made points: the SPC query reads nothing but its params.
  const spcParams = {
    series: JSON.stringify(['2025-06-30', '2025-09-30', '2025-12-31'].map((period_to, i) => ({ period_to, value: i }))),
    recalculate_from: '[]',
    improvement: 'neither',
  };

  it('a query kept by its params is kept whole: equal to a run, then read back rather than run again', async () => {
    const w = demo!.warehouse;
    await w.query('DELETE FROM period_results');
    const la = await w.withConnection((c) => warehouseLa(c));
    const benchmarkParams = { year: 2025, la: la.la_code, comparator: la.benchmark_la_code ?? la.la_code };
    const run = (c: DuckDBConnection) =>
      Promise.all([
        registry.run(c, 'benchmarks', { params: benchmarkParams }),
        registry.run(c, 'spc_xmr', { params: spcParams }),
      ]);
    const fromRun = await w.withConnection(run);
    expect(fromRun[0].length).toBe(13);
    expect(fromRun[1].length).toBe(3);
    expect(await keepingPeriodResults(w, () => w.withConnection(run))).toEqual(fromRun);
    const stored = await w.query<{ query: string; period_from: string; period_to: string }>(
      'SELECT query, period_from, period_to FROM period_results ORDER BY query',
    );
    expect(stored).toEqual([
      { query: 'benchmarks', period_from: '', period_to: '' },
      { query: 'spc_xmr', period_from: '', period_to: '' },
    ]);
    await w.query(`UPDATE period_results SET rows = '[{"marked":1}]' WHERE query = 'spc_xmr'`);
    const [, kept] = await keepingPeriodResults(w, () => w.withConnection(run));
    expect(kept).toEqual([{ marked: 1 }]);
    // Outside a keeping scope, and with other params, the query runs.
    expect((await w.withConnection(run))[1]).toEqual(fromRun[1]);
    const otherSeries = { ...spcParams, improvement: 'up' };
    const other = await keepingPeriodResults(w, () =>
      w.withConnection((c) => registry.run(c, 'spc_xmr', { params: otherSeries })),
    );
    expect(other.length).toBe(3);
  });

  it('a query with params and no periods is not kept unless its SQL says so', async () => {
    const w = demo!.warehouse;
    await w.query('DELETE FROM period_results');
    expect(registry.get('quality_loads').keptByParams).toBe(false);
    const rows = await keepingPeriodResults(w, () =>
      w.withConnection((c) => registry.run(c, 'quality_loads', { params: { limit: 10 } })),
    );
    expect(rows.length).toBeGreaterThan(0);
    const [stored] = await w.query<{ n: number }>('SELECT count(*)::INTEGER AS n FROM period_results');
    expect(stored!.n).toBe(0);
  });

  it('a query kept by its params reads only tables the data fingerprint covers', async () => {
    // Kept under the data's fingerprint (records, loads, settings, metric code, bundled reference
    // files): a table outside it (notes of practice, indicators, users) would leave stale rows.
    const covered = (table: string) =>
      recordTables.includes(table) ||
      derivedTables().some((d) => d.name === table) ||
      table.startsWith('ref_') ||
      table === 'settings' ||
      table === 'loads';
    const names = keptByParams();
    expect(names).toEqual(
      expect.arrayContaining(['benchmarks', 'benchmark_years', 'benchmark_comparator', 'repeat_funnel', 'spc_xmr']),
    );
    await demo!.warehouse.withConnection(async (c) => {
      for (const name of names) {
        // A literal, not a parameter: json_serialize_sql parses its argument at bind time.
        const sql = registry.get(name).sql.replace(/;\s*$/, '').replaceAll("'", "''");
        const reader = await c.runAndReadAll(`SELECT json_serialize_sql('${sql}')::VARCHAR AS tree`);
        const tree = JSON.parse(String(reader.getRowObjectsJson()[0]!['tree'])) as unknown;
        expect((tree as { error: boolean }).error, name).toBe(false);
        const { tables, ctes } = tablesIn(tree);
        const read = [...tables].filter((t) => !ctes.has(t));
        if (name !== 'spc_xmr') expect(read.length, name).toBeGreaterThan(0);
        expect(
          read.filter((t) => !covered(t)),
          name,
        ).toEqual([]);
      }
    });
  });

  it('what describing a family finds is kept too, and a fresh registry reads it rather than describing again', async () => {
    const w = demo!.warehouse;
    await w.query('DELETE FROM period_results');
    const described = await keepingPeriodResults(w, () =>
      w.withConnection((c) => new MetricsRegistry().figureSourcesOn(c, ['prevalence'])),
    );
    expect(described.get('prevalence.cp_open')).toEqual({ query: 'cp_open' });
    const [kept] = await w.query<{ rows: string }>(
      `SELECT rows FROM period_results WHERE query = 'registry:figure_sources' AND params = '{"family":"prevalence"}'`,
    );
    expect(JSON.parse(kept!.rows)).toContainEqual({ figure: 'prevalence.cp_open', query: 'cp_open' });
    await w.query(
      `UPDATE period_results SET rows = '[{"figure":"prevalence.cp_open","query":"marked"}]'
       WHERE query = 'registry:figure_sources'`,
    );
    const read = await keepingPeriodResults(w, () =>
      w.withConnection((c) => new MetricsRegistry().figureSourcesOn(c, ['prevalence'])),
    );
    expect([...read]).toEqual([['prevalence.cp_open', { query: 'marked' }]]);
    // Outside a keeping scope the queries are described.
    const fresh = await w.withConnection((c) => new MetricsRegistry().figureSourcesOn(c, ['prevalence']));
    expect(fresh.get('prevalence.cp_open')).toEqual({ query: 'cp_open' });
    await w.query('DELETE FROM period_results');
  });

  it('a query that reads periods cannot be marked kept by params', () => {
    const dir = tempDir('kept-by-params');
    writeFileSync(
      join(dir, 'family.sql'),
      '-- query: by_period\n-- shape: row\n-- kept: by params\nSELECT period_from, period_to FROM periods\n',
    );
    expect(() => new MetricsRegistry(dir)).toThrow(/reads periods, so it is kept per period, not by params/);
  });

  it('a read-only warehouse reads kept rows and writes none', async () => {
    const quarter = periods[6]!;
    await computeMetricsPack(demo!.warehouse, quarter);
    await demo!.warehouse.query(
      `UPDATE period_results SET rows = '[{"period_from":"${quarter.from}","period_to":"${quarter.to}","cp_open":-2}]'
       WHERE query = 'cp_open' AND period_from = '${quarter.from}'`,
    );
    demo!.warehouse.close();
    const readOnly = await Warehouse.open(demo!.dbPath, { readOnly: true });
    try {
      const [count] = await readOnly.query<{ n: number }>('SELECT count(*)::INTEGER AS n FROM period_results');
      expect((await computeMetricsPack(readOnly, quarter)).prevalence['cp_open']).toBe(-2);
      // A quarter no one has computed is computed, and not kept.
      const earlier = calendar('quarter', '2022-03-31', '2022-03-31')[0]!;
      const pack = await computeMetricsPack(readOnly, earlier);
      const computed = await readOnly.withConnection((c) => registry.runOne(c, 'cp_open', { periods: [earlier] }));
      expect(pack.prevalence['cp_open']).toBe(computed['cp_open']);
      const [after] = await readOnly.query<{ n: number }>('SELECT count(*)::INTEGER AS n FROM period_results');
      expect(after!.n).toBe(count!.n);
    } finally {
      readOnly.close();
      demo!.warehouse = await Warehouse.open(demo!.dbPath);
    }
  });
});

/** The base tables a serialized statement (json_serialize_sql) names, and the names of its CTEs. */
function tablesIn(tree: unknown): { tables: Set<string>; ctes: Set<string> } {
  const tables = new Set<string>();
  const ctes = new Set<string>();
  const visit = (node: unknown): void => {
    if (Array.isArray(node)) return node.forEach(visit);
    if (node === null || typeof node !== 'object') return;
    const record = node as Record<string, unknown>;
    if (record['type'] === 'BASE_TABLE' && typeof record['table_name'] === 'string') tables.add(record['table_name']);
    const map = (record['cte_map'] as { map?: { key: string }[] } | undefined)?.map;
    for (const entry of map ?? []) ctes.add(entry.key);
    Object.values(record).forEach(visit);
  };
  visit(tree);
  return { tables, ctes };
}
