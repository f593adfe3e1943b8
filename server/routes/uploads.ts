import busboy from 'busboy';
import { Router, type Request } from 'express';
import { createWriteStream, mkdirSync, rmSync } from 'node:fs';
import { randomUUID } from 'node:crypto';
import { basename, extname, join } from 'node:path';
import { pipeline } from 'node:stream/promises';
import type { Warehouse } from '../../sql/warehouse.ts';
import { detectFormat, filesNeedingReferenceDate, loadFiles, type FileLoadResult } from '../../etl/load/loadFiles.ts';
import { isRealDate } from '../../metrics/contract/dates.ts';
import { makePrivateTempDir } from '../../etl/staging/privateTemp.ts';
import { unreadableTextReason } from '../../etl/staging/textEncoding.ts';
import { BadRequest } from '../http/period.ts';
import { validateCensusFiles } from '../../etl/validation/dryRun.ts';

/**
 * Uploads (admins): extracts sent as multipart/form-data run through the same loader as
 * `lscb load`, in the server's own process (DuckDB lets one process write the file). Each file is one
 * transaction, so the warehouse is never half-loaded and stays queryable while a load runs. A load
 * is a job: the POST answers 202 at once, and GET /uploads/:id reports progress, then the summary.
 */
export const maxUploadBytes = 512 * 1024 * 1024;
const allowedExtensions = new Set(['.csv', '.xml', '.xlsx']);

interface UploadJob {
  id: string;
  status: 'loading' | 'done' | 'failed';
  startedBy: string;
  files: string[];
  progress: { file: string; bytesRead: number; totalBytes: number } | null;
  results: FileLoadResult[];
  error?: string;
}

class UploadRefused extends BadRequest {}

const maxUploadFiles = 20;

/** What the person uploading says of the files, beside them in the form. */
interface UploadFields {
  /** `reference_date`: the extracts' date, for files that state none (canonical CSV must have it). */
  referenceDate?: string;
  /** `confirm_la`: files stating another LA than the warehouse's are right. */
  confirmLa: boolean;
}

function uploadFields(fields: Map<string, string>): UploadFields {
  const date = fields.get('reference_date')?.trim();
  if (date && !isRealDate(date))
    throw new UploadRefused(`the reference date must be a real date as YYYY-MM-DD, not '${date.slice(0, 40)}'`);
  const confirm = fields.get('confirm_la');
  return { referenceDate: date || undefined, confirmLa: confirm === '1' || confirm === 'true' || confirm === 'on' };
}

/**
 * A canonical CSV says nothing of when it was extracted: without a reference date it is refused
 * here, before any load, rather than dated today (docs/DATA.md "Reference dates").
 */
function requireReferenceDate(paths: string[], fields: UploadFields): void {
  if (fields.referenceDate) return;
  const undated = filesNeedingReferenceDate(paths).map((p) => `'${basename(p)}'`);
  if (undated.length === 0) return;
  throw new UploadRefused(
    `${undated.join(', ')} ${undated.length === 1 ? 'is' : 'are'} canonical CSV, which carries no reference date: ` +
      "give the extract's reference date. Nothing was loaded.",
  );
}

/** Saves the upload's files to a private temp folder, refusing too-large or unexpected files. */
function receiveFiles(req: Request, dir: string): Promise<{ paths: string[]; fields: UploadFields }> {
  return new Promise((resolve, reject) => {
    let parser: busboy.Busboy;
    try {
      parser = busboy({
        headers: req.headers,
        limits: { fileSize: maxUploadBytes, files: maxUploadFiles, fields: 10 },
      });
    } catch {
      reject(new UploadRefused('send the extracts as multipart/form-data, in a field named "file"'));
      return;
    }
    const saved: Promise<string>[] = [];
    const fields = new Map<string, string>();
    let refusal: string | undefined;
    parser.on('field', (name, value) => fields.set(name, value));
    parser.on('file', (field, stream, info) => {
      const name = basename(info.filename || 'extract');
      if (field !== 'file' || !allowedExtensions.has(extname(name).toLowerCase())) {
        refusal ??= `'${name.slice(0, 80)}' is not an extract this product reads (.csv, .xml or .xlsx, in a field named "file")`;
        stream.resume();
        return;
      }
      // Each file in a folder of its own keeps its real name, which the load records and reports.
      const folder = join(dir, String(saved.length));
      mkdirSync(folder);
      const path = join(folder, name);
      stream.on('limit', () => {
        refusal ??= `'${name.slice(0, 80)}' is larger than ${maxUploadBytes / 1024 / 1024} MB`;
      });
      saved.push(pipeline(stream, createWriteStream(path)).then(() => path));
    });
    // busboy stops delivering files past the limit; loading the first 20 and dropping the rest
    // without a word would leave a person believing all of them landed.
    parser.on('filesLimit', () => {
      refusal ??= `one upload takes at most ${maxUploadFiles} files: send the rest in another upload`;
    });
    parser.on('error', (err) => reject(new UploadRefused(`the upload could not be read: ${(err as Error).message}`)));
    parser.on('close', () => {
      Promise.all(saved).then((paths) => {
        if (refusal) return reject(new UploadRefused(refusal));
        if (paths.length === 0) return reject(new UploadRefused('the upload holds no file (field "file")'));
        // The content decides the format; a file none of the readers knows is refused before any load.
        const unknown = paths.find((p) => detectFormat(p) === 'unknown');
        if (unknown) {
          const why =
            unreadableTextReason(unknown) ??
            'is not a recognised extract (expected canonical CSV, CIN census XML or an Annex A workbook)';
          return reject(new UploadRefused(`'${basename(unknown)}' ${why}`));
        }
        try {
          const said = uploadFields(fields);
          requireReferenceDate(paths, said);
          resolve({ paths, fields: said });
        } catch (err) {
          reject(err);
        }
      }, reject);
    });
    req.pipe(parser);
  });
}

export function uploadRoutes(warehouse: Warehouse): Router {
  const router = Router();
  const jobs = new Map<string, UploadJob>();
  let queue: Promise<unknown> = Promise.resolve();

  router.post('/', async (req, res) => {
    const dir = makePrivateTempDir('upload');
    let paths: string[];
    let fields: UploadFields;
    try {
      ({ paths, fields } = await receiveFiles(req, dir));
    } catch (err) {
      rmSync(dir, { recursive: true, force: true });
      throw err;
    }
    const user = (req as Request & { user?: { username: string } }).user?.username ?? 'unknown';
    const job: UploadJob = {
      id: randomUUID(),
      status: 'loading',
      startedBy: user,
      files: paths.map((p) => basename(p)),
      progress: null,
      results: [],
    };
    jobs.set(job.id, job);
    // One load at a time: DuckDB serialises writers anyway, and the order of extracts matters.
    queue = queue.then(async () => {
      try {
        job.results = await loadFiles(warehouse, paths, {
          loadedBy: user,
          referenceDate: fields.referenceDate,
          confirmLa: fields.confirmLa,
          onProgress: (file, bytesRead, totalBytes) => {
            job.progress = { file: basename(file), bytesRead, totalBytes };
          },
        });
        job.status = 'done';
      } catch (err) {
        job.status = 'failed';
        job.error = 'the load stopped unexpectedly; the server log has details';
        console.error(err);
      } finally {
        warehouse.markChanged();
        rmSync(dir, { recursive: true, force: true });
      }
    });
    res.locals['rowsReturned'] = 0;
    res.status(202).location(`/api/v1/uploads/${job.id}`).json(describeJob(job));
  });

  // A dry run (issue 16): the DfE CIN census rules over the uploaded census files, which are loaded
  // into a temporary warehouse, counted and deleted; nothing reaches this warehouse.
  router.post('/dry-run', async (req, res) => {
    const dir = makePrivateTempDir('upload');
    try {
      const { paths } = await receiveFiles(req, dir);
      const report = await validateCensusFiles(paths);
      res.locals['rowsReturned'] = report.rules.length;
      res.json(report);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  router.get('/:id', (req, res) => {
    const job = jobs.get(String(req.params['id']));
    if (!job) {
      res.status(404).json({ error: 'no such upload' });
      return;
    }
    res.locals['rowsReturned'] = job.results.length;
    res.json(describeJob(job));
  });

  return router;
}

function describeJob(job: UploadJob) {
  return {
    id: job.id,
    status: job.status,
    startedBy: job.startedBy,
    files: job.files,
    progress: job.progress,
    error: job.error,
    results: job.results.map((r) => ({ ...r, file: basename(r.file) })),
    loaded: job.results.filter((r) => r.status === 'loaded').length,
    failed: job.results.filter((r) => r.status === 'failed').length,
    /** Of the failed: refused before loading (no reference date, another LA), nothing recorded. */
    refused: job.results.filter((r) => r.refusal !== undefined).length,
  };
}
