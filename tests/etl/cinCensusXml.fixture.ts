/** Small CIN census documents built in tests: one child, episodes as given. */
export interface CensusEpisode {
  referralDate: string;
  closureDate?: string;
  cpPlans?: { start: string; end?: string; initial: string; latest: string; previous?: number }[];
  assessments?: { start: string; authorised?: string; factors?: string[] }[];
}

export function censusXml(
  referenceDate: string,
  children: { id: string; birth: string; sex?: string; ethnicity?: string; episodes: CensusEpisode[] }[],
): string {
  const year = referenceDate.slice(0, 4);
  const child = (c: (typeof children)[number]) => `
    <Child>
      <ChildIdentifiers>
        <LAchildID>${c.id}</LAchildID>
        <UPN>A123456789123</UPN>
        <PersonBirthDate>${c.birth}</PersonBirthDate>
        <Sex>${c.sex ?? 'F'}</Sex>
      </ChildIdentifiers>
      <ChildCharacteristics><Ethnicity>${c.ethnicity ?? 'WBRI'}</Ethnicity></ChildCharacteristics>
      ${c.episodes.map(episode).join('')}
    </Child>`;
  const episode = (e: CensusEpisode) => `
      <CINdetails>
        <CINreferralDate>${e.referralDate}</CINreferralDate>
        <ReferralSource>1A</ReferralSource>
        <PrimaryNeedCode>N1</PrimaryNeedCode>
        ${e.closureDate ? `<CINclosureDate>${e.closureDate}</CINclosureDate><ReasonForClosure>RC1</ReasonForClosure>` : ''}
        ${(e.assessments ?? [])
          .map(
            (a) => `<Assessments>
          <AssessmentActualStartDate>${a.start}</AssessmentActualStartDate>
          ${a.authorised ? `<AssessmentAuthorisationDate>${a.authorised}</AssessmentAuthorisationDate>` : ''}
          ${a.factors?.length ? `<FactorsIdentifiedAtAssessment>${a.factors.map((f) => `<AssessmentFactors>${f}</AssessmentFactors>`).join('')}</FactorsIdentifiedAtAssessment>` : ''}
        </Assessments>`,
          )
          .join('')}
        <ReferralNFA>0</ReferralNFA>
        ${(e.cpPlans ?? [])
          .map(
            (p) => `<ChildProtectionPlans>
          <CPPstartDate>${p.start}</CPPstartDate>
          ${p.end ? `<CPPendDate>${p.end}</CPPendDate>` : ''}
          <InitialCategoryOfAbuse>${p.initial}</InitialCategoryOfAbuse>
          <LatestCategoryOfAbuse>${p.latest}</LatestCategoryOfAbuse>
          <NumberOfPreviousCPP>${p.previous ?? 0}</NumberOfPreviousCPP>
        </ChildProtectionPlans>`,
          )
          .join('')}
      </CINdetails>`;
  return `<?xml version="1.0" encoding="UTF-8"?>
<Message>
  <Header>
    <CollectionDetails><Collection>CIN</Collection><Year>${year}</Year><ReferenceDate>${referenceDate}</ReferenceDate></CollectionDetails>
    <Source><SourceLevel>L</SourceLevel><LEA>990</LEA></Source>
  </Header>
  <Children>${children.map(child).join('')}
  </Children>
</Message>
`;
}
