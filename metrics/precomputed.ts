import { inTransaction } from '../sql/transaction.ts';
import type { Warehouse } from '../sql/warehouse.ts';
import { boardPackPeriods, buildBoardPack, previousQuarter, type BoardPack } from './boardPack.ts';
import { calendar, type Period } from './calendar.ts';
import { computeMetricsPacks } from './figures.ts';
import { inputsFingerprint } from './fingerprints.ts';
import { ensureIndicators, latestQuarterEnd, strategyScorecard } from './indicatorScores.ts';
import { hasAnyIndicator } from './indicators.ts';
import { sharingQueryResults } from './queryMemo.ts';

/**
 * Results precomputed once per load and kept in the warehouse (table `precomputed`), the way a
 * static site's data loader writes its pages at build time: at 12 M children a board pack costs
 * tens of seconds to compute (docs/BENCHMARKS.md), and nothing in it changes until the data, the
 * indicators, the notes of practice, the settings or the metric code do. So a stored result is
 * read only under the fingerprint of all of those it was computed with; any change makes it stale
 * and the next reader computes it afresh (and stores it, when the warehouse is open for writing).
 * A fresh process (the server after a restart, `lscb report`) so finds the pack ready.
 */

/**
 * The stored result under `key` when its fingerprint is current; otherwise `compute`'s, stored for
 * the next reader when the warehouse is writable (replacing the key's row in one transaction).
 */
export async function precomputed<T>(warehouse: Warehouse, key: string, compute: () => Promise<T>): Promise<T> {
  // A warehouse opened read-only before this table existed has none: everything is computed.
  if (warehouse.readOnly && !(await hasPrecomputedTable(warehouse))) return compute();
  const fingerprint = await inputsFingerprint(warehouse);
  const [stored] = await warehouse.query<{ result: string }>(
    'SELECT result FROM precomputed WHERE key = $key AND fingerprint = $fingerprint',
    { key, fingerprint },
  );
  if (stored) return JSON.parse(stored.result) as T;
  const started = performance.now();
  const result = await compute();
  // Stored only if its inputs stood still while it was computed (a load or an indicator added
  // meanwhile would leave a result that matches neither state); the next reader computes it then.
  if (!warehouse.readOnly && (await inputsFingerprint(warehouse)) === fingerprint) {
    // What readers get back is the JSON, so the stored text is the result as the server sends it.
    const seconds = (performance.now() - started) / 1000;
    await warehouse.withConnection((c) =>
      inTransaction(c, async () => {
        // Results of earlier inputs are never read again: they go with the key's own old row.
        await c.run('DELETE FROM precomputed WHERE key = $key OR fingerprint <> $fingerprint', { key, fingerprint });
        await c.run(`INSERT INTO precomputed VALUES ($key, $fingerprint, now()::TIMESTAMP, $seconds, $result)`, {
          key,
          fingerprint,
          seconds,
          result: JSON.stringify(result),
        });
      }),
    );
  }
  return result;
}

async function hasPrecomputedTable(warehouse: Warehouse): Promise<boolean> {
  const rows = await warehouse.query(`SELECT 1 FROM duckdb_tables() WHERE table_name = 'precomputed'`);
  return rows.length > 0;
}

const output = (suppress: boolean) => (suppress ? 'board' : 'officer');

/**
 * The quarter's board pack, precomputed or computed now (metrics/boardPack.ts). `build` is for the
 * benchmark, which must know the pack was read and not computed.
 */
export function boardPackOf(
  warehouse: Warehouse,
  quarter: Period,
  options: { suppress: boolean },
  build: () => Promise<BoardPack> = () => buildBoardPack(warehouse, quarter, options),
): Promise<BoardPack> {
  return precomputed(warehouse, `board-pack:${quarter.to}:${output(options.suppress)}`, build);
}

/** The strategy scorecard as at `to`, precomputed or computed now (metrics/indicatorScores.ts). */
export function scorecardOf(
  warehouse: Warehouse,
  to: string,
  options: { suppress: boolean },
): ReturnType<typeof strategyScorecard> {
  return precomputed(warehouse, `scorecard:${to}:${output(options.suppress)}`, () =>
    strategyScorecard(warehouse, to, options),
  );
}

/** How a caller holding its own cache of packs (the server's) puts each pack through it. */
export type PackThrough = (quarter: Period, suppress: boolean, pack: () => Promise<BoardPack>) => Promise<BoardPack>;

/**
 * Precomputes the latest quarter's board pack and scorecard, board and officer output, after a
 * load or when the server starts; returns that quarter's end, or null when the warehouse has no
 * whole quarter yet.
 */
export function precomputeLatestQuarter(
  warehouse: Warehouse,
  through: PackThrough = (_quarter, _suppress, pack) => pack(),
): Promise<string | null> {
  // The four results run the same metric queries over the same quarters: each runs once.
  return sharingQueryResults(() => precomputeQuarter(warehouse, through));
}

/**
 * The latest whole quarter, whose results are worth precomputing. A fresh warehouse's default
 * indicators, otherwise written at the first look, are written first, so the inputs stand still
 * while the results are computed (else the first result is not stored: see `precomputed`).
 */
async function quarterToPrecompute(warehouse: Warehouse): Promise<Period | undefined> {
  const to = await latestQuarterEnd(warehouse);
  const quarter = to ? calendar('quarter', to, to)[0] : undefined;
  if (quarter && !(await warehouse.withConnection((c) => hasAnyIndicator(c)))) await ensureIndicators(warehouse);
  return quarter;
}

async function precomputeQuarter(warehouse: Warehouse, through: PackThrough): Promise<string | null> {
  const quarter = await quarterToPrecompute(warehouse);
  if (!quarter) return null;
  for (const suppress of [true, false]) {
    await through(quarter, suppress, () => boardPackOf(warehouse, quarter, { suppress }));
    await scorecardOf(warehouse, quarter.to, { suppress });
  }
  await keepEarlierQuarters(warehouse, quarter);
  return quarter.to;
}

/** How many quarters before the latest a board or an officer can open without waiting on the records. */
export const quartersKeptBefore = 4;

/**
 * The per-quarter facts of the packs of the four quarters before the latest (metrics/periodResults.ts):
 * the latest pack has kept most of their periods already; what each adds (its own year to date, an
 * earlier quarter of its trend) is computed here in one run of every query, so a pack of the past
 * year opens from kept rows too. Then each of those packs is built once, board and officer output,
 * from those kept rows, which keeps what its own charts and comparisons add (its SPC chart's series
 * ends at its own quarter; queries kept by their params): the demo's previous quarter opened in
 * 0.13-0.15 s while they were computed on first opening. Earlier quarters are computed, and kept,
 * when first asked for.
 */
async function keepEarlierQuarters(warehouse: Warehouse, latest: Period): Promise<void> {
  const periods = new Map<string, Period>();
  const quarters: Period[] = [];
  let quarter = latest;
  for (let i = 0; i < quartersKeptBefore; i++) {
    quarter = previousQuarter(quarter);
    quarters.push(quarter);
    const { trendPeriods, yearToDatePeriod } = boardPackPeriods(quarter);
    for (const period of [...trendPeriods, yearToDatePeriod]) periods.set(`${period.from}/${period.to}`, period);
  }
  await computeMetricsPacks(warehouse, [...periods.values()], { benchmarks: false });
  for (const earlier of quarters)
    for (const suppress of [true, false]) await buildBoardPack(warehouse, earlier, { suppress });
}
