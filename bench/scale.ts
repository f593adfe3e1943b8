/**
 * `npm run bench -- scale` (issue 17): the national-scale figures, each measured in the same run,
 * beside the previous run's. The demo (LSCB_SCALE_CHILDREN children, default 12,000,000: all of
 * England) is generated once and kept under bench/out/gen-N; every step then runs in its own process:
 *   1. the canonical CSV load into a fresh warehouse (`--no-precompute`, so it is the load alone),
 *      against DuckDB's own read_csv of the same files; then, in its own process, what the load
 *      precomputes by default (the latest quarter's pack and scorecard, metrics/precomputed.ts);
 *   2. the latest CIN census year loaded into a copy of that warehouse (`--no-precompute` again),
 *      against xmllint --stream; the census read alone (bench/support/stageCensus.ts); and the
 *      floor, that read and then DuckDB's read_csv of its staged rows into empty tables
 *      (bench/support/insertStagedCensus.ts);
 *   3. `lscb metrics` for the quarter ending 2026-03-31, reading the per-quarter facts the load's
 *      precompute kept (metrics/periodResults.ts), and on a copy with none kept (from the records);
 *   4. the board pack: built cold in a fresh process (the kept facts read) and then from the
 *      server's ResultCache; the previous quarter's, cold; read as precomputed by another fresh
 *      process (the server after a restart, a report); and on a copy with nothing kept;
 *   5. `lscb report --pdf` for that quarter.
 * It measures and prints; nothing is asserted. A step that fails prints one line and the next runs.
 * This run's figures go to bench/out/scale-N.json, which the next run prints beside its own.
 */
import { copyFileSync, existsSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { projectRoot } from '../sql/warehouse.ts';
import { buildClientIfStale } from '../report/clientBuild.ts';
import { demoExtracts } from './load.ts';
import { machineLoad } from './profile.ts';
import { fmt, lscb, measureCommand, measureNode, type Measured } from './support/measure.ts';

const outDir = resolve(projectRoot, 'bench/out');
const quarter = { from: '2026-01-01', to: '2026-03-31' };

type Unit = 's' | 'ms' | 'MB' | 'MB/s' | '×';

interface Row {
  key: string;
  step: string;
  unit: Unit;
  target?: { op: '<' | '≤' | '≥'; limit: number; label: string };
}

/** What one run stores, and the next reads back. */
export interface ScaleRun {
  children: number;
  at: string;
  loadAverage: { start: string; end: string };
  figures: Record<string, number>;
  failures: Record<string, string>;
}

const rows: Row[] = [
  { key: 'csv.ours.seconds', step: '1. CSV load: lscb load, wall', unit: 's' },
  {
    key: 'csv.ours.peak',
    step: '1. CSV load: lscb load, peak',
    unit: 'MB',
    target: { op: '≤', limit: 2048, label: '≤ 2 GB' },
  },
  { key: 'csv.plain.seconds', step: '1. CSV load: DuckDB read_csv, wall', unit: 's' },
  { key: 'csv.plain.peak', step: '1. CSV load: DuckDB read_csv, peak', unit: 'MB' },
  {
    key: 'csv.ratio',
    step: '1. CSV load: lscb / read_csv',
    unit: '×',
    target: { op: '≤', limit: 1.3, label: '≤ 1.3×' },
  },
  { key: 'precompute.seconds', step: '1. after the load: precomputing pack and scorecard', unit: 's' },
  { key: 'precompute.peak', step: '1. after the load: precomputing, peak', unit: 'MB' },
  {
    key: 'census.mbps',
    step: '2. CIN census 2026: lscb load',
    unit: 'MB/s',
    target: { op: '≥', limit: 100, label: '≥ 100 MB/s' },
  },
  { key: 'census.seconds', step: '2. CIN census 2026: lscb load, wall', unit: 's' },
  { key: 'census.peak', step: '2. CIN census 2026: lscb load, peak', unit: 'MB' },
  { key: 'census.xmllint.seconds', step: '2. CIN census 2026: xmllint --stream, wall', unit: 's' },
  { key: 'census.xmllint.peak', step: '2. CIN census 2026: xmllint --stream, peak', unit: 'MB' },
  {
    key: 'census.ratio',
    step: '2. CIN census 2026: lscb / xmllint',
    unit: '×',
    target: { op: '≤', limit: 1.6, label: '≤ 1.6×' },
  },
  // The read alone (staging by the workers, nothing after it): the part a parser's speed bounds.
  { key: 'census.read.seconds', step: '2. CIN census 2026: its read alone (staging), wall', unit: 's' },
  { key: 'census.read.ratio', step: '2. CIN census 2026: its read alone / xmllint', unit: '×' },
  // The floor: the read, then DuckDB's read_csv of what it staged into empty tables, nothing checked
  // or merged. No load that reads the census this way and stores its rows in DuckDB can take less.
  { key: 'census.floor.insert', step: '2. CIN census 2026: its staged rows by read_csv, wall', unit: 's' },
  { key: 'census.floor.ratio', step: '2. CIN census 2026: floor (read + read_csv) / xmllint', unit: '×' },
  { key: 'census.floor.cpuRatio', step: '2. CIN census 2026: floor / xmllint, CPU', unit: '×' },
  // CPU beside wall: on a machine whose cores are all busy through the load, only less work shortens it.
  { key: 'census.cpu', step: '2. CIN census 2026: lscb load, CPU (all threads)', unit: 's' },
  { key: 'census.xmllint.cpu', step: '2. CIN census 2026: xmllint --stream, CPU', unit: 's' },
  { key: 'census.cpuRatio', step: '2. CIN census 2026: lscb / xmllint, CPU', unit: '×' },
  {
    key: 'metrics.seconds',
    step: '3. lscb metrics, one quarter, wall',
    unit: 's',
    target: { op: '<', limit: 2, label: '< 2 s' },
  },
  { key: 'metrics.peak', step: '3. lscb metrics, one quarter, peak', unit: 'MB' },
  { key: 'metrics.records.seconds', step: '3. lscb metrics, one quarter, from the records', unit: 's' },
  {
    key: 'pack.cold',
    step: '4. board pack, cold (buildBoardPack)',
    unit: 's',
    target: { op: '<', limit: 5, label: '< 5 s' },
  },
  {
    key: 'pack.previous',
    step: '4. board pack, previous quarter, cold',
    unit: 's',
    target: { op: '<', limit: 5, label: '< 5 s' },
  },
  { key: 'pack.records', step: '4. board pack, from the records', unit: 's' },
  {
    key: 'pack.cached',
    step: '4. board pack, cached (ResultCache.get)',
    unit: 'ms',
    target: { op: '<', limit: 100, label: '< 100 ms' },
  },
  {
    key: 'pack.stored',
    step: '4. board pack, precomputed, a fresh process',
    unit: 's',
    target: { op: '<', limit: 5, label: '< 5 s' },
  },
  { key: 'pack.process.seconds', step: '4. board pack process, wall', unit: 's' },
  { key: 'pack.process.peak', step: '4. board pack process, peak', unit: 'MB' },
  {
    key: 'report.seconds',
    step: '5. lscb report --pdf, wall',
    unit: 's',
    target: { op: '<', limit: 30, label: '< 30 s' },
  },
  { key: 'report.peak', step: '5. lscb report --pdf, peak (node)', unit: 'MB' },
];

/** A warehouse file, its WAL, its UPN key and its spill folder removed: the path, ready for a fresh one. */
function freshPath(name: string): string {
  const path = join(outDir, name);
  for (const p of [path, `${path}.wal`, `${path}.upn-key`, `${path}.tmp`]) rmSync(p, { force: true, recursive: true });
  return path;
}

/** The seconds a measured script printed by its own clock (its last line's JSON), not node's start-up. */
function ownClock(measured: Measured): number {
  return (JSON.parse(measured.stdout.trim().split('\n').pop()!) as { seconds: number }).seconds;
}

/** A copy of a warehouse, with its WAL and UPN key, under bench/out/name. */
function copyOf(warehouse: string, name: string): string {
  const copy = freshPath(name);
  copyFileSync(warehouse, copy);
  for (const sidecar of ['.wal', '.upn-key'])
    if (existsSync(`${warehouse}${sidecar}`)) copyFileSync(`${warehouse}${sidecar}`, `${copy}${sidecar}`);
  return copy;
}

function csvMb(dir: string): number {
  return (
    readdirSync(dir)
      .filter((f) => f.endsWith('.csv'))
      .reduce((sum, f) => sum + statSync(join(dir, f)).size, 0) / 1e6
  );
}

/** A failed child process as one line: its last non-empty line of output. */
function failure(what: string, m: Measured): Error {
  const last = `${m.stdout}\n${m.stderr}`
    .split('\n')
    .map((l) => l.trim())
    .filter(Boolean)
    .at(-1);
  return new Error(`${what} exited ${m.status}: ${last ?? '(no output)'}`);
}

function previousRun(path: string): ScaleRun | undefined {
  if (!existsSync(path)) return undefined;
  try {
    return JSON.parse(readFileSync(path, 'utf8')) as ScaleRun;
  } catch {
    return undefined;
  }
}

export async function benchScale(children: number): Promise<{ run: ScaleRun; previous: ScaleRun | undefined }> {
  const resultPath = join(outDir, `scale-${children}.json`);
  const previous = previousRun(resultPath);
  const run: ScaleRun = {
    children,
    at: new Date().toISOString(),
    loadAverage: { start: machineLoad(), end: '' },
    figures: {},
    failures: {},
  };
  const f = run.figures;
  const step = async (name: string, work: () => Promise<void>) => {
    try {
      await work();
    } catch (error) {
      const message = (error instanceof Error ? error.message : String(error)).split('\n')[0] ?? '';
      run.failures[name] = message;
      console.log(`  ${name} failed: ${message}`);
    }
  };

  const dir = await demoExtracts(children);
  const csvDir = join(dir, 'csv');
  const censusFile = join(dir, 'cin-census', 'CIN_Census_2026.xml');
  const warehouse = join(outDir, `scale-${children}.duckdb`);
  console.log(`  demo: ${dir} (${csvMb(csvDir).toFixed(0)} MB of canonical CSV)`);

  await step('1. CSV load', async () => {
    freshPath(`scale-${children}.duckdb`);
    const plain = await measureNode([
      resolve(projectRoot, 'bin/run-ts.js'),
      resolve(projectRoot, 'bench/support/plainReadCsv.ts'),
      csvDir,
      freshPath('scale-plain.duckdb'),
    ]);
    freshPath('scale-plain.duckdb');
    const ours = await lscb(['load', '--no-precompute', '--db', warehouse, '--reference-date', '2026-03-31', csvDir]);
    if (ours.status !== 0) throw failure('lscb load', ours);
    f['csv.ours.seconds'] = ours.seconds;
    f['csv.ours.peak'] = ours.peakRssMb;
    if (plain.status !== 0) throw failure('DuckDB read_csv', plain);
    f['csv.plain.seconds'] = plain.seconds;
    f['csv.plain.peak'] = plain.peakRssMb;
    f['csv.ratio'] = ours.seconds / plain.seconds;
    const precompute = await boardPackStep(warehouse, 'precompute');
    f['precompute.seconds'] = precompute.figures['precomputeSeconds'] ?? NaN;
    f['precompute.peak'] = precompute.measured.peakRssMb;
  });

  await step('2. CIN census', async () => {
    if (!existsSync(warehouse)) throw new Error(`no loaded warehouse at ${warehouse}`);
    const copy = copyOf(warehouse, `scale-${children}-census.duckdb`);
    const mb = statSync(censusFile).size / 1e6;
    const xmllint = await measureCommand('xmllint', ['--stream', '--noout', censusFile]);
    if (xmllint.status !== 0) throw failure('xmllint', xmllint);
    f['census.xmllint.seconds'] = xmllint.seconds;
    f['census.xmllint.peak'] = xmllint.peakRssMb;
    const staged = freshPath('scale-census-staged');
    const read = await measureNode([
      resolve(projectRoot, 'bin/run-ts.js'),
      resolve(projectRoot, 'bench/support/stageCensus.ts'),
      censusFile,
      staged,
    ]);
    if (read.status !== 0) throw failure('the census read', read);
    // Its own clock, from the first byte read to the last row staged: not node's start-up.
    const readSeconds = ownClock(read);
    f['census.read.seconds'] = readSeconds;
    f['census.read.ratio'] = readSeconds / xmllint.seconds;
    const insert = await measureNode([
      resolve(projectRoot, 'bin/run-ts.js'),
      resolve(projectRoot, 'bench/support/insertStagedCensus.ts'),
      staged,
      freshPath('scale-census-floor.duckdb'),
    ]);
    freshPath('scale-census-floor.duckdb');
    freshPath('scale-census-staged');
    if (insert.status !== 0) throw failure('read_csv of the staged census', insert);
    f['census.floor.insert'] = ownClock(insert);
    f['census.floor.ratio'] = (readSeconds + ownClock(insert)) / xmllint.seconds;
    f['census.floor.cpuRatio'] = (read.cpuSeconds + insert.cpuSeconds) / xmllint.cpuSeconds;
    const ours = await lscb(['load', '--no-precompute', '--db', copy, censusFile]);
    freshPath(`scale-${children}-census.duckdb`);
    if (ours.status !== 0) throw failure('lscb load', ours);
    f['census.mb'] = mb;
    f['census.seconds'] = ours.seconds;
    f['census.peak'] = ours.peakRssMb;
    f['census.mbps'] = mb / ours.seconds;
    f['census.ratio'] = ours.seconds / xmllint.seconds;
    f['census.cpu'] = ours.cpuSeconds;
    f['census.xmllint.cpu'] = xmllint.cpuSeconds;
    f['census.cpuRatio'] = ours.cpuSeconds / xmllint.cpuSeconds;
  });

  const metricsOf = async (db: string) => {
    const m = await lscb(['metrics', '--db', db, '--from', quarter.from, '--to', quarter.to]);
    if (m.status !== 0) throw failure('lscb metrics', m);
    return m;
  };
  await step('3. lscb metrics', async () => {
    if (!existsSync(warehouse)) throw new Error(`no loaded warehouse at ${warehouse}`);
    const m = await metricsOf(warehouse);
    f['metrics.seconds'] = m.seconds;
    f['metrics.peak'] = m.peakRssMb;
    // The same quarter with nothing kept: what the load's precompute paid for it.
    const copy = copyOf(warehouse, `scale-${children}-records.duckdb`);
    try {
      await boardPackStep(copy, 'forget');
      f['metrics.records.seconds'] = (await metricsOf(copy)).seconds;
    } finally {
      freshPath(`scale-${children}-records.duckdb`);
    }
  });

  await step('4. board pack', async () => {
    if (!existsSync(warehouse)) throw new Error(`no loaded warehouse at ${warehouse}`);
    const cold = await boardPackStep(warehouse, 'cold');
    f['pack.cold'] = cold.figures['coldSeconds'] ?? NaN;
    f['pack.cached'] = (cold.figures['cachedSeconds'] ?? NaN) * 1000;
    f['pack.process.seconds'] = cold.measured.seconds;
    f['pack.process.peak'] = cold.measured.peakRssMb;
    f['pack.previous'] = (await boardPackStep(warehouse, 'previous')).figures['previousSeconds'] ?? NaN;
    f['pack.stored'] = (await boardPackStep(warehouse, 'stored')).figures['storedSeconds'] ?? NaN;
    const copy = copyOf(warehouse, `scale-${children}-records.duckdb`);
    try {
      f['pack.records'] = (await boardPackStep(copy, 'records')).figures['recordsSeconds'] ?? NaN;
    } finally {
      freshPath(`scale-${children}-records.duckdb`);
    }
  });

  await step('5. lscb report', async () => {
    if (!existsSync(warehouse)) throw new Error(`no loaded warehouse at ${warehouse}`);
    // The page is built first when stale, so the figure is the report's and not vite's.
    await buildClientIfStale();
    const pdf = freshPath(`scale-${children}.pdf`);
    const m = await lscb(['report', '--pdf', pdf, '--from', quarter.from, '--to', quarter.to, '--db', warehouse]);
    if (m.status !== 0) throw failure('lscb report', m);
    f['report.seconds'] = m.seconds;
    f['report.peak'] = m.peakRssMb;
  });

  run.loadAverage.end = machineLoad();
  return { run, previous };
}

/** One mode of bench/scaleBoardPack.ts in its own process: what it measured, and the process. */
async function boardPackStep(
  warehouse: string,
  mode: 'cold' | 'previous' | 'records' | 'forget' | 'precompute' | 'stored',
): Promise<{ figures: Record<string, number>; measured: Measured }> {
  const measured = await measureNode([
    resolve(projectRoot, 'bin/run-ts.js'),
    resolve(projectRoot, 'bench/scaleBoardPack.ts'),
    warehouse,
    mode,
  ]);
  if (measured.status !== 0) throw failure(`bench/scaleBoardPack.ts ${mode}`, measured);
  const figures = JSON.parse(measured.stdout.trim().split('\n').at(-1) ?? '{}') as Record<string, number>;
  return { figures, measured };
}

function show(value: number | undefined, unit: Unit): string {
  if (value === undefined || !Number.isFinite(value)) return '—';
  switch (unit) {
    case 's':
      return fmt.s(value);
    case 'ms':
      return `${value.toFixed(2)} ms`;
    case 'MB':
      return fmt.mb(value);
    case 'MB/s':
      return `${value.toFixed(1)} MB/s`;
    case '×':
      return fmt.x(value);
  }
}

function met(value: number | undefined, target: Row['target']): string {
  if (!target) return '';
  if (value === undefined || !Number.isFinite(value)) return '—';
  const ok =
    target.op === '<' ? value < target.limit : target.op === '≤' ? value <= target.limit : value >= target.limit;
  return ok ? 'yes' : 'no';
}

/** The demo's size: issue 17 asks its board pack for < 150 ms cold, where 12 M's asks < 5 s. */
const demoChildren = 60_000;
const demoPackTarget = { op: '<', limit: 0.15, label: '< 150 ms' } as const;
const demoPackRows = new Set(['pack.cold', 'pack.previous', 'pack.stored']);

/**
 * The rows with the targets of this size of run. The issue's other targets are 12 M's: a demo run
 * judged by them would print "no" against a line it was never given (its CSV load's fixed costs
 * are twice its read_csv).
 */
function rowsFor(children: number): Row[] {
  if (children > demoChildren) return rows;
  return rows.map((r) => ({ ...r, target: demoPackRows.has(r.key) ? demoPackTarget : undefined }));
}

export function printScale(run: ScaleRun, previous: ScaleRun | undefined): void {
  const mb = run.figures['census.mb'];
  console.log(
    `\nScale, ${fmt.rate(run.children)} children, quarter ${quarter.from}..${quarter.to}` +
      (mb !== undefined ? ` (CIN_Census_2026.xml ${mb.toFixed(0)} MB)` : ''),
  );
  console.log(`  at the start: ${run.loadAverage.start}`);
  console.log(`  at the end:   ${run.loadAverage.end}`);
  console.log(`  previous run: ${previous ? `${previous.at}, ${previous.loadAverage.end} at its end` : 'none'}`);
  const table = [
    ['step', 'this run', 'previous run', 'target', 'met?'],
    ...rowsFor(run.children).map((r) => [
      r.step,
      show(run.figures[r.key], r.unit),
      previous ? show(previous.figures[r.key], r.unit) : '—',
      r.target?.label ?? '',
      met(run.figures[r.key], r.target),
    ]),
  ];
  const widths = table[0]!.map((_, i) => Math.max(...table.map((line) => line[i]!.length)));
  for (const line of table)
    console.log(
      `  ${line.map((cell, i) => (i === 0 ? cell.padEnd(widths[i]!) : cell.padStart(widths[i]!))).join('  ')}`,
    );
  for (const [name, message] of Object.entries(run.failures)) console.log(`  ${name} failed: ${message}`);
  console.log('  (report peak is the node process; Chromium runs in processes of its own)');
}

/** Prints the run, then stores it for the next one to print beside its own. */
export function printAndStoreScale(run: ScaleRun, previous: ScaleRun | undefined): void {
  printScale(run, previous);
  writeFileSync(join(outDir, `scale-${run.children}.json`), `${JSON.stringify(run, null, 2)}\n`);
}

export function scaleChildren(): number {
  return Number(process.env['LSCB_SCALE_CHILDREN'] ?? 12_000_000);
}

/** `node bin/run-ts.js bench/scale.ts`: this section alone (LSCB_SCALE_CHILDREN, default 12,000,000). */
if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const { run, previous } = await benchScale(scaleChildren());
  printAndStoreScale(run, previous);
}
