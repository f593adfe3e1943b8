import { dayInWords } from './quarters.ts';
import {
  ageBands,
  assessmentFactors,
  closureReasons,
  codeLabel,
  cpCategories,
  durationBands,
  earlyHelpClosureReasons,
  ethnicityGroups,
  primaryNeeds,
  referralSourceGroups,
  referralSources,
  sexes,
  stages,
  type CodeList,
} from './codeLabels.ts';

/**
 * A case list's columns in words: the header an officer reads, and how each value is shown. The SQL
 * (sql/metrics/caselists.sql) keeps codes and ISO dates, so the API's shape stays stable; the page and
 * the CSV export both read them through this one table.
 */
export type ColumnKind =
  | { kind: 'hidden' }
  | { kind: 'child' }
  | { kind: 'date' }
  | { kind: 'number' }
  | { kind: 'flag' }
  | { kind: 'text' }
  | { kind: 'code'; codes: CodeList }
  | { kind: 'codes'; codes: CodeList };

export type CaseListColumn = { header: string } & ColumnKind;

const date = (header: string): CaseListColumn => ({ header, kind: 'date' });
const number = (header: string): CaseListColumn => ({ header, kind: 'number' });
const flag = (header: string): CaseListColumn => ({ header, kind: 'flag' });
const code = (header: string, codes: CodeList): CaseListColumn => ({ header, kind: 'code', codes });

export const caseListColumns: Readonly<Record<string, CaseListColumn>> = {
  child_key: { header: 'Key', kind: 'hidden' },
  la_child_id: { header: 'Child', kind: 'child' },
  age_band: code('Age band', ageBands),
  sex: code('Sex', sexes),
  ethnicity: code('Ethnic group', ethnicityGroups),
  plan_start: date('Plan start'),
  plan_end: date('Plan end'),
  days_on_plan: number('Days on plan'),
  duration_band: code('Time on plan', durationBands),
  neglect_initial: flag('Neglect at the start (initial category)'),
  neglect_latest: flag('Neglect now (latest category)'),
  open_18m_plus: flag('Open 18 months or more'),
  initial_category: code('Initial category', cpCategories),
  latest_category: code('Latest category', cpCategories),
  highest_stage: code('Furthest stage', stages),
  second_or_subsequent: flag('Second or subsequent plan'),
  within_2y_local: flag('Within 2 years of the last plan (local measure)'),
  repeat_neglect: flag('Repeat plan under neglect'),
  neglect_assessment_authorised: date('Neglect assessment authorised'),
  stepdown_to_cin: flag('Stepped down to child in need'),
  assessment_start: date('Assessment start'),
  assessment_authorised: date('Assessment authorised'),
  working_days: number('Working days'),
  within_45wd: flag('Within 45 working days'),
  within_15wd: flag('Within 15 working days'),
  neglect: flag('Shows neglect'),
  factors: { header: 'Factors at assessment', kind: 'codes', codes: assessmentFactors },
  s47_start: date('Section 47 enquiry start'),
  icpc_date: date('Initial conference'),
  episodes: number('Episodes'),
  eh_start: date('Early help start'),
  eh_end: date('Early help end'),
  lead_agency: { header: 'Lead agency', kind: 'text' },
  eh_closure_reason: code('Early help closure reason', earlyHelpClosureReasons),
  cin_plan_start: date('CIN plan start'),
  cin_plan_end: date('CIN plan end'),
  referral_date: date('Referral'),
  referral_source: code('Referral source', referralSources),
  source_group: code('Source group', referralSourceGroups),
  primary_need: code('Primary need', primaryNeeds),
  nfa: flag('No further action'),
  previous_referral_date: date('Previous referral'),
  rereferral_12m: flag('Re-referral within 12 months'),
  after_neglect_assessment: flag('After a neglect assessment'),
  closure_date: date('Case closed'),
  closure_reason: code('Reason for closure', closureReasons),
  previous_eh_end: date('Previous early help ended'),
  repeat_12m: flag('Repeat within 12 months'),
  reopenings: number('Reopenings in 3 years'),
  latest_reopening: date('Latest reopening'),
  first_signal_date: date('First sign of neglect'),
  days_from_first_signal: number('Days from first sign of neglect'),
  stepdown_to_eh: flag('Stepped down to early help'),
  needs_met: flag('Needs met'),
  episode_start: date('Care episode start'),
  need_n1: flag('Category of need N1 (abuse or neglect)'),
  care_start: date('Care began'),
  from_neglect_plan: flag('From a neglect plan'),
  neglect_plan_end: date('Neglect plan ended'),
  neglect_plan_open: flag('Neglect plan still open'),
};

/**
 * A column's words. One this table does not know (a list added since) still reads as words: its
 * name with spaces, shown as a date, a number, yes/no or text by its value.
 */
export function caseListColumn(key: string, sample?: unknown): CaseListColumn {
  if (Object.hasOwn(caseListColumns, key)) return caseListColumns[key]!;
  const header = key.charAt(0).toUpperCase() + key.slice(1).replaceAll('_', ' ');
  if (typeof sample === 'boolean') return { header, kind: 'flag' };
  if (typeof sample === 'number') return { header, kind: 'number' };
  if (typeof sample === 'string' && /^\d{4}-\d{2}-\d{2}$/.test(sample)) return { header, kind: 'date' };
  return { header, kind: 'text' };
}

/** 2025-03-31 → "31 March 2025"; text that is not a date is shown as it is. */
export function dateInWords(iso: string): string {
  return /^\d{4}-\d{2}-\d{2}$/.test(iso) ? dayInWords(iso) : iso;
}

/** A value as the column shows it in words: dates as dates, codes named, flags as yes/no; '' when missing. */
export function caseCellText(column: CaseListColumn, value: unknown): string {
  if (value === null || value === undefined || value === '') return '';
  switch (column.kind) {
    case 'date':
      return dateInWords(String(value));
    case 'flag':
      return value === true || value === 'true' ? 'yes' : 'no';
    case 'code':
      return codeLabel(column.codes, String(value));
    case 'codes':
      return String(value)
        .split(/\s+/)
        .filter(Boolean)
        .map((c) => codeLabel(column.codes, c))
        .join('; ');
    default:
      return String(value);
  }
}

/**
 * The value a column sorts by: dates as ISO text and numbers as numbers sort in order; everything
 * else by its words.
 */
export function caseCellSortKey(column: CaseListColumn, value: unknown): string | number {
  if (value === null || value === undefined) return '';
  if (column.kind === 'number' && typeof value === 'number') return value;
  if (column.kind === 'date') return String(value);
  return caseCellText(column, value);
}

/** The columns a list shows, in its order, with the words they are shown in (hidden ones left out). */
export function visibleColumns(rows: readonly Record<string, unknown>[]): { key: string; column: CaseListColumn }[] {
  const first = rows[0] ?? {};
  return Object.keys(first)
    .map((key) => ({ key, column: caseListColumn(key, first[key]) }))
    .filter(({ column }) => column.kind !== 'hidden');
}
