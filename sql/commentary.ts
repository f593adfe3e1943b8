import type { CommentaryVersion } from '../metrics/contract/packExtras.ts';
import { inTransaction, isWriteConflict } from './transaction.ts';
import type { Warehouse } from './warehouse.ts';

/**
 * The board pack's commentary: what officers write about a quarter for the board to read. Stored
 * beside the loaded data, append-only (sql/schema.sql `commentary`): saving adds a version with its
 * author and time, and nothing written is ever changed or removed.
 */
export type { CommentaryVersion } from '../metrics/contract/packExtras.ts';

/** Longest commentary kept: a page of the printed pack, with room to spare. */
export const commentaryMaxLength = 10_000;

/** A save that lost a race: someone saved a later version since the writer's page loaded. */
export class CommentaryConflict extends Error {
  constructor(readonly latestVersion: number) {
    super(
      `the commentary has been changed since you opened it (now version ${latestVersion}); ` +
        'reload it and make your edit again',
    );
  }
}

/**
 * What is wrong with a body, or undefined: plain text only, so no control characters other than
 * line breaks and tabs (they could hide text from a reader), and not longer than the limit.
 */
export function commentaryBodyProblem(body: unknown): string | undefined {
  if (typeof body !== 'string') return "'body' must be the commentary as text";
  if (body.trim() === '') return "'body' is empty: write the commentary first";
  if (body.length > commentaryMaxLength) {
    return `the commentary is ${body.length} characters; the limit is ${commentaryMaxLength}`;
  }
  // eslint-disable-next-line no-control-regex
  if (/[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/.test(body)) {
    return 'the commentary holds control characters; write plain text';
  }
  return undefined;
}

const versionColumns = `version, body, author, strftime(written_at, '%Y-%m-%dT%H:%M:%SZ') AS written_at`;

/** Every version for the quarter, newest first. */
export async function commentaryHistory(warehouse: Warehouse, quarterEnd: string): Promise<CommentaryVersion[]> {
  return warehouse.query<CommentaryVersion>(
    `SELECT ${versionColumns} FROM commentary WHERE quarter_end = $quarter::DATE ORDER BY version DESC`,
    { quarter: quarterEnd },
  );
}

/** The version the pack shows: the highest; null when nobody has written one. */
export async function latestCommentary(warehouse: Warehouse, quarterEnd: string): Promise<CommentaryVersion | null> {
  const [latest] = await warehouse.query<CommentaryVersion>(
    `SELECT ${versionColumns} FROM commentary WHERE quarter_end = $quarter::DATE ORDER BY version DESC LIMIT 1`,
    { quarter: quarterEnd },
  );
  return latest ?? null;
}

/**
 * Adds the next version. `baseVersion` is the version the writer started from (0 for none): if
 * another has been saved since, the save is refused rather than silently replacing that text.
 */
export async function addCommentary(
  warehouse: Warehouse,
  entry: { quarterEnd: string; body: string; author: string; baseVersion: number; now?: Date },
): Promise<CommentaryVersion> {
  const writtenAt = (entry.now ?? new Date()).toISOString().replace('T', ' ').replace('Z', '');
  return warehouse.withConnection(async (c) => {
    try {
      return await inTransaction(c, async () => {
        const reader = await c.runAndReadAll(
          'SELECT coalesce(max(version), 0)::INTEGER AS latest FROM commentary WHERE quarter_end = $quarter::DATE',
          { quarter: entry.quarterEnd },
        );
        const latest = Number(reader.getRowObjectsJson()[0]?.['latest'] ?? 0);
        if (latest !== entry.baseVersion) throw new CommentaryConflict(latest);
        await c.run(
          `INSERT INTO commentary (quarter_end, version, body, author, written_at)
           VALUES ($quarter::DATE, $version::INTEGER, $body, $author, $written_at::TIMESTAMP)`,
          {
            quarter: entry.quarterEnd,
            version: latest + 1,
            body: entry.body,
            author: entry.author,
            written_at: writtenAt,
          },
        );
        const writtenIso = `${writtenAt.slice(0, 19).replace(' ', 'T')}Z`;
        return { version: latest + 1, body: entry.body, author: entry.author, written_at: writtenIso };
      });
    } catch (err) {
      // Two saves on the same version at once: DuckDB's unique pair stops the second.
      if (!(err instanceof CommentaryConflict) && isWriteConflict(err)) {
        throw new CommentaryConflict(entry.baseVersion + 1);
      }
      throw err;
    }
  });
}
