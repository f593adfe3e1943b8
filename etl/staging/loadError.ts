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
