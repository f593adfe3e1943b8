import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { loadFiles } from '../../etl/load/loadFiles.ts';
import { Warehouse } from '../../sql/warehouse.ts';
import { tempDir } from '../support/fixtureWarehouse.ts';
import { warehouseFingerprint } from '../support/tableCounts.ts';

/**
 * The census reader's two parsers must stage the same rows: the tag scanner (the fast path) and
 * saxes (taken when the scanner refuses a file). A DOCTYPE, which the scanner refuses and saxes
 * reads past, sends the same census down the saxes path; the warehouses and rejects must match.
 */
const dir = tempDir('census-fallback');
const warehouses: Warehouse[] = [];
afterAll(() => warehouses.forEach((w) => w.close()));

async function loadCensus(name: string, xml: string) {
  const path = join(dir, `${name}.xml`);
  writeFileSync(path, xml);
  const warehouse = await Warehouse.open(join(dir, `${name}.duckdb`));
  warehouses.push(warehouse);
  const [result] = await loadFiles(warehouse, [path], { loadedBy: 'test' });
  const rejects = await warehouse.query<{ row: string; field: string; reason: string }>(
    'SELECT "row", field, reason FROM rejects ORDER BY "row", field, reason');
  return { warehouse, result, rejects };
}

describe('the census reader stages the same rows through either parser', () => {
  for (const sample of ['CIN_Census_2024.xml', 'CIN2rows.xml', 'fake_CIN_data.xml']) {
    it(sample, async () => {
      const xml = readFileSync(join(import.meta.dirname, '../fixtures/samples/cin-census', sample), 'utf8');
      // After the XML declaration, if there is one: a DOCTYPE must come before the root.
      const withDoctype = xml.replace(/^(\uFEFF?<\?xml[^>]*\?>)?/, (declaration) => `${declaration}\n<!DOCTYPE Message>`);
      expect(withDoctype).toContain('<!DOCTYPE Message>');
      const fast = await loadCensus(`fast-${sample}`, xml);
      const full = await loadCensus(`full-${sample}`, withDoctype);
      expect(fast.result).toMatchObject({ status: 'loaded' });
      expect(full.result).toMatchObject({ status: 'loaded', rowsRead: fast.result!.rowsRead, rowsAccepted: fast.result!.rowsAccepted });
      expect(await warehouseFingerprint(full.warehouse)).toBe(await warehouseFingerprint(fast.warehouse));
      // Where a row came from is named the same way, bar the line the DOCTYPE added.
      const unshift = (text: string) => text.replace(/line (\d+)/g, (_m, n: string) => `line ${Number(n) - 1}`);
      expect(full.rejects.map((r) => ({ ...r, row: unshift(r.row), reason: unshift(r.reason) }))).toEqual(fast.rejects);
    });
  }
});
