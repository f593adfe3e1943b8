import { AsyncLocalStorage } from 'node:async_hooks';
import { inTransaction } from '../sql/transaction.ts';
import type { Warehouse } from '../sql/warehouse.ts';
import type { Period } from './calendar.ts';
import { dataFingerprint } from './fingerprints.ts';

/**
 * Per-quarter facts, kept once computed (issue 17): a metric query over periods gives each period
 * its own rows (period_from, period_to, then the figures), and a period's rows depend on that
 * period and the data alone, never on which other periods were asked with it
 * (tests/metrics/periodResults.test.ts holds this for every such query). So each period's rows are
 * kept in the warehouse (table `period_results`) under the data's fingerprint, and a later pack
 * computes only the periods no one has computed since the last load: at 12 M children a 20-quarter
 * trend is seconds from the records and milliseconds from the stored rows. The figures stay
 * defined once, in the query's SQL; what is kept is that SQL's own output.
 *
 * Work that wants this runs inside `keepingPeriodResults` (computeMetricsPacks does); outside it,
 * queries run as they always did.
 */
type Rows = Record<string, unknown>[];

/** A query's rows and its columns (the columns even when there are no rows). */
export interface ComputedRows {
  rows: Rows;
  columns: readonly string[];
}

interface Keeper {
  warehouse: Warehouse;
  /** The data's fingerprint when the work began, worked out at the first query that needs it. */
  fingerprint: () => Promise<string | undefined>;
  /**
   * Every period's rows kept under that fingerprint, read in one query at the first that needs
   * them, by query and params then period, as stored (JSON, parsed when asked for). A board pack
   * reads some thirty queries' kept rows: one read each was 44 of the demo's 300 ms (at 12 M, the
   * whole table is under half a megabyte; docs/BENCHMARKS.md).
   */
  kept: (fingerprint: string) => Promise<Map<string, Map<string, string>>>;
  /**
   * Rows computed in this scope, written together when its work ends (one check of the data's
   * fingerprint and one transaction, not one of each per query: docs/BENCHMARKS.md).
   */
  pending: PendingRows[];
}

/** One period's rows of one query (or a query's whole rows, kept by its params), to be kept. */
interface PendingRows {
  query: string;
  params: string;
  period: string;
  fingerprint: string;
  /** The rows as JSON, made once for the scope's own reads and for the write. */
  text: string;
}

const scope = new AsyncLocalStorage<Keeper>();

/** Runs `work` with each metric query's rows kept per period in `warehouse`, and read back. */
export function keepingPeriodResults<T>(warehouse: Warehouse, work: () => Promise<T>): Promise<T> {
  if (scope.getStore()?.warehouse === warehouse) return work();
  let fingerprint: Promise<string | undefined> | undefined;
  let kept: Promise<Map<string, Map<string, string>>> | undefined;
  const keeper: Keeper = {
    kept: (stateOfData) => (kept ??= readKept(warehouse, stateOfData)),
    pending: [],
    warehouse,
    fingerprint: () =>
      (fingerprint ??= (async () => {
        // A warehouse opened read-only before this table existed keeps nothing.
        if (warehouse.readOnly && !(await hasPeriodResultsTable(warehouse))) return undefined;
        return dataFingerprint(warehouse);
      })()),
  };
  return scope.run(keeper, async () => {
    const result = await work();
    await keepPending(keeper);
    return result;
  });
}

const periodKey = (from: unknown, to: unknown) => `${String(from)}/${String(to)}`;

/**
 * `name`'s rows over `periods`: the kept ones read back, the others computed (by `compute`, over
 * just those periods) and kept when the warehouse is writable. Rows come period by period in order
 * of period end then start, each period's in the query's own order, whichever way they were got.
 */
export async function rowsPerPeriod(
  name: string,
  periods: readonly Period[] | undefined,
  params: unknown,
  compute: (periods: Period[] | undefined) => Promise<ComputedRows>,
): Promise<Rows> {
  const keeper = scope.getStore();
  const fingerprint = keeper && periods && periods.length > 0 ? await keeper.fingerprint() : undefined;
  if (!keeper || !periods || !fingerprint) return (await compute(periods ? [...periods] : undefined)).rows;

  const paramsKey = JSON.stringify(params ?? null);
  const keptByPeriod = (await keeper.kept(fingerprint)).get(keptKey(name, paramsKey)) ?? new Map<string, string>();
  const kept = new Map<string, Rows>();
  const wanted = uniquePeriods(periods);
  for (const p of wanted) {
    const text = keptByPeriod.get(periodKey(p.from, p.to));
    if (text !== undefined) kept.set(periodKey(p.from, p.to), JSON.parse(text) as Rows);
  }
  const missing = wanted.filter((p) => !kept.has(periodKey(p.from, p.to)));
  if (missing.length > 0) {
    const computed = await compute(missing);
    // A query whose rows do not name their period (a case list) cannot be split: nothing is kept.
    if (!computed.columns.includes('period_from') || !computed.columns.includes('period_to')) return computed.rows;
    const fresh = new Map<string, Rows>(missing.map((p) => [periodKey(p.from, p.to), []]));
    for (const row of computed.rows) fresh.get(periodKey(row['period_from'], row['period_to']))?.push(row);
    for (const [key, rows] of fresh) {
      const text = JSON.stringify(rows);
      keeper.pending.push({ query: name, params: paramsKey, period: key, fingerprint, text });
      kept.set(key, rows);
      keptByPeriod.set(key, text);
    }
    (await keeper.kept(fingerprint)).set(keptKey(name, paramsKey), keptByPeriod);
  }
  return wanted.flatMap((p) => kept.get(periodKey(p.from, p.to)) ?? []);
}

/** Where a result kept by its params alone is stored: a period of no dates. */
const wholeResult = periodKey('', '');

/**
 * The rows of a query that reads no periods and whose rows depend only on its params and what the
 * data's fingerprint covers (the records, the settings, the metric code and the bundled reference
 * figures; `-- kept: by params` in its SQL): the benchmarks from the DfE files, an SPC chart of a
 * series. Kept whole under the fingerprint, as a period's rows are, so a pack built after the load
 * reads them back instead of running them again (docs/BENCHMARKS.md, the demo's cold pack).
 */
export async function rowsKeptByParams(
  name: string,
  params: unknown,
  compute: () => Promise<ComputedRows>,
): Promise<Rows> {
  const keeper = scope.getStore();
  const fingerprint = keeper ? await keeper.fingerprint() : undefined;
  if (!keeper || !fingerprint) return (await compute()).rows;
  const paramsKey = JSON.stringify(params ?? null);
  const kept = await keeper.kept(fingerprint);
  const text = kept.get(keptKey(name, paramsKey))?.get(wholeResult);
  if (text !== undefined) return JSON.parse(text) as Rows;
  const { rows } = await compute();
  const computedText = JSON.stringify(rows);
  keeper.pending.push({ query: name, params: paramsKey, period: wholeResult, fingerprint, text: computedText });
  kept.set(keptKey(name, paramsKey), new Map([[wholeResult, computedText]]));
  return rows;
}

/** The periods once each, by end then start: the order every period query sorts its rows in. */
function uniquePeriods(periods: readonly Period[]): Period[] {
  const byKey = new Map(periods.map((p) => [periodKey(p.from, p.to), p]));
  // ISO dates sort as plain strings; localeCompare would load ICU's collation in a fresh process.
  const order = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);
  return [...byKey.values()].sort((a, b) => order(a.to, b.to) || order(a.from, b.from));
}

const keptKey = (query: string, params: string) => `${query}\u0000${params}`;

async function readKept(warehouse: Warehouse, fingerprint: string): Promise<Map<string, Map<string, string>>> {
  const rows = await warehouse.query<{
    query: string;
    params: string;
    period_from: string;
    period_to: string;
    rows: string;
  }>(`SELECT query, params, period_from, period_to, rows FROM period_results WHERE fingerprint = $fingerprint`, {
    fingerprint,
  });
  const kept = new Map<string, Map<string, string>>();
  for (const r of rows) {
    const key = keptKey(r.query, r.params);
    const byPeriod = kept.get(key) ?? new Map<string, string>();
    byPeriod.set(periodKey(r.period_from, r.period_to), r.rows);
    kept.set(key, byPeriod);
  }
  return kept;
}

/** Kept periods written by one INSERT (and cleared by one DELETE) in keepPending. */
const writtenTogether = 100;

/**
 * Keeps the rows its scope computed, in one transaction with the removal of every row of an earlier
 * fingerprint (never read again). Only if the data stood still while they were computed: a load
 * meanwhile would leave rows that match neither state. Keeping is an optimisation, so a write that
 * loses a race with another request keeping the same rows is let go; the rows were returned anyway.
 */
async function keepPending(keeper: Keeper): Promise<void> {
  const { warehouse } = keeper;
  const pending = keeper.pending.splice(0);
  const fingerprint = pending[0]?.fingerprint;
  if (fingerprint === undefined || warehouse.readOnly || (await dataFingerprint(warehouse)) !== fingerprint) return;
  await warehouse.withConnection((c) =>
    inTransaction(c, async () => {
      await c.run('DELETE FROM period_results WHERE fingerprint <> $fingerprint', { fingerprint });
      // A hundred at a time, two statements each: one pair per period was 1.5 s of the 12 M
      // precompute's writes (1,033 periods), mostly each statement's fixed cost.
      for (let first = 0; first < pending.length; first += writtenTogether) {
        const chunk = pending.slice(first, first + writtenTogether);
        const where: Record<string, string> = {};
        const keys = chunk.map(({ query, params, period }, i) => {
          const [from, to] = period.split('/') as [string, string];
          Object.assign(where, { [`q${i}`]: query, [`p${i}`]: params, [`f${i}`]: from, [`t${i}`]: to });
          return `($q${i}, $p${i}, $f${i}, $t${i})`;
        });
        await c.run(
          `DELETE FROM period_results USING (VALUES ${keys.join(', ')}) AS fresh(query, params, period_from, period_to)
           WHERE period_results.query = fresh.query AND period_results.params = fresh.params
             AND period_results.period_from = fresh.period_from AND period_results.period_to = fresh.period_to`,
          where,
        );
        const rows: Record<string, string> = { ...where, fingerprint };
        chunk.forEach(({ text }, i) => (rows[`r${i}`] = text));
        await c.run(
          `INSERT INTO period_results VALUES ${chunk.map((_, i) => `($q${i}, $p${i}, $f${i}, $t${i}, $fingerprint, $r${i})`).join(', ')}`,
          rows,
        );
      }
    }).catch(() => undefined),
  );
}

async function hasPeriodResultsTable(warehouse: Warehouse): Promise<boolean> {
  const rows = await warehouse.query(`SELECT 1 FROM duckdb_tables() WHERE table_name = 'period_results'`);
  return rows.length > 0;
}
