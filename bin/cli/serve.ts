import { existsSync } from 'node:fs';
import { Warehouse, defaultWarehousePath } from '../../sql/warehouse.ts';
import { createApp, builtClientDir } from '../../server/app.ts';
import { demoLogins, ensureDemoUsers, ensureFirstAdmin } from '../../server/auth/index.ts';
import { listen } from '../../server/listen.ts';
import { ssoSettings } from '../../server/auth/ssoSettings.ts';
import { configPath, ssoConfigSection } from '../../sql/config.ts';
import { sweepLeftoverTempDirs } from '../../etl/staging/privateTemp.ts';
import { parseFlags, positiveInteger, UsageError, type Command } from './command.ts';

export const command: Command = {
  name: 'serve',
  summary: 'Serve the board pages and the API on loopback',
  help: `Usage: lscb serve [--db FILE] [--host HOST] [--port PORT] [--trust-proxy ADDR]

Serves the built client (dist/client, from 'npm run build') and the API at /api/v1.
Binds to 127.0.0.1 unless told otherwise: to serve other people, put a TLS-terminating proxy in
front and pass --trust-proxy loopback (see docs/SECURITY.md).

On a warehouse with no users, creates the user 'admin' and prints a one-time password. On the demo
warehouse (loaded by 'lscb demo'), the documented demo logins exist: board/demo-board,
officer/demo-officer, admin/demo-admin — never on real data.

The server writes to the warehouse (users, the access log, uploads), so 'lscb load' and
'lscb users' cannot run while it does: DuckDB lets one process write a file.

Options:
  --db FILE            warehouse file (default ${defaultWarehousePath})
  --host HOST          address to bind (default 127.0.0.1)
  --port PORT          port (default 3000)
  --trust-proxy ADDR   Express 'trust proxy' for a TLS proxy in front (e.g. loopback)`,
  async run(argv) {
    const { values } = parseFlags('serve', argv, {
      db: { type: 'string' },
      host: { type: 'string', default: '127.0.0.1' },
      port: { type: 'string' },
      'trust-proxy': { type: 'string' },
    });
    const dbPath = values.db ?? defaultWarehousePath;
    await serveWarehouse(
      dbPath,
      values.host ?? '127.0.0.1',
      positiveInteger('serve', 'port', values.port, 3000),
      values['trust-proxy'],
    );
    return await new Promise<number>(() => {}); // runs until interrupted
  },
};

/** The demo warehouse is the one `lscb demo` loaded: it gets the documented demo logins. */
async function isDemoWarehouse(warehouse: Warehouse): Promise<boolean> {
  const [row] = await warehouse.query<{ n: number }>(
    "SELECT count(*)::INTEGER AS n FROM loads WHERE loaded_by = 'lscb demo'",
  );
  return (row?.n ?? 0) > 0;
}

export async function serveWarehouse(dbPath: string, host: string, port: number, trustProxy?: string): Promise<string> {
  if (!existsSync(dbPath))
    throw new UsageError(`lscb serve: no warehouse at ${dbPath}. Run 'lscb demo' or 'lscb load' first.`);
  let warehouse: Warehouse;
  try {
    warehouse = await Warehouse.open(dbPath);
  } catch (err) {
    throw new UsageError(
      `lscb serve: cannot open ${dbPath} (${(err as Error).message.split('\n')[0]}). Is another lscb process using it?`,
    );
  }
  // Uploads and staging a killed server or load left behind hold extracts: gone at the next start.
  const swept = sweepLeftoverTempDirs();
  if (swept > 0)
    console.log(
      `Removed ${swept} temporary folder${swept === 1 ? '' : 's'} left by an earlier process that was stopped.`,
    );
  const demo = await isDemoWarehouse(warehouse);
  if (demo) {
    await ensureDemoUsers(warehouse);
  } else {
    const password = await ensureFirstAdmin(warehouse);
    if (password)
      console.log(`No users yet: created 'admin' with the one-time password ${password} (change it at first sign-in).`);
  }
  let sso;
  try {
    sso = ssoSettings(ssoConfigSection());
  } catch (err) {
    warehouse.close();
    throw new UsageError(`lscb serve: ${configPath()}: ${(err as Error).message}`);
  }
  const { url } = await listen(
    createApp({ warehouse, auth: { demo, ...(sso ? { sso } : {}) }, trustProxy, warmPacks: true }),
    host,
    port,
  );
  if (sso) console.log(`Single sign-on through ${sso.issuer.href} (callback ${sso.redirectUri.href}).`);
  if (!existsSync(builtClientDir))
    console.warn(`The client is not built (${builtClientDir}); run 'npm run build'. The API is up.`);
  console.log(`LSCB Insight is serving ${dbPath} at ${url}`);
  if (demo)
    console.log(
      `Demo logins (fictional data only): ${demoLogins.map((l) => `${l.username} / ${l.password}`).join(', ')}`,
    );
  return url;
}
