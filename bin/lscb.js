#!/usr/bin/env node
// The `lscb` command: registers the TypeScript loader, then hands over to the dispatcher.
// DuckDB's node bindings do their work on libuv's thread pool (4 threads by default); a larger pool
// keeps a busy server from starving it. It must be set before anything uses the pool, hence the
// dynamic imports below.
process.env.UV_THREADPOOL_SIZE ??= '16';
// Everything this command writes (the warehouse, its WAL, PDFs, staged and uploaded extracts) holds
// data about children: owner-only, whatever the umask of the shell it was started from.
process.umask(0o077);
const { register } = await import('tsx/esm/api');

register();
const { main } = await import('./cli/main.ts');
process.exitCode = await main(process.argv.slice(2));
