import { annexAReader } from './annexA.ts';
import { canonicalCsvReader } from './canonicalCsv.ts';
import { cinCensusXmlReader } from './cinCensusXml.ts';
import type { ExtractFormat, ExtractReader } from './reader.ts';

/** The reader for each detected format. */
export const readers: Partial<Record<ExtractFormat, ExtractReader>> = {
  'canonical-csv': canonicalCsvReader,
  'cin-census-xml': cinCensusXmlReader,
  'annex-a-xlsx': annexAReader,
};

/**
 * Formats whose reader does real work in JavaScript (parsing XML, unzipping a workbook): they
 * stage in a worker thread, ahead of the load, while DuckDB validates and merges the file before.
 * Canonical CSV needs no reading before DuckDB's own.
 */
export const stagedInWorker: ReadonlySet<ExtractFormat> = new Set(['cin-census-xml', 'annex-a-xlsx']);
