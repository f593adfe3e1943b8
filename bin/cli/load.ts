import { userInfo } from 'node:os';
import { basename } from 'node:path';
import { Warehouse, defaultWarehousePath } from '../../sql/warehouse.ts';
import {
  filesNeedingReferenceDate,
  loadFiles,
  unloadablePaths,
  type FileLoadResult,
} from '../../etl/load/loadFiles.ts';
import { countText } from '../../metrics/numberText.ts';
import { precomputeLatestQuarter } from '../../metrics/precomputed.ts';
import { isoDate, parseFlags, UsageError, type Command } from './command.ts';

export const command: Command = {
  name: 'load',
  summary: 'Load extract files into the warehouse',
  help: `Usage: lscb load [--db FILE] [--reference-date YYYY-MM-DD] [--confirm-la] [--confirm-population] PATH...

Loads extracts into the DuckDB warehouse. A PATH may be a file or a folder (every file in it).
Each file is detected from its content and loaded in its own transaction: it lands whole, with its
rejected rows and a lineage record, or not at all; a CIN census's validation flags follow in a
transaction of their own (WARNING if they could not be written: the next census writes them).
A file already loaded (same content) is skipped.

Formats: canonical CSV (children.csv, early_help.csv, referrals.csv, assessments.csv, section47.csv,
cin_plans.csv, cp_plans.csv, population.csv; see README "Canonical CSV"), DfE CIN census XML
(2017-2026 variants) and Ofsted Annex A workbooks (.xlsx, Lists 2 to 8) or single lists saved as CSV.
Census and Annex A files are read in worker threads ahead of their turn; "reading" lines report that
progress. Threads fit the machine's cores; set LSCB_DUCKDB_THREADS and LSCB_STAGING_WORKERS, or
"duckdb_threads" and "staging_workers" in lscb.config.json, to change that.

Options:
  --db FILE                 warehouse file (default ${defaultWarehousePath})
  --confirm-population      take a population.csv that differs from the ONS estimate of the LA's
                            children by more than 25% (otherwise its rows are rejected)
  --reference-date DATE     the extract's date, for files that state none. Canonical CSV needs it
                            (there is no default); an Annex A workbook without it takes the latest
                            event date in it; a census's header date always wins. A later
                            reference date corrects an earlier one, never the reverse.
  --confirm-la              load a file whose LA code (the census header's LEA) is not the
                            warehouse's LA (otherwise it is refused, naming both codes)
  --no-precompute           skip precomputing the latest quarter's board pack and strategy
                            scorecard after the load (the first reader then computes them)

Exit status: 0 when at least one file loaded or was already loaded, 1 when nothing could be loaded,
2 for a usage error.`,
  async run(argv) {
    const { values, positionals } = parseFlags('load', argv, {
      db: { type: 'string' },
      'reference-date': { type: 'string' },
      'confirm-population': { type: 'boolean' },
      'confirm-la': { type: 'boolean' },
      'no-precompute': { type: 'boolean' },
    });
    if (positionals.length === 0)
      throw new UsageError("lscb load: name at least one file or folder. Try 'lscb load --help'.");
    const referenceDate = isoDate('load', 'reference-date', values['reference-date']);
    // Checked before the warehouse is opened, so a mistyped path never creates an empty warehouse.
    const problems = unloadablePaths(positionals);
    if (problems.length > 0) {
      for (const problem of problems) console.error(`lscb load: ${problem}`);
      console.error('Nothing was loaded.');
      return 1;
    }
    // No silent default to today: a canonical CSV's dates say nothing of when it was extracted.
    const undated = referenceDate === undefined ? filesNeedingReferenceDate(positionals) : [];
    if (undated.length > 0) {
      const names = undated.map((file) => basename(file));
      const shown = names.length > 5 ? [...names.slice(0, 5), `and ${names.length - 5} more`] : names;
      throw new UsageError(
        `lscb load: ${shown.join(', ')} ${names.length === 1 ? 'is' : 'are'} canonical CSV, which carries no reference date: ` +
          "give the extract's date with --reference-date YYYY-MM-DD. Nothing was loaded.",
      );
    }
    const warehouse = await Warehouse.open(values.db ?? defaultWarehousePath);
    const started = performance.now();
    try {
      const results = await loadFiles(warehouse, positionals, {
        loadedBy: userInfo().username,
        referenceDate,
        confirmPopulation: values['confirm-population'] === true,
        confirmLa: values['confirm-la'] === true,
        onFile: (result) => console.log(describeLoad(result)),
        onProgress: progressPrinter(),
      });
      console.log(describeTotals(results, (performance.now() - started) / 1000));
      if (values['no-precompute'] !== true && results.some((r) => r.status === 'loaded'))
        await precomputeAfterLoad(warehouse);
      return loadExitStatus(results);
    } finally {
      warehouse.close();
    }
  },
};

/**
 * The latest quarter's pack and scorecard, computed now so the board's first look (and a report)
 * reads them ready (metrics/precomputed.ts). The data is loaded whatever happens here, so a failure
 * is one line and the pack is computed by its first reader instead.
 */
async function precomputeAfterLoad(warehouse: Warehouse): Promise<void> {
  const started = performance.now();
  try {
    const to = await precomputeLatestQuarter(warehouse);
    if (to)
      console.log(
        `precomputed the board pack and strategy scorecard for the quarter to ${to} in ${((performance.now() - started) / 1000).toFixed(1)} s`,
      );
  } catch (err) {
    console.error(
      `lscb load: the data is loaded, but the board pack could not be precomputed: ${String((err as Error).message ?? err)}`,
    );
  }
}

/** A line every few seconds while a large file streams in, so a long load is visibly alive. */
function progressPrinter(): (file: string, bytesRead: number, totalBytes: number) => void {
  let last = Date.now();
  return (file, bytesRead, totalBytes) => {
    const now = Date.now();
    if (now - last < 3000 || totalBytes === 0) return;
    last = now;
    const mb = (n: number) => (n / 1e6).toFixed(0);
    console.log(
      `reading  ${basename(file)}: ${Math.round((bytesRead / totalBytes) * 100)}% (${mb(bytesRead)} of ${mb(totalBytes)} MB)`,
    );
  };
}

export function describeLoad(result: FileLoadResult): string {
  const name = basename(result.file);
  if (result.status === 'skipped') return `skipped  ${name}: ${result.message}`;
  if (result.refusal) return `REFUSED  ${result.message}`;
  if (result.status === 'failed') return `FAILED   ${result.message}`;
  // Where the rejected rows are listed, by the command that lists them rather than a table's name.
  const rejects = result.loadId === undefined ? 'lscb quality' : `lscb quality --load ${result.loadId}`;
  return (
    `loaded   ${name} (${result.format}${result.table ? ` → ${result.table}` : ''}): ` +
    `${countText(result.rowsRead)} read, ${countText(result.rowsAccepted)} accepted, ` +
    `${countText(result.rowsRejected)} rejected, ${countText(result.rowsMerged)} merged` +
    (result.rowsRejected > 0 ? ` (the rejected rows: ${rejects})` : '') +
    // A loaded file's message says what did not follow it (a census's flags).
    (result.message ? `\nWARNING  ${result.message}` : '')
  );
}

/** The closing line: what became of the files and their rows, and how long it took. */
export function describeTotals(results: FileLoadResult[], seconds: number): string {
  const count = (status: FileLoadResult['status']) => results.filter((r) => r.status === status).length;
  const rows = (key: 'rowsRead' | 'rowsAccepted' | 'rowsRejected') =>
    countText(results.reduce((sum, r) => sum + r[key], 0));
  const files = `${results.length} file${results.length === 1 ? '' : 's'}`;
  return (
    `done     ${files} (${count('loaded')} loaded, ${count('skipped')} skipped, ${count('failed')} failed): ` +
    `${rows('rowsRead')} rows read, ${rows('rowsAccepted')} accepted, ${rows('rowsRejected')} rejected, in ${seconds.toFixed(1)} s`
  );
}

/** Non-zero only when nothing could be loaded (issue 3: partial success is still success). */
export function loadExitStatus(results: FileLoadResult[]): number {
  return results.some((r) => r.status !== 'failed') ? 0 : 1;
}
