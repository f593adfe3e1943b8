import { mkdirSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { censusParts, type CensusTally } from '../readers/cinCensusParts.ts';
import type { ReadProgress, StagedExtract } from '../readers/reader.ts';
import type { StagedTable } from '../staging/stagedTable.ts';
import type { StagingPool } from './stagingPool.ts';

/**
 * A lone census staged by several workers at once (etl/readers/cinCensusParts.ts), its parts then
 * joined into one staged extract: each table's part files read in order are the rows of the whole
 * read, in the same order and numbered the same. When a part fails, or did not start where the
 * part before it ended, the file is staged again whole in one worker: a broken file is reported
 * exactly as it would be without the split.
 */
export async function stageCensusInParts(
  pool: StagingPool,
  path: string,
  stagingDir: string,
  progress: ReadProgress | undefined,
  upnKey: string | undefined,
): Promise<StagedExtract> {
  const whole = () => pool.stage('cin-census-xml', path, stagingDir, progress, upnKey);
  const parts = censusParts(path, pool.maxWorkers);
  if (parts.length < 2) return whole();
  const totalBytes = statSync(path).size;
  const bytesRead = parts.map(() => 0);
  const partDirs = parts.map((_, k) => join(stagingDir, `part${k}`));
  const settled = await Promise.allSettled(
    parts.map((part, k) => {
      mkdirSync(partDirs[k]!, { mode: 0o700 });
      const partProgress: ReadProgress | undefined =
        progress &&
        ((read) => {
          bytesRead[k] = read;
          progress(
            bytesRead.reduce((sum, b) => sum + b, 0),
            totalBytes,
          );
        });
      return pool.stage('cin-census-xml', path, partDirs[k]!, partProgress, upnKey, part);
    }),
  );
  const staged = settled.flatMap((s) => (s.status === 'fulfilled' ? [s.value] : []));
  const joined = staged.length === parts.length ? joinParts(staged) : undefined;
  if (joined) return joined;
  for (const dir of partDirs) rmSync(dir, { recursive: true, force: true });
  return whole();
}

const sameTally = (a: CensusTally | undefined, b: CensusTally | undefined) =>
  a !== undefined && b !== undefined && a.children === b.children && a.lines === b.lines;

/** The parts as one extract, or undefined when one part did not pick up where the one before it ended. */
function joinParts(staged: StagedExtract[]): StagedExtract | undefined {
  for (let k = 1; k < staged.length; k++)
    if (!sameTally(staged[k - 1]!.partTally?.end, staged[k]!.partTally?.start)) return undefined;
  const tables = new Map<string, StagedTable>();
  for (const part of staged)
    for (const table of part.tables) {
      const before = tables.get(table.spec.table);
      if (before && before.header.join() !== table.header.join()) return undefined;
      tables.set(table.spec.table, before ? { ...before, csvPaths: [...before.csvPaths, ...table.csvPaths] } : table);
    }
  const rejecting = staged.flatMap((part) =>
    part.readRejects && part.readRejects.count > 0 ? [part.readRejects] : [],
  );
  const first = staged[0]!;
  return {
    tables: [...tables.values()],
    readRejects: {
      csvPaths: rejecting.flatMap((r) => r.csvPaths),
      count: rejecting.reduce((sum, r) => sum + r.count, 0),
    },
    referenceDate: first.referenceDate,
    laCode: first.laCode,
  };
}
