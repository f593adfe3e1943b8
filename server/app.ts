import express, { type NextFunction, type Request, type Response } from 'express';
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { projectRoot, type Warehouse } from '../sql/warehouse.ts';
import { BadRequest } from './http/period.ts';
import { securityHeaders } from './http/securityHeaders.ts';
import { boardPackRoutes } from './routes/boardPack.ts';
import { metricsRoutes } from './routes/metrics.ts';

export const builtClientDir = resolve(projectRoot, 'dist/client');

export interface AppOptions {
  warehouse: Warehouse;
  /** The built client (vite build); the API works without it. */
  clientDir?: string;
}

export function createApp({ warehouse, clientDir = builtClientDir }: AppOptions): express.Express {
  const app = express();
  app.disable('x-powered-by');
  app.set('query parser', 'simple');
  app.use(securityHeaders);
  app.use('/api/v1', metricsRoutes(warehouse));
  app.use('/api/v1', boardPackRoutes(warehouse));
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
    res.status(500).json({ error: 'internal error; the server log has details' });
  });
  return app;
}
