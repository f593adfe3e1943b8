import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../../sql/config.ts';
import { defaultDuckdbThreads, defaultStagingWorkers, machineSettings } from '../../sql/machine.ts';
import { Warehouse } from '../../sql/warehouse.ts';
import { StagingPool } from '../../etl/load/stagingPool.ts';
import { loadFiles } from '../../etl/load/loadFiles.ts';

// DuckDB threads and staging workers fit the machine unless lscb.config.json or the environment
// says otherwise (environment first).
const dir = mkdtempSync(join(tmpdir(), 'lscb-machine-'));
const names = ['LSCB_CONFIG', 'LSCB_DUCKDB_THREADS', 'LSCB_STAGING_WORKERS'] as const;
const saved = Object.fromEntries(names.map((name) => [name, process.env[name]]));

function useConfig(file: string, body: Record<string, unknown>): string {
  const path = join(dir, file);
  writeFileSync(path, JSON.stringify({ la_code: '990', la_name: 'Northbury', benchmark_la_code: '350', ...body }));
  process.env['LSCB_CONFIG'] = path;
  return path;
}

afterEach(() => {
  for (const name of names) {
    if (saved[name] === undefined) delete process.env[name];
    else process.env[name] = saved[name];
  }
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('defaults from the cores Node may use', () => {
  it('DuckDB gets every core', () => {
    expect([1, 2, 8].map(defaultDuckdbThreads)).toEqual([1, 2, 8]);
  });

  it('staging gets every core but one, two on two cores, four at most', () => {
    expect([1, 2, 3, 4, 5, 16].map(defaultStagingWorkers)).toEqual([1, 2, 2, 3, 4, 4]);
  });

  it('with no settings anywhere, machineSettings uses them', () => {
    process.env['LSCB_CONFIG'] = join(dir, 'absent.json');
    expect(machineSettings(6)).toEqual({ duckdbThreads: 6, stagingWorkers: 4 });
  });
});

describe('overrides', () => {
  it('lscb.config.json keys duckdb_threads and staging_workers', () => {
    const path = useConfig('machine.json', { duckdb_threads: 3, staging_workers: 1 });
    expect(machineSettings(8)).toEqual({ duckdbThreads: 3, stagingWorkers: 1 });
    // The LA configuration accepts the keys and says nothing about them.
    expect(loadConfig(path)).toEqual({ la_code: '990', la_name: 'Northbury', benchmark_la_code: '350' });
  });

  it('the environment wins over the file', () => {
    useConfig('machine.json', { duckdb_threads: 3, staging_workers: 1 });
    process.env['LSCB_DUCKDB_THREADS'] = '5';
    process.env['LSCB_STAGING_WORKERS'] = '2';
    expect(machineSettings(8)).toEqual({ duckdbThreads: 5, stagingWorkers: 2 });
  });

  it('refuses a thread count that is not a whole number from 1 to 256, naming where it was', () => {
    const path = useConfig('zero.json', { duckdb_threads: 0 });
    expect(() => machineSettings()).toThrow(ConfigError);
    expect(() => machineSettings()).toThrow(/"duckdb_threads" must be a whole number of threads from 1 to 256, not 0/);
    expect(() => loadConfig(path)).toThrow(/"duckdb_threads" must be a whole number/);
    useConfig('text.json', { staging_workers: '2' });
    expect(() => machineSettings()).toThrow(
      /"staging_workers" must be a whole number of threads from 1 to 256, not "2"/,
    );
    useConfig('fine.json', {});
    process.env['LSCB_STAGING_WORKERS'] = 'two';
    expect(() => machineSettings()).toThrow(
      /LSCB_STAGING_WORKERS must be a whole number of threads from 1 to 256, not "two"/,
    );
  });

  it('an unreadable file sets nothing: the LA configuration reports it where the LA is needed', () => {
    const path = join(dir, 'broken.json');
    writeFileSync(path, '{ "la_code": ');
    process.env['LSCB_CONFIG'] = path;
    expect(machineSettings(2)).toEqual({ duckdbThreads: 2, stagingWorkers: 2 });
  });
});

describe('what uses them', () => {
  it('the warehouse opens DuckDB with the configured threads', async () => {
    useConfig('fine.json', {});
    process.env['LSCB_DUCKDB_THREADS'] = '3';
    const warehouse = await Warehouse.open(':memory:');
    try {
      expect(warehouse.threads).toBe(3);
      const [row] = await warehouse.query<{ threads: string }>("SELECT current_setting('threads')::VARCHAR AS threads");
      expect(row?.threads).toBe('3');
    } finally {
      warehouse.close();
    }
  });

  it("a census file leaves the workers' cores to them only while a later file stages, then DuckDB has them all", async () => {
    // 3 DuckDB threads, 1 staging worker: while the second census stages, the first merges on
    // 3 - 1 = 2 threads; the second, with nothing after it, on all 3; and the warehouse ends on 3.
    useConfig('fine.json', { duckdb_threads: 3, staging_workers: 1 });
    const samples = join(import.meta.dirname, '../fixtures/samples/cin-census');
    const warehouse = await Warehouse.open(join(dir, 'threads.duckdb'));
    try {
      const results = await loadFiles(
        warehouse,
        [join(samples, 'CIN_Census_2024.xml'), join(samples, 'CIN_Census_2026.xml')],
        { loadedBy: 'test', confirmLa: true },
      );
      expect(results.map((r) => r.status)).toEqual(['loaded', 'loaded']);
      // Read from the load, not by a query from onFile: that query runs on a connection of its own
      // and can see the second file's setting instead of the first's.
      expect(results.map((r) => r.duckdbThreads)).toEqual([2, 3]);
      const [row] = await warehouse.query<{ threads: string }>("SELECT current_setting('threads')::VARCHAR AS threads");
      expect(row?.threads).toBe('3');
    } finally {
      warehouse.close();
    }
  });

  it('a load stages with the configured number of workers', async () => {
    useConfig('fine.json', { staging_workers: 3 });
    const pool = new StagingPool();
    try {
      expect(pool.maxWorkers).toBe(3);
    } finally {
      await pool.close();
    }
  });
});
