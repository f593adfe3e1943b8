import { existsSync, mkdtempSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { sweepStaleStaging } from '../../etl/load/stagingJob.ts';

/** Staged text holds LA child ids; a load that was killed leaves its folder behind (docs/SECURITY.md). */
describe('stale staging folders', () => {
  it('are removed when more than a day old; a load running now keeps its own', () => {
    const stale = mkdtempSync(join(tmpdir(), 'lscb-stage-'));
    writeFileSync(join(stale, 'children.csv'), 'src_row,child_id\nChild 1,NB1\n');
    const twoDaysAgo = new Date(Date.now() - 2 * 24 * 60 * 60 * 1000);
    utimesSync(stale, twoDaysAgo, twoDaysAgo);
    const current = mkdtempSync(join(tmpdir(), 'lscb-stage-'));
    const unrelated = mkdtempSync(join(tmpdir(), 'not-lscb-'));
    utimesSync(unrelated, twoDaysAgo, twoDaysAgo);

    sweepStaleStaging();

    expect(existsSync(stale)).toBe(false);
    expect(existsSync(current)).toBe(true);
    expect(existsSync(unrelated)).toBe(true);
    rmSync(current, { recursive: true });
    rmSync(unrelated, { recursive: true });
  });
});
