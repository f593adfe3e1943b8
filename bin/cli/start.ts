import { existsSync } from 'node:fs';
import { build } from 'vite';
import { defaultWarehousePath, projectRoot } from '../../sql/warehouse.ts';
import { loadDemoWarehouse } from '../../etl/load/demoWarehouse.ts';
import { describeLoad } from './load.ts';
import { serveWarehouse } from './serve.ts';
import { parseFlags, positiveInteger, type Command } from './command.ts';

export const command: Command = {
  name: 'start',
  summary: "Build the client, make the demo warehouse if absent, and serve it (what 'npm start' runs)",
  help: `Usage: lscb start [--db FILE] [--host HOST] [--port PORT]

What 'npm start' runs on a fresh clone:
  1. builds the client (vite build → dist/client);
  2. if the warehouse file does not exist, generates the demo local authority (data/demo) and loads it;
  3. serves the board pack and the API, and prints the address.

Options:
  --db FILE     warehouse file (default ${defaultWarehousePath})
  --host HOST   address to bind (default 127.0.0.1)
  --port PORT   port (default 3000, or $PORT)`,
  async run(argv) {
    const { values } = parseFlags('start', argv, {
      db: { type: 'string' },
      host: { type: 'string', default: '127.0.0.1' },
      port: { type: 'string' },
    });
    const dbPath = values.db ?? defaultWarehousePath;
    const port = positiveInteger('start', 'port', values.port ?? process.env['PORT'], 3000);

    console.log('Building the client ...');
    await build({ root: `${projectRoot}/client`, configFile: `${projectRoot}/vite.config.ts`, logLevel: 'warn' });

    if (!existsSync(dbPath)) {
      console.log(`No warehouse at ${dbPath}: loading the demo local authority.`);
      await loadDemoWarehouse({
        dbPath,
        log: (line) => console.log(line),
        onFile: (r) => console.log(describeLoad(r)),
      });
    }
    await serveWarehouse(dbPath, values.host ?? '127.0.0.1', port);
    console.log('Open the address above in a browser and sign in. Stop with Ctrl+C.');
    return await new Promise<number>(() => {});
  },
};
