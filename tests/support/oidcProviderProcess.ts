// A real OpenID Connect provider (oidc-provider) as its own process on loopback, for the single
// sign-on tests. Started with: node --import tsx tests/support/oidcProviderProcess.ts ISSUER REDIRECT_URI
// It prints "listening PORT" once ready. The person who "signs in" at the provider's login step is
// set by the test with POST /test/person (JSON {sub, preferred_username, groups}): the stand-in for
// someone typing their council password at Entra ID's page.
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import Provider from 'oidc-provider';

const [issuer, redirectUri] = process.argv.slice(2) as [string, string];
let person = { sub: 'nobody', preferred_username: 'nobody', groups: [] as string[] };

const provider = new Provider(issuer, {
  clients: [
    {
      client_id: 'lscb-insight',
      client_secret: 'a-test-client-secret',
      redirect_uris: [redirectUri],
      token_endpoint_auth_method: 'client_secret_post',
      grant_types: ['authorization_code'],
      response_types: ['code'],
    },
  ],
  findAccount: async (_ctx, sub) => ({
    accountId: sub,
    claims: async () => ({ sub, preferred_username: person.preferred_username, groups: person.groups }),
  }),
  claims: { openid: ['sub'], profile: ['preferred_username', 'groups'] },
  // Claims in the ID token itself, as Entra ID sends groups.
  conformIdTokenClaims: false,
  features: { devInteractions: { enabled: false } },
  interactions: { url: (_ctx, interaction) => `/interaction/${interaction.uid}` },
  // A first-party application: the organisation has consented for its users.
  loadExistingGrant: async (ctx) => {
    const grant = new ctx.oidc.provider.Grant({
      clientId: ctx.oidc.client!.clientId,
      accountId: ctx.oidc.session!.accountId!,
    });
    grant.addOIDCScope('openid profile email');
    grant.addOIDCClaims(['preferred_username', 'groups']);
    await grant.save();
    return grant;
  },
  cookies: { keys: ['test-cookie-key'] },
});
const handle = provider.callback();

const server = createServer((req, res) => {
  if (req.method === 'POST' && req.url === '/test/person') {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      person = JSON.parse(Buffer.concat(chunks).toString('utf8')) as typeof person;
      res.writeHead(204).end();
    });
    return;
  }
  if (req.url?.startsWith('/interaction/')) {
    void provider.interactionFinished(
      req,
      res,
      { login: { accountId: person.sub } },
      { mergeWithLastSubmission: false },
    );
    return;
  }
  handle(req, res);
});
server.listen(0, '127.0.0.1', () => console.log(`listening ${(server.address() as AddressInfo).port}`));
