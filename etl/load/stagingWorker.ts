import { parentPort } from 'node:worker_threads';
import { readerFor } from '../readers/registry.ts';
import type { CensusPart } from '../readers/cinCensusParts.ts';
import type { ExtractFormat, StagedExtract } from '../readers/reader.ts';
import { LoadError } from '../staging/loadError.ts';

/**
 * A staging worker: runs one reader at a time on a file and posts back its staged extract (or why
 * it could not), with progress as it goes. Readers need no database, so they run here unchanged.
 */
export interface StagingRequest {
  id: number;
  format: ExtractFormat;
  path: string;
  stagingDir: string;
  upnKey?: string;
  part?: CensusPart;
}

export type StagingReply =
  | { id: number; kind: 'progress'; bytesRead: number; totalBytes: number }
  | { id: number; kind: 'staged'; staged: StagedExtract }
  | {
      id: number;
      kind: 'failed';
      loadError?: { file: string; row: string; field?: string; reason: string };
      message: string;
    };

const port = parentPort;
if (!port) throw new Error('stagingWorker.ts runs only as a worker thread');

port.on('message', async (request: StagingRequest) => {
  const reply = (message: StagingReply) => port.postMessage(message);
  try {
    const reader = await readerFor(request.format);
    if (!reader) throw new Error(`no reader for ${request.format}`);
    const staged = await reader.stage(request.path, {
      stagingDir: request.stagingDir,
      upnKey: request.upnKey,
      part: request.part,
      progress: (bytesRead, totalBytes) => reply({ id: request.id, kind: 'progress', bytesRead, totalBytes }),
    });
    reply({ id: request.id, kind: 'staged', staged });
  } catch (err) {
    const loadError =
      err instanceof LoadError ? { file: err.file, row: err.row, field: err.field, reason: err.reason } : undefined;
    reply({ id: request.id, kind: 'failed', loadError, message: String((err as Error).message ?? err) });
  }
});
