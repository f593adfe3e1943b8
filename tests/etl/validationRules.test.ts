import { writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { describeLoad } from '../../bin/cli/load.ts';
import { loadFiles } from '../../etl/load/loadFiles.ts';
import { cinCensusRules } from '../../etl/validation/rules.ts';
import { Warehouse } from '../../sql/warehouse.ts';
import { edited, loadCensus, validCensus } from './validationCensus.fixture.ts';

/**
 * A test per DfE CIN census rule: the valid minimal file (validationCensus.fixture.ts) with one
 * small edit that breaks the rule. The load shows the rule's code in its rejects (a reject rule) or
 * its flags (a flag rule); the valid file shows neither.
 */
const open: Warehouse[] = [];
afterEach(() => {
  for (const w of open.splice(0)) w.close();
});

const cpPlanOpen = `<CPPstartDate>2025-06-15</CPPstartDate>`;
const episodeEnd = `</CINdetails>`;
const afterNfa = `<ReferralNFA>0</ReferralNFA>`;
const birth = `<PersonBirthDate>2015-04-01</PersonBirthDate>`;
const upn = `<UPN>P201123456789</UPN>`;
const cinPlan = (start: string, end?: string) =>
  `<CINPlanDates><CINPlanStartDate>${start}</CINPlanStartDate>${end ? `<CINPlanEndDate>${end}</CINPlanEndDate>` : ''}</CINPlanDates>`;
const ethnicity = `<Ethnicity>WBRI</Ethnicity>`;
const factors = (...codes: string[]) =>
  `<FactorsIdentifiedAtAssessment>${codes.map((code) => `<AssessmentFactors>${code}</AssessmentFactors>`).join('')}</FactorsIdentifiedAtAssessment>`;
/** The valid file's <name> block, tags included. */
const block = (name: string) =>
  validCensus.slice(validCensus.indexOf(`<${name}>`), validCensus.indexOf(`</${name}>`) + name.length + 3);
const disabilities = (...codes: string[]) =>
  `<Disabilities>${codes.map((code) => `<Disability>${code}</Disability>`).join('')}</Disabilities>`;
const episode = (referral: string, closure = '') =>
  `<CINdetails><CINreferralDate>${referral}</CINreferralDate><ReferralSource>1A</ReferralSource>${closure}<PrimaryNeedCode>N1</PrimaryNeedCode><ReferralNFA>0</ReferralNFA></CINdetails>`;
const openS47 = (start: string) =>
  `<Section47><S47ActualStartDate>${start}</S47ActualStartDate><ICPCnotRequired>false</ICPCnotRequired></Section47>`;
const secondChild = (id: string, upn: string) => `
    <Child>
      <ChildIdentifiers><LAchildID>${id}</LAchildID><UPN>${upn}</UPN><PersonBirthDate>2016-01-01</PersonBirthDate><Sex>M</Sex></ChildIdentifiers>
      <ChildCharacteristics><Ethnicity>WBRI</Ethnicity></ChildCharacteristics>
      <CINdetails><CINreferralDate>2025-07-01</CINreferralDate><ReferralSource>1A</ReferralSource><PrimaryNeedCode>N1</PrimaryNeedCode><ReferralNFA>0</ReferralNFA></CINdetails>
    </Child>
  </Children>`;

/** Each rule's edit of the valid file, in code order; `why` says how it breaks the rule. */
const cases: { rule: string; why: string; edits: [string, string][] }[] = [
  {
    rule: '1103',
    why: 'the assessment starts 2025-05-30, before the referral of 2025-06-01',
    edits: [
      [
        '<AssessmentActualStartDate>2025-06-02</AssessmentActualStartDate>',
        '<AssessmentActualStartDate>2025-05-30</AssessmentActualStartDate>',
      ],
    ],
  },
  {
    rule: '1104',
    why: 'the Section 47 (from 2025-05-20) holds its conference 2025-05-25, before the referral of 2025-06-01',
    edits: [
      ['<S47ActualStartDate>2025-06-05</S47ActualStartDate>', '<S47ActualStartDate>2025-05-20</S47ActualStartDate>'],
      ['<DateOfInitialCPC>2025-06-15</DateOfInitialCPC>', '<DateOfInitialCPC>2025-05-25</DateOfInitialCPC>'],
    ],
  },
  {
    rule: '1105',
    why: 'the CP plan starts 2025-05-20, before the referral of 2025-06-01',
    edits: [[cpPlanOpen, '<CPPstartDate>2025-05-20</CPPstartDate>']],
  },
  {
    rule: '1510',
    why: 'the UPN’s check letter is A; its digits give P',
    edits: [[upn, '<UPN>A201123456789</UPN>']],
  },
  {
    rule: '1520',
    why: 'a second child, C2, carries C1’s UPN',
    edits: [['</Children>', secondChild('C2', 'P201123456789')]],
  },
  {
    rule: '1530',
    why: 'the UPN’s characters 2–4 are 999, not an LA code (its check letter is right)',
    edits: [[upn, '<UPN>U999123456789</UPN>']],
  },
  {
    rule: '1540',
    why: 'the UPN’s ninth character is X',
    edits: [[upn, '<UPN>P2011234X6789</UPN>']],
  },
  {
    rule: '1550',
    why: 'the UPN ends in I, a letter UPNs leave out',
    edits: [[upn, '<UPN>P20112345678I</UPN>']],
  },
  {
    rule: '1560Q',
    why: 'the former UPN X98721238 is nine characters',
    edits: [[upn, `${upn}<FormerUPN>X98721238</FormerUPN>`]],
  },
  {
    rule: '1570',
    why: 'the LA child id has 22 characters',
    edits: [['<LAchildID>C1</LAchildID>', '<LAchildID>C123456789012345678901</LAchildID>']],
  },
  {
    rule: '1580',
    why: 'the LA child id C-1 holds a hyphen',
    edits: [['<LAchildID>C1</LAchildID>', '<LAchildID>C-1</LAchildID>']],
  },
  {
    rule: '2889',
    why: 'the Section 47 starts 2025-05-25, before the referral of 2025-06-01',
    edits: [
      ['<S47ActualStartDate>2025-06-05</S47ActualStartDate>', '<S47ActualStartDate>2025-05-25</S47ActualStartDate>'],
    ],
  },
  {
    rule: '2990',
    why: 'the episode closes RC8 (no further action after assessment) yet holds a S47 and a CP plan',
    edits: [
      [
        '<ReferralSource>1A</ReferralSource>',
        '<ReferralSource>1A</ReferralSource><CINclosureDate>2026-01-10</CINclosureDate><ReasonForClosure>RC8</ReasonForClosure>',
      ],
    ],
  },
  {
    rule: '2991Q',
    why: 'the episode holds a Section 47 but its assessment is taken out',
    edits: [[block('Assessments'), '']],
  },
  {
    rule: '4000',
    why: 'the episode marked NFA holds a CIN plan',
    edits: [[afterNfa, `<ReferralNFA>1</ReferralNFA>${cinPlan('2025-07-01')}`]],
  },
  {
    rule: '4001',
    why: 'an open CIN plan from 2025-07-01 in the episode whose CP plan (from 2025-06-15) is open too',
    edits: [[afterNfa, `${afterNfa}${cinPlan('2025-07-01')}`]],
  },
  {
    rule: '4003',
    why: 'the CP plan’s review of 2025-09-01 falls in an open CIN plan of the episode, from 2025-08-01',
    edits: [[afterNfa, `${afterNfa}${cinPlan('2025-08-01')}`]],
  },
  {
    rule: '4004',
    why: 'two CIN plans of the episode, from 2025-07-01 and 2025-08-01, are both open',
    edits: [[afterNfa, `${afterNfa}${cinPlan('2025-07-01')}${cinPlan('2025-08-01')}`]],
  },
  {
    rule: '4008',
    why: 'the child died 2025-06-30; a CIN plan starts 2025-07-01',
    edits: [
      [birth, `${birth}<PersonDeathDate>2025-06-30</PersonDeathDate>`],
      [afterNfa, `${afterNfa}${cinPlan('2025-07-01')}`],
    ],
  },
  {
    rule: '4009Q',
    why: 'the child died 2025-07-01; a CIN plan from 2025-05-01 ends 2025-07-10',
    edits: [
      [birth, `${birth}<PersonDeathDate>2025-07-01</PersonDeathDate>`],
      [afterNfa, `${afterNfa}${cinPlan('2025-05-01', '2025-07-10')}`],
    ],
  },
  {
    rule: '4010',
    why: 'a CIN plan starts 2026-04-10, after the reference date',
    edits: [[afterNfa, `${afterNfa}${cinPlan('2026-04-10')}`]],
  },
  {
    rule: '4011',
    why: 'a CIN plan from 2025-07-01 ends 2025-06-20',
    edits: [[afterNfa, `${afterNfa}${cinPlan('2025-07-01', '2025-06-20')}`]],
  },
  {
    rule: '4012Q',
    why: 'a CIN plan starts and ends on 2025-07-01',
    edits: [[afterNfa, `${afterNfa}${cinPlan('2025-07-01', '2025-07-01')}`]],
  },
  {
    rule: '4013',
    why: 'a CIN plan ends 2025-03-20, before the census year (2025-04-01 to 2026-03-31)',
    edits: [[afterNfa, `${afterNfa}${cinPlan('2025-03-01', '2025-03-20')}`]],
  },
  {
    rule: '4014',
    why: 'two CIN plans: 2025-05-01 to 2025-06-10, and 2025-06-01 (inside the first)',
    edits: [[afterNfa, `${afterNfa}${cinPlan('2025-05-01', '2025-06-10')}${cinPlan('2025-06-01', '2025-06-12')}`]],
  },
  {
    rule: '4015',
    why: 'a CIN plan starts 2025-05-20, before the referral of 2025-06-01',
    edits: [[afterNfa, `${afterNfa}${cinPlan('2025-05-20', '2025-05-30')}`]],
  },
  {
    rule: '4016',
    why: 'a CIN plan from 2025-07-01 to 2025-07-20 starts while the CP plan (from 2025-06-15, open) runs',
    edits: [[afterNfa, `${afterNfa}${cinPlan('2025-07-01', '2025-07-20')}`]],
  },
  {
    rule: '4017',
    why: 'the CP plan starts 2025-06-15, while a CIN plan (2025-06-10 to 2025-06-20) is open',
    edits: [[afterNfa, `${afterNfa}${cinPlan('2025-06-10', '2025-06-20')}`]],
  },
  {
    rule: '4180',
    why: 'the child has no sex recorded',
    edits: [['<Sex>F</Sex>', '']],
  },
  {
    rule: '4220',
    why: 'ethnicity WXYZ is not a code of the code set',
    edits: [[ethnicity, '<Ethnicity>WXYZ</Ethnicity>']],
  },
  {
    rule: '8500',
    why: 'a second child has an empty LA child id',
    edits: [['</Children>', secondChild('', 'B987654321098')]],
  },
  {
    rule: '8520',
    why: 'the child is born 2026-04-10, after the reference date',
    edits: [[birth, '<PersonBirthDate>2026-04-10</PersonBirthDate>']],
  },
  {
    rule: '8525',
    why: 'the child has both a date of birth and an expected date of birth',
    edits: [[birth, `${birth}<ExpectedPersonBirthDate>2015-04-10</ExpectedPersonBirthDate>`]],
  },
  {
    rule: '8530Q',
    why: 'an unborn child (sex U) expected 2027-01-15, more than 9 months after the reference date',
    edits: [
      [birth, '<ExpectedPersonBirthDate>2027-01-15</ExpectedPersonBirthDate>'],
      ['<Sex>F</Sex>', '<Sex>U</Sex>'],
    ],
  },
  {
    rule: '8535Q',
    why: 'the child died 2015-03-01, before its birth on 2015-04-01',
    edits: [[birth, `${birth}<PersonDeathDate>2015-03-01</PersonDeathDate>`]],
  },
  {
    rule: '8540',
    why: 'C1, born and referred on to further action, has no disability recorded (not even NONE)',
    edits: [[disabilities('NONE'), '']],
  },
  {
    rule: '8545Q',
    why: 'the child died 2025-03-01, before the census year (2025-04-01 to 2026-03-31)',
    edits: [[birth, `${birth}<PersonDeathDate>2025-03-01</PersonDeathDate>`]],
  },
  {
    rule: '8555',
    why: 'the child died 2025-05-20; the referral is dated 2025-06-01',
    edits: [[birth, `${birth}<PersonDeathDate>2025-05-20</PersonDeathDate>`]],
  },
  {
    rule: '8565',
    why: 'the episode closes 2025-06-10, before the ICPC (06-15) and the assessment’s authorisation (06-20)',
    edits: [
      [
        '<ReferralSource>1A</ReferralSource>',
        '<ReferralSource>1A</ReferralSource><CINclosureDate>2025-06-10</CINclosureDate><ReasonForClosure>RC1</ReasonForClosure>',
      ],
    ],
  },
  {
    rule: '8568',
    why: 'the referral has no ReferralNFA',
    edits: [[afterNfa, '']],
  },
  {
    rule: '8569',
    why: 'a referral of 2025-03-01, before the census year, is marked as no further action',
    edits: [
      ['<CINreferralDate>2025-06-01</CINreferralDate>', '<CINreferralDate>2025-03-01</CINreferralDate>'],
      [afterNfa, '<ReferralNFA>1</ReferralNFA>'],
    ],
  },
  {
    rule: '8585Q',
    why: 'the episode closes RC2 (the child died) but no date of death is recorded',
    edits: [
      [
        '<ReferralSource>1A</ReferralSource>',
        '<ReferralSource>1A</ReferralSource><CINclosureDate>2026-01-10</CINclosureDate><ReasonForClosure>RC2</ReasonForClosure>',
      ],
    ],
  },
  {
    rule: '8590',
    why: 'a second child, C3, has no CIN episode',
    edits: [
      [
        '</Children>',
        '<Child><ChildIdentifiers><LAchildID>C3</LAchildID><PersonBirthDate>2016-01-01</PersonBirthDate><Sex>M</Sex></ChildIdentifiers><ChildCharacteristics><Ethnicity>WBRI</Ethnicity></ChildCharacteristics></Child></Children>',
      ],
    ],
  },
  {
    rule: '8600',
    why: 'the referral is dated 2026-04-10, after the reference date',
    edits: [['<CINreferralDate>2025-06-01</CINreferralDate>', '<CINreferralDate>2026-04-10</CINreferralDate>']],
  },
  {
    rule: '8606',
    why: 'the child was born 2026-03-20, 292 days after the referral of 2025-06-01',
    edits: [[birth, '<PersonBirthDate>2026-03-20</PersonBirthDate>']],
  },
  {
    rule: '8608',
    why: 'the assessment from 2025-06-02 is authorised 2025-06-01',
    edits: [
      [
        '<AssessmentAuthorisationDate>2025-06-20</AssessmentAuthorisationDate>',
        '<AssessmentAuthorisationDate>2025-06-01</AssessmentAuthorisationDate>',
      ],
    ],
  },
  {
    rule: '8610',
    why: 'the referral led to further action (NFA 0) but has no primary need code',
    edits: [['<PrimaryNeedCode>N1</PrimaryNeedCode>', '']],
  },
  {
    rule: '8614',
    why: 'the assessment has factor 2B but no authorisation date',
    edits: [['<AssessmentAuthorisationDate>2025-06-20</AssessmentAuthorisationDate>', '']],
  },
  {
    rule: '8615',
    why: 'the Section 47 starts 2025-06-16, after its conference of 2025-06-15',
    edits: [
      ['<S47ActualStartDate>2025-06-05</S47ActualStartDate>', '<S47ActualStartDate>2025-06-16</S47ActualStartDate>'],
    ],
  },
  {
    rule: '8617',
    why: 'the assessment records factor 8A, not a valid code',
    edits: [['<AssessmentFactors>2B</AssessmentFactors>', '<AssessmentFactors>8A</AssessmentFactors>']],
  },
  {
    rule: '8620',
    why: 'the episode referred 2025-02-01 closes 2025-03-15, before the census year',
    edits: [
      ['<CINreferralDate>2025-06-01</CINreferralDate>', '<CINreferralDate>2025-02-01</CINreferralDate>'],
      [
        '<ReferralSource>1A</ReferralSource>',
        '<ReferralSource>1A</ReferralSource><CINclosureDate>2025-03-15</CINclosureDate><ReasonForClosure>RC1</ReasonForClosure>',
      ],
    ],
  },
  {
    rule: '8630',
    why: 'the episode referred 2025-06-01 closes 2025-05-01',
    edits: [
      [
        '<ReferralSource>1A</ReferralSource>',
        '<ReferralSource>1A</ReferralSource><CINclosureDate>2025-05-01</CINclosureDate><ReasonForClosure>RC1</ReasonForClosure>',
      ],
    ],
  },
  {
    rule: '8640',
    why: 'the episode closes with reason RC10, not a code',
    edits: [
      [
        '<ReferralSource>1A</ReferralSource>',
        '<ReferralSource>1A</ReferralSource><CINclosureDate>2026-01-10</CINclosureDate><ReasonForClosure>RC10</ReasonForClosure>',
      ],
    ],
  },
  {
    rule: '8650',
    why: 'primary need NX is not a code',
    edits: [['<PrimaryNeedCode>N1</PrimaryNeedCode>', '<PrimaryNeedCode>NX</PrimaryNeedCode>']],
  },
  {
    rule: '8670Q',
    why: 'the assessment started 2025-06-02 (more than 45 working days before the reference date) is not authorised',
    edits: [
      ['<AssessmentAuthorisationDate>2025-06-20</AssessmentAuthorisationDate>', ''],
      [factors('2B'), ''],
    ],
  },
  {
    rule: '8675Q',
    why: 'the Section 47 started 2025-06-05 has no conference and is not marked as not required',
    edits: [['<DateOfInitialCPC>2025-06-15</DateOfInitialCPC>', '']],
  },
  {
    rule: '8696',
    why: 'the assessment (2025-03-10) is authorised 2025-03-20, before the census year',
    edits: [
      [
        '<AssessmentActualStartDate>2025-06-02</AssessmentActualStartDate>',
        '<AssessmentActualStartDate>2025-03-10</AssessmentActualStartDate>',
      ],
      [
        '<AssessmentAuthorisationDate>2025-06-20</AssessmentAuthorisationDate>',
        '<AssessmentAuthorisationDate>2025-03-20</AssessmentAuthorisationDate>',
      ],
    ],
  },
  {
    rule: '8715',
    why: 'the Section 47 (2025-03-10) holds its conference 2025-03-20, before the census year',
    edits: [
      ['<S47ActualStartDate>2025-06-05</S47ActualStartDate>', '<S47ActualStartDate>2025-03-10</S47ActualStartDate>'],
      ['<DateOfInitialCPC>2025-06-15</DateOfInitialCPC>', '<DateOfInitialCPC>2025-03-20</DateOfInitialCPC>'],
    ],
  },
  {
    rule: '8720',
    why: 'the CP plan starts 2026-04-10, after the reference date',
    edits: [[cpPlanOpen, '<CPPstartDate>2026-04-10</CPPstartDate>']],
  },
  {
    rule: '8730',
    why: 'the CP plan has no number of previous plans',
    edits: [['<NumberOfPreviousCPP>0</NumberOfPreviousCPP>', '']],
  },
  {
    rule: '8736',
    why: 'the assessment, not authorised, started 2025-03-10, before the census year',
    edits: [
      [
        '<AssessmentActualStartDate>2025-06-02</AssessmentActualStartDate>',
        '<AssessmentActualStartDate>2025-03-10</AssessmentActualStartDate>',
      ],
      ['<AssessmentAuthorisationDate>2025-06-20</AssessmentAuthorisationDate>', ''],
      [factors('2B'), ''],
    ],
  },
  {
    rule: '8740',
    why: 'the Section 47, with no conference and not marked as not required, started 2025-03-10, before the census year',
    edits: [
      ['<S47ActualStartDate>2025-06-05</S47ActualStartDate>', '<S47ActualStartDate>2025-03-10</S47ActualStartDate>'],
      ['<DateOfInitialCPC>2025-06-15</DateOfInitialCPC>', ''],
    ],
  },
  {
    rule: '8750',
    why: 'an unborn child (expected 2026-05-01, no birth date) with sex F',
    edits: [[birth, '<ExpectedPersonBirthDate>2026-05-01</ExpectedPersonBirthDate>']],
  },
  {
    rule: '8770Q',
    why: 'C1, 10 at the reference date, with a referral going on to further action, has no UPN and no reason',
    edits: [[upn, '']],
  },
  {
    rule: '8772',
    why: 'the UPN is missing for reason UN7 (referral with no further action), yet C1’s referral goes on',
    edits: [[upn, '<UPNunknown>UN7</UPNunknown>']],
  },
  {
    rule: '8775Q',
    why: 'C1, born 1999-01-01, is 27 at the reference date and the episode is still open',
    edits: [[birth, '<PersonBirthDate>1999-01-01</PersonBirthDate>']],
  },
  {
    rule: '8790',
    why: 'the child’s disabilities are NONE and MOTH',
    edits: [[ethnicity, `${ethnicity}${disabilities('NONE', 'MOTH')}`]],
  },
  {
    rule: '8794',
    why: 'the child’s disabilities are MOTH twice',
    edits: [[ethnicity, `${ethnicity}${disabilities('MOTH', 'MOTH')}`]],
  },
  {
    rule: '8805',
    why: 'the episode closes 2026-01-10 with no reason for closure',
    edits: [
      [
        '<ReferralSource>1A</ReferralSource>',
        '<ReferralSource>1A</ReferralSource><CINclosureDate>2026-01-10</CINclosureDate>',
      ],
    ],
  },
  {
    rule: '8810',
    why: 'the episode has reason for closure RC1 but no closure date',
    edits: [
      [
        '<ReferralSource>1A</ReferralSource>',
        '<ReferralSource>1A</ReferralSource><ReasonForClosure>RC1</ReasonForClosure>',
      ],
    ],
  },
  {
    rule: '8815',
    why: 'a second episode, referred 2025-08-01, is open and not NFA beside the first',
    edits: [[episodeEnd, `${episodeEnd}${episode('2025-08-01')}`]],
  },
  {
    rule: '8816',
    why: 'the open episode of 2025-06-01 is not the latest: another was referred 2025-09-01 (closed 2025-09-10)',
    edits: [
      [
        episodeEnd,
        `${episodeEnd}${episode('2025-09-01', '<CINclosureDate>2025-09-10</CINclosureDate><ReasonForClosure>RC1</ReasonForClosure>')}`,
      ],
    ],
  },
  {
    rule: '8820',
    why: 'a second referral 2025-08-01 while the first episode (2025-06-01) is still open',
    edits: [
      [
        episodeEnd,
        `${episodeEnd}<CINdetails><CINreferralDate>2025-08-01</CINreferralDate><ReferralSource>1A</ReferralSource><PrimaryNeedCode>N1</PrimaryNeedCode><ReferralNFA>0</ReferralNFA></CINdetails>`,
      ],
    ],
  },
  {
    rule: '8825Q',
    why: 'the episode closes RC8 (after assessment) but has no assessment',
    edits: [
      [
        '<ReferralSource>1A</ReferralSource>',
        '<ReferralSource>1A</ReferralSource><CINclosureDate>2026-01-10</CINclosureDate><ReasonForClosure>RC8</ReasonForClosure>',
      ],
      [block('Assessments'), ''],
    ],
  },
  {
    rule: '8831',
    why: 'the episode marked NFA holds an assessment and a Section 47',
    edits: [[afterNfa, '<ReferralNFA>1</ReferralNFA>']],
  },
  {
    rule: '8832',
    why: 'the episode marked NFA holds a CP plan',
    edits: [[afterNfa, '<ReferralNFA>1</ReferralNFA>']],
  },
  {
    rule: '8839',
    why: 'two more Section 47s in the episode, neither with a conference nor marked not required',
    edits: [['</Section47>', `</Section47>${openS47('2025-07-01')}${openS47('2025-08-01')}`]],
  },
  {
    rule: '8840',
    why: 'the CP plan ends the day it starts',
    edits: [[cpPlanOpen, `${cpPlanOpen}<CPPendDate>2025-06-15</CPPendDate>`]],
  },
  {
    rule: '8841',
    why: 'the CP plan from 2025-06-15 has a review dated 2025-06-15',
    edits: [['<CPPreviewDate>2025-09-01</CPPreviewDate>', '<CPPreviewDate>2025-06-15</CPPreviewDate>']],
  },
  {
    rule: '8863',
    why: 'a second assessment starts 2025-06-10, while the first (2025-06-02 to 2025-06-20) is going on',
    edits: [
      [
        '</Assessments>',
        `</Assessments><Assessments><AssessmentActualStartDate>2025-06-10</AssessmentActualStartDate><AssessmentAuthorisationDate>2025-06-25</AssessmentAuthorisationDate>${factors('2B')}</Assessments>`,
      ],
    ],
  },
  {
    rule: '8866',
    why: 'referral source 1Z is not a code',
    edits: [['<ReferralSource>1A</ReferralSource>', '<ReferralSource>1Z</ReferralSource>']],
  },
  {
    rule: '8867',
    why: 'the episode closes 2026-01-10; its assessment (no factors) has no authorisation date',
    edits: [
      [
        '<ReferralSource>1A</ReferralSource>',
        '<ReferralSource>1A</ReferralSource><CINclosureDate>2026-01-10</CINclosureDate><ReasonForClosure>RC1</ReasonForClosure>',
      ],
      ['<AssessmentAuthorisationDate>2025-06-20</AssessmentAuthorisationDate>', ''],
      ['<FactorsIdentifiedAtAssessment><AssessmentFactors>2B</AssessmentFactors></FactorsIdentifiedAtAssessment>', ''],
    ],
  },
  {
    rule: '8868',
    why: 'the episode closes 2026-01-10; its Section 47 has no conference date and is not marked not required',
    edits: [
      [
        '<ReferralSource>1A</ReferralSource>',
        '<ReferralSource>1A</ReferralSource><CINclosureDate>2026-01-10</CINclosureDate><ReasonForClosure>RC1</ReasonForClosure>',
      ],
      ['<DateOfInitialCPC>2025-06-15</DateOfInitialCPC>', ''],
    ],
  },
  {
    rule: '8869',
    why: 'factor 21 (no factors) recorded with 2B',
    edits: [
      [
        '<AssessmentFactors>2B</AssessmentFactors>',
        '<AssessmentFactors>21</AssessmentFactors><AssessmentFactors>2B</AssessmentFactors>',
      ],
    ],
  },
  {
    rule: '8870Q',
    why: 'the conference’s target date, 2025-06-28, is a Saturday',
    edits: [['<InitialCPCtarget>2025-06-26</InitialCPCtarget>', '<InitialCPCtarget>2025-06-28</InitialCPCtarget>']],
  },
  {
    rule: '8873',
    why: 'the episode’s one assessment found no factors (21), and the episode closes RC1',
    edits: [
      [factors('2B'), factors('21')],
      [
        '<ReferralSource>1A</ReferralSource>',
        '<ReferralSource>1A</ReferralSource><CINclosureDate>2026-01-10</CINclosureDate><ReasonForClosure>RC1</ReasonForClosure>',
      ],
    ],
  },
  {
    rule: '8890',
    why: 'a second Section 47 starts 2025-06-10, while the first (2025-06-05, conference 2025-06-15) is going on',
    edits: [
      [
        '</Section47>',
        '</Section47><Section47><S47ActualStartDate>2025-06-10</S47ActualStartDate><DateOfInitialCPC>2025-06-12</DateOfInitialCPC><ICPCnotRequired>false</ICPCnotRequired></Section47>',
      ],
    ],
  },
  {
    rule: '8896',
    why: 'the assessment from 2025-06-02 and a second from 2025-07-01 are both not authorised',
    edits: [
      ['<AssessmentAuthorisationDate>2025-06-20</AssessmentAuthorisationDate>', ''],
      [factors('2B'), ''],
      [
        '</Assessments>',
        '</Assessments><Assessments><AssessmentActualStartDate>2025-07-01</AssessmentActualStartDate></Assessments>',
      ],
    ],
  },
  {
    rule: '8897',
    why: 'the assessment authorised 2025-06-20 records no factors',
    edits: [[factors('2B'), '']],
  },
  {
    rule: '8898',
    why: 'the assessment records factor 2B twice',
    edits: [[factors('2B'), factors('2B', '2B')]],
  },
  {
    rule: '8899Q',
    why: 'the child is autistic (AUT) and the assessment authorised 2025-06-20 records neither 5A nor 6A',
    edits: [[disabilities('NONE'), disabilities('AUT')]],
  },
  {
    rule: '8905',
    why: 'the CP plan has no initial category of abuse',
    edits: [['<InitialCategoryOfAbuse>NEG</InitialCategoryOfAbuse>', '']],
  },
  {
    rule: '8910',
    why: 'the CP plan has no latest category of abuse',
    edits: [['<LatestCategoryOfAbuse>NEG</LatestCategoryOfAbuse>', '']],
  },
  {
    rule: '8915',
    why: 'the child died 2025-06-10; the CP plan starts 2025-06-15',
    edits: [[birth, `${birth}<PersonDeathDate>2025-06-10</PersonDeathDate>`]],
  },
  {
    rule: '8920',
    why: 'the child died 2025-07-01; the CP plan ends 2025-08-01',
    edits: [
      [birth, `${birth}<PersonDeathDate>2025-07-01</PersonDeathDate>`],
      [cpPlanOpen, `${cpPlanOpen}<CPPendDate>2025-08-01</CPPendDate>`],
    ],
  },
  {
    rule: '8925',
    why: 'the CP plan ends 2025-06-01, before it starts',
    edits: [[cpPlanOpen, `${cpPlanOpen}<CPPendDate>2025-06-01</CPPendDate>`]],
  },
  {
    rule: '8930',
    why: 'a CP plan from 2025-02-01 ends 2025-03-20, before the census year',
    edits: [[cpPlanOpen, '<CPPstartDate>2025-02-01</CPPstartDate><CPPendDate>2025-03-20</CPPendDate>']],
  },
  {
    rule: '8935',
    why: 'a second CP plan opens 2025-09-10 while the first is open',
    edits: [
      [
        '</ChildProtectionPlans>',
        '</ChildProtectionPlans><ChildProtectionPlans><CPPstartDate>2025-09-10</CPPstartDate><InitialCategoryOfAbuse>NEG</InitialCategoryOfAbuse><LatestCategoryOfAbuse>NEG</LatestCategoryOfAbuse><NumberOfPreviousCPP>1</NumberOfPreviousCPP></ChildProtectionPlans>',
      ],
    ],
  },
  {
    rule: '8940',
    why: 'a second CP plan starts 2025-08-01, the day the first (2025-06-15 to 2025-08-01) ends: the DfE counts the end day in',
    edits: [
      [cpPlanOpen, `${cpPlanOpen}<CPPendDate>2025-08-01</CPPendDate>`],
      [
        '</ChildProtectionPlans>',
        '</ChildProtectionPlans><ChildProtectionPlans><CPPstartDate>2025-08-01</CPPstartDate><InitialCategoryOfAbuse>NEG</InitialCategoryOfAbuse><LatestCategoryOfAbuse>NEG</LatestCategoryOfAbuse><NumberOfPreviousCPP>1</NumberOfPreviousCPP></ChildProtectionPlans>',
      ],
    ],
  },
  {
    rule: '8945Q',
    why: 'the assessment records factor 18A',
    edits: [[factors('2B'), factors('18A')]],
  },
  {
    rule: '8950Q',
    why: 'the assessment records factor 19A',
    edits: [[factors('2B'), factors('19A')]],
  },
];

describe('DfE CIN census rules on load', { timeout: 180_000 }, () => {
  it('the valid minimal file loads whole, with no rule broken', async () => {
    const { warehouse, result, rejectRules, flagRules } = await loadCensus(validCensus);
    open.push(warehouse);
    expect(result.status).toBe('loaded');
    // 1 child + 1 referral + 1 assessment + 1 S47 + 1 CP plan = 5 rows, none rejected.
    expect(result.rowsRejected).toBe(0);
    expect(result.rowsAccepted).toBe(5);
    expect(rejectRules).toEqual([]);
    expect(flagRules).toEqual([]);
    // The fields the rules need are kept: review dates and the ICPC target; the UPN is not.
    const [plan] = await warehouse.query<{ review_dates: string }>('SELECT review_dates FROM cp_plans');
    expect(plan?.review_dates).toBe('2025-09-01');
    const [s47] = await warehouse.query<{ icpc_target_date: string }>('SELECT icpc_target_date FROM section47');
    expect(s47?.icpc_target_date).toBe('2025-06-26');
    // The UPN stays only as its HMAC under the installation's key (22 base64url characters), with
    // no format rule broken.
    const [child] = await warehouse.query<{ upn_key: string; upn_checks: string | null }>(
      'SELECT upn_key, upn_checks FROM children',
    );
    expect(child?.upn_key).toMatch(/^[A-Za-z0-9_-]{22}$/);
    expect(child?.upn_checks).toBeNull();
  });

  it('every rule in cinCensusRules.sql has a case here', () => {
    expect(cases.map((c) => c.rule)).toEqual(cinCensusRules().map((r) => r.code));
  });

  it('a later census checks the children it touched and no others: an earlier child keeps its one flag', async () => {
    // Load 1: C1's assessment starts before its referral (1103). Load 2: the valid file for another
    // child, C9. The rules run over copies of the tables holding load 2's children alone, so C1 is
    // not checked again: its 1103 flag stays the one row load 1 wrote (over the whole warehouse,
    // load 2 would write a second).
    const { warehouse, result } = await loadCensus(edited(validCensus, ...cases[0]!.edits));
    open.push(warehouse);
    const later = join(dirname(warehouse.path), 'later.xml');
    writeFileSync(later, edited(validCensus, ['<LAchildID>C1</LAchildID>', '<LAchildID>C9</LAchildID>']));
    const [second] = await loadFiles(warehouse, [later], { loadedBy: 'test', confirmLa: true });
    expect(second?.status).toBe('loaded');
    expect(await warehouse.query(`SELECT load_id, child_key FROM validation_flags WHERE rule = '1103'`)).toEqual([
      { load_id: result.loadId, child_key: 1 },
    ]);
  });

  it('a census whose process stopped before its flags were written gets them before the next census lands', async () => {
    // Load 1 (C1, 1103) commits its records; its flags and its flagged_loads row are taken away, as if
    // the process had stopped between the two transactions. Load 2 (C9, valid) first writes load 1's
    // flags (C1's 1103, under load 1), then its own (C9 carries C1's UPN: 1520, under load 2), so both
    // loads are listed as flagged.
    const { warehouse, result } = await loadCensus(edited(validCensus, ...cases[0]!.edits));
    open.push(warehouse);
    await warehouse.query('DELETE FROM validation_flags');
    await warehouse.query('DELETE FROM flagged_loads');
    const later = join(dirname(warehouse.path), 'later.xml');
    writeFileSync(later, edited(validCensus, ['<LAchildID>C1</LAchildID>', '<LAchildID>C9</LAchildID>']));
    const [second] = await loadFiles(warehouse, [later], { loadedBy: 'test', confirmLa: true });
    expect(second?.status).toBe('loaded');
    expect(await warehouse.query(`SELECT load_id, rule, child_key FROM validation_flags ORDER BY load_id`)).toEqual([
      { load_id: result.loadId, rule: '1103', child_key: 1 },
      { load_id: second?.loadId, rule: '1520', child_key: 2 },
    ]);
    expect(await warehouse.query(`SELECT load_id FROM flagged_loads ORDER BY load_id`)).toEqual([
      { load_id: result.loadId },
      { load_id: second?.loadId },
    ]);
  });

  it('flags that cannot be written leave the census loaded, say so in one line, and are written by the next census', async () => {
    // flagged_loads made a view: the flags' transaction fails at its last insert and rolls back
    // whole, so no flag of C1's 1103 is written; the records stay (their transaction had committed).
    const { warehouse } = await loadCensus(validCensus);
    open.push(warehouse);
    await warehouse.query('DROP TABLE flagged_loads');
    await warehouse.query(
      `CREATE VIEW flagged_loads AS SELECT load_id, loaded_at AS flagged_at FROM loads WHERE format = 'cin-census-xml'`,
    );
    const path = join(dirname(warehouse.path), 'broken-assessment.xml');
    writeFileSync(path, edited(validCensus, ...cases[0]!.edits));
    const [result] = await loadFiles(warehouse, [path], { loadedBy: 'test', confirmLa: true });
    expect(result?.status).toBe('loaded');
    expect(result?.message).toMatch(
      /^broken-assessment\.xml: loaded, but its validation flags were not written \(.+\); the next census load writes them$/,
    );
    // `lscb load` prints it under the file's line.
    expect(describeLoad(result!).split('\n')[1]).toBe(`WARNING  ${result?.message}`);
    expect(await warehouse.query(`SELECT count(*)::INTEGER AS n FROM validation_flags`)).toEqual([{ n: 0 }]);
    expect(await warehouse.query(`SELECT load_id, status FROM loads ORDER BY load_id`)).toEqual([
      { load_id: 1, status: 'loaded' },
      { load_id: result?.loadId, status: 'loaded' },
    ]);
    // The table back, empty: the next census (C9, valid) first flags both earlier loads, oldest first.
    await warehouse.query('DROP VIEW flagged_loads');
    await warehouse.query('CREATE TABLE flagged_loads (load_id INTEGER, flagged_at TIMESTAMP)');
    const later = join(dirname(warehouse.path), 'later.xml');
    writeFileSync(later, edited(validCensus, ['<LAchildID>C1</LAchildID>', '<LAchildID>C9</LAchildID>']));
    const [next] = await loadFiles(warehouse, [later], { loadedBy: 'test', confirmLa: true });
    expect(next?.message).toBeUndefined();
    // C1's flags are load 2's: 1103, and 8863 since load 1's assessment (from 2025-06-02) stays
    // beside load 2's (from 2025-05-30, a date of its own).
    expect(
      await warehouse.query(`SELECT load_id, rule FROM validation_flags WHERE child_key = 1 ORDER BY rule`),
    ).toEqual([
      { load_id: result?.loadId, rule: '1103' },
      { load_id: result?.loadId, rule: '8863' },
    ]);
    expect((await warehouse.query(`SELECT load_id FROM flagged_loads`)).length).toBe(3);
  });

  it('a warehouse from before flagged_loads lists every census it holds as flagged when it is next opened', async () => {
    // Their flags were written in their own transactions then, so none is pending.
    const { warehouse, result } = await loadCensus(validCensus);
    await warehouse.query('DROP TABLE flagged_loads');
    warehouse.close();
    const reopened = await Warehouse.open(warehouse.path);
    open.push(reopened);
    expect(await reopened.query(`SELECT load_id FROM flagged_loads`)).toEqual([{ load_id: result.loadId }]);
  });

  for (const { rule, why, edits } of cases) {
    it(`${rule}: ${why}`, async () => {
      const kind = cinCensusRules().find((r) => r.code === rule)?.kind;
      const { warehouse, result, rejectRules, flagRules } = await loadCensus(edited(validCensus, ...edits));
      open.push(warehouse);
      expect(result.status).toBe('loaded');
      if (kind === 'reject') expect(rejectRules).toContain(rule);
      else expect(flagRules).toContain(rule);
    });
  }
});
