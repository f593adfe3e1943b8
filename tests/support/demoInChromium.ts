import { rmSync } from 'node:fs';
import type { Browser as ChromiumBrowser } from 'playwright-core';
import type { AppOptions } from '../../server/app.ts';
import type { Warehouse } from '../../sql/warehouse.ts';
import { buildClientForTest } from './buildClient.ts';
import { launchChromium } from './chromium.ts';
import { smallDemoWarehouse } from './demoWarehouse.ts';
import { startTestServer, type TestServer } from './testServer.ts';

/** What a browser test starts from: the small demo, served with the built page and demo logins, and Chromium. */
export interface DemoInChromium {
  warehouse: Warehouse;
  server: TestServer;
  browser: ChromiumBrowser;
  /** Closes Chromium, the server and the warehouse, and removes the demo's files. */
  close(): Promise<void>;
}

export async function demoInChromium(
  options: Omit<AppOptions, 'warehouse' | 'clientDir' | 'auth'> = {},
): Promise<DemoInChromium> {
  const demo = await smallDemoWarehouse();
  const server = await startTestServer({
    warehouse: demo.warehouse,
    clientDir: await buildClientForTest(),
    auth: { demo: true },
    ...options,
  });
  const browser = await launchChromium();
  return {
    warehouse: demo.warehouse,
    server,
    browser,
    async close() {
      await browser.close();
      await server.close();
      demo.warehouse.close();
      rmSync(demo.dir, { recursive: true, force: true });
    },
  };
}
