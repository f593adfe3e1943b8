import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cpOpenFixture } from './cpOpen.fixture.ts';
import { fixtureWarehouse, type FixtureWarehouse } from '../support/fixtureWarehouse.ts';
import { runCli } from '../support/runCli.ts';
import { Warehouse } from '../../sql/warehouse.ts';

/**
 * `lscb indicators` on a fixture (cpOpen.fixture.ts, data to 2025-04-30, latest quarter January–March
 * 2025). METRICS.md §12 eh_closed_needs_met ("EH episodes ending in the period with closure reason
 * needs_met"): the fixture has no early help, so 0 in every quarter, and a baseline of 0.
 */
let fixture: FixtureWarehouse;
beforeAll(async () => {
  fixture = await fixtureWarehouse(cpOpenFixture);
  fixture.warehouse.close();
}, 120_000);
afterAll(() => fixture.dispose());

const lscb = (...args: string[]) => runCli(['indicators', ...args, '--db', fixture.dbPath]);

describe('lscb indicators', () => {
  it('lists the seven default indicators at the latest quarter', async () => {
    const out = await lscb('list');
    expect(out.stderr).toBe('');
    expect(out.status).toBe(0);
    expect(out.stdout).toContain('Indicators at 2025-03-31 (unsuppressed):');
    expect(out.stdout).toContain('strategy.eh_closed_needs_met');
    expect(out.stdout.match(/^ {2}\d+ {2}/gm)).toHaveLength(7);
    // The fixture loads no partner measures: the two partner indicators say why, whole, at the end
    // of their line, under a note column (the latest value was a cut sentence).
    expect(out.stdout).toMatch(/ {2}note\n/);
    expect(out.stdout.match(/ {2}the partner measure \w+ for \w+ is not loaded\n/g)).toHaveLength(2);
  });

  it('adds an indicator with its baseline, sets its target and records a process change, each as a version', async () => {
    const added = await lscb(
      'add',
      '--title',
      'Early help starts',
      '--figure',
      'repeat.eh_starts',
      '--better',
      'up',
      '--owner',
      'Early help partnership',
      '--rationale',
      'More families helped early',
    );
    expect(added.stdout).toBe('Added indicator 8: Early help starts (baseline 0 at 2025-03-31).\n');
    const target = await lscb('set-target', '8', '--value', '12', '--date', '2026-03-31');
    expect(target.stdout).toBe('Indicator 8 version 2: target set to 12 by 2026-03-31.\n');
    const refused = await lscb('set-target', '8', '--value', '12', '--date', '2025-03-31');
    expect(refused.status).toBe(2);
    expect(refused.stderr).toContain('the target date must be after the baseline period (2025-03-31)');
    const note = await lscb(
      'annotate',
      '--date',
      '2024-10-01',
      '--text',
      'Family hubs open',
      '--process-change',
      '--indicator',
      '8',
    );
    expect(note.stdout).toBe('Added note 1 on 2024-10-01, a change in the process for repeat.eh_starts.\n');

    const warehouse = await Warehouse.open(fixture.dbPath, { readOnly: true });
    try {
      const versions = await warehouse.query<{ version: number; change: string; author: string }>(
        'SELECT version, change, author FROM indicators WHERE indicator_id = 8 ORDER BY version',
      );
      expect(versions.map((v) => [v.version, v.change])).toEqual([
        [1, 'created'],
        [2, 'target set to 12 by 2026-03-31'],
      ]);
      expect(versions[1]!.author).toMatch(/^cli:/);
      const notes = await warehouse.query<{ figures: string[]; process_change: boolean }>(
        'SELECT figures, process_change FROM annotations',
      );
      expect(notes).toEqual([{ figures: ['repeat.eh_starts'], process_change: true }]);
    } finally {
      warehouse.close();
    }
  });
});
