import type { Server } from 'node:http';
import { createApp, type AppOptions } from '../../server/app.ts';
import { demoLogins, ensureDemoUsers, type Role } from '../../server/auth/index.ts';
import { listen } from '../../server/listen.ts';
import { Browser } from './authApp.ts';

export interface TestServer {
  url: string;
  /** A signed-in client (cookie and CSRF token kept) for the demo user of that role. */
  as(role: Role): Promise<Browser>;
  close(): Promise<void>;
}

/** The real Express app on a free loopback port, with the documented demo users to sign in as. */
export async function startTestServer(options: AppOptions): Promise<TestServer> {
  await ensureDemoUsers(options.warehouse);
  const { server, url } = await listen(createApp(options), '127.0.0.1', 0);
  return {
    url,
    async as(role) {
      const login = demoLogins.find((l) => l.role === role)!;
      const client = new Browser(url);
      const reply = await client.signIn(login.username, login.password);
      if (reply.status !== 200) throw new Error(`could not sign in as ${role}: ${reply.status} ${reply.text}`);
      await client.get('/api/v1/session'); // picks up the CSRF token
      return client;
    },
    close: () => closeServer(server),
  };
}

function closeServer(server: Server): Promise<void> {
  return new Promise((resolve) => {
    server.closeAllConnections();
    server.close(() => resolve());
  });
}
