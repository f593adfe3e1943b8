import type { NextFunction, Request, RequestHandler, Response } from 'express';
import type { Warehouse } from '../sql/warehouse.ts';

/**
 * What a response showed: aggregate figures, a list of cases behind a figure, a child's identity,
 * or administration (loads, users, this log). Routes set res.locals.sensitivity; 'aggregate' when
 * they do not.
 */
export const sensitivities = ['aggregate', 'case_list', 'identity', 'admin'] as const;
export type Sensitivity = (typeof sensitivities)[number];

/**
 * Sets the sensitivity before the route runs, so a request refused by requireRole is still logged
 * as an attempt at, say, a case list: put it before the guards.
 */
export function markSensitivity(sensitivity: Sensitivity): RequestHandler {
  return (_req, res, next) => {
    res.locals.sensitivity = sensitivity;
    next();
  };
}

/** The session endpoints carry passwords and are not data: they are not logged here. */
export function isSessionPath(path: string): boolean {
  const lower = path.toLowerCase();
  return lower === '/api/v1/session' || lower.startsWith('/api/v1/session/');
}

/**
 * Express matches routes case-insensitively, so /API/v1/cases reaches the same handler as
 * /api/v1/cases: every test of a path here must ignore case too, or a capital letter would dodge
 * the log.
 */
function isApiPath(path: string): boolean {
  return path.toLowerCase().startsWith('/api/');
}

function pathOf(originalUrl: string): string {
  const q = originalUrl.indexOf('?');
  return q < 0 ? originalUrl : originalUrl.slice(0, q);
}

const secretName = /pass|secret|token|csrf/i;
const maxParamsLength = 4000;

/** Query string and route parameters as JSON, with anything named like a secret blanked. */
function paramsJson(req: Request): string {
  const query: Record<string, string | string[]> = {};
  const q = req.originalUrl.indexOf('?');
  for (const [key, value] of new URLSearchParams(q < 0 ? '' : req.originalUrl.slice(q + 1))) {
    const shown = secretName.test(key) ? '[redacted]' : value;
    const earlier = query[key];
    query[key] = earlier === undefined ? shown : [...(Array.isArray(earlier) ? earlier : [earlier]), shown];
  }
  const route: Record<string, string> = {};
  for (const [key, value] of Object.entries((req.params ?? {}) as Record<string, unknown>)) {
    route[key] = secretName.test(key) ? '[redacted]' : String(value);
  }
  const json = JSON.stringify({ query, route });
  return json.length <= maxParamsLength ? json : JSON.stringify({ truncated: json.slice(0, maxParamsLength - 100) });
}

interface AccessLogEntry {
  logged_at: string;
  username: string | null;
  role: string | null;
  client_ip: string | null;
  method: string;
  path: string;
  params: string;
  status: number;
  rows_returned: number | null;
  sensitivity: Sensitivity;
}

function entryFor(req: Request, res: Response, now: number): AccessLogEntry {
  const rows = res.locals.rowsReturned;
  const sensitivity = res.locals.sensitivity ?? 'aggregate';
  if (!(sensitivities as readonly string[]).includes(sensitivity)) {
    throw new Error(`res.locals.sensitivity is '${String(sensitivity)}', not one of ${sensitivities.join(', ')}`);
  }
  return {
    logged_at: new Date(now).toISOString().replace('T', ' ').replace('Z', ''),
    username: req.user?.username ?? res.locals.identifiedAs ?? null,
    role: req.user?.role ?? null,
    client_ip: req.ip ?? null,
    method: req.method,
    path: pathOf(req.originalUrl).slice(0, 500),
    params: paramsJson(req),
    status: res.statusCode,
    rows_returned: typeof rows === 'number' && Number.isInteger(rows) ? rows : null,
    sensitivity,
  };
}

// The only statement in the product that touches access_log other than SELECT.
async function appendAccessLog(warehouse: Warehouse, entry: AccessLogEntry): Promise<void> {
  await warehouse.query(
    `INSERT INTO access_log (logged_at, username, role, client_ip, method, path, params, status, rows_returned, sensitivity)
     VALUES ($logged_at::TIMESTAMP, $username::VARCHAR, $role::VARCHAR, $client_ip::VARCHAR, $method, $path, $params,
             $status::INTEGER, $rows_returned::INTEGER, $sensitivity)`,
    { ...entry },
  );
}

const representationHeaders = [
  'content-length',
  'content-type',
  'content-disposition',
  'content-encoding',
  'etag',
  'last-modified',
];

type Write = (...args: unknown[]) => boolean;
type End = (...args: unknown[]) => Response;

/**
 * Records every request under /api/ (except the session endpoints) in access_log, refused ones
 * included. The row is written before any byte of the response leaves: the first res.write or
 * res.end waits for the INSERT, so if the log cannot be written the client gets a 500 instead of
 * the data (fail closed). A 'finish' listener could only log after the data had gone.
 */
export function accessLog(warehouse: Warehouse, options: { clock?: () => number } = {}): RequestHandler {
  const clock = options.clock ?? Date.now;
  return (req: Request, res: Response, next: NextFunction) => {
    const path = pathOf(req.originalUrl);
    if (!isApiPath(path) || isSessionPath(path)) {
      next();
      return;
    }
    const originalWrite = res.write.bind(res) as Write;
    const originalEnd = res.end.bind(res) as End;
    let logged: Promise<boolean> | undefined;
    let logWritten = false;
    let queued = 0;

    const failClosed = (err: unknown) => {
      console.error(`access log: could not record ${req.method} ${path}; the response was withheld`, err);
      if (res.headersSent) {
        // Headers (and perhaps a first chunk) are out: cut the connection so the client sees a broken
        // response rather than a complete one.
        res.destroy();
        return;
      }
      for (const name of representationHeaders) res.removeHeader(name);
      res.statusCode = 500;
      res.setHeader('Content-Type', 'application/json; charset=utf-8');
      originalEnd(JSON.stringify({ error: 'the access log could not be written, so nothing was returned' }));
    };

    // Every write and the end pass through one promise chain, so they keep their order.
    const afterLogging = (send: () => void) => {
      logged ??= (async () => appendAccessLog(warehouse, entryFor(req, res, clock())))().then(
        () => ((logWritten = true), true),
        (err: unknown) => (failClosed(err), false),
      );
      queued += 1;
      logged = logged.then((ok) => {
        queued -= 1;
        if (ok) {
          try {
            send();
          } catch (err) {
            console.error(`access log: sending ${req.method} ${path} failed after logging`, err);
          }
        }
        return ok;
      });
    };

    res.write = ((...args: unknown[]) => {
      if (logWritten && queued === 0) return originalWrite(...args);
      afterLogging(() => originalWrite(...args));
      return true;
    }) as Response['write'];
    res.end = ((...args: unknown[]) => {
      if (logWritten && queued === 0) return originalEnd(...args);
      afterLogging(() => originalEnd(...args));
      return res;
    }) as Response['end'];
    next();
  };
}

/** A row as read back: an entry with the id the table gave it. */
export interface AccessLogRow extends AccessLogEntry {
  id: number;
}

export interface AccessLogFilter {
  /** Inclusive UTC dates, YYYY-MM-DD. */
  from?: string;
  to?: string;
  username?: string;
  limit: number;
}

export const accessLogColumns = [
  'id',
  'logged_at',
  'username',
  'role',
  'client_ip',
  'method',
  'path',
  'params',
  'status',
  'rows_returned',
  'sensitivity',
] as const;

/** Newest first. */
export async function readAccessLog(warehouse: Warehouse, filter: AccessLogFilter): Promise<AccessLogRow[]> {
  const rows = await warehouse.query<AccessLogRow & { id: string }>(
    `SELECT id, strftime(logged_at, '%Y-%m-%dT%H:%M:%S.%gZ') AS logged_at, username, role, client_ip, method, path, params,
            status, rows_returned, sensitivity
     FROM access_log
     WHERE ($from::DATE IS NULL OR logged_at >= $from::DATE)
       AND ($to::DATE IS NULL OR logged_at < $to::DATE + INTERVAL 1 DAY)
       AND ($username::VARCHAR IS NULL OR username = $username::VARCHAR)
     ORDER BY id DESC
     LIMIT $limit::INTEGER`,
    { from: filter.from ?? null, to: filter.to ?? null, username: filter.username ?? null, limit: filter.limit },
  );
  return rows.map((row) => ({ ...row, id: Number(row.id) }));
}
