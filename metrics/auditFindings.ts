import {
  judgementFields,
  ofsted2014,
  smallSampleSentence,
  type AuditSummary,
  type AuditFindings,
  type FindingField,
} from './contract/audits.ts';
import { SUPPRESSED, isSmallCount, secondaryCell } from './suppression.ts';
import { latestJudgementsSql } from '../sql/audits.ts';
import type { Warehouse } from '../sql/warehouse.ts';

/**
 * Audit findings (METRICS.md §13 "Audit samples"): for a closed audit, each judgement's share of the
 * children judged, with its 95% Wilson interval (wilson_low/wilson_high, sql/conventions.sql, the
 * disproportionality interval), beside Ofsted 2014's figure where the report gives one. Aggregates
 * only: no child, no note. Board output is suppressed as METRICS.md §7 says.
 */

export interface FindingRow {
  field: string;
  value: string;
  count: number;
  judged: number;
  ci_low: number | null;
  ci_high: number | null;
}

const literal = (text: string) => `'${text.replaceAll("'", "''")}'`;

/** Counts every option of every field (0 when nobody chose it), with its interval, in the form's order. */
function findingsSql(): string {
  const options = judgementFields
    .flatMap((f) => f.options.map((o) => ({ field: f.key, value: o.value })))
    .map((o, i) => `(${literal(o.field)}, ${literal(o.value)}, ${i})`)
    .join(',\n           ');
  const answers = judgementFields
    .map((f) =>
      f.kind === 'many'
        ? `SELECT ${literal(f.key)} AS field, unnest(${f.key}) AS value FROM latest`
        : `SELECT ${literal(f.key)} AS field, ${f.key} AS value FROM latest`,
    )
    .join('\n    UNION ALL ');
  return `
    WITH latest AS (${latestJudgementsSql}),
    options (field, value, ord) AS (VALUES ${options}),
    answers AS (${answers}),
    judged AS (SELECT count(*)::INTEGER AS n FROM latest),
    counted AS (
      SELECT o.field, o.value, o.ord, count(a.value)::INTEGER AS count
      FROM options o LEFT JOIN answers a ON a.field = o.field AND a.value = o.value
      GROUP BY ALL
    )
    SELECT field, value, count, judged.n AS judged,
           wilson_low(count, judged.n) AS ci_low, wilson_high(count, judged.n) AS ci_high
    FROM counted CROSS JOIN judged
    ORDER BY ord`;
}

export async function findingRows(warehouse: Warehouse, auditId: number): Promise<FindingRow[]> {
  return warehouse.query<FindingRow>(findingsSql(), { id: auditId });
}

/** The rows as the page's fields, unsuppressed. */
export function findingFields(rows: readonly FindingRow[]): FindingField[] {
  return judgementFields.map((field) => {
    const mine = rows.filter((r) => r.field === field.key);
    const judged = mine[0]?.judged ?? 0;
    return {
      key: field.key,
      label: field.label,
      judged,
      shares: field.options.map((option) => {
        const row = mine.find((r) => r.value === option.value);
        const count = row?.count ?? 0;
        return {
          value: option.value,
          label: option.label,
          count,
          share: judged > 0 ? count / judged : 0,
          ciLow: row?.ci_low ?? 0,
          ciHigh: row?.ci_high ?? 0,
          ofsted: ofsted2014[field.key]?.[option.value] ?? null,
        };
      }),
    };
  });
}

/**
 * Board output (METRICS.md §7): a count from 1 to 5 is c, and so are its share and interval; a
 * field whose children judged are 1 to 5 is c throughout. A single-answer field is a breakdown
 * whose total (children judged) is shown, so when exactly one of its counts is c the smallest other
 * non-zero count is hidden too. Each option of a multi-answer field (missed opportunities) stands
 * alone: its complement is not shown.
 */
export function suppressFindingFields(fields: readonly FindingField[]): FindingField[] {
  return judgementFields.map((spec, index) => {
    const field = fields[index]!;
    const judgedHidden = isSmallCount(field.judged);
    let counts: (number | 'c')[] = field.shares.map((s) =>
      judgedHidden || isSmallCount(s.count) ? SUPPRESSED : s.count,
    );
    if (spec.kind === 'one') {
      const second = secondaryCell(counts);
      if (second !== undefined) counts = counts.map((c, i) => (i === second ? SUPPRESSED : c));
    }
    return {
      ...field,
      judged: judgedHidden ? SUPPRESSED : field.judged,
      shares: field.shares.map((share, i) =>
        counts[i] === SUPPRESSED
          ? { ...share, count: SUPPRESSED, share: SUPPRESSED, ciLow: SUPPRESSED, ciHigh: SUPPRESSED }
          : share,
      ),
    };
  });
}

export async function auditFindings(
  warehouse: Warehouse,
  audit: AuditSummary,
  options: { suppressed: boolean },
): Promise<AuditFindings> {
  const fields = findingFields(await findingRows(warehouse, audit.id));
  const judged = Number(fields[0]?.judged ?? 0);
  return {
    audit,
    suppressed: options.suppressed,
    fields: options.suppressed ? suppressFindingFields(fields) : fields,
    sentences: [
      smallSampleSentence,
      options.suppressed
        ? `${isSmallCount(judged) ? 'Fewer than 6' : judged} children were judged in this audit; counts from 1 to 5, ` +
          'and the shares and intervals built on them, are shown as c.'
        : `${judged} ${judged === 1 ? 'child was' : 'children were'} judged in this audit.`,
      'Ofsted’s 2014 figures are from its own inspection of 124 cases in 11 areas, each over its own set of cases: ' +
        'a comparison of direction, not a benchmark.',
    ],
  };
}
