// Preloaded into a measured process (node --import): reports its peak resident memory on exit.
process.on('exit', () => {
  process.stderr.write(`\nLSCB_BENCH_MAXRSS_KB=${process.resourceUsage().maxRSS}\n`);
});
