import type { DuckDBConnection } from '@duckdb/node-api';
import type { TableSpec } from '../canonical/model.ts';

export type ExtractFormat = 'canonical-csv' | 'cin-census-xml' | 'annex-a-xlsx' | 'unknown';

/** What a reader leaves behind: staged tables (stage_<table>), and what it could tell of the file. */
export interface StagedExtract {
  tables: TableSpec[];
  /** The extract's own reference date (CIN census header), when it has one. */
  referenceDate?: string;
  /** Parts of the file rejected while reading (recorded in stage_read_rejects). */
  rowsRejectedOnRead: number;
}

/**
 * One reader per input format. A reader turns a file into staged text rows and nothing more:
 * validation and merging are the same SQL for every format. A file it cannot read at all makes
 * it throw a LoadError naming the file, the row or element, and the field.
 */
export interface ExtractReader {
  format: ExtractFormat;
  stage(c: DuckDBConnection, path: string, progress?: ReadProgress): Promise<StagedExtract>;
}

/** Called as a streaming reader goes through a file, for progress lines on large files. */
export type ReadProgress = (bytesRead: number, totalBytes: number) => void;
