import { roles, type Role } from './users.ts';

/**
 * Single sign-on through the council's OpenID Connect provider (Microsoft Entra ID, or any other),
 * from the "sso" section of lscb.config.json (docs/SECURITY.md, "Single sign-on"). The client
 * secret is never in the file: the file names the environment variable that holds it.
 */
export interface SsoSettings {
  issuer: URL;
  clientId: string;
  clientSecret: string | undefined;
  /** This server's callback as the browser reaches it: https://…/api/v1/sso/callback. */
  redirectUri: URL;
  /** The words on the sign-in button. */
  label: string;
  usernameClaim: string;
  groupsClaim: string;
  /** Provider group ids (Entra object ids, or names) that give each role; the highest role wins. */
  roleGroups: Record<Role, string[]>;
}

export class SsoConfigError extends Error {
  override name = 'SsoConfigError';
}

const knownKeys = [
  'issuer',
  'client_id',
  'client_secret_env',
  'redirect_uri',
  'label',
  'username_claim',
  'groups_claim',
  'role_groups',
];

function isLoopback(url: URL): boolean {
  return url.hostname === '127.0.0.1' || url.hostname === 'localhost' || url.hostname === '[::1]';
}

function httpsUrl(value: unknown, key: string): URL {
  let url: URL;
  try {
    url = new URL(String(value));
  } catch {
    throw new SsoConfigError(`sso."${key}" must be a URL, not ${JSON.stringify(value)}`);
  }
  // Tokens and codes cross these URLs: plain HTTP only on this machine (a test provider).
  if (url.protocol !== 'https:' && !(url.protocol === 'http:' && isLoopback(url))) {
    throw new SsoConfigError(`sso."${key}" must be an https:// URL (http:// only on loopback), not ${url.href}`);
  }
  return url;
}

function text(section: Record<string, unknown>, key: string, fallback?: string): string {
  const value = section[key] ?? fallback;
  if (typeof value !== 'string' || value.trim() === '') throw new SsoConfigError(`sso."${key}" is missing or empty`);
  return value.trim();
}

/** The validated settings, or undefined when the file has no "sso" section (passwords only). */
export function ssoSettings(raw: unknown, env: NodeJS.ProcessEnv = process.env): SsoSettings | undefined {
  if (raw === undefined) return undefined;
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw))
    throw new SsoConfigError('"sso" must be an object');
  const section = raw as Record<string, unknown>;
  for (const key of Object.keys(section)) {
    if (!knownKeys.includes(key))
      throw new SsoConfigError(`sso: unknown key "${key}" (expected ${knownKeys.join(', ')})`);
  }
  const secretEnv = section['client_secret_env'];
  if (secretEnv !== undefined && (typeof secretEnv !== 'string' || !/^[A-Z_][A-Z0-9_]*$/.test(secretEnv))) {
    throw new SsoConfigError(
      'sso."client_secret_env" must name an environment variable, e.g. "LSCB_SSO_CLIENT_SECRET"',
    );
  }
  const clientSecret = secretEnv === undefined ? undefined : env[secretEnv];
  if (secretEnv !== undefined && !clientSecret) {
    throw new SsoConfigError(`sso: the environment variable ${secretEnv} (the client secret) is not set`);
  }
  const groups = section['role_groups'];
  if (typeof groups !== 'object' || groups === null || Array.isArray(groups)) {
    throw new SsoConfigError(`sso."role_groups" must map roles (${roles.join(', ')}) to lists of provider group ids`);
  }
  const roleGroups = Object.fromEntries(roles.map((role) => [role, [] as string[]])) as Record<Role, string[]>;
  for (const [role, ids] of Object.entries(groups as Record<string, unknown>)) {
    if (!(roles as readonly string[]).includes(role)) {
      throw new SsoConfigError(`sso."role_groups": "${role}" is not a role (${roles.join(', ')})`);
    }
    if (!Array.isArray(ids) || !ids.every((id) => typeof id === 'string' && id !== '')) {
      throw new SsoConfigError(`sso."role_groups"."${role}" must be a list of group ids`);
    }
    roleGroups[role as Role] = ids as string[];
  }
  if (Object.values(roleGroups).every((ids) => ids.length === 0)) {
    throw new SsoConfigError('sso."role_groups" gives no group any role: nobody could sign in');
  }
  const redirectUri = httpsUrl(section['redirect_uri'], 'redirect_uri');
  if (!redirectUri.pathname.endsWith('/api/v1/sso/callback')) {
    throw new SsoConfigError(`sso."redirect_uri" must end in /api/v1/sso/callback, not ${redirectUri.pathname}`);
  }
  return {
    issuer: httpsUrl(section['issuer'], 'issuer'),
    clientId: text(section, 'client_id'),
    clientSecret,
    redirectUri,
    label: text(section, 'label', 'Sign in with your organisation account'),
    usernameClaim: text(section, 'username_claim', 'preferred_username'),
    groupsClaim: text(section, 'groups_claim', 'groups'),
    roleGroups,
  };
}

/** The highest role any of the user's groups gives, or undefined when none is mapped. */
export function roleForGroups(settings: Pick<SsoSettings, 'roleGroups'>, groups: readonly string[]): Role | undefined {
  const held = new Set(groups);
  return [...roles].reverse().find((role) => settings.roleGroups[role].some((id) => held.has(id)));
}
