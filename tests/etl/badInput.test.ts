import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadFiles } from '../../etl/load/loadFiles.ts';
import { Warehouse } from '../../sql/warehouse.ts';
import { tempDir, writeCanonicalCsv } from '../support/fixtureWarehouse.ts';
import { runCli } from '../support/runCli.ts';
import { warehouseFingerprint } from '../support/tableCounts.ts';

/**
 * Bad input tried as a new user would: each gets a message naming the file, the row and the field,
 * nothing already loaded is lost, and `lscb load` exits non-zero only when nothing could be loaded.
 */
let dir: string;
let dbPath: string;
let before: string;
beforeAll(async () => {
  dir = tempDir('bad');
  dbPath = join(dir, 'lscb.duckdb');
  // A warehouse that already holds one good load, which no bad file may disturb.
  writeCanonicalCsv(join(dir, 'good'), {
    'cp_plans.csv': [
      {
        plan_id: 'P1',
        child_id: 'C1',
        start_date: '2024-01-01',
        initial_category: 'NEG',
        latest_category: 'NEG',
        previous_plans: 0,
      },
    ],
  });
  const warehouse = await Warehouse.open(dbPath);
  await loadFiles(warehouse, [join(dir, 'good')], { loadedBy: 'test', referenceDate: '2025-03-31' });
  warehouse.close();
});

async function fingerprint(): Promise<string> {
  const warehouse = await Warehouse.open(dbPath, { readOnly: true });
  try {
    return await warehouseFingerprint(warehouse);
  } finally {
    warehouse.close();
  }
}

function file(name: string, text: string): string {
  const path = join(dir, name);
  writeFileSync(path, text);
  return path;
}

describe('lscb load on bad input', () => {
  beforeAll(async () => {
    before = await fingerprint();
  });
  afterAll(async () => {
    // Nothing any bad file did reached the canonical tables.
    expect(await fingerprint()).toBe(before);
  });

  it('a CSV with a missing column fails, naming the file and the column; exit 1', async () => {
    const path = file(
      'cp_plans.csv',
      'plan_id,referral_id,child_id,start_date,end_date,initial_category,previous_plans\nP9,,C9,2024-01-01,,NEG,0\n',
    );
    const result = await runCli(['load', '--db', dbPath, '--reference-date', '2025-03-31', path]);
    expect(result.status).toBe(1);
    expect(result.stdout).toContain(
      'FAILED   cp_plans.csv: header, field latest_category: missing column latest_category for cp_plans.csv',
    );
  });

  it('an empty file fails with "is empty"; exit 1', async () => {
    const result = await runCli(['load', '--db', dbPath, file('referrals.csv', '')]);
    expect(result.status).toBe(1);
    expect(result.stdout).toContain('FAILED   referrals.csv: file: is empty (0 bytes): nothing to load');
  });

  it('a truncated census XML fails with the line and element where it stops; exit 1', async () => {
    const path = file('CIN_truncated.xml', '<Message><Children><Child><ChildIdentifiers><LAchildID>X1</LAchildID>');
    const result = await runCli(['load', '--db', dbPath, path]);
    expect(result.status).toBe(1);
    expect(result.stdout).toMatch(
      /FAILED {3}CIN_truncated\.xml: line 1, column \d+, field ChildIdentifiers: is not well-formed XML/,
    );
  });

  it('a file that is no extract at all says what was expected', async () => {
    const result = await runCli(['load', '--db', dbPath, file('notes.txt', 'minutes of the board meeting\n')]);
    expect(result.status).toBe(1);
    expect(result.stdout).toContain(
      'is not a recognised extract (expected canonical CSV, CIN census XML or an Annex A workbook)',
    );
  });
});

describe('row-level problems are rejected with reasons and the rest of the file lands', () => {
  it('31/02/2024 and an unknown category code are named by row and field; exit 0 as the good row loaded', async () => {
    const path = file(
      'cp_plans_2.csv',
      [
        'plan_id,referral_id,child_id,start_date,end_date,initial_category,latest_category,previous_plans',
        'P10,,C10,31/02/2024,,NEG,NEG,0', // line 2: no 31 February
        'P11,,C11,2024-03-01,,NGE,NEG,0', // line 3: NGE is no category
        'P12,,C12,01/03/2024,,neg,NEG,0', // line 4: good (DD/MM/YYYY, lower-case code)
      ].join('\n'),
    );
    const result = await runCli(['load', '--db', dbPath, '--reference-date', '2025-03-31', path]);
    expect(result.status).toBe(0);
    expect(result.stdout).toContain(
      'cp_plans_2.csv (canonical-csv → cp_plans): 3 read, 1 accepted, 2 rejected, 1 merged (the rejected rows: lscb quality --load ',
    );
    // The line names the command that lists this load's rejected rows (its load id is checked below).
    const namedLoad = Number(/\(the rejected rows: lscb quality --load (\d+)\)$/m.exec(result.stdout)?.[1]);
    // The closing line adds the files up.
    expect(result.stdout).toMatch(
      /^done {5}1 file \(1 loaded, 0 skipped, 0 failed\): 3 rows read, 1 accepted, 2 rejected, in \d+\.\d s$/m,
    );
    const warehouse = await Warehouse.open(dbPath, { readOnly: true });
    try {
      const rejects = await warehouse.query(
        'SELECT "row", field, value, reason FROM rejects WHERE file = \'cp_plans_2.csv\' ORDER BY "row"',
      );
      const rejectLoads = await warehouse.query("SELECT DISTINCT load_id FROM rejects WHERE file = 'cp_plans_2.csv'");
      expect(rejectLoads.map((r) => Number(r['load_id']))).toEqual([namedLoad]);
      expect(rejects).toEqual([
        {
          row: '2',
          field: 'start_date',
          value: '31/02/2024',
          reason: 'not a real date (expected YYYY-MM-DD or DD/MM/YYYY)',
        },
        {
          row: '3',
          field: 'initial_category',
          value: 'NGE',
          reason: 'unknown code (expected one of NEG, PHY, EMO, SAB, MUL)',
        },
      ]);
      const [plan] = await warehouse.query("SELECT start_date, initial_category FROM cp_plans WHERE source_id = 'P12'");
      expect(plan).toEqual({ start_date: '2024-03-01', initial_category: 'NEG' });
    } finally {
      warehouse.close();
    }
  });
});
