import { spawn } from 'node:child_process';
import { resolve } from 'node:path';
import { projectRoot } from '../../sql/warehouse.ts';

export interface Measured {
  seconds: number;
  peakRssMb: number;
  /** CPU time, user + system, of every thread of the process. */
  cpuSeconds: number;
  stdout: string;
  stderr: string;
  status: number | null;
}

const rssProbe = resolve(projectRoot, 'bench/support/reportMaxRss.mjs');

/** The names of the lines a measured process (or its wrapper) prints on stderr: `<rss>=<kB>`, `<cpu>=<user s>+<system s>`. */
interface Markers {
  rss: string;
  cpu: string;
}

/** Spawns a process and reads its peak memory and CPU time from the marker lines it prints on stderr. */
function measureSpawn(command: string, args: string[], env: NodeJS.ProcessEnv, markers: Markers): Promise<Measured> {
  return new Promise((resolvePromise, reject) => {
    const started = process.hrtime.bigint();
    const child = spawn(command, args, { cwd: projectRoot, env: { ...process.env, ...env } });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    child.on('error', reject);
    child.on('close', (status) => {
      const seconds = Number(process.hrtime.bigint() - started) / 1e9;
      const kb = Number(new RegExp(`${markers.rss}=(\\d+)`).exec(stderr)?.[1] ?? NaN);
      const cpu = new RegExp(`${markers.cpu}=([\\d.]+)\\+([\\d.]+)`).exec(stderr);
      resolvePromise({
        seconds,
        peakRssMb: kb / 1024,
        cpuSeconds: cpu ? Number(cpu[1]) + Number(cpu[2]) : NaN,
        stdout,
        stderr: stderr.replace(new RegExp(`\\n?(${markers.rss}|${markers.cpu})=[\\d.+]+`, 'g'), '').trimEnd(),
        status,
      });
    });
  });
}

/**
 * Runs `node ARGS` as its own process, so its wall time and peak memory are its own and not the
 * benchmark harness's.
 */
export function measureNode(args: string[], env: NodeJS.ProcessEnv = {}): Promise<Measured> {
  return measureSpawn(process.execPath, ['--import', rssProbe, ...args], env, {
    rss: 'LSCB_BENCH_MAXRSS_KB',
    cpu: 'LSCB_BENCH_CPU_S',
  });
}

/** A command that is not node (xmllint): wall time, and peak memory and CPU time through GNU time. */
export function measureCommand(command: string, args: string[]): Promise<Measured> {
  const format = 'LSCB_TIME_MAXRSS_KB=%M\nLSCB_TIME_CPU_S=%U+%S';
  return measureSpawn(
    '/usr/bin/time',
    ['-f', format, command, ...args],
    {},
    {
      rss: 'LSCB_TIME_MAXRSS_KB',
      cpu: 'LSCB_TIME_CPU_S',
    },
  );
}

export function lscb(args: string[]): Promise<Measured> {
  return measureNode([resolve(projectRoot, 'bin/lscb.js'), ...args]);
}

export const fmt = {
  s: (n: number) => `${n.toFixed(2)} s`,
  mb: (n: number) => `${n.toFixed(0)} MB`,
  rate: (n: number) => Intl.NumberFormat('en-GB', { maximumFractionDigits: 0 }).format(n),
  x: (n: number) => `${n.toFixed(2)}×`,
};
