import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/**
 * Vitest's global setup: one temp folder for the whole test run, removed when the run ends.
 * Every test's `tempDir` lives under it, and it is the run's TMPDIR, so what else the tests and the
 * code under test put in the system temp folder (demo extracts, Chromium's profiles, staging
 * folders) goes with it: a run leaves nothing behind (forty-odd runs had left 59 GB of warehouses
 * and staged files under /tmp/lscb-tests). The forked test processes inherit both through the
 * environment. `LSCB_KEEP_TEST_DIRS=1` keeps it, to look at after a failure.
 */
export function setup(): () => void {
  const parent = join(tmpdir(), 'lscb-tests');
  mkdirSync(parent, { recursive: true });
  const root = mkdtempSync(join(parent, 'run-'));
  process.env['LSCB_TEST_ROOT'] = root;
  process.env['TMPDIR'] = root;
  return () => {
    if (process.env['LSCB_KEEP_TEST_DIRS'] === '1') console.log(`test folders kept in ${root}`);
    else rmSync(root, { recursive: true, force: true });
  };
}
