/**
 * METRICS.md §12 referrals_by_source: the DfE's groups of CIN census referral source codes, in the
 * order the DfE publishes them, with the words a board reads. sql/conventions.sql
 * (referral_source_group) assigns the codes; this names the groups.
 */
export const referralSourceGroups = [
  'police',
  'schools',
  'health',
  'la_services',
  'individual',
  'education_services',
  'housing',
  'other_legal_agency',
  'other',
  'anonymous',
  'unknown',
] as const;

export type ReferralSourceGroup = (typeof referralSourceGroups)[number];

export const referralSourceGroupNames: Record<ReferralSourceGroup, string> = {
  police: 'Police',
  schools: 'Schools',
  health: 'Health services',
  la_services: 'Local authority services, early help included',
  individual: 'Individuals: family, acquaintances, the child',
  education_services: 'Education services',
  housing: 'Housing',
  other_legal_agency: 'Other legal agencies: courts, probation, CAFCASS',
  other: "Other: children's centres, voluntary sector",
  anonymous: 'Anonymous',
  unknown: 'Unknown or not recorded',
};

/** A group's words, or the key itself for a group this list does not know. */
export function referralSourceGroupName(group: string): string {
  return (referralSourceGroupNames as Record<string, string>)[group] ?? group;
}
