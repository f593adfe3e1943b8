import { closeSync, fstatSync, openSync, readFileSync, readSync } from 'node:fs';
import { basename, extname } from 'node:path';
import { LoadError } from '../../staging/loadError.ts';
import { findHeader, listFromTitle } from './listFinder.ts';
import { listFromHeader, listNumberFromName } from './lists.ts';
import type { Cell } from './values.ts';
import type { Workbook } from './workbook.ts';

/**
 * An Annex A list saved as CSV: one list per file, read as a workbook of one sheet named after the
 * file, so the same finding of lists, headers and coded values serves both. Dates come as text
 * (DD/MM/YYYY), as Excel writes them to CSV.
 */

/** A list is a few thousand rows; a CSV this big is not one. */
export const maxListCsvBytes = 100 * 1024 * 1024;

/** RFC 4180 rows: quoted fields may hold commas, doubled quotes and line breaks; empty cells are null. */
export function csvRows(text: string, maxRows = Infinity): Cell[][] {
  const rows: Cell[][] = [];
  let row: Cell[] = [];
  let field = '';
  let quoted = false;
  const endField = () => {
    row.push(field === '' ? null : field);
    field = '';
  };
  for (let i = text.charCodeAt(0) === 0xfeff ? 1 : 0; i < text.length && rows.length < maxRows; i += 1) {
    const ch = text[i]!;
    if (quoted) {
      if (ch === '"' && text[i + 1] === '"') {
        field += '"';
        i += 1;
      } else if (ch === '"') quoted = false;
      else field += ch;
    } else if (ch === '"') quoted = true;
    else if (ch === ',') endField();
    else if (ch === '\n' || ch === '\r') {
      if (ch === '\r' && text[i + 1] === '\n') i += 1;
      endField();
      rows.push(row);
      row = [];
    } else field += ch;
  }
  if ((field !== '' || row.length > 0) && rows.length < maxRows) {
    endField();
    rows.push(row);
  }
  return rows;
}

function sheetName(path: string): string {
  return basename(path, extname(path));
}

/** Opens a CSV file holding one Annex A list as a one-sheet workbook. */
export function openCsvList(path: string): Workbook {
  const fd = openSync(path, 'r');
  try {
    const size = fstatSync(fd).size;
    if (size > maxListCsvBytes) {
      throw new LoadError(
        path,
        'file',
        undefined,
        `is ${Math.round(size / (1024 * 1024))} MB; an Annex A list saved as CSV over ${maxListCsvBytes / (1024 * 1024)} MB is not read`,
      );
    }
  } finally {
    closeSync(fd);
  }
  return {
    path,
    sheets: [sheetName(path)],
    epoch1904: false,
    savedAsCsv: true,
    readSheet: async () => csvRows(readFileSync(path, 'utf8')),
    // A list saved as CSV is at most maxListCsvBytes, and read whole.
    eachRow: async (_position, onRow) => csvRows(readFileSync(path, 'utf8')).forEach(onRow),
  };
}

/**
 * Whether a CSV that is no canonical table is an Annex A list: its file name names a list, or its
 * first rows hold a list's title or a header with a column only one list has.
 */
export function isAnnexAListCsv(path: string): boolean {
  if (listNumberFromName(sheetName(path)) !== undefined) return true;
  const fd = openSync(path, 'r');
  let head: string;
  try {
    const buffer = Buffer.alloc(64 * 1024);
    head = buffer.subarray(0, readSync(fd, buffer, 0, buffer.length, 0)).toString('utf8');
  } finally {
    closeSync(fd);
  }
  const rows = csvRows(head, 25);
  if (listFromTitle(rows) !== undefined) return true;
  const header = findHeader(rows);
  return header !== undefined && listFromHeader(new Set(header.columns.keys())) !== undefined;
}
