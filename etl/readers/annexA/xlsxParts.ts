import { parseXmlStream, type XmlEvents } from './xmlStream.ts';

/**
 * The parts of an .xlsx workbook a sheet's cells need: where each sheet lives
 * (xl/_rels/workbook.xml.rels), which cell styles are dates (xl/styles.xml) and the shared strings
 * (xl/sharedStrings.xml). They follow read-excel-file 9 (MIT), which this reader replaced, rule
 * for rule, so every workbook reads as before: a number is a date when its style's number format
 * is one of Excel's built-in date formats or a custom format made only of date tokens.
 */

/** `_xHHHH_` escapes (ECMA-376 ST_Xstring) for characters XML 1.0 cannot hold. */
export function unescapeXlsxString(text: string): string {
  if (!text.includes('_x')) return text;
  return text.replace(/_x([0-9A-Fa-f]{4})_/g, (_, hex: string) => String.fromCharCode(parseInt(hex, 16)));
}

// ---------------------------------------------------------------------------------------------
// Relationships: sheet, styles and shared-strings part names.

export interface WorkbookParts {
  /** Relationship id → the sheet's part name (`xl/worksheets/sheet1.xml`). */
  sheets: Map<string, string>;
  styles?: string;
  sharedStrings?: string;
}

const relationshipBases = [
  'http://schemas.openxmlformats.org/officeDocument/2006/relationships/',
  'http://purl.oclc.org/ooxml/officeDocument/relationships/',
];

function partName(target: string): string {
  return target.startsWith('/') ? target.slice(1) : `xl/${target}`;
}

export async function workbookParts(relsXml: Buffer | undefined): Promise<WorkbookParts> {
  const parts: WorkbookParts = { sheets: new Map() };
  if (!relsXml) return parts;
  await parseXmlStream([relsXml], {
    open(name, attributes) {
      if (name !== 'Relationship') return;
      const base = relationshipBases.find((b) => attributes['Type']?.startsWith(b));
      const kind = base ? attributes['Type']!.slice(base.length) : undefined;
      const target = attributes['Target'];
      if (!target) return;
      if (kind === 'worksheet' && attributes['Id']) parts.sheets.set(attributes['Id'], partName(target));
      else if (kind === 'styles') parts.styles = partName(target);
      else if (kind === 'sharedStrings') parts.sharedStrings = partName(target);
    },
    close() {},
  });
  return parts;
}

/** Each sheet's relationship id, in workbook order (named sheets only, as the sheet list counts them). */
export async function sheetRelationIds(workbookXml: Buffer): Promise<(string | undefined)[]> {
  const ids: (string | undefined)[] = [];
  await parseXmlStream([workbookXml], {
    open(name, attributes) {
      if (name !== 'sheet' || !attributes['name']) return;
      const id = Object.entries(attributes).find(([key]) => key === 'id' || key.endsWith(':id'))?.[1];
      ids.push(id);
    },
    close() {},
  });
  return ids;
}

// ---------------------------------------------------------------------------------------------
// Styles: which cell style ids show a number as a date.

/** Excel's built-in date and time formats, in every locale read-excel-file knows. */
const builtInDateFormats = new Set([
  14, 15, 16, 17, 18, 19, 20, 21, 22, 45, 46, 47, 27, 28, 29, 30, 31, 32, 33, 34, 35, 36, 50, 51, 52, 53, 54, 55, 56,
  57, 58, 71, 72, 73, 74, 75, 76, 77, 78, 79, 80, 81,
]);

const dateTokens = new Set([
  's', 'ss', 'm', 'mm', 'h', 'hh', 'am', 'pm', 'a', 'p', 'd', 'dd', 'ddd', 'dddd', 'aaa', 'aaaa', 'aaaaa',
  'mmm', 'mmmm', 'mmmmm', 'y', 'yy', 'yyyy', 'e', 'ee', 'eeee',
]); // prettier-ignore

/** A custom number format made only of date and time tokens (`dd/mm/yyyy`, `d-mmm-yy;@`). */
export function isDateFormatTemplate(template: string): boolean {
  const sections = template.toLowerCase().replace(/;@$/, '').replace(/\\./g, ' ').split(';');
  return sections.some((section) => {
    const tokens = section
      .replace(/"[^"]*"/g, ' ')
      .replace(/(\[?[smhd]{1,2}\]?)[.,]00?0?/g, '$1')
      .replace(/\[([smhd]{1,2})\]/g, '$1')
      .replace(/\[[^\]]*\]/g, '')
      .split(/[^a-z0#?%]+/)
      .filter((token) => token);
    return tokens.length > 0 && tokens.every((token) => dateTokens.has(token));
  });
}

interface NumberFormat {
  id: number;
  template?: string;
}

/** For each cell style (`s` attribute) in order: whether it shows numbers as dates. */
export async function dateStyles(stylesXml: Buffer | undefined): Promise<boolean[]> {
  if (!stylesXml) return [];
  const numberFormats = new Map<number, NumberFormat>();
  const baseStyles: { numberFormat?: NumberFormat }[] = [];
  const styles: { numberFormat?: NumberFormat; xfId?: number }[] = [];
  let inBase = false;
  let inCell = false;
  const events: XmlEvents = {
    open(name, attributes) {
      if (name === 'numFmt') {
        const id = Number(attributes['numFmtId']);
        numberFormats.set(id, id >= 100 ? { id, template: attributes['formatCode'] } : { id });
      } else if (name === 'cellStyleXfs') inBase = true;
      else if (name === 'cellXfs') inCell = true;
      else if (name === 'xf' && (inBase || inCell)) {
        const style: { numberFormat?: NumberFormat; xfId?: number } = {};
        if (attributes['numFmtId']) {
          const id = Number(attributes['numFmtId']);
          // A base style's format is taken by id only (read-excel-file's rule).
          style.numberFormat = (inCell ? numberFormats.get(id) : undefined) ?? { id };
        }
        if (inBase) baseStyles.push(style);
        else {
          if (attributes['xfId']) style.xfId = Number(attributes['xfId']);
          styles.push(style);
        }
      }
    },
    close(name) {
      if (name === 'cellStyleXfs') inBase = false;
      else if (name === 'cellXfs') inCell = false;
    },
  };
  await parseXmlStream([stylesXml], events);
  return styles.map((style) => {
    // A cell style's own format wins over its base style's (an xfId of 0 is not looked up).
    const numberFormat = style.numberFormat ?? (style.xfId ? baseStyles[style.xfId]?.numberFormat : undefined);
    if (!numberFormat) return false;
    if (builtInDateFormats.has(numberFormat.id)) return true;
    return (
      numberFormat.template !== undefined && numberFormat.template !== '' && isDateFormatTemplate(numberFormat.template)
    );
  });
}

// ---------------------------------------------------------------------------------------------
// Shared strings, streamed: only the strings are kept, never the part's XML.

export async function sharedStrings(chunks: AsyncIterable<Buffer>): Promise<string[]> {
  const strings: string[] = [];
  let inItem = false;
  let inRun = false;
  let inPhonetic = false;
  let current = '';
  await parseXmlStream(chunks, {
    open(name) {
      if (name === 'si') {
        inItem = true;
        current = '';
      } else if (!inItem) return;
      else if (name === 'r') inRun = true;
      else if (name === 'rPh') inPhonetic = true;
    },
    close(name, text) {
      if (!inItem) return;
      if (name === 'si') {
        // A string of its own, not a cut from the part's chunk (see CellTexts).
        strings.push(` ${unescapeXlsxString(current)}`.slice(1));
        inItem = false;
      } else if (name === 't' && !inPhonetic) current = inRun ? current + text : text;
      else if (name === 'r') inRun = false;
      else if (name === 'rPh') inPhonetic = false;
    },
  });
  return strings;
}
