import { closeSync, openSync, rmSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { tableSpec, type CanonicalTable } from '../canonical/model.ts';
import { provenanceColumn, type StagedTable } from './stagedTable.ts';

/** Problems a reader finds before any row exists (broken structure, unknown elements). */
export interface ReadRejects {
  csvPaths: readonly string[];
  count: number;
}

export const readRejectsHeader = [provenanceColumn, 'field', 'value', 'reason'] as const;

/** The longest value a staged row may hold (DuckDB reads a staged line of up to 2 MB). */
export const maxValueLength = 100_000;

/** Each file's buffer: written out when the next line would not fit, so memory stays flat on any input. */
const flushAt = 1 << 20;
const lineFeed = 0x0a;

/**
 * One CSV file being written: each line goes into a buffer as soon as it is made, and the buffer
 * to the file when full, in large synchronous pieces.
 */
class CsvFile {
  private readonly fd: number;
  private readonly buffer = Buffer.allocUnsafe(flushAt);
  private used = 0;
  rows = 0;

  constructor(
    readonly path: string,
    readonly header: readonly string[],
  ) {
    this.fd = openSync(path, 'w');
    this.line(header[0], header.slice(1));
    this.rows = 0;
  }

  /** One line: `first`, then `rest`. */
  line(first: string | undefined, rest: readonly (string | undefined)[]): void {
    const fields: string[] = [csvValue(first)];
    for (let i = 0; i < rest.length; i += 1) fields.push(csvValue(rest[i]));
    // Encoded into the buffer at once, the line dies young: lines held as strings until a flush
    // outlived the young generation's collections and were copied on the way out (a census read's
    // collections and the join of its held lines, docs/BENCHMARKS.md).
    const text = fields.join(',');
    this.rows += 1;
    // A UTF-16 unit is at most 3 bytes of UTF-8: test the length first, count bytes only when near.
    // The line feed is a byte of its own: appended to the text, it made a second string to copy.
    if (this.used + 3 * text.length + 1 > flushAt && this.used + Buffer.byteLength(text) + 1 > flushAt) {
      this.flush();
      if (Buffer.byteLength(text) + 1 > flushAt) {
        writeSync(this.fd, `${text}\n`);
        return;
      }
    }
    this.used += this.buffer.write(text, this.used);
    this.buffer[this.used++] = lineFeed;
  }

  flush(): void {
    if (this.used === 0) return;
    writeSync(this.fd, this.buffer, 0, this.used);
    this.used = 0;
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    this.flush();
    closeSync(this.fd);
  }

  private closed = false;
}

/**
 * A value as a CSV field: trimmed (so validation need not trim; StagedTable.spacesAtEdges), empty
 * when missing, quoted only when a comma, quote or line break would change it.
 */
function csvValue(raw: string | undefined): string {
  const value = raw?.trim();
  if (!value) return '';
  if (/[",\n\r]/.test(value)) return `"${value.replaceAll('"', '""')}"`;
  return value;
}

/**
 * Transcribes a reader's rows into staged CSV files (one per canonical table, plus one of read
 * rejects) in the load's staging folder. Values are text; a missing value is an empty field.
 * Readers call `row` and `reject`, then `close`.
 */
export class StageWriter {
  private readonly tables = new Map<CanonicalTable, { file: CsvFile; columns: string[] }>();
  private readonly rejects: CsvFile;
  rowsRejectedOnRead = 0;

  constructor(private readonly stagingDir: string) {
    this.rejects = new CsvFile(join(stagingDir, 'read_rejects.csv'), readRejectsHeader);
  }

  private fileFor(table: CanonicalTable) {
    let entry = this.tables.get(table);
    if (!entry) {
      const columns = tableSpec(table).columns.map((col) => col.name);
      entry = { file: new CsvFile(join(this.stagingDir, `${table}.csv`), [provenanceColumn, ...columns]), columns };
      this.tables.set(table, entry);
    }
    return entry;
  }

  /** Stages one row; `srcRow` says where in the source file it came from. */
  row(table: CanonicalTable, srcRow: string, values: Record<string, string | undefined>): void {
    const { columns } = this.fileFor(table);
    this.rowInOrder(
      table,
      srcRow,
      columns.map((column) => values[column]),
    );
  }

  /** Stages one row given as its values in the table's column order (tableSpec(table).columns). */
  rowInOrder(table: CanonicalTable, srcRow: string, values: readonly (string | undefined)[]): void {
    const entry = this.fileFor(table);
    // No value of an extract comes near this; a longer one (30 MB in one element) would make a
    // staged line DuckDB refuses, and the message would name a line of our own file, not the
    // element. So the record is rejected here, naming where it was and which field.
    for (let i = 0; i < values.length; i += 1) {
      const length = values[i]?.length ?? 0;
      if (length > maxValueLength) {
        this.reject(
          srcRow,
          entry.columns[i],
          values[i]!.slice(0, 60),
          `is ${length.toLocaleString('en-GB')} characters long; no value in an extract is longer than ${maxValueLength.toLocaleString('en-GB')}`,
        );
        return;
      }
    }
    entry.file.line(srcRow, values);
  }

  /** A part of the file that could not become a row: kept, with where and why. */
  reject(srcRow: string, field: string | undefined, value: string | undefined, reason: string): void {
    this.rejects.line(srcRow, [field, value?.slice(0, 200), reason]);
    this.rowsRejectedOnRead += 1;
  }

  /** Flushes everything; returns the tables that received rows, and the read rejects. */
  close(): { tables: StagedTable[]; readRejects: ReadRejects } {
    const tables: StagedTable[] = [];
    for (const [table, { file }] of this.tables) {
      file.close();
      if (file.rows > 0)
        tables.push({
          spec: tableSpec(table),
          csvPaths: [file.path],
          header: file.header,
          provenance: 'src_row',
          spacesAtEdges: false,
        });
    }
    this.rejects.close();
    return { tables, readRejects: { csvPaths: [this.rejects.path], count: this.rowsRejectedOnRead } };
  }

  /** Closes the files after a failure; the staging folder is removed by the load. */
  abandon(): void {
    for (const { file } of this.tables.values()) file.close();
    this.rejects.close();
  }

  /** Closes and deletes the files, for a reader that starts the read again with a fresh writer. */
  discard(): void {
    this.abandon();
    for (const { file } of this.tables.values()) rmSync(file.path, { force: true });
    rmSync(this.rejects.path, { force: true });
  }
}
