import type { CensusPart, CensusPartTally } from './cinCensusParts.ts';
import type { FileScan } from '../staging/fileScan.ts';
import type { StagedTable } from '../staging/stagedTable.ts';
import type { ReadRejects } from '../staging/stageWriter.ts';

export type ExtractFormat =
  'canonical-csv' | 'cin-census-xml' | 'annex-a-xlsx' | 'annex-a-csv' | 'ssda903-csv' | 'ssda903-xml' | 'unknown';

/** What a reader leaves behind: staged tables as text CSV, and what it could tell of the file. */
export interface StagedExtract {
  tables: StagedTable[];
  /** Parts of the file rejected while reading, staged as CSV; none for canonical CSV. */
  readRejects?: ReadRejects;
  /** The extract's own reference date (CIN census header), when it has one. */
  referenceDate?: string;
  /** The LA code the file states (CIN census header `LEA`), when it states one: a file from another LA is refused unless confirmed. */
  laCode?: string;
  /** A census read in parts: the children and lines before this part and before its end. */
  partTally?: CensusPartTally;
}

/**
 * Formats that state no reference date but are returns up to one (Annex A; SSDA903 belongs here
 * too): the load takes the latest event date in the staged rows, dates of birth aside and nothing
 * after the day of loading (docs/DATA.md "Reference dates"). A date the person loading gives wins
 * over it. Any other format without a stated date (canonical CSV) is refused unless one is given.
 */
export const formatsDatedByLatestEvent: ReadonlySet<ExtractFormat> = new Set<ExtractFormat>([
  'annex-a-xlsx',
  'annex-a-csv',
  'ssda903-csv',
  'ssda903-xml',
]);

/**
 * One reader per input format. A reader turns a file into staged text and nothing more: validation
 * and merging are the same SQL for every format. It needs no database, so it can run ahead of the
 * load in a worker thread. A file it cannot read at all makes it throw a LoadError naming the file,
 * the row or element, and the field.
 */
export interface ExtractReader {
  format: ExtractFormat;
  stage(path: string, context: StageContext): Promise<StagedExtract>;
}

export interface StageContext {
  /** Where transcribed files go; the load creates it and removes it afterwards. */
  stagingDir: string;
  /** What the load's first read of the file found, for readers that wait for it (canonical CSV). */
  scan?: FileScan;
  progress?: ReadProgress;
  /** The installation's UPN key, as hex (etl/identity/upnKey.ts), for readers of files with UPNs. */
  upnKey?: string;
  /** A census read in parts (etl/readers/cinCensusParts.ts): the part this read takes. */
  part?: CensusPart;
}

/** Called as a streaming reader goes through a file, for progress lines on large files. */
export type ReadProgress = (bytesRead: number, totalBytes: number) => void;
