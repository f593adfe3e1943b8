import { caseListColumn } from '../../metrics/contract/caseListColumns.ts';
import { codeLabel } from '../../metrics/contract/codeLabels.ts';

/**
 * What each case list holds, in words, for the list picker and the table's caption. A split figure
 * (`drift.cp_open_by_duration.le_3m`) reads as its parent and the part's words; a figure added
 * since is named by its key until it is given words here.
 */
const titles: Record<string, string> = {
  'prevalence.cp_open': 'Children on a child protection plan at the period end',
  'prevalence.cp_open_neglect_initial': 'Children on a plan for neglect (initial category)',
  'prevalence.cp_open_neglect_latest': 'Children on a plan for neglect (latest category)',
  'prevalence.cp_starts': 'Child protection plans starting',
  'prevalence.cp_starts_neglect_initial': 'Plans starting for neglect',
  'prevalence.assessments_completed': 'Assessments authorised',
  'prevalence.assessments_neglect': 'Assessments with the neglect factor (16A)',
  'prevalence.eh_children': 'Children in early help',
  'prevalence.eh_children_neglect': 'Children in early help showing neglect',
  'prevalence.eh_episodes': 'Early help episodes',
  'prevalence.eh_episodes_neglect': 'Early help episodes showing neglect',
  'prevalence.cin_plans': 'Child in need plans',
  'prevalence.cin_plans_neglect': 'Child in need plans showing neglect',
  'prevalence.neglect_any_stage_children': 'Children showing neglect at any stage',
  'prevalence.neglect_highest_stage': 'Children showing neglect, by furthest stage',
  'prevalence.cp_open_hidden_neglect': '“Hidden” neglect: plans for another category after a neglect assessment',
  'repeat.cp_starts': 'Plans starting, with repeat flags',
  'repeat.cp_starts_second_or_subsequent': 'Second or subsequent plans',
  'repeat.cp_starts_within_2y': 'Plans within 2 years of the last one ending (local measure)',
  'repeat.cp_starts_repeat_neglect': 'Repeat plans under neglect',
  'repeat.referrals': 'Referrals',
  'repeat.rereferrals_12m': 'Re-referrals within 12 months',
  'repeat.eh_starts': 'Early help episodes starting',
  'repeat.eh_starts_repeat_12m': 'Early help starting again within 12 months',
  'drift.cp_open_by_duration': 'Children on a plan, by time on plan',
  'drift.cp_ended_by_duration': 'Plans ending, by time on plan',
  'drift.cp_open_18m_plus': 'Plans open 18 months or more',
  'drift.stop_start_children': 'Children whose help keeps stopping and starting',
  'drift.stop_start_children_neglect': 'Stop-start children with a neglect signal',
  'drift.assessments_completed': 'Assessments authorised (timeliness)',
  'drift.assessments_within_45wd': 'Assessments within 45 working days',
  'drift.icpcs': 'Initial child protection conferences',
  'drift.icpcs_within_15wd': 'Initial conferences within 15 working days',
  'drift.first_neglect_to_cp_n': 'Neglect plans, with the days from the first sign of neglect',
  'looked_after.lac_open': 'Children looked after at the period end',
  'looked_after.lac_open_n1': 'Children looked after, category of need N1 (abuse or neglect)',
  'looked_after.lac_starts': 'Children starting to be looked after',
  'looked_after.lac_starts_n1': 'Children starting to be looked after, N1 (abuse or neglect)',
  'looked_after.lac_from_neglect_plan': 'Children coming into care from a neglect plan',
  'strategy.rereferrals_neglect_after_assessment': 'Re-referrals after a neglect assessment',
  'strategy.cp_stepdowns_to_cin': 'Plans stepped down to child in need',
  'strategy.cin_stepdowns_to_eh': 'Child in need closures stepped down to early help',
  'strategy.eh_closed_needs_met': 'Early help closed with needs met',
  'strategy.referrals_by_source': 'Referrals by source',
  'strategy.eh_starts_by_lead_agency': 'Early help starts by lead agency',
};

/** The column a split is made by, for the words of its parts. */
const splitColumns: Record<string, string> = {
  'drift.cp_open_by_duration': 'duration_band',
  'drift.cp_ended_by_duration': 'duration_band',
  'prevalence.neglect_highest_stage': 'highest_stage',
  'strategy.referrals_by_source': 'source_group',
};

export function caseListTitle(figure: string): string {
  if (Object.hasOwn(titles, figure)) return titles[figure]!;
  const dot = figure.lastIndexOf('.');
  const parent = figure.slice(0, dot);
  if (dot > 0 && Object.hasOwn(titles, parent)) {
    const column = caseListColumn(splitColumns[parent] ?? '');
    const part = figure.slice(dot + 1);
    return `${titles[parent]}: ${column.kind === 'code' ? codeLabel(column.codes, part) : part}`;
  }
  return figure;
}
