import { DuckDBInstance } from '@duckdb/node-api';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fixtureWarehouse, type FixtureWarehouse } from '../support/fixtureWarehouse.ts';
import { runCli } from '../support/runCli.ts';
import { smallDemoWarehouse } from '../support/demoWarehouse.ts';
import { rmSync } from 'node:fs';
import { metricsRegistry } from '../../metrics/registry.ts';
import { Warehouse } from '../../sql/warehouse.ts';
import { cpOpenFixture } from './cpOpen.fixture.ts';

/**
 * `lscb sql NAME` (issue 14, "SQL an analyst can run"): the printed SQL runs unchanged in DuckDB
 * against the warehouse file and gives the figure `lscb metrics --json` gives. Expected numbers are
 * worked out in cpOpen.fixture.ts: METRICS.md §3 "cp_open — children with a CP plan open at the
 * as-at date" = A, C, E, F, G = 5 at 2025-03-31; cp_open_neglect_initial = A, G = 2.
 */
let fixture: FixtureWarehouse;
beforeAll(async () => {
  fixture = await fixtureWarehouse(cpOpenFixture);
  fixture.warehouse.close(); // the CLI is another process and DuckDB allows one writer per file
});
afterAll(() => fixture.dispose());

const period = ['--from', '2025-01-01', '--to', '2025-03-31'];

/** Runs printed SQL exactly as printed, in a fresh read-only DuckDB on the warehouse file. */
async function runPrinted(sql: string, dbPath = fixture.dbPath): Promise<Record<string, unknown>[]> {
  const instance = await DuckDBInstance.create(dbPath, { access_mode: 'READ_ONLY' });
  try {
    const connection = await instance.connect();
    try {
      return (await connection.runAndReadAll(sql)).getRowObjectsJson() as Record<string, unknown>[];
    } finally {
      connection.closeSync();
    }
  } finally {
    instance.closeSync();
  }
}

describe('lscb sql', () => {
  it('prints cp_open as SQL that runs unchanged and returns the figure lscb metrics --json gives', async () => {
    const printed = await runCli(['sql', 'cp_open', '--db', fixture.dbPath, ...period]);
    expect(printed.stderr).toBe('');
    expect(printed.status).toBe(0);
    expect(printed.stdout).toContain('METRICS.md §3'); // the clause it implements, as comments
    expect(printed.stdout).not.toContain('{{'); // fragments included
    expect(printed.stdout).toContain("DATE '2025-03-31'"); // the period as a CTE

    const metrics = await runCli(['metrics', '--db', fixture.dbPath, ...period, '--json']);
    const pack = JSON.parse(metrics.stdout);
    const rows = await runPrinted(printed.stdout);
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ period_from: '2025-01-01', period_to: '2025-03-31' });
    expect(rows[0]!['cp_open']).toBe(5);
    expect(rows[0]!['cp_open']).toBe(pack.prevalence.cp_open);
    expect(rows[0]!['cp_open_neglect_initial']).toBe(pack.prevalence.cp_open_neglect_initial);
    expect(rows[0]!['cp_open_rate_per_10k']).toBeCloseTo(pack.prevalence.cp_open_rate_per_10k, 9);
  });

  it('resolves a figure key to the query whose result has it', async () => {
    const printed = await runCli(['sql', 'prevalence.cp_open_neglect_initial', '--db', fixture.dbPath, ...period]);
    expect(printed.status).toBe(0);
    expect(printed.stdout).toContain("query 'cp_open'");
    const rows = await runPrinted(printed.stdout);
    expect(rows[0]!['cp_open_neglect_initial']).toBe(2);
  });

  it('defaults to the latest complete quarter of the data, as lscb metrics does', async () => {
    // The fixture's reference date is 2025-04-30: the latest complete quarter is Jan–Mar 2025.
    const printed = await runCli(['sql', 'cp_open', '--db', fixture.dbPath]);
    expect(printed.status).toBe(0);
    expect(printed.stdout).toContain("(DATE '2025-01-01', DATE '2025-03-31')");
  });

  it('writes parameters in as literals, and names a missing one', async () => {
    const missing = await runCli(['sql', 'quality_loads', '--db', fixture.dbPath]);
    expect(missing.status).toBe(2);
    expect(missing.stderr).toContain('--param limit=');
    const printed = await runCli(['sql', 'quality_loads', '--db', fixture.dbPath, '--param', 'limit=3']);
    expect(printed.status).toBe(0);
    expect(printed.stdout).toMatch(/LIMIT 3;/);
    const rows = await runPrinted(printed.stdout);
    expect(rows.length).toBeGreaterThan(0);
    expect(rows.length).toBeLessThanOrEqual(3);
  });

  it('works while another process holds the warehouse (lscb serve), given the period', async () => {
    const held = await Warehouse.open(fixture.dbPath);
    try {
      const printed = await runCli(['sql', 'cp_open_neglect_latest', '--db', fixture.dbPath, ...period]);
      expect(printed.status).toBe(0);
      expect(printed.stdout).toContain("query 'cp_open'");
      const noPeriod = await runCli(['sql', 'cp_open', '--db', fixture.dbPath]);
      expect(noPeriod.status).toBe(2);
      expect(noPeriod.stderr).toContain('give --from and --to');
    } finally {
      held.close();
    }
  });

  it('refuses a name that is neither a query nor a figure, and has --help', async () => {
    const unknown = await runCli(['sql', 'no_such_figure', '--db', fixture.dbPath, ...period]);
    expect(unknown.status).toBe(2);
    expect(unknown.stderr).toContain("'no_such_figure' is neither a query nor a figure");
    const help = await runCli(['sql', '--help']);
    expect(help.status).toBe(0);
    expect(help.stdout).toContain('Usage: lscb sql');
  });
});

describe('lscb sql on the demo warehouse (issue 14: "runs unchanged in DuckDB against the demo warehouse")', () => {
  it('cp_open and the drift quartiles, as printed, give what lscb metrics --json gives', async () => {
    const demo = await smallDemoWarehouse();
    demo.warehouse.close();
    try {
      const quarter = ['--from', '2026-01-01', '--to', '2026-03-31'];
      const pack = JSON.parse((await runCli(['metrics', '--db', demo.dbPath, ...quarter, '--json'])).stdout);
      const cpOpen = await runCli(['sql', 'cp_open', '--db', demo.dbPath, ...quarter]);
      expect(cpOpen.status).toBe(0);
      const [row] = await runPrinted(cpOpen.stdout, demo.dbPath);
      expect(pack.prevalence.cp_open).toBeGreaterThan(5);
      expect(row!['cp_open']).toBe(pack.prevalence.cp_open);
      const drift = await runCli(['sql', 'drift.first_neglect_to_cp_q3_days', '--db', demo.dbPath, ...quarter]);
      const [driftRow] = await runPrinted(drift.stdout, demo.dbPath);
      expect(driftRow!['first_neglect_to_cp_q3_days']).toBe(pack.drift.first_neglect_to_cp_q3_days);
    } finally {
      rmSync(demo.dir, { recursive: true, force: true });
    }
  });
});

describe('every registry query expands to one statement DuckDB accepts', () => {
  it('binds each query without parameters, as printed', async () => {
    const warehouse = await Warehouse.open(':memory:');
    try {
      const registry = metricsRegistry();
      const names = registry.names().filter((name) => registry.get(name).params.length === 0);
      expect(names.length).toBeGreaterThan(20);
      await warehouse.withConnection(async (c) => {
        for (const name of names) {
          const sql = registry.expand(name, { periods: [{ from: '2025-01-01', to: '2025-03-31' }] });
          await expect(c.runAndReadAll(`DESCRIBE ${sql.replace(/;$/, '')}`), name).resolves.toBeDefined();
        }
      });
    } finally {
      warehouse.close();
    }
  });
});
