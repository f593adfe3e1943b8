import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadFiles } from '../../etl/load/loadFiles.ts';
import { addAnnotation } from '../../metrics/annotations.ts';
import { buildBoardPack, previousQuarter } from '../../metrics/boardPack.ts';
import { calendar } from '../../metrics/calendar.ts';
import { boardPackOf, precomputed, precomputeLatestQuarter, quartersKeptBefore } from '../../metrics/precomputed.ts';
import { Warehouse } from '../../sql/warehouse.ts';
import { cpOpenFixture } from './cpOpen.fixture.ts';
import { fixtureWarehouse, writeCanonicalCsv, type FixtureWarehouse } from '../support/fixtureWarehouse.ts';

/**
 * Results precomputed after a load (issue 17, metrics/precomputed.ts): the latest quarter's board
 * pack is stored once and read back as the pack the server would compute, and never served once
 * anything it was computed from has changed.
 */
let fixture: FixtureWarehouse;
beforeAll(async () => {
  fixture = await fixtureWarehouse(cpOpenFixture);
});
afterAll(() => fixture.dispose());

// The quarter as the server and the load name it.
const quarter = calendar('quarter', '2025-03-31', '2025-03-31')[0]!;
const notAgain = () => Promise.reject(new Error('computed again, not read from the store'));

describe('precomputed results', { timeout: 120_000 }, () => {
  it('a load’s precomputed pack is read back equal to the pack computed now, board and officer output', async () => {
    // cpOpenFixture's extract is dated 2025-04-30: the latest whole quarter ends 2025-03-31.
    expect(await precomputeLatestQuarter(fixture.warehouse)).toBe('2025-03-31');
    for (const suppress of [true, false]) {
      const stored = await boardPackOf(fixture.warehouse, quarter, { suppress }, notAgain);
      // The server sends JSON, so the stored pack is the computed one as JSON carries it.
      const computed = JSON.parse(JSON.stringify(await buildBoardPack(fixture.warehouse, quarter, { suppress })));
      expect(stored).toEqual(computed);
    }
    // tests/metrics/cpOpen.fixture.ts: cp_open 5 at 2025-03-31, c on the board.
    const board = await boardPackOf(fixture.warehouse, quarter, { suppress: true }, notAgain);
    expect(board.figures.prevalence.cp_open).toBe('c');
  });

  it('keeps all the packs of the four quarters before the latest read: they open without computing, the fifth computes', async () => {
    await precomputeLatestQuarter(fixture.warehouse);
    const keptRows = async () =>
      Number((await fixture.warehouse.query<{ n: bigint }>('SELECT count(*) AS n FROM period_results'))[0]!.n);
    const kept = await keptRows();
    let earlier = quarter;
    for (let i = 0; i < quartersKeptBefore; i++) {
      earlier = previousQuarter(earlier);
      for (const suppress of [true, false]) await buildBoardPack(fixture.warehouse, earlier, { suppress });
    }
    // Nothing a pack of the past year needed was left to compute, and so to keep: its SPC chart too.
    expect(await keptRows()).toBe(kept);
    await buildBoardPack(fixture.warehouse, previousQuarter(earlier), { suppress: true });
    expect(await keptRows()).toBeGreaterThan(kept);
  });

  it('a note of practice makes it stale: the next reader computes it afresh', async () => {
    await precomputeLatestQuarter(fixture.warehouse);
    await fixture.warehouse.withConnection((c) =>
      addAnnotation(c, {
        notedOn: '2025-02-01',
        body: 'Graded Care Profile 2 training',
        processChange: false,
        figures: [],
        author: 'lead',
      }),
    );
    await expect(boardPackOf(fixture.warehouse, quarter, { suppress: true }, notAgain)).rejects.toThrow(
      /computed again/,
    );
  });

  it('a later load makes it stale, and the stored result of the new data replaces the old one', async () => {
    let computed = 0;
    const count = async () => ({ computedTimes: ++computed });
    expect(await precomputed(fixture.warehouse, 'test:count', count)).toEqual({ computedTimes: 1 });
    expect(await precomputed(fixture.warehouse, 'test:count', count)).toEqual({ computedTimes: 1 });
    const csv = join(fixture.dir, 'later');
    writeCanonicalCsv(csv, {
      'children.csv': [{ child_id: 'LATER', birth_date: '2015-01-01', sex: 'F', ethnicity: 'WBRI' }],
    });
    const [loaded] = await loadFiles(fixture.warehouse, [csv], { loadedBy: 'test', referenceDate: '2025-05-31' });
    expect(loaded?.status).toBe('loaded');
    expect(await precomputed(fixture.warehouse, 'test:count', count)).toEqual({ computedTimes: 2 });
    const rows = await fixture.warehouse.query<{ n: number }>(
      `SELECT count(*)::INTEGER AS n FROM precomputed WHERE key = 'test:count'`,
    );
    expect(rows[0]?.n).toBe(1);
  });

  it('a warehouse opened read-only reads what is stored and stores nothing', async () => {
    const own = await fixtureWarehouse(cpOpenFixture);
    await precomputeLatestQuarter(own.warehouse);
    own.warehouse.close();
    const readOnly = await Warehouse.open(own.dbPath, { readOnly: true });
    try {
      const board = await boardPackOf(readOnly, quarter, { suppress: true }, notAgain);
      expect(board.figures.prevalence.cp_open).toBe('c');
      expect(await precomputed(readOnly, 'test:read-only', async () => 'computed')).toBe('computed');
      expect(await readOnly.query(`SELECT 1 FROM precomputed WHERE key = 'test:read-only'`)).toEqual([]);
    } finally {
      readOnly.close();
      rmSync(own.dir, { recursive: true, force: true });
    }
  });
});
