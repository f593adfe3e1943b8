import { basename } from 'node:path';

/** A file that cannot be loaded at all: names the file, the row (or part) and the field. */
export class LoadError extends Error {
  constructor(
    readonly file: string,
    readonly row: string,
    readonly field: string | undefined,
    readonly reason: string,
  ) {
    super(`${basename(file)}: ${row}${field ? `, field ${field}` : ''}: ${reason}`);
  }
}

/**
 * A canonical CSV read by position that DuckDB's strict mode refused (a record with too few or too
 * many fields): not a failed file yet. The load reads it again record by record, each record with
 * its line, as it does a file the scan found irregular; only if that fails too is the file refused.
 */
export class IrregularCsvError extends LoadError {}
