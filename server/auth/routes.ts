import express, { Router, type NextFunction, type Request, type Response } from 'express';
import type { Warehouse } from '../../sql/warehouse.ts';
import type { LoginThrottle } from './loginThrottle.ts';
import { csrf, currentSession, originAllowed } from './middleware.ts';
import { maxPasswordLength, passwordProblem } from './passwords.ts';
import {
  clearSessionCookie,
  readCookie,
  sessionCookieName,
  setSessionCookie,
  type Session,
  type SessionStore,
} from './sessions.ts';
import { authenticate, demoLogins, normaliseUsername, setPassword, type SessionUser } from './users.ts';

/** One message for every refused sign-in, so the answer never tells which accounts exist. */
export const signInFailed = 'sign-in failed: wrong username or password, or the account is disabled';

export interface SessionRoutesOptions {
  /** Serving the demo warehouse: GET /session tells the sign-in page the documented demo logins. */
  demo?: boolean;
  /** Single sign-on is configured: GET /session offers the sign-in page its button. */
  ssoLabel?: string;
}

/**
 * Starts a session for a user who has just proved who they are: a fresh session id, and any session
 * the browser brought ended, so an id planted before sign-in (session fixation) is never promoted.
 */
export function beginSession(store: SessionStore, req: Request, res: Response, user: SessionUser): Session {
  const broughtId = readCookie(req, sessionCookieName);
  if (broughtId) store.destroy(broughtId);
  const session = store.create(user.username);
  setSessionCookie(req, res, session.id);
  return session;
}

interface SessionDescription {
  signedIn: true;
  username: string;
  role: SessionUser['role'];
  csrfToken: string;
  mustChangePassword: boolean;
  idleMinutes: number;
}

const parseJson = express.json({ limit: '4kb' });

/**
 * Sign-in bodies must be JSON: a cross-site HTML form cannot send that content type without a CORS
 * preflight, which this server never grants. Parse errors are answered here, as 400, because the
 * app's error handler would turn them into 500.
 */
function jsonBody(req: Request, res: Response, next: NextFunction): void {
  if (!req.is('application/json')) {
    res.status(415).json({ error: 'send JSON with Content-Type: application/json' });
    return;
  }
  parseJson(req, res, (err?: unknown) => {
    if (err) res.status(400).json({ error: 'the body is not valid JSON' });
    else next();
  });
}

function stringField(body: unknown, name: string, maxLength: number): string | undefined {
  const value = (body as Record<string, unknown> | undefined)?.[name];
  return typeof value === 'string' && value.length > 0 && value.length <= maxLength ? value : undefined;
}

/**
 * GET /session: who am I (and the CSRF token). POST /session: sign in. DELETE /session: sign out.
 * PUT /session/password: change one's own password, the only thing a one-time password allows.
 */
function waitInWords(seconds: number): string {
  if (seconds < 60) return `${seconds} second${seconds === 1 ? '' : 's'}`;
  const minutes = Math.ceil(seconds / 60);
  return `${minutes} minute${minutes === 1 ? '' : 's'}`;
}

export function sessionRoutes(
  warehouse: Warehouse,
  store: SessionStore,
  throttle: LoginThrottle,
  options: SessionRoutesOptions = {},
): Router {
  const router = Router();
  const idleMinutes = store.lifetimes.idleMs / 60_000;

  const describe = (user: SessionUser, session: Session): SessionDescription => ({
    signedIn: true,
    username: user.username,
    role: user.role,
    csrfToken: session.csrfToken,
    mustChangePassword: user.mustChangePassword,
    idleMinutes,
  });

  const startSession = (req: Request, res: Response, user: SessionUser): Session => beginSession(store, req, res, user);

  router.get('/session', (req, res) => {
    const session = currentSession(req);
    if (req.user && session) {
      res.json(describe(req.user, session));
      return;
    }
    const sso = options.ssoLabel === undefined ? {} : { sso: { label: options.ssoLabel, start: '/api/v1/sso/start' } };
    res.json(options.demo ? { signedIn: false, demo: true, demoLogins, ...sso } : { signedIn: false, ...sso });
  });

  router.post('/session', jsonBody, async (req, res) => {
    if (!originAllowed(req)) {
      res.status(403).json({ error: 'cross-origin sign-in refused' });
      return;
    }
    const rawUsername = stringField(req.body, 'username', 200);
    const password = stringField(req.body, 'password', maxPasswordLength);
    if (rawUsername === undefined || password === undefined) {
      res.status(400).json({ error: 'send {"username": "…", "password": "…"}' });
      return;
    }
    const username = normaliseUsername(rawUsername);
    const attempt = { username, address: req.ip ?? 'unknown' };
    const retryAfter = throttle.retryAfterSeconds(attempt);
    if (retryAfter > 0) {
      res.setHeader('Retry-After', String(retryAfter));
      res.status(429).json({ error: `too many failed sign-ins; try again in ${waitInWords(retryAfter)}` });
      return;
    }
    // Counted as a failure before the (slow) check, so parallel guesses cannot slip past the limit;
    // forgiven below if it succeeds.
    const attemptedAt = throttle.recordFailure(attempt);
    const user = await authenticate(warehouse, username, password);
    if (!user) {
      res.status(401).json({ error: signInFailed });
      return;
    }
    throttle.succeeded(attempt, attemptedAt);
    res.json(describe(user, startSession(req, res, user)));
  });

  router.delete('/session', csrf, (req, res) => {
    const session = currentSession(req);
    if (session) store.destroy(session.id);
    clearSessionCookie(req, res);
    res.status(204).end();
  });

  router.put('/session/password', csrf, jsonBody, async (req, res) => {
    const user = req.user;
    if (!user) {
      res.status(401).json({ error: 'sign in first' });
      return;
    }
    const current = stringField(req.body, 'currentPassword', maxPasswordLength);
    const next = stringField(req.body, 'newPassword', maxPasswordLength + 1);
    if (current === undefined || next === undefined) {
      res.status(400).json({ error: 'send {"currentPassword": "…", "newPassword": "…"}' });
      return;
    }
    const problem =
      passwordProblem(next, user.username) ??
      (next === current ? 'the new password must differ from the current one' : undefined);
    if (problem) {
      res.status(400).json({ error: problem });
      return;
    }
    const attempt = { username: user.username, address: req.ip ?? 'unknown' };
    const retryAfter = throttle.retryAfterSeconds(attempt);
    if (retryAfter > 0) {
      res.setHeader('Retry-After', String(retryAfter));
      res.status(429).json({ error: `too many wrong passwords; try again in ${waitInWords(retryAfter)}` });
      return;
    }
    const attemptedAt = throttle.recordFailure(attempt);
    if (!(await authenticate(warehouse, user.username, current))) {
      // 403, not 401: the session is fine, only the password given is wrong.
      res.status(403).json({ error: 'the current password is wrong' });
      return;
    }
    throttle.succeeded(attempt, attemptedAt);
    await setPassword(warehouse, user.username, next);
    // Other sessions of this user end with the old password; this one is replaced by a fresh id.
    store.destroyAllFor(user.username);
    const settled = { ...user, mustChangePassword: false };
    res.json(describe(settled, startSession(req, res, settled)));
  });

  return router;
}
