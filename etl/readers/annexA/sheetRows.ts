import type { Cell } from './values.ts';
import { unescapeXlsxString } from './xlsxParts.ts';
import { parseXmlStream, XmlPartError } from './xmlStream.ts';

/**
 * One worksheet's cells, read from its XML as a stream of events (the part is never held whole),
 * into the rows read-excel-file 9 gave, which this reader replaced: row i is spreadsheet row i + 1;
 * text trimmed, and empty text a null; numbers in a date style are Dates (Excel serials, in the
 * workbook's 1900 or 1904 system), other numbers numbers, booleans booleans, error cells null;
 * every row as long as the widest, and trailing empty rows and columns dropped.
 */
export interface SheetContext {
  sharedStrings: readonly string[];
  /** Per cell style id: whether its number format is a date's (xlsxParts.dateStyles). */
  dateStyles: readonly boolean[];
  epoch1904: boolean;
}

const day = 24 * 60 * 60 * 1000;

/**
 * A cell's text as a string of its own. The parser's text is cut from the chunk it arrived in, and
 * a cut keeps its whole chunk alive: held in a sheet's rows, those cuts kept the sheet's XML in
 * memory after all (86 MB for a 40,000-row list). Coded values repeat down a list, so short ones are
 * shared, one copy each.
 */
export class CellTexts {
  private readonly seen = new Map<string, string>();

  keep(text: string): string {
    if (text.length > 64) return copy(text);
    let kept = this.seen.get(text);
    if (kept === undefined) {
      kept = copy(text);
      if (this.seen.size < 100_000) this.seen.set(kept, kept);
    }
    return kept;
  }
}

/** Concatenating flattens into new memory; the slice then refers to that alone. */
const copy = (text: string) => ` ${text}`.slice(1);

/** An Excel serial as a time: days since 1899-12-30 (1900 system) or 1904-01-01. */
function excelDate(serial: number, epoch1904: boolean): Date {
  const days = epoch1904 ? serial + 1462 : serial;
  return new Date(Math.floor((days - 25569) * day));
}

/** `AB12` → [12, 28]. */
function cellAddress(ref: string): [number, number] {
  let column = 0;
  for (let i = 0; i < ref.length; i += 1) {
    const code = ref.charCodeAt(i);
    if (code >= 48 && code <= 57) {
      const row = Number(ref.slice(i));
      if (Number.isNaN(row)) break;
      return [row, column];
    }
    column = column * 26 + (code - 64);
  }
  throw new XmlPartError(`<c r="${ref}"> is not a cell address`);
}

/** Why a cell's value cannot be what its type says, as read-excel-file named it. */
class CellFault {
  constructor(readonly reason: 'VALUE_INVALID' | 'FORMAT_INVALID' | 'TYPE_INVALID') {}
}
const valueInvalid = new CellFault('VALUE_INVALID');

function cellValue(
  type: string | undefined,
  style: string | undefined,
  v: string | undefined,
  inline: string | undefined,
  context: SheetContext,
  texts: CellTexts,
): Cell | CellFault {
  switch (type ?? 'n') {
    case 'str':
      return v ? texts.keep(v.trim()) || null : null;
    case 'inlineStr':
      return inline === undefined ? null : texts.keep(inline.trim()) || null;
    case 's': {
      if (!v) return null;
      const text = context.sharedStrings[Number(v)];
      return text === undefined ? valueInvalid : texts.keep(text.trim()) || null;
    }
    case 'b':
      if (!v) return null;
      return v === '1' ? true : v === '0' ? false : valueInvalid;
    case 'e':
      return null;
    case 'd': {
      if (!v) return null;
      const date = new Date(v);
      return Number.isNaN(date.valueOf()) ? valueInvalid : date;
    }
    case 'n': {
      if (!v) return null;
      if (style) {
        const isDate = context.dateStyles[Number(style)];
        if (isDate === undefined) return new CellFault('FORMAT_INVALID');
        if (isDate) {
          const serial = Number(v);
          return Number.isNaN(serial) ? valueInvalid : excelDate(serial, context.epoch1904);
        }
      }
      const number = Number(v);
      return Number.isNaN(number) ? valueInvalid : number;
    }
    default:
      return new CellFault('TYPE_INVALID');
  }
}

export async function sheetRows(chunks: AsyncIterable<Buffer>, context: SheetContext): Promise<Cell[][]> {
  const rows: Cell[][] = [];
  let dataRowCount = 0;
  let dataColumnCount = 0;
  await eachSheetRow(chunks, context, (row, index) => {
    while (rows.length < index) rows.push([]);
    rows.push(row);
    if (row.length > 0) dataRowCount = index + 1;
    if (row.length > dataColumnCount) dataColumnCount = row.length;
  });
  if (dataRowCount < rows.length) rows.length = dataRowCount;
  for (const cells of rows) {
    if (cells.length > dataColumnCount) cells.length = dataColumnCount;
    while (cells.length < dataColumnCount) cells.push(null);
  }
  return rows;
}

/**
 * The same rows one at a time, as each is read (row `index` is spreadsheet row index + 1), so a
 * reader that stages rows as they come never holds the sheet: a row is as read, without the
 * padding to the sheet's widest row, and empty rows between them are not given.
 */
export async function eachSheetRow(
  chunks: AsyncIterable<Buffer>,
  context: SheetContext,
  onRow: (row: Cell[], index: number) => void,
): Promise<void> {
  let lastRowNumber = 0;
  const texts = new CellTexts();
  let inSheetData = false;
  let row: Cell[] | undefined;
  let rowNumber: number | undefined;
  let cursorRow = 0;
  let cursorColumn = 0;
  // The cell being read.
  let inCell = false;
  let ref: string | undefined;
  let type: string | undefined;
  let style: string | undefined;
  let v: string | undefined;
  let inline: string | undefined;
  let inInline = false;
  let inRun = false;
  let inPhonetic = false;

  await parseXmlStream(chunks, {
    open(name, attributes) {
      if (!inSheetData) {
        if (name === 'sheetData') inSheetData = true;
        return;
      }
      if (name === 'row') {
        rowNumber = attributes['r'] ? Number(attributes['r']) : undefined;
        row = [];
      } else if (name === 'c') {
        inCell = true;
        ref = attributes['r'];
        type = attributes['t'];
        style = attributes['s'];
        v = undefined;
        inline = undefined;
      } else if (!inCell) return;
      else if (name === 'is') {
        inInline = true;
        inline = '';
      } else if (name === 'r') inRun = true;
      else if (name === 'rPh') inPhonetic = true;
    },
    close(name, text) {
      if (!inSheetData) return;
      if (inCell && name !== 'c') {
        if (name === 'v') v = type === 'str' ? unescapeXlsxString(text) : text;
        else if (name === 't' && inInline && !inPhonetic) inline = inRun ? inline + text : text;
        else if (name === 'is') {
          inInline = false;
          inline = unescapeXlsxString(inline ?? '');
        } else if (name === 'r') inRun = false;
        else if (name === 'rPh') inPhonetic = false;
        return;
      }
      if (name === 'c') {
        inCell = false;
        if (!row) row = [];
        // A cell without an address is the next one along (read-excel-file failed on it).
        const [r, column] = ref ? cellAddress(ref) : [rowNumber ?? lastRowNumber + 1, row.length + 1];
        if (r < cursorRow || (r === cursorRow && column <= cursorColumn)) {
          throw new XmlPartError(
            `Out-of-place <c/> at row ${r} col ${column} follows <c/> at row ${cursorRow} col ${cursorColumn}`,
          );
        }
        cursorRow = r;
        cursorColumn = column;
        rowNumber ??= r;
        const value = cellValue(type, style, v, inline, context, texts);
        if (value instanceof CellFault) throw new XmlPartError(`<c/> at row ${r}, col ${column}: ${value.reason}`);
        if (value !== null) {
          while (row.length < column - 1) row.push(null);
          row.push(value);
        }
      } else if (name === 'row') {
        const number = rowNumber ?? lastRowNumber + 1;
        if (number <= lastRowNumber) {
          throw new XmlPartError(`Out-of-place <row/> number ${number} follows <row/> number ${lastRowNumber}`);
        }
        lastRowNumber = number;
        onRow(row ?? [], number - 1);
        row = undefined;
        rowNumber = undefined;
      } else if (name === 'sheetData') inSheetData = false;
    },
  });
}
