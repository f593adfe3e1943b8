import { Router, type Request, type Response } from 'express';
import * as oidc from 'openid-client';
import type { Warehouse } from '../../sql/warehouse.ts';
import { randomToken, readCookie } from './sessions.ts';
import { roleForGroups, type SsoSettings } from './ssoSettings.ts';
import { normaliseUsername, signInBySso, usernameProblem, type SessionUser } from './users.ts';

/**
 * OpenID Connect sign-in: the authorization code flow with PKCE, a state and a nonce, through
 * openid-client, which checks the ID token's signature against the provider's published keys (with
 * non-repudiation checks on), its issuer, audience, expiry and nonce. The provider's groups decide the role at every sign-in; a user in no
 * mapped group is refused, and the refusal is in the access log with the name the provider gave.
 */
const stateCookie = 'lscb_sso';
/** A sign-in left half-way at the provider's page is forgotten after this long. */
const flowLifetimeMs = 10 * 60_000;
const maxFlows = 10_000;

interface Flow {
  codeVerifier: string;
  nonce: string;
  startedAt: number;
}

export type BeginSession = (req: Request, res: Response, user: SessionUser) => void;

function refusalPage(message: string): string {
  const escaped = message.replace(/[&<>"]/g, (c) => `&#${c.charCodeAt(0)};`);
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Sign-in refused · LSCB Insight</title></head>
<body><main><h1>Sign-in refused</h1><p>${escaped}</p><p><a href="/">Back to the sign-in page</a></p></main></body></html>`;
}

export function ssoRoutes(warehouse: Warehouse, settings: SsoSettings, beginSession: BeginSession): Router {
  const router = Router();
  const flows = new Map<string, Flow>();
  let configuration: Promise<oidc.Configuration> | undefined;

  // Discovery once, on first use, so a provider that is down does not stop the server starting;
  // a failed discovery is retried at the next sign-in.
  const provider = (): Promise<oidc.Configuration> => {
    configuration ??= oidc
      .discovery(
        settings.issuer,
        settings.clientId,
        undefined,
        settings.clientSecret === undefined ? oidc.None() : oidc.ClientSecretPost(settings.clientSecret),
        {
          // Without non-repudiation checks an ID token from the token endpoint is trusted on TLS alone
          // (OIDC Core 3.1.3.7 allows it); its signature is checked here so that an altered token is
          // refused wherever it was altered. Plain HTTP only for a provider on loopback (tests).
          execute: [
            oidc.enableNonRepudiationChecks,
            ...(settings.issuer.protocol === 'http:' ? [oidc.allowInsecureRequests] : []),
          ],
        },
      )
      .catch((err: unknown) => {
        configuration = undefined;
        throw err;
      });
    return configuration;
  };

  const refuse = (res: Response, status: number, message: string) => {
    res.status(status).type('html').send(refusalPage(message));
  };

  router.get('/start', async (req, res) => {
    res.locals.sensitivity = 'admin';
    const now = Date.now();
    for (const [state, flow] of flows) if (now - flow.startedAt > flowLifetimeMs) flows.delete(state);
    if (flows.size >= maxFlows) flows.delete(flows.keys().next().value!);
    const config = await provider();
    const state = randomToken();
    const flow: Flow = { codeVerifier: oidc.randomPKCECodeVerifier(), nonce: oidc.randomNonce(), startedAt: now };
    flows.set(state, flow);
    // Lax, not Strict: the provider sends the browser back with a cross-site top-level GET.
    res.cookie(stateCookie, state, { httpOnly: true, sameSite: 'lax', path: '/api/v1/sso', secure: req.secure });
    const target = oidc.buildAuthorizationUrl(config, {
      redirect_uri: settings.redirectUri.href,
      scope: 'openid profile email',
      code_challenge: await oidc.calculatePKCECodeChallenge(flow.codeVerifier),
      code_challenge_method: 'S256',
      state,
      nonce: flow.nonce,
    });
    res.locals.rowsReturned = 0;
    res.redirect(303, target.href);
  });

  router.get('/callback', async (req, res) => {
    res.locals.sensitivity = 'admin';
    res.locals.rowsReturned = 0;
    const state = readCookie(req, stateCookie);
    res.clearCookie(stateCookie, { httpOnly: true, sameSite: 'lax', path: '/api/v1/sso', secure: req.secure });
    const flow = state === undefined ? undefined : flows.get(state);
    if (state === undefined || flow === undefined || req.query['state'] !== state) {
      refuse(res, 400, 'This sign-in was not started here, or took longer than 10 minutes. Start again.');
      return;
    }
    flows.delete(state);
    let claims: oidc.IDToken | undefined;
    try {
      // The URL the provider redirected to, as configured: behind a proxy req.url alone has no host.
      const current = new URL(settings.redirectUri);
      current.search = new URL(req.originalUrl, 'http://x').search;
      const tokens = await oidc.authorizationCodeGrant(await provider(), current, {
        pkceCodeVerifier: flow.codeVerifier,
        expectedState: state,
        expectedNonce: flow.nonce,
        idTokenExpected: true,
      });
      claims = tokens.claims();
    } catch (err) {
      console.error(`sso: sign-in refused: ${(err as Error).message}`);
      refuse(res, 403, "The identity provider's answer could not be verified, so nobody was signed in.");
      return;
    }
    if (!claims) {
      refuse(res, 403, 'The identity provider sent no ID token, so nobody was signed in.');
      return;
    }
    const rawName = claims[settings.usernameClaim] ?? claims.sub;
    const username = normaliseUsername(String(rawName));
    res.locals.identifiedAs = username.slice(0, 200);
    const groupsClaim = claims[settings.groupsClaim];
    const groups = Array.isArray(groupsClaim) ? groupsClaim.filter((g): g is string => typeof g === 'string') : [];
    const role = roleForGroups(settings, groups);
    if (usernameProblem(username)) {
      refuse(res, 403, `The identity provider's user name cannot be used here (${usernameProblem(username)}).`);
      return;
    }
    if (!role) {
      refuse(
        res,
        403,
        `${username} is in none of the groups that give access to LSCB Insight. Ask your administrator.`,
      );
      return;
    }
    const user = await signInBySso(warehouse, username, role);
    if (!user) {
      refuse(res, 403, `The account ${username} is disabled in LSCB Insight.`);
      return;
    }
    beginSession(req, res, user);
    // The request ends signed in: the access log's row names the user and the role given.
    req.user = user;
    res.redirect(303, '/');
  });

  return router;
}
