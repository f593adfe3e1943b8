import express, { Router, type NextFunction, type Request, type Response } from 'express';
import type { Warehouse } from '../../sql/warehouse.ts';
import {
  addCommentary,
  commentaryBodyProblem,
  CommentaryConflict,
  commentaryHistory,
  commentaryMaxLength,
  latestCommentary,
} from '../../sql/commentary.ts';
import { requireRole } from '../auth/index.ts';
import { roleIncludes } from '../auth/users.ts';
import { BadRequest } from '../http/period.ts';
import { quarterParameter } from '../http/quarter.ts';

/** The quarter a commentary is about, by its last day. */
const quarterEnd = (value: unknown): string => quarterParameter(value).to;

/**
 * Commentary on a quarter's pack (mounted at /api/v1/commentary, after requireUser). Everyone may
 * read the version the pack shows; officers and admins also get every earlier version, may write,
 * and the answer says so (canWrite) so the page offers the form only to them. The access log
 * records each read and each save like any other look; the table records who wrote what, when.
 */
export function commentaryRoutes(warehouse: Warehouse): Router {
  const router = Router();

  router.get('/', async (req, res) => {
    const quarter = quarterEnd(req.query['quarter']);
    const canWrite = req.user !== undefined && roleIncludes(req.user.role, 'officer');
    if (canWrite) {
      const history = await commentaryHistory(warehouse, quarter);
      res.locals.rowsReturned = history.length;
      res.json({ quarter, latest: history[0] ?? null, history, canWrite, maxLength: commentaryMaxLength });
      return;
    }
    const latest = await latestCommentary(warehouse, quarter);
    res.locals.rowsReturned = latest ? 1 : 0;
    res.json({ quarter, latest, canWrite, maxLength: commentaryMaxLength });
  });

  // The JSON limit sits above the text limit (escapes can triple a text's size) but stops a huge
  // body before it is parsed.
  router.post('/', requireRole('officer'), express.json({ limit: '64kb' }), async (req, res) => {
    const sent = (req.body ?? {}) as { quarter?: unknown; body?: unknown; baseVersion?: unknown };
    const quarter = quarterEnd(sent.quarter);
    const problem = commentaryBodyProblem(sent.body);
    if (problem) throw new BadRequest(problem);
    const baseVersion = sent.baseVersion ?? 0;
    if (typeof baseVersion !== 'number' || !Number.isInteger(baseVersion) || baseVersion < 0) {
      throw new BadRequest("'baseVersion' must be the version the edit started from (0 for a first commentary)");
    }
    try {
      const saved = await addCommentary(warehouse, {
        quarterEnd: quarter,
        body: sent.body as string,
        author: req.user!.username,
        baseVersion,
      });
      res.locals.rowsReturned = 1;
      res.status(201).json({ quarter, saved });
    } catch (err) {
      if (!(err instanceof CommentaryConflict)) throw err;
      res.locals.rowsReturned = 0;
      res.status(409).json({ error: err.message, latestVersion: err.latestVersion });
    }
  });

  // The body parser's own failures are the client's: a 413 or 400 with a message, not the app's 500.
  router.use((err: unknown, _req: Request, res: Response, next: NextFunction) => {
    const type = (err as { type?: string } | null)?.type;
    if (type === 'entity.too.large') {
      const error = `the request is too large; commentary is at most ${commentaryMaxLength} characters`;
      res.status(413).json({ error });
    } else if (type === 'entity.parse.failed' || type === 'encoding.unsupported' || type === 'charset.unsupported') {
      res.status(400).json({ error: 'the request body must be JSON: {"quarter", "body", "baseVersion"}' });
    } else {
      next(err);
    }
  });
  return router;
}
