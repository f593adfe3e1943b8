import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type express from 'express';

/** Starts the app on host:port (port 0 picks a free one) and resolves with the address. */
export function listen(app: express.Express, host: string, port: number): Promise<{ server: Server; url: string }> {
  return new Promise((resolvePromise, reject) => {
    const server = app.listen(port, host);
    server.once('error', reject);
    server.once('listening', () => {
      const address = server.address() as AddressInfo;
      const shownHost = address.family === 'IPv6' ? `[${address.address}]` : address.address;
      resolvePromise({ server, url: `http://${shownHost}:${address.port}/` });
    });
  });
}
