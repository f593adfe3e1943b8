// The census read alone, for `npm run bench -- scale`: a CIN census staged as a load stages it
// (etl/load/censusInParts.ts: every staging worker at once, each a run of whole children), into a
// temporary folder, with nothing after it (no checks, merge, flag rules, commit). The part of a
// census load a parser's speed bounds, so the one to set beside xmllint --stream. The folder is
// removed afterwards unless a second argument names where to keep the staged files (the census
// floor, bench/support/insertStagedCensus.ts, reads them).
// Prints { seconds, tables } (the staged tables' count).
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { stageCensusInParts } from '../../etl/load/censusInParts.ts';
import { StagingPool } from '../../etl/load/stagingPool.ts';

const [censusFile, keepIn] = process.argv.slice(2);
if (!censusFile) throw new Error('usage: stageCensus.ts CENSUS_XML [KEEP_IN_DIR]');
if (keepIn) mkdirSync(keepIn, { recursive: true });
const stagingDir = keepIn ?? mkdtempSync(join(tmpdir(), 'lscb-bench-stage-'));
const pool = new StagingPool();
try {
  const started = process.hrtime.bigint();
  const staged = await stageCensusInParts(pool, censusFile, stagingDir, undefined, undefined);
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  console.log(JSON.stringify({ seconds, tables: staged.tables.length }));
} finally {
  await pool.close();
  if (!keepIn) rmSync(stagingDir, { recursive: true, force: true });
}
