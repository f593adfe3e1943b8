import type { DuckDBConnection } from '@duckdb/node-api';
import { readdirSync, readFileSync } from 'node:fs';
import { basename, resolve } from 'node:path';
import { projectRoot } from '../sql/warehouse.ts';
import { sqlOfBlock } from '../sql/files.ts';
import { isRealDate, type Period } from './calendar.ts';
import { rowsKeptByParams, rowsPerPeriod } from './periodResults.ts';
import { sharedQueryResult } from './queryMemo.ts';

/**
 * The metrics registry: every named query in sql/metrics/*.sql, read once. The CLI, the API and the
 * tests all run figures through it, so a figure is defined in exactly one place (its SQL).
 *
 * A file holds one family; each query starts with a header:
 *   -- query: <name>
 *   -- shape: row | rows
 *   -- kept: by params          (optional: its rows are kept whole under the data's fingerprint)
 *   -- METRICS.md §n: "<the clause it implements>"
 * A block headed `-- fragment: name` is SQL shared by several queries, included as `{{name}}`
 * (a subquery), so a cohort such as "children showing neglect at any stage" is written once.
 * `row` queries give one row per period (period_from, period_to, then figures); `rows` queries give
 * any number of rows.
 */
export interface MetricQuery {
  name: string;
  family: string;
  shape: 'row' | 'rows';
  /** The header comment: which METRICS.md clause the query implements. */
  clause: string;
  sql: string;
  /** Named parameters ($limit, ...) the SQL uses; only these are bound. */
  params: string[];
  /** Whether the query reads the periods temp table. */
  usesPeriods: boolean;
  /**
   * `-- kept: by params`: its rows, read over no periods, depend only on its parameters and what
   * the data's fingerprint covers, so they are kept whole (metrics/periodResults.ts, rowsKeptByParams).
   */
  keptByParams: boolean;
}

export type QueryParams = Record<string, string | number>;

const metricsDir = resolve(projectRoot, 'sql/metrics');

interface Block {
  kind: 'query' | 'fragment';
  name: string;
  text: string;
}

/** A file's blocks: queries, and fragments (shared SQL that queries include as {{name}}). */
function parseBlocks(path: string): Block[] {
  const text = readFileSync(path, 'utf8');
  return text
    .split(/^(?=-- (?:query|fragment): )/m)
    .map((block) => {
      const header = /^-- (query|fragment): (\S+)/.exec(block);
      return header ? { kind: header[1] as Block['kind'], name: header[2]!, text: block } : undefined;
    })
    .filter((block): block is Block => block !== undefined);
}

function toQuery(path: string, block: Block, fragments: Map<string, string>): MetricQuery {
  const family = basename(path, '.sql');
  const shape = /^-- shape: (row|rows)\s*$/m.exec(block.text)?.[1];
  if (!shape) throw new Error(`${basename(path)}: query '${block.name}' needs '-- shape: row|rows'`);
  const clause = block.text
    .split('\n')
    .filter((line) => line.startsWith('--') && !/^-- (query|shape|kept):/.test(line))
    .map((line) => line.replace(/^--\s?/, ''))
    .join('\n');
  const sql = includeFragments(sqlOfBlock(block.text), fragments, (name) => {
    throw new Error(`${basename(path)}: query '${block.name}' includes unknown fragment {{${name}}}`);
  });
  const params = [...new Set([...sql.matchAll(/\$([a-z_][a-z0-9_]*)/g)].map((m) => m[1]!))];
  const usesPeriods = /\bperiods\b/.test(sql);
  const keptByParams = /^-- kept: by params\s*$/m.test(block.text);
  if (keptByParams && usesPeriods)
    throw new Error(`${basename(path)}: query '${block.name}' reads periods, so it is kept per period, not by params`);
  return { name: block.name, family, shape: shape as 'row' | 'rows', clause, sql, params, usesPeriods, keptByParams };
}

/**
 * The SQL with each {{name}} replaced by its fragment as a subquery. A fragment may include others
 * (a figure's cohort built on a shared one), so inclusion repeats until none is left; a fragment
 * that includes itself, however indirectly, is an error rather than an endless loop.
 */
function includeFragments(sql: string, fragments: Map<string, string>, unknown: (name: string) => never): string {
  const expand = (text: string, within: readonly string[]): string =>
    text.replace(/\{\{(\w+)\}\}/g, (_, name: string) => {
      const fragment = fragments.get(name);
      if (fragment === undefined) return unknown(name);
      if (within.includes(name))
        throw new Error(`fragment {{${name}}} includes itself (${[...within, name].join(' → ')})`);
      return `(${expand(fragment, [...within, name])})`;
    });
  return expand(sql, []);
}

/** The name a family's figure sources are kept under: no metric query's (those have no colon). */
const figureSourcesResult = 'registry:figure_sources';

export class MetricsRegistry {
  private readonly queries = new Map<string, MetricQuery>();

  constructor(dir: string = metricsDir) {
    const files = readdirSync(dir)
      .filter((f) => f.endsWith('.sql'))
      .sort()
      .map((f) => resolve(dir, f));
    const blocks = files.map((path) => ({ path, blocks: parseBlocks(path) }));
    // Fragments first, from every file, so a query may include one defined in another family.
    const fragments = new Map<string, string>();
    for (const { blocks: list } of blocks) {
      for (const block of list.filter((b) => b.kind === 'fragment')) fragments.set(block.name, sqlOfBlock(block.text));
    }
    for (const { path, blocks: list } of blocks) {
      for (const block of list.filter((b) => b.kind === 'query')) {
        if (this.queries.has(block.name)) throw new Error(`metric query '${block.name}' is defined twice`);
        this.queries.set(block.name, toQuery(path, block, fragments));
      }
    }
  }

  get(name: string): MetricQuery {
    const query = this.queries.get(name);
    if (!query) throw new UnknownQueryError(name, this.names());
    return query;
  }

  has(name: string): boolean {
    return this.queries.has(name);
  }

  names(): string[] {
    return [...this.queries.keys()].sort();
  }

  family(family: string): MetricQuery[] {
    return [...this.queries.values()].filter((q) => q.family === family);
  }

  /**
   * Runs a query. A query that reads `periods` gets them as a temp table (period_from, period_to)
   * on this connection, so one statement computes one period or a whole calendar of them; inside
   * `keepingPeriodResults` (metrics/periodResults.ts) only the periods not already kept.
   */
  async run(c: DuckDBConnection, name: string, options: RunOptions = {}): Promise<Record<string, unknown>[]> {
    const key = JSON.stringify([name, options.periods ?? null, options.params ?? null]);
    const compute = async (periods: Period[] | undefined) => {
      const { sql, params } = await this.prepare(c, name, { ...options, periods });
      const reader = await c.runAndReadAll(sql, params);
      return { rows: reader.getRowObjectsJson() as Record<string, unknown>[], columns: reader.columnNames() };
    };
    return sharedQueryResult(key, () =>
      this.get(name).keptByParams
        ? rowsKeptByParams(name, options.params, () => compute(undefined))
        : rowsPerPeriod(name, options.periods, options.params, compute),
    );
  }

  /**
   * Readies a query on this connection (its periods table) and returns the SQL with exactly the
   * parameters it uses, for callers that stream the result themselves (Arrow on the wire).
   */
  async prepare(
    c: DuckDBConnection,
    name: string,
    options: RunOptions = {},
  ): Promise<{ sql: string; params: QueryParams }> {
    const query = this.get(name);
    if (query.usesPeriods) {
      if (!options.periods || options.periods.length === 0) throw new Error(`metric query '${name}' needs periods`);
      await setPeriods(c, options.periods);
    }
    const params: QueryParams = {};
    for (const param of query.params) {
      const value = options.params?.[param];
      if (value === undefined) throw new Error(`metric query '${name}' needs parameter $${param}`);
      params[param] = value;
    }
    return { sql: query.sql, params };
  }

  async runOne(c: DuckDBConnection, name: string, options: RunOptions = {}): Promise<Record<string, unknown>> {
    return (await this.run(c, name, options))[0] ?? {};
  }

  /**
   * A query as one statement an analyst can paste into the DuckDB shell against the warehouse
   * (`lscb sql`): fragments already included, the periods as a leading CTE and the parameters as
   * literals. The conventions macros (open_at, duration_band, ...) live in the warehouse itself.
   */
  expand(name: string, options: RunOptions = {}): string {
    const query = this.get(name);
    let sql = query.sql.replace(/\$([a-z_][a-z0-9_]*)/g, (_, param: string) => {
      const value = options.params?.[param];
      if (value === undefined) throw new Error(`metric query '${name}' needs parameter $${param}`);
      return sqlLiteral(value);
    });
    if (query.usesPeriods) {
      if (!options.periods || options.periods.length === 0) throw new Error(`metric query '${name}' needs periods`);
      const periods = `periods AS (\n  ${periodsSelectSql(options.periods)}\n)`;
      // One WITH clause: the query's own CTEs follow the periods one.
      sql = /^WITH\s/i.test(sql) ? sql.replace(/^WITH\s+/i, `WITH ${periods},\n`) : `WITH ${periods}\n${sql}`;
    }
    return `${sql};`;
  }

  private figureSources = new Map<string, Promise<Map<string, FigureSource>>>();

  /**
   * Where each figure of the §8 sections comes from, learnt by describing the queries (nothing is
   * computed): "prevalence.cp_open" → its row query; a struct figure's fields too
   * ("drift.cp_open_by_duration.le_3m"); a `<family>_<key>` rows query gives the breakdown
   * "<family>.<key>", whose cells are whatever the data holds. Each family is described once per
   * registry, when first asked for: a board pack's trend needs one or two of them, and describing
   * all 22 row queries was 41 of the demo pack's 235 ms (docs/BENCHMARKS.md). What a description
   * finds depends on the metric code alone, so inside a keeping scope it is kept like a query's rows
   * (metrics/periodResults.ts): a fresh process's pack reads it rather than describing seven
   * queries again (20 ms of the demo's cold pack).
   */
  async figureSourcesOn(c: DuckDBConnection, families: readonly string[]): Promise<Map<string, FigureSource>> {
    const sources = new Map<string, FigureSource>();
    for (const family of families) {
      let described = this.figureSources.get(family);
      if (!described) {
        described = this.describedFamily(c, family);
        this.figureSources.set(family, described);
        described.catch(() => this.figureSources.delete(family));
      }
      for (const [figure, source] of await described) sources.set(figure, source);
    }
    return sources;
  }

  private async describedFamily(c: DuckDBConnection, family: string): Promise<Map<string, FigureSource>> {
    const rows = await rowsKeptByParams(figureSourcesResult, { family }, async () => {
      const sources = await this.describeFamily(c, family);
      return {
        rows: [...sources].map(([figure, source]) => ({ figure, ...source })),
        columns: ['figure', 'query', 'anyCell'],
      };
    });
    return new Map(
      rows.map((row) => [
        String(row['figure']),
        { query: String(row['query']), ...(row['anyCell'] === true ? { anyCell: true } : {}) },
      ]),
    );
  }

  private async describeFamily(c: DuckDBConnection, family: string): Promise<Map<string, FigureSource>> {
    const probe = [{ from: '2000-01-01', to: '2000-03-31' }];
    const sources = new Map<string, FigureSource>();
    for (const query of [...this.queries.values()].filter((q) => q.family === family)) {
      if (query.params.length > 0) continue;
      if (query.shape === 'rows') {
        if (query.name.startsWith(`${query.family}_`))
          sources.set(`${query.family}.${query.name.slice(query.family.length + 1)}`, {
            query: query.name,
            anyCell: true,
          });
        continue;
      }
      if (query.shape !== 'row') continue;
      const described = await c.runAndReadAll(
        `DESCRIBE ${this.expand(query.name, { periods: probe }).replace(/;$/, '')}`,
      );
      for (const row of described.getRowObjectsJson()) {
        const column = row['column_name'] as string;
        if (column === 'period_from' || column === 'period_to') continue;
        sources.set(`${query.family}.${column}`, { query: query.name });
        const type = String(row['column_type']);
        if (type.startsWith('STRUCT('))
          for (const field of type.matchAll(/[(,]\s*"?([A-Za-z0-9_]+)"?\s+[A-Z]/g))
            sources.set(`${query.family}.${column}.${field[1]}`, { query: query.name });
      }
    }
    return sources;
  }

  /**
   * The row query whose result has a column named `key` (a figure such as `cp_open`), found by
   * describing each one on this connection, within one family when given (repeat.cp_starts is the
   * repeat family's). Queries with parameters are not figures.
   */
  async queryForFigure(c: DuckDBConnection, key: string, family?: string): Promise<MetricQuery | undefined> {
    const probe = [{ from: '2000-01-01', to: '2000-03-31' }];
    const candidates = [...this.queries.values()].filter(
      (q) => q.shape === 'row' && q.params.length === 0 && (family === undefined || q.family === family),
    );
    for (const query of candidates) {
      const reader = await c.runAndReadAll(`DESCRIBE ${this.expand(query.name, { periods: probe }).replace(/;$/, '')}`);
      const columns = reader.getRowObjectsJson().map((row) => row['column_name'] as string);
      if (columns.includes(key) && !['period_from', 'period_to'].includes(key)) return query;
    }
    return undefined;
  }
}

/** A parameter as an SQL literal: numbers as they are, anything else as a quoted string. */
function sqlLiteral(value: string | number): string {
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) throw new Error(`not a finite number: ${value}`);
    return String(value);
  }
  return `'${value.replaceAll("'", "''")}'`;
}

/** The query a figure comes from; `anyCell` for a breakdown whose cells the data names. */
export interface FigureSource {
  query: string;
  anyCell?: boolean;
}

export interface RunOptions {
  periods?: Period[];
  params?: QueryParams;
}

/**
 * The periods a query reads, as a temp table of this connection. The dates are bound parameters,
 * never text in the SQL, so a query's text is the same for every period (`lscb sql` prints the
 * periods as a CTE instead: MetricsRegistry.expand).
 */
async function setPeriods(c: DuckDBConnection, periods: Period[]): Promise<void> {
  for (const period of periods) {
    if (!isRealDate(period.from) || !isRealDate(period.to)) throw new Error(`not a period: ${JSON.stringify(period)}`);
  }
  await c.run('CREATE OR REPLACE TEMP TABLE periods (period_from DATE NOT NULL, period_to DATE NOT NULL)');
  const rows = periods.map((_, i) => `($${2 * i + 1}::DATE, $${2 * i + 2}::DATE)`).join(', ');
  await c.run(
    `INSERT INTO periods VALUES ${rows}`,
    periods.flatMap((p) => [p.from, p.to]),
  );
}

/**
 * The periods as a SELECT an analyst can paste (lscb sql): the one place dates become SQL text, each
 * checked first to be a real YYYY-MM-DD date.
 */
function periodsSelectSql(periods: Period[]): string {
  for (const period of periods) {
    if (!isRealDate(period.from) || !isRealDate(period.to)) throw new Error(`not a period: ${JSON.stringify(period)}`);
  }
  const values = periods.map((p) => `(DATE '${p.from}', DATE '${p.to}')`).join(', ');
  return `SELECT * FROM (VALUES ${values}) AS v(period_from, period_to)`;
}

export class UnknownQueryError extends Error {
  constructor(
    readonly queryName: string,
    known: string[],
  ) {
    super(`unknown metric or series '${queryName}' (known: ${known.join(', ')})`);
  }
}

let shared: MetricsRegistry | undefined;
/** The registry of the project's own sql/metrics, read once per process. */
export function metricsRegistry(): MetricsRegistry {
  shared ??= new MetricsRegistry();
  return shared;
}
