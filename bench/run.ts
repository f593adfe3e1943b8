/**
 * `npm run bench`: measures, never asserts. Each section prints what it measured in one run; the
 * figures worth keeping go into docs/BENCHMARKS.md by hand, with the date and the machine.
 *
 *   npm run bench                      everything (about 10 minutes on 2 cores)
 *   npm run bench -- generator load    only the named sections
 *   npm run bench -- annexa            the Annex A workbook: load, and streamed against whole-sheet reading
 *   npm run bench -- profile           where the large LA's board pack spends its time (EXPLAIN ANALYZE, steps)
 *   LSCB_BENCH_CHILDREN=200000 npm run bench -- load metrics   a smaller "large" LA
 *   npm run bench -- scale             all of England (12 M children; only when named): CSV and census load,
 *                                      a quarter's figures, the board pack cold and cached, the PDF, beside
 *                                      the previous run's (LSCB_SCALE_CHILDREN=200000 for a smaller one)
 */
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { projectRoot } from '../sql/warehouse.ts';
import { benchAnnexA, printAnnexA } from './annexA.ts';
import { benchArrow, printArrow } from './arrow.ts';
import { benchGenerator, formatGeneratorBench } from './generator.ts';
import { benchLoad, printLoad } from './load.ts';
import { benchMetrics, printMetrics } from './metrics.ts';
import { benchServer, printServer } from './server.ts';
import { lscb } from './support/measure.ts';

const sections = process.argv.slice(2).filter((a) => !a.startsWith('-'));
const wanted = (name: string) => sections.length === 0 || sections.includes(name);
const large = Number(process.env['LSCB_BENCH_CHILDREN'] ?? 1_000_000);
const out = resolve(projectRoot, 'bench/out');

console.log(
  `LSCB Insight benchmarks — ${new Date().toISOString()}, node ${process.version}, ${large.toLocaleString('en-GB')} children for the large LA`,
);

if (wanted('generator')) {
  console.log('\nDemo generator (each size in its own process)');
  console.log(formatGeneratorBench(await benchGenerator({ sizes: [60_000, large] })));
}

if (wanted('load')) printLoad(await benchLoad(large));

if (wanted('annexa')) printAnnexA(await benchAnnexA(large));

/** The demo LA's warehouse at its default size, built through `lscb demo` once. */
async function demoWarehouse(): Promise<string> {
  const db = join(out, 'demo-60000.duckdb');
  if (!existsSync(db)) {
    const made = await lscb(['demo', '--out', join(out, 'gen-60000'), '--db', db]);
    if (made.status !== 0) throw new Error(made.stderr);
  }
  return db;
}

if (wanted('metrics')) {
  printMetrics(await benchMetrics('demo LA (60,000 children)', await demoWarehouse()));
  const largeDb = join(out, `load-csv-${large}.duckdb`);
  if (existsSync(largeDb)) printMetrics(await benchMetrics(`${large.toLocaleString('en-GB')} children`, largeDb));
  else console.log(`  (run the load section first for the ${large.toLocaleString('en-GB')}-children figures)`);
}

if (wanted('server')) {
  const { signInForBench } = await import('./support/signIn.ts');
  printServer(
    await benchServer(await demoWarehouse(), { users: 20, seconds: 10, maxRequests: 20_000, signIn: signInForBench }),
    'board endpoints, demo LA',
  );
}

if (wanted('stall')) {
  const { benchStall, printStall } = await import('./stall.ts');
  printStall(await benchStall(await demoWarehouse()));
}

if (wanted('arrow')) printArrow(await benchArrow());

if (wanted('profile')) {
  const { benchProfile, printProfile } = await import('./profile.ts');
  const { profiles, steps } = await benchProfile(large);
  printProfile(`${large.toLocaleString('en-GB')} children`, profiles, steps);
}

// Only when named: at its default size it generates and loads all of England (12 M children).
if (sections.includes('scale')) {
  const { benchScale, printAndStoreScale, scaleChildren } = await import('./scale.ts');
  const { run, previous } = await benchScale(scaleChildren());
  printAndStoreScale(run, previous);
}
