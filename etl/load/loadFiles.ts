import type { DuckDBConnection } from '@duckdb/node-api';
import { readdirSync, statSync, openSync, readSync, closeSync } from 'node:fs';
import { basename, join, resolve } from 'node:path';
import { memoryAfterLoad, memoryForBulkRead, memoryForLoad, type Warehouse } from '../../sql/warehouse.ts';
import { canonicalTables, tableSpec, type TableSpec } from '../canonical/model.ts';
import { isAnnexAListCsv } from '../readers/annexA/csvList.ts';
import { csvHeader, tableForHeader } from '../readers/canonicalCsv.ts';
import { ssda903CsvKind, type Ssda903CsvKind } from '../readers/ssda903Csv.ts';
import type { ExtractFormat, StagedExtract } from '../readers/reader.ts';
import { readRejectsHeader } from '../staging/stageWriter.ts';
import { sweepLeftoverTempDirs } from '../staging/privateTemp.ts';
import { ScanQueue, StagingJob, type PlannedFile } from './stagingJob.ts';
import { StagingPool } from './stagingPool.ts';
import { stagedInWorker } from '../readers/registry.ts';
import { stagedRelation, type StagedTable } from '../staging/stagedTable.ts';
import { IrregularCsvError, LoadError } from '../staging/loadError.ts';
import { mergeCheckedTable, numberNewChildren } from './merge.ts';
import { checkStagedTable, dropCheckedTable, recordRejects, type CheckedTable } from './validate.ts';
import { warehouseLa } from '../../sql/reference.ts';
import { ensureDerivedTables } from '../../sql/derived.ts';
import { installationUpnKey } from '../identity/upnKey.ts';
import { inTransaction } from '../../sql/transaction.ts';
import {
  censusDuplicateRules,
  codedChecksFor,
  flagCensusRecords,
  flagPendingCensusLoads,
  flagsNotWrittenMessage,
} from '../validation/rules.ts';
import { chooseReferenceDate, noReferenceDateMessage, otherLaMessage, type Refusal } from './referenceDate.ts';

export type { ExtractFormat };

export interface FileLoadResult {
  file: string;
  status: 'loaded' | 'skipped' | 'failed';
  format: ExtractFormat;
  table?: string;
  loadId?: number;
  rowsRead: number;
  rowsAccepted: number;
  rowsRejected: number;
  rowsMerged: number;
  message?: string;
  /** Set when the file was refused before loading (status 'failed', and nothing of it recorded). */
  refusal?: Refusal;
  /** The DuckDB threads this file's statements ran on: fewer while a later file stages beside them. */
  duckdbThreads?: number;
}

export interface LoadOptions {
  /** Who asked for the load (a user name, or the OS user for the command line). */
  loadedBy: string;
  /**
   * Reference date of extracts that state none. Without it, a canonical CSV is refused and an Annex
   * A workbook takes its latest event date (etl/load/referenceDate.ts); never today by default.
   */
  referenceDate?: string;
  /** A file stating another LA than the warehouse's is right (otherwise it is refused). */
  confirmLa?: boolean;
  onFile?: (result: FileLoadResult) => void;
  /** A population file that differs from the ONS estimate for the LA is right (docs/DATA.md). */
  confirmPopulation?: boolean;
  /** Progress through a large file, as the reader streams it. */
  onProgress?: (file: string, bytesRead: number, totalBytes: number) => void;
}

/**
 * Why each path cannot be loaded, before anything is opened: a missing path, or something that is
 * not a regular file or folder (a device such as /dev/zero would be read forever, a FIFO would block).
 */
export function unloadablePaths(paths: string[]): string[] {
  const problems: string[] = [];
  for (const path of paths) {
    let stat;
    try {
      stat = statSync(resolve(path));
    } catch {
      problems.push(`${path}: no such file or folder`);
      continue;
    }
    if (!stat.isFile() && !stat.isDirectory())
      problems.push(`${path}: not a regular file or folder, so not an extract`);
  }
  return problems;
}

/** Folders expand to the files in them, in name order; hidden files are ignored. */
export function expandPaths(paths: string[]): string[] {
  return paths.flatMap((path) => {
    const absolute = resolve(path);
    if (!statSync(absolute).isDirectory()) return [absolute];
    return readdirSync(absolute)
      .filter((name) => !name.startsWith('.'))
      .sort()
      .map((name) => join(absolute, name))
      .filter((file) => statSync(file).isFile());
  });
}

/** Format from the content's first bytes, not the file name. */
export function detectFormat(path: string): ExtractFormat {
  const fd = openSync(path, 'r');
  try {
    const head = Buffer.alloc(512);
    const n = readSync(fd, head, 0, head.length, 0);
    const text = head
      .subarray(0, n)
      .toString('utf8')
      .replace(/^\uFEFF/, '')
      .trimStart();
    if (head[0] === 0x50 && head[1] === 0x4b) return 'annex-a-xlsx';
    if (text.startsWith('<')) return /<EXPSSDA903[\s>/]/.test(text) ? 'ssda903-xml' : 'cin-census-xml';
    if (n > 0 && text.includes(',')) return 'canonical-csv';
    return 'unknown';
  } finally {
    closeSync(fd);
  }
}

/**
 * The files among `paths` that need a reference date given, because they state none and have no
 * rule to take one from (canonical CSV), so the command line and the upload page can ask for it
 * before anything is read.
 */
export function filesNeedingReferenceDate(paths: string[]): string[] {
  return planFiles(paths)
    .filter((file) => file.format === 'canonical-csv')
    .map((file) => file.path);
}

function ssda903CsvKindOf(path: string): Ssda903CsvKind | undefined {
  try {
    return ssda903CsvKind(csvHeader(path));
  } catch {
    return undefined;
  }
}

/** Canonical tables load in model order: children before their episodes, referrals before assessments. */
function tableOrder(table: TableSpec | undefined): number {
  return table ? canonicalTables.indexOf(table) : canonicalTables.length;
}

function planFiles(paths: string[]): PlannedFile[] {
  const planned: PlannedFile[] = [];
  for (const path of expandPaths(paths)) {
    let format = detectFormat(path);
    let table: TableSpec | undefined;
    if (format === 'canonical-csv') {
      try {
        table = tableForHeader(csvHeader(path), path);
      } catch {
        table = undefined;
      }
    }
    // A CSV that is no canonical table may be an SSDA903 file (header.csv, episodes.csv) or an Annex A
    // list saved on its own.
    const ssda903 = format === 'canonical-csv' && !table ? ssda903CsvKindOf(path) : undefined;
    if (ssda903) {
      format = 'ssda903-csv';
      table = tableSpec(ssda903 === 'header' ? 'children' : 'looked_after');
    }
    if (format === 'canonical-csv' && !table && isAnnexAListCsv(path)) format = 'annex-a-csv';
    planned.push({ path, format, table });
  }
  return planned.sort((a, b) => tableOrder(a.table) - tableOrder(b.table));
}

/**
 * Files staged ahead of their turn, counting the one loading: one per staging worker, and at least
 * the next file, so reading it overlaps with merging this one.
 */
const stagingLookahead = (pool: StagingPool) => Math.max(2, pool.maxWorkers);

/**
 * Loads extract files. Each file is one load in one transaction: it lands whole, with its rejects
 * and lineage, or not at all, so a broken file never leaves the warehouse half-changed (a census's
 * flags, worked out from its records, follow in a transaction of their own: flagCensusRecords). Files
 * stage ahead of their turn (in worker threads where a reader has real work to do), so reading
 * the next file overlaps with validating and merging this one.
 */
export async function loadFiles(
  warehouse: Warehouse,
  paths: string[],
  options: LoadOptions,
): Promise<FileLoadResult[]> {
  const results: FileLoadResult[] = [];
  const referenceDate = options.referenceDate;
  sweepLeftoverTempDirs();
  const pool = new StagingPool();
  const planned = planFiles(paths);
  const upnKey = planned.some((file) => file.format === 'cin-census-xml')
    ? installationUpnKey(warehouse.path)
    : undefined;
  // A lone census year is read by all the workers at once; in a batch, each reads a file of its own.
  const aloneInWorkers = planned.filter((file) => stagedInWorker.has(file.format)).length === 1;
  const scans = new ScanQueue();
  const jobs = planned.map(
    (file) =>
      new StagingJob(
        file,
        pool,
        scans,
        options.onProgress && ((read: number, total: number) => options.onProgress!(file.path, read, total)),
        upnKey,
        aloneInWorkers,
      ),
  );
  // While a later file is staging in a worker, a census or Annex A file's statements leave DuckDB
  // the cores the workers do not use, so reading the next file overlaps with merging this one.
  // With nothing staging (a batch's last file, or its only one), DuckDB has them all: at 12 M
  // children a census year's statements are merges and rule checks over millions of stored rows,
  // and a second thread took its load from 78–83 s to 55 s; in a batch, taking the worker's core cost more
  // than it gave (docs/BENCHMARKS.md, "A census year's statements on both cores"). Canonical CSV is
  // DuckDB's parallel read_csv and always has them all.
  const threadsFor = (turn: number) =>
    stagedInWorker.has(jobs[turn]!.file.format) && jobs.slice(turn + 1).some((later) => later.readingInWorker)
      ? Math.max(1, warehouse.threads - pool.maxWorkers)
      : warehouse.threads;
  let threads = warehouse.threads;
  // A load holds DuckDB to less memory than queries get (memoryForLoad), and from the first bulk read
  // (DuckDB's read_csv) its allocator hands freed memory back (memoryForBulkRead): without them the
  // 12 M loads' peaks pass 2 GB.
  let loadMemory = false;
  let bulkMemory = false;
  try {
    for (const [turn, job] of jobs.entries()) {
      for (const ahead of jobs.slice(turn, turn + stagingLookahead(pool))) ahead.start();
      if (!jobs.some((queued) => queued.waitingForWorker)) pool.lastFileQueued();
      const result = await warehouse.withConnection(async (c) => {
        // Worked out once: whether a later file is still staging can change between two reads.
        const wanted = threadsFor(turn);
        if (wanted !== threads) {
          threads = wanted;
          await c.run(`SET threads = ${threads}`);
        }
        if (!loadMemory) {
          loadMemory = true;
          await memoryForLoad(c, warehouse);
        }
        if (!bulkMemory && !stagedInWorker.has(job.file.format)) {
          bulkMemory = true;
          await memoryForBulkRead(c);
        }
        return { ...(await loadOneFile(c, job, referenceDate, options)), duckdbThreads: threads };
      });
      await job.dispose();
      results.push(result);
      options.onFile?.(result);
    }
  } finally {
    await pool.close();
    await Promise.all(jobs.map((job) => job.dispose()));
    await warehouse.withConnection(async (c) => {
      if (threads !== warehouse.threads) await c.run(`SET threads = ${warehouse.threads}`);
      // The warehouse checkpoints once per load, not once per 16 MB of it (see Warehouse.open).
      // A reader holding a transaction open can make it wait or fail; DuckDB then checkpoints later.
      try {
        if (results.some((r) => r.status === 'loaded')) {
          // The metrics' history facts (sql/derived.sql), once for the whole batch.
          await ensureDerivedTables(c);
          await c.run('CHECKPOINT').catch(() => undefined);
        }
      } finally {
        if (loadMemory) await memoryAfterLoad(c, warehouse);
      }
    });
  }
  return results;
}

async function loadOneFile(
  c: DuckDBConnection,
  job: StagingJob,
  givenReferenceDate: string | undefined,
  options: LoadOptions,
): Promise<FileLoadResult> {
  const { loadedBy } = options;
  const { file } = job;
  const base: FileLoadResult = {
    file: file.path,
    status: 'failed',
    format: file.format,
    table: file.table?.table,
    rowsRead: 0,
    rowsAccepted: 0,
    rowsRejected: 0,
    rowsMerged: 0,
  };
  const { hash } = await job.scan();
  const previous = await c.runAndReadAll(
    `SELECT load_id, loaded_at::VARCHAR AS loaded_at FROM loads WHERE content_hash = $hash AND status = 'loaded' LIMIT 1`,
    { hash },
  );
  const earlier = previous.getRowObjectsJson()[0];
  if (earlier) {
    return {
      ...base,
      status: 'skipped',
      message: `already loaded as load ${earlier['load_id']} at ${earlier['loaded_at']}; nothing changed`,
    };
  }
  let referenceDate = givenReferenceDate;
  const failed = async (err: unknown) => {
    const message = err instanceof LoadError ? err.message : `${basename(file.path)}: ${(err as Error).message}`;
    await recordFailedLoad(c, file, hash, referenceDate, loadedBy, message);
    return { ...base, message };
  };

  let staged: StagedExtract;
  try {
    staged = await job.staged();
  } catch (err) {
    return failed(err);
  }
  // Refusals come before any write: the file is not recorded as a load, the warehouse is untouched.
  referenceDate = await chooseReferenceDate(c, file.format, staged, givenReferenceDate);
  if (!referenceDate) {
    return {
      ...base,
      message: noReferenceDateMessage(basename(file.path), file.format),
      refusal: { reason: 'no reference date' },
    };
  }
  if (staged.laCode !== undefined && !options.confirmLa) {
    const la = await warehouseLa(c);
    if (staged.laCode !== la.la_code) {
      return {
        ...base,
        message: otherLaMessage(basename(file.path), staged.laCode, la.la_code, la.la_name),
        refusal: { reason: 'other LA', fileLa: staged.laCode, warehouseLa: la.la_code },
      };
    }
  }
  // Typed and checked before the transaction, so everything after reads the checked rows on every
  // thread (validate.ts, checkStagedTable); they are the connection's scratch, not the warehouse's.
  const inOrder = (extract: StagedExtract) =>
    [...extract.tables].sort((a, b) => tableOrder(a.spec) - tableOrder(b.spec));
  let ordered = inOrder(staged);
  try {
    const dated = referenceDate;
    const check = () => checkStagedTables(c, file, ordered, dated, options.confirmPopulation ?? false);
    let checkedTables: CheckedTable[];
    try {
      try {
        checkedTables = await check();
      } catch (err) {
        if (!(err instanceof IrregularCsvError)) throw err;
        // A record with the wrong number of fields: read record by record, each with its line.
        staged = await job.stagedRecordByRecord();
        ordered = inOrder(staged);
        checkedTables = await check();
      }
      for (const table of checkedTables) await numberNewChildren(c, table);
      // An earlier census whose flags were never written gets them before this one lands.
      if (file.format === 'cin-census-xml') await flagPendingCensusLoads(c);
    } catch (err) {
      return failed(err);
    }
    let loaded: FileLoadResult & { loadId: number };
    try {
      loaded = await inTransaction(c, async () => {
        const loadId = Number(
          (await c.runAndReadAll(`SELECT nextval('load_id_seq')::INTEGER AS id`)).getRowObjectsJson()[0]?.['id'],
        );
        const counts = await recordAndMerge(c, file, staged, checkedTables, loadId, referenceDate);
        await c.run(
          `INSERT INTO loads VALUES ($load_id, $file, $hash, $format, $ref_date::DATE, now()::TIMESTAMP, $who,
                                    $read, $accepted, $rejected, $merged, 'loaded', NULL)`,
          {
            load_id: loadId,
            file: basename(file.path),
            hash,
            format: file.format,
            ref_date: counts.referenceDate,
            who: loadedBy,
            read: counts.rowsRead,
            accepted: counts.rowsAccepted,
            rejected: counts.rowsRejected,
            merged: counts.rowsMerged,
          },
        );
        const { referenceDate: _ref, ...rowCounts } = counts;
        return { ...base, ...rowCounts, status: 'loaded' as const, loadId };
      });
    } catch (err) {
      return failed(err);
    }
    // Contradictions between records of one child are loaded and flagged, once every table is in,
    // in a transaction of the flags' own (flagCensusRecords says why).
    if (file.format !== 'cin-census-xml') return loaded;
    try {
      await flagCensusRecords(c, loaded.loadId);
      return loaded;
    } catch (err) {
      return { ...loaded, message: flagsNotWrittenMessage(basename(file.path), err) };
    }
  } finally {
    for (const table of ordered) await dropCheckedTable(c, table.spec);
  }
}

async function checkStagedTables(
  c: DuckDBConnection,
  file: PlannedFile,
  ordered: readonly StagedTable[],
  referenceDate: string,
  confirmPopulation: boolean,
): Promise<CheckedTable[]> {
  // The DfE CIN census rules (etl/validation/cinCensusRules.sql) apply to census files alone.
  const census = file.format === 'cin-census-xml';
  const checkedTables: CheckedTable[] = [];
  for (const table of ordered) {
    checkedTables.push(
      await checkStagedTable(c, table, file.path, {
        referenceDate,
        confirmPopulation,
        codedChecks: census ? codedChecksFor(table.spec.table, referenceDate) : [],
        duplicateRule: census ? censusDuplicateRules[table.spec.table] : undefined,
      }),
    );
  }
  return checkedTables;
}

async function recordAndMerge(
  c: DuckDBConnection,
  file: PlannedFile,
  staged: StagedExtract,
  checkedTables: readonly CheckedTable[],
  loadId: number,
  referenceDate: string,
) {
  const rowsRejectedOnRead = staged.readRejects?.count ?? 0;
  if (staged.readRejects && rowsRejectedOnRead > 0) {
    const relation = stagedRelation({ csvPaths: staged.readRejects.csvPaths, header: readRejectsHeader });
    await c.run(
      `INSERT INTO rejects (load_id, file, "row", field, value, reason)
       SELECT $load_id, $file, src_row, field, value, reason FROM ${relation}`,
      { load_id: loadId, file: basename(file.path) },
    );
  }
  // DATA.md: "A later extract (by the file's reference date) fills in or corrects" (chooseReferenceDate).
  const totals = { rowsRead: rowsRejectedOnRead, rowsAccepted: 0, rowsRejected: rowsRejectedOnRead, rowsMerged: 0 };
  for (const checked of checkedTables) {
    const counts = await recordRejects(c, checked, loadId);
    totals.rowsRead += counts.read;
    totals.rowsAccepted += counts.accepted;
    totals.rowsRejected += counts.rejected;
    const { spec, keepsStored } = checked.staged;
    totals.rowsMerged += await mergeCheckedTable(c, spec, loadId, referenceDate, counts.accepted, keepsStored);
    await dropCheckedTable(c, spec);
  }
  return { ...totals, referenceDate };
}

/** A failed load is still recorded (outside the rolled-back transaction) so the data-quality page shows it. */
async function recordFailedLoad(
  c: DuckDBConnection,
  file: PlannedFile,
  hash: string,
  referenceDate: string | undefined,
  who: string,
  message: string,
) {
  await c.run(
    `INSERT INTO loads VALUES (nextval('load_id_seq')::INTEGER, $file, $hash, $format, $ref_date::DATE, now()::TIMESTAMP,
                               $who, 0, 0, 0, 0, 'failed', $message)`,
    { file: basename(file.path), hash, format: file.format, ref_date: referenceDate ?? null, who, message },
  );
}
