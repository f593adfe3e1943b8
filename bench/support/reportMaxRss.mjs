// Preloaded into a measured process (node --import): reports its peak resident memory and its CPU
// time (every thread's, workers and DuckDB's included: user + system, in seconds) on exit.
process.on('exit', () => {
  const usage = process.resourceUsage();
  const cpu = `${usage.userCPUTime / 1e6}+${usage.systemCPUTime / 1e6}`;
  process.stderr.write(`\nLSCB_BENCH_MAXRSS_KB=${usage.maxRSS}\nLSCB_BENCH_CPU_S=${cpu}\n`);
});
