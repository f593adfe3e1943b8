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

/**
 * Runs `node ARGS` as its own process, so its wall time and peak memory are its own and not the
 * benchmark harness's.
 */
export function measureNode(args: string[], env: NodeJS.ProcessEnv = {}): Promise<Measured> {
  return new Promise((resolvePromise, reject) => {
    const started = process.hrtime.bigint();
    const child = spawn(process.execPath, ['--import', rssProbe, ...args], {
      cwd: projectRoot,
      env: { ...process.env, ...env },
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    child.on('error', reject);
    child.on('close', (status) => {
      const seconds = Number(process.hrtime.bigint() - started) / 1e9;
      const kb = Number(/LSCB_BENCH_MAXRSS_KB=(\d+)/.exec(stderr)?.[1] ?? NaN);
      resolvePromise({
        seconds,
        peakRssMb: kb / 1024,
        stdout,
        stderr: stderr.replace(/\nLSCB_BENCH_MAXRSS_KB=\d+\n/, ''),
        status,
      });
    });
  });
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
