import { rmSync, statSync } from 'node:fs';
import type { TableSpec } from '../canonical/model.ts';
import type { ExtractFormat, ReadProgress, StagedExtract } from '../readers/reader.ts';
import { smallestCensusReadInParts } from '../readers/cinCensusParts.ts';
import { readerFor, stagedInWorker } from '../readers/registry.ts';
import { scanFile, type FileScan } from '../staging/fileScan.ts';
import { LoadError } from '../staging/loadError.ts';
import { makePrivateTempDir } from '../staging/privateTemp.ts';
import { unreadableTextReason } from '../staging/textEncoding.ts';
import { stageCensusInParts } from './censusInParts.ts';
import type { StagingPool } from './stagingPool.ts';

/** A file the load will take, with what its first bytes and header said. */
export interface PlannedFile {
  path: string;
  format: ExtractFormat;
  table?: TableSpec;
}

/**
 * The batch's file scans, one at a time in the order their jobs start. Every scan runs on the main
 * thread, so two at once only make the first finish later, and the first is the one its file's turn
 * waits on: at 12 M children the first statement came 1.5 s after the start with the first two
 * files scanned together, against 0.7 s for the first alone (docs/BENCHMARKS.md "The file scan").
 */
export class ScanQueue {
  private last: Promise<unknown> = Promise.resolve();

  run<T>(scan: () => Promise<T>): Promise<T> {
    const next = this.last.then(scan);
    this.last = next.catch(() => undefined);
    return next;
  }
}

/**
 * One file's way to staged text: its scan (hash and spacing), then its reader, in a staging folder
 * of its own. A job can start ahead of its turn, so the next census parses in a worker while
 * DuckDB validates and merges this one; `dispose` removes what it staged.
 */
export class StagingJob {
  private scanning?: Promise<FileScan>;
  private staging?: Promise<StagedExtract>;
  private stagingDir?: string;
  private stagingSettled = false;

  constructor(
    readonly file: PlannedFile,
    private readonly pool: StagingPool,
    private readonly scans: ScanQueue,
    private readonly progress?: ReadProgress,
    private readonly upnKey?: string,
    /** The batch's only file read in a worker: a large census is then read by every worker at once. */
    private readonly aloneInWorkers = false,
  ) {}

  /** Starts scanning and staging; safe to call more than once. */
  start(): void {
    if (this.staging) return;
    const inWorker = stagedInWorker.has(this.file.format);
    // Only canonical CSV needs the scan's spacing before staging; other formats stage at once,
    // while the main thread hashes.
    this.scanning = this.scans.run(() =>
      scanFile(this.file.path, { spacing: !inWorker, csv: this.file.format === 'canonical-csv' }),
    );
    this.staging = inWorker ? this.stage() : this.scanning.then((scan) => this.stage(scan));
    // Awaited later, at the file's turn; until then a failure must not count as unhandled.
    const settled = () => {
      this.stagingSettled = true;
    };
    this.staging.then(settled, settled);
  }

  /** Whether this file will still need a staging worker: one is read in a worker and not started. */
  get waitingForWorker(): boolean {
    return this.staging === undefined && stagedInWorker.has(this.file.format);
  }

  /** Whether a staging worker is reading this file, or has it queued: a core DuckDB should leave to it. */
  get readingInWorker(): boolean {
    return this.staging !== undefined && !this.stagingSettled && stagedInWorker.has(this.file.format);
  }

  scan(): Promise<FileScan> {
    this.start();
    return this.scanning!;
  }

  staged(): Promise<StagedExtract> {
    this.start();
    return this.staging!;
  }

  /**
   * The file staged again record by record, each record with its line: for a canonical CSV that
   * DuckDB refused to read by position (IrregularCsvError), as if the scan had found it irregular.
   */
  async stagedRecordByRecord(): Promise<StagedExtract> {
    const scan = await this.scan();
    await this.staged().catch(() => undefined);
    return this.stage({ ...scan, csvRegular: false });
  }

  private async stage(scan?: FileScan): Promise<StagedExtract> {
    const { path, format } = this.file;
    const bytes = statSync(path).size;
    if (bytes === 0) throw new LoadError(path, 'file', undefined, 'is empty (0 bytes): nothing to load');
    if (format === 'unknown' || format === 'canonical-csv' || format === 'annex-a-csv') {
      const reason = unreadableTextReason(path);
      if (reason) throw new LoadError(path, 'file', undefined, reason);
    }
    const reader = await readerFor(format);
    if (!reader) {
      throw new LoadError(
        path,
        'file',
        undefined,
        format === 'unknown'
          ? 'is not a recognised extract (expected canonical CSV, CIN census XML or an Annex A workbook)'
          : `${format} extracts are not supported by this version of the loader`,
      );
    }
    this.stagingDir ??= makePrivateTempDir('stage');
    if (
      format === 'cin-census-xml' &&
      this.aloneInWorkers &&
      this.pool.maxWorkers > 1 &&
      bytes >= smallestCensusReadInParts
    )
      return stageCensusInParts(this.pool, path, this.stagingDir, this.progress, this.upnKey);
    if (stagedInWorker.has(format)) return this.pool.stage(format, path, this.stagingDir, this.progress, this.upnKey);
    return reader.stage(path, { stagingDir: this.stagingDir, scan, progress: this.progress, upnKey: this.upnKey });
  }

  /** Removes the staged files once the load has read them (or will not). */
  async dispose(): Promise<void> {
    await this.staging?.catch(() => undefined);
    if (this.stagingDir) rmSync(this.stagingDir, { recursive: true, force: true });
  }
}
