import type { DuckDBConnection } from '@duckdb/node-api';
import { readdirSync, readFileSync } from 'node:fs';
import { basename, resolve } from 'node:path';
import { projectRoot } from '../../sql/warehouse.ts';
import { isRealDate, type Period } from './calendar.ts';

/**
 * The metrics registry: every named query in sql/metrics/*.sql, read once. The CLI, the API and the
 * tests all run figures through it, so a figure is defined in exactly one place (its SQL).
 *
 * A file holds one family; each query starts with a header:
 *   -- query: <name>
 *   -- shape: row | rows
 *   -- METRICS.md §n: "<the clause it implements>"
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
}

export type QueryParams = Record<string, string | number>;

const metricsDir = resolve(projectRoot, 'sql/metrics');

function parseFamily(path: string): MetricQuery[] {
  const family = basename(path, '.sql');
  const text = readFileSync(path, 'utf8');
  const blocks = text.split(/^(?=-- query: )/m).filter((block) => block.startsWith('-- query: '));
  return blocks.map((block) => {
    const name = /^-- query: (\S+)/.exec(block)?.[1];
    const shape = /^-- shape: (row|rows)\s*$/m.exec(block)?.[1];
    if (!name || !shape) throw new Error(`${basename(path)}: every query needs '-- query: name' and '-- shape: row|rows'`);
    const lines = block.split('\n');
    const clause = lines
      .filter((line) => line.startsWith('--') && !/^-- (query|shape):/.test(line))
      .map((line) => line.replace(/^--\s?/, ''))
      .join('\n');
    const sql = lines.filter((line) => !line.startsWith('--')).join('\n').trim().replace(/;\s*$/, '');
    const params = [...new Set([...sql.matchAll(/\$([a-z_][a-z0-9_]*)/g)].map((m) => m[1]!))];
    const usesPeriods = /\bperiods\b/.test(sql);
    return { name, family, shape: shape as 'row' | 'rows', clause, sql, params, usesPeriods };
  });
}

export class MetricsRegistry {
  private readonly queries = new Map<string, MetricQuery>();

  constructor(dir: string = metricsDir) {
    for (const file of readdirSync(dir).filter((f) => f.endsWith('.sql')).sort()) {
      for (const query of parseFamily(resolve(dir, file))) {
        if (this.queries.has(query.name)) throw new Error(`metric query '${query.name}' is defined twice`);
        this.queries.set(query.name, query);
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
   * on this connection, so one statement computes one period or a whole calendar of them.
   */
  async run(c: DuckDBConnection, name: string, options: RunOptions = {}): Promise<Record<string, unknown>[]> {
    const query = this.get(name);
    if (query.usesPeriods) {
      if (!options.periods || options.periods.length === 0) throw new Error(`metric query '${name}' needs periods`);
      await setPeriods(c, options.periods);
    }
    const bound: QueryParams = {};
    for (const param of query.params) {
      const value = options.params?.[param];
      if (value === undefined) throw new Error(`metric query '${name}' needs parameter $${param}`);
      bound[param] = value;
    }
    const reader = await c.runAndReadAll(query.sql, bound);
    return reader.getRowObjectsJson() as Record<string, unknown>[];
  }

  async runOne(c: DuckDBConnection, name: string, options: RunOptions = {}): Promise<Record<string, unknown>> {
    return (await this.run(c, name, options))[0] ?? {};
  }
}

export interface RunOptions {
  periods?: Period[];
  params?: QueryParams;
}

async function setPeriods(c: DuckDBConnection, periods: Period[]): Promise<void> {
  for (const period of periods) {
    // Dates are checked here as well as at every door, because they are written into the SQL.
    if (!isRealDate(period.from) || !isRealDate(period.to)) throw new Error(`not a period: ${JSON.stringify(period)}`);
  }
  const values = periods.map((p) => `(DATE '${p.from}', DATE '${p.to}')`).join(', ');
  await c.run(`CREATE OR REPLACE TEMP TABLE periods AS SELECT * FROM (VALUES ${values}) AS v(period_from, period_to)`);
}

export class UnknownQueryError extends Error {
  constructor(readonly queryName: string, known: string[]) {
    super(`unknown metric or series '${queryName}' (known: ${known.join(', ')})`);
  }
}

let shared: MetricsRegistry | undefined;
/** The registry of the project's own sql/metrics, read once per process. */
export function metricsRegistry(): MetricsRegistry {
  shared ??= new MetricsRegistry();
  return shared;
}
