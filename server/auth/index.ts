import type express from 'express';
import type { RequestHandler } from 'express';
import type { Warehouse } from '../../sql/warehouse.ts';
import { accessLog, markSensitivity } from '../accessLog.ts';
import { accessLogRoutes } from '../routes/accessLog.ts';
import { defaultThrottleLimits, LoginThrottle, type ThrottleLimits } from './loginThrottle.ts';
import { csrf, isBoardOutput, loadSession, requireRole, requireUser } from './middleware.ts';
import { beginSession, sessionRoutes } from './routes.ts';
import { ssoRoutes } from './sso.ts';
import type { SsoSettings } from './ssoSettings.ts';
import { defaultSessionLifetimes, SessionStore } from './sessions.ts';

export { isBoardOutput, requireRole, requireUser, csrf } from './middleware.ts';
export { markSensitivity, sensitivities, type Sensitivity } from '../accessLog.ts';
export { ssoSettings, SsoConfigError, type SsoSettings } from './ssoSettings.ts';
export { demoLogins, ensureDemoUsers, ensureFirstAdmin, roles, type Role, type SessionUser } from './users.ts';

export interface AuthOptions {
  /** Minutes a session may sit unused (default 30); fractions allowed. */
  idleMinutes?: number;
  /** Hours after sign-in at which a session ends however busy (default 12). */
  absoluteHours?: number;
  /** Serving the demo warehouse: GET /api/v1/session offers the documented demo logins. */
  demo?: boolean;
  /** Failed sign-ins per address and per username (default 5 per 15 minutes). */
  throttle?: Partial<ThrottleLimits>;
  /** Sign-in through the council's OpenID Connect provider, beside local passwords. */
  sso?: SsoSettings;
  /** Milliseconds since the epoch; tests pass a controllable clock. */
  clock?: () => number;
}

export interface AuthGuards {
  requireUser: RequestHandler;
  requireRole: typeof requireRole;
  csrf: RequestHandler;
  markSensitivity: typeof markSensitivity;
  isBoardOutput: typeof isBoardOutput;
  sessions: SessionStore;
}

function positive(name: string, value: number | undefined, fallback: number): number {
  if (value === undefined) return fallback;
  if (!(Number.isFinite(value) && value > 0))
    throw new Error(`installAuth: ${name} must be a number above 0, not ${value}`);
  return value;
}

/**
 * Mounts, on /api, in this order: Cache-Control: no-store; the access log (it must wrap every later
 * handler); session loading (req.user); the CSRF check for every POST/PUT/PATCH/DELETE; then the
 * session routes and the admin's access-log readers under /api/v1. Call it after app-wide headers
 * and before any data route, which then takes the returned guards. The app's error handler and its
 * /api 404 stay the caller's.
 */
export function installAuth(app: express.Express, warehouse: Warehouse, options: AuthOptions = {}): AuthGuards {
  const clock = options.clock ?? Date.now;
  const idleMinutes = positive('idleMinutes', options.idleMinutes, defaultSessionLifetimes.idleMs / 60_000);
  const absoluteHours = positive(
    'absoluteHours',
    options.absoluteHours,
    defaultSessionLifetimes.absoluteMs / 3_600_000,
  );
  const sessions = new SessionStore({ idleMs: idleMinutes * 60_000, absoluteMs: absoluteHours * 3_600_000 }, clock);
  const throttle = new LoginThrottle({ ...defaultThrottleLimits, ...options.throttle }, clock);

  // Figures about children must not linger in a shared computer's browser cache or a proxy.
  app.use('/api', (_req, res, next) => {
    res.setHeader('Cache-Control', 'no-store');
    next();
  });
  app.use('/api', accessLog(warehouse, { clock }));
  app.use('/api', loadSession(sessions, warehouse));
  app.use('/api', csrf);
  app.use(
    '/api/v1',
    sessionRoutes(warehouse, sessions, throttle, { demo: options.demo, ssoLabel: options.sso?.label }),
  );
  if (options.sso) {
    app.use(
      '/api/v1/sso',
      ssoRoutes(warehouse, options.sso, (req, res, user) => void beginSession(sessions, req, res, user)),
    );
  }
  app.use('/api/v1', accessLogRoutes(warehouse));
  return { requireUser, requireRole, csrf, markSensitivity, isBoardOutput, sessions };
}
