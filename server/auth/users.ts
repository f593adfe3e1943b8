import type { Warehouse } from '../../sql/warehouse.ts';
import { generatePassword, hashForUnknownUser, hashPassword, passwordProblem, verifyPassword } from './passwords.ts';

/**
 * board: aggregates only, always suppressed. lead (the neglect strategy lead): unsuppressed
 * aggregates and the strategy's indicators, never child-level data. officer: unsuppressed figures,
 * case lists, identity. admin: loads, users and the access log, and everything an officer sees.
 * Listed lowest first: each role includes the ones before it (see roleIncludes), so an officer may
 * do what a lead may.
 */
export const roles = ['board', 'lead', 'officer', 'admin'] as const;
export type Role = (typeof roles)[number];

export function isRole(value: unknown): value is Role {
  return typeof value === 'string' && (roles as readonly string[]).includes(value);
}

/** True when a user with role `held` may do what `needed` may. */
export function roleIncludes(held: Role, needed: Role): boolean {
  return roles.indexOf(held) >= roles.indexOf(needed);
}

/** What the server knows about a signed-in user: never the password hash. */
export interface SessionUser {
  username: string;
  role: Role;
  /** Signed in with a generated one-time password: may only change it. */
  mustChangePassword: boolean;
}

export interface UserListing {
  username: string;
  role: Role;
  status: 'active' | 'disabled';
  must_change_password: boolean;
  created_at: string;
  disabled_at: string | null;
}

/** Something the user store refuses (a taken or unknown name, a weak password): shown as given. */
export class UserError extends Error {}

const usernamePattern = /^[a-z0-9][a-z0-9._@-]{0,63}$/;

/** Usernames are case-insensitive: stored and compared in lower case. */
export function normaliseUsername(raw: string): string {
  return raw.trim().toLowerCase();
}

export function usernameProblem(username: string): string | undefined {
  return usernamePattern.test(username)
    ? undefined
    : `a username is 1–64 lower-case letters, digits, '.', '_', '@' or '-', starting with a letter or digit, not '${username.slice(0, 64)}'`;
}

function utcNow(): string {
  return new Date().toISOString().replace('T', ' ').replace('Z', '');
}

interface StoredUser {
  username: string;
  role: Role;
  password_hash: string;
  must_change_password: boolean;
  disabled: boolean;
}

async function storedUser(warehouse: Warehouse, username: string): Promise<StoredUser | undefined> {
  const [row] = await warehouse.query<StoredUser>(
    'SELECT username, role, password_hash, must_change_password, disabled FROM users WHERE username = $username',
    { username },
  );
  return row;
}

export interface CreatedUser {
  username: string;
  role: Role;
  password: string;
  /** The password was generated here and must be changed at first sign-in. */
  oneTime: boolean;
}

/** Adds a user; without a password, generates a one-time one. */
export async function createUser(
  warehouse: Warehouse,
  request: { username: string; role: Role; password?: string },
): Promise<CreatedUser> {
  const username = normaliseUsername(request.username);
  const nameProblem = usernameProblem(username);
  if (nameProblem) throw new UserError(nameProblem);
  if (!isRole(request.role))
    throw new UserError(`a role is one of ${roles.join(', ')}, not '${String(request.role).slice(0, 20)}'`);
  const chosen = request.password;
  if (chosen !== undefined) {
    const problem = passwordProblem(chosen, username);
    if (problem) throw new UserError(problem);
  }
  if (await storedUser(warehouse, username)) throw new UserError(`a user named '${username}' already exists`);
  const password = chosen ?? generatePassword();
  await warehouse.query(
    `INSERT INTO users (username, role, password_hash, must_change_password, disabled, created_at)
     VALUES ($username, $role, $hash, $one_time, false, $now::TIMESTAMP)`,
    { username, role: request.role, hash: await hashPassword(password), one_time: chosen === undefined, now: utcNow() },
  );
  return { username, role: request.role, password, oneTime: chosen === undefined };
}

export async function listUsers(warehouse: Warehouse): Promise<UserListing[]> {
  return warehouse.query<UserListing>(
    `SELECT username, role, CASE WHEN disabled THEN 'disabled' ELSE 'active' END AS status, must_change_password,
            strftime(created_at, '%Y-%m-%dT%H:%M:%SZ') AS created_at, strftime(disabled_at, '%Y-%m-%dT%H:%M:%SZ') AS disabled_at
     FROM users ORDER BY username`,
  );
}

async function requireExisting(warehouse: Warehouse, rawUsername: string): Promise<StoredUser> {
  const username = normaliseUsername(rawUsername);
  const user = await storedUser(warehouse, username);
  if (!user) throw new UserError(`there is no user named '${username.slice(0, 64)}'`);
  return user;
}

/** Disabling keeps the row (the access log names the user) and refuses every later request. */
export async function setDisabled(warehouse: Warehouse, rawUsername: string, disabled: boolean): Promise<void> {
  const user = await requireExisting(warehouse, rawUsername);
  await warehouse.query(
    `UPDATE users SET disabled = $disabled, disabled_at = CASE WHEN $disabled THEN $now::TIMESTAMP END WHERE username = $username`,
    { username: user.username, disabled, now: utcNow() },
  );
}

/**
 * Replaces a password: a chosen one is kept, none generates a one-time password the user must
 * change at next sign-in. Returns the new password.
 */
export async function setPassword(warehouse: Warehouse, rawUsername: string, chosen?: string): Promise<CreatedUser> {
  const user = await requireExisting(warehouse, rawUsername);
  if (chosen !== undefined) {
    const problem = passwordProblem(chosen, user.username);
    if (problem) throw new UserError(problem);
  }
  const password = chosen ?? generatePassword();
  await warehouse.query(
    'UPDATE users SET password_hash = $hash, must_change_password = $one_time WHERE username = $username',
    {
      username: user.username,
      hash: await hashPassword(password),
      one_time: chosen === undefined,
    },
  );
  return { username: user.username, role: user.role, password, oneTime: chosen === undefined };
}

/**
 * The user, when the name and password match an enabled account; otherwise undefined, without
 * saying which part was wrong. An unknown name is verified against a dummy hash so it takes as
 * long as a wrong password.
 */
export async function authenticate(
  warehouse: Warehouse,
  rawUsername: string,
  password: string,
): Promise<SessionUser | undefined> {
  const username = normaliseUsername(rawUsername);
  const user = usernameProblem(username) ? undefined : await storedUser(warehouse, username);
  const matches = await verifyPassword(password, user?.password_hash ?? (await hashForUnknownUser()));
  if (!user || !matches || user.disabled) return undefined;
  return { username: user.username, role: user.role, mustChangePassword: user.must_change_password };
}

/**
 * A user the council's identity provider has vouched for, with the role its groups give: created at
 * first sign-in, the role brought up to date at every one (the provider is the authority on roles),
 * or undefined when an administrator has disabled the account here. The password hash 'sso' matches
 * no password, so the account cannot sign in with one.
 */
export async function signInBySso(
  warehouse: Warehouse,
  username: string,
  role: Role,
): Promise<SessionUser | undefined> {
  const existing = await storedUser(warehouse, username);
  if (existing?.disabled) return undefined;
  if (existing) {
    if (existing.role !== role)
      await warehouse.query('UPDATE users SET role = $role WHERE username = $username', { username, role });
  } else {
    await warehouse.query(
      `INSERT INTO users (username, role, password_hash, must_change_password, disabled, created_at)
       VALUES ($username, $role, 'sso', false, false, $now::TIMESTAMP)`,
      { username, role, now: utcNow() },
    );
  }
  return { username, role, mustChangePassword: false };
}

/** The user as they are now, or undefined when they no longer exist or are disabled. */
export async function activeUser(warehouse: Warehouse, username: string): Promise<SessionUser | undefined> {
  const [row] = await warehouse.query<Omit<StoredUser, 'password_hash'>>(
    'SELECT username, role, must_change_password, disabled FROM users WHERE username = $username',
    { username },
  );
  if (!row || row.disabled) return undefined;
  return { username: row.username, role: row.role, mustChangePassword: row.must_change_password };
}

/**
 * On a warehouse with no users, creates `admin` with a one-time password and returns it for the
 * caller to print once; otherwise undefined. Without this a fresh install could not be signed into.
 */
export async function ensureFirstAdmin(warehouse: Warehouse): Promise<string | undefined> {
  const [row] = await warehouse.query<{ n: number }>('SELECT count(*)::INTEGER AS n FROM users');
  if ((row?.n ?? 0) > 0) return undefined;
  return (await createUser(warehouse, { username: 'admin', role: 'admin' })).password;
}

/**
 * The demo warehouse's logins. Documented passwords: for the fictional demo local authority only,
 * never for a warehouse holding real children (docs/SECURITY.md).
 */
export const demoLogins: readonly { username: string; role: Role; password: string }[] = [
  { username: 'board', role: 'board', password: 'demo-board' },
  { username: 'lead', role: 'lead', password: 'demo-lead' },
  { username: 'officer', role: 'officer', password: 'demo-officer' },
  { username: 'admin', role: 'admin', password: 'demo-admin' },
];

/** Creates whichever demo users are missing; existing users are left as they are. */
export async function ensureDemoUsers(warehouse: Warehouse): Promise<string[]> {
  const created: string[] = [];
  for (const login of demoLogins) {
    if (await storedUser(warehouse, login.username)) continue;
    // Inserted directly: the documented demo passwords are shorter than the policy for real ones.
    await warehouse.query(
      `INSERT INTO users (username, role, password_hash, must_change_password, disabled, created_at)
       VALUES ($username, $role, $hash, false, false, $now::TIMESTAMP)`,
      { username: login.username, role: login.role, hash: await hashPassword(login.password), now: utcNow() },
    );
    created.push(login.username);
  }
  return created;
}
