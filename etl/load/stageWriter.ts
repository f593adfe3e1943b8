import type { DuckDBAppender, DuckDBConnection } from '@duckdb/node-api';
import { basename } from 'node:path';
import { tableSpec, type CanonicalTable, type TableSpec } from '../canonical/model.ts';
import { createStageTable, stageTableName } from './stageTable.ts';

/** Problems a reader finds before any row exists (broken structure, unknown elements). */
export const readRejectsTable = 'stage_read_rejects';

export async function createReadRejectsTable(c: DuckDBConnection): Promise<void> {
  await c.run(
    `CREATE OR REPLACE TEMP TABLE ${readRejectsTable} (src_file VARCHAR, src_row VARCHAR, field VARCHAR, value VARCHAR, reason VARCHAR)`,
  );
}

/**
 * Streams a reader's rows into the staging tables through DuckDB's appender (never row-by-row
 * INSERT). Values are text; a missing value is NULL. Readers call `row` and `reject`, then `close`.
 */
export class StageWriter {
  private readonly appenders = new Map<CanonicalTable, { appender: DuckDBAppender; spec: TableSpec }>();
  private readonly rejectAppender: Promise<DuckDBAppender>;
  private readonly fileName: string;
  rowsRejectedOnRead = 0;
  private readonly rowsAppended = new Set<CanonicalTable>();

  private constructor(
    private readonly c: DuckDBConnection,
    path: string,
  ) {
    this.fileName = basename(path);
    this.rejectAppender = c.createAppender(readRejectsTable);
  }

  /** The load creates the read-rejects table before the reader runs. */
  static open(c: DuckDBConnection, path: string): StageWriter {
    return new StageWriter(c, path);
  }

  private async appenderFor(table: CanonicalTable) {
    let entry = this.appenders.get(table);
    if (!entry) {
      const spec = tableSpec(table);
      await createStageTable(this.c, spec);
      entry = { appender: await this.c.createAppender(stageTableName(spec)), spec };
      this.appenders.set(table, entry);
    }
    return entry;
  }

  /** Opens the staging tables up front, so `append` can stay synchronous on a hot path. */
  async prepare(tables: CanonicalTable[]): Promise<void> {
    for (const table of tables) await this.appenderFor(table);
  }

  async row(table: CanonicalTable, srcRow: string, values: Record<string, string | undefined>): Promise<void> {
    await this.appenderFor(table);
    this.append(table, srcRow, values);
  }

  /** Appends one staged row to a table opened by `prepare`. */
  append(table: CanonicalTable, srcRow: string, values: Record<string, string | undefined>): void {
    const entry = this.appenders.get(table);
    if (!entry) throw new Error(`staging table ${table} was not prepared`);
    const { appender, spec } = entry;
    appender.appendVarchar(this.fileName);
    appender.appendVarchar(srcRow);
    for (const column of spec.columns) {
      const value = values[column.name];
      if (value === undefined) appender.appendNull();
      else appender.appendVarchar(value);
    }
    appender.endRow();
    this.rowsAppended.add(table);
  }

  /** A part of the file that could not become a row: kept, with where and why. */
  async reject(srcRow: string, field: string | undefined, value: string | undefined, reason: string): Promise<void> {
    const appender = await this.rejectAppender;
    appender.appendVarchar(this.fileName);
    appender.appendVarchar(srcRow);
    if (field === undefined) appender.appendNull();
    else appender.appendVarchar(field);
    if (value === undefined) appender.appendNull();
    else appender.appendVarchar(value.slice(0, 200));
    appender.appendVarchar(reason);
    appender.endRow();
    this.rowsRejectedOnRead += 1;
  }

  /** Flushes everything; returns the tables that received rows. */
  async close(): Promise<TableSpec[]> {
    for (const { appender } of this.appenders.values()) appender.closeSync();
    (await this.rejectAppender).closeSync();
    return [...this.appenders.entries()].filter(([table]) => this.rowsAppended.has(table)).map(([, entry]) => entry.spec);
  }
}
