/**
 * `npm run bench -- profile` (issue 17): where the board pack's time goes on a large LA. Prints
 *   1. every registry query under DuckDB's EXPLAIN ANALYZE, for one quarter and for the board pack's
 *      run (20 quarters and the reporting year so far), ranked by time, each with the operators that
 *      dominate it;
 *   2. which shared SQL fragments (cohorts) each query recomputes;
 *   3. the board pack's steps, timed one after the other as buildBoardPack takes them.
 * It measures and prints; nothing is asserted. The warehouse is the large LA's canonical CSV and
 * partner measures, loaded once into bench/out/profile/ and reused.
 */
import type { DuckDBConnection } from '@duckdb/node-api';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { basename, join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { projectRoot, Warehouse } from '../sql/warehouse.ts';
import { warehouseLa } from '../sql/reference.ts';
import { calendar, type Period } from '../metrics/calendar.ts';
import { metricsRegistry, type QueryParams } from '../metrics/registry.ts';
import { computeMetricsPacks, type PackSection } from '../metrics/figures.ts';
import { buildBoardPack, trendQuarters } from '../metrics/boardPack.ts';
import { computeBenchmarks, computeRepeatFunnel, reportingYearOf } from '../metrics/benchmarks.ts';
import { spcHistory } from '../metrics/spc.ts';
import { boardPacksForPeriods } from '../metrics/linkedPeriods.ts';
import { buildPartnersSection } from '../metrics/partners.ts';
import { intoCareSection } from '../metrics/intoCare.ts';
import { strategyScorecard } from '../metrics/indicatorScores.ts';
import { valueAtPath } from '../metrics/contract/figurePath.ts';
import { demoExtracts } from './load.ts';
import { fmt, lscb } from './support/measure.ts';

const outDir = resolve(projectRoot, 'bench/out/profile');

/** The large LA's warehouse: canonical CSV and partner measures, loaded once. */
export async function profileWarehouse(children: number): Promise<string> {
  const db = join(outDir, `la-${children}.duckdb`);
  if (existsSync(db)) return db;
  const dir = await demoExtracts(children);
  const made = await lscb([
    'load',
    '--db',
    db,
    '--reference-date',
    '2026-03-31',
    join(dir, 'csv'),
    join(dir, 'partners'),
  ]);
  if (made.status !== 0) throw new Error(`loading ${children} children failed:\n${made.stdout}${made.stderr}`);
  return db;
}

interface OperatorTime {
  /** The operator and what it works on: join conditions, window projections, the table scanned. */
  what: string;
  seconds: number;
}

export interface QueryProfile {
  name: string;
  family: string;
  periods: number;
  /** DuckDB's latency for the query, as its profiler reports it. */
  seconds: number;
  cpuSeconds: number;
  peakBufferMb: number;
  operators: OperatorTime[];
}

interface ProfileNode {
  operator_type?: string;
  operator_timing?: number;
  extra_info?: Record<string, unknown>;
  children?: ProfileNode[];
  latency?: number;
  cpu_time?: number;
  system_peak_buffer_memory?: number;
}

/** What an operator works on, short enough for a table cell. */
function operatorDetail(node: ProfileNode): string {
  const info = node.extra_info ?? {};
  const pick = info['Conditions'] ?? info['Projections'] ?? info['Table'] ?? info['Function'] ?? info['Aggregates'];
  const text = (Array.isArray(pick) ? pick.join(', ') : typeof pick === 'string' ? pick : '').replace(/\s+/g, ' ');
  const join = typeof info['Join Type'] === 'string' ? `${info['Join Type']} ` : '';
  return text
    ? `${node.operator_type} ${join}[${text.length > 70 ? `${text.slice(0, 67)}…` : text}]`
    : `${node.operator_type}`;
}

function operatorsOf(node: ProfileNode, into: OperatorTime[] = []): OperatorTime[] {
  if (node.operator_type && node.operator_type !== 'EXPLAIN_ANALYZE')
    into.push({ what: operatorDetail(node), seconds: node.operator_timing ?? 0 });
  for (const child of node.children ?? []) operatorsOf(child, into);
  return into;
}

/** Parameters for the registry queries that need them, as the pack and the API pass them. */
function paramsFor(name: string, la: { la_code: string; comparator: string }): QueryParams | undefined {
  const known: Record<string, QueryParams> = {
    benchmarks: { year: 2025, comparator: la.comparator, la: la.la_code },
    benchmark_comparator: { la: la.la_code, comparator: la.comparator },
    repeat_funnel: { year: 2025 },
    partner_benchmarks: { comparator: la.comparator },
    partner_series: { from: '2021-04-01', to: '2026-03-31' },
  };
  return known[name];
}

/** One query under EXPLAIN ANALYZE: the SQL `lscb sql` prints, periods as a CTE. */
async function explainAnalyze(
  c: DuckDBConnection,
  name: string,
  periods: Period[],
  params: QueryParams | undefined,
): Promise<QueryProfile> {
  const registry = metricsRegistry();
  const sql = registry.expand(name, { periods, params }).replace(/;$/, '');
  const reader = await c.runAndReadAll(`EXPLAIN (ANALYZE, FORMAT json) ${sql}`);
  const root = JSON.parse(String(reader.getRowObjectsJson()[0]?.['explain_value'])) as ProfileNode;
  const operators = operatorsOf(root).sort((a, b) => b.seconds - a.seconds);
  return {
    name,
    family: registry.get(name).family,
    periods: registry.get(name).usesPeriods ? periods.length : 0,
    seconds: root.latency ?? 0,
    cpuSeconds: root.cpu_time ?? 0,
    peakBufferMb: (root.system_peak_buffer_memory ?? 0) / 1e6,
    operators,
  };
}

/** The quarter ending `asAt`, and the pack's run: its 20 quarters and the reporting year so far. */
export function packPeriods(asAt: string): { quarter: Period[]; packRun: Period[] } {
  const quarter = calendar('quarter', asAt, asAt);
  const trend = calendar('quarter', '2000-01-01', asAt).slice(-trendQuarters);
  const yearToDate = { from: `${reportingYearOf(asAt) - 1}-04-01`, to: asAt };
  return { quarter, packRun: [...trend, yearToDate] };
}

/**
 * Every registry query the board pack, the API or the case lists run for a period, under EXPLAIN
 * ANALYZE: for one quarter and (queries the pack runs over its calendar) for the pack's 21 periods.
 * Queries for one child, one load or an SPC series are left out: they read a handful of rows.
 */
export async function profileQueries(warehouse: Warehouse, asAt: string): Promise<QueryProfile[]> {
  const registry = metricsRegistry();
  const { quarter, packRun } = packPeriods(asAt);
  const profiles: QueryProfile[] = [];
  await warehouse.withConnection(async (c) => {
    const la = await warehouseLa(c);
    const ids = { la_code: la.la_code, comparator: la.benchmark_la_code ?? la.la_code };
    for (const name of registry.names()) {
      const query = registry.get(name);
      const params = paramsFor(name, ids);
      if (query.params.length > 0 && !params) continue;
      profiles.push(await explainAnalyze(c, name, quarter, params));
      if (query.usesPeriods && query.family !== 'caselists' && !name.startsWith('cases_'))
        profiles.push(await explainAnalyze(c, name, packRun, params));
    }
  });
  return profiles.sort((a, b) => b.seconds - a.seconds);
}

/** Which shared fragments each query includes: every inclusion is computed again for that query. */
export function fragmentUses(): Map<string, string[]> {
  const dir = resolve(projectRoot, 'sql/metrics');
  const uses = new Map<string, string[]>();
  for (const file of readdirSync(dir).filter((f) => f.endsWith('.sql'))) {
    const blocks = readFileSync(join(dir, file), 'utf8').split(/^(?=-- (?:query|fragment): )/m);
    for (const block of blocks) {
      const header = /^-- (query|fragment): (\S+)/.exec(block);
      if (!header) continue;
      for (const [, fragment] of block.matchAll(/\{\{(\w+)\}\}/g)) {
        const list = uses.get(fragment!) ?? [];
        list.push(`${header[1] === 'fragment' ? 'fragment ' : ''}${header[2]} (${basename(file, '.sql')})`);
        uses.set(fragment!, list);
      }
    }
  }
  return uses;
}

export interface PackStep {
  step: string;
  seconds: number;
}

async function timed<T>(steps: PackStep[], step: string, work: () => Promise<T>): Promise<T> {
  const started = process.hrtime.bigint();
  const result = await work();
  steps.push({ step, seconds: Number(process.hrtime.bigint() - started) / 1e9 });
  return result;
}

const trendFigure = 'prevalence.cp_open_neglect_initial_rate_per_10k';

/**
 * The board pack's steps in buildBoardPack's order, each timed alone (board output, as the PDF
 * prints it), then the route's strategy scorecard, then the whole pack once more as one call.
 */
export async function profileBoardPack(warehouse: Warehouse, asAt: string): Promise<PackStep[]> {
  const steps: PackStep[] = [];
  const {
    quarter: [quarter],
    packRun,
  } = packPeriods(asAt);
  const packs = await timed(
    steps,
    `computeMetricsPacks, ${packRun.length} periods (20 quarters and the year so far)`,
    () => computeMetricsPacks(warehouse, packRun, { benchmarks: false }),
  );
  const yearToDate = packs.at(-1)!;
  // As buildBoardPack does: the span's quarters are the trend's, already computed.
  const quarterPacks = packs.slice(0, -1);
  const boardYearToDate = await timed(
    steps,
    'suppression of the year so far (boardPacksForPeriods)',
    async () => (await boardPacksForPeriods(warehouse, [yearToDate], { known: quarterPacks }))[0]!,
  );
  const figures = packs.at(-2)!;
  const known = packs.slice(0, -1).map((p) => {
    const value = valueAtPath(p, trendFigure);
    return { period_to: p.period.to, value: typeof value === 'number' ? value : value === 'c' ? ('c' as const) : null };
  });
  await timed(steps, 'spcHistory: the quarters before the 20 (figureTrend)', () =>
    spcHistory(warehouse, trendFigure, asAt, { suppress: true, known }),
  );
  await warehouse.withConnection(async (c) => {
    const la = await warehouseLa(c);
    await timed(steps, 'categories over 20 quarters (cp_open_by_initial_category)', () =>
      metricsRegistry().run(c, 'cp_open_by_initial_category', { periods: packRun.slice(0, -1) }),
    );
    const benchmarks = await timed(steps, 'benchmarks (computeBenchmarks)', () => computeBenchmarks(c, quarter!, la));
    const dfeYear = { from: `${benchmarks.year - 1}-04-01`, to: `${benchmarks.year}-03-31` };
    // As buildBoardPack does: the year so far when it is the DfE year, else the repeat figures alone.
    const repeatOnly = new Set<PackSection>(['repeat']);
    const local = await timed(
      steps,
      'the DfE year pack for the funnel (computeMetricsPacks + suppression)',
      async () =>
        dfeYear.from === yearToDate.period.from && dfeYear.to === yearToDate.period.to
          ? boardYearToDate
          : (
              await boardPacksForPeriods(
                warehouse,
                await computeMetricsPacks(warehouse, [dfeYear], { benchmarks: false, sections: repeatOnly }),
                { known: quarterPacks, sections: repeatOnly },
              )
            )[0]!,
    );
    const numerator = local.repeat['cp_starts_second_or_subsequent'];
    const denominator = local.repeat['cp_starts'];
    await timed(steps, 'funnel (computeRepeatFunnel)', () =>
      computeRepeatFunnel(
        c,
        benchmarks.year,
        typeof numerator === 'number' && typeof denominator === 'number' && denominator > 0
          ? { numerator, denominator }
          : undefined,
      ),
    );
    await timed(steps, 'quality (quality_loads, rejects)', async () => {
      await metricsRegistry().run(c, 'quality_loads', { params: { limit: 10 } });
      await c.runAndReadAll('SELECT (SELECT count(*) FROM rejects)::INTEGER, (SELECT count(*) FROM loads)::INTEGER');
    });
    await timed(steps, 'partners (buildPartnersSection)', () =>
      buildPartnersSection(c, figures.partner ?? [], { from: packRun[0]!.from, to: asAt }, { suppress: true, la }),
    );
    await timed(steps, 'into care (intoCareSection)', () =>
      intoCareSection(c, packs.slice(0, -1), figures, benchmarks),
    );
  });
  await timed(steps, 'strategy scorecard (strategyScorecard, read fresh by the route)', () =>
    strategyScorecard(warehouse, asAt, { suppress: true }),
  );
  await timed(steps, 'the whole pack again: buildBoardPack (board output), warm', () =>
    buildBoardPack(warehouse, quarter!, { suppress: true }),
  );
  return steps;
}

/** The machine is shared: wall times mean little without how loaded it was. */
export function machineLoad(): string {
  return `load average ${loadavg()
    .map((n) => n.toFixed(1))
    .join(', ')} (1, 5, 15 min)`;
}

export function printProfile(label: string, profiles: QueryProfile[], steps: PackStep[]): void {
  console.log(`\nWhere the time goes, ${label}, ${machineLoad()} at the end`);
  console.log('EXPLAIN ANALYZE of each registry query, slowest first');
  console.log('  seconds    cpu s  periods  query (family): its three dearest operators');
  for (const p of profiles) {
    const top = p.operators
      .slice(0, 3)
      .map((o) => `${o.what} ${o.seconds.toFixed(3)}`)
      .join('; ');
    console.log(
      `  ${p.seconds.toFixed(3).padStart(7)}  ${p.cpuSeconds.toFixed(3).padStart(7)}  ${String(p.periods).padStart(7)}  ${p.name} (${p.family}): ${top}`,
    );
  }
  const total = (periods: (n: number) => boolean) =>
    profiles.filter((p) => periods(p.periods)).reduce((sum, p) => sum + p.seconds, 0);
  console.log(
    `  total: ${fmt.s(total((n) => n <= 1))} for one quarter (every query), ${fmt.s(total((n) => n > 1))} for the pack's run`,
  );
  console.log('\nShared fragments, and the queries that compute each again');
  for (const [fragment, users] of [...fragmentUses()].sort((a, b) => b[1].length - a[1].length))
    console.log(`  ${fragment}: ${users.length}× — ${users.join(', ')}`);
  console.log('\nThe board pack, step by step (board output)');
  for (const s of steps) console.log(`  ${s.seconds.toFixed(2).padStart(7)} s  ${s.step}`);
}

export async function benchProfile(
  children: number,
  asAt = '2026-03-31',
): Promise<{ profiles: QueryProfile[]; steps: PackStep[] }> {
  // Writable: the strategy scorecard records the default indicators on first use, as the server does.
  const warehouse = await Warehouse.open(await profileWarehouse(children));
  try {
    // The first query reads the file into DuckDB's buffers; the profile is of a warm warehouse.
    await computeMetricsPacks(warehouse, packPeriods(asAt).quarter, { benchmarks: false });
    const profiles = await profileQueries(warehouse, asAt);
    const steps = await profileBoardPack(warehouse, asAt);
    return { profiles, steps };
  } finally {
    warehouse.close();
  }
}

/** `node bin/run-ts.js bench/profile.ts [CHILDREN]`: this section alone (default 1,000,000 children). */
if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const children = Number(process.argv[2] ?? 1_000_000);
  const { profiles, steps } = await benchProfile(children);
  printProfile(`${fmt.rate(children)} children`, profiles, steps);
}
