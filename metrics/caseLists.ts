import type { DuckDBConnection } from '@duckdb/node-api';
import type { Period } from './calendar.ts';
import { metricsRegistry, type MetricsRegistry, type QueryParams } from './registry.ts';

/**
 * Case lists: the rows behind a count (METRICS.md "Case lists"). A query in sql/metrics/caselists.sql
 * declares the figures it is behind in its header:
 *
 *   -- case list of: prevalence.cp_open                              the whole list
 *   -- case list of: prevalence.cp_open_neglect_initial where neglect_initial   rows whose flag is true
 *   -- case list of: drift.cp_open_by_duration by duration_band       drift.cp_open_by_duration.le_3m ...
 *
 * so a list for a part of a figure is the parent list filtered by a column the officer can see, and
 * tests/metrics/caseListsCoverage.test.ts holds every list's length to its figure.
 */
export interface CaseListDeclaration {
  /** The figure's path in the §8 object: `prevalence.cp_open`, or a split's parent for `by`. */
  figure: string;
  query: string;
  /** A boolean column: the figure is the rows where it is true. */
  where?: string;
  /** A split figure: `<figure>.<key>` is the rows whose column equals key. */
  by?: string;
}

/** What to run for one figure: a query, and the filter that makes it this figure's rows. */
export interface CaseListSource {
  figure: string;
  query: string;
  where?: string;
  by?: { column: string; value: string };
}

const declarationLine = /^case list of: ([a-z0-9_.]+)(?: where ([a-z_][a-z0-9_]*)| by ([a-z_][a-z0-9_]*))?\s*$/;

/** Every `-- case list of:` line of every query, in registry order. */
export function caseListDeclarations(registry: MetricsRegistry = metricsRegistry()): CaseListDeclaration[] {
  const declarations: CaseListDeclaration[] = [];
  for (const name of registry.names()) {
    for (const line of registry.get(name).clause.split('\n')) {
      if (!line.startsWith('case list of:')) continue;
      const match = declarationLine.exec(line.trim());
      if (!match) throw new Error(`query '${name}': cannot read '${line.trim()}' (see sql/metrics/caselists.sql)`);
      const [, figure, where, by] = match;
      declarations.push({ figure: figure!, query: name, ...(where ? { where } : {}), ...(by ? { by } : {}) });
    }
  }
  return declarations;
}

/**
 * The list behind a figure path, or undefined when it has none: an exact declaration first, then a
 * split (`drift.cp_open_by_duration.le_3m` through `drift.cp_open_by_duration by duration_band`).
 */
export function caseListFor(figure: string, registry: MetricsRegistry = metricsRegistry()): CaseListSource | undefined {
  const declarations = caseListDeclarations(registry);
  const exact = declarations.find((d) => d.figure === figure && d.by === undefined);
  if (exact) return { figure, query: exact.query, ...(exact.where ? { where: exact.where } : {}) };
  const dot = figure.lastIndexOf('.');
  if (dot < 0) return undefined;
  const parent = figure.slice(0, dot);
  const split = declarations.find((d) => d.figure === parent && d.by !== undefined);
  if (!split) return undefined;
  return { figure, query: split.query, by: { column: split.by!, value: figure.slice(dot + 1) } };
}

/**
 * The figures a list can be asked for by name: every declared one (a split by its parent; its parts
 * are `<parent>.<key>`).
 */
export function caseListFigures(registry: MetricsRegistry = metricsRegistry()): string[] {
  return [...new Set(caseListDeclarations(registry).map((d) => d.figure))];
}

/**
 * The statement that lists a figure's rows for one period, ready to run on this connection (its
 * periods table set). The filter wraps the list's own SQL, so the list and its parts share one cohort.
 */
export async function prepareCaseList(
  c: DuckDBConnection,
  source: CaseListSource,
  period: Period,
  registry: MetricsRegistry = metricsRegistry(),
): Promise<{ sql: string; params: QueryParams }> {
  const prepared = await registry.prepare(c, source.query, { periods: [period] });
  if (source.where)
    return { sql: `SELECT * FROM (${prepared.sql}) AS list WHERE "${source.where}"`, params: prepared.params };
  if (source.by) {
    return {
      sql: `SELECT * FROM (${prepared.sql}) AS list WHERE "${source.by.column}"::VARCHAR = $case_list_key`,
      params: { ...prepared.params, case_list_key: source.by.value },
    };
  }
  return prepared;
}

/** Runs a figure's case list for one period: its rows as JSON objects (dates as YYYY-MM-DD). */
export async function runCaseList(
  c: DuckDBConnection,
  source: CaseListSource,
  period: Period,
  registry: MetricsRegistry = metricsRegistry(),
): Promise<Record<string, unknown>[]> {
  const { sql, params } = await prepareCaseList(c, source, period, registry);
  const reader = await c.runAndReadAll(sql, params);
  return reader.getRowObjectsJson() as Record<string, unknown>[];
}

/**
 * Sections of the §8 object that hold no counts of children or records: the population, the
 * breakdowns by group (each group's count is a cohort's, listed by that cohort), benchmarks,
 * percentages (their numerators are figures of §3–5 with lists of their own) and partner
 * aggregates (METRICS.md §11: never about a child).
 */
const sectionsWithoutCounts = new Set([
  'period',
  'population',
  'disproportionality',
  'percentages',
  'benchmarks',
  'denominators',
  'partner',
  'suppressed',
  'history',
]);

/**
 * Whether a figure path is a count, and so needs a case list (METRICS.md "Case lists"): anything but
 * a rate (`…_rate_per_10k`), a percentage (`…_pct`), a median, quartile or other number of days
 * (`median_…`, `…_days`), in a section that holds counts.
 */
export function isCountingFigure(path: string): boolean {
  const [section] = path.split('.');
  if (sectionsWithoutCounts.has(section!)) return false;
  const key = path.slice(path.lastIndexOf('.') + 1);
  return !/_rate_per_10k$|_pct$|_days$|^median_/.test(key);
}

/** Every numeric leaf of the §8 object as `section.key[.part]` paths with their values. */
export function figureLeaves(pack: object, prefix = ''): [string, number][] {
  const leaves: [string, number][] = [];
  for (const [key, value] of Object.entries(pack)) {
    const path = prefix ? `${prefix}.${key}` : key;
    if (typeof value === 'number') leaves.push([path, value]);
    else if (value !== null && typeof value === 'object' && !Array.isArray(value))
      leaves.push(...figureLeaves(value, path));
  }
  return leaves;
}
