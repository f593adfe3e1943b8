import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fixtureWarehouse, type FixtureWarehouse } from '../support/fixtureWarehouse.ts';
import { runCli } from '../support/runCli.ts';
import { cpOpenFixture } from './cpOpen.fixture.ts';

// Expected numbers are worked out in cpOpen.fixture.ts.
let fixture: FixtureWarehouse;
beforeAll(async () => {
  fixture = await fixtureWarehouse(cpOpenFixture);
  fixture.warehouse.close(); // the CLI is another process and DuckDB allows one writer per file
});
afterAll(() => fixture.dispose());

describe('lscb metrics', () => {
  it('--json prints the METRICS.md §8 object with cp_open and its rates', async () => {
    const result = await runCli([
      'metrics',
      '--db',
      fixture.dbPath,
      '--from',
      '2025-01-01',
      '--to',
      '2025-03-31',
      '--json',
    ]);
    expect(result.stderr).toBe('');
    expect(result.status).toBe(0);
    const pack = JSON.parse(result.stdout);
    expect(pack.period).toEqual({ from: '2025-01-01', to: '2025-03-31' });
    expect(pack.population).toMatchObject({ year: 2024, children_0_17: 20000 });
    expect(pack.prevalence).toMatchObject({ cp_open: 5, cp_open_neglect_initial: 2 });
    expect(pack.prevalence.cp_open_rate_per_10k).toBeCloseTo(2.5, 9);
    expect(pack.prevalence.cp_open_neglect_initial_rate_per_10k).toBeCloseTo(1.0, 9);
    expect(pack.suppressed).toBe(false);
  });

  it('without --json prints a readable table with rates to one decimal place', async () => {
    const result = await runCli(['metrics', '--db', fixture.dbPath, '--from', '2025-01-01', '--to', '2025-03-31']);
    expect(result.status).toBe(0);
    expect(result.stdout).toMatch(/cp_open\s+5\n/);
    expect(result.stdout).toMatch(/cp_open_rate_per_10k\s+2\.5\n/);
    expect(result.stdout).toContain('Population: 20,000 children aged 0–17 (mid-2024');
  });

  it('says when the period has no population estimate, rather than printing placeholders', async () => {
    // cpOpenFixture's population starts at mid-2023, so early 2020 has none and no rate.
    const result = await runCli(['metrics', '--db', fixture.dbPath, '--from', '2020-01-01', '--to', '2020-03-31']);
    expect(result.status).toBe(0);
    expect(result.stdout).toContain(
      'Population: no estimate of children aged 0–17 for this period, so rates are not given (–)',
    );
    expect(result.stdout).toMatch(/cp_open_rate_per_10k\s+–\n/);
  });

  it('rejects an impossible date with a message naming the flag', async () => {
    const result = await runCli(['metrics', '--db', fixture.dbPath, '--from', '2025-02-30', '--to', '2025-03-31']);
    expect(result.status).toBe(2);
    expect(result.stderr).toContain("--from must be a real date as YYYY-MM-DD, not '2025-02-30'");
  });

  it('says where the warehouse is missing instead of creating an empty one', async () => {
    const result = await runCli(['metrics', '--db', `${fixture.dir}/nothing-here.duckdb`, '--json']);
    expect(result.status).toBe(2);
    expect(result.stderr).toContain('no warehouse at');
  });

  it('prints help for every command', async () => {
    for (const name of ['demo', 'load', 'metrics', 'serve', 'sql', 'start']) {
      const result = await runCli([name, '--help']);
      expect(result.status, name).toBe(0);
      expect(result.stdout, name).toContain(`Usage: lscb ${name}`);
    }
  });
});

describe('lscb metrics --suppress (METRICS.md §7)', () => {
  it('shows counts of 1–5 and the rates built on them as c, and says so', async () => {
    // cpOpenFixture: cp_open 5 and cp_open_neglect_initial 2 are both 1–5.
    const result = await runCli([
      'metrics',
      '--db',
      fixture.dbPath,
      '--from',
      '2025-01-01',
      '--to',
      '2025-03-31',
      '--json',
      '--suppress',
    ]);
    expect(result.status).toBe(0);
    const pack = JSON.parse(result.stdout);
    expect(pack.suppressed).toBe(true);
    expect(pack.prevalence).toMatchObject({
      cp_open: 'c',
      cp_open_rate_per_10k: 'c',
      cp_open_neglect_initial: 'c',
      cp_open_neglect_initial_rate_per_10k: 'c',
    });
    expect(pack.prevalence.eh_children).toBe(0); // "0 stays 0"
  });
});
