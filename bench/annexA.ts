import { readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { projectRoot } from '../sql/warehouse.ts';
import { demoExtracts } from './load.ts';
import { fmt, lscb, measureNode } from './support/measure.ts';

/**
 * Annex A (issue 11): `lscb load` of the large LA's workbook, time and peak memory, in a fresh
 * process and warehouse; and, in the same run, reading every sheet alone with the product's
 * streaming reader against read-excel-file parsing each sheet whole (what the reader did before),
 * each in a process of its own.
 */
export interface AnnexABench {
  children: number;
  workbookMb: number;
  rows: number;
  load: { seconds: number; peakRssMb: number };
  readStream: { seconds: number; peakRssMb: number };
  readWhole: { seconds: number; peakRssMb: number };
}

const outDir = resolve(projectRoot, 'bench/out');
const readSheets = resolve(projectRoot, 'bench/support/readWorkbookSheets.ts');
const runTs = resolve(projectRoot, 'bin/run-ts.js');

async function readAll(reader: 'stream' | 'read-excel-file', workbook: string) {
  const run = await measureNode([runTs, readSheets, reader, workbook]);
  if (run.status !== 0) throw new Error(run.stderr);
  return { seconds: run.seconds, peakRssMb: run.peakRssMb, rows: (JSON.parse(run.stdout) as { rows: number }).rows };
}

export async function benchAnnexA(children: number): Promise<AnnexABench> {
  const dir = await demoExtracts(children);
  const folder = join(dir, 'annex-a');
  const workbook = join(
    folder,
    readdirSync(folder).find((f) => f.endsWith('.xlsx'))!,
  );
  const { referenceDate } = JSON.parse(readFileSync(join(dir, 'manifest.json'), 'utf8')) as { referenceDate: string };
  const db = join(outDir, `load-annexa-${children}.duckdb`);
  rmSync(db, { force: true });
  rmSync(`${db}.wal`, { force: true });
  const load = await lscb(['load', '--db', db, '--reference-date', referenceDate, workbook]);
  if (load.status !== 0) throw new Error(load.stdout + load.stderr);
  const stream = await readAll('stream', workbook);
  const whole = await readAll('read-excel-file', workbook);
  return {
    children,
    workbookMb: statSync(workbook).size / 1e6,
    rows: stream.rows,
    load: { seconds: load.seconds, peakRssMb: load.peakRssMb },
    readStream: { seconds: stream.seconds, peakRssMb: stream.peakRssMb },
    readWhole: { seconds: whole.seconds, peakRssMb: whole.peakRssMb },
  };
}

export function printAnnexA(r: AnnexABench): void {
  console.log(
    `\nAnnex A workbook, ${r.children.toLocaleString('en-GB')} children (${r.workbookMb.toFixed(1)} MB, ${fmt.rate(r.rows)} sheet rows)`,
  );
  console.log(`  lscb load (target: peak < 300 MB)      ${fmt.s(r.load.seconds)}  peak ${fmt.mb(r.load.peakRssMb)}`);
  console.log(
    `  every sheet, streamed (this reader)     ${fmt.s(r.readStream.seconds)}  peak ${fmt.mb(r.readStream.peakRssMb)}`,
  );
  console.log(
    `  every sheet, read-excel-file (before)   ${fmt.s(r.readWhole.seconds)}  peak ${fmt.mb(r.readWhole.peakRssMb)}`,
  );
  console.log(
    `  streamed / whole                        ${fmt.x(r.readStream.seconds / r.readWhole.seconds)} the time, ${fmt.x(r.readStream.peakRssMb / r.readWhole.peakRssMb)} the memory`,
  );
}
