import { indicatorBenchmark } from '../../metrics/indicatorBenchmark.ts';
import express, { Router, type NextFunction, type Request, type Response } from 'express';
import type { Warehouse } from '../../sql/warehouse.ts';
import { addAnnotation, annotationsBetween } from '../../metrics/annotations.ts';
import {
  ensureIndicators,
  latestQuarterEnd,
  partnerPacks,
  quarterPacks,
  scoreIndicator,
  baselineOf,
  seriesOf,
} from '../../metrics/indicatorScores.ts';
import { scorecardOf } from '../../metrics/precomputed.ts';
import {
  addIndicator,
  editIndicator,
  IndicatorError,
  indicatorById,
  indicatorHistory,
  newIndicatorProblem,
  targetProblem,
  type IndicatorEdit,
  type NewIndicator,
} from '../../metrics/indicators.ts';
import { isBoardOutput, requireRole } from '../auth/index.ts';
import { roleIncludes } from '../auth/users.ts';
import { BadRequest, requireQuarterInData } from '../http/period.ts';
import { quarterParameter } from '../http/quarter.ts';
import { isRealDate } from '../../metrics/calendar.ts';

/**
 * The strategy's success indicators (METRICS.md §13), mounted at /api/v1/indicators after
 * requireUser. Everyone may read the scorecard (board members suppressed, as in their pack); an
 * indicator's own page, its history and every change are for strategy leads and above. Each request,
 * refused or not, leaves its row in the access log; the indicators table records who changed what.
 */
export function indicatorRoutes(warehouse: Warehouse): Router {
  const router = Router();
  // The defaults are laid down once per process, before the first answer (a fresh warehouse starts with them).
  let ready: Promise<void> | undefined;
  const ensure = () => {
    ready ??= ensureIndicators(warehouse).catch((err: unknown) => {
      ready = undefined;
      throw err;
    });
    return ready;
  };
  const quarterOf = async (req: Request) => {
    // Unasked, the latest quarter with data; asked, whatever was given, which quarterParameter judges.
    const asked = req.query['quarter'] ?? (await latestQuarterEnd(warehouse));
    if (asked === null) throw new BadRequest('the warehouse holds no data yet');
    const quarter = quarterParameter(asked);
    await requireQuarterInData(warehouse, quarter);
    return quarter.to;
  };
  const idOf = (req: Request) => {
    const id = Number(req.params['id']);
    if (!Number.isInteger(id) || id < 1) throw new BadRequest('an indicator id is a whole number');
    return id;
  };
  const json = express.json({ limit: '32kb' });

  router.get('/', async (req, res) => {
    await ensure();
    const to = await quarterOf(req);
    const scorecard = await scorecardOf(warehouse, to, { suppress: isBoardOutput(req) });
    res.locals.rowsReturned = scorecard.indicators.length;
    res.json({ ...scorecard, canEdit: req.user !== undefined && roleIncludes(req.user.role, 'lead') });
  });

  router.get('/:id', requireRole('lead'), async (req, res) => {
    await ensure();
    const id = idOf(req);
    const to = await quarterOf(req);
    const indicator = await warehouse.withConnection((c) => indicatorById(c, id));
    if (!indicator) {
      res.status(404).json({ error: `no indicator ${id}` });
      return;
    }
    const packs = await quarterPacks(warehouse, to, false, [indicator.ref]);
    const body = await warehouse.withConnection(async (c) => {
      const score = await scoreIndicator(c, indicator, packs, { to, suppress: false });
      return {
        score,
        history: await indicatorHistory(c, id),
        benchmark: await indicatorBenchmark(c, indicator, to, score.latest?.period_to),
      };
    });
    res.locals.rowsReturned = 1;
    res.json({ ...body, as_at: to, canEdit: true });
  });

  router.post('/', requireRole('lead'), json, async (req, res) => {
    await ensure();
    const problem = newIndicatorProblem(req.body);
    if (problem) throw new BadRequest(problem);
    const input = req.body as NewIndicator;
    const to = await latestQuarterEnd(warehouse);
    // METRICS.md §13: the baseline is computed when the indicator is created, from the latest quarter.
    const baseline = await warehouse.withConnection(async (c) => {
      if (!to) return null;
      const packs =
        input.ref.kind === 'partner'
          ? await partnerPacks(c, input.ref, to, false)
          : await quarterPacks(warehouse, to, false, [input.ref]);
      return baselineOf(seriesOf(packs, input.ref));
    });
    const id = await warehouse.withConnection((c) => addIndicator(c, input, baseline, req.user!.username));
    // The pack's strategy section and the scorecard read the indicators: cached ones are stale now.
    warehouse.markChanged();
    res.locals.rowsReturned = 1;
    res.status(201).json({ indicator: await warehouse.withConnection((c) => indicatorById(c, id)) });
  });

  const edit = async (req: Request, res: Response, changes: IndicatorEdit) => {
    try {
      const indicator = await warehouse.withConnection((c) => editIndicator(c, idOf(req), changes, req.user!.username));
      warehouse.markChanged();
      res.locals.rowsReturned = 1;
      res.json({ indicator });
    } catch (err) {
      if (err instanceof IndicatorError) throw new BadRequest(err.message);
      throw err;
    }
  };

  router.put('/:id/target', requireRole('lead'), json, async (req, res) => {
    const target = (req.body ?? {})['target'] as unknown;
    const problem =
      target === undefined ? "'target' is required: {value, date}, or null to remove it" : targetProblem(target);
    if (problem) throw new BadRequest(problem);
    await edit(req, res, { target: target as IndicatorEdit['target'] });
  });

  router.put('/:id', requireRole('lead'), json, async (req, res) => {
    const sent = (req.body ?? {}) as Record<string, unknown>;
    const changes: IndicatorEdit = {};
    for (const field of ['title', 'owner', 'rationale'] as const) {
      if (sent[field] === undefined) continue;
      if (typeof sent[field] !== 'string' || sent[field].trim() === '' || sent[field].length > 2000) {
        throw new BadRequest(`'${field}' must be plain text of 1 to 2000 characters`);
      }
      changes[field] = sent[field];
    }
    if (sent['better'] !== undefined) {
      if (sent['better'] !== 'up' && sent['better'] !== 'down') throw new BadRequest("'better' must be up or down");
      changes.better = sent['better'];
    }
    if (sent['retired'] !== undefined) {
      if (typeof sent['retired'] !== 'boolean') throw new BadRequest("'retired' must be true or false");
      changes.retired = sent['retired'];
    }
    if (sent['target'] !== undefined) {
      const problem = targetProblem(sent['target']);
      if (problem) throw new BadRequest(problem);
      changes.target = sent['target'] as IndicatorEdit['target'];
    }
    await edit(req, res, changes);
  });

  router.use(bodyErrors);
  return router;
}

/**
 * Annotations (METRICS.md §13: dated notes of practice, a process change recalculating the limits of
 * the series it names), mounted at /api/v1/annotations after requireUser: everyone reads them (they
 * are on every trend chart), strategy leads and above write them. Append-only (metrics/annotations.ts).
 */
export function annotationRoutes(warehouse: Warehouse): Router {
  const router = Router();
  router.get('/', async (req, res) => {
    const from = typeof req.query['from'] === 'string' ? req.query['from'] : '1900-01-01';
    const to = typeof req.query['to'] === 'string' ? req.query['to'] : '2999-12-31';
    if (!isRealDate(from) || !isRealDate(to)) throw new BadRequest("'from' and 'to' are dates, YYYY-MM-DD");
    const annotations = await warehouse.withConnection((c) => annotationsBetween(c, from, to));
    res.locals.rowsReturned = annotations.length;
    res.json({ annotations });
  });

  router.post('/', requireRole('lead'), express.json({ limit: '32kb' }), async (req, res) => {
    const sent = (req.body ?? {}) as Record<string, unknown>;
    const notedOn = sent['noted_on'];
    const body = sent['body'];
    const figures = sent['figures'] ?? [];
    if (typeof notedOn !== 'string' || !isRealDate(notedOn))
      throw new BadRequest("'noted_on' must be a date, YYYY-MM-DD");
    if (typeof body !== 'string' || body.trim() === '' || body.length > 2000) {
      throw new BadRequest("'body' must be plain text of 1 to 2000 characters");
    }
    if (typeof sent['process_change'] !== 'boolean') throw new BadRequest("'process_change' must be true or false");
    if (
      !Array.isArray(figures) ||
      figures.some((f) => typeof f !== 'string' || f.length > 300) ||
      figures.length > 50
    ) {
      throw new BadRequest("'figures' must be a list of the series the note is about (figure paths)");
    }
    if (sent['process_change'] && figures.length === 0) {
      throw new BadRequest('a change in the process names the series whose limits it recalculates');
    }
    const id = await warehouse.withConnection((c) =>
      addAnnotation(c, {
        notedOn,
        body: body.trim(),
        processChange: sent['process_change'] as boolean,
        figures: figures as string[],
        author: req.user!.username,
      }),
    );
    // Notes are markers on the pack's trend charts and may recalculate SPC limits: the cached pack
    // and scorecard are stale (the precomputed ones are too, by their fingerprint).
    warehouse.markChanged();
    res.locals.rowsReturned = 1;
    res.status(201).json({ annotation_id: id });
  });
  router.use(bodyErrors);
  return router;
}

/** The body parser's own failures are the client's: a 413 or 400 with a message, not the app's 500. */
function bodyErrors(err: unknown, _req: Request, res: Response, next: NextFunction): void {
  const type = (err as { type?: string } | null)?.type;
  if (type === 'entity.too.large') res.status(413).json({ error: 'the request is too large' });
  else if (type === 'entity.parse.failed' || type === 'encoding.unsupported' || type === 'charset.unsupported') {
    res.status(400).json({ error: 'the request body must be JSON' });
  } else next(err);
}
