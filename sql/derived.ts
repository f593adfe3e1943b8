import type { DuckDBConnection } from '@duckdb/node-api';
import { createHash } from 'node:crypto';
import { readSqlFile, sqlOfBlock } from './files.ts';
import { ownTableNamer, withTablesNarrowed } from './ownTables.ts';
import { inTransaction } from './transaction.ts';

/**
 * The derived tables of sql/derived.sql: per-record history facts built once per load, read by the
 * metric fragments of the same name. `derived_state` records, per table, the latest load it was built
 * after and the definition it was built by, so a table older than the data it reads (a load killed
 * before the rebuild, a warehouse from before it existed) or built by another version of its SELECT
 * is rebuilt after the next load or when the warehouse is next opened for writing.
 */
export interface DerivedTable {
  name: string;
  table: string;
  /** The warehouse tables it is computed from. */
  reads: string[];
  sql: string;
  /** A digest of `sql`: a table built by another definition is built again whole. */
  definition: string;
}

let cached: DerivedTable[] | undefined;
export function derivedTables(): DerivedTable[] {
  cached ??= readSqlFile('derived.sql')
    .split(/^(?=-- derived: )/m)
    .filter((block) => block.startsWith('-- derived: '))
    .map((block) => {
      const name = /^-- derived: (\w+)/.exec(block)![1]!;
      const reads = /^-- reads: (.+)$/m.exec(block)?.[1];
      if (!reads) throw new Error(`derived.sql: ${name} needs '-- reads:'`);
      const sql = sqlOfBlock(block);
      return {
        name,
        table: `derived_${name}`,
        reads: reads.split(',').map((t) => t.trim()),
        sql,
        definition: createHash('sha256').update(sql).digest('hex').slice(0, 16),
      };
    });
  return cached;
}

const stateColumns = 'name VARCHAR, built_after_load INTEGER, built_at TIMESTAMP, definition VARCHAR';

interface BuiltState {
  afterLoad: number;
  definition: string;
}

/**
 * What the warehouse holds of the derived tables: the tables present, and per table the latest
 * load it was built after and by which definition. `built` is undefined when there is no state, or
 * one of its earlier forms (one row for all tables; no definitions): then everything is built again.
 */
async function derivedState(c: DuckDBConnection): Promise<{ existing: Set<string>; built?: Map<string, BuiltState> }> {
  const existing = new Set(
    (await c.runAndReadAll(`SELECT table_name FROM duckdb_tables() WHERE table_name LIKE 'derived_%'`))
      .getRowObjectsJson()
      .map((row) => row['table_name'] as string),
  );
  if (!existing.has('derived_state')) return { existing };
  const definitionColumns = (
    await c.runAndReadAll(
      // pragma_table_info reads one table's columns; duckdb_columns() lists every table's (3 ms
      // against 9–13 ms for a fresh process's first pack).
      `SELECT count(*)::INTEGER AS n FROM pragma_table_info('derived_state') WHERE name = 'definition'`,
    )
  ).getRowObjectsJson()[0]?.['n'];
  if (Number(definitionColumns) === 0) return { existing };
  const built = new Map(
    (await c.runAndReadAll('SELECT name, built_after_load, definition FROM derived_state'))
      .getRowObjectsJson()
      .map((row) => [
        row['name'] as string,
        { afterLoad: Number(row['built_after_load']), definition: String(row['definition']) },
      ]),
  );
  return { existing, built };
}

/**
 * The derived tables to build: those missing, never recorded, built by another definition, or older
 * than a load that wrote one of the tables they read (a merged row carries its load's id, so a load
 * that replaced or added rows there shows). A load of partner measures alone rebuilds none.
 */
export async function staleDerivedTables(c: DuckDBConnection): Promise<DerivedTable[]> {
  const { existing, built } = await derivedState(c);
  if (!built) return derivedTables();
  const stale: DerivedTable[] = [];
  for (const derived of derivedTables()) {
    const state = built.get(derived.name);
    if (!existing.has(derived.table) || state?.definition !== derived.definition) {
      stale.push(derived);
      continue;
    }
    const after = state.afterLoad;
    const written = (
      await c.runAndReadAll(
        `SELECT ${derived.reads.map((t) => `EXISTS (SELECT 1 FROM ${t} WHERE load_id > ${after})`).join(' OR ')} AS written`,
      )
    ).getRowObjectsJson()[0]?.['written'];
    if (written === true) stale.push(derived);
  }
  return stale;
}

/** True when no derived table needs building. */
export async function derivedTablesCurrent(c: DuckDBConnection): Promise<boolean> {
  return (await staleDerivedTables(c)).length === 0;
}

/**
 * A load that touched fewer than this share of the warehouse's children rebuilds their rows of each
 * stale derived table; above it, the whole table is cheaper (one pass, no deletes).
 */
const perChildShare = 0.3;

/**
 * Rebuilds derived tables (all by default) in one transaction: a reader sees all old or all new.
 * Every derived table is per child (each row is one child's), so when a load touched few children
 * only their rows are computed again: the block's SQL runs against temporary views of its tables,
 * of the same names, holding those children's rows (a filter from outside is not pushed through the
 * blocks' windows, so the rows are narrowed where they are read).
 */
export async function rebuildDerivedTables(
  c: DuckDBConnection,
  which: readonly DerivedTable[] = derivedTables(),
): Promise<void> {
  const touched = new TouchedChildren(c);
  await inTransaction(c, async () => {
    const { existing, built } = await derivedState(c);
    if (!built) await c.run(`CREATE OR REPLACE TABLE derived_state (${stateColumns})`);
    for (const derived of which) {
      const state = built?.get(derived.name);
      const rebuiltForChildren =
        state?.definition === derived.definition &&
        existing.has(derived.table) &&
        (await rebuildForTouchedChildren(c, derived, await touched.since(derived.reads, state.afterLoad)));
      if (!rebuiltForChildren) await c.run(`CREATE OR REPLACE TABLE ${derived.table} AS ${derived.sql}`);
      await c.run('DELETE FROM derived_state WHERE name = $name', { name: derived.name });
      await c.run(
        `INSERT INTO derived_state VALUES ($name, (SELECT coalesce(max(load_id), 0) FROM loads), now()::TIMESTAMP, $definition)`,
        { name: derived.name, definition: derived.definition },
      );
    }
    await touched.drop();
  });
}

/**
 * The children later loads touched, and whether they are few enough for a per-child rebuild. Whether
 * they are few is judged on an estimate (HyperLogLog, a few per cent out, which a threshold of 30%
 * can bear), so a load that touched most children (a whole canonical CSV extract) materialises
 * nothing: at 12 M children the exact sets cost seconds per derived table, the estimate 0.14 s. When
 * they are few, the exact set of each source table is found once however many derived tables read
 * it (a census writes five tables that the derived tables share between them).
 */
class TouchedChildren {
  private readonly bySource = new Map<string, string>();
  private warehouseChildren: number | undefined;

  constructor(private readonly c: DuckDBConnection) {}

  /** A relation of the children that loads after `after` wrote to in `sources`, or undefined when they are most. */
  async since(sources: readonly string[], after: number): Promise<string | undefined> {
    const own = await ownTableNamer(this.c);
    this.warehouseChildren ??= Number(
      (await this.c.runAndReadAll(`SELECT count(*)::INTEGER AS n FROM ${own('children')}`)).getRowObjectsJson()[0]?.[
        'n'
      ],
    );
    const [estimate] = (
      await this.c.runAndReadAll(
        `SELECT approx_count_distinct(child_key)::INTEGER AS n FROM (${sources
          .map((source) => `SELECT child_key FROM ${own(source)} WHERE load_id > ${after}`)
          .join(' UNION ALL ')})`,
      )
    ).getRowObjectsJson();
    if (Number(estimate?.['n']) > perChildShare * this.warehouseChildren) return undefined;
    const relations: string[] = [];
    for (const source of sources) {
      const key = `${source}>${after}`;
      let name = this.bySource.get(key);
      if (!name) {
        name = `derived_touched_${this.bySource.size}`;
        await this.c.run(
          `CREATE OR REPLACE TEMP TABLE ${name} AS SELECT DISTINCT child_key FROM ${own(source)} WHERE load_id > ${after}`,
        );
        this.bySource.set(key, name);
      }
      relations.push(`SELECT child_key FROM ${name}`);
    }
    await this.c.run(`CREATE OR REPLACE TEMP TABLE derived_touched AS ${relations.join(' UNION ')}`);
    return 'derived_touched';
  }

  async drop(): Promise<void> {
    for (const name of [...this.bySource.values(), 'derived_touched'])
      await this.c.run(`DROP TABLE IF EXISTS temp.${name}`);
  }
}

/** Recomputes the rows of the children in `children`; false when there is no such set (most were touched). */
async function rebuildForTouchedChildren(
  c: DuckDBConnection,
  derived: DerivedTable,
  children: string | undefined,
): Promise<boolean> {
  if (!children) return false;
  await withTablesNarrowed(c, derived.reads, children, { copy: false }, async (own) => {
    await c.run(`DELETE FROM ${own(derived.table)} WHERE child_key IN (SELECT child_key FROM ${children})`);
    await c.run(`INSERT INTO ${own(derived.table)} ${derived.sql}`);
  });
  return true;
}

/** Rebuilds the derived tables that are missing or stale; returns how many were built. */
export async function ensureDerivedTables(c: DuckDBConnection): Promise<number> {
  const stale = await staleDerivedTables(c);
  if (stale.length > 0) await rebuildDerivedTables(c, stale);
  return stale.length;
}
