import { UsageError, type Command } from './command.ts';

// Each subcommand lives in its own module and is only imported when used, so `lscb --help` stays instant.
const commands: Record<string, () => Promise<Command>> = {
  demo: async () => (await import('./demo.ts')).command,
  indicators: async () => (await import('./indicators.ts')).command,
  load: async () => (await import('./load.ts')).command,
  metrics: async () => (await import('./metrics.ts')).command,
  quality: async () => (await import('./quality.ts')).command,
  report: async () => (await import('./report.ts')).command,
  serve: async () => (await import('./serve.ts')).command,
  sql: async () => (await import('./sql.ts')).command,
  start: async () => (await import('./start.ts')).command,
  users: async () => (await import('./users.ts')).command,
  validate: async () => (await import('./validate.ts')).command,
};

const overview = `lscb — LSCB Insight: neglect prevalence, repeat plans, drift and disproportionality for a safeguarding partnership.

Usage: lscb <command> [options]

Commands:
  demo      Generate the fictional demo local authority and load it
  indicators  List, add and set targets for the strategy's indicators; record notes of practice
  load      Load extract files into the warehouse
  metrics   Print the figures of METRICS.md for a period
  quality   List loads and rejected rows (data quality)
  report    Write the quarterly board pack as a PDF
  serve     Serve the board pages and the API on loopback
  sql       Print a registry query as SQL to run in the DuckDB shell
  start     Build the client, make the demo warehouse if absent, and serve it (what 'npm start' runs)
  users     Add, list and disable the people who may sign in
  validate  Check CIN census files against the DfE rules without loading them

'lscb <command> --help' shows each command's options.`;

export async function main(argv: string[]): Promise<number> {
  const [name, ...rest] = argv;
  if (!name || name === '--help' || name === '-h' || name === 'help') {
    console.log(overview);
    return name ? 0 : 2;
  }
  const load = commands[name];
  if (!load) {
    console.error(`lscb: unknown command '${name}'.\n\n${overview}`);
    return 2;
  }
  const command = await load();
  if (rest.includes('--help') || rest.includes('-h')) {
    console.log(command.help);
    return 0;
  }
  try {
    return await command.run(rest);
  } catch (err) {
    if (err instanceof UsageError) {
      console.error(err.message);
      return 2;
    }
    // A person at a terminal gets one line saying what failed; LSCB_DEBUG=1 shows the stack.
    if (process.env['LSCB_DEBUG'] === '1') throw err;
    console.error(`lscb ${name}: ${err instanceof Error ? err.message : String(err)}`);
    return 1;
  }
}
