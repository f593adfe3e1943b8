/**
 * CIN census returns, one file per DfE year, written side by side in one pass over the families. Valid
 * against CIN_schema_2025.xsd (Sex M/F/U, yes/no as 0/1). Never carries a UPN or a name.
 *
 * Who is in a year's return: every child with a CIN episode open at any point in the year, that is
 * referral date <= 31 March and (no closure by 31 March, or closure on or after 1 April). Each such episode
 * is returned as known on 31 March: the assessments, CIN plans, section 47 enquiries and CP plans (with
 * their reviews) that had started by then. What had not happened by 31 March is left out, and end dates
 * after it are blank. Of what had happened, the return holds only what the census year can hold (DfE
 * rules 8696, 4013, 8715 and 8930: an authorisation date, a CIN plan end, an initial conference and a CP
 * plan end, when present, fall within the year): an assessment authorised, a CIN plan or CP plan ended,
 * or a Section 47 whose conference was held before 1 April was returned by the year it happened in and is
 * left out here (inCensusYear). Records still under way on 1 April are returned again, so the years
 * together hold every record from 1 April of the first census year on; the warehouse merges them by
 * (child, start date), a later year filling in what an earlier one left open. The first year is no
 * exception: what was finished before it began (before 1 April 2020) is in no census file.
 */
import { join } from 'node:path';
import { escapeXml } from '../../xml/entities.ts';
import { childAsAt, type ReferralAsAt } from '../asAt.ts';
import { censusYears, demoLocalAuthority } from '../constants.ts';
import { ageOn, dayOf, isoDate } from '../dates.ts';
import { fakeUpn } from '../fakeIdentifiers.ts';
import type { DemoChild } from '../model.ts';
import { BufferedTextFile } from './bufferedFile.ts';

export const cinCensusFileName = (year: number): string => `CIN_Census_${year}.xml`;

const bit = (value: boolean): string => (value ? '1' : '0');

function header(year: number): string {
  // The DateTime is fixed (1 May after the year) so that reruns are byte-identical.
  return (
    '<?xml version="1.0" encoding="UTF-8"?>\n<Message>\n  <Header>\n    <CollectionDetails>\n' +
    `      <Collection>CIN</Collection>\n      <Year>${year}</Year>\n      <ReferenceDate>${year}-03-31</ReferenceDate>\n` +
    '    </CollectionDetails>\n    <Source>\n      <SourceLevel>L</SourceLevel>\n' +
    `      <LEA>${demoLocalAuthority.code}</LEA>\n      <SoftwareCode>LSCB Insight demo generator</SoftwareCode>\n` +
    `      <Release>1</Release>\n      <SerialNo>001</SerialNo>\n      <DateTime>${year}-05-01T09:00:00</DateTime>\n` +
    '    </Source>\n  </Header>\n  <Children>\n'
  );
}

function cinDetails(r: ReferralAsAt): string {
  let xml = `      <CINdetails>\n        <CINreferralDate>${isoDate(r.date)}</CINreferralDate>\n        <ReferralSource>${r.source}</ReferralSource>\n`;
  if (r.primaryNeed) xml += `        <PrimaryNeedCode>${r.primaryNeed}</PrimaryNeedCode>\n`;
  if (r.closure !== null) {
    xml += `        <CINclosureDate>${isoDate(r.closure)}</CINclosureDate>\n        <ReasonForClosure>${r.closureReason}</ReasonForClosure>\n`;
  }
  for (const a of r.assessments) {
    xml += `        <Assessments>\n          <AssessmentActualStartDate>${isoDate(a.start)}</AssessmentActualStartDate>\n`;
    if (a.authorised !== null) {
      xml += `          <AssessmentAuthorisationDate>${isoDate(a.authorised)}</AssessmentAuthorisationDate>\n`;
      // Factors are recorded at the end of an assessment.
      xml += '          <FactorsIdentifiedAtAssessment>\n';
      for (const f of a.factors) xml += `            <AssessmentFactors>${f}</AssessmentFactors>\n`;
      xml += '          </FactorsIdentifiedAtAssessment>\n';
    }
    xml += '        </Assessments>\n';
  }
  for (const p of r.cinPlans) {
    xml += `        <CINPlanDates>\n          <CINPlanStartDate>${isoDate(p.start)}</CINPlanStartDate>\n`;
    if (p.end !== null) xml += `          <CINPlanEndDate>${isoDate(p.end)}</CINPlanEndDate>\n`;
    xml += '        </CINPlanDates>\n';
  }
  for (const s of r.section47s) {
    xml += `        <Section47>\n          <S47ActualStartDate>${isoDate(s.start)}</S47ActualStartDate>\n          <InitialCPCtarget>${isoDate(s.icpcTarget)}</InitialCPCtarget>\n`;
    if (s.icpc !== null) xml += `          <DateOfInitialCPC>${isoDate(s.icpc)}</DateOfInitialCPC>\n`;
    xml += `          <ICPCnotRequired>${bit(s.icpcNotRequired)}</ICPCnotRequired>\n        </Section47>\n`;
  }
  xml += `        <ReferralNFA>${bit(r.nfa)}</ReferralNFA>\n`;
  for (const p of r.cpPlans) {
    xml += `        <ChildProtectionPlans>\n          <CPPstartDate>${isoDate(p.start)}</CPPstartDate>\n`;
    if (p.end !== null) xml += `          <CPPendDate>${isoDate(p.end)}</CPPendDate>\n`;
    xml +=
      `          <InitialCategoryOfAbuse>${p.initialCategory}</InitialCategoryOfAbuse>\n` +
      `          <LatestCategoryOfAbuse>${p.latestCategory}</LatestCategoryOfAbuse>\n` +
      `          <NumberOfPreviousCPP>${p.previousPlans}</NumberOfPreviousCPP>\n`;
    if (p.reviews.length > 0) {
      xml += '          <Reviews>\n';
      for (const d of p.reviews) xml += `            <CPPreviewDate>${isoDate(d)}</CPPreviewDate>\n`;
      xml += '          </Reviews>\n';
    }
    xml += '        </ChildProtectionPlans>\n';
  }
  return xml + '      </CINdetails>\n';
}

/**
 * The episode as the return for the census year starting `from` holds it: without the records that were
 * finished before the year (see the file's comment). A Section 47 with no conference, or one still to
 * hold it, stays while its episode is returned: 8715 is about the conference date only.
 */
function inCensusYear(r: ReferralAsAt, from: number): ReferralAsAt {
  const notBefore = (day: number | null): boolean => day === null || day >= from;
  return {
    ...r,
    assessments: r.assessments.filter((a) => notBefore(a.authorised)),
    cinPlans: r.cinPlans.filter((p) => notBefore(p.end)),
    section47s: r.section47s.filter((s) => notBefore(s.icpc)),
    cpPlans: r.cpPlans.filter((p) => notBefore(p.end)),
  };
}

interface CensusYearFile {
  year: number;
  from: number;
  to: number;
  file: BufferedTextFile;
  children: number;
  episodes: number;
}

export class CinCensusWriter {
  private constructor(private readonly years: CensusYearFile[]) {}

  static async create(dir: string): Promise<CinCensusWriter> {
    const years: CensusYearFile[] = [];
    for (const year of censusYears) {
      const file = await BufferedTextFile.create(join(dir, cinCensusFileName(year)));
      file.write(header(year));
      years.push({ year, from: dayOf(year - 1, 4, 1), to: dayOf(year, 3, 31), file, children: 0, episodes: 0 });
    }
    return new CinCensusWriter(years);
  }

  /** childNumber makes the child's fictional UPN (the same as in SSDA903). */
  writeChild(childId: string, childNumber: number, child: DemoChild): void {
    if (child.referrals.length === 0) return;
    for (const y of this.years) {
      const { referrals } = childAsAt(child, y.to, y.from);
      if (referrals.length === 0) continue;
      const born = child.birthDay <= y.to;
      let xml = `    <Child>\n      <ChildIdentifiers>\n        <LAchildID>${escapeXml(childId)}</LAchildID>\n`;
      // A UPN from school age (4, reception); before it the DfE's reason UN1, not of school age.
      if (born && ageOn(child.birthDay, y.to) >= 4) xml += `        <UPN>${fakeUpn(childNumber)}</UPN>\n`;
      else xml += '        <UPNunknown>UN1</UPNunknown>\n';
      if (born) xml += `        <PersonBirthDate>${isoDate(child.birthDay)}</PersonBirthDate>\n`;
      else
        xml += `        <ExpectedPersonBirthDate>${isoDate(child.expectedBirthDay ?? child.birthDay)}</ExpectedPersonBirthDate>\n`;
      xml += `        <Sex>${born ? child.sex : 'U'}</Sex>\n      </ChildIdentifiers>\n`;
      xml += `      <ChildCharacteristics>\n        <Ethnicity>${child.ethnicity}</Ethnicity>\n        <Disabilities>\n`;
      for (const d of born && child.disabilities.length > 0 ? child.disabilities : ['NONE'])
        xml += `          <Disability>${d}</Disability>\n`;
      xml += '        </Disabilities>\n      </ChildCharacteristics>\n';
      for (const r of referrals) xml += cinDetails(inCensusYear(r, y.from));
      y.file.write(xml + '    </Child>\n');
      y.children++;
      y.episodes += referrals.length;
    }
  }

  get wantsFlush(): boolean {
    return this.years.some((y) => y.file.wantsFlush);
  }

  async flush(): Promise<void> {
    for (const y of this.years) if (y.file.wantsFlush) await y.file.flush();
  }

  async close(): Promise<void> {
    for (const y of this.years) {
      y.file.write('  </Children>\n</Message>\n');
      await y.file.close();
    }
  }

  counts(): { year: number; file: string; children: number; episodes: number }[] {
    return this.years.map((y) => ({
      year: y.year,
      file: cinCensusFileName(y.year),
      children: y.children,
      episodes: y.episodes,
    }));
  }

  bytesWritten(): number {
    return this.years.reduce((sum, y) => sum + y.file.bytesWritten, 0);
  }
}
