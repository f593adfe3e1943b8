import { DuckDBInstance, type DuckDBConnection, type DuckDBValue } from '@duckdb/node-api';
import { AsyncLocalStorage } from 'node:async_hooks';
import { chmodSync, existsSync, mkdirSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { projectRoot, readSqlFile, referenceDir } from './files.ts';
import { ensureDerivedTables } from './derived.ts';
import { loadMemoryLimit, machineSettings, memorySettings } from './machine.ts';
import { applyReference } from './reference.ts';
import { inTransaction } from './transaction.ts';

export { projectRoot, readSqlFile } from './files.ts';
export const defaultWarehousePath = resolve(projectRoot, 'data/lscb.duckdb');

export interface WarehouseOptions {
  readOnly?: boolean;
  /** Units of work that may hold a connection at once (default 8); the rest wait their turn. */
  maxConcurrent?: number;
}

/**
 * A counting semaphore. DuckDB's node bindings run every call on libuv's small thread pool, and
 * connect() can hang when that pool is exhausted (duckdb-node-neo#325), so concurrent work is capped
 * below the pool size (bin/lscb.js sets UV_THREADPOOL_SIZE).
 */
class Semaphore {
  private waiting: (() => void)[] = [];
  constructor(private available: number) {}
  async acquire(): Promise<void> {
    if (this.available > 0) {
      this.available -= 1;
      return;
    }
    await new Promise<void>((resolve) => this.waiting.push(resolve));
  }
  release(): void {
    const next = this.waiting.shift();
    if (next) next();
    else this.available += 1;
  }
}

/** Owner-only: the warehouse holds child-level records (docs/SECURITY.md, "Files at rest"). */
function restrictToOwner(path: string): void {
  if (existsSync(path)) chmodSync(path, 0o600);
}

/**
 * DuckDB's memory_limit and temp_directory (sql/machine.ts: a sixteenth of the machine, 1 to 8 GiB, or as
 * configured). Without a configured folder, a file warehouse spills into `<file>.tmp` beside it,
 * made owner-only here because spilled pages hold the same child-level records as the file (DuckDB
 * would create it later with the umask's permissions).
 */
function memoryOptions(warehousePath: string, readOnly: boolean): Record<string, string> {
  const memory = memorySettings();
  const options: Record<string, string> = {
    memory_limit: memory.duckdbMemoryLimit,
  };
  const configured = memory.duckdbTempDirectory;
  const folder = configured ?? (warehousePath === ':memory:' ? undefined : `${warehousePath}.tmp`);
  if (folder === undefined) return options;
  options['temp_directory'] = folder;
  if (!readOnly && !existsSync(folder)) mkdirSync(folder, { recursive: true, mode: 0o700 });
  // Our own folder is kept private even if an older lscb or DuckDB made it; an administrator's is theirs.
  if (!readOnly && configured === undefined) chmodSync(folder, 0o700);
  return options;
}

/**
 * A load's memory_limit, from its first file to the end of its batch (derived rebuild and
 * checkpoint included): five sixths of the warehouse's (sql/machine.ts, loadMemoryLimit), which
 * keeps the 12 M loads' peaks well under 2 GB. The setting is the instance's, not the connection's.
 */
export async function memoryForLoad(c: DuckDBConnection, warehouse: Warehouse): Promise<void> {
  await c.run(`SET GLOBAL memory_limit = '${loadMemoryLimit(warehouse.memoryLimit)}'`);
}

/**
 * From a batch's first bulk read (a canonical CSV file, read by DuckDB's parallel read_csv) to its
 * end, DuckDB's allocator hands back what each task freed. Otherwise it keeps up to 128 MB per thread
 * for the next task: through a bulk load the process then held about half a gigabyte beyond
 * memory_limit (the 12 M CSV load peaked at 2.1 GB); handing it back, from a background thread, took
 * that load to 1.75-1.86 GB for 7% more time, but cost the census 20-25%, so only bulk reads do it
 * (docs/BENCHMARKS.md, "The allocator's cache").
 */
export async function memoryForBulkRead(c: DuckDBConnection): Promise<void> {
  await c.run(`SET GLOBAL allocator_flush_threshold = '16MB'`);
  await c.run('SET GLOBAL allocator_background_threads = true');
}

/** Back to the warehouse's own: freed memory kept for the next task, and its memory_limit. */
export async function memoryAfterLoad(c: DuckDBConnection, warehouse: Warehouse): Promise<void> {
  await c.run('RESET GLOBAL allocator_flush_threshold');
  await c.run('RESET GLOBAL allocator_background_threads');
  await c.run(`SET GLOBAL memory_limit = '${warehouse.memoryLimit}'`);
}

/**
 * DuckDB lets one process open a file for writing. A second `lscb load` or a load while `lscb serve`
 * runs would otherwise end in DuckDB's lock error and a stack trace; this names the process instead.
 */
export class WarehouseInUseError extends Error {
  override name = 'WarehouseInUseError';

  static from(err: unknown, path: string): WarehouseInUseError | undefined {
    const message = err instanceof Error ? err.message : String(err);
    if (!/Could not set lock on file/i.test(message)) return undefined;
    const pid = /\(PID (\d+)\)/.exec(message)?.[1];
    return new WarehouseInUseError(
      `the warehouse ${path} is in use by ${pid ? `process ${pid}` : 'another process'} ` +
        '(a running lscb serve or lscb load): wait for it to finish or stop it, then try again',
    );
  }
}

/** Marks async work already holding a permit, so nested units of work do not wait on themselves. */
const holdingPermit = new AsyncLocalStorage<boolean>();

/**
 * The DuckDB warehouse: one instance per file per process (DuckDB allows one writer per file), and a
 * fresh connection per unit of work, because connections carry state and must not be shared by
 * concurrent queries.
 */
export class Warehouse {
  private readonly permits: Semaphore;

  private constructor(
    readonly path: string,
    private readonly instance: DuckDBInstance,
    maxConcurrent: number,
    /** DuckDB's worker threads (sql/machine.ts: the machine's cores, or as configured). */
    readonly threads: number,
    /** DuckDB's memory_limit as opened (sql/machine.ts: a sixteenth of the machine, or as configured). */
    readonly memoryLimit: string,
    /** Opened read-only: nothing may be written, not even a precomputed result. */
    readonly readOnly: boolean,
  ) {
    this.permits = new Semaphore(maxConcurrent);
  }

  static async open(path: string = defaultWarehousePath, options: WarehouseOptions = {}): Promise<Warehouse> {
    const absolute = path === ':memory:' ? path : resolve(path);
    if (absolute !== ':memory:' && !options.readOnly) mkdirSync(dirname(absolute), { recursive: true });
    // A load writes a census year at a time; checkpointing after each (DuckDB's default is every
    // 16 MB of WAL) rewrote the growing tables again and again. Loads checkpoint once when they end.
    const threads = machineSettings().duckdbThreads;
    const settings: Record<string, string> = { threads: String(threads), checkpoint_threshold: '1GB' };
    Object.assign(settings, memoryOptions(absolute, options.readOnly === true));
    if (options.readOnly) settings['access_mode'] = 'READ_ONLY';
    const instance = await DuckDBInstance.create(absolute, settings).catch((err: unknown) => {
      throw WarehouseInUseError.from(err, absolute) ?? err;
    });
    // A warehouse made before files were created owner-only, or by a process with a loose umask.
    if (absolute !== ':memory:' && !options.readOnly)
      for (const file of [absolute, `${absolute}.wal`]) restrictToOwner(file);
    const warehouse = new Warehouse(
      absolute,
      instance,
      options.maxConcurrent ?? 8,
      threads,
      settings['memory_limit']!,
      options.readOnly === true,
    );
    if (!options.readOnly) await warehouse.withConnection((c) => applySchema(c));
    return warehouse;
  }

  /**
   * Bumped whenever this process changes the data (an upload's load) or what the pack reads beside
   * it (an indicator, a note of practice), so cached results of earlier inputs are never served. DuckDB lets one process write a file, so no other process can
   * change it underneath.
   */
  dataVersion = 0;

  markChanged(): void {
    this.dataVersion += 1;
    for (const listener of this.changeListeners) listener();
  }

  private readonly changeListeners: (() => void)[] = [];

  /** Called after every change of the data this process makes (server/http/warmPacks.ts). */
  onChanged(listener: () => void): void {
    this.changeListeners.push(listener);
  }

  async connect(): Promise<DuckDBConnection> {
    return this.instance.connect();
  }

  async withConnection<T>(work: (connection: DuckDBConnection) => Promise<T>): Promise<T> {
    const nested = holdingPermit.getStore() === true;
    if (!nested) await this.permits.acquire();
    try {
      return await holdingPermit.run(true, async () => {
        const connection = await this.instance.connect();
        try {
          return await work(connection);
        } finally {
          connection.closeSync();
        }
      });
    } finally {
      if (!nested) this.permits.release();
    }
  }

  /** Runs one statement and returns its rows as JSON-safe objects (dates as YYYY-MM-DD strings). */
  async query<T = Record<string, unknown>>(sql: string, params?: Record<string, DuckDBValue>): Promise<T[]> {
    return this.withConnection(async (c) => {
      const reader = params ? await c.runAndReadAll(sql, params) : await c.runAndReadAll(sql);
      return reader.getRowObjectsJson() as T[];
    });
  }

  close(): void {
    this.instance.closeSync();
  }
}

/**
 * Warehouses made before the strategy lead's role have a CHECK on users.role without 'lead'; DuckDB
 * cannot alter a CHECK, so the table is rebuilt with its rows, once.
 */
async function allowLeadRole(c: DuckDBConnection): Promise<void> {
  const reader = await c.runAndReadAll(
    `SELECT count(*)::INTEGER AS n FROM duckdb_constraints()
     WHERE table_name = 'users' AND constraint_type = 'CHECK' AND expression NOT LIKE '%lead%'`,
  );
  if ((reader.getRowObjectsJson()[0]?.['n'] as number) === 0) return;
  await inTransaction(c, async () => {
    await c.run('ALTER TABLE users RENAME TO users_before_lead');
    await c.run(readSqlFile('access.sql'));
    await c.run('INSERT INTO users SELECT * FROM users_before_lead');
    await c.run('DROP TABLE users_before_lead');
  });
}

/** Creates the schema and the bundled reference tables; safe on an existing warehouse. */
async function applySchema(c: DuckDBConnection): Promise<void> {
  await c.run(readSqlFile('schema.sql'));
  await c.run(readSqlFile('access.sql'));
  await allowLeadRole(c);
  const holidays = await c.runAndReadAll('SELECT count(*)::INTEGER AS n FROM bank_holidays');
  if ((holidays.getRowObjectsJson()[0]?.['n'] as number) === 0) {
    await c.run(
      `INSERT INTO bank_holidays SELECT date::DATE, name
       FROM read_csv($path, header = true, columns = {'date': 'VARCHAR', 'name': 'VARCHAR'})`,
      { path: resolve(referenceDir, 'calendar/england_bank_holidays.csv') },
    );
  }
  // Conventions come after the calendar: the working-day index is built from the bank holidays.
  await c.run(readSqlFile('conventions.sql'));
  await applyReference(c, referenceDir);
  // History facts the metrics read (sql/derived.sql): built if this warehouse's are missing or stale.
  await ensureDerivedTables(c);
}
