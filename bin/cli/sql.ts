import { existsSync } from 'node:fs';
import { Warehouse, defaultWarehousePath } from '../../sql/warehouse.ts';
import { quarterOf } from '../../metrics/contract/quarters.ts';
import { metricsRegistry, type MetricQuery, type QueryParams } from '../../metrics/registry.ts';
import type { Period } from '../../metrics/calendar.ts';
import { isoDate, parseFlags, UsageError, type Command } from './command.ts';

export const command: Command = {
  name: 'sql',
  summary: 'Print a registry query as SQL to run in the DuckDB shell',
  help: `Usage: lscb sql NAME [--from YYYY-MM-DD --to YYYY-MM-DD] [--param KEY=VALUE]... [--db FILE]
       lscb sql --list

Prints one query of the metrics registry (sql/metrics/*.sql) as a single statement that runs
unchanged in the DuckDB shell against the warehouse: shared fragments included, the period as a
leading "periods" CTE, parameters written in as literals. The METRICS.md clause it implements is
printed above it as comments. The macros it calls (open_at, overlaps_period, duration_band,
rate_per_10k, ...; sql/conventions.sql) are stored in the warehouse, so nothing else is needed:

  lscb sql cp_open --from 2025-01-01 --to 2025-03-31 > cp_open.sql
  duckdb -readonly data/lscb.duckdb < cp_open.sql

(The shell must be at least as new as the DuckDB that wrote the warehouse: the version of
@duckdb/node-api in package.json, 1.5 today. DuckDB lets no other process open a file that one is
writing: while lscb serve runs, run the SQL on a copy of the warehouse.)

NAME is a query name (lscb sql --list) or a figure key such as cp_open_neglect_initial or
prevalence.cp_open (the query whose result has that column). Without dates the period is the
latest complete quarter of the warehouse's data.

Options:
  --from DATE        first day of the period
  --to DATE          last day of the period, and the as-at date
  --param KEY=VALUE  a parameter the query needs ($KEY); a plain number is written as a number,
                     anything else as a quoted string (give '202' with its quotes to force text)
  --db FILE          warehouse used for the default period and to find a figure's query
                     (default ${defaultWarehousePath}; opened read-only)
  --list             list the query names, with the file each is in`,
  async run(argv) {
    const { values, positionals } = parseFlags('sql', argv, {
      from: { type: 'string' },
      to: { type: 'string' },
      param: { type: 'string', multiple: true },
      db: { type: 'string' },
      list: { type: 'boolean', default: false },
    });
    const registry = metricsRegistry();
    if (values.list) {
      for (const name of registry.names())
        console.log(`${name.padEnd(40)} sql/metrics/${registry.get(name).family}.sql`);
      return 0;
    }
    const [name, ...extra] = positionals;
    if (!name || extra.length > 0)
      throw new UsageError("lscb sql: give one query or figure name. Try 'lscb sql --help'.");
    const from = isoDate('sql', 'from', values.from);
    const to = isoDate('sql', 'to', values.to);
    if ((from === undefined) !== (to === undefined))
      throw new UsageError('lscb sql: give both --from and --to, or neither.');
    if (from && to && from > to) throw new UsageError(`lscb sql: --from ${from} is after --to ${to}.`);
    const params = parseParams(values.param ?? []);

    let warehouse: Warehouse | undefined;
    const openWarehouse = async (): Promise<Warehouse> => {
      if (warehouse) return warehouse;
      const dbPath = values.db ?? defaultWarehousePath;
      // A figure's query is found by describing queries, which needs only the schema and macros: an
      // empty in-memory warehouse does when there is no file, or when another process (lscb serve)
      // holds it; only the default period needs the data itself.
      if (existsSync(dbPath)) {
        try {
          warehouse = await Warehouse.open(dbPath, { readOnly: true });
          return warehouse;
        } catch (err) {
          if (!(from && to)) {
            throw new UsageError(
              `lscb sql: cannot open ${dbPath} (${(err as Error).message.split('\n')[0]}); give --from and --to.`,
            );
          }
        }
      }
      warehouse = await Warehouse.open(':memory:');
      return warehouse;
    };
    try {
      const query = await resolveQuery(name, openWarehouse);
      let periods: Period[] | undefined;
      if (query.usesPeriods) periods = [from && to ? { from, to } : await latestQuarter(await openWarehouse())];
      const missing = query.params.filter((p) => params[p] === undefined);
      if (missing.length > 0) {
        throw new UsageError(
          `lscb sql: query '${query.name}' needs ${missing.map((p) => `--param ${p}=…`).join(' ')}.`,
        );
      }
      console.log(header(query, name, periods));
      console.log(registry.expand(query.name, { ...(periods ? { periods } : {}), params }));
      return 0;
    } finally {
      warehouse?.close();
    }
  },
};

/** --param k=v, repeated. */
function parseParams(pairs: string[]): QueryParams {
  const params: QueryParams = {};
  for (const pair of pairs) {
    const m = /^([a-z_][a-z0-9_]*)=(.*)$/.exec(pair);
    if (!m) throw new UsageError(`lscb sql: --param must be KEY=VALUE, not '${pair}'.`);
    const value = m[2]!;
    const quoted = /^'(.*)'$/.exec(value);
    params[m[1]!] = quoted ? quoted[1]! : /^-?\d+(\.\d+)?$/.test(value) ? Number(value) : value;
  }
  return params;
}

/** A query name, or a figure key (optionally family.key or key.band) found among the row queries. */
async function resolveQuery(name: string, openWarehouse: () => Promise<Warehouse>): Promise<MetricQuery> {
  const registry = metricsRegistry();
  if (registry.has(name)) return registry.get(name);
  const warehouse = await openWarehouse();
  const segments = name.split('.');
  // section.key (as the API and trend name figures): look in that family first.
  const family = segments.length > 1 && registry.family(segments[0]!).length > 0 ? segments[0] : undefined;
  for (const scope of family ? [family, undefined] : [undefined]) {
    for (const key of segments) {
      const query = await warehouse.withConnection((c) => registry.queryForFigure(c, key, scope));
      if (query) return query;
    }
  }
  throw new UsageError(
    `lscb sql: '${name}' is neither a query nor a figure of one. 'lscb sql --list' names the queries.`,
  );
}

/** The latest complete quarter of the data, as `lscb metrics` defaults. */
async function latestQuarter(warehouse: Warehouse): Promise<Period> {
  const extent = await warehouse.withConnection((c) => metricsRegistry().runOne(c, 'data_extent'));
  const end = extent['latest_quarter_end'] as string | null | undefined;
  if (!end) throw new UsageError('lscb sql: the warehouse has no loaded data; give --from and --to.');
  const { from, to } = quarterOf(end);
  return { from, to };
}

function header(query: MetricQuery, asked: string, periods: Period[] | undefined): string {
  const lines = [
    `-- lscb sql ${asked}: query '${query.name}' from sql/metrics/${query.family}.sql` +
      (asked === query.name ? '' : ` (the query whose result has ${asked})`),
    ...(periods ? [`-- Period ${periods[0]!.from} to ${periods[0]!.to} (as at ${periods[0]!.to}).`] : []),
    '-- Run it against the warehouse, e.g. duckdb -readonly data/lscb.duckdb < this.sql',
    ...query.clause
      .split('\n')
      .filter((line) => line.trim() !== '')
      .map((line) => `-- ${line}`),
  ];
  return lines.join('\n');
}
