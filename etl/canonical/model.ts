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

export type ColumnSpec = ColumnKind & { name: string; required?: boolean };

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
