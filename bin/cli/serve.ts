import { existsSync } from 'node:fs';
import { Warehouse, defaultWarehousePath } from '../../sql/warehouse.ts';
import { createApp, builtClientDir } from '../../server/app.ts';
import { listen } from '../../server/listen.ts';
import { parseFlags, positiveInteger, UsageError, type Command } from './command.ts';

export const command: Command = {
  name: 'serve',
  summary: 'Serve the board pages and the API on loopback',
  help: `Usage: lscb serve [--db FILE] [--host HOST] [--port PORT]

Serves the built client (dist/client, from 'npm run build') and the API at /api/v1.
Binds to 127.0.0.1 unless told otherwise: put a TLS-terminating proxy in front to serve others.

Options:
  --db FILE     warehouse file (default ${defaultWarehousePath}), opened read-only
  --host HOST   address to bind (default 127.0.0.1)
  --port PORT   port (default 3000)`,
  async run(argv) {
    const { values } = parseFlags('serve', argv, {
      db: { type: 'string' },
      host: { type: 'string', default: '127.0.0.1' },
      port: { type: 'string' },
    });
    const dbPath = values.db ?? defaultWarehousePath;
    await serveWarehouse(dbPath, values.host ?? '127.0.0.1', positiveInteger('serve', 'port', values.port, 3000));
    return await new Promise<number>(() => {}); // runs until interrupted
  },
};

export async function serveWarehouse(dbPath: string, host: string, port: number): Promise<string> {
  if (!existsSync(dbPath)) throw new UsageError(`lscb serve: no warehouse at ${dbPath}. Run 'lscb demo' or 'lscb load' first.`);
  const warehouse = await Warehouse.open(dbPath, { readOnly: true });
  const { url } = await listen(createApp({ warehouse }), host, port);
  if (!existsSync(builtClientDir)) console.warn(`The client is not built (${builtClientDir}); run 'npm run build'. The API is up.`);
  console.log(`LSCB Insight is serving ${dbPath} at ${url}`);
  return url;
}
