import { closeSync, fstatSync, openSync } from 'node:fs';
import { LoadError } from '../../staging/loadError.ts';
import { decodeXml } from '../../xml/entities.ts';
import type { Cell } from './values.ts';
import { eachSheetRow, sheetRows, type SheetContext } from './sheetRows.ts';
import { dateStyles, sharedStrings, sheetRelationIds, workbookParts } from './xlsxParts.ts';
import { XmlPartError } from './xmlStream.ts';
import { readZipDirectory, readZipEntry, zipEntryChunks, type ZipEntry } from './zipArchive.ts';

/**
 * An .xlsx workbook opened for reading one sheet at a time. The zip's own directory is read first:
 * the file and its unzipped XML are capped (a clear error instead of hours on a huge or hostile
 * file), and the sheet names come from xl/workbook.xml without parsing any sheet. A sheet is then
 * unzipped as a stream and its XML parsed event by event (saxes, as the census reader does), so
 * only its cells are held, never its XML: an 11 MB workbook once peaked at 956 MB when each sheet
 * was parsed whole (docs/BENCHMARKS.md). Shared strings and styles are read once per workbook.
 */

/** Annex A workbooks are normally a few MB; anything near this is not one. */
export const maxWorkbookBytes = 200 * 1024 * 1024;
/** Sheets stream, so this bounds the time a hostile (zip bomb) or absurd file can take, not memory. */
export const maxUnzippedXmlBytes = 512 * 1024 * 1024;

export interface Workbook {
  path: string;
  /** Sheet names in workbook order. */
  sheets: string[];
  /** Workbooks saved in the 1904 date system count Excel serials from 1904-01-01. */
  epoch1904: boolean;
  /** A single list saved as CSV, read as a workbook of one sheet. */
  savedAsCsv?: boolean;
  /** The rows of one sheet (1-based position in `sheets`); row i is spreadsheet row i + 1. */
  readSheet(position: number): Promise<Cell[][]>;
  /**
   * The same rows one at a time as they are read, never the sheet at once (empty rows between them
   * and the padding to the widest row left out); the stager reads lists this way.
   */
  eachRow(position: number, onRow: (row: Cell[], index: number) => void): Promise<void>;
}

const megabytes = (bytes: number) => `${Math.round(bytes / (1024 * 1024))} MB`;

export function openWorkbook(path: string): Workbook {
  const fd = openSync(path, 'r');
  let entries: ZipEntry[];
  let workbookXml: Buffer;
  let relsXml: Buffer | undefined;
  try {
    const size = fstatSync(fd).size;
    if (size === 0) throw new LoadError(path, 'file', undefined, 'is empty');
    if (size > maxWorkbookBytes) {
      throw new LoadError(
        path,
        'file',
        undefined,
        `is ${megabytes(size)}; workbooks over ${megabytes(maxWorkbookBytes)} are not read (an Annex A workbook is normally a few MB): save Lists 2 to 7 on their own and load that`,
      );
    }
    entries = readZipDirectory(fd, size, path);
    const xmlBytes = entries
      .filter((e) => e.name.endsWith('.xml') || e.name.endsWith('.rels'))
      .reduce((sum, e) => sum + e.size, 0);
    if (xmlBytes > maxUnzippedXmlBytes) {
      throw new LoadError(
        path,
        'file',
        undefined,
        `unzips to ${megabytes(xmlBytes)} of spreadsheet data; the limit is ${megabytes(maxUnzippedXmlBytes)}: save Lists 2 to 7 on their own and load that`,
      );
    }
    const workbookEntry = entries.find((e) => e.name === 'xl/workbook.xml');
    if (!workbookEntry) {
      const ods = entries.some((e) => e.name === 'content.xml') && entries.some((e) => e.name === 'mimetype');
      throw new LoadError(
        path,
        'workbook',
        undefined,
        ods
          ? 'is an OpenDocument spreadsheet (.ods): save it as an Excel workbook (.xlsx) and load that'
          : 'is a zip file but not an Excel workbook (it has no xl/workbook.xml)',
      );
    }
    workbookXml = readZipEntry(fd, workbookEntry, path);
    const relsEntry = entries.find((e) => e.name === 'xl/_rels/workbook.xml.rels');
    relsXml = relsEntry ? readZipEntry(fd, relsEntry, path) : undefined;
  } finally {
    closeSync(fd);
  }

  const workbookText = workbookXml.toString('utf8');
  const sheets = sheetNames(workbookText);
  const epoch1904 = /<(?:\w+:)?workbookPr\b[^>]*\bdate1904\s*=\s*["'](?:1|true)["']/.test(workbookText);
  const entryNamed = (name: string | undefined) => (name ? entries.find((e) => e.name === name) : undefined);

  let shared: Promise<{ sheetParts: (string | undefined)[]; strings: string[]; styles: boolean[] }> | undefined;
  /** What every sheet needs, read once, on the first sheet asked for. */
  const sharedParts = () =>
    (shared ??= (async () => {
      const parts = await workbookParts(relsXml);
      const ids = await sheetRelationIds(workbookXml);
      const stylesEntry = entryNamed(parts.styles);
      const fd = openSync(path, 'r');
      let stylesXml: Buffer | undefined;
      try {
        stylesXml = stylesEntry ? readZipEntry(fd, stylesEntry, path) : undefined;
      } finally {
        closeSync(fd);
      }
      const stringsEntry = entryNamed(parts.sharedStrings);
      return {
        sheetParts: ids.map((id) => (id === undefined ? undefined : parts.sheets.get(id))),
        strings: stringsEntry ? await sharedStrings(zipEntryChunks(path, stringsEntry)) : [],
        styles: await dateStyles(stylesXml),
      };
    })());

  /** Reads sheet `position`'s part with `read`; anything wrong with it is the sheet's LoadError. */
  async function readPart<T>(
    position: number,
    read: (chunks: AsyncIterable<Buffer>, context: SheetContext) => Promise<T>,
  ): Promise<T> {
    const sheet = sheets[position - 1] ?? `sheet ${position}`;
    try {
      const { sheetParts, strings, styles } = await sharedParts();
      const entry = entryNamed(sheetParts[position - 1]);
      if (!entry) throw new XmlPartError(`the workbook has no worksheet part for sheet ${position}`);
      return await read(zipEntryChunks(path, entry), { sharedStrings: strings, dateStyles: styles, epoch1904 });
    } catch (err) {
      if (err instanceof LoadError) throw err;
      throw new LoadError(
        path,
        sheet,
        undefined,
        `cannot be read as a worksheet: ${String((err as Error).message ?? err).split('\n')[0]}`,
      );
    }
  }

  return {
    path,
    sheets,
    epoch1904,
    readSheet: (position) => readPart(position, async (chunks, context) => sheetRows(chunks, context)),
    eachRow: (position, onRow) => readPart(position, async (chunks, context) => eachSheetRow(chunks, context, onRow)),
  };
}

/**
 * Sheet names from xl/workbook.xml, in order (the order sheets are numbered in). A reference the
 * decoder does not know stays as written: a name only has to be recognisable.
 */
function sheetNames(xml: string): string[] {
  const names: string[] = [];
  for (const tag of xml.matchAll(/<(?:\w+:)?sheet\b([^>]*)>/g)) {
    const name = /\bname\s*=\s*(?:"([^"]*)"|'([^']*)')/.exec(tag[1] ?? '');
    if (name) names.push(decodeXml(name[1] ?? name[2] ?? ''));
  }
  return names;
}
