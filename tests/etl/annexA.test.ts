import { closeSync, openSync, truncateSync, writeFileSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import readExcelFile from 'read-excel-file/node';
import writeExcelFile, { type Sheet } from 'write-excel-file/node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadFiles } from '../../etl/load/loadFiles.ts';
import { planAnnexAWorkbook } from '../../etl/readers/annexA.ts';
import { Warehouse } from '../../sql/warehouse.ts';
import { tempDir } from '../support/fixtureWarehouse.ts';
import { tableCounts, warehouseFingerprint } from '../support/tableCounts.ts';

/**
 * The Annex A reader (etl/readers/annexA.ts) through the product's own loader, into real DuckDB
 * warehouse files: the public samples, a workbook of header and value variants, and broken
 * workbooks as a new user would make them (written here with write-excel-file, into a temp dir).
 */
const samples = join(import.meta.dirname, '../fixtures/samples/annex-a');
const liia = join(samples, 'Annex_A_liia.xlsx');
const jan2024 = join(samples, 'Annex_A_2024_Jan.xlsx');
const template = join(samples, 'Annex_A_template_2016_guidance.xlsx');

const open: Warehouse[] = [];
afterAll(() => {
  for (const w of open.splice(0)) w.close();
});

async function freshWarehouse(prefix: string): Promise<Warehouse> {
  const warehouse = await Warehouse.open(join(tempDir(prefix), 'lscb.duckdb'));
  open.push(warehouse);
  return warehouse;
}

async function loadOne(warehouse: Warehouse, path: string) {
  const [result] = await loadFiles(warehouse, [path], { loadedBy: 'test', referenceDate: '2025-04-30' });
  return result!;
}

async function rejectsOf(warehouse: Warehouse, loadId: number | undefined) {
  return warehouse.query<{ file: string; row: string; field: string | null; value: string | null; reason: string }>(
    'SELECT file, "row", field, value, reason FROM rejects WHERE load_id = $id ORDER BY "row", field',
    { id: loadId ?? -1 },
  );
}

/** Table counts after a load, less those before: what the load changed. */
function delta(before: Record<string, number>, after: Record<string, number>): Record<string, number> {
  return Object.fromEntries(
    Object.keys(after)
      .map((t) => [t, (after[t] ?? 0) - (before[t] ?? 0)])
      .filter(([, n]) => n !== 0),
  );
}

// -----------------------------------------------------------------------------------------------
// Independent counts: the sample sheets read here with read-excel-file, without the reader.

type Row = unknown[];

async function listRows(path: string): Promise<Map<number, { header: string[]; rows: Row[] }>> {
  const lists = new Map<number, { header: string[]; rows: Row[] }>();
  for (const { sheet, data } of await readExcelFile(path)) {
    const match = /^List[ _](\d+)$/.exec(sheet);
    if (!match) continue;
    const [header, ...rows] = data as unknown as Row[];
    lists.set(Number(match[1]), { header: (header ?? []).map(String), rows });
  }
  return lists;
}

/** Rows of a list with a Child Unique ID, as [id, value of `column`]. */
function idRows(
  lists: Map<number, { header: string[]; rows: Row[] }>,
  list: number,
  column?: string,
): [string, string][] {
  const sheet = lists.get(list);
  if (!sheet) return [];
  const idAt = sheet.header.indexOf('Child Unique ID');
  const at = column ? sheet.header.indexOf(column) : -1;
  return sheet.rows
    .filter((row) => row[idAt] !== null && row[idAt] !== undefined && String(row[idAt]).trim() !== '')
    .map((row) => [
      String(row[idAt]),
      at >= 0 ? String((row[at] as Date).toISOString?.().slice(0, 10) ?? row[at]) : '',
    ]);
}

async function expectedCounts(path: string) {
  const lists = await listRows(path);
  const ids = new Set([2, 3, 4, 5, 6, 7, 8].flatMap((list) => idRows(lists, list).map(([id]) => id)));
  // A List 6 row (latest CIN episode) with the same child and date as a List 3 referral is that referral.
  const referrals = new Set(
    [...idRows(lists, 3, 'Date of Referral'), ...idRows(lists, 6, 'CIN Start Date')].map(([id, d]) => `${id}|${d}`),
  );
  return {
    children: ids.size,
    child_identity: ids.size,
    early_help: idRows(lists, 2).length,
    referrals: referrals.size,
    assessments: idRows(lists, 4).length,
    section47: idRows(lists, 5).length,
    cin_plans: 0,
    cp_plans: idRows(lists, 7).length,
    looked_after: idRows(lists, 8).length,
  };
}

// -----------------------------------------------------------------------------------------------

describe('Annex A samples (tests/fixtures/samples/annex-a)', () => {
  // Counted by hand from the sheets, and again below by reading them: Lists 2–7 hold 5, 6, 5, 5,
  // 5 and 7 rows; 33 rows name 32 children (6537810 is in List 3 and List 5); List 3's 6 referrals
  // and List 6's 5 CIN episodes share no child and date. List 8 holds 5 children looked after, in
  // no other list: 37 children. Both workbooks hold the same fake children.
  const stated = {
    children: 37,
    child_identity: 37,
    early_help: 5,
    referrals: 11,
    assessments: 5,
    section47: 5,
    cin_plans: 0,
    cp_plans: 7,
    looked_after: 5,
  };

  it.each([
    ['Annex_A_liia.xlsx', liia],
    ['Annex_A_2024_Jan.xlsx', jan2024],
  ])('%s loads every row of Lists 2–8, one child row per child, nothing rejected', async (_name, path) => {
    const warehouse = await freshWarehouse('annexa-sample');
    const result = await loadOne(warehouse, path);
    // 38 list rows (33 in Lists 2–7, 5 in List 8) and one row per child, 37.
    expect(result).toMatchObject({
      status: 'loaded',
      format: 'annex-a-xlsx',
      rowsRead: 75,
      rowsAccepted: 75,
      rowsRejected: 0,
    });
    const counts = await tableCounts(warehouse);
    expect(counts).toMatchObject(stated);
    expect(counts).toMatchObject(await expectedCounts(path));
    expect(await rejectsOf(warehouse, result.loadId)).toEqual([]);
  });

  it('maps coded values and dates of the liia sample to the canonical codes', async () => {
    const warehouse = await freshWarehouse('annexa-values');
    await loadOne(warehouse, liia);
    const child = async (id: string) =>
      (
        await warehouse.query(
          'SELECT c.* EXCLUDE (child_key, ref_date, load_id) FROM children c JOIN child_identity USING (child_key) WHERE la_child_id = $id',
          { id },
        )
      )[0];
    // List 7 row 2: 10721552, b) Female, s) NOBT, plan 23/11/2020 to 16/02/2021, Physical abuse, 0 previous plans.
    expect(await child('10721552')).toEqual({
      birth_date: '2021-01-04',
      expected_birth_date: null,
      sex: 'female',
      ethnicity: 'NOBT',
      disability: 'N',
      family_id: null,
      // Kept for the DfE census rules (docs/DATA.md "Fields kept for rules"); Annex A has neither.
      death_date: null,
      upn_key: null,
      upn_checks: null,
      upn_unknown: null,
    });
    const [plan] = await warehouse.query(`SELECT start_date, end_date, initial_category, latest_category, previous_plans
      FROM cp_plans JOIN child_identity USING (child_key) WHERE la_child_id = '10721552'`);
    expect(plan).toEqual({
      start_date: '2020-11-23',
      end_date: '2021-02-16',
      initial_category: 'PHY',
      latest_category: 'PHY',
      previous_plans: 0,
    });
    // List 2 row 3: "c) Not stated/recorded" is the unknown sex.
    expect((await child('6890906'))?.['sex']).toBe('unknown');
    // List 3 row 2: "s) 8: Other" is CIN referral source 8; "No" NFA; the id is <child>|<date>.
    const [referral] = await warehouse.query(`SELECT source_id, referral_date, source, nfa FROM referrals
      JOIN child_identity USING (child_key) WHERE la_child_id = '6537810'`);
    expect(referral).toEqual({ source_id: '6537810|2020-09-16', referral_date: '2020-09-16', source: '8', nfa: false });
    // List 6: "N1 - Abuse or Neglect" is N1; a local code the template does not list stays as written.
    const needs = await warehouse.query<{ primary_need: string }>(
      'SELECT primary_need FROM referrals WHERE primary_need IS NOT NULL ORDER BY 1',
    );
    expect(needs.map((r) => r.primary_need)).toEqual([
      'N1',
      'N1',
      'N1',
      'N1',
      'PSRMEM - Support with memory and cognition',
    ]);
  });

  it('List 8 is loaded, one looked-after episode a row; Lists 1, 9, 10 and 11 are read past', async () => {
    const plan = await planAnnexAWorkbook(liia);
    expect(plan.find((s) => s.list === 8)).toMatchObject({ sheet: 'List 8', action: 'load' });
    expect(plan.filter((s) => s.action === 'load').map((s) => s.sheet)).toEqual([
      'List 2',
      'List 3',
      'List 4',
      'List 5',
      'List 6',
      'List 7',
      'List 8',
    ]);
    expect(plan.filter((s) => s.action === 'ignored').map((s) => s.list)).toEqual([1, 9, 10, 11]);
    // List 8 row 2: 1761444, started 06/08/2009, "N1 - Abuse or Neglect", "E1: Placement order",
    // not ceased; its placement postcode (T28 2WB) is read past.
    const warehouse = await freshWarehouse('annexa-list8');
    await loadOne(warehouse, liia);
    const [episode] = await warehouse.query(`SELECT start_date, end_date, legal_status, category_of_need, reason_ceased
      FROM looked_after JOIN child_identity USING (child_key) WHERE la_child_id = '1761444'`);
    expect(episode).toEqual({
      start_date: '2009-08-06',
      end_date: null,
      legal_status: 'E1',
      category_of_need: 'N1',
      reason_ceased: null,
    });
    const [postcodes] = await warehouse.query<{ n: number }>(
      `SELECT count(*)::INTEGER AS n FROM looked_after WHERE 'T28 2WB' IN (legal_status, placement_type, reason_ceased)`,
    );
    expect(postcodes?.n).toBe(0);
  });

  it("Ofsted's blank template fails with a clear 'no rows' message and changes nothing", async () => {
    // Decision: a workbook with the lists but no children in them is a mistake (the blank template,
    // or the wrong file), so the load fails (exit non-zero) instead of recording an empty load.
    const warehouse = await freshWarehouse('annexa-template');
    await loadOne(warehouse, liia);
    const before = await tableCounts(warehouse);
    const fingerprint = await warehouseFingerprint(warehouse);
    const result = await loadOne(warehouse, template);
    expect(result.status).toBe('failed');
    expect(result.message).toBe(
      'Annex_A_template_2016_guidance.xlsx: workbook: has Annex A lists ("List_2", "List 3", "List_4", "List_5", "List_6", "List_7", "List_8") but no rows of children in Lists 2 to 8: nothing to load (is it the blank template?)',
    );
    expect(delta(before, await tableCounts(warehouse))).toEqual({ loads: 1 }); // the failed load is recorded
    expect(await warehouseFingerprint(warehouse)).toBe(fingerprint);
    // The template's sheets are found by name (List_2 … List_7 and "List 3"), its Guidance and Codes_used read past.
    const plan = await planAnnexAWorkbook(template);
    expect(plan.filter((s) => s.action === 'load').map((s) => s.sheet)).toEqual([
      'List_2',
      'List 3',
      'List_4',
      'List_5',
      'List_6',
      'List_7',
      'List_8',
    ]);
  });

  it('the same workbook twice: the second is skipped and the warehouse is unchanged; the same children in another workbook merge', async () => {
    const warehouse = await freshWarehouse('annexa-twice');
    expect((await loadOne(warehouse, liia)).status).toBe('loaded');
    const counts = await tableCounts(warehouse);
    const fingerprint = await warehouseFingerprint(warehouse);
    const again = await loadOne(warehouse, liia);
    expect(again.status).toBe('skipped');
    expect(again.message).toMatch(/^already loaded as load 1 at .*; nothing changed$/);
    expect(await tableCounts(warehouse)).toEqual(counts);
    expect(await warehouseFingerprint(warehouse)).toBe(fingerprint);
    // Annex_A_2024_Jan.xlsx is another file (another hash) with the same children and episodes:
    // it loads, and every row merges into the one it repeats (DATA.md identity rules).
    const other = await loadOne(warehouse, jan2024);
    expect(other).toMatchObject({ status: 'loaded', rowsAccepted: 75, rowsMerged: 75 });
    expect(delta(counts, await tableCounts(warehouse))).toEqual({ loads: 1 });
  });
});

// -----------------------------------------------------------------------------------------------

const utc = (y: number, m: number, d: number) => new Date(Date.UTC(y, m - 1, d));
const dateCell = (y: number, m: number, d: number) => ({ value: utc(y, m, d), format: 'dd/mm/yyyy' });

async function workbook(dir: string, name: string, sheets: Sheet<unknown>[]): Promise<string> {
  const path = join(dir, name);
  await writeExcelFile(sheets as Parameters<typeof writeExcelFile>[0]).toFile(path);
  return path;
}

describe('header and value variants', () => {
  let warehouse: Warehouse;
  let path: string;
  beforeAll(async () => {
    const dir = tempDir('annexa-variants');
    path = await workbook(dir, 'variants.xlsx', [
      { sheet: 'Front_Sheet', data: [['Annex A - Child level data']] },
      {
        // Ofsted's layout: a title row, then the header in row 2.
        sheet: 'List_2 Early Help',
        data: [
          ['List 2: Early Help'],
          [
            'Child Unique ID',
            'Gender',
            'Ethnicity',
            'Date of Birth',
            'Age of Child (Years)',
            'Assessment start date',
            'Assessment completion date',
            'Organisation completing assessment',
          ],
          ['EH1', 'b) Female', 'a) WBRI', dateCell(2015, 1, 25), 9, '01/09/2023', null, 'Early Help Locality 1'],
          [
            'UNBORN1',
            'c) Not stated/recorded (or unborn)',
            's) NOBT',
            '01/06/2024',
            -1,
            '15/03/2024',
            '30/04/2024',
            'Health visiting',
          ],
        ],
      },
      {
        // Other spellings of the same headers; EH1 again, with another gender: the first seen (List 2) wins.
        sheet: 'List 3 - Referrals',
        data: [
          [
            'CHILD UNIQUE ID',
            'gender',
            'Ethnic origin',
            'DOB',
            'Age',
            'Referral Date',
            'Source of Referral',
            'Referral NFA',
          ],
          ['R1', 'a) Male', 'Pakistani', '2012-05-06', 11, '2024-01-10', 'q) 6: Police', 'b) No'],
          ['EH1', 'a) Male', 'a) WBRI', dateCell(2015, 1, 25), 9, '12/02/2024', 'e) 2A: Schools', 'a) Yes'],
        ],
      },
      {
        // R1's CIN episode began with the List 3 referral of 10/01/2024: one referral, completed here.
        sheet: 'List 6',
        data: [
          [
            'Child Unique ID',
            'Gender',
            'Ethnicity',
            'Date of Birth',
            'Age',
            'Does the Child have a Disability',
            'CIN Start Date',
            'Primary Need Code',
            'Date Child Was Last Seen',
            'CIN Closure Date',
            'Reason for Closure',
            'Case status',
            'CIN Plan Start Date',
            'CIN Plan End Date',
          ],
          [
            'R1',
            'a) Male',
            'k) APKN',
            '06/05/2012',
            11,
            'a) Yes',
            '10/01/2024',
            'N1 - Abuse or neglect',
            null,
            '31/03/2024',
            'RC7 - Services ceased for any other reason, including child no longer in need',
            'e) Closed episode',
            '15/01/2024',
            '31/03/2024',
          ],
        ],
      },
      {
        // No list number in the name: found by its columns.
        sheet: 'Assessments',
        data: [
          [
            'Child Unique ID',
            'Gender',
            'Ethnicity',
            'Date of Birth',
            'Age',
            'Does the Child have a Disability',
            'Continuous Assessment Start Date',
            'Child Seen During Continuous Assessment',
            'Continuous Assessment Date of Authorisation',
          ],
          ['R1', 'a) Male', 'k) APKN', '06/05/2012', 11, 'a) Yes', 45301, 'a) Yes', '2024-02-20'],
        ],
      },
      {
        // No list number in the name: found by its title row.
        sheet: 'Sheet7',
        data: [
          ['List 5: Section 47 enquiries and Initial Child Protection Conferences'],
          [
            'Child Unique ID',
            'Gender',
            'Ethnicity',
            'Date of Birth',
            'Age of Child (Years)',
            'Does the Child have a Disability',
            'Strategy discussion initiating Section 47 Enquiry Start Date',
            'Was an Initial Child Protection Conference deemed unnecessary?',
            'Date of Initial Child Protection Conference',
          ],
          ['C1', 'a) Male', 'n) BCRB', dateCell(2019, 4, 2), 4, 'b) No', '10/01/2024', 'b) No', '24/01/2024'],
          ['C2', 'b) Female', 'a) WBRI', dateCell(2020, 1, 1), 4, 'b) No', '11/01/2024', 'c) Unknown', null],
        ],
      },
      {
        // No list number in the name: found by its columns. Four ways of writing 3 February 2024.
        sheet: 'CP',
        data: [
          [
            'Child Unique ID',
            'Gender',
            'Ethnicity',
            'Date of Birth',
            'Age',
            'CPP Start Date',
            'Initial Category of Abuse',
            'Latest Category of Abuse',
            'Child Protection Plan End Date',
            'Number of Previous Child Protection Plans',
          ],
          [
            'C1',
            'a) Male',
            'n) BCRB',
            dateCell(2019, 4, 2),
            4,
            dateCell(2024, 2, 3),
            'a) Neglect',
            'd) Emotional abuse',
            null,
            0,
          ],
          [
            'C2',
            'b) Female',
            'WBRI - White British',
            dateCell(2020, 1, 1),
            4,
            45325,
            'Neglect',
            'e) Multiple/not recommended',
            null,
            1,
          ],
          ['C3', 'Female', 'o) BAFR', '2018-07-08', 5, '03/02/2024', 'NEG', 'c) Sexual abuse', '30/06/2024', 2],
          ['C4', 'M', 'j) AIND', '2017-07-08', 6, '3 February 2024', 'b) Physical abuse', 'b) Physical abuse', null, 0],
        ],
      },
      {
        sheet: 'List 8',
        data: [
          ['Child Unique ID', 'Gender', 'Ethnicity', 'Date of Birth', 'Age', 'Date Started to be Looked After'],
          ['LAC1', 'a) Male', 'a) WBRI', '01/01/2010', 14, '01/01/2020'],
        ],
      },
    ]);
    warehouse = await freshWarehouse('annexa-variants-db');
    const result = await loadOne(warehouse, path);
    expect(result.status).toBe('loaded');
    expect(await rejectsOf(warehouse, result.loadId)).toEqual([]);
  });

  const byChild = (table: string, columns: string) =>
    warehouse.query(
      `SELECT la_child_id AS child, ${columns} FROM ${table} JOIN child_identity USING (child_key) ORDER BY la_child_id`,
    );

  it('finds every list by name, title row or columns, List 8 too', async () => {
    const plan = await planAnnexAWorkbook(path);
    expect(plan.map(({ sheet, list, foundBy, action }) => ({ sheet, list, foundBy, action }))).toEqual([
      { sheet: 'Front_Sheet', list: undefined, foundBy: undefined, action: 'ignored' },
      { sheet: 'List_2 Early Help', list: 2, foundBy: 'name', action: 'load' },
      { sheet: 'List 3 - Referrals', list: 3, foundBy: 'name', action: 'load' },
      { sheet: 'List 6', list: 6, foundBy: 'name', action: 'load' },
      { sheet: 'Assessments', list: 4, foundBy: 'header', action: 'load' },
      { sheet: 'Sheet7', list: 5, foundBy: 'title', action: 'load' },
      { sheet: 'CP', list: 7, foundBy: 'header', action: 'load' },
      { sheet: 'List 8', list: 8, foundBy: 'name', action: 'load' },
    ]);
    expect(await tableCounts(warehouse)).toMatchObject({
      children: 8,
      looked_after: 1,
      early_help: 2,
      referrals: 2,
      assessments: 1,
      section47: 2,
      cin_plans: 1,
      cp_plans: 4,
    });
  });

  it('a CP plan "a) Neglect" lands as NEG; a JS date, an Excel serial and DD/MM/YYYY text land as the same DATE', async () => {
    expect(
      await byChild('cp_plans', 'start_date, end_date, initial_category, latest_category, previous_plans'),
    ).toEqual([
      {
        child: 'C1',
        start_date: '2024-02-03',
        end_date: null,
        initial_category: 'NEG',
        latest_category: 'EMO',
        previous_plans: 0,
      },
      {
        child: 'C2',
        start_date: '2024-02-03',
        end_date: null,
        initial_category: 'NEG',
        latest_category: 'MUL',
        previous_plans: 1,
      },
      {
        child: 'C3',
        start_date: '2024-02-03',
        end_date: '2024-06-30',
        initial_category: 'NEG',
        latest_category: 'SAB',
        previous_plans: 2,
      },
      {
        child: 'C4',
        start_date: '2024-02-03',
        end_date: null,
        initial_category: 'PHY',
        latest_category: 'PHY',
        previous_plans: 0,
      },
    ]);
  });

  it('one child row per child, first seen; unborn children get an expected birth date; codes and labels map', async () => {
    expect(await byChild('children', 'birth_date, expected_birth_date, sex, ethnicity, disability')).toEqual([
      // C1 and C2 are first seen in List 5 (read before List 7), which has a disability column.
      {
        child: 'C1',
        birth_date: '2019-04-02',
        expected_birth_date: null,
        sex: 'male',
        ethnicity: 'BCRB',
        disability: 'N',
      },
      {
        child: 'C2',
        birth_date: '2020-01-01',
        expected_birth_date: null,
        sex: 'female',
        ethnicity: 'WBRI',
        disability: 'N',
      },
      {
        child: 'C3',
        birth_date: '2018-07-08',
        expected_birth_date: null,
        sex: 'female',
        ethnicity: 'BAFR',
        disability: null,
      },
      {
        child: 'C4',
        birth_date: '2017-07-08',
        expected_birth_date: null,
        sex: 'male',
        ethnicity: 'AIND',
        disability: null,
      },
      {
        child: 'EH1',
        birth_date: '2015-01-25',
        expected_birth_date: null,
        sex: 'female',
        ethnicity: 'WBRI',
        disability: null,
      },
      // LAC1 is in List 8 alone.
      {
        child: 'LAC1',
        birth_date: '2010-01-01',
        expected_birth_date: null,
        sex: 'male',
        ethnicity: 'WBRI',
        disability: null,
      },
      // List 3 has no disability column: that one characteristic comes from List 6.
      {
        child: 'R1',
        birth_date: '2012-05-06',
        expected_birth_date: null,
        sex: 'male',
        ethnicity: 'APKN',
        disability: 'Y',
      },
      {
        child: 'UNBORN1',
        birth_date: null,
        expected_birth_date: '2024-06-01',
        sex: 'unknown',
        ethnicity: 'NOBT',
        disability: null,
      },
    ]);
  });

  it('List 8 is a looked-after episode from its start date', async () => {
    expect(
      await byChild('looked_after', 'start_date, end_date, legal_status, category_of_need, reason_new_episode'),
    ).toEqual([
      {
        child: 'LAC1',
        start_date: '2020-01-01',
        end_date: null,
        legal_status: null,
        category_of_need: null,
        reason_new_episode: null,
      },
    ]);
  });

  it('List 4 is assessments, List 5 Section 47 enquiries, List 6 CIN plans when it carries their dates', async () => {
    // 45301 is the Excel serial of 10/01/2024.
    expect(
      await byChild('assessments', 'start_date, authorisation_date, factors, referral_key IS NOT NULL AS linked'),
    ).toEqual([{ child: 'R1', start_date: '2024-01-10', authorisation_date: '2024-02-20', factors: [], linked: true }]);
    expect(await byChild('section47', 'start_date, icpc_date, icpc_not_required')).toEqual([
      { child: 'C1', start_date: '2024-01-10', icpc_date: '2024-01-24', icpc_not_required: false },
      { child: 'C2', start_date: '2024-01-11', icpc_date: null, icpc_not_required: null }, // c) Unknown: not stated
    ]);
    expect(await byChild('cin_plans', 'start_date, end_date')).toEqual([
      { child: 'R1', start_date: '2024-01-15', end_date: '2024-03-31' },
    ]);
  });

  it('List 2 is early help; a List 6 episode completes the List 3 referral it began with', async () => {
    expect(await byChild('early_help', 'start_date, end_date, lead_agency, neglect')).toEqual([
      { child: 'EH1', start_date: '2023-09-01', end_date: null, lead_agency: 'Early Help Locality 1', neglect: null },
      {
        child: 'UNBORN1',
        start_date: '2024-03-15',
        end_date: '2024-04-30',
        lead_agency: 'Health visiting',
        neglect: null,
      },
    ]);
    expect(
      await byChild('referrals', 'source_id, referral_date, source, nfa, primary_need, closure_date, closure_reason'),
    ).toEqual([
      {
        child: 'EH1',
        source_id: 'EH1|2024-02-12',
        referral_date: '2024-02-12',
        source: '2A',
        nfa: true,
        primary_need: null,
        closure_date: null,
        closure_reason: null,
      },
      {
        child: 'R1',
        source_id: 'R1|2024-01-10',
        referral_date: '2024-01-10',
        source: '6',
        nfa: false,
        primary_need: 'N1',
        closure_date: '2024-03-31',
        closure_reason: 'RC7',
      },
    ]);
  });
});

// -----------------------------------------------------------------------------------------------

describe('broken workbooks, as a new user would make them', () => {
  let dir: string;
  let warehouse: Warehouse;
  const cpHeader = [
    'Child Unique ID',
    'Gender',
    'Ethnicity',
    'Date of Birth',
    'Age',
    'Child Protection Plan Start Date',
    'Initial Category of Abuse',
    'Latest Category of Abuse',
  ];

  beforeAll(async () => {
    dir = tempDir('annexa-broken');
    // A warehouse that already holds a good load, which no broken file may disturb.
    warehouse = await freshWarehouse('annexa-broken-db');
    expect((await loadOne(warehouse, liia)).status).toBe('loaded');
  });

  async function loadChecked(path: string) {
    const before = await tableCounts(warehouse);
    const fingerprint = await warehouseFingerprint(warehouse);
    const result = await loadOne(warehouse, path);
    const after = await tableCounts(warehouse);
    return {
      result,
      changed: delta(before, after),
      unchanged: (await warehouseFingerprint(warehouse)) === fingerprint,
      rejects: await rejectsOf(warehouse, result.loadId),
    };
  }

  it('a workbook with no Annex A list fails, naming the file and what was expected; nothing changes', async () => {
    const path = await workbook(dir, 'board-figures.xlsx', [
      {
        sheet: 'Sheet1',
        data: [
          ['Name', 'Score'],
          ['x', 1],
        ],
      },
      { sheet: 'Notes', data: [['minutes of the board meeting']] },
    ]);
    const { result, changed, unchanged } = await loadChecked(path);
    expect(result.status).toBe('failed'); // lscb load exits non-zero
    expect(result.message).toBe(
      'board-figures.xlsx: workbook: has no recognised Annex A list (expected sheets List 2 to List 8): its sheets are "Sheet1", "Notes"',
    );
    expect(changed).toEqual({ loads: 1 });
    expect(unchanged).toBe(true);
  });

  it('a List 7 row dated 31/02/2024 is rejected with file, row, field and reason; the good row lands', async () => {
    const path = await workbook(dir, 'bad-date.xlsx', [
      {
        sheet: 'List 7',
        data: [
          cpHeader,
          ['B1', 'a) Male', 'a) WBRI', '01/01/2015', 9, '01/02/2024', 'a) Neglect', 'a) Neglect'],
          ['B2', 'b) Female', 'a) WBRI', '01/01/2016', 8, '31/02/2024', 'a) Neglect', 'a) Neglect'],
        ],
      },
    ]);
    const { result, changed, rejects } = await loadChecked(path);
    expect(result).toMatchObject({ status: 'loaded', rowsRead: 4, rowsAccepted: 3, rowsRejected: 1 });
    expect(rejects).toEqual([
      {
        file: 'bad-date.xlsx',
        row: 'List 7 row 3',
        field: 'start_date',
        value: '31/02/2024',
        reason: 'not a real date (expected YYYY-MM-DD or DD/MM/YYYY)',
      },
    ]);
    // Only the good plan and the two children's (valid) characteristics reach the warehouse.
    expect(changed).toEqual({ cp_plans: 1, children: 2, child_identity: 2, rejects: 1, loads: 1 });
  });

  it('an unknown category code is rejected naming the field (row numbers count the title row)', async () => {
    const path = await workbook(dir, 'bad-category.xlsx', [
      {
        sheet: 'List_7',
        data: [
          ['List 7: Child protection'],
          cpHeader,
          ['K1', 'a) Male', 'a) WBRI', '01/01/2015', 9, '01/02/2024', 'a) Neglect', 'a) Neglect'],
          ['K2', 'b) Female', 'a) WBRI', '01/01/2016', 8, '01/02/2024', 'f) Bullying', 'a) Neglect'],
        ],
      },
    ]);
    const { result, changed, rejects } = await loadChecked(path);
    expect(result).toMatchObject({ status: 'loaded', rowsRejected: 1 });
    expect(rejects).toEqual([
      {
        file: 'bad-category.xlsx',
        row: 'List_7 row 4',
        field: 'initial_category',
        value: 'f) Bullying',
        reason: 'unknown code (expected one of NEG, PHY, EMO, SAB, MUL)',
      },
    ]);
    expect(changed).toEqual({ cp_plans: 1, children: 2, child_identity: 2, rejects: 1, loads: 1 });
  });

  it('a sheet without the Child Unique ID column is one reject for the sheet, not a crash; nothing changes', async () => {
    const path = await workbook(dir, 'no-child-id.xlsx', [
      {
        sheet: 'List 7',
        data: [cpHeader.slice(1), ['a) Male', 'a) WBRI', '01/01/2015', 9, '01/02/2024', 'a) Neglect', 'a) Neglect']],
      },
    ]);
    const { result, changed, unchanged, rejects } = await loadChecked(path);
    expect(result).toMatchObject({ status: 'loaded', rowsRead: 1, rowsAccepted: 0, rowsRejected: 1 });
    expect(rejects).toEqual([
      {
        file: 'no-child-id.xlsx',
        row: 'List 7',
        field: 'Child Unique ID',
        value: null,
        reason: 'missing column Child Unique ID: List 7 (child protection) on sheet "List 7" was not read',
      },
    ]);
    expect(changed).toEqual({ rejects: 1, loads: 1 });
    expect(unchanged).toBe(true);
  });

  it("an unknown gender rejects that child's characteristics, naming the row; the plan still lands", async () => {
    const path = await workbook(dir, 'bad-gender.xlsx', [
      {
        sheet: 'List 7',
        data: [cpHeader, ['G1', 'x) Robot', 'a) WBRI', '01/01/2015', 9, '01/02/2024', 'a) Neglect', 'a) Neglect']],
      },
    ]);
    const { changed, rejects } = await loadChecked(path);
    expect(rejects).toEqual([
      {
        file: 'bad-gender.xlsx',
        row: 'List 7 row 2',
        field: 'sex',
        value: 'x) Robot',
        reason:
          "unknown gender (expected a) Male, b) Female, c) Not stated/recorded or d) Neither); this child's characteristics were not loaded",
      },
    ]);
    expect(changed).toEqual({ cp_plans: 1, child_identity: 1, rejects: 1, loads: 1 });
  });

  it('a damaged workbook and one over the size cap fail with clear messages; nothing changes', async () => {
    const damaged = join(dir, 'damaged.xlsx');
    writeFileSync(damaged, Buffer.concat([Buffer.from('PK\u0003\u0004'), Buffer.alloc(100, 7)]));
    const broken = await loadChecked(damaged);
    expect(broken.result.status).toBe('failed');
    expect(broken.result.message).toBe(
      'damaged.xlsx: workbook: cannot be read as an .xlsx workbook (no zip directory: the file is damaged or not a workbook)',
    );
    expect(broken.changed).toEqual({ loads: 1 });

    const huge = join(dir, 'huge.xlsx');
    const fd = openSync(huge, 'w');
    writeSync(fd, Buffer.from('PK\u0003\u0004'));
    closeSync(fd);
    truncateSync(huge, 201 * 1024 * 1024); // sparse: no disk used
    const tooBig = await loadChecked(huge);
    expect(tooBig.result.status).toBe('failed');
    expect(tooBig.result.message).toMatch(/^huge\.xlsx: file: is 201 MB; workbooks over 200 MB are not read/);
    expect(tooBig.changed).toEqual({ loads: 1 });
    expect(tooBig.unchanged).toBe(true);
  });
});
