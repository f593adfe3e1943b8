import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { makePrivateTempDir, sweepLeftoverTempDirs } from '../../etl/staging/privateTemp.ts';

/**
 * Staged text and uploaded extracts hold LA child ids (docs/SECURITY.md, "Files at rest"): created
 * owner-only whatever the umask, and removed at the next load or server start once the process that
 * made them has ended, not "after a day".
 */
function deadPid(): number {
  // A process that has just exited: its id is free (reuse within the test is vanishingly unlikely).
  return Number(spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))']).stdout.toString());
}

describe('private temporary folders', () => {
  it('are 0700 even under a permissive umask', () => {
    const previous = process.umask(0o000);
    try {
      const dir = makePrivateTempDir('upload');
      expect(statSync(dir).mode & 0o777).toBe(0o700);
      rmSync(dir, { recursive: true });
    } finally {
      process.umask(previous);
    }
  });

  it("are swept at once when their process has ended; a live process's are kept", () => {
    const pid = deadPid();
    const killedUpload = mkdtempSync(join(tmpdir(), `lscb-upload-${pid}-`));
    writeFileSync(join(killedUpload, 'cp_plans.csv'), 'plan_id,child_id\nP1,NB1\n');
    const killedStage = mkdtempSync(join(tmpdir(), `lscb-stage-${pid}-`));
    const mine = makePrivateTempDir('stage');
    const legacyFresh = mkdtempSync(join(tmpdir(), 'lscb-stage-'));
    const legacyOld = mkdtempSync(join(tmpdir(), 'lscb-stage-'));
    const twoDaysAgo = new Date(Date.now() - 2 * 24 * 60 * 60 * 1000);
    utimesSync(legacyOld, twoDaysAgo, twoDaysAgo);
    const oldUploads = join(tmpdir(), 'lscb-uploads');
    mkdirSync(join(oldUploads, 'a-killed-upload'), { recursive: true });
    const unrelated = mkdtempSync(join(tmpdir(), 'not-lscb-'));

    sweepLeftoverTempDirs();

    expect(existsSync(killedUpload)).toBe(false);
    expect(existsSync(killedStage)).toBe(false);
    expect(existsSync(oldUploads)).toBe(false);
    expect(existsSync(legacyOld)).toBe(false);
    expect(existsSync(mine)).toBe(true);
    expect(existsSync(legacyFresh)).toBe(true);
    expect(existsSync(unrelated)).toBe(true);
    for (const dir of [mine, legacyFresh, unrelated]) rmSync(dir, { recursive: true });
  });
});
