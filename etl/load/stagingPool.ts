import { Worker } from 'node:worker_threads';
import { machineSettings } from '../../sql/machine.ts';
import { tableSpec } from '../canonical/model.ts';
import type { CensusPart } from '../readers/cinCensusParts.ts';
import type { ExtractFormat, ReadProgress, StagedExtract } from '../readers/reader.ts';
import { LoadError } from '../staging/loadError.ts';
import type { StagingReply, StagingRequest } from './stagingWorker.ts';

interface Pending {
  request: StagingRequest;
  progress?: ReadProgress;
  resolve: (staged: StagedExtract) => void;
  reject: (err: Error) => void;
  /** Staged again in a worker without the heap cap, after the capped one ran out of memory. */
  uncapped?: boolean;
}

/**
 * Formats whose worker is ended once it has staged the file. An Annex A workbook is staged by
 * holding every child and referral until the last list; that worker's heap then stays grown (V8
 * collects an idle thread's heap only when it next allocates), about 250 MB for a million-child
 * workbook, all through DuckDB's validation and merge of it (docs/BENCHMARKS.md). A new worker
 * costs well under a second; an Annex A load is one file.
 */
const endsAfter: ReadonlySet<ExtractFormat> = new Set(['annex-a-xlsx', 'annex-a-csv']);

/**
 * The heap of a worker that stages an Annex A workbook. Left to itself, V8 let that heap grow to
 * 150 MB, mostly garbage, for a million-child workbook whose live data peaks near 70 MB; capped,
 * it collects instead, and the load peaks under 300 MB (docs/BENCHMARKS.md). A row's objects die
 * within the row, so a smaller young generation costs nothing (it measured less CPU, not more). A
 * workbook that needs more is staged again without the cap.
 */
const annexAHeapLimits = { maxOldGenerationSizeMb: 96, maxYoungGenerationSizeMb: 16 };

/**
 * Worker threads that stage files while the main thread's DuckDB work goes on. Workers start on
 * first use, take one file at a time each, and end with `close`. How many: sql/machine.ts (the
 * machine's cores but DuckDB's one, from two to four, unless configured).
 */
export class StagingPool {
  private readonly idle: Worker[] = [];
  private readonly busy = new Map<Worker, Pending>();
  private readonly queue: Pending[] = [];
  private workers = 0;
  private nextId = 1;

  constructor(readonly maxWorkers: number = machineSettings().stagingWorkers) {}

  stage(
    format: ExtractFormat,
    path: string,
    stagingDir: string,
    progress?: ReadProgress,
    upnKey?: string,
    part?: CensusPart,
  ): Promise<StagedExtract> {
    return new Promise((resolve, reject) => {
      const request = { id: this.nextId++, format, path, stagingDir, upnKey, part };
      this.queue.push({ request, progress, resolve, reject });
      this.dispatch();
    });
  }

  private dispatch(): void {
    while (this.queue.length > 0) {
      const next = this.queue[0]!;
      let worker: Worker | undefined;
      if (endsAfter.has(next.request.format) && !next.uncapped) {
        // A worker of its own, with the cap; an idle one makes room.
        if (this.workers >= this.maxWorkers && this.idle.length > 0) this.retire(this.idle.pop()!);
        worker = this.workers < this.maxWorkers ? this.startWorker(annexAHeapLimits) : undefined;
      } else {
        worker = this.idle.pop() ?? (this.workers < this.maxWorkers ? this.startWorker() : undefined);
      }
      if (!worker) return;
      this.queue.shift();
      this.busy.set(worker, next);
      worker.postMessage(next.request);
    }
  }

  private startWorker(resourceLimits?: typeof annexAHeapLimits): Worker {
    this.workers += 1;
    const worker = new Worker(new URL('./stagingWorker.js', import.meta.url), { resourceLimits });
    worker.on('message', (reply: StagingReply) => {
      const pending = this.busy.get(worker);
      if (!pending || pending.request.id !== reply.id) return;
      if (reply.kind === 'progress') {
        pending.progress?.(reply.bytesRead, reply.totalBytes);
        return;
      }
      this.busy.delete(worker);
      if (endsAfter.has(pending.request.format) || (this.nothingMoreToStage && this.queue.length === 0)) {
        this.retire(worker);
      } else {
        this.idle.push(worker);
      }
      if (reply.kind === 'staged') {
        // Specs cross the thread as copies; the load compares them with the model's own.
        pending.resolve({
          ...reply.staged,
          tables: reply.staged.tables.map((t) => ({ ...t, spec: tableSpec(t.spec.table) })),
        });
      } else {
        const e = reply.loadError;
        pending.reject(e ? new LoadError(e.file, e.row, e.field, e.reason) : new Error(reply.message));
      }
      this.dispatch();
    });
    // A worker that dies takes its file with it (the load reports that file failed) and no other.
    let gone = false;
    const lost = (err: Error) => {
      if (this.closing || gone || this.retired.has(worker)) return;
      gone = true;
      const pending = this.busy.get(worker);
      this.busy.delete(worker);
      const idleAt = this.idle.indexOf(worker);
      if (idleAt >= 0) this.idle.splice(idleAt, 1);
      this.workers -= 1;
      if (pending && resourceLimits && (err as { code?: string }).code === 'ERR_WORKER_OUT_OF_MEMORY') {
        pending.uncapped = true;
        this.queue.unshift(pending);
      } else {
        pending?.reject(err);
      }
      this.dispatch();
    };
    worker.on('error', lost);
    worker.on('exit', (code) => lost(new Error(`the staging worker stopped (exit code ${code})`)));
    return worker;
  }

  private closing = false;
  private readonly retired = new WeakSet<Worker>();
  private nothingMoreToStage = false;

  /**
   * Says every file of the batch has been handed over: from now a worker that has nothing queued
   * ends rather than waiting. A census reader's heap stays grown while its thread idles (V8 collects
   * it only when the thread next allocates), 160–210 MiB at 12 M children, all through DuckDB's
   * merge and rule checks of the last file, the load's peak (docs/BENCHMARKS.md). Ending every
   * worker after its file would cost a new one per file: 13% on six census years.
   */
  lastFileQueued(): void {
    this.nothingMoreToStage = true;
    for (const worker of this.idle.splice(0)) this.retire(worker);
  }

  /** Workers running now, staging or idle. */
  get running(): number {
    return this.workers;
  }

  /** Ends a worker that has done its file; the next file starts a fresh one. */
  private retire(worker: Worker): void {
    this.retired.add(worker);
    this.workers -= 1;
    void worker.terminate();
  }

  /** Ends the workers; staging still under way is abandoned. */
  async close(): Promise<void> {
    this.closing = true;
    const all = [...this.idle, ...this.busy.keys()];
    this.idle.length = 0;
    for (const pending of this.busy.values()) pending.reject(new Error('the load ended before this file was staged'));
    this.busy.clear();
    await Promise.all(all.map((worker) => worker.terminate()));
  }
}
