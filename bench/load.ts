import { existsSync, mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { cinCensusXmlReader } from '../etl/readers/cinCensusXml.ts';
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
  /** The same census files loaded with LSCB_XML_PARSER=saxes: no tag scanner. */
  xmlLoadSaxes: { seconds: number; peakRssMb: number; mbPerSecond: number };
  /**
   * Reading alone (the reader's stage(), one file after another, in this process), MB/s of wall time
   * and of this process's CPU time (less moved by other work on a shared machine).
   */
  xmlStage: { scanner: number; saxes: number; scannerCpu: number; saxesCpu: number };
}

const outDir = resolve(projectRoot, 'bench/out');

function folderBytes(dir: string, suffix: string): number {
  return readdirSync(dir).filter((f) => f.endsWith(suffix)).reduce((sum, f) => sum + statSync(join(dir, f)).size, 0);
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

  const plain = await measureNode([resolve(projectRoot, 'bin/run-ts.js'), resolve(projectRoot, 'bench/support/plainReadCsv.ts'), csvDir, freshDb('plain.duckdb')]);
  if (plain.status !== 0) throw new Error(plain.stderr);
  const ours = await lscb(['load', '--db', freshDb(`load-csv-${children}.duckdb`), '--reference-date', '2026-03-31', csvDir]);
  if (ours.status !== 0) throw new Error(ours.stdout + ours.stderr);
  const xml = await lscb(['load', '--db', freshDb(`load-xml-${children}.duckdb`), xmlDir]);
  if (xml.status !== 0) throw new Error(xml.stdout + xml.stderr);
  const saxesLoad = ['load', '--db', freshDb(`load-xml-saxes-${children}.duckdb`), xmlDir];
  const xmlSaxes = await measureNode([resolve(projectRoot, 'bin/lscb.js'), ...saxesLoad], { LSCB_XML_PARSER: 'saxes' });
  if (xmlSaxes.status !== 0) throw new Error(xmlSaxes.stdout + xmlSaxes.stderr);

  const xmlMb = folderBytes(xmlDir, '.xml') / 1e6;
  const stageSeconds = await censusStageSeconds(xmlDir);
  return {
    children,
    csvMb: folderBytes(csvDir, '.csv') / 1e6,
    ourCsvLoad: { seconds: ours.seconds, peakRssMb: ours.peakRssMb },
    plainReadCsv: { seconds: plain.seconds, peakRssMb: plain.peakRssMb },
    ratio: ours.seconds / plain.seconds,
    xmlMb,
    xmlLoad: { seconds: xml.seconds, peakRssMb: xml.peakRssMb, mbPerSecond: xmlMb / xml.seconds },
    xmlLoadSaxes: { seconds: xmlSaxes.seconds, peakRssMb: xmlSaxes.peakRssMb, mbPerSecond: xmlMb / xmlSaxes.seconds },
    xmlStage: {
      scanner: xmlMb / stageSeconds.scanner.wall,
      saxes: xmlMb / stageSeconds.saxes.wall,
      scannerCpu: xmlMb / stageSeconds.scanner.cpu,
      saxesCpu: xmlMb / stageSeconds.saxes.cpu,
    },
  };
}

/**
 * The census reader alone, with each parser: every file staged in turn, on one core, into a
 * temporary folder. The parsers take turns file by file, so a burst of other work on the machine
 * does not land on one of them only.
 */
async function censusStageSeconds(xmlDir: string) {
  const files = readdirSync(xmlDir).filter((f) => f.endsWith('.xml')).sort();
  const seconds = { scanner: { wall: 0, cpu: 0 }, saxes: { wall: 0, cpu: 0 } };
  const previous = process.env['LSCB_XML_PARSER'];
  const stagingDir = mkdtempSync(join(tmpdir(), 'lscb-bench-census-'));
  try {
    for (const file of files) {
      for (const parser of ['scanner', 'saxes'] as const) {
        if (parser === 'saxes') process.env['LSCB_XML_PARSER'] = 'saxes';
        else delete process.env['LSCB_XML_PARSER'];
        const started = performance.now();
        const cpu = process.cpuUsage();
        await cinCensusXmlReader.stage(join(xmlDir, file), { stagingDir });
        const used = process.cpuUsage(cpu);
        seconds[parser].wall += (performance.now() - started) / 1000;
        seconds[parser].cpu += (used.user + used.system) / 1e6;
        for (const staged of readdirSync(stagingDir)) rmSync(join(stagingDir, staged), { recursive: true, force: true });
      }
    }
  } finally {
    if (previous === undefined) delete process.env['LSCB_XML_PARSER'];
    else process.env['LSCB_XML_PARSER'] = previous;
    rmSync(stagingDir, { recursive: true, force: true });
  }
  return seconds;
}

export function printLoad(b: LoadBench): void {
  console.log(`\nLoad, ${fmt.rate(b.children)} children`);
  console.log(`  canonical CSV ${b.csvMb.toFixed(0)} MB: lscb load ${fmt.s(b.ourCsvLoad.seconds)} (peak ${fmt.mb(b.ourCsvLoad.peakRssMb)}), ` +
    `DuckDB read_csv ${fmt.s(b.plainReadCsv.seconds)} (peak ${fmt.mb(b.plainReadCsv.peakRssMb)}): ratio ${fmt.x(b.ratio)} (target ≤ 2×)`);
  console.log(`  CIN census XML ${b.xmlMb.toFixed(0)} MB: ${fmt.s(b.xmlLoad.seconds)}, ${b.xmlLoad.mbPerSecond.toFixed(1)} MB/s (target ≥ 50), ` +
    `peak ${fmt.mb(b.xmlLoad.peakRssMb)} (target < 1,500 MB)`);
  console.log(`  the same with saxes only (LSCB_XML_PARSER=saxes): ${fmt.s(b.xmlLoadSaxes.seconds)}, ` +
    `${b.xmlLoadSaxes.mbPerSecond.toFixed(1)} MB/s, peak ${fmt.mb(b.xmlLoadSaxes.peakRssMb)}; ` +
    `tag scanner ${fmt.x(b.xmlLoadSaxes.seconds / b.xmlLoad.seconds)} faster`);
  const stage = b.xmlStage;
  console.log(`  reading alone (stage, one core): tag scanner ${stage.scanner.toFixed(1)} MB/s, ` +
    `saxes ${stage.saxes.toFixed(1)} MB/s (${fmt.x(stage.scanner / stage.saxes)}); per CPU second ` +
    `${stage.scannerCpu.toFixed(1)} and ${stage.saxesCpu.toFixed(1)} MB/s (${fmt.x(stage.scannerCpu / stage.saxesCpu)})`);
}

/** `node bin/run-ts.js bench/load.ts [CHILDREN]`: this section alone (default 200,000 children). */
if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  printLoad(await benchLoad(Number(process.argv[2] ?? 200_000)));
}
