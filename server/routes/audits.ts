import { randomBytes } from 'node:crypto';
import express, { Router, type NextFunction, type Request, type Response } from 'express';
import { auditFindings } from '../../metrics/auditFindings.ts';
import {
  defaultLookbackDays,
  drawAuditSample,
  lambethStrata,
  shortfallSentences,
  strataProblem,
  type StrataSpec,
} from '../../metrics/auditSample.ts';
import {
  judgementNoteMaxLength,
  judgementProblem,
  type AuditDetail,
  type JudgementAnswers,
} from '../../metrics/contract/audits.ts';
import { compareDates, isRealDate } from '../../metrics/contract/dates.ts';
import { prepareCaseList } from '../../metrics/caseLists.ts';
import {
  addJudgement,
  AuditRefusal,
  auditById,
  auditedChildren,
  auditSampleChildren,
  caseListChildren,
  closeAudit,
  judgementHistory,
  listAudits,
  saveAudit,
} from '../../sql/audits.ts';
import type { Warehouse } from '../../sql/warehouse.ts';
import { markSensitivity } from '../accessLog.ts';
import { isBoardOutput, requireRole } from '../auth/index.ts';
import { roleIncludes } from '../auth/users.ts';
import { BadRequest } from '../http/period.ts';
import { caseListIndex, caseListSource } from './cases.ts';

/**
 * Audits (METRICS.md §13 "Audit samples"), mounted at /api/v1/audits after requireUser:
 * - GET  /                      the register: officers and admins see every audit, board members and
 *                               leads the closed ones (no child in it; logged as aggregate);
 * - POST /                      draws a sample from a case list and saves it as an open audit;
 * - GET  /:id                   the sample beside its population, each child with its judgement;
 * - GET  /:id/children/:child/judgements, POST the same: a child's judgement, every version / the next;
 * - POST /:id/close             closes it (every child judged); judgements are read-only from then;
 * - GET  /:id/findings          a closed audit's aggregate findings (board output suppressed).
 * Everything naming a child is for officers and admins and logged as identity access.
 */

const officersOnly = [markSensitivity('identity'), requireRole('officer')];

function text(value: unknown, name: string, max: number): string {
  if (typeof value !== 'string' || value.trim() === '') throw new BadRequest(`'${name}' is required, as text`);
  if (value.length > max) throw new BadRequest(`'${name}' is at most ${max} characters`);
  // eslint-disable-next-line no-control-regex -- control characters are what it refuses
  if (/[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/.test(value))
    throw new BadRequest(`'${name}' holds control characters`);
  return value;
}

function date(value: unknown, name: string): string {
  if (typeof value !== 'string' || !isRealDate(value)) throw new BadRequest(`'${name}' must be a date as YYYY-MM-DD`);
  return value;
}

function auditId(req: Request): number {
  const id = Number(req.params['id']);
  if (!Number.isInteger(id) || id < 1 || id > 2 ** 31 - 1) throw new BadRequest('an audit id is a whole number');
  return id;
}

function childKey(req: Request): number {
  const key = Number(req.params['child']);
  if (!Number.isInteger(key) || key < 1 || key > 2 ** 31 - 1) throw new BadRequest('a child is named by its key');
  return key;
}

function refused(res: Response, err: unknown): void {
  if (!(err instanceof AuditRefusal)) throw err;
  res.locals.rowsReturned = 0;
  res.status(err.status).json({ error: err.message, latestVersion: err.latestVersion });
}

async function detail(warehouse: Warehouse, id: number): Promise<AuditDetail | null> {
  const found = await auditById(warehouse, id);
  if (!found) return null;
  // In the strata's own order (0–5, 6–11, 12–17), not the order of their keys as text.
  const order = new Map(found.draw.strata.map((s, i) => [s.key, i]));
  const children = (await auditSampleChildren(warehouse, id)).sort(
    (a, b) => (order.get(a.stratum) ?? 0) - (order.get(b.stratum) ?? 0) || a.rank - b.rank,
  );
  const sample = { ...found.draw, children: [] };
  return { audit: found.audit, sample: found.draw, children, sentences: shortfallSentences(sample) };
}

export function auditRoutes(warehouse: Warehouse): Router {
  const router = Router();

  router.get('/', async (req, res) => {
    const officer = req.user !== undefined && roleIncludes(req.user.role, 'officer');
    const audits = await listAudits(warehouse, { closedOnly: !officer });
    res.locals.rowsReturned = audits.length;
    res.json({ audits, canDraw: officer, lists: officer ? caseListIndex().map((l) => l.figure) : [] });
  });

  router.post('/', ...officersOnly, express.json({ limit: '16kb' }), async (req, res) => {
    const sent = (req.body ?? {}) as Record<string, unknown>;
    const theme = text(sent['theme'], 'theme', 200);
    const figure = typeof sent['figure'] === 'string' ? sent['figure'] : '';
    // Any figure the case lists serve, filtered ones included, through the list's own statement.
    const source = caseListSource(figure);
    const period = { from: date(sent['from'], 'from'), to: date(sent['to'], 'to') };
    if (compareDates(period.from, period.to) > 0)
      throw new BadRequest(`'from' (${period.from}) is after 'to' (${period.to})`);
    const strata = (sent['strata'] ?? lambethStrata) as StrataSpec;
    const problem = strataProblem(strata);
    if (problem) throw new BadRequest(problem);
    // A seed the officer did not choose is chosen here and kept, so the draw can be repeated.
    const seed =
      sent['seed'] === undefined || sent['seed'] === ''
        ? randomBytes(8).toString('hex')
        : text(sent['seed'], 'seed', 100);
    const lookbackDays = sent['lookbackDays'] ?? defaultLookbackDays;
    if (
      typeof lookbackDays !== 'number' ||
      !Number.isInteger(lookbackDays) ||
      lookbackDays < 0 ||
      lookbackDays > 3650
    ) {
      throw new BadRequest("'lookbackDays' is a whole number of days from 0 to 3650");
    }
    const population = await warehouse.withConnection(async (c) =>
      caseListChildren(c, await prepareCaseList(c, source, period)),
    );
    const drawnAt = new Date();
    const sample = drawAuditSample({
      population,
      strata,
      seed,
      lookbackDays,
      drawnOn: drawnAt.toISOString().slice(0, 10),
      audited: await auditedChildren(warehouse),
    });
    const id = await saveAudit(warehouse, {
      theme,
      figure,
      period,
      strata,
      seed,
      lookbackDays,
      drawnBy: req.user!.username,
      drawnAt,
      sample,
    });
    const saved = (await detail(warehouse, id))!;
    res.locals.rowsReturned = saved.children.length;
    res.status(201).json(saved);
  });

  router.get('/:id', ...officersOnly, async (req, res) => {
    const found = await detail(warehouse, auditId(req));
    if (!found) {
      res.locals.rowsReturned = 0;
      res.status(404).json({ error: `there is no audit ${req.params['id']}` });
      return;
    }
    res.locals.rowsReturned = found.children.length;
    res.json(found);
  });

  router.get('/:id/children/:child/judgements', ...officersOnly, async (req, res) => {
    const history = await judgementHistory(warehouse, auditId(req), childKey(req));
    res.locals.rowsReturned = history.length;
    res.json({ history });
  });

  router.post('/:id/children/:child/judgements', ...officersOnly, express.json({ limit: '32kb' }), async (req, res) => {
    const sent = (req.body ?? {}) as { answers?: unknown; note?: unknown; baseVersion?: unknown };
    const problem = judgementProblem(sent.answers);
    if (problem) throw new BadRequest(problem);
    const note = sent.note ?? '';
    if (typeof note !== 'string' || note.length > judgementNoteMaxLength) {
      throw new BadRequest(`'note' is text of at most ${judgementNoteMaxLength} characters`);
    }
    if (note !== '') text(note, 'note', judgementNoteMaxLength);
    const baseVersion = sent.baseVersion ?? 0;
    if (typeof baseVersion !== 'number' || !Number.isInteger(baseVersion) || baseVersion < 0) {
      throw new BadRequest("'baseVersion' must be the version the edit started from (0 for a first judgement)");
    }
    try {
      const saved = await addJudgement(warehouse, {
        auditId: auditId(req),
        childKey: childKey(req),
        answers: sent.answers as JudgementAnswers,
        note,
        author: req.user!.username,
        baseVersion,
      });
      res.locals.rowsReturned = 1;
      res.status(201).json({ saved });
    } catch (err) {
      refused(res, err);
    }
  });

  router.post('/:id/close', ...officersOnly, async (req, res) => {
    const id = auditId(req);
    try {
      await closeAudit(warehouse, id, req.user!.username);
      const found = await auditById(warehouse, id);
      res.locals.rowsReturned = 1;
      res.json({ audit: found!.audit });
    } catch (err) {
      refused(res, err);
    }
  });

  // Aggregates only: everyone signed in, board output suppressed; an open audit has no findings yet.
  router.get('/:id/findings', async (req, res) => {
    const found = await auditById(warehouse, auditId(req));
    res.locals.rowsReturned = 0;
    if (!found || found.audit.status !== 'closed') {
      res.status(404).json({ error: `there are no findings for audit ${req.params['id']}: it is not a closed audit` });
      return;
    }
    const findings = await auditFindings(warehouse, found.audit, { suppressed: isBoardOutput(req) });
    res.locals.rowsReturned = findings.fields.length;
    res.json(findings);
  });

  router.use((err: unknown, _req: Request, res: Response, next: NextFunction) => {
    const type = (err as { type?: string } | null)?.type;
    if (type === 'entity.too.large') res.status(413).json({ error: 'the request is too large' });
    else if (type === 'entity.parse.failed' || type === 'encoding.unsupported' || type === 'charset.unsupported') {
      res.status(400).json({ error: 'the request body must be JSON' });
    } else next(err);
  });
  return router;
}
