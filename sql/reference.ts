import type { DuckDBConnection } from '@duckdb/node-api';
import { createHash } from 'node:crypto';
import { statSync } from 'node:fs';
import { resolve } from 'node:path';
import { ConfigError, configPath, loadConfig, type LaConfig } from './config.ts';
import { readSqlFile } from './files.ts';
import { inTransaction } from './transaction.ts';

/** The files sql/reference.sql and sql/reference_partner.sql read, relative to data/reference. */
const referenceFiles = [
  'dfe/c1_children_in_need_referrals_and_rereferrals_2013_to_2025.csv',
  'dfe/c3_factors_identified_at_end_of_assessment_2018_to_2025.csv',
  'dfe/d3_cpps_subsequent_plan_2013_to_2025.csv',
  'dfe/d5_cpps_at31march_by_duration_2013_to_2025.csv',
  'dfe/cp_neglect_initial_category_england.csv',
  'dfe/lait_benchmarks_2016_to_2025.csv',
  'dfe/lait_partner_2016_to_2025.csv',
  'dfe/statistical_neighbours_2025_wide.csv',
  'ons/ons_mid-year_population_estimates_2012_to_2024.csv',
];

async function setting(c: DuckDBConnection, key: string): Promise<string | undefined> {
  const reader = await c.runAndReadAll('SELECT value FROM settings WHERE key = $key', { key });
  return (reader.getRowObjectsJson()[0]?.['value'] as string | null | undefined) ?? undefined;
}

/**
 * Loads the bundled reference tables (sql/reference.sql), the configured LA's ONS population and the
 * LA itself into `settings`. Runs on every writable open but reloads only when the bundled files,
 * reference.sql or the configuration changed, so the tables are there for read-only opens and a
 * reopen costs a few file stats. All or nothing: a failed load leaves the previous tables.
 */
export async function applyReference(
  c: DuckDBConnection,
  referenceDir: string,
  config: LaConfig = loadConfig(),
): Promise<'loaded' | 'unchanged'> {
  const fingerprint = createHash('sha256').update(readSqlFile('reference.sql'));
  fingerprint.update(readSqlFile('reference_partner.sql'));
  for (const file of referenceFiles) {
    const stat = statSync(resolve(referenceDir, file));
    fingerprint.update(`${file}:${stat.size}:${stat.mtimeMs}\n`);
  }
  fingerprint.update(
    JSON.stringify([config.la_code, config.la_name, config.benchmark_la_code ?? null, config.partnership_name ?? null]),
  );
  const key = fingerprint.digest('hex');
  if ((await setting(c, 'reference_key')) === key) return 'unchanged';

  await inTransaction(c, async () => {
    await c.run('SET VARIABLE reference_dir = $dir', { dir: referenceDir });
    await c.run('SET VARIABLE la_code = $code', { code: config.la_code });
    await c.run(readSqlFile('reference.sql'));
    // METRICS.md §11: LAIT benchmarks of the partner measures it knows (school absence, 2-year-olds).
    await c.run(readSqlFile('reference_partner.sql'));
    await checkComparator(c, config);
    await c.run(
      `INSERT OR REPLACE INTO settings VALUES ('la_code', $la_code), ('la_name', $la_name), ('benchmark_la_code', $benchmark),
       ('partnership_name', $partnership), ('reference_key', $key)`,
      {
        la_code: config.la_code,
        la_name: config.la_name,
        benchmark: config.benchmark_la_code ?? '',
        partnership: config.partnership_name ?? '',
        key,
      },
    );
  });
  return 'loaded';
}

/** A fictional LA without a stand-in, or a stand-in that is not a real LA, would give empty benchmarks. */
async function checkComparator(c: DuckDBConnection, config: LaConfig): Promise<void> {
  const reader = await c.runAndReadAll('SELECT DISTINCT la_code FROM ref_statistical_neighbours');
  const real = new Set(reader.getRowObjectsJson().map((row) => row['la_code'] as string));
  if (config.benchmark_la_code !== undefined && !real.has(config.benchmark_la_code)) {
    throw new ConfigError(
      `${configPath()}: "benchmark_la_code" ${config.benchmark_la_code} is not an English LA in the DfE statistical neighbours file`,
    );
  }
  if (config.benchmark_la_code === undefined && !real.has(config.la_code)) {
    throw new ConfigError(
      `${configPath()}: "la_code" ${config.la_code} is not an English LA in the DfE files; for a fictional LA set "benchmark_la_code" to a real LA whose region and statistical neighbours stand in for it`,
    );
  }
}

/**
 * The LA this warehouse was built for, as recorded in `settings` when it was created or last opened
 * for writing, so a read-only open describes the same LA; the configuration file when the warehouse
 * has no record.
 */
export async function warehouseLa(c: DuckDBConnection): Promise<LaConfig> {
  const reader = await c.runAndReadAll(
    `SELECT key, value FROM settings WHERE key IN ('la_code', 'la_name', 'benchmark_la_code', 'partnership_name')`,
  );
  const stored = Object.fromEntries(
    reader.getRowObjectsJson().map((row) => [row['key'] as string, row['value'] as string]),
  );
  if (!stored['la_code'] || !stored['la_name']) return loadConfig();
  return {
    la_code: stored['la_code'],
    la_name: stored['la_name'],
    ...(stored['benchmark_la_code'] ? { benchmark_la_code: stored['benchmark_la_code'] } : {}),
    ...(stored['partnership_name'] ? { partnership_name: stored['partnership_name'] } : {}),
  };
}
