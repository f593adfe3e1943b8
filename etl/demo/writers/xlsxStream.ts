/**
 * A streaming .xlsx writer: every sheet is written row by row into its own deflated part, all sheets open
 * at once, so a workbook with millions of rows never sits in memory. Strings are inline (no shared-string
 * table, which would need every string before the first row). Dates are Excel serial numbers with a
 * dd/mm/yyyy format, as Annex A workbooks from case-management systems carry them.
 */
import { join } from 'node:path';
import { escapeXml } from '../../xml/entities.ts';
import { excelSerial } from '../dates.ts';
import { DeflatedPart, memoryEntry, writeZip, type ZipEntry } from './zip.ts';

export type CellValue = string | number | { day: number } | null;

const flushAtChars = 1 << 18;

function columnName(index: number): string {
  let name = '';
  for (let n = index + 1; n > 0; n = Math.floor((n - 1) / 26)) name = String.fromCharCode(65 + ((n - 1) % 26)) + name;
  return name;
}
const columnNames = Array.from({ length: 64 }, (_, i) => columnName(i));

const styleDate = 1;
const styleHeader = 2;

export class SheetWriter {
  private parts: string[] = [];
  private pendingChars = 0;
  /** Data rows written (the header row not counted). */
  rows = 0;
  private rowNumber = 0;

  constructor(
    readonly name: string,
    private readonly part: DeflatedPart,
    columns: readonly string[],
  ) {
    this.write(
      '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n' +
        '<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">' +
        '<sheetViews><sheetView workbookViewId="0"><pane ySplit="1" topLeftCell="A2" activePane="bottomLeft" state="frozen"/></sheetView></sheetViews>' +
        `<cols><col min="1" max="${columns.length}" width="20" customWidth="1"/></cols><sheetData>`,
    );
    this.writeRow(columns, styleHeader);
  }

  private write(text: string): void {
    this.parts.push(text);
    this.pendingChars += text.length;
  }

  private writeRow(cells: readonly CellValue[], textStyle: number): void {
    const r = ++this.rowNumber;
    let xml = `<row r="${r}">`;
    cells.forEach((cell, i) => {
      if (cell === null || cell === '') return;
      const ref = `${columnNames[i]}${r}`;
      const style = textStyle ? ` s="${textStyle}"` : '';
      if (typeof cell === 'string') xml += `<c r="${ref}"${style} t="inlineStr"><is><t>${escapeXml(cell)}</t></is></c>`;
      else if (typeof cell === 'number') xml += `<c r="${ref}"${style}><v>${cell}</v></c>`;
      else xml += `<c r="${ref}" s="${styleDate}"><v>${excelSerial(cell.day)}</v></c>`;
    });
    this.write(xml + '</row>');
  }

  row(cells: readonly CellValue[]): void {
    this.writeRow(cells, 0);
    this.rows++;
  }

  get wantsFlush(): boolean {
    return this.pendingChars >= flushAtChars;
  }

  async flush(): Promise<void> {
    if (this.pendingChars === 0) return;
    const chunk = Buffer.from(this.parts.join(''), 'utf8');
    this.parts = [];
    this.pendingChars = 0;
    await this.part.write(chunk);
  }

  async finish(): Promise<ZipEntry> {
    this.write('</sheetData></worksheet>');
    await this.flush();
    return this.part.finish();
  }
}

const stylesXml =
  '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n' +
  '<styleSheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">' +
  '<numFmts count="1"><numFmt numFmtId="164" formatCode="dd/mm/yyyy"/></numFmts>' +
  '<fonts count="2"><font><sz val="11"/><name val="Calibri"/></font><font><b/><sz val="11"/><name val="Calibri"/></font></fonts>' +
  '<fills count="2"><fill><patternFill patternType="none"/></fill><fill><patternFill patternType="gray125"/></fill></fills>' +
  '<borders count="1"><border><left/><right/><top/><bottom/><diagonal/></border></borders>' +
  '<cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs>' +
  '<cellXfs count="3"><xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/>' +
  '<xf numFmtId="164" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/>' +
  '<xf numFmtId="0" fontId="1" fillId="0" borderId="0" xfId="0" applyFont="1"/></cellXfs>' +
  '<cellStyles count="1"><cellStyle name="Normal" xfId="0" builtinId="0"/></cellStyles>' +
  '</styleSheet>';

export class StreamingWorkbook {
  private readonly sheets: SheetWriter[] = [];

  constructor(
    private readonly path: string,
    private readonly tempDir: string,
  ) {}

  addSheet(name: string, columns: readonly string[]): SheetWriter {
    const n = this.sheets.length + 1;
    const part = new DeflatedPart(`xl/worksheets/sheet${n}.xml`, join(this.tempDir, `.sheet${n}.xml.deflate.tmp`));
    const sheet = new SheetWriter(name, part, columns);
    this.sheets.push(sheet);
    return sheet;
  }

  get wantsFlush(): boolean {
    return this.sheets.some((s) => s.wantsFlush);
  }

  async flush(): Promise<void> {
    for (const s of this.sheets) if (s.wantsFlush) await s.flush();
  }

  /** Finishes every sheet and assembles the workbook; returns its size in bytes. */
  async close(timestampDay: number): Promise<number> {
    const sheetEntries: ZipEntry[] = [];
    for (const s of this.sheets) sheetEntries.push(await s.finish());
    const n = this.sheets.length;
    const overrides = this.sheets
      .map(
        (_, i) =>
          `<Override PartName="/xl/worksheets/sheet${i + 1}.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>`,
      )
      .join('');
    const contentTypes =
      '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">' +
      '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/>' +
      '<Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>' +
      overrides +
      '<Override PartName="/xl/styles.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.styles+xml"/></Types>';
    const rootRels =
      '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">' +
      '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>';
    const workbook =
      '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" ' +
      'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets>' +
      this.sheets.map((s, i) => `<sheet name="${escapeXml(s.name)}" sheetId="${i + 1}" r:id="rId${i + 1}"/>`).join('') +
      '</sheets></workbook>';
    const workbookRels =
      '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">' +
      this.sheets
        .map(
          (_, i) =>
            `<Relationship Id="rId${i + 1}" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet${i + 1}.xml"/>`,
        )
        .join('') +
      `<Relationship Id="rId${n + 1}" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles" Target="styles.xml"/></Relationships>`;
    const entries: ZipEntry[] = [
      memoryEntry('[Content_Types].xml', contentTypes),
      memoryEntry('_rels/.rels', rootRels),
      memoryEntry('xl/workbook.xml', workbook),
      memoryEntry('xl/_rels/workbook.xml.rels', workbookRels),
      memoryEntry('xl/styles.xml', stylesXml),
      ...sheetEntries,
    ];
    return writeZip(this.path, entries, timestampDay);
  }

  sheetRows(): Record<string, number> {
    return Object.fromEntries(this.sheets.map((s) => [s.name, s.rows]));
  }
}
