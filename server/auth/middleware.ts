import { timingSafeEqual } from 'node:crypto';
import type { NextFunction, Request, RequestHandler, Response } from 'express';
import type { Warehouse } from '../../sql/warehouse.ts';
import type { Sensitivity } from '../accessLog.ts';
import { clearSessionCookie, readCookie, sessionCookieName, type Session, type SessionStore } from './sessions.ts';
import { activeUser, roleIncludes, type Role, type SessionUser } from './users.ts';

// The one place the request and response types learn about signed-in users and access logging.
declare global {
  namespace Express {
    interface Request {
      /** Set by loadSession when the request carries a live session of an enabled user. */
      user?: SessionUser;
    }
    interface Locals {
      /** Rows the response returned, for the access log; null or unset when it is not a row count. */
      rowsReturned?: number | null;
      /** What the response showed, for the access log; 'aggregate' when unset. */
      sensitivity?: Sensitivity;
      /**
       * Who a refused single sign-on was for: the identity provider vouched for the name but gave
       * no role, so nobody is signed in and the access log would otherwise show no one.
       */
      identifiedAs?: string;
    }
  }
}

// Kept off the request object so no route can leak the CSRF token or session id by serialising req.
const sessionOfRequest = new WeakMap<Request, Session>();

export function currentSession(req: Request): Session | undefined {
  return sessionOfRequest.get(req);
}

/**
 * Sets req.user when the session cookie names a live session of a user who still exists and is
 * enabled; otherwise the request goes on anonymous. Looking the user up on every request means a
 * disabled account or a changed role takes effect at the next request, not the next sign-in.
 */
export function loadSession(store: SessionStore, warehouse: Warehouse): RequestHandler {
  return async (req, res, next) => {
    const id = readCookie(req, sessionCookieName);
    if (id === undefined) {
      next();
      return;
    }
    const session = store.touch(id);
    const user = session ? await activeUser(warehouse, session.username) : undefined;
    if (!session || !user) {
      if (session) store.destroyAllFor(session.username);
      // Tell the browser to drop the dead cookie, unless this is a sign-in about to set a new one.
      if (!isLoginRequest(req)) clearSessionCookie(req, res);
      next();
      return;
    }
    req.user = user;
    sessionOfRequest.set(req, session);
    next();
  };
}

function refuse(res: Response, status: number, error: string, extra: Record<string, unknown> = {}): void {
  res.status(status).json({ error, ...extra });
}

function signedInAndSettled(req: Request, res: Response): SessionUser | undefined {
  const user = req.user;
  if (!user) {
    refuse(res, 401, 'sign in first');
    return undefined;
  }
  if (user.mustChangePassword) {
    refuse(res, 403, 'change your one-time password first (PUT /api/v1/session/password)', {
      passwordChangeRequired: true,
    });
    return undefined;
  }
  return user;
}

/** 401 unless signed in; 403 while the user still has a one-time password to change. */
export const requireUser: RequestHandler = (req, res, next) => {
  if (signedInAndSettled(req, res)) next();
};

/**
 * Signed in with one of these roles or one that includes them (admin includes officer, officer
 * includes board): requireRole('officer') admits officers and admins. 401 or 403 otherwise.
 */
export function requireRole(...allowed: Role[]): RequestHandler {
  if (allowed.length === 0) throw new Error('requireRole needs at least one role');
  return (req, res, next) => {
    const user = signedInAndSettled(req, res);
    if (!user) return;
    if (allowed.some((role) => roleIncludes(user.role, role))) {
      next();
      return;
    }
    refuse(res, 403, `this needs the ${allowed.join(' or ')} role; you are signed in as ${user.role}`);
  };
}

/**
 * Whether this request's output must be suppressed board output. Anyone not known to be an officer
 * or admin gets board output, so a route that forgets requireUser still fails safe.
 */
export function isBoardOutput(req: Request): boolean {
  return !req.user || req.user.role === 'board';
}

const safeMethods = new Set(['GET', 'HEAD', 'OPTIONS']);

/** Case-insensitive, as Express's routing is. */
export function isLoginRequest(req: Request): boolean {
  return req.method === 'POST' && (req.originalUrl.split('?')[0] ?? '').toLowerCase() === '/api/v1/session';
}

/**
 * An Origin header, when the browser sends one, must be this server's own origin. With trust proxy
 * set, req.protocol and req.host are the ones the browser used (X-Forwarded-Proto, X-Forwarded-Host).
 */
export function originAllowed(req: Request): boolean {
  const origin = req.get('Origin');
  return origin === undefined || origin === `${req.protocol}://${req.host}`;
}

function sameToken(sent: string, expected: string): boolean {
  const a = Buffer.from(sent);
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
}

/**
 * Synchroniser-token CSRF check for POST, PUT, PATCH and DELETE: the X-CSRF-Token header must equal
 * the session's token (GET /api/v1/session gives it). Sign-in is exempt, having no session yet; it
 * is protected by requiring JSON and a same-origin Origin instead. Without a session there is
 * nothing to forge, so the answer is 401.
 */
export const csrf: RequestHandler = (req: Request, res: Response, next: NextFunction) => {
  if (safeMethods.has(req.method)) {
    next();
    return;
  }
  if (!originAllowed(req)) {
    refuse(
      res,
      403,
      `cross-origin request refused: Origin ${String(req.get('Origin')).slice(0, 100)} is not this server`,
    );
    return;
  }
  if (isLoginRequest(req)) {
    next();
    return;
  }
  const session = currentSession(req);
  if (!session) {
    refuse(res, 401, 'sign in first');
    return;
  }
  const sent = req.get('X-CSRF-Token');
  if (!sent) {
    refuse(
      res,
      403,
      'missing X-CSRF-Token header: send the csrfToken from GET /api/v1/session with every POST, PUT, PATCH or DELETE',
    );
    return;
  }
  if (!sameToken(sent, session.csrfToken)) {
    refuse(res, 403, 'wrong X-CSRF-Token: it does not match this session; fetch GET /api/v1/session again');
    return;
  }
  next();
};
