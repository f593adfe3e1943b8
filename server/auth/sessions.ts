import { randomBytes } from 'node:crypto';
import type { Request, Response } from 'express';

export const sessionCookieName = 'lscb_session';

export interface Session {
  id: string;
  username: string;
  /** Synchroniser token: state-changing requests must echo it in X-CSRF-Token. */
  csrfToken: string;
  createdAt: number;
  lastSeenAt: number;
}

export interface SessionLifetimes {
  /** A session unused this long ends. */
  idleMs: number;
  /** A session ends this long after sign-in however busy it is, so a stolen cookie does not live forever. */
  absoluteMs: number;
}

export const defaultSessionLifetimes: SessionLifetimes = { idleMs: 30 * 60_000, absoluteMs: 12 * 60 * 60_000 };

/**
 * Sessions in this process's memory: a restart signs everyone out, which is the safe failure.
 * Holds the username only; the role is read from the warehouse on every request, so disabling a
 * user or changing a role takes effect at once.
 */
export class SessionStore {
  private readonly sessions = new Map<string, Session>();

  constructor(
    readonly lifetimes: SessionLifetimes = defaultSessionLifetimes,
    private readonly clock: () => number = Date.now,
  ) {}

  create(username: string): Session {
    this.sweep();
    const now = this.clock();
    const session = { id: randomToken(), username, csrfToken: randomToken(), createdAt: now, lastSeenAt: now };
    this.sessions.set(session.id, session);
    return session;
  }

  /** The live session with this id, its idle clock restarted; an expired one is removed. */
  touch(id: string): Session | undefined {
    const session = this.sessions.get(id);
    if (!session) return undefined;
    const now = this.clock();
    if (this.expired(session, now)) {
      this.sessions.delete(id);
      return undefined;
    }
    session.lastSeenAt = now;
    return session;
  }

  destroy(id: string): void {
    this.sessions.delete(id);
  }

  destroyAllFor(username: string): void {
    for (const [id, session] of this.sessions) if (session.username === username) this.sessions.delete(id);
  }

  get size(): number {
    return this.sessions.size;
  }

  private expired(session: Session, now: number): boolean {
    return now - session.lastSeenAt >= this.lifetimes.idleMs || now - session.createdAt >= this.lifetimes.absoluteMs;
  }

  // Swept at sign-in rather than on a timer: no interval keeps the process (or a test) alive.
  private sweep(): void {
    const now = this.clock();
    for (const [id, session] of this.sessions) if (this.expired(session, now)) this.sessions.delete(id);
  }
}

/** 256 random bits, URL-safe: unguessable, and needs no escaping in a cookie or header. */
export function randomToken(): string {
  return randomBytes(32).toString('base64url');
}

/** One cookie's value from the Cookie header (Express parses no cookies without cookie-parser). */
export function readCookie(req: Request, name: string): string | undefined {
  const header = req.headers.cookie;
  if (!header) return undefined;
  for (const pair of header.split(';')) {
    const eq = pair.indexOf('=');
    if (eq < 0 || pair.slice(0, eq).trim() !== name) continue;
    const value = pair.slice(eq + 1).trim();
    return /^[A-Za-z0-9_-]{1,100}$/.test(value) ? value : undefined;
  }
  return undefined;
}

/**
 * No Max-Age: the cookie ends with the browser, and the server ends the session sooner.
 * Secure follows req.secure, which is true over TLS, or behind a proxy trusted with
 * app.set('trust proxy', …) that sends X-Forwarded-Proto: https (docs/SECURITY.md).
 */
function cookieOptions(req: Request) {
  return { httpOnly: true, sameSite: 'strict', path: '/', secure: req.secure } as const;
}

export function setSessionCookie(req: Request, res: Response, id: string): void {
  res.cookie(sessionCookieName, id, cookieOptions(req));
}

export function clearSessionCookie(req: Request, res: Response): void {
  res.clearCookie(sessionCookieName, cookieOptions(req));
}
