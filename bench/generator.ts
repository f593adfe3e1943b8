/**
 * Benchmark of the demo generator: a default-size LA and a million children, each generated in its own
 * process so its peak memory (maxRSS) belongs to that run alone.
 *
 *   node bin/run-ts.js bench/generator.ts            runs both sizes and prints a table
 *   node bin/run-ts.js bench/generator.ts --child N DIR   (internal) one run, prints a JSON line
 */
import { spawn } from 'node:child_process';
import { rm } from 'node:fs/promises';
import { resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { generateDemo } from '../etl/demo/generate.ts';

const projectRoot = fileURLToPath(new URL('..', import.meta.url));

export interface GeneratorBenchResult {
  children: number;
  seconds: number;
  /** Data rows in every file: CSV rows, CIN census children (per year), Annex A rows. */
  rows: number;
  rowsPerSecond: number;
  megabytes: number;
  peakRssMegabytes: number;
}

interface ChildReport {
  children: number;
  seconds: number;
  rows: number;
  bytes: number;
  maxRssKilobytes: number;
}

async function runChild(children: number, outDir: string): Promise<void> {
  const started = performance.now();
  const manifest = await generateDemo({ outDir, children });
  const seconds = (performance.now() - started) / 1000;
  const files = Object.values(manifest.files);
  const report: ChildReport = {
    children,
    seconds,
    rows: files.reduce((sum, f) => sum + f.rows, 0),
    bytes: files.reduce((sum, f) => sum + f.bytes, 0),
    maxRssKilobytes: process.resourceUsage().maxRSS,
  };
  console.log(JSON.stringify(report));
}

function spawnChild(children: number, outDir: string): Promise<ChildReport> {
  return new Promise((resolvePromise, reject) => {
    const child = spawn(
      process.execPath,
      [
        resolve(projectRoot, 'bin/run-ts.js'),
        resolve(projectRoot, 'bench/generator.ts'),
        '--child',
        String(children),
        outDir,
      ],
      {
        cwd: projectRoot,
        stdio: ['ignore', 'pipe', 'inherit'],
      },
    );
    let stdout = '';
    child.stdout.on('data', (chunk) => (stdout += chunk));
    child.on('error', reject);
    child.on('close', (status) => {
      const line = stdout.trim().split('\n').pop() ?? '';
      if (status !== 0 || !line.startsWith('{'))
        reject(new Error(`generator run for ${children} children failed (exit ${status})`));
      else resolvePromise(JSON.parse(line) as ChildReport);
    });
  });
}

export async function benchGenerator(
  options: { sizes?: number[]; keepOutput?: boolean } = {},
): Promise<GeneratorBenchResult[]> {
  const results: GeneratorBenchResult[] = [];
  for (const children of options.sizes ?? [60_000, 1_000_000]) {
    const outDir = resolve(projectRoot, `bench/out/gen-${children}`);
    const report = await spawnChild(children, outDir);
    if (!options.keepOutput) await rm(outDir, { recursive: true, force: true });
    results.push({
      children,
      seconds: report.seconds,
      rows: report.rows,
      rowsPerSecond: report.rows / report.seconds,
      megabytes: report.bytes / 1_048_576,
      peakRssMegabytes: report.maxRssKilobytes / 1024,
    });
  }
  return results;
}

export function formatGeneratorBench(results: GeneratorBenchResult[]): string {
  const lines = ['children     seconds   rows/s      MB written   peak RSS MB'];
  for (const r of results) {
    lines.push(
      `${String(r.children).padEnd(12)} ${r.seconds.toFixed(1).padStart(7)}   ${Math.round(r.rowsPerSecond).toString().padStart(9)}   ${r.megabytes.toFixed(0).padStart(10)}   ${r.peakRssMegabytes.toFixed(0).padStart(11)}`,
    );
  }
  return lines.join('\n');
}

const invokedDirectly =
  process.argv[1] !== undefined && import.meta.url === pathToFileURL(resolve(process.argv[1])).href;
if (invokedDirectly) {
  if (process.argv[2] === '--child') {
    await runChild(Number(process.argv[3]), String(process.argv[4]));
  } else {
    console.log(formatGeneratorBench(await benchGenerator()));
  }
}
