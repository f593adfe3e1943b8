import type { Server } from 'node:http';
import { createApp, type AppOptions } from '../../server/app.ts';
import { listen } from '../../server/listen.ts';

/** The real Express app on a free loopback port. */
export async function startTestServer(options: AppOptions): Promise<{ url: string; close: () => Promise<void> }> {
  const { server, url } = await listen(createApp(options), '127.0.0.1', 0);
  return { url, close: () => closeServer(server) };
}

function closeServer(server: Server): Promise<void> {
  return new Promise((resolve) => {
    server.closeAllConnections();
    server.close(() => resolve());
  });
}
