import { copyFileSync, existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { loadFiles, type FileLoadResult } from '../../etl/load/loadFiles.ts';
import { ssda903CsvReader } from '../../etl/readers/ssda903Csv.ts';
import { centuryYear, stagedSsda903Date } from '../../etl/readers/ssda903Dates.ts';
import { ssda903XmlReader } from '../../etl/readers/ssda903Xml.ts';
import { Warehouse } from '../../sql/warehouse.ts';
import { tempDir } from '../support/fixtureWarehouse.ts';
import { tableCounts, warehouseFingerprint } from '../support/tableCounts.ts';

/**
 * SSDA903 (children looked after) in, as CSV (header.csv, episodes.csv) and XML (EXPSSDA903):
 * DATA.md "SSDA903 (children looked after)", §3 (a looked-after episode is known by child and
 * start date) and §4 (every load recorded, bad rows rejected with reasons, all or nothing per file).
 */

const samples = join(import.meta.dirname, '../fixtures/samples/ssda903');
const headerCsv = join(samples, 'header.csv');
const episodesCsv = join(samples, 'episodes.csv');
const sampleXml = join(samples, 'fake_903.xml');

const open: Warehouse[] = [];
afterAll(() => {
  for (const w of open.splice(0)) w.close();
});

async function freshWarehouse(prefix: string): Promise<{ warehouse: Warehouse; path: string }> {
  const path = join(tempDir(prefix), 'lscb.duckdb');
  const warehouse = await Warehouse.open(path);
  open.push(warehouse);
  return { warehouse, path };
}

const load = (warehouse: Warehouse, paths: string[], referenceDate?: string) =>
  loadFiles(warehouse, paths, { loadedBy: 'test', referenceDate });

const byFile = (results: FileLoadResult[]) => Object.fromEntries(results.map((r) => [r.file.split('/').pop(), r]));

async function rejectsOf(warehouse: Warehouse, loadId: number | undefined) {
  return warehouse.query<{ file: string; row: string; field: string | null; value: string | null; reason: string }>(
    'SELECT file, "row", field, value, reason FROM rejects WHERE load_id = $id ORDER BY "row", field',
    { id: loadId ?? -1 },
  );
}

const episodeRows = (w: Warehouse) =>
  w.query(`SELECT la_child_id AS child, start_date, end_date, reason_new_episode, legal_status, category_of_need,
                  placement_type, reason_ceased
           FROM looked_after JOIN child_identity USING (child_key) ORDER BY la_child_id, start_date`);
const childRows = (w: Warehouse) =>
  w.query(`SELECT la_child_id AS child, birth_date, sex, ethnicity
           FROM children JOIN child_identity USING (child_key) ORDER BY la_child_id`);

const episodesHeader = 'CHILD,DECOM,RNE,LS,CIN,PLACE,PLACE_PROVIDER,DEC,REC,REASON_PLACE_CHANGE,HOME_POST,PL_POST,URN';
const headerHeader = 'CHILD,SEX,DOB,ETHNIC,UPN,MOTHER,MC_DOB';

function writeFile(dir: string, name: string, lines: string[]): string {
  mkdirSync(dir, { recursive: true });
  const path = join(dir, name);
  writeFileSync(path, `${lines.join('\n')}\n`);
  return path;
}

// -----------------------------------------------------------------------------------------------

describe('two-digit years (DATA.md: "YY is 20YY when that year is not after the year of the load, otherwise 19YY")', () => {
  it('reads YY in the century that does not put its year after the pivot year, on both sides of the boundary', () => {
    // Pivot 2026: 26 is the pivot's own year (2026); 27 would be after it, so 1927.
    expect(centuryYear(26, 2026)).toBe(2026);
    expect(centuryYear(27, 2026)).toBe(1927);
    expect(centuryYear(0, 2026)).toBe(2000);
    expect(centuryYear(99, 2026)).toBe(1999);
    // The rule works on years: a date later in the pivot's year stays in it (validation then rejects
    // it as after the reference date rather than the reader moving it a hundred years back).
    expect(stagedSsda903Date('31/12/26', 2026)).toBe('31/12/2026');
    expect(stagedSsda903Date('01/01/27', 2026)).toBe('01/01/1927');
    expect(stagedSsda903Date('1/2/05', 2026)).toBe('01/02/2005');
  });

  it('keeps four-digit and ISO dates, and text that is no date, as written (validation judges them)', () => {
    expect(stagedSsda903Date('14/08/2017', 2026)).toBe('14/08/2017');
    expect(stagedSsda903Date('2017-08-14', 2026)).toBe('2017-08-14');
    expect(stagedSsda903Date('31/02/2017', 2026)).toBe('31/02/2017');
    expect(stagedSsda903Date('soon', 2026)).toBe('soon');
    expect(stagedSsda903Date(' ', 2026)).toBeUndefined();
  });

  it('a DD/MM/YY episode loads as the same date as its DD/MM/YYYY spelling', async () => {
    const dir = tempDir('ssda903-yy');
    const csv = writeFile(dir, 'episodes.csv', [
      episodesHeader,
      'A1,14/08/17,S,C2,N1,U1,PR1,02/01/18,E11,,,,',
      'A2,14/08/2017,S,C2,N1,U1,PR1,02/01/2018,E11,,,,',
    ]);
    const { warehouse } = await freshWarehouse('ssda903-yy');
    const [result] = await load(warehouse, [csv], '2018-03-31');
    expect(result).toMatchObject({ status: 'loaded', rowsAccepted: 2, rowsRejected: 0 });
    const rows = await episodeRows(warehouse);
    expect(rows.map((r) => [r['child'], r['start_date'], r['end_date']])).toEqual([
      ['A1', '2017-08-14', '2018-01-02'],
      ['A2', '2017-08-14', '2018-01-02'],
    ]);
  });
});

// -----------------------------------------------------------------------------------------------

describe('the public samples (tests/fixtures/samples/ssda903)', () => {
  it('every sample loads; rows the reference date rules out are refused one by one with reasons', async () => {
    const { warehouse } = await freshWarehouse('ssda903-samples');
    const results = byFile(await load(warehouse, [samples], '2018-03-31'));
    // header.csv: 2,675 children, each with a 1 or 2, a DD/MM/YYYY birth date and a census code.
    expect(results['header.csv']).toMatchObject({
      status: 'loaded',
      format: 'ssda903-csv',
      table: 'children',
      rowsRead: 2675,
      rowsAccepted: 2675,
      rowsRejected: 0,
    });
    // episodes.csv: 5,050 episodes; 12 end on 01/04/2018, after the reference date 31 March 2018
    // (awk -F, '$8=="01/04/2018"' finds 12; no episode starts that day). Overlapping and
    // out-of-order episodes stay as recorded: no (CHILD, DECOM) repeats, so no duplicate rejects.
    expect(results['episodes.csv']).toMatchObject({
      status: 'loaded',
      format: 'ssda903-csv',
      table: 'looked_after',
      rowsRead: 5050,
      rowsAccepted: 5038,
      rowsRejected: 12,
    });
    const episodeRejects = await rejectsOf(warehouse, results['episodes.csv']!.loadId);
    expect(episodeRejects).toHaveLength(12);
    expect(episodeRejects.find((r) => r.row === '218')).toEqual({
      file: 'episodes.csv',
      row: '218',
      field: 'end_date',
      value: '01/04/2018',
      reason: "after the extract's reference date (2018-03-31): an extract cannot record what has not happened",
    });
    // fake_903.xml: 253 CHILD elements (each a HEADER) and 459 EPISODEs = 712 rows; one EPISODE ends
    // 01/04/2018.
    expect(results['fake_903.xml']).toMatchObject({
      status: 'loaded',
      format: 'ssda903-xml',
      rowsRead: 712,
      rowsAccepted: 711,
      rowsRejected: 1,
    });
    const [xmlReject] = await rejectsOf(warehouse, results['fake_903.xml']!.loadId);
    expect(xmlReject).toMatchObject({ field: 'end_date', value: '01/04/2018' });
    expect(xmlReject!.row).toMatch(/^EXPSSDA903\/CHILD\[\d+\]\/EPISODE\[\d+\]$/);
    // The CSV and XML samples hold different children: 2,675 + 253; 5,038 + 458 episodes.
    expect(await tableCounts(warehouse)).toMatchObject({ children: 2928, looked_after: 5496 });
    const loads = await warehouse.query(
      `SELECT file, format, reference_date, rows_read, rows_accepted, rows_rejected, rows_merged, status
       FROM loads ORDER BY load_id`,
    );
    expect(loads).toEqual([
      {
        file: 'header.csv',
        format: 'ssda903-csv',
        reference_date: '2018-03-31',
        rows_read: 2675,
        rows_accepted: 2675,
        rows_rejected: 0,
        rows_merged: 2675,
        status: 'loaded',
      },
      {
        file: 'episodes.csv',
        format: 'ssda903-csv',
        reference_date: '2018-03-31',
        rows_read: 5050,
        rows_accepted: 5038,
        rows_rejected: 12,
        rows_merged: 5038,
        status: 'loaded',
      },
      {
        file: 'fake_903.xml',
        format: 'ssda903-xml',
        reference_date: '2018-03-31',
        rows_read: 712,
        rows_accepted: 711,
        rows_rejected: 1,
        rows_merged: 711,
        status: 'loaded',
      },
    ]);
    // Episode 2 of child 566910 (episodes.csv line 3): 14/08/2017, T, C2, N3, A3, open, X1.
    const [episode] = await warehouse.query(
      `SELECT start_date, end_date, reason_new_episode, legal_status, category_of_need, placement_type, reason_ceased
       FROM looked_after JOIN child_identity USING (child_key) WHERE la_child_id = '566910' AND start_date = '2017-08-14'`,
    );
    expect(episode).toEqual({
      start_date: '2017-08-14',
      end_date: null,
      reason_new_episode: 'T',
      legal_status: 'C2',
      category_of_need: 'N3',
      placement_type: 'A3',
      reason_ceased: 'X1',
    });
    // The first XML child: 907440, SEX 2, DOB 28/07/2010, BAFR; its PL R5 is the placement type.
    const [child] = await warehouse.query(
      `SELECT birth_date, sex, ethnicity FROM children JOIN child_identity USING (child_key) WHERE la_child_id = '907440'`,
    );
    expect(child).toEqual({ birth_date: '2010-07-28', sex: 'female', ethnicity: 'BAFR' });
    const [placement] = await warehouse.query(
      `SELECT placement_type FROM looked_after JOIN child_identity USING (child_key)
       WHERE la_child_id = '907440' AND start_date = '2017-01-06'`,
    );
    expect(placement).toEqual({ placement_type: 'R5' });

    // The same files again: each is skipped, and nothing changes.
    const fingerprint = await warehouseFingerprint(warehouse);
    const again = await load(warehouse, [samples], '2018-03-31');
    expect(again.map((r) => r.status)).toEqual(['skipped', 'skipped', 'skipped']);
    expect(await warehouseFingerprint(warehouse)).toBe(fingerprint);
  });

  it('without a reference date, episodes.csv and the XML take their latest date; header.csv (dates of birth only) is refused whole', async () => {
    const { warehouse } = await freshWarehouse('ssda903-undated');
    const results = byFile(await load(warehouse, [samples]));
    // Latest date of each: 01/04/2018 (the 12 CSV and 1 XML episode ends above), so nothing is after it.
    expect(results['episodes.csv']).toMatchObject({ status: 'loaded', rowsAccepted: 5050, rowsRejected: 0 });
    expect(results['fake_903.xml']).toMatchObject({ status: 'loaded', rowsAccepted: 712, rowsRejected: 0 });
    expect(results['header.csv']).toMatchObject({ status: 'failed', refusal: { reason: 'no reference date' } });
    expect(results['header.csv']!.message).toContain('--reference-date');
    const dates = await warehouse.query(`SELECT file, reference_date::VARCHAR AS d FROM loads ORDER BY load_id`);
    expect(dates).toEqual([
      { file: 'episodes.csv', d: '2018-04-01' },
      { file: 'fake_903.xml', d: '2018-04-01' },
    ]);
  });

  it('postcodes, UPNs and URNs are stored nowhere: not in staged files, rejects, tables or the warehouse file', async () => {
    const postcodes = ['EG19 7TT', 'WV27 9FW', 'E7 5YR', 'B15 8PZ']; // episodes.csv line 3; the XML's first EPISODE
    const upns = ['D051910639385', 'O013219285333']; // header.csv line 2; the XML's first HEADER
    const urns = ['8969628', '1465167'];
    const secrets = [...postcodes, ...upns, ...urns];
    for (const secret of secrets) {
      const inSamples = [headerCsv, episodesCsv, sampleXml].some((f) => readFileSync(f, 'utf8').includes(secret));
      expect({ secret, inSamples }).toEqual({ secret, inSamples: true });
    }

    // What the readers stage (the files validation reads, and the read rejects).
    for (const [reader, path] of [
      [ssda903CsvReader, headerCsv],
      [ssda903CsvReader, episodesCsv],
      [ssda903XmlReader, sampleXml],
    ] as const) {
      const stagingDir = tempDir('ssda903-staged');
      await reader.stage(path, { stagingDir });
      for (const name of readdirSync(stagingDir)) {
        const text = readFileSync(join(stagingDir, name), 'utf8');
        for (const secret of secrets)
          expect({ name, secret, found: text.includes(secret) }).toMatchObject({ found: false });
      }
    }

    // A broken row holding a postcode is rejected without quoting it (its fields have shifted).
    const dir = tempDir('ssda903-secret');
    copyFileSync(headerCsv, join(dir, 'header.csv'));
    copyFileSync(sampleXml, join(dir, 'fake_903.xml'));
    writeFile(dir, 'episodes.csv', [
      ...readFileSync(episodesCsv, 'utf8').trimEnd().split('\n').slice(0, 3),
      '566910,01/09/2017,P,C2,N3,A3,PR3,,X1,,EG19, 7TT,WV27 9FW,8969628',
    ]);
    const { warehouse, path } = await freshWarehouse('ssda903-secret-db');
    const results = byFile(await load(warehouse, [dir], '2018-03-31'));
    expect(await rejectsOf(warehouse, results['episodes.csv']!.loadId)).toEqual([
      {
        file: 'episodes.csv',
        row: '4',
        field: 'row',
        value: null,
        reason: 'has 14 fields, not 13: a comma inside a value that is not quoted?',
      },
    ]);
    // Every text column of every table, rejects included.
    const columns = await warehouse.query<{ table_name: string; column_name: string }>(
      `SELECT table_name, column_name FROM information_schema.columns
       WHERE table_schema = 'main' AND data_type = 'VARCHAR'`,
    );
    expect(columns.some((c) => c.table_name === 'rejects' && c.column_name === 'value')).toBe(true);
    for (const { table_name, column_name } of columns) {
      const [hit] = await warehouse.query<{ n: number }>(
        `SELECT count(*)::INTEGER AS n FROM "${table_name}"
         WHERE list_has_any([${secrets.map((s) => `'${s}'`).join(', ')}], ["${column_name}"])
            OR ${postcodes.map((p) => `contains("${column_name}", '${p}')`).join(' OR ')}`,
      );
      expect({ table_name, column_name, n: hit?.n }).toEqual({ table_name, column_name, n: 0 });
    }
    // The warehouse file's bytes, after the warehouse is closed and checkpointed.
    warehouse.close();
    open.splice(open.indexOf(warehouse), 1);
    const bytes = Buffer.concat([
      readFileSync(path),
      existsSync(`${path}.wal`) ? readFileSync(`${path}.wal`) : Buffer.alloc(0),
    ]);
    for (const secret of [...postcodes, ...upns]) {
      expect({ secret, found: bytes.includes(Buffer.from(secret, 'latin1')) }).toEqual({ secret, found: false });
    }
  });
});

// -----------------------------------------------------------------------------------------------

/** The SSDA903 XML of the given CSV rows, as an LA's system writes it (PL for PLACE, postcodes and all). */
function ssda903Xml(header: string[][], episodes: string[][]): string {
  const el = (name: string, value: string | undefined) => (value ? `<${name}>${value}</${name}>` : `<${name} />`);
  const children = header.map(([child, sex, dob, ethnic, upn]) => {
    const own = episodes.filter((e) => e[0] === child);
    const eps = own.map(
      ([, decom, rne, ls, cin, place, provider, dec, rec, change, homePost, plPost, urn]) =>
        `<EPISODE>${el('DECOM', decom)}${el('RNE', rne)}${el('LS', ls)}${el('CIN', cin)}${el('PL', place)}` +
        `${el('PL_POST', plPost)}${el('HOME_POST', homePost)}${el('URN', urn)}${el('PLACE_PROVIDER', provider)}` +
        `${el('DEC', dec)}${el('REC', rec)}${el('REASON_PLACE_CHANGE', change)}</EPISODE>`,
    );
    return (
      `<CHILD><HEADER>${el('CHILDID', child)}${el('UPN', upn)}${el('SEX', sex)}${el('DOB', dob)}${el('ETHNIC', ethnic)}` +
      `<UASC /><AREVIEW><REVIEW>01/01/2017</REVIEW><REVIEW_CODE>PN1</REVIEW_CODE></AREVIEW><MOTHER /><MC_DOB /></HEADER>` +
      `${eps.join('')}</CHILD>`
    );
  });
  return `<?xml version='1.0' encoding='us-ascii'?>\n<EXPSSDA903>${children.join('\n')}</EXPSSDA903>\n`;
}

const csvLines = (path: string) =>
  readFileSync(path, 'utf8')
    .trimEnd()
    .split('\n')
    .slice(1)
    .map((line) => line.split(','));

describe('one return, two forms', () => {
  it('the CSV files and the XML of the same return give the same warehouse rows', async () => {
    // The first 400 children of header.csv and every episode of theirs, written as XML here.
    const header = csvLines(headerCsv).slice(0, 400);
    const ids = new Set(header.map((row) => row[0]));
    const episodes = csvLines(episodesCsv).filter((row) => ids.has(row[0]));
    expect(episodes.length).toBeGreaterThan(400);
    const dir = tempDir('ssda903-forms');
    const csvDir = join(dir, 'csv');
    writeFile(csvDir, 'header.csv', [headerHeader, ...header.map((r) => r.join(','))]);
    writeFile(csvDir, 'episodes.csv', [episodesHeader, ...episodes.map((r) => r.join(','))]);
    const xml = join(dir, 'return.xml');
    writeFileSync(xml, ssda903Xml(header, episodes));

    const fromCsv = (await freshWarehouse('ssda903-from-csv')).warehouse;
    const fromXml = (await freshWarehouse('ssda903-from-xml')).warehouse;
    const csvResults = await load(fromCsv, [csvDir], '2018-03-31');
    const [xmlResult] = await load(fromXml, [xml], '2018-03-31');
    expect(csvResults.map((r) => r.status)).toEqual(['loaded', 'loaded']);
    expect(xmlResult).toMatchObject({ status: 'loaded', format: 'ssda903-xml' });
    // The same rows read, accepted and rejected in all: the two CSV loads against the one XML load.
    const sum = (key: 'rowsRead' | 'rowsAccepted' | 'rowsRejected') => csvResults.reduce((n, r) => n + r[key], 0);
    expect([xmlResult!.rowsRead, xmlResult!.rowsAccepted, xmlResult!.rowsRejected]).toEqual([
      sum('rowsRead'),
      sum('rowsAccepted'),
      sum('rowsRejected'),
    ]);
    expect(await childRows(fromXml)).toEqual(await childRows(fromCsv));
    expect(await episodeRows(fromXml)).toEqual(await episodeRows(fromCsv));
    expect((await childRows(fromCsv)).length).toBe(400);
  });
});

// -----------------------------------------------------------------------------------------------

describe('identity and merging (DATA.md §3: a looked-after episode is its child and start date)', () => {
  const dir = tempDir('ssda903-merge');
  // Child L1: episodes out of order, the second overlapping the first, the third open.
  const first = writeFile(join(dir, 'first'), 'episodes.csv', [
    episodesHeader,
    'L1,01/06/2016,P,C2,N1,U1,PR1,01/02/2017,X1,,,,',
    'L1,01/01/2016,S,V2,N1,U3,PR1,31/12/2016,X1,,,,',
    'L1,01/05/2017,P,C2,N1,U4,PR1,,,,,,',
  ]);
  // A later extract: the open episode has ended, and one new episode has begun.
  const later = writeFile(join(dir, 'later'), 'episodes.csv', [
    episodesHeader,
    'L1,01/05/2017,P,C2,N1,U4,PR1,30/09/2017,E11,,,,',
    'L1,01/10/2017,S,C1,N1,U1,PR1,,,,,,',
  ]);

  it('keeps overlapping and out-of-order episodes as recorded; a later extract corrects an end date; the same file twice changes nothing', async () => {
    const { warehouse } = await freshWarehouse('ssda903-merge-db');
    expect((await load(warehouse, [first], '2017-06-30'))[0]).toMatchObject({ status: 'loaded', rowsMerged: 3 });
    const stored = await episodeRows(warehouse);
    expect(stored.map((r) => [r['start_date'], r['end_date']])).toEqual([
      ['2016-01-01', '2016-12-31'],
      ['2016-06-01', '2017-02-01'],
      ['2017-05-01', null],
    ]);
    const fingerprint = await warehouseFingerprint(warehouse);
    const again = (await load(warehouse, [first], '2017-06-30'))[0]!;
    expect(again.status).toBe('skipped');
    expect(await warehouseFingerprint(warehouse)).toBe(fingerprint);

    expect((await load(warehouse, [later], '2017-12-31'))[0]).toMatchObject({ status: 'loaded', rowsMerged: 2 });
    const corrected = await episodeRows(warehouse);
    expect(corrected.map((r) => [r['start_date'], r['end_date'], r['reason_ceased']])).toEqual([
      ['2016-01-01', '2016-12-31', 'X1'],
      ['2016-06-01', '2017-02-01', 'X1'],
      ['2017-05-01', '2017-09-30', 'E11'], // corrected in place: still one row for (L1, 01/05/2017)
      ['2017-10-01', null, null],
    ]);
    // The first extract again under another name and an earlier reference date: older, so it
    // corrects nothing (DATA.md: "An older extract never overwrites a newer one").
    writeFileSync(join(dir, 'first-again.csv'), `${readFileSync(first, 'utf8')}\n`);
    await load(warehouse, [join(dir, 'first-again.csv')], '2017-06-30');
    expect(await episodeRows(warehouse)).toEqual(corrected);
  });
});

// -----------------------------------------------------------------------------------------------

describe('broken input is refused row by row, or whole, never half-loaded', () => {
  it('a bad date, an unknown code and a missing CHILD are rejects naming file, line and field; good rows land', async () => {
    const dir = tempDir('ssda903-bad');
    writeFile(dir, 'episodes.csv', [
      episodesHeader,
      'B1,31/02/2017,S,C2,N1,U1,PR1,,,,,,', // line 2: no 31 February
      'B2,01/03/2017,S,C2,N9,U1,PR1,,,,,,', // line 3: N9 is no category of need
      'B3,01/03/2017,Z,C2,N1,U1,PR1,,,,,,', // line 4: Z is no reason for a new episode
      ',01/03/2017,S,C2,N1,U1,PR1,,,,,,', // line 5: no CHILD
      'B5,01/03/2017,S,C2,N1,U1,PR1,01/02/2017,E11,,,,', // line 6: ceased before it began
      'B6,1/3/2017,S,C2,N1,U1,PR1,,,,,,', // line 7: good
    ]);
    writeFile(dir, 'header.csv', [
      headerHeader,
      'B1,3,01/01/2010,WBRI,A123456789012,,', // line 2: sex 3
      'B2,1,01/01/2010,XXXX,A123456789013,,', // line 3: unknown ethnicity
      'B6,2,01/01/2010,WBRI,A123456789014,,', // line 4: good
    ]);
    const { warehouse } = await freshWarehouse('ssda903-bad-db');
    const results = byFile(await load(warehouse, [dir], '2018-03-31'));
    expect(results['episodes.csv']).toMatchObject({ status: 'loaded', rowsRead: 6, rowsAccepted: 1, rowsRejected: 5 });
    expect(results['header.csv']).toMatchObject({ status: 'loaded', rowsRead: 3, rowsAccepted: 1, rowsRejected: 2 });
    expect(await rejectsOf(warehouse, results['episodes.csv']!.loadId)).toEqual([
      {
        file: 'episodes.csv',
        row: '2',
        field: 'start_date',
        value: '31/02/2017',
        reason: 'not a real date (expected YYYY-MM-DD or DD/MM/YYYY)',
      },
      {
        file: 'episodes.csv',
        row: '3',
        field: 'category_of_need',
        value: 'N9',
        reason: 'unknown code (expected one of N1, N2, N3, N4, N5, N6, N7, N8)',
      },
      {
        file: 'episodes.csv',
        row: '4',
        field: 'reason_new_episode',
        value: 'Z',
        reason: 'unknown code (expected one of S, L, P, T, U, B)',
      },
      { file: 'episodes.csv', row: '5', field: 'child_id', value: null, reason: 'missing' },
      {
        file: 'episodes.csv',
        row: '6',
        field: 'end_date',
        value: '01/02/2017',
        reason: 'end_date is before start_date',
      },
    ]);
    const headerRejects = await rejectsOf(warehouse, results['header.csv']!.loadId);
    expect(headerRejects.map((r) => [r.row, r.field, r.value])).toEqual([
      ['2', 'sex', '3'],
      ['3', 'ethnicity', 'XXXX'],
    ]);
    expect(await childRows(warehouse)).toEqual([
      { child: 'B6', birth_date: '2010-01-01', sex: 'female', ethnicity: 'WBRI' },
    ]);
    expect((await episodeRows(warehouse)).map((r) => [r['child'], r['start_date']])).toEqual([['B6', '2017-03-01']]);
  });

  it('XML without a CHILDID: the child and its episodes are rejected, naming their element paths', async () => {
    const dir = tempDir('ssda903-xml-bad');
    const xml = join(dir, 'return.xml');
    writeFileSync(
      xml,
      ssda903Xml(
        [
          ['', '1', '01/01/2010', 'WBRI', ''],
          ['X2', '2', '01/01/2011', 'WBRI', ''],
        ],
        [['', '01/03/2017', 'S', 'C2', 'N1', 'U1', 'PR1', '', '', '', '', '', '']],
      ),
    );
    const { warehouse } = await freshWarehouse('ssda903-xml-bad-db');
    const [result] = await load(warehouse, [xml], '2018-03-31');
    expect(result).toMatchObject({ status: 'loaded', rowsRead: 3, rowsAccepted: 1, rowsRejected: 2 });
    expect((await rejectsOf(warehouse, result!.loadId)).map((r) => [r.row, r.field, r.reason])).toEqual([
      ['EXPSSDA903/CHILD[1]/EPISODE[1]', 'child_id', 'missing'],
      ['EXPSSDA903/CHILD[1]/HEADER', 'child_id', 'missing'],
    ]);
  });

  it('a truncated XML file fails whole, naming where it stops, and leaves the warehouse as it was', async () => {
    const { warehouse } = await freshWarehouse('ssda903-truncated');
    expect((await load(warehouse, [episodesCsv], '2018-04-01'))[0]!.status).toBe('loaded');
    const counts = await tableCounts(warehouse);
    const fingerprint = await warehouseFingerprint(warehouse);
    const dir = tempDir('ssda903-truncated-file');
    const truncated = join(dir, 'fake_903.xml');
    const text = readFileSync(sampleXml, 'utf8');
    writeFileSync(truncated, text.slice(0, Math.floor(text.length / 2)));
    const [result] = await load(warehouse, [truncated], '2018-04-01');
    expect(result).toMatchObject({ status: 'failed', format: 'ssda903-xml', rowsAccepted: 0 });
    expect(result!.message).toMatch(/^fake_903\.xml: line \d+, column \d+, field \w+: is not well-formed XML/);
    expect(await warehouseFingerprint(warehouse)).toBe(fingerprint);
    const after = await tableCounts(warehouse);
    expect({ ...after, loads: after['loads']! - 1 }).toEqual(counts); // only the failure itself is recorded
  });

  it('a CSV that is neither SSDA903 file, or lacks a column the product stores, is refused naming the columns', async () => {
    const dir = tempDir('ssda903-columns');
    const csv = writeFile(dir, 'episodes.csv', ['CHILD,DECOM,RNE,LS,PLACE,DEC,REC', 'C1,01/03/2017,S,C2,U1,,']);
    const { warehouse } = await freshWarehouse('ssda903-columns-db');
    const [result] = await load(warehouse, [csv], '2018-03-31');
    expect(result).toMatchObject({ status: 'failed', format: 'ssda903-csv' });
    expect(result!.message).toBe('episodes.csv: header, field CIN: missing column CIN for SSDA903 episodes.csv');
    // PL, the XML's name for PLACE, is taken in a CSV too.
    const withPl = writeFile(join(dir, 'pl'), 'episodes.csv', [
      'CHILD,DECOM,RNE,LS,CIN,PL,DEC,REC',
      'C1,01/03/2017,S,C2,N1,U1,,',
    ]);
    const [pl] = await load(warehouse, [withPl], '2018-03-31');
    expect(pl).toMatchObject({ status: 'loaded', rowsAccepted: 1 });
    expect((await episodeRows(warehouse))[0]).toMatchObject({ child: 'C1', placement_type: 'U1' });
  });
});

// -----------------------------------------------------------------------------------------------

describe('children.csv family_id (DATA.md §2: optional) and what SSDA903 does not carry', () => {
  const childrenHeader = 'child_id,birth_date,expected_birth_date,sex,ethnicity,disability';

  it('loads children.csv with or without family_id; a file without it keeps the stored one, as SSDA903 keeps disability', async () => {
    const dir = tempDir('ssda903-family');
    const withFamily = writeFile(join(dir, 'a'), 'children.csv', [
      `${childrenHeader},family_id`,
      'F1,2015-01-01,,1,WBRI,Y,FAM-1',
      'F2,2017-01-01,,2,WBRI,Y,FAM-1',
    ]);
    const older = writeFile(join(dir, 'b'), 'children.csv', [
      childrenHeader,
      'F1,2015-01-01,,1,WBRI,N',
      'F3,2016-01-01,,2,WBRI,',
    ]);
    const ssda = writeFile(join(dir, 'c'), 'header.csv', [headerHeader, 'F2,2,01/01/2017,WIRI,,,']);
    const { warehouse } = await freshWarehouse('ssda903-family-db');
    const rows = () =>
      warehouse.query(`SELECT la_child_id AS child, ethnicity, disability, family_id
                       FROM children JOIN child_identity USING (child_key) ORDER BY 1`);

    expect((await load(warehouse, [withFamily], '2024-03-31'))[0]).toMatchObject({ status: 'loaded', rowsAccepted: 2 });
    expect(await rows()).toEqual([
      { child: 'F1', ethnicity: 'WBRI', disability: 'Y', family_id: 'FAM-1' },
      { child: 'F2', ethnicity: 'WBRI', disability: 'Y', family_id: 'FAM-1' },
    ]);
    // An older children.csv without the column loads as before, and leaves F1's family alone.
    expect((await load(warehouse, [older], '2024-06-30'))[0]).toMatchObject({ status: 'loaded', rowsAccepted: 2 });
    // An SSDA903 header row: its ethnicity is newest, the family it does not carry stays.
    expect((await load(warehouse, [ssda], '2024-09-30'))[0]).toMatchObject({ status: 'loaded', rowsAccepted: 1 });
    expect(await rows()).toEqual([
      { child: 'F1', ethnicity: 'WBRI', disability: 'N', family_id: 'FAM-1' },
      { child: 'F2', ethnicity: 'WIRI', disability: 'Y', family_id: 'FAM-1' },
      { child: 'F3', ethnicity: 'WBRI', disability: null, family_id: null },
    ]);
  });
});
