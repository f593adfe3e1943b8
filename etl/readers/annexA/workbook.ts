import { closeSync, fstatSync, openSync, readSync } from 'node:fs';
import { inflateRawSync } from 'node:zlib';
import { readSheet } from 'read-excel-file/node';
import { LoadError } from '../../staging/loadError.ts';
import { decodeXml } from '../../xml/entities.ts';
import type { Cell } from './values.ts';

/**
 * An .xlsx workbook opened for reading one sheet at a time. read-excel-file unzips every XML part
 * and parses whole sheets, so before it runs this reads the zip's own directory: the file and its
 * unzipped XML are capped (a clear error instead of running out of memory on a huge or hostile
 * file), and the sheet names come from xl/workbook.xml without parsing any sheet. Sheets are then
 * parsed one by one, and only those the load needs.
 */

/** Annex A workbooks are normally a few MB; anything near this is not one. */
export const maxWorkbookBytes = 200 * 1024 * 1024;
/** read-excel-file holds every unzipped XML part as a string while it parses a sheet. */
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
}

interface ZipEntry {
  name: string;
  method: number;
  compressedSize: number;
  size: number;
  localOffset: number;
}

const megabytes = (bytes: number) => `${Math.round(bytes / (1024 * 1024))} MB`;

export function openWorkbook(path: string): Workbook {
  const fd = openSync(path, 'r');
  let entries: ZipEntry[];
  let workbookXml: string;
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
    workbookXml = readZipEntry(fd, workbookEntry, path).toString('utf8');
  } finally {
    closeSync(fd);
  }

  const sheets = sheetNames(workbookXml);
  const epoch1904 = /<(?:\w+:)?workbookPr\b[^>]*\bdate1904\s*=\s*["'](?:1|true)["']/.test(workbookXml);
  return {
    path,
    sheets,
    epoch1904,
    async readSheet(position: number): Promise<Cell[][]> {
      try {
        const data = await readSheet(path, position);
        // read-excel-file types a date cell as `typeof Date`; at run time it is a Date.
        return data as unknown as Cell[][];
      } catch (err) {
        throw new LoadError(
          path,
          sheets[position - 1] ?? `sheet ${position}`,
          undefined,
          `cannot be read as a worksheet: ${String((err as Error).message ?? err).split('\n')[0]}`,
        );
      }
    },
  };
}

/**
 * Sheet names from xl/workbook.xml, in order (the order read-excel-file numbers them in). A
 * reference the decoder does not know stays as written: a name only has to be recognisable.
 */
function sheetNames(xml: string): string[] {
  const names: string[] = [];
  for (const tag of xml.matchAll(/<(?:\w+:)?sheet\b([^>]*)>/g)) {
    const name = /\bname\s*=\s*(?:"([^"]*)"|'([^']*)')/.exec(tag[1] ?? '');
    if (name) names.push(decodeXml(name[1] ?? name[2] ?? ''));
  }
  return names;
}

// ---------------------------------------------------------------------------------------------
// The zip directory (PKWARE APPNOTE 4.3.12, 4.3.14–16), read with positioned reads.

function readAt(fd: number, position: number, length: number): Buffer {
  const buffer = Buffer.alloc(length);
  const read = readSync(fd, buffer, 0, length, position);
  return buffer.subarray(0, read);
}

function notAWorkbook(path: string, detail: string): LoadError {
  return new LoadError(path, 'workbook', undefined, `cannot be read as an .xlsx workbook (${detail})`);
}

function readZipDirectory(fd: number, fileSize: number, path: string): ZipEntry[] {
  // End of central directory: 22 bytes plus a comment of up to 65,535 bytes, at the end.
  const tailLength = Math.min(fileSize, 22 + 65_535);
  const tailStart = fileSize - tailLength;
  const tail = readAt(fd, tailStart, tailLength);
  let eocd = -1;
  for (let i = tail.length - 22; i >= 0; i -= 1) {
    if (tail.readUInt32LE(i) === 0x06054b50) {
      eocd = i;
      break;
    }
  }
  if (eocd < 0) throw notAWorkbook(path, 'no zip directory: the file is damaged or not a workbook');
  let count = tail.readUInt16LE(eocd + 10);
  let directorySize = tail.readUInt32LE(eocd + 12);
  let directoryOffset = tail.readUInt32LE(eocd + 16);
  if (count === 0xffff || directorySize === 0xffffffff || directoryOffset === 0xffffffff) {
    // ZIP64: the locator sits just before the end record and points at the ZIP64 end record.
    const locator = eocd - 20;
    if (locator < 0 || tail.readUInt32LE(locator) !== 0x07064b50) throw notAWorkbook(path, 'damaged ZIP64 directory');
    const record = readAt(fd, Number(tail.readBigUInt64LE(locator + 8)), 56);
    if (record.length < 56 || record.readUInt32LE(0) !== 0x06064b50)
      throw notAWorkbook(path, 'damaged ZIP64 directory');
    count = Number(record.readBigUInt64LE(32));
    directorySize = Number(record.readBigUInt64LE(40));
    directoryOffset = Number(record.readBigUInt64LE(48));
  }
  if (directoryOffset + directorySize > fileSize || directorySize > 64 * 1024 * 1024) {
    throw notAWorkbook(path, 'the zip directory points outside the file');
  }
  const directory = readAt(fd, directoryOffset, directorySize);
  const entries: ZipEntry[] = [];
  let at = 0;
  for (let n = 0; n < count; n += 1) {
    if (at + 46 > directory.length || directory.readUInt32LE(at) !== 0x02014b50)
      throw notAWorkbook(path, 'damaged zip directory');
    const nameLength = directory.readUInt16LE(at + 28);
    const extraLength = directory.readUInt16LE(at + 30);
    const commentLength = directory.readUInt16LE(at + 32);
    const entry: ZipEntry = {
      name: directory.toString('utf8', at + 46, at + 46 + nameLength),
      method: directory.readUInt16LE(at + 10),
      compressedSize: directory.readUInt32LE(at + 20),
      size: directory.readUInt32LE(at + 24),
      localOffset: directory.readUInt32LE(at + 42),
    };
    applyZip64Extra(entry, directory.subarray(at + 46 + nameLength, at + 46 + nameLength + extraLength));
    entries.push(entry);
    at += 46 + nameLength + extraLength + commentLength;
  }
  return entries;
}

/** ZIP64 extended information (0x0001): 8-byte sizes and offset for the fields set to 0xFFFFFFFF. */
function applyZip64Extra(entry: ZipEntry, extra: Buffer): void {
  let at = 0;
  while (at + 4 <= extra.length) {
    const id = extra.readUInt16LE(at);
    const length = extra.readUInt16LE(at + 2);
    if (id === 0x0001) {
      let field = at + 4;
      const next = () => {
        const value = field + 8 <= at + 4 + length ? Number(extra.readBigUInt64LE(field)) : undefined;
        field += 8;
        return value;
      };
      if (entry.size === 0xffffffff) entry.size = next() ?? entry.size;
      if (entry.compressedSize === 0xffffffff) entry.compressedSize = next() ?? entry.compressedSize;
      if (entry.localOffset === 0xffffffff) entry.localOffset = next() ?? entry.localOffset;
      return;
    }
    at += 4 + length;
  }
}

/** One (small) zip entry, inflated. */
function readZipEntry(fd: number, entry: ZipEntry, path: string): Buffer {
  const header = readAt(fd, entry.localOffset, 30);
  if (header.length < 30 || header.readUInt32LE(0) !== 0x04034b50)
    throw notAWorkbook(path, `damaged entry ${entry.name}`);
  const dataStart = entry.localOffset + 30 + header.readUInt16LE(26) + header.readUInt16LE(28);
  const data = readAt(fd, dataStart, entry.compressedSize);
  if (entry.method === 0) return data;
  if (entry.method !== 8) throw notAWorkbook(path, `${entry.name} uses zip compression method ${entry.method}`);
  try {
    return inflateRawSync(data, { maxOutputLength: 64 * 1024 * 1024 });
  } catch (err) {
    throw notAWorkbook(path, `${entry.name} cannot be unzipped: ${(err as Error).message}`);
  }
}
