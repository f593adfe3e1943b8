import { existsSync, readdirSync, rmSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { projectRoot } from '../sql/warehouse.ts';
import { fmt, lscb, measureNode } from './support/measure.ts';

export interface LoadBench {
  children: number;
  csvMb: number;
  ourCsvLoad: { seconds: number; peakRssMb: number };
  plainReadCsv: { seconds: number; peakRssMb: number };
  ratio: number;
  xmlMb: number;
  xmlLoad: { seconds: number; peakRssMb: number; mbPerSecond: number };
}

const outDir = resolve(projectRoot, 'bench/out');

function folderBytes(dir: string, suffix: string): number {
  return readdirSync(dir)
    .filter((f) => f.endsWith(suffix))
    .reduce((sum, f) => sum + statSync(join(dir, f)).size, 0);
}

/** The generator's output at N children, made once and reused by later runs. */
export async function demoExtracts(children: number): Promise<string> {
  const dir = join(outDir, `gen-${children}`);
  if (!existsSync(join(dir, 'manifest.json'))) {
    const made = await lscb(['demo', '--children', String(children), '--out', dir, '--no-load']);
    if (made.status !== 0) throw new Error(`generating ${children} children failed:\n${made.stderr}`);
  }
  return dir;
}

function freshDb(name: string): string {
  const path = join(outDir, name);
  rmSync(path, { force: true });
  rmSync(`${path}.wal`, { force: true });
  return path;
}

/**
 * ETL speed (issue 3): our load of the canonical CSV against DuckDB's own read_csv of the same
 * bytes, both in fresh processes and fresh files; and CIN census XML throughput.
 */
export async function benchLoad(children: number): Promise<LoadBench> {
  const dir = await demoExtracts(children);
  const csvDir = join(dir, 'csv');
  const xmlDir = join(dir, 'cin-census');

  const plain = await measureNode([
    resolve(projectRoot, 'bin/run-ts.js'),
    resolve(projectRoot, 'bench/support/plainReadCsv.ts'),
    csvDir,
    freshDb('plain.duckdb'),
  ]);
  if (plain.status !== 0) throw new Error(plain.stderr);
  const ours = await lscb([
    'load',
    '--db',
    freshDb(`load-csv-${children}.duckdb`),
    '--reference-date',
    '2026-03-31',
    csvDir,
  ]);
  if (ours.status !== 0) throw new Error(ours.stdout + ours.stderr);
  const xml = await lscb(['load', '--db', freshDb(`load-xml-${children}.duckdb`), xmlDir]);
  if (xml.status !== 0) throw new Error(xml.stdout + xml.stderr);

  const xmlMb = folderBytes(xmlDir, '.xml') / 1e6;
  return {
    children,
    csvMb: folderBytes(csvDir, '.csv') / 1e6,
    ourCsvLoad: { seconds: ours.seconds, peakRssMb: ours.peakRssMb },
    plainReadCsv: { seconds: plain.seconds, peakRssMb: plain.peakRssMb },
    ratio: ours.seconds / plain.seconds,
    xmlMb,
    xmlLoad: { seconds: xml.seconds, peakRssMb: xml.peakRssMb, mbPerSecond: xmlMb / xml.seconds },
  };
}

export function printLoad(b: LoadBench): void {
  console.log(`\nLoad, ${fmt.rate(b.children)} children`);
  console.log(
    `  canonical CSV ${b.csvMb.toFixed(0)} MB: lscb load ${fmt.s(b.ourCsvLoad.seconds)} (peak ${fmt.mb(b.ourCsvLoad.peakRssMb)}), ` +
      `DuckDB read_csv ${fmt.s(b.plainReadCsv.seconds)} (peak ${fmt.mb(b.plainReadCsv.peakRssMb)}): ratio ${fmt.x(b.ratio)} (target ≤ 2×)`,
  );
  console.log(
    `  CIN census XML ${b.xmlMb.toFixed(0)} MB: ${fmt.s(b.xmlLoad.seconds)}, ${b.xmlLoad.mbPerSecond.toFixed(1)} MB/s (target ≥ 50), ` +
      `peak ${fmt.mb(b.xmlLoad.peakRssMb)} (target < 1,500 MB)`,
  );
}

/** `node bin/run-ts.js bench/load.ts [CHILDREN]`: this section alone (default 200,000 children). */
if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  printLoad(await benchLoad(Number(process.argv[2] ?? 200_000)));
}
