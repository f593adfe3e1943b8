import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { loadFiles, type FileLoadResult } from '../../etl/load/loadFiles.ts';
import { Warehouse } from '../../sql/warehouse.ts';
import { tempDir } from '../support/fixtureWarehouse.ts';

/**
 * One valid, minimal CIN census file (2025–26, reference date 2026-03-31) that breaks no rule: child
 * C1, born 2015-04-01, UPN P201123456789 (a well-formed one), one open episode referred 2025-06-01 with an assessment (started
 * 2025-06-02, authorised 2025-06-20, factor 2B), a Section 47 (2025-06-05, ICPC 2025-06-15) and one
 * open CP plan from 2025-06-15 (neglect, reviewed 2025-09-01); no disability (NONE). Each rule's test makes a small edit
 * to it (validationRules.test.ts).
 */
export const validCensus = `<?xml version="1.0" encoding="UTF-8"?>
<Message>
  <Header>
    <CollectionDetails><Collection>CIN</Collection><Year>2026</Year><ReferenceDate>2026-03-31</ReferenceDate></CollectionDetails>
    <Source><SourceLevel>L</SourceLevel><LEA>990</LEA></Source>
  </Header>
  <Children>
    <Child>
      <ChildIdentifiers>
        <LAchildID>C1</LAchildID>
        <UPN>P201123456789</UPN>
        <PersonBirthDate>2015-04-01</PersonBirthDate>
        <Sex>F</Sex>
      </ChildIdentifiers>
      <ChildCharacteristics><Ethnicity>WBRI</Ethnicity><Disabilities><Disability>NONE</Disability></Disabilities></ChildCharacteristics>
      <CINdetails>
        <CINreferralDate>2025-06-01</CINreferralDate>
        <ReferralSource>1A</ReferralSource>
        <PrimaryNeedCode>N1</PrimaryNeedCode>
        <Assessments>
          <AssessmentActualStartDate>2025-06-02</AssessmentActualStartDate>
          <AssessmentAuthorisationDate>2025-06-20</AssessmentAuthorisationDate>
          <FactorsIdentifiedAtAssessment><AssessmentFactors>2B</AssessmentFactors></FactorsIdentifiedAtAssessment>
        </Assessments>
        <ReferralNFA>0</ReferralNFA>
        <Section47>
          <S47ActualStartDate>2025-06-05</S47ActualStartDate>
          <InitialCPCtarget>2025-06-26</InitialCPCtarget>
          <DateOfInitialCPC>2025-06-15</DateOfInitialCPC>
          <ICPCnotRequired>false</ICPCnotRequired>
        </Section47>
        <ChildProtectionPlans>
          <CPPstartDate>2025-06-15</CPPstartDate>
          <InitialCategoryOfAbuse>NEG</InitialCategoryOfAbuse>
          <LatestCategoryOfAbuse>NEG</LatestCategoryOfAbuse>
          <NumberOfPreviousCPP>0</NumberOfPreviousCPP>
          <Reviews><CPPreviewDate>2025-09-01</CPPreviewDate></Reviews>
        </ChildProtectionPlans>
      </CINdetails>
    </Child>
  </Children>
</Message>
`;

/** The valid file with `from` replaced by `to` (each must be found once: a typo fails loudly). */
export function edited(xml: string, ...edits: [from: string, to: string][]): string {
  let out = xml;
  for (const [from, to] of edits) {
    const at = out.indexOf(from);
    if (at < 0 || out.indexOf(from, at + 1) >= 0) throw new Error(`edit not found exactly once: ${from}`);
    out = out.slice(0, at) + to + out.slice(at + from.length);
  }
  return out;
}

export interface LoadedCensus {
  warehouse: Warehouse;
  result: FileLoadResult;
  rejectRules: string[];
  flagRules: string[];
}

/** Loads `xml` as a census file into a new warehouse; the rule codes of its rejects and flags. */
export async function loadCensus(xml: string, name = 'census.xml'): Promise<LoadedCensus> {
  const dir = tempDir('validation');
  const path = join(dir, name);
  writeFileSync(path, xml);
  const warehouse = await Warehouse.open(join(dir, 'lscb.duckdb'));
  const [result] = await loadFiles(warehouse, [path], { loadedBy: 'test', confirmLa: true });
  const rejectRules = (
    await warehouse.query<{ rule: string }>(`SELECT DISTINCT rule FROM rejects WHERE rule IS NOT NULL ORDER BY rule`)
  ).map((r) => r.rule);
  const flagRules = (
    await warehouse.query<{ rule: string }>(`SELECT DISTINCT rule FROM validation_flags ORDER BY rule`)
  ).map((r) => r.rule);
  return { warehouse, result: result!, rejectRules, flagRules };
}
