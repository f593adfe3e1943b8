/**
 * Codes in words, written once for the case lists, their CSV export and the chronology (server and
 * client alike). CIN census codes follow the DfE's CIN census 2025–26 code list, as its schema
 * (data/reference/cin-census/CIN_schema_2026.xsd) enumerates them; tests/metrics/chronology.test.ts
 * fails when the schema holds a code this page does not name. Referral sources are the DfE's: 2A
 * schools, 2B education services, 3A–3F health services (3A the GP), 5A–5D local authority
 * services, 6 police. SSDA903 codes (care episodes) follow the DfE's children looked after return.
 */
import { referralSourceGroupNames } from './referralSources.ts';

export type CodeList = Readonly<Record<string, string>>;

/** CIN census ReferralSource. */
export const referralSources: CodeList = {
  '1A': 'Individual: family member, relative or carer',
  '1B': 'Individual: acquaintance (including neighbours and child minders)',
  '1C': 'Individual: self',
  '1D': 'Individual: other (including strangers)',
  '2A': 'Schools',
  '2B': 'Education services',
  '3A': 'Health services: GP',
  '3B': 'Health services: health visitor',
  '3C': 'Health services: school nurse',
  '3D': 'Health services: other primary health services',
  '3E': 'Health services: A&E',
  '3F': 'Health services: other (for example hospice)',
  '4': 'Housing: local authority housing or housing association',
  '5A': 'LA services: social care (for example adult social care)',
  '5B': 'LA services: other internal (for example youth offending)',
  '5C': 'LA services: external (for example another local authority)',
  '5D': 'LA services: early help',
  '6': 'Police',
  '7': 'Other legal agency (courts, probation, immigration, Cafcass, prison)',
  '8': "Other (children's centres, independent or voluntary organisations)",
  '9': 'Anonymous',
  '10': 'Unknown',
};

/** The DfE's groups of referral sources, in the words the board pack uses (one place: referralSources.ts). */
export const referralSourceGroups: CodeList = referralSourceGroupNames;

/** CIN census ReasonForClosure. */
export const closureReasons: CodeList = {
  RC1: 'Adopted',
  RC2: 'Died',
  RC3: 'Child arrangements order',
  RC4: 'Special guardianship order',
  RC5: 'Transferred to services of another local authority',
  RC6: 'Transferred to adult social care services',
  RC7: 'Services ceased for any other reason, including child no longer in need',
  RC8: 'Case closed after assessment, no further action',
  RC9: 'Case closed after assessment, referred to early help',
};

/** CIN census category of abuse (CP plan categories). MUL is its own category, never neglect (METRICS.md §2). */
export const cpCategories: CodeList = {
  NEG: 'Neglect',
  PHY: 'Physical abuse',
  EMO: 'Emotional abuse',
  SAB: 'Sexual abuse',
  MUL: 'Multiple',
};

/** CIN census PrimaryNeedCode. N1 is "abuse or neglect", never neglect alone (METRICS.md §2). */
export const primaryNeeds: CodeList = {
  N0: 'Not stated',
  N1: 'Abuse, neglect and exploitation',
  N2: "Child's disability",
  N3: 'Parental disability or illness',
  N4: 'Family in acute stress',
  N5: 'Family dysfunction',
  N6: 'Socially unacceptable behaviour',
  N7: 'Low income',
  N8: 'Absent parenting',
  N9: 'Cases other than children in need',
};

/** CIN census factors identified at assessment, in short words (16A is neglect). */
export const assessmentFactors: CodeList = {
  '1A': 'Alcohol misuse: child',
  '1B': 'Alcohol misuse: parent or carer',
  '1C': 'Alcohol misuse: another person in the household',
  '2A': 'Drug misuse: child',
  '2B': 'Drug misuse: parent or carer',
  '2C': 'Drug misuse: another person in the household',
  '3A': 'Domestic violence: child subject',
  '3B': 'Domestic violence: parent or carer subject',
  '3C': 'Domestic violence: another person in the household subject',
  '4A': 'Mental health: child',
  '4B': 'Mental health: parent or carer',
  '4C': 'Mental health: another person in the household',
  '5A': 'Learning disability: child',
  '5B': 'Learning disability: parent or carer',
  '5C': 'Learning disability: another person in the household',
  '6A': 'Physical disability or illness: child',
  '6B': 'Physical disability or illness: parent or carer',
  '6C': 'Physical disability or illness: another person in the household',
  '7A': 'Young carer',
  '8B': 'Privately fostered: overseas, intends to return',
  '8C': 'Privately fostered: overseas, intends to stay',
  '8D': 'Privately fostered: UK, educational placement',
  '8E': 'Privately fostered: UK, alternative family arrangement',
  '8F': 'Privately fostered: other',
  '9A': 'Unaccompanied asylum-seeking child',
  '10A': 'Going or being missing',
  '11A': 'Child sexual exploitation',
  '12A': 'Trafficking',
  '13A': 'Gangs',
  '14A': 'Socially unacceptable behaviour',
  '15A': 'Self-harm',
  '16A': 'Neglect',
  '17A': 'Emotional abuse',
  // 18A and 19A were split into B (child on child) and C (adult on child); the schema keeps them.
  '18A': 'Physical abuse',
  '18B': 'Physical abuse: child on child',
  '18C': 'Physical abuse: adult on child',
  '19A': 'Sexual abuse',
  '19B': 'Sexual abuse: child on child',
  '19C': 'Sexual abuse: adult on child',
  '20': 'Other',
  '21': 'No factors identified',
  '22A': 'Female genital mutilation',
  '23A': 'Abuse linked to faith or belief',
  '24A': 'Child criminal exploitation',
};

/** CIN census ethnicity codes. */
export const ethnicities: CodeList = {
  WBRI: 'White British',
  WIRI: 'White Irish',
  WIRT: 'Traveller of Irish heritage',
  WOTH: 'Any other White background',
  WROM: 'Gypsy/Roma',
  MWBC: 'White and Black Caribbean',
  MWBA: 'White and Black African',
  MWAS: 'White and Asian',
  MOTH: 'Any other mixed background',
  AIND: 'Indian',
  APKN: 'Pakistani',
  ABAN: 'Bangladeshi',
  AOTH: 'Any other Asian background',
  BCRB: 'Caribbean',
  BAFR: 'African',
  BOTH: 'Any other Black background',
  CHNE: 'Chinese',
  OOTH: 'Any other ethnic group',
  REFU: 'Refused',
  NOBT: 'Information not yet obtained',
};

/** METRICS.md §1 ethnicity groups. */
export const ethnicityGroups: CodeList = {
  white: 'White',
  mixed: 'Mixed',
  asian: 'Asian or Asian British',
  black: 'Black or Black British',
  other: 'Other ethnic group',
  unknown: 'Not known',
};

/** METRICS.md §1 age bands. */
export const ageBands: CodeList = {
  unborn: 'Unborn',
  under_1: 'Under 1',
  '1_4': '1 to 4',
  '5_9': '5 to 9',
  '10_15': '10 to 15',
  '16_plus': '16 and over',
};

/** METRICS.md §1 sex. */
export const sexes: CodeList = { male: 'Male', female: 'Female', unknown: 'Not known' };

/** METRICS.md §5 duration bands. */
export const durationBands: CodeList = {
  le_3m: 'Up to 3 months',
  '3_6m': '3 to 6 months',
  '6_12m': '6 to 12 months',
  '1_2y': '1 to 2 years',
  '2y_plus': '2 years or more',
};

/** METRICS.md §3 neglect_highest_stage. */
export const stages: CodeList = { cp: 'Child protection', cin: 'Child in need', early_help: 'Early help' };

/** DATA.md early_help.csv closure reasons. */
export const earlyHelpClosureReasons: CodeList = {
  stepped_up: "Stepped up to children's social care",
  needs_met: 'Needs met',
  disengaged: 'Family disengaged',
  moved: 'Moved away',
  other: 'Other',
};

/** SSDA903 RNE: reason for new episode. */
export const lacReasonsNewEpisode: CodeList = {
  S: 'Started to be looked after',
  L: 'Change of legal status only',
  P: 'Change of placement only',
  T: 'Change of legal status and placement',
  U: 'Change of placement and carer',
  B: 'Change of legal status, placement and carer',
};

/** SSDA903 LS: legal status. */
export const lacLegalStatuses: CodeList = {
  C1: 'Interim care order',
  C2: 'Full care order',
  D1: 'Freeing order granted',
  E1: 'Placement order granted',
  J1: 'Remanded to local authority or youth detention accommodation',
  J2: 'Placed in local authority accommodation under PACE',
  J3: 'Sentenced to a youth rehabilitation order with residence requirement',
  L1: 'Under police protection and in local authority accommodation',
  L2: 'Emergency protection order',
  L3: 'Under a child assessment order and in local authority accommodation',
  V2: 'Accommodated under section 20 (single period)',
  V3: 'Accommodated under an agreed series of short-term breaks (episodes recorded)',
  V4: 'Accommodated under an agreed series of short-term breaks (agreements recorded)',
};

/** SSDA903 CIN: category of need. N1 is "abuse or neglect", never neglect alone (METRICS.md §2). */
export const lacCategoriesOfNeed: CodeList = {
  N1: 'Abuse or neglect',
  N2: "Child's disability",
  N3: 'Parental illness or disability',
  N4: 'Family in acute stress',
  N5: 'Family dysfunction',
  N6: 'Socially unacceptable behaviour',
  N7: 'Low income',
  N8: 'Absent parenting',
};

/** SSDA903 REC: reason episode ceased. */
export const lacReasonsCeased: CodeList = {
  X1: 'Episode ceased, a new one began the same day',
  E11: 'Adopted: application unopposed',
  E12: 'Adopted: consent dispensed with by the court',
  E13: 'Left care to live with parents, relatives or others with no parental responsibility',
  E14: 'Accommodation on remand ended',
  E15: 'Age assessment found the child 18 or over',
  E16: 'Child moved abroad',
  E17: 'Aged 18 or over and stayed with current carers',
  E2: 'Died',
  E3: 'Care taken by another local authority',
  E41: 'Child arrangements (residence) order granted',
  E45: 'Special guardianship order: former foster carers',
  E46: 'Special guardianship order: other carers',
  E47: 'Special guardianship order: former foster carers who were relatives or friends',
  E48: 'Special guardianship order: other carers who were relatives or friends',
  E4A: 'Returned home to parents or others with parental responsibility, as planned',
  E4B: 'Returned home to parents or others with parental responsibility, not as planned',
  E5: 'Moved into independent living with support',
  E6: 'Moved into independent living without support',
  E7: 'Transferred to residential care funded by adult social care',
  E8: 'Care ceased for any other reason',
  E9: 'Sentenced to custody',
};

/** The words of a code, or the code itself (and so never a blank) when the list does not know it. */
export function codeLabel(list: CodeList, code: string | null | undefined): string {
  if (code === null || code === undefined || code === '') return 'not recorded';
  return Object.hasOwn(list, code) ? list[code]! : code;
}
