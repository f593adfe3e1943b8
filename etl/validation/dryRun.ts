import { rmSync } from 'node:fs';
import { basename, join } from 'node:path';
import { metricsRegistry } from '../../metrics/registry.ts';
import { Warehouse } from '../../sql/warehouse.ts';
import { detectFormat, expandPaths, loadFiles } from '../load/loadFiles.ts';
import { makePrivateTempDir } from '../staging/privateTemp.ts';
import { cinCensusRules, type CensusRule } from './rules.ts';

/** One rule's result over the files checked. */
export interface RuleResult {
  code: string;
  kind: CensusRule['kind'];
  /** Reject rules: rows rejected; flag rules: records flagged. */
  count: number;
  message: string;
}

export interface DryRunReport {
  files: { file: string; status: 'checked' | 'refused'; message?: string }[];
  rules: RuleResult[];
  /** Whether any reject-kind rule failed, or a file could not be read at all. */
  failed: boolean;
  /**
   * With `records`: each rejected row and flagged record, as the data-quality page's validation
   * report lists them (sql/metrics/quality.sql, quality_validation_report), so the file can be put
   * right before it is sent.
   */
  records?: Record<string, unknown>[];
}

/**
 * The CIN census rules over census files without loading them (what an officer runs before sending
 * the return): the files load into a private, temporary DuckDB warehouse, which is read for the
 * rules' counts and then deleted with everything in it. The real warehouse is never opened.
 */
export async function validateCensusFiles(paths: string[], { records = false } = {}): Promise<DryRunReport> {
  const files = expandPaths(paths);
  const report: DryRunReport = { files: [], rules: [], failed: false };
  const census = files.filter((file) => detectFormat(file) === 'cin-census-xml');
  for (const file of files.filter((f) => !census.includes(f))) {
    report.files.push({ file: basename(file), status: 'refused', message: 'not a CIN census XML file' });
    report.failed = true;
  }
  const dir = makePrivateTempDir('stage');
  try {
    const warehouse = await Warehouse.open(join(dir, 'dry-run.duckdb'));
    try {
      // The LA check is the load's business, not the rules': a file from any LA is checked.
      const results = await loadFiles(warehouse, census, { loadedBy: 'dry-run', confirmLa: true });
      for (const result of results) {
        const ok = result.status === 'loaded';
        report.files.push({ file: basename(result.file), status: ok ? 'checked' : 'refused', message: result.message });
        if (!ok) report.failed = true;
      }
      const counts = await warehouse.query<{ rule: string; n: number }>(
        `SELECT rule, count(DISTINCT "row")::INTEGER AS n FROM rejects WHERE rule IS NOT NULL GROUP BY rule
         UNION ALL
         SELECT rule, count(*)::INTEGER FROM validation_flags GROUP BY rule`,
      );
      const byRule = new Map(counts.map((c) => [c.rule, c.n]));
      report.rules = cinCensusRules().map((rule) => ({
        code: rule.code,
        kind: rule.kind,
        count: byRule.get(rule.code) ?? 0,
        message: rule.message,
      }));
      if (report.rules.some((r) => r.kind === 'reject' && r.count > 0)) report.failed = true;
      if (records)
        report.records = await warehouse.withConnection((c) =>
          metricsRegistry().run(c, 'quality_validation_report', { params: { limit: Number.MAX_SAFE_INTEGER } }),
        );
    } finally {
      warehouse.close();
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  return report;
}
