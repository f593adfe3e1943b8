import type { CanonicalTable } from '../../canonical/model.ts';
import { normalise } from './values.ts';

/**
 * The Annex A lists this product reads, and the one table of header spellings. Headers are
 * compared normalised (case, whitespace, apostrophes and punctuation ignored), so `Case status`
 * and `Case Status`, `Referral NFA?` and `Referral NFA` are the same column.
 */

/** An Annex A column, whatever the workbook calls it. The first spelling is Ofsted's template's. */
export const headerAliases = {
  child_id: [
    'Child Unique ID',
    'Child Unique Identifier',
    'Unique Child ID',
    'Child ID',
    'LA Child ID',
    'LAchildID',
    'Child Identifier',
  ],
  gender: ['Gender', 'Sex', 'Gender Current'],
  ethnicity: ['Ethnicity', 'Ethnic Origin', 'Ethnic Group'],
  birth_date: ['Date of Birth', 'DOB', 'Birth Date', 'Person Birth Date'],
  age: ['Age of Child (Years)', 'Age', 'Age of Child', 'Age (Years)', 'Age in Years'],
  disability: ['Does the Child have a Disability', 'Does the Child have a Disability?', 'Disability', 'Disabled'],
  // List 1
  contact_date: ['Date of Contact', 'Contact Date'],
  // List 2
  eh_start: [
    'Assessment start date',
    'Early Help Assessment Start Date',
    'EH Assessment Start Date',
    'Early Help Start Date',
  ],
  eh_end: [
    'Assessment completion date',
    'Early Help Assessment Completion Date',
    'EH Assessment Completion Date',
    'Assessment end date',
    'Early Help End Date',
  ],
  eh_organisation: [
    'Organisation completing assessment',
    'Organisation completing the assessment',
    'Lead organisation',
    'Lead agency',
    'Organisation',
  ],
  // List 3
  referral_date: ['Date of Referral', 'Referral Date'],
  referral_source: ['Referral Source', 'Source of Referral'],
  referral_nfa: ['Referral NFA?', 'Referral NFA', 'NFA', 'Referral No Further Action'],
  // List 4
  assessment_start: ['Continuous Assessment Start Date', 'Continuous Assessment Start', 'Assessment Actual Start Date'],
  assessment_authorised: [
    'Continuous Assessment Date of Authorisation',
    'Assessment Date of Authorisation',
    'Assessment Authorisation Date',
    'Date of Authorisation',
  ],
  // List 5
  s47_start: [
    'Strategy discussion initiating Section 47 Enquiry Start Date',
    'Section 47 Enquiry Start Date',
    'S47 Start Date',
    'Section 47 Start Date',
    'S47 Actual Start Date',
  ],
  icpc_not_required: [
    'Was an Initial Child Protection Conference deemed unnecessary?',
    'ICPC not required',
    'ICPC deemed unnecessary',
  ],
  icpc_date: [
    'Date of Initial Child Protection Conference',
    'ICPC Date',
    'Date of ICPC',
    'Initial Child Protection Conference Date',
  ],
  // List 6
  cin_start: ['CIN Start Date', 'CIN Referral Date', 'Child in Need Start Date'],
  primary_need: ['Primary Need Code', 'Primary Need', 'Category of Need'],
  cin_closure: ['CIN Closure Date', 'CIN End Date', 'Child in Need Closure Date'],
  closure_reason: ['Reason for Closure', 'CIN Closure Reason', 'Closure Reason'],
  case_status: ['Case Status'],
  cin_plan_start: ['CIN Plan Start Date', 'Child in Need Plan Start Date'],
  cin_plan_end: ['CIN Plan End Date', 'Child in Need Plan End Date'],
  // List 7
  cp_start: ['Child Protection Plan Start Date', 'CP Plan Start Date', 'CPP Start Date'],
  cp_end: ['Child Protection Plan End Date', 'CP Plan End Date', 'CPP End Date'],
  initial_category: ['Initial Category of Abuse', 'Initial Category', 'Initial Category of Abuse/Neglect'],
  latest_category: ['Latest Category of Abuse', 'Latest Category', 'Latest Category of Abuse/Neglect'],
  previous_plans: [
    'Number of Previous Child Protection Plans',
    'Number of Previous CP Plans',
    'Number of Previous CPP',
    'Previous CP Plans',
  ],
  // List 8
  cla_start: ['Date Started to be Looked After', 'Date Started to be Looked After (CLA)', 'CLA Start Date'],
  cla_end: [
    'Date Ceased to be Looked After',
    'Date Ceased to be Looked After (CLA)',
    'CLA End Date',
    'CLA Ceased Date',
  ],
  cla_legal_status: ["Child's Legal Status", 'Legal Status', 'CLA Legal Status'],
  cla_category_of_need: ["Child's Category of Need", 'CLA Category of Need', 'Category of Need (CLA)'],
  cla_reason_ceased: ['Reason Ceased to be Looked After', 'Reason Ceased', 'CLA Reason Ceased'],
} as const satisfies Record<string, readonly string[]>;

export type AnnexField = keyof typeof headerAliases;

/** Normalised spelling → column; built once, and a spelling may name only one column. */
const aliasIndex: ReadonlyMap<string, AnnexField> = (() => {
  const index = new Map<string, AnnexField>();
  for (const [field, names] of Object.entries(headerAliases) as [AnnexField, readonly string[]][]) {
    for (const name of names) {
      const key = normalise(name);
      const taken = index.get(key);
      if (taken && taken !== field)
        throw new Error(`Annex A header "${name}" is listed for both ${taken} and ${field}`);
      index.set(key, field);
    }
  }
  return index;
})();

export function fieldForHeader(header: string): AnnexField | undefined {
  return aliasIndex.get(normalise(header));
}

/** The template's own spelling of a column, for messages. */
export function headerLabel(field: AnnexField): string {
  return headerAliases[field][0];
}

/** How a column's cells become staged text (see values.ts). */
export type ValueKind =
  | 'id'
  | 'text'
  | 'date'
  | 'yesNo'
  | 'count'
  | 'category'
  | 'referralSource'
  | 'primaryNeed'
  | 'closureReason'
  | 'ssda903Code';

/** A canonical column and the Annex A column(s) it comes from (the first one present is used). */
export interface ColumnSource {
  column: string;
  from: readonly AnnexField[];
  kind: ValueKind;
}

export interface ListSpec {
  list: number;
  title: string;
  /** Canonical table its rows go to; none for a list that is read past (List 8). */
  table?: CanonicalTable;
  columns: readonly ColumnSource[];
  /** Columns without which the sheet cannot be read at all. */
  required: readonly AnnexField[];
  /** A column only this list has: identifies a sheet whose name gives no list number. */
  signature: AnnexField;
  /** Why a list is seen but not loaded. */
  notLoaded?: string;
}

const date = (column: string, ...from: AnnexField[]): ColumnSource => ({ column, from, kind: 'date' });

export const listSpecs: readonly ListSpec[] = [
  {
    list: 2,
    title: 'early help',
    table: 'early_help',
    signature: 'eh_start',
    required: ['child_id', 'eh_start'],
    columns: [
      date('start_date', 'eh_start'),
      // Ofsted: the completion date "may alternatively be the date the early help intervention was
      // no longer in place"; blank while it continues. It ends the episode either way.
      date('end_date', 'eh_end'),
      { column: 'lead_agency', from: ['eh_organisation'], kind: 'text' },
    ],
  },
  {
    list: 3,
    title: 'referrals',
    table: 'referrals',
    signature: 'referral_date',
    required: ['child_id', 'referral_date'],
    columns: [
      date('referral_date', 'referral_date'),
      { column: 'source', from: ['referral_source'], kind: 'referralSource' },
      { column: 'nfa', from: ['referral_nfa'], kind: 'yesNo' },
    ],
  },
  {
    list: 4,
    title: 'assessments',
    table: 'assessments',
    signature: 'assessment_start',
    required: ['child_id', 'assessment_start'],
    columns: [date('start_date', 'assessment_start'), date('authorisation_date', 'assessment_authorised')],
  },
  {
    list: 5,
    title: 'Section 47 enquiries and ICPCs',
    table: 'section47',
    signature: 's47_start',
    required: ['child_id', 's47_start'],
    columns: [
      date('start_date', 's47_start'),
      date('icpc_date', 'icpc_date'),
      { column: 'icpc_not_required', from: ['icpc_not_required'], kind: 'yesNo' },
    ],
  },
  {
    // "CIN Start Date": "the date the most recent episode of need commenced", i.e. the CIN
    // census episode's referral date. Each row is a CIN episode (a referral row with its closure).
    list: 6,
    title: 'children in need',
    table: 'referrals',
    signature: 'cin_start',
    required: ['child_id', 'cin_start'],
    columns: [
      date('referral_date', 'cin_start'),
      { column: 'primary_need', from: ['primary_need'], kind: 'primaryNeed' },
      date('closure_date', 'cin_closure'),
      { column: 'closure_reason', from: ['closure_reason'], kind: 'closureReason' },
    ],
  },
  {
    list: 7,
    title: 'child protection',
    table: 'cp_plans',
    signature: 'cp_start',
    required: ['child_id', 'cp_start', 'initial_category'],
    columns: [
      date('start_date', 'cp_start'),
      date('end_date', 'cp_end'),
      { column: 'initial_category', from: ['initial_category'], kind: 'category' },
      { column: 'latest_category', from: ['latest_category'], kind: 'category' },
      { column: 'previous_plans', from: ['previous_plans'], kind: 'count' },
    ],
  },
  {
    // One looked_after episode a row (DATA.md looked_after.csv): the row's period of care, from
    // "Date Started to be Looked After" to "Date Ceased", with the child's legal status and category
    // of need as SSDA903 codes (`E1: Placement order` is E1, `N1 - Abuse or Neglect` N1). The
    // placement columns (type, provider, postcode, URN) describe the latest placement, not the
    // episode, and are read past.
    list: 8,
    title: 'children looked after',
    table: 'looked_after',
    signature: 'cla_start',
    required: ['child_id', 'cla_start'],
    columns: [
      date('start_date', 'cla_start'),
      date('end_date', 'cla_end'),
      { column: 'legal_status', from: ['cla_legal_status'], kind: 'ssda903Code' },
      { column: 'category_of_need', from: ['cla_category_of_need'], kind: 'ssda903Code' },
      { column: 'reason_ceased', from: ['cla_reason_ceased'], kind: 'ssda903Code' },
    ],
  },
];

/** List 6's CIN plan dates, staged to cin_plans when a workbook carries them (the template does not). */
export const cinPlanColumns: readonly ColumnSource[] = [
  date('start_date', 'cin_plan_start'),
  date('end_date', 'cin_plan_end'),
];

export function listSpec(list: number): ListSpec | undefined {
  return listSpecs.find((spec) => spec.list === list);
}

/** Annex A has Lists 1 to 11; a sheet named for any of them is an Annex A list. */
export const annexAListNumbers = { first: 1, last: 11 } as const;

/** `List 2`, `List_2`, `List 2 - Early Help`, `Annex A list 7`, `LIST-07` → the list number. */
export function listNumberFromName(name: string): number | undefined {
  const match = /(?:^|[^a-z])list[\s_.:-]*0?(\d{1,2})(?!\d)/i.exec(name);
  if (!match) return undefined;
  const list = Number(match[1]);
  return list >= annexAListNumbers.first && list <= annexAListNumbers.last ? list : undefined;
}

/** Sheets of the Ofsted template that are not lists: never read for content. */
export function isKnownNonListSheet(name: string): boolean {
  return /^(front|faq|guidance|codes|contents|notes|read ?me|instructions|lookups?|cover)/i.test(
    name.replace(/[\s_-]+/g, ' ').trim(),
  );
}

/** Lists told apart by a column only they have, most specific first. */
const signatureOrder = [7, 5, 6, 4, 3, 2, 8];

export function listFromHeader(fields: ReadonlySet<AnnexField>): number | undefined {
  return signatureOrder.find((list) => {
    const spec = listSpec(list);
    return spec !== undefined && fields.has(spec.signature);
  });
}
