import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadFiles } from '../../etl/load/loadFiles.ts';
import { Warehouse } from '../../sql/warehouse.ts';
import { tempDir } from '../support/fixtureWarehouse.ts';

/**
 * Issue 15, "CSV reading": a canonical CSV is read as RFC 4180. Before, a valid file with a quoted
 * newline was refused whole, an unterminated quote on the last row made the row one child id, and a
 * row with 100,000 extra fields loaded silently.
 */
const header = 'child_id,birth_date,expected_birth_date,sex,ethnicity,disability';
let dir: string;
let warehouse: Warehouse;

beforeAll(async () => {
  dir = tempDir('csv-reading');
  warehouse = await Warehouse.open(join(dir, 'w.duckdb'));
});
afterAll(() => warehouse.close());

async function load(name: string, content: string | Buffer) {
  const folder = join(dir, name);
  const { mkdirSync } = await import('node:fs');
  mkdirSync(folder, { recursive: true });
  writeFileSync(join(folder, 'children.csv'), content);
  const [result] = await loadFiles(warehouse, [join(folder, 'children.csv')], {
    loadedBy: 'test',
    referenceDate: '2025-06-30',
  });
  const rejects =
    result!.loadId === undefined
      ? []
      : await warehouse.query<{ row: string; field: string; reason: string }>(
          'SELECT "row", field, reason FROM rejects WHERE load_id = $id ORDER BY "row"::INTEGER, field',
          { id: result!.loadId },
        );
  return { result: result!, rejects };
}

describe('canonical CSV as RFC 4180', () => {
  it('takes quoted fields with a newline and doubled quotes', async () => {
    const { result, rejects } = await load(
      'quoted',
      `${header}\nQ1,2015-01-01,,1,WBRI,"uses ""a frame"""\nQ2,2016-01-01,,2,WBRI,"line one\nline two"\n`,
    );
    expect(result).toMatchObject({ status: 'loaded', rowsRead: 2, rowsAccepted: 2 });
    expect(rejects).toEqual([]);
  });

  it('rejects a last row whose quote never closes, naming its line, and keeps the rows before it', async () => {
    const { result, rejects } = await load(
      'unterminated',
      `${header}\nU1,2015-01-01,,1,WBRI,\n"U2,2016-01-01,,2,WBRI,\n`,
    );
    expect(result).toMatchObject({ rowsRead: 2, rowsAccepted: 1, rowsRejected: 1 });
    expect(rejects).toEqual([
      {
        row: '3',
        field: 'row',
        reason: 'has a quote that is never closed (the rest of the file would run into one value)',
      },
    ]);
    const ids = await warehouse.query<{ la_child_id: string }>(
      `SELECT la_child_id FROM child_identity WHERE la_child_id LIKE '%U%' ORDER BY 1`,
    );
    expect(ids.map((r) => r.la_child_id)).toEqual(['U1']);
  });

  it('rejects rows with too many or too few fields by line; later rows keep their real line numbers', async () => {
    const extra = `E2,2016-01-01,,2,WBRI,${',x'.repeat(100_000)}`;
    const fewExtra = `E6,2016-01-01,,2,WBRI,,x,x`;
    const content = [
      header,
      'E1,2015-01-01,,1,WBRI,',
      extra,
      'E3,2015-01-01,,1',
      'E4,2015-01-01,,1,WBRI,',
      'E5,31/02/2015,,1,WBRI,',
      fewExtra,
    ].join('\n');
    const { result, rejects } = await load('fields', `${content}\n`);
    expect(result).toMatchObject({ rowsRead: 6, rowsAccepted: 2, rowsRejected: 4 });
    expect(rejects).toEqual([
      { row: '3', field: 'row', reason: 'has 100006 fields, not 6: a comma inside a value that is not quoted?' },
      { row: '4', field: 'row', reason: 'has 4 fields, not 6' },
      // Two records were skipped above it, so its position (the 3rd row read) is not its line.
      { row: '6', field: 'birth_date', reason: 'not a real date (expected YYYY-MM-DD or DD/MM/YYYY)' },
      { row: '7', field: 'row', reason: 'has 8 fields, not 6: a comma inside a value that is not quoted?' },
    ]);
  });

  it('names the real line of a row after a blank line, which DuckDB skips when reading by position', async () => {
    // Line 1 the header, 2 B1, 3 blank, 4 B2 with an impossible date: read by position it would be
    // the 2nd row, "line 3".
    const content = [header, 'B1,2015-01-01,,1,WBRI,', '', 'B2,31/02/2015,,1,WBRI,', 'B3,2015-01-01,,1,WBRI,'].join(
      '\n',
    );
    const { result, rejects } = await load('blank-line', `${content}\n`);
    expect(result).toMatchObject({ rowsRead: 3, rowsAccepted: 2, rowsRejected: 1 });
    expect(rejects).toEqual([
      { row: '4', field: 'birth_date', reason: 'not a real date (expected YYYY-MM-DD or DD/MM/YYYY)' },
    ]);
  });
});

describe('files that are not UTF-8, comma-separated CSV', () => {
  it.each([
    [
      'UTF-16 (Excel "Unicode text")',
      Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(`${header}\nA1,2015-01-01,,1,WBRI,\n`, 'utf16le')]),
      'is UTF-16 text (Excel\'s "Unicode text"), not UTF-8: save it from Excel as "CSV UTF-8 (comma delimited)"',
    ],
    [
      'Windows-1252',
      Buffer.from(`${header}\nA1,2015-01-01,,1,WBRI,caf\xe9\n`, 'latin1'),
      'is not UTF-8 text (it looks like Windows-1252 or Latin-1, as older Excel versions save CSV): save it from Excel as "CSV UTF-8 (comma delimited)"',
    ],
    [
      'semicolons',
      `${header.replaceAll(',', ';')}\nA1;2015-01-01;;1;WBRI;\n`,
      'is separated by semicolons, not commas: save it as comma-separated CSV',
    ],
    [
      'tabs',
      `${header.replaceAll(',', '\t')}\nA1\t2015-01-01\t\t1\tWBRI\t\n`,
      'is separated by tabs, not commas: save it as comma-separated CSV',
    ],
  ])('a %s file fails with a message naming it', async (_kind, content, reason) => {
    const { result } = await load(`encoding-${_kind.replace(/\W+/g, '-')}`, content);
    expect(result.status).toBe('failed');
    expect(result.message).toBe(`children.csv: file: ${reason}`);
  });
});
