import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { loadFiles } from '../../etl/load/loadFiles.ts';
import { Warehouse } from '../../sql/warehouse.ts';
import { tempDir, writeCanonicalCsv } from '../support/fixtureWarehouse.ts';
import { runCli } from '../support/runCli.ts';

/**
 * `lscb quality`, where an operator reads what a load rejected and why. One load of four CP plans:
 * P1 is good; P2 has no real date (31 February), P3 an unknown category (NGE) and P4 both, so the
 * load rejects three rows for four reasons (P4 gives two reject rows).
 */
let dbPath: string;
let loadId: number;
beforeAll(async () => {
  const dir = tempDir('quality-cli');
  dbPath = join(dir, 'lscb.duckdb');
  const plan = (plan_id: string, start_date: string, initial_category: string) => ({
    plan_id,
    child_id: `C${plan_id}`,
    start_date,
    initial_category,
    latest_category: 'NEG',
    previous_plans: 0,
  });
  writeCanonicalCsv(join(dir, 'extract'), {
    'cp_plans.csv': [
      plan('P1', '2024-01-01', 'NEG'),
      plan('P2', '2024-02-31', 'NEG'),
      plan('P3', '2024-03-01', 'NGE'),
      plan('P4', '2024-02-30', 'XXX'),
    ],
  });
  const warehouse = await Warehouse.open(dbPath);
  const [result] = await loadFiles(warehouse, [join(dir, 'extract')], {
    loadedBy: 'test',
    referenceDate: '2025-03-31',
  });
  warehouse.close();
  loadId = result!.loadId!;
});

const quality = (...args: string[]) => runCli(['quality', '--db', dbPath, ...args]);

describe('lscb quality', () => {
  it('lists the load with its counts, and the reasons whole, each with its first row', async () => {
    const out = await quality();
    expect(out.status).toBe(0);
    // 4 read, 1 accepted, 3 rejected, 1 merged.
    expect(out.stdout).toMatch(new RegExp(`^ {2}${loadId} +cp_plans\\.csv .* loaded +4 +1 +3 +1$`, 'm'));
    // Two rows are not real dates (P2 on line 3, P4 on line 5) and two have an unknown code (P3, P4).
    expect(out.stdout).toMatch(/ 2 {2}3 +not a real date \(expected YYYY-MM-DD or DD\/MM\/YYYY\)$/m);
    expect(out.stdout).toMatch(/ 2 {2}4 +unknown code \(expected one of NEG, PHY, EMO, SAB, MUL\)$/m);
    expect(out.stdout).not.toContain('more rows than --limit');
  });

  it('lists one load’s rejected rows by row and field, and says when --limit cut the list', async () => {
    const all = JSON.parse((await quality('--load', String(loadId), '--json')).stdout) as {
      rejects: { row: string; field: string; value: string }[];
      cut_at_limit?: Record<string, number>;
    };
    expect(all.rejects.map((r) => [r.row, r.field, r.value])).toEqual([
      ['3', 'start_date', '2024-02-31'],
      ['4', 'initial_category', 'NGE'],
      ['5', 'initial_category', 'XXX'],
      ['5', 'start_date', '2024-02-30'],
    ]);
    expect(all.cut_at_limit).toBeUndefined();
    const two = await quality('--load', String(loadId), '--limit', '2');
    expect(two.stdout.match(/^ {2}\d+ +cp_plans\.csv/gm)).toHaveLength(2);
    expect(two.stdout).toContain('… more rows than --limit 2; a higher --limit lists them');
    const twoJson = JSON.parse((await quality('--load', String(loadId), '--limit', '2', '--json')).stdout) as {
      rejects: unknown[];
      cut_at_limit: Record<string, number>;
    };
    expect(twoJson.rejects).toHaveLength(2);
    expect(twoJson.cut_at_limit).toEqual({ rejects: 2 });
  });

  it('says there is no such load, rather than listing none', async () => {
    const missing = await quality('--load', '999');
    expect(missing.status).toBe(2);
    expect(missing.stderr).toContain("lscb quality: there is no load 999; 'lscb quality' lists the loads.");
    expect(missing.stdout).toBe('');
  });
});
