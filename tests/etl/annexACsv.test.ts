import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import readExcelFile from 'read-excel-file/node';
import { afterAll, describe, expect, it } from 'vitest';
import { detectFormat, loadFiles } from '../../etl/load/loadFiles.ts';
import { isAnnexAListCsv } from '../../etl/readers/annexA/csvList.ts';
import { Warehouse } from '../../sql/warehouse.ts';
import { tempDir } from '../support/fixtureWarehouse.ts';
import { tableCounts } from '../support/tableCounts.ts';

/**
 * Issue 3: "Annex A workbooks … and Annex A lists saved as CSV". A list saved on its own is read
 * like a workbook of one sheet; here every list of the liia sample is saved as CSV, the way Excel
 * writes it (dates as DD/MM/YYYY text, a file per list), and must land as the workbook does.
 */
const samples = join(import.meta.dirname, '../fixtures/samples/annex-a');
const dir = tempDir('annexa-csv');
const warehouses: Warehouse[] = [];
afterAll(() => warehouses.forEach((w) => w.close()));

function csvCell(cell: unknown): string {
  if (cell === null || cell === undefined) return '';
  const text =
    cell instanceof Date
      ? `${String(cell.getUTCDate()).padStart(2, '0')}/${String(cell.getUTCMonth() + 1).padStart(2, '0')}/${cell.getUTCFullYear()}`
      : String(cell);
  return /[",\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

/** Each "List n" sheet of a workbook as `<name>.csv`; `name` chooses the file name. */
async function saveListsAsCsv(workbook: string, folder: string, name: (list: number) => string): Promise<string[]> {
  mkdirSync(folder, { recursive: true });
  const written: string[] = [];
  for (const { sheet, data } of await readExcelFile(workbook)) {
    const match = /^List[ _](\d+)$/.exec(sheet);
    if (!match) continue;
    const path = join(folder, `${name(Number(match[1]))}.csv`);
    writeFileSync(path, `${(data as unknown[][]).map((row) => row.map(csvCell).join(',')).join('\r\n')}\r\n`);
    written.push(path);
  }
  return written;
}

async function load(name: string, paths: string[]) {
  const warehouse = await Warehouse.open(join(dir, `${name}.duckdb`));
  warehouses.push(warehouse);
  const results = await loadFiles(warehouse, paths, { loadedBy: 'test', referenceDate: '2024-03-31' });
  return { warehouse, results };
}

const planRows = (w: Warehouse) =>
  w.query(`SELECT la_child_id, start_date, end_date, initial_category, latest_category, previous_plans
  FROM cp_plans JOIN child_identity USING (child_key) ORDER BY la_child_id, start_date`);

describe('Annex A lists saved as CSV', () => {
  it('are found by file name, land every row, and give the CP plans, referrals and early help the workbook gives', async () => {
    const workbook = join(samples, 'Annex_A_liia.xlsx');
    const csvs = await saveListsAsCsv(workbook, join(dir, 'by-name'), (list) => `Annex A List ${list}`);
    const fromCsv = await load('from-csv', csvs);
    const fromWorkbook = await load('from-workbook', [workbook]);

    // The sample has sheets List 1 to List 11, each now its own file and load. Lists 2–8 land;
    // the others are named and refused.
    const outcome = Object.fromEntries(
      fromCsv.results.map((r) => [r.file.split('/').pop(), r.status === 'loaded' ? 'loaded' : r.message]),
    );
    expect(fromCsv.results.every((r) => r.format === 'annex-a-csv')).toBe(true);
    expect(outcome).toEqual({
      'Annex A List 1.csv':
        'Annex A List 1.csv: file: is Annex A List 1 (List 1 is not used by this product): nothing to load',
      'Annex A List 2.csv': 'loaded',
      'Annex A List 3.csv': 'loaded',
      'Annex A List 4.csv': 'loaded',
      'Annex A List 5.csv': 'loaded',
      'Annex A List 6.csv': 'loaded',
      'Annex A List 7.csv': 'loaded',
      'Annex A List 8.csv': 'loaded',
      'Annex A List 9.csv':
        'Annex A List 9.csv: file: is Annex A List 9 (List 9 is not used by this product): nothing to load',
      'Annex A List 10.csv':
        'Annex A List 10.csv: file: is Annex A List 10 (List 10 is not used by this product): nothing to load',
      'Annex A List 11.csv':
        'Annex A List 11.csv: file: is Annex A List 11 (List 11 is not used by this product): nothing to load',
    });
    // Lists 2–7 hold 5, 6, 5, 5, 5 and 7 rows (tests/etl/annexA.test.ts counts them): 33 rows, and
    // each file also stages a row per child it names (the workbook stages one per child in all).
    const rowsOf = (list: number) => fromCsv.results.find((r) => r.file.endsWith(`List ${list}.csv`))!;
    expect([2, 3, 4, 5, 6, 7].map((list) => rowsOf(list).rowsRejected)).toEqual([0, 0, 0, 0, 0, 0]);

    const counts = await tableCounts(fromCsv.warehouse);
    const expected = await tableCounts(fromWorkbook.warehouse);
    for (const table of [
      'children',
      'child_identity',
      'early_help',
      'referrals',
      'assessments',
      'section47',
      'cp_plans',
      'looked_after',
    ]) {
      expect({ table, rows: counts[table] }).toEqual({ table, rows: expected[table] });
    }
    expect(await planRows(fromCsv.warehouse)).toEqual(await planRows(fromWorkbook.warehouse));
    expect(counts['cp_plans']).toBe(7);
  });

  it('are found by their header when the file name says nothing, and not mistaken for canonical CSV', async () => {
    const [list7] = await saveListsAsCsv(
      join(samples, 'Annex_A_liia.xlsx'),
      join(dir, 'by-header'),
      (list) => `export-${list}`,
    ).then((paths) => paths.filter((p) => p.endsWith('export-7.csv')));
    expect(detectFormat(list7!)).toBe('canonical-csv'); // by content: some CSV …
    expect(isAnnexAListCsv(list7!)).toBe(true); // … that is an Annex A list (Child Protection Plan Start Date is List 7's alone)
    const { warehouse, results } = await load('by-header', [list7!]);
    expect(results[0]).toMatchObject({ format: 'annex-a-csv', status: 'loaded', rowsRejected: 0 });
    // List 7 row 2: 10721552, plan 23/11/2020 to 16/02/2021, "b) Physical abuse", no previous plans.
    const [plan] = await warehouse.query(`SELECT start_date, end_date, initial_category, previous_plans
      FROM cp_plans JOIN child_identity USING (child_key) WHERE la_child_id = '10721552'`);
    expect(plan).toEqual({
      start_date: '2020-11-23',
      end_date: '2021-02-16',
      initial_category: 'PHY',
      previous_plans: 0,
    });
  });

  it('a CSV that is neither a canonical table nor an Annex A list still says what was expected', async () => {
    const path = join(dir, 'mystery.csv');
    writeFileSync(path, 'colour,shape\nred,round\n');
    expect(isAnnexAListCsv(path)).toBe(false);
    const { results } = await load('mystery', [path]);
    expect(results[0]).toMatchObject({ status: 'failed', format: 'canonical-csv' });
    expect(results[0]!.message).toContain('has no header matching a canonical table');
  });
});
