/**
 * The canonical model of DATA.md: every reader stages rows into these tables, as text, with these
 * column names; validation and merging are then the same SQL whatever the input format was.
 */

export type ColumnKind =
  | { kind: 'id' }
  | { kind: 'text' }
  | { kind: 'date' }
  | { kind: 'yesNo' }
  | { kind: 'count' }
  | { kind: 'sex' }
  | { kind: 'factors' }
  | { kind: 'code'; codes: readonly string[] };

export type ColumnSpec = ColumnKind & {
  name: string;
  required?: boolean;
  /** Text compared and stored in lower case (an id a person types: `School_Persistent_Absence`). */
  lowerCase?: boolean;
  /**
   * A column a file may leave out of its header (DATA.md `children.csv ... [, family_id]`): an older
   * file without it loads as before, and the stored value is kept (etl/load/merge.ts).
   */
  optional?: boolean;
};

/**
 * A rule across columns of one row beyond dateOrder. `fails` is SQL over the row's typed values
 * (columns by name) and, for the columns rules read, their trimmed text (`p_<column>`); the reject
 * names `field` and its text, with `reason`.
 */
export interface RowCheck {
  field: string;
  reason: string;
  fails: string;
}

export interface TableSpec {
  /** Warehouse table the rows merge into. */
  table: CanonicalTable;
  /** The canonical CSV file name (DATA.md). */
  file: string;
  columns: readonly ColumnSpec[];
  /** The extract's own id for the record (kept as source_id; never a child identifier). */
  sourceId?: string;
  /** Column holding the id of the referral (CIN episode) the record belongs to. */
  referralId?: string;
  /** DATA.md identity rule: with child_key, the date that makes a record the same real thing. */
  naturalDate?: string;
  /** The warehouse's own key of a record (kept when a later extract corrects it). */
  recordKey?: string;
  /** [earlier, later] pairs: a later date before its earlier one is impossible. */
  dateOrder?: readonly (readonly [string, string])[];
  /** Further rules each row must keep (partner measures: a percent's numerator within its denominator). */
  checks?: readonly RowCheck[];
  /** DATA.md identity of a table keyed by no child: the columns that make a row the same thing. */
  identity?: readonly string[];
}

export type CanonicalTable =
  | 'children'
  | 'early_help'
  | 'referrals'
  | 'assessments'
  | 'section47'
  | 'cin_plans'
  | 'cp_plans'
  | 'looked_after'
  | 'partner_measures'
  | 'population';

export const cpCategories = ['NEG', 'PHY', 'EMO', 'SAB', 'MUL'] as const;

export const ethnicityCodes = [
  'WBRI',
  'WIRI',
  'WIRT',
  'WOTH',
  'WROM',
  'MWBC',
  'MWBA',
  'MWAS',
  'MOTH',
  'AIND',
  'APKN',
  'ABAN',
  'AOTH',
  'BCRB',
  'BAFR',
  'BOTH',
  'CHNE',
  'OOTH',
  'REFU',
  'NOBT',
] as const;

/** SSDA903 reason for new episode: S = started to be looked after; the rest change an episode within care. */
export const lacReasonsNewEpisode = ['S', 'L', 'P', 'T', 'U', 'B'] as const;
/** SSDA903 category of need: N1 abuse or neglect ... N8 absent parenting. */
export const lacCategoriesOfNeed = ['N1', 'N2', 'N3', 'N4', 'N5', 'N6', 'N7', 'N8'] as const;

/** DATA.md partner_measures.unit: how a numerator (and denominator) make the value (METRICS.md §11). */
export const partnerMeasureUnits = ['percent', 'rate_per_10k', 'count'] as const;

export const earlyHelpClosureReasons = ['stepped_up', 'needs_met', 'disengaged', 'moved', 'other'] as const;

const id = (name: string, required = false): ColumnSpec => ({ name, kind: 'id', required });
const date = (name: string, required = false): ColumnSpec => ({ name, kind: 'date', required });

export const canonicalTables: readonly TableSpec[] = [
  {
    table: 'children',
    file: 'children.csv',
    columns: [
      id('child_id', true),
      date('birth_date'),
      date('expected_birth_date'),
      { name: 'sex', kind: 'sex' },
      { name: 'ethnicity', kind: 'code', codes: ethnicityCodes },
      { name: 'disability', kind: 'text' },
      // DATA.md children.csv: siblings share it; audit samples draw one child per family.
      { name: 'family_id', kind: 'id', optional: true },
      // CIN census rules (etl/validation/cinCensusRules.sql): a plan after death is flagged (8915, 8920).
      { name: 'death_date', kind: 'date', optional: true },
      // HMAC of the UPN under the installation's key (etl/identity/upnKey.ts): one UPN under two LA
      // child ids is flagged across extracts (rule 1520); nothing leads back to the UPN (SECURITY.md).
      { name: 'upn_key', kind: 'id', optional: true },
      // The codes of the UPN format rules the census's UPN or former UPN broke (etl/identity/upnFormat.ts).
      { name: 'upn_checks', kind: 'text', optional: true },
      // The census's reason a UPN is missing (UN1–UN10): rules 8770Q and 8772.
      { name: 'upn_unknown', kind: 'text', optional: true },
    ],
  },
  {
    table: 'early_help',
    recordKey: 'eh_key',
    file: 'early_help.csv',
    sourceId: 'episode_id',
    naturalDate: 'start_date',
    dateOrder: [['start_date', 'end_date']],
    columns: [
      id('episode_id'),
      id('child_id', true),
      date('start_date', true),
      date('end_date'),
      { name: 'lead_agency', kind: 'text' },
      { name: 'neglect', kind: 'yesNo' },
      { name: 'factors', kind: 'factors' },
      { name: 'closure_reason', kind: 'code', codes: earlyHelpClosureReasons },
    ],
  },
  {
    table: 'referrals',
    recordKey: 'referral_key',
    file: 'referrals.csv',
    sourceId: 'referral_id',
    naturalDate: 'referral_date',
    dateOrder: [['referral_date', 'closure_date']],
    columns: [
      id('referral_id'),
      id('child_id', true),
      date('referral_date', true),
      { name: 'source', kind: 'text' },
      { name: 'primary_need', kind: 'text' },
      { name: 'nfa', kind: 'yesNo' },
      date('closure_date'),
      { name: 'closure_reason', kind: 'text' },
    ],
  },
  {
    table: 'assessments',
    recordKey: 'assessment_key',
    file: 'assessments.csv',
    sourceId: 'assessment_id',
    referralId: 'referral_id',
    naturalDate: 'start_date',
    dateOrder: [['start_date', 'authorisation_date']],
    columns: [
      id('assessment_id'),
      id('referral_id'),
      id('child_id', true),
      date('start_date', true),
      date('authorisation_date'),
      { name: 'factors', kind: 'factors' },
    ],
  },
  {
    table: 'section47',
    recordKey: 's47_key',
    file: 'section47.csv',
    sourceId: 's47_id',
    referralId: 'referral_id',
    naturalDate: 'start_date',
    dateOrder: [['start_date', 'icpc_date']],
    columns: [
      id('s47_id'),
      id('referral_id'),
      id('child_id', true),
      date('start_date', true),
      date('icpc_date'),
      { name: 'icpc_not_required', kind: 'yesNo' },
      // CIN census InitialCPCtarget, kept for the validation rules (DATA.md "Fields kept for rules"),
      // as text: a target may rightly fall after the extract's reference date.
      { name: 'icpc_target_date', kind: 'text', optional: true },
    ],
  },
  {
    table: 'cin_plans',
    recordKey: 'cin_plan_key',
    file: 'cin_plans.csv',
    sourceId: 'plan_id',
    referralId: 'referral_id',
    naturalDate: 'start_date',
    dateOrder: [['start_date', 'end_date']],
    columns: [id('plan_id'), id('referral_id'), id('child_id', true), date('start_date', true), date('end_date')],
  },
  {
    table: 'cp_plans',
    recordKey: 'cp_plan_key',
    file: 'cp_plans.csv',
    sourceId: 'plan_id',
    referralId: 'referral_id',
    naturalDate: 'start_date',
    dateOrder: [['start_date', 'end_date']],
    columns: [
      id('plan_id'),
      id('referral_id'),
      id('child_id', true),
      date('start_date', true),
      date('end_date'),
      { name: 'initial_category', kind: 'code', codes: cpCategories, required: true },
      { name: 'latest_category', kind: 'code', codes: cpCategories },
      { name: 'previous_plans', kind: 'count' },
      // CIN census CPPreviewDate(s), as YYYY-MM-DD;YYYY-MM-DD, kept for the validation rules.
      { name: 'review_dates', kind: 'text', optional: true },
    ],
  },
  {
    // One SSDA903 episode per row (DATA.md looked_after.csv). Placement types and reasons ceased are
    // kept as recorded: their code lists change most years and no figure reads them.
    table: 'looked_after',
    recordKey: 'lac_key',
    file: 'looked_after.csv',
    sourceId: 'episode_id',
    naturalDate: 'start_date',
    dateOrder: [['start_date', 'end_date']],
    columns: [
      id('episode_id'),
      id('child_id', true),
      date('start_date', true),
      date('end_date'),
      { name: 'reason_new_episode', kind: 'code', codes: lacReasonsNewEpisode },
      { name: 'legal_status', kind: 'text' },
      { name: 'category_of_need', kind: 'code', codes: lacCategoriesOfNeed },
      { name: 'placement_type', kind: 'text' },
      { name: 'reason_ceased', kind: 'text' },
    ],
  },
  {
    // Partner agencies' aggregates (DATA.md partner_measures.csv, METRICS.md §11): no child, so no
    // child key; one row per (measure, agency, period), and a later load of the same one replaces it
    // (etl/load/merge.ts). Measure ids are trimmed and lower-cased so `School_Persistent_Absence`
    // is the known id; agencies are names, kept as written (trimmed). Numbers are whole: pupils,
    // children, appointments, incidents.
    table: 'partner_measures',
    file: 'partner_measures.csv',
    identity: ['measure', 'agency', 'period_start', 'period_end'],
    dateOrder: [['period_start', 'period_end']],
    columns: [
      { name: 'measure', kind: 'id', required: true, lowerCase: true },
      { name: 'agency', kind: 'text', required: true },
      date('period_start', true),
      date('period_end', true),
      { name: 'numerator', kind: 'count', required: true },
      { name: 'denominator', kind: 'count' },
      { name: 'unit', kind: 'code', codes: partnerMeasureUnits, required: true },
    ],
    checks: [
      // DuckDB casts '12.5' to the integer 13: a fraction is refused rather than rounded.
      ...(['numerator', 'denominator'] as const).map((field) => ({
        field,
        reason: 'not a whole number',
        fails: `${field} IS NOT NULL AND NOT regexp_full_match(p_${field}, '-?[0-9]+')`,
      })),
      {
        field: 'denominator',
        reason: 'missing: a percent or a rate per 10,000 needs a denominator',
        fails: `unit IN ('percent', 'rate_per_10k') AND denominator IS NULL`,
      },
      {
        field: 'denominator',
        reason: 'must be above 0 for a percent or a rate per 10,000',
        fails: `unit IN ('percent', 'rate_per_10k') AND denominator = 0`,
      },
      {
        field: 'numerator',
        reason: 'above the denominator: a percent cannot be more than 100',
        fails: `unit = 'percent' AND numerator > denominator`,
      },
      {
        // Refused, not ignored: a count sent with a denominator was probably meant as a percent.
        field: 'denominator',
        reason: 'a count has no denominator (was the unit meant to be percent or rate_per_10k?)',
        fails: `unit = 'count' AND denominator IS NOT NULL`,
      },
    ],
  },
  {
    table: 'population',
    file: 'population.csv',
    columns: [
      { name: 'year', kind: 'count', required: true },
      { name: 'dimension', kind: 'code', codes: ['all', 'age_band', 'sex', 'ethnicity'], required: true },
      { name: 'group', kind: 'text', required: true },
      { name: 'count', kind: 'count', required: true },
    ],
  },
];

export function tableSpec(table: CanonicalTable): TableSpec {
  const spec = canonicalTables.find((t) => t.table === table);
  if (!spec) throw new Error(`no canonical table ${table}`);
  return spec;
}
