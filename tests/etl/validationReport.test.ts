import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tempDir } from '../support/fixtureWarehouse.ts';
import { runCli } from '../support/runCli.ts';
import { startTestServer, type TestServer } from '../support/testServer.ts';
import { edited, loadCensus, validCensus, type LoadedCensus } from './validationCensus.fixture.ts';

/**
 * Where the DfE rules show: `lscb validate` (a dry run), and the data-quality API (flags by rule for
 * officers, by child on request, the validation report as CSV). The flagged file is the valid
 * minimal census (validationCensus.fixture.ts) with a second CP plan opened while the first is open:
 * 8935 and 8940 flag it, and no rule rejects anything.
 */
const secondPlan =
  '</ChildProtectionPlans><ChildProtectionPlans><CPPstartDate>2025-09-10</CPPstartDate><InitialCategoryOfAbuse>NEG</InitialCategoryOfAbuse><LatestCategoryOfAbuse>NEG</LatestCategoryOfAbuse><NumberOfPreviousCPP>1</NumberOfPreviousCPP></ChildProtectionPlans>';
const flagged = edited(validCensus, ['</ChildProtectionPlans>', secondPlan]);
// The CP plan ends the day it starts: rule 8840 rejects it.
const rejected = edited(validCensus, [
  '<CPPstartDate>2025-06-15</CPPstartDate>',
  '<CPPstartDate>2025-06-15</CPPstartDate><CPPendDate>2025-06-15</CPPendDate>',
]);

describe('lscb validate', { timeout: 300_000 }, () => {
  it('exits 0 on a file breaking only flag rules, listing them by code; 1 when a reject rule fails', async () => {
    const dir = tempDir('validate-cli');
    writeFileSync(join(dir, 'flagged.xml'), flagged);
    writeFileSync(join(dir, 'rejected.xml'), rejected);
    const ok = await runCli(['validate', '--json', join(dir, 'flagged.xml')], { timeoutMs: 240_000 });
    expect(ok.stderr).toBe('');
    expect(ok.status).toBe(0);
    const report = JSON.parse(ok.stdout) as { rules: { code: string; count: number }[] };
    // Two open plans: 8935 flags both (2 records); 8940 flags the one starting inside the other (1 record).
    expect(report.rules.find((r) => r.code === '8935')?.count).toBe(2);
    expect(report.rules.find((r) => r.code === '8940')?.count).toBe(1);
    const bad = await runCli(['validate', join(dir, 'rejected.xml')], { timeoutMs: 240_000 });
    expect(bad.status).toBe(1);
    expect(bad.stdout).toMatch(/8840\s+reject\s+1\s/);
  });

  it('with --records lists each rejected row by its place in the file, and each flagged record by child', async () => {
    const dir = tempDir('validate-records');
    writeFileSync(join(dir, 'flagged.xml'), flagged);
    writeFileSync(join(dir, 'rejected.xml'), rejected);
    const records = async (file: string) => {
      const json = await runCli(['validate', '--json', '--records', join(dir, file)], { timeoutMs: 240_000 });
      return (JSON.parse(json.stdout) as { records: Record<string, unknown>[] }).records;
    };
    // The flagged file: 8935 flags both open plans and 8940 the one starting inside the other, all of
    // child C1, and nothing is rejected.
    const flags = await records('flagged.xml');
    expect(flags.map((r) => [r['kind'], r['rule'], r['file'], r['la_child_id'], r['record_table']])).toEqual([
      ['flag', '8935', 'flagged.xml', 'C1', 'cp_plans'],
      ['flag', '8935', 'flagged.xml', 'C1', 'cp_plans'],
      ['flag', '8940', 'flagged.xml', 'C1', 'cp_plans'],
    ]);
    // The rejected file: 8840, the plan that ends the day it starts, named by its place and XML line.
    const rejects = await records('rejected.xml');
    expect(rejects.map((r) => [r['kind'], r['rule'], r['file'], r['field'], r['value']])).toEqual([
      ['reject', '8840', 'rejected.xml', 'end_date', '2025-06-15'],
    ]);
    expect(rejects[0]!['row']).toMatch(/^Child 1 \(line \d+\) \/ CINdetails 1 \/ ChildProtectionPlans 1 \(line \d+\)$/);
    // The terminal's table: the place whole, line and all, and the rule's message.
    const text = await runCli(['validate', '--records', join(dir, 'rejected.xml')], { timeoutMs: 240_000 });
    expect(text.stdout).toContain(
      `${String(rejects[0]!['row'])}  end_date  2025-06-15  ${String(rejects[0]!['message'])}`,
    );
  });
});

describe('data quality: flags by rule, by child, and the validation report', { timeout: 300_000 }, () => {
  let census: LoadedCensus;
  let server: TestServer;
  beforeAll(async () => {
    census = await loadCensus(flagged);
    server = await startTestServer({ warehouse: census.warehouse });
  }, 300_000);
  afterAll(async () => {
    await server.close();
    census.warehouse.close();
  });

  it('officers get the counts by rule, the records by LA child id, and a CSV report', async () => {
    const officer = await server.as('officer');
    const quality = await officer.get('/api/v1/quality');
    const rules = quality.body['flag_rules'] as { rule: string; records: number; children: number }[];
    expect(rules).toContainEqual(expect.objectContaining({ rule: '8935', records: 2, children: 1 }));
    const byChild = await officer.get('/api/v1/quality/flags');
    const flags = byChild.body['flags'] as { la_child_id: string; rule: string }[];
    expect(flags.filter((f) => f.rule === '8935').map((f) => f.la_child_id)).toEqual(['C1', 'C1']);
    const csv = await officer.get('/api/v1/quality/validation-report.csv');
    expect(csv.status).toBe(200);
    expect(csv.headers.get('content-type')).toContain('text/csv');
    const lines = csv.text.trim().split('\r\n');
    expect(lines[0]).toBe('kind,rule,message,load_id,file,row,field,value,la_child_id,record_table,record_key');
    // 8935 × 2 records + 8940 × 1 = 3 flag lines, no coded reject; each names the file that flagged it.
    expect(lines.slice(1).filter((l) => l.startsWith('flag,'))).toHaveLength(3);
    expect(lines.slice(1).filter((l) => l.startsWith('flag,') && l.includes(',census.xml,'))).toHaveLength(3);
  });

  it('the board sees no data quality, and no child', async () => {
    const board = await server.as('board');
    expect((await board.get('/api/v1/quality/flags')).status).toBe(403);
    expect((await board.get('/api/v1/quality/validation-report.csv')).status).toBe(403);
  });
});
