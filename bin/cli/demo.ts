import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  defaultDemoChildren,
  defaultDemoSeed,
  demoLocalAuthority,
  referenceDateIso,
} from '../../etl/demo/constants.ts';
import { generateDemo, type DemoManifest } from '../../etl/demo/generate.ts';
import { rebuildDemoWarehouse } from '../../etl/load/demoWarehouse.ts';
import { defaultWarehousePath } from '../../sql/warehouse.ts';
import { parseFlags, positiveInteger, type Command } from './command.ts';
import { describeLoad, loadExitStatus } from './load.ts';

const defaultOut = fileURLToPath(new URL('../../data/demo', import.meta.url));

export interface DemoFlags {
  children: number;
  seed: number;
  /** Output folder, absolute. */
  out: string;
  /** False with --no-load: write the files and stop. */
  load: boolean;
  /** The warehouse the load step rebuilds. */
  db: string;
}

export function parseDemoFlags(argv: string[]): DemoFlags {
  const { values } = parseFlags('demo', argv, {
    children: { type: 'string' },
    seed: { type: 'string' },
    out: { type: 'string' },
    'no-load': { type: 'boolean' },
    db: { type: 'string' },
  });
  return {
    children: positiveInteger('demo', 'children', values.children, defaultDemoChildren),
    seed: positiveInteger('demo', 'seed', values.seed, defaultDemoSeed),
    out: values.out === undefined ? defaultOut : resolve(values.out),
    load: values['no-load'] !== true,
    db: resolve(values.db ?? defaultWarehousePath),
  };
}

export const command: Command = {
  name: 'demo',
  summary: 'Generate the fictional demo local authority and load it',
  help: `Usage: lscb demo [--children N] [--seed S] [--out DIR] [--no-load]

Generates ${demoLocalAuthority.name} (LA code ${demoLocalAuthority.code}, ${demoLocalAuthority.region}), a fictional local authority,
by simulating families' journeys through early help, referrals, assessments, section 47 enquiries,
CIN plans, CP plans and care from 2015 to ${referenceDateIso}, and its partner agencies' measures. It
writes the same children in every input format the product reads:

  DIR/csv/                 canonical CSV, the whole history (looked_after.csv and children.csv's
                           family_id included), and population.csv (mid-years 2015-2025)
  DIR/cin-census/          CIN_Census_2021.xml ... CIN_Census_2026.xml, one per DfE year
  DIR/annex-a/             Annex_A_${referenceDateIso}.xlsx (Lists 2-7, the 12 months to ${referenceDateIso})
  DIR/ssda903-csv/YEAR/    the SSDA903 return as header.csv and episodes.csv, one folder per DfE year
  DIR/ssda903-xml/         the same returns as SSDA903_YEAR.xml (EXPSSDA903)
  DIR/partners/            partner_measures.csv: schools, early years, health and police aggregates
  DIR/manifest.json        seed, size, rows per file and the rules the generator follows

The same seed and size always give byte-identical files. No real child is described.

Options:
  --children N   children aged 0-17 in the LA at any mid-year (default ${defaultDemoChildren}); from a few
                 thousand up to all of England (12000000) - memory stays bounded, time grows with N
  --seed S       whole number seeding the simulation (default ${defaultDemoSeed})
  --out DIR      output folder (default data/demo in the project); files there are overwritten
  --no-load      only write the files; do not load them into the warehouse afterwards
  --db FILE      warehouse to (re)build from the demo's canonical CSV (default data/lscb.duckdb);
                 an existing file there is replaced`,
  async run(argv) {
    const flags = parseDemoFlags(argv);
    await generateDemoCommand(flags);
    if (!flags.load) return 0;
    // The same loader a user's files take: the canonical CSV, with the demo's extract date.
    console.log(`\nLoading the demo's canonical CSV into ${flags.db} ...`);
    const results = await rebuildDemoWarehouse({
      dbPath: flags.db,
      demoDir: flags.out,
      onFile: (r) => console.log(describeLoad(r)),
    });
    return loadExitStatus(results);
  },
};

/** Generates the files, printing progress for big runs and a table of rows per file at the end. */
export async function generateDemoCommand(
  flags: DemoFlags,
  log: (line: string) => void = console.log,
): Promise<DemoManifest> {
  log(`Generating ${demoLocalAuthority.name} (${flags.children} children, seed ${flags.seed}) in ${flags.out} ...`);
  const started = performance.now();
  let lastReport = started;
  const manifest = await generateDemo({
    outDir: flags.out,
    children: flags.children,
    seed: flags.seed,
    onProgress: ({ familiesDone, familiesTotal, childrenDone }) => {
      const now = performance.now();
      if (now - lastReport < 3_000 || familiesDone === familiesTotal) return;
      lastReport = now;
      const percent = Math.floor((100 * familiesDone) / familiesTotal);
      log(
        `  ${String(percent).padStart(3)}%  ${familiesDone} of ${familiesTotal} families, ${childrenDone} children simulated`,
      );
    },
  });
  const seconds = (performance.now() - started) / 1000;
  log(describeManifest(manifest));
  log(`Done in ${seconds.toFixed(1)} s.`);
  return manifest;
}

export function describeManifest(manifest: DemoManifest): string {
  const rows = Object.entries(manifest.files).map(([path, { rows, bytes }]) => [
    path,
    String(rows),
    (bytes / 1_048_576).toFixed(1),
  ]);
  const header = ['file', 'rows', 'MB'];
  const width = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  const line = (cells: string[]) =>
    cells.map((c, i) => (i === 0 ? c.padEnd(width[i]!) : c.padStart(width[i]!))).join('  ');
  const annex = Object.entries(manifest.annexA.rows)
    .map(([list, n]) => `${list} ${n}`)
    .join(', ');
  return [
    line(header),
    ...rows.map(line),
    `(CIN census rows are children; Annex A rows are all lists: ${annex}.)`,
    `Population aged 0-17 at mid-2025: ${manifest.populationMid2025}.`,
  ].join('\n');
}
