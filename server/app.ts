import express, { type NextFunction, type Request, type Response } from 'express';
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { projectRoot, type Warehouse } from '../sql/warehouse.ts';
import { installAuth, type AuthOptions } from './auth/index.ts';
import { BadRequest } from './http/period.ts';
import { ResultCache } from './http/resultCache.ts';
import { keepBoardPacksWarm } from './http/warmPacks.ts';
import { securityHeaders } from './http/securityHeaders.ts';
import { auditRoutes } from './routes/audits.ts';
import { boardPackRoutes } from './routes/boardPack.ts';
import { boardPackCsvRoutes } from './routes/boardPackCsv.ts';
import { caseRoutes } from './routes/cases.ts';
import { commentaryRoutes } from './routes/commentary.ts';
import { annotationRoutes, indicatorRoutes } from './routes/indicators.ts';
import { childRoutes } from './routes/children.ts';
import { metricsRoutes } from './routes/metrics.ts';
import { qualityListLimits, qualityRoutes } from './routes/quality.ts';
import { uploadRoutes } from './routes/uploads.ts';

export const builtClientDir = resolve(projectRoot, 'dist/client');

export interface AppOptions {
  warehouse: Warehouse;
  /** The built client (vite build); the API works without it. */
  clientDir?: string;
  auth?: AuthOptions;
  /** Express 'trust proxy' for a TLS-terminating proxy in front, e.g. 'loopback' (docs/SECURITY.md). */
  trustProxy?: string;
  /** Precompute the latest quarter's board pack at start and after each upload (`lscb start`). */
  warmPacks?: boolean;
  /** How many rows the data-quality lists show (routes/quality.ts); lowered by tests of a cut list. */
  qualityListLimits?: typeof qualityListLimits;
}

/**
 * The app: security headers; sessions, CSRF and the access log on every API request; figures for
 * anyone signed in (board output unless officer or admin); data quality and case lists for officers.
 */
export function createApp({
  warehouse,
  clientDir = builtClientDir,
  auth = {},
  trustProxy,
  warmPacks = false,
  qualityListLimits: listLimits = qualityListLimits,
}: AppOptions): express.Express {
  const app = express();
  app.disable('x-powered-by');
  app.set('query parser', 'simple');
  if (trustProxy) app.set('trust proxy', trustProxy);
  app.use(securityHeaders);
  const { requireUser, requireRole, markSensitivity } = installAuth(app, warehouse, auth);
  const cache = new ResultCache(warehouse);
  if (warmPacks) keepBoardPacksWarm(warehouse, cache);
  app.use(
    '/api/v1',
    requireUser,
    metricsRoutes(warehouse, cache),
    boardPackRoutes(warehouse, cache),
    boardPackCsvRoutes(warehouse, cache),
  );
  // Read by everyone, written by officers and admins (the router guards its POST).
  app.use('/api/v1/commentary', requireUser, commentaryRoutes(warehouse));
  // The strategy's indicators and notes of practice: read by everyone, changed by leads and above.
  app.use('/api/v1/indicators', requireUser, indicatorRoutes(warehouse));
  app.use('/api/v1/annotations', requireUser, annotationRoutes(warehouse));
  app.use('/api/v1/quality', requireRole('officer'), qualityRoutes(warehouse, listLimits));
  app.use('/api/v1/cases', markSensitivity('case_list'), requireRole('officer'), caseRoutes(warehouse));
  app.use('/api/v1/children', markSensitivity('identity'), requireRole('officer'), childRoutes(warehouse));
  app.use('/api/v1/uploads', markSensitivity('admin'), requireRole('admin'), uploadRoutes(warehouse));
  // Audits (METRICS.md §13): the register and closed findings for everyone, samples and judgements for officers.
  app.use('/api/v1/audits', requireUser, auditRoutes(warehouse));
  app.use('/api', (_req, res) => {
    res.status(404).json({ error: 'no such API endpoint' });
  });
  if (existsSync(clientDir)) app.use(express.static(clientDir, { index: 'index.html' }));

  // Errors: a client mistake gets its message; anything else a generic 500, logged here only,
  // because stack traces and SQL must never reach a browser.
  app.use((err: unknown, _req: Request, res: Response, _next: NextFunction) => {
    if (err instanceof BadRequest) {
      res.status(400).json({ error: err.message });
      return;
    }
    console.error(err);
    if (!res.headersSent) res.status(500).json({ error: 'internal error; the server log has details' });
  });
  return app;
}
