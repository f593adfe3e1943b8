/**
 * The demo's SSDA903 returns load through the SSDA903 readers (DATA.md "SSDA903 (children looked after)") and give the same
 * looked-after episodes as the canonical looked_after.csv, over the years the returns cover (1 April
 * 2020 to 31 March 2026); neither form stores a postcode, UPN or URN. Issue 11: "loading the CSV and
 * the XML form of the same return gives the same warehouse rows".
 */
import { readFile, readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadFiles } from '../../etl/load/loadFiles.ts';
import { Warehouse } from '../../sql/warehouse.ts';
import { tempDir } from '../support/fixtureWarehouse.ts';
import { generateTempDemo, type TempDemo } from './tempDemo.ts';

let demo: TempDemo;
let dir: string;
const warehouses: Record<'canonical' | 'csv' | 'xml', Warehouse> = {} as never;
const years = [2021, 2022, 2023, 2024, 2025, 2026];

beforeAll(async () => {
  demo = await generateTempDemo(4_000, 3);
  dir = tempDir('demo-903');
  const caseFiles = (await readdir(join(demo.dir, 'csv')))
    .filter((name) => name !== 'looked_after.csv')
    .map((name) => join(demo.dir, 'csv', name));
  const load = async (name: keyof typeof warehouses, paths: string[]) => {
    const warehouse = await Warehouse.open(join(dir, `${name}.duckdb`));
    const results = await loadFiles(warehouse, paths, { loadedBy: 'test', referenceDate: demo.manifest.referenceDate });
    expect(results.filter((r) => r.status !== 'loaded' || r.rowsRejected > 0).map((r) => r.message ?? r.file)).toEqual(
      [],
    );
    warehouses[name] = warehouse;
  };
  await load('canonical', [join(demo.dir, 'csv')]);
  await load('csv', [...caseFiles, ...years.map((y) => join(demo.dir, 'ssda903-csv', String(y)))]);
  await load('xml', [...caseFiles, join(demo.dir, 'ssda903-xml')]);
}, 300_000);
afterAll(() => {
  for (const w of Object.values(warehouses)) w?.close();
});

const episodesSql = `
  SELECT i.la_child_id, l.start_date, l.end_date, l.reason_new_episode, l.legal_status, l.category_of_need,
         l.placement_type, l.reason_ceased
  FROM looked_after l JOIN child_identity i USING (child_key)
  WHERE l.start_date <= DATE '2026-03-31' AND (l.end_date IS NULL OR l.end_date >= DATE '2020-04-01')
  ORDER BY ALL`;

async function episodes(warehouse: Warehouse): Promise<string[]> {
  return (await warehouse.query(episodesSql)).map((row) => JSON.stringify(row));
}

describe("the demo's SSDA903 returns", () => {
  it('load as CSV and as XML to the episodes of looked_after.csv', async () => {
    const canonical = await episodes(warehouses.canonical);
    expect(canonical.length).toBeGreaterThan(50);
    expect(await episodes(warehouses.csv)).toEqual(canonical);
    expect(await episodes(warehouses.xml)).toEqual(canonical);
  });

  it('store no postcode, UPN or URN', async () => {
    const episodesCsv = await readFile(join(demo.dir, 'ssda903-csv', '2026', 'episodes.csv'), 'utf8');
    const [, , , , , , , , , , home, placed, urn] = episodesCsv.split('\n')[1]!.split(',');
    const upn = (await readFile(join(demo.dir, 'ssda903-csv', '2026', 'header.csv'), 'utf8'))
      .split('\n')[1]!
      .split(',')[4]!;
    for (const name of ['csv', 'xml'] as const) {
      warehouses[name].close();
      const bytes = await readFile(join(dir, `${name}.duckdb`));
      for (const value of [home!, placed!, upn, urn!].filter((v) => v !== 'XXXXXXX'))
        expect(bytes.includes(value), `${name}: ${value}`).toBe(false);
      warehouses[name] = await Warehouse.open(join(dir, `${name}.duckdb`), { readOnly: true });
    }
  });
});
