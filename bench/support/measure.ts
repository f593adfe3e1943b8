import { spawn } from 'node:child_process';
import { resolve } from 'node:path';
import { projectRoot } from '../../sql/warehouse.ts';

export interface Measured {
  seconds: number;
  peakRssMb: number;
  stdout: string;
  stderr: string;
  status: number | null;
}

const rssProbe = resolve(projectRoot, 'bench/support/reportMaxRss.mjs');

/** Spawns a process and reads its peak memory from the line `MARKER=<kB>` it (or its wrapper) prints on stderr. */
function measureSpawn(command: string, args: string[], env: NodeJS.ProcessEnv, marker: string): Promise<Measured> {
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
      const kb = Number(new RegExp(`${marker}=(\\d+)`).exec(stderr)?.[1] ?? NaN);
      resolvePromise({
        seconds,
        peakRssMb: kb / 1024,
        stdout,
        stderr: stderr.replace(new RegExp(`\\n?${marker}=\\d+\\n?`), ''),
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
  return measureSpawn(process.execPath, ['--import', rssProbe, ...args], env, 'LSCB_BENCH_MAXRSS_KB');
}

/** A command that is not node (xmllint): wall time, and peak memory through GNU time. */
export function measureCommand(command: string, args: string[]): Promise<Measured> {
  return measureSpawn('/usr/bin/time', ['-f', 'LSCB_TIME_MAXRSS_KB=%M', command, ...args], {}, 'LSCB_TIME_MAXRSS_KB');
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
