import type { ExtractFormat, ExtractReader } from './reader.ts';

/**
 * The reader for each detected format, imported on first use: the Annex A reader brings a
 * workbook library that costs a fifth of a second to load, which a CSV or census load (or a
 * staging worker's start) need not pay.
 */
const readerModules: Partial<Record<ExtractFormat, () => Promise<ExtractReader>>> = {
  'canonical-csv': async () => (await import('./canonicalCsv.ts')).canonicalCsvReader,
  'cin-census-xml': async () => (await import('./cinCensusXml.ts')).cinCensusXmlReader,
  'annex-a-xlsx': async () => (await import('./annexA.ts')).annexAReader,
  'annex-a-csv': async () => (await import('./annexA.ts')).annexACsvReader,
  'ssda903-csv': async () => (await import('./ssda903Csv.ts')).ssda903CsvReader,
  'ssda903-xml': async () => (await import('./ssda903Xml.ts')).ssda903XmlReader,
};

export async function readerFor(format: ExtractFormat): Promise<ExtractReader | undefined> {
  return readerModules[format]?.();
}

/**
 * Formats whose reader does real work in JavaScript (parsing XML, unzipping a workbook): they
 * stage in a worker thread, ahead of the load, while DuckDB validates and merges the file before.
 * Canonical CSV needs no reading before DuckDB's own.
 */
export const stagedInWorker: ReadonlySet<ExtractFormat> = new Set([
  'cin-census-xml',
  'annex-a-xlsx',
  'annex-a-csv',
  'ssda903-csv',
  'ssda903-xml',
]);
