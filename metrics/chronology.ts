import type { DuckDBConnection } from '@duckdb/node-api';
import {
  assessmentFactors,
  closureReasons,
  codeLabel,
  cpCategories,
  earlyHelpClosureReasons,
  lacCategoriesOfNeed,
  lacLegalStatuses,
  lacReasonsCeased,
  lacReasonsNewEpisode,
  primaryNeeds,
  referralSources,
} from './contract/codeLabels.ts';
import type { ChronologyEvent, ChronologySpell, ChildChronology } from './contract/chronology.ts';
import { metricsRegistry } from './registry.ts';

/**
 * A child's chronology in words (sql/metrics/chronology.sql gives the codes): each event with its
 * service, what happened and the detail an auditor reads ("Source: Health services: GP"), the
 * child's spells of help for the timeline, and the siblings recorded with the same family id.
 */
export interface ChronologyRow {
  date: string;
  step: number;
  kind: string;
  code_a: string | null;
  code_b: string | null;
  code_c: string | null;
  code_d: string | null;
  days: number | null;
  neglect: boolean;
  note: string | null;
}

const days = (n: number | null, unit = 'days') =>
  n === null ? undefined : `${n} ${n === 1 ? unit.replace(/s$/, '') : unit}`;
const joined = (...parts: (string | null | undefined | false)[]) => parts.filter(Boolean).join('; ');
const factorWords = (codes: string | null) =>
  (codes ?? '')
    .split(/\s+/)
    .filter(Boolean)
    .map((code) => codeLabel(assessmentFactors, code))
    .join(', ');

/** One event in words. An unknown kind (a table added since) still shows, by its name. */
export function describeEvent(row: ChronologyRow): ChronologyEvent {
  const base = { date: row.date, kind: row.kind, neglect: row.neglect };
  switch (row.kind) {
    case 'early_help_started':
      return {
        ...base,
        service: 'Early help',
        event: 'Early help started',
        detail: joined(row.note && `Lead agency: ${row.note}`, row.neglect && 'shows neglect'),
      };
    case 'early_help_ended':
      return {
        ...base,
        service: 'Early help',
        event: 'Early help ended',
        detail: joined(row.code_a && codeLabel(earlyHelpClosureReasons, row.code_a), days(row.days)),
      };
    case 'referral':
    case 'referral_nfa':
      return {
        ...base,
        service: "Children's social care",
        event: row.kind === 'referral_nfa' ? 'Referral (no further action)' : 'Referral',
        detail: joined(
          row.code_a && `Source: ${codeLabel(referralSources, row.code_a)}`,
          row.code_b && `primary need: ${codeLabel(primaryNeeds, row.code_b)}`,
        ),
      };
    case 'case_closed':
      return {
        ...base,
        service: "Children's social care",
        event: 'Case closed',
        detail: joined(row.code_a && codeLabel(closureReasons, row.code_a), days(row.days, 'days open')),
      };
    case 'assessment_started':
      return { ...base, service: 'Assessment', event: 'Assessment started', detail: '' };
    case 'assessment_authorised':
      return {
        ...base,
        service: 'Assessment',
        event: 'Assessment authorised',
        detail: joined(
          `Factors: ${factorWords(row.code_a) || 'none recorded'}`,
          days(row.days, 'working days from its start'),
        ),
      };
    case 'section47_started':
      return { ...base, service: 'Child protection', event: 'Section 47 enquiry started', detail: '' };
    case 'initial_conference':
      return {
        ...base,
        service: 'Child protection',
        event: 'Initial child protection conference',
        detail: days(row.days, 'working days from the Section 47 start') ?? '',
      };
    case 'cin_plan_started':
      return { ...base, service: 'Child in need', event: 'CIN plan started', detail: '' };
    case 'cin_plan_ended':
      return { ...base, service: 'Child in need', event: 'CIN plan ended', detail: days(row.days) ?? '' };
    case 'cp_plan_started':
      return {
        ...base,
        service: 'Child protection',
        event: 'CP plan started',
        detail: `Category: ${codeLabel(cpCategories, row.code_a)}`,
      };
    case 'cp_plan_ended':
      return {
        ...base,
        service: 'Child protection',
        event: 'CP plan ended',
        detail: joined(`Latest category: ${codeLabel(cpCategories, row.code_a)}`, days(row.days)),
      };
    case 'care_started':
      return {
        ...base,
        service: 'Looked after',
        event: 'Care episode started',
        detail: joined(
          row.code_a && codeLabel(lacReasonsNewEpisode, row.code_a),
          row.code_b && `legal status: ${codeLabel(lacLegalStatuses, row.code_b)}`,
          row.code_c && `category of need: ${codeLabel(lacCategoriesOfNeed, row.code_c)}`,
          row.code_d && `placement type ${row.code_d}`,
        ),
      };
    case 'care_ended':
      return {
        ...base,
        service: 'Looked after',
        event: 'Care episode ended',
        detail: joined(row.code_a && codeLabel(lacReasonsCeased, row.code_a), days(row.days)),
      };
    default:
      return { ...base, service: 'Other', event: row.kind.replaceAll('_', ' '), detail: '' };
  }
}

/** The child's events, spells and siblings; null when no record names the id. */
export async function childChronology(c: DuckDBConnection, laChildId: string): Promise<ChildChronology | null> {
  const registry = metricsRegistry();
  const params = { params: { la_child_id: laChildId } };
  const rows = (await registry.run(c, 'child_chronology', params)) as unknown as ChronologyRow[];
  if (rows.length === 0) return null;
  const spells = (await registry.run(c, 'child_spells', params)).map((s): ChronologySpell => ({
    lane: s['lane'] as ChronologySpell['lane'],
    start: s['start_date'] as string,
    end: (s['end_date'] as string | null) ?? null,
    code: (s['code'] as string | null) ?? null,
    neglect: s['neglect'] === true,
  }));
  const siblings = (await registry.run(c, 'child_siblings', params)).map((s) => s['la_child_id'] as string);
  const extractDate = (await registry.runOne(c, 'chronology_as_at'))['as_at'] as string | null;
  const latest = rows[rows.length - 1]!.date;
  const asAt = extractDate && extractDate > latest ? extractDate : latest;
  return { child: laChildId, asAt, events: rows.map(describeEvent), spells, siblings };
}
