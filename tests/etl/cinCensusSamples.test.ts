import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { loadFiles } from '../../etl/load/loadFiles.ts';
import { Warehouse } from '../../sql/warehouse.ts';
import { tempDir } from '../support/fixtureWarehouse.ts';
import { tableCounts } from '../support/tableCounts.ts';

/**
 * Every public CIN census sample (tests/fixtures/samples/cin-census, copied from ../shared/samples) loads into a fresh warehouse with
 * the counts stated here, worked out by reading each file: a count is the number of blocks in the
 * file, less the blocks validation must reject (each reject is named below).
 */
const samples = join(import.meta.dirname, '../fixtures/samples/cin-census');

const open: Warehouse[] = [];
afterEach(() => {
  for (const w of open.splice(0)) w.close();
});

async function loadSample(file: string) {
  const warehouse = await Warehouse.open(join(tempDir('cin'), 'lscb.duckdb'));
  open.push(warehouse);
  // The samples are LA 201 and 975's; the warehouse is the configured LA's (990).
  const [result] = await loadFiles(warehouse, [join(samples, file)], { loadedBy: 'test', confirmLa: true });
  const counts = await tableCounts(warehouse);
  const rejects = await warehouse.query<{ row: string; field: string; reason: string }>(
    'SELECT "row", field, reason FROM rejects ORDER BY "row", field',
  );
  return { warehouse, result: result!, counts, rejects };
}

const strayText = { field: 'ChildIdentifiers', reason: 'stray text inside <ChildIdentifiers>; ignored' };

/**
 * The DfE example child's episode in these samples ends before the file's census year: each block
 * is rejected by its census-year rule (8620 the episode, 8696 an authorised or 8736 an open
 * assessment, 4013 the CIN plan, 8930 the CP plan, 8715 the Section 47), in the rejects' order.
 */
function episodeBeforeCensusYear(
  lines: { assessment: number; cinPlan: number; cpPlan: number; s47: number },
  assessment: 'authorised' | 'open',
) {
  const block = (name: string, line: number) => `Child 1 (line 18) / CINdetails 1 / ${name} 1 (line ${line})`;
  return [
    {
      row: 'Child 1 (line 18) / CINdetails 1',
      field: 'closure_date',
      reason: "The CIN episode's closure date is outside the census year. (DfE rule 8620)",
    },
    assessment === 'authorised'
      ? {
          row: block('Assessments', lines.assessment),
          field: 'authorisation_date',
          reason: "An assessment's authorisation (end) date is outside the census year. (DfE rule 8696)",
        }
      : {
          row: block('Assessments', lines.assessment),
          field: 'start_date',
          reason: 'An assessment not yet authorised (completed) starts outside the census year. (DfE rule 8736)',
        },
    {
      row: block('CINPlanDates', lines.cinPlan),
      field: 'end_date',
      reason: "A CIN plan's end date is outside the census year. (DfE rule 4013)",
    },
    {
      row: block('ChildProtectionPlans', lines.cpPlan),
      field: 'end_date',
      reason: "A child protection plan's end date is outside the census year. (DfE rule 8930)",
    },
    {
      row: block('Section47', lines.s47),
      field: 'icpc_date',
      reason: 'The initial child protection conference is dated outside the census year. (DfE rule 8715)',
    },
  ];
}

describe('CIN census samples', () => {
  it("fake_CIN_data.xml: 332 children; of 402 CIN episodes, 330 dated outside the header's census year are rejected", async () => {
    const { result, counts, rejects } = await loadSample('fake_CIN_data.xml');
    expect(result.status).toBe('loaded');
    // Issue 15: "dates must lie between 1900 and the extract's reference date". The header says
    // 2022-07-21; 8 referrals start after it and 9 close after it (3 do both): 14 rows, 17 reasons.
    // DfE rules 8790 and 8794: 3 children list NONE with other disabilities and 5 list one
    // disability twice (MOB MOB, CON CON HAND, COMM COMM, AUT LD LD, VIS VIS): their 8 child records
    // are rejected too (the children keep their identity; their episodes land).
    // The census year is 2021-07-22 to 2022-07-21. DfE rule 8569: 316 more episodes are marked no
    // further action though referred before the year began (the last working day before it) — 195
    // of them also closed before it, which DfE rule 8620 rejects too (a closure must fall in the
    // year); DfE rule 8600 names the 8 referrals after the reference date again, and 8620 the 9
    // closures after it. 14 + 316 = 330 episodes rejected, 72 land. 7 children whose record and
    // every episode are rejected keep no identity (325 of 332).
    expect(counts).toMatchObject({ children: 324, child_identity: 325, referrals: 72, assessments: 0, cp_plans: 0 });
    expect(result.rowsRejected).toBe(14 + 316 + 8);
    expect(rejects).toHaveLength(17 + 8 + 320 + 8 + 204);
    const withoutCode = rejects.filter((r) => !r.reason.includes('(DfE rule '));
    expect(withoutCode).toHaveLength(17);
    for (const reject of withoutCode) {
      expect(['referral_date', 'closure_date']).toContain(reject.field);
      expect(reject.reason).toBe(
        "after the extract's reference date (2022-07-21): an extract cannot record what has not happened",
      );
    }
    expect(rejects.filter((r) => r.reason.endsWith('(DfE rule 8790)'))).toHaveLength(3);
    expect(rejects.filter((r) => r.reason.endsWith('(DfE rule 8794)'))).toHaveLength(5);
    expect(rejects.filter((r) => r.reason.endsWith('(DfE rule 8569)'))).toHaveLength(320);
    expect(rejects.filter((r) => r.reason.endsWith('(DfE rule 8600)'))).toHaveLength(8);
    expect(rejects.filter((r) => r.reason.endsWith('(DfE rule 8620)'))).toHaveLength(204);
  });

  it('cin-2022.xml: the DfE example child with every block, UPN not stored; every block breaks a rule', async () => {
    const { warehouse, counts, rejects } = await loadSample('cin-2022.xml');
    // DfE rule 8525: the example child has both a date of birth and an expected date of birth, so
    // its child record is rejected. The example is dated 1970-71, outside the census year to
    // 2022-03-31: DfE rule 8620 rejects the episode (closed 1971), 8696 the assessment (authorised
    // 1971), 4013 the CIN plan and 8930 the CP plan (ended 1971), 8715 the Section 47 (conference
    // 1970). Nothing lands, so the child gets no identity either.
    expect(counts).toMatchObject({
      children: 0,
      child_identity: 0,
      referrals: 0,
      assessments: 0,
      cin_plans: 0,
      section47: 0,
      cp_plans: 0,
    });
    expect(rejects).toEqual([
      {
        row: 'Child 1 (line 18)',
        field: 'birth_date',
        reason: 'A child needs a date of birth or an expected date of birth, and not both. (DfE rule 8525)',
      },
      ...episodeBeforeCensusYear({ assessment: 43, cinPlan: 52, cpPlan: 63, s47: 56 }, 'authorised'),
    ]);
    // DATA.md: "UPNs are never stored": no column anywhere, rejects included, holds the sample's UPN.
    const upn = await warehouse.query(`SELECT count(*)::INTEGER AS n FROM (
      SELECT * FROM children UNION ALL BY NAME SELECT * FROM child_identity UNION ALL BY NAME SELECT * FROM rejects) t
      WHERE t::VARCHAR LIKE '%A123456789123%'`);
    expect(upn[0]!['n']).toBe(0);
  });

  it('CIN2rows.xml: the second, identical CP plan is rejected as a duplicate; stray text reported', async () => {
    const { result, counts, rejects } = await loadSample('CIN2rows.xml');
    // The census year is 2023-04-01 to 2024-03-31: DfE rule 8620 rejects the episode, closed before
    // it began, 8736 its assessment, not completed and started before it began, 4013 the CIN plan
    // and 8930 the CP plan (ended before it began), 8715 the Section 47 (conference in 2022).
    expect(counts).toMatchObject({
      children: 1,
      referrals: 0,
      assessments: 0,
      cin_plans: 0,
      section47: 0,
      cp_plans: 0,
    });
    // Episode, assessment, CIN plan, Section 47, both CP plans (the second also a duplicate), and
    // the stray text; the child record lands.
    expect(result.rowsRejected).toBe(7);
    expect(rejects).toContainEqual({ row: 'Child 1 (line 18), line 24', ...strayText });
    expect(rejects).toContainEqual({
      row: 'Child 1 (line 18) / CINdetails 1 / ChildProtectionPlans 2 (line 65)',
      field: 'child_id+start_date',
      reason: 'duplicate of row Child 1 (line 18) / CINdetails 1 / ChildProtectionPlans 1 (line 55) in the same file',
    });
  });

  it('CIN_Census_2021_no_assessment_factors.xml: one child with one of each block; the stray text is reported', async () => {
    const { result, counts, rejects } = await loadSample('CIN_Census_2021_no_assessment_factors.xml');
    expect(result.status).toBe('loaded');
    // As in CIN2rows.xml: the episode closed before the census year (DfE rule 8620), the
    // assessment, not completed, started before it (8736), the CIN plan and CP plan ended before it
    // (4013, 8930) and the Section 47's conference was held before it (8715).
    expect(counts).toMatchObject({
      children: 1,
      referrals: 0,
      assessments: 0,
      cin_plans: 0,
      section47: 0,
      cp_plans: 0,
    });
    expect(rejects).toEqual([
      ...episodeBeforeCensusYear({ assessment: 41, cinPlan: 44, cpPlan: 55, s47: 48 }, 'open'),
      { row: 'Child 1 (line 18), line 24', ...strayText },
    ]);
  });

  it.each(['CIN_Census_2021.xml', 'CIN_header_issues_100.xml'])(
    "%s: the child's record, with an expected birth date in 1066, is rejected, and so is every block of its episode",
    async (file) => {
      const { result, counts, rejects } = await loadSample(file);
      expect(result.status).toBe('loaded');
      // Issue 15: dates before 1900 are refused. The episode's blocks are dated 1970-71, before the
      // census year (to 2023-03-31 or 2023-03-28): DfE rule 8620 rejects the episode (closed 1971),
      // 8696 the assessment (authorised 1971), 4013 the CIN plan and 8930 the CP plan (ended 1971),
      // 8715 the Section 47 (conference 1970). Nothing lands, so the child has no identity either.
      expect(counts).toMatchObject({
        children: 0,
        child_identity: 0,
        referrals: 0,
        assessments: 0,
        cin_plans: 0,
        section47: 0,
        cp_plans: 0,
      });
      // DfE rule 8525 too: the record has both a date of birth and an expected date of birth.
      expect(rejects).toEqual([
        {
          row: 'Child 1 (line 18)',
          field: 'birth_date',
          reason: 'A child needs a date of birth or an expected date of birth, and not both. (DfE rule 8525)',
        },
        {
          row: 'Child 1 (line 18)',
          field: 'expected_birth_date',
          reason: "before 1900-01-01: not a date in a child's record",
        },
        ...episodeBeforeCensusYear({ assessment: 43, cinPlan: 52, cpPlan: 63, s47: 56 }, 'authorised'),
        { row: 'Child 1 (line 18), line 24', ...strayText },
      ]);
    },
  );

  it('CIN_Census_2024.xml: an assessment authorised before it started is rejected with its reason', async () => {
    const { counts, rejects } = await loadSample('CIN_Census_2024.xml');
    // Child 2's referral (24 October 2024) is after the reference date (31 March 2024): rejected.
    // DfE rules 1570 and 1580 reject child 2's record (its id, child_fails_assessments, is longer
    // than 20 characters and holds underscores), 8897 its assessment (completed in the year with no
    // factors), and 8620 child 1's episode (closed outside the census year, 2023-04-01 to
    // 2024-03-31); child 1's CIN plan and CP plan ended before the year (4013, 8930), its Section
    // 47's conference was held before it (8715) and its assessment is authorised in 2020 (8696).
    expect(counts).toMatchObject({
      children: 1,
      referrals: 0,
      assessments: 0,
      cin_plans: 0,
      section47: 0,
      cp_plans: 0,
    });
    for (const rule of ['4013', '8696', '8715', '8930'])
      expect(rejects.filter((r) => r.reason.endsWith(`(DfE rule ${rule})`))).toHaveLength(1);
    expect(rejects).toContainEqual({
      row: 'Child 2 (line 73) / CINdetails 1',
      field: 'referral_date',
      reason: "after the extract's reference date (2024-03-31): an extract cannot record what has not happened",
    });
    expect(rejects).toContainEqual({
      row: 'Child 1 (line 18) / CINdetails 1 / Assessments 1 (line 41)',
      field: 'start_date',
      reason: "after the extract's reference date (2024-03-31): an extract cannot record what has not happened",
    });
    expect(rejects).toContainEqual({
      row: 'Child 1 (line 18) / CINdetails 1 / Assessments 1 (line 41)',
      field: 'authorisation_date',
      reason: 'authorisation_date is before start_date',
    });
  });

  it('CIN_Census_2026.xml: Sex replaces GenderCurrent, digits still accepted; unknown elements reported', async () => {
    const { warehouse, counts, rejects } = await loadSample('CIN_Census_2026.xml');
    // As in the 2024 sample, child 2's referral is dated after the reference date and rejected, and
    // so are child 2's record (DfE rules 1570, 1580), its assessment (8897) and child 1's episode (8620).
    expect(counts).toMatchObject({ children: 1, referrals: 0, assessments: 0 });
    const sexes = await warehouse.query('SELECT sex FROM children ORDER BY sex');
    // <Sex>1</Sex>; child 2's record, <Sex>M</Sex>, is rejected for its id (DfE rules 1570, 1580).
    expect(sexes.map((r) => r['sex'])).toEqual(['male']);
    expect(rejects.map((r) => r.field)).toContain('PreProceedingsandFGDM');
  });

  it('takes the reference date from the header', async () => {
    const { warehouse } = await loadSample('CIN_Census_2024.xml');
    const [load] = await warehouse.query('SELECT reference_date FROM loads');
    expect(load!['reference_date']).toBe('2024-03-31');
  });

  it('an XSD in the folder fails with a message naming the file and its root element', async () => {
    const { result } = await loadSample('CIN_schema_2025.xsd');
    expect(result.status).toBe('failed');
    expect(result.message).toBe(
      'CIN_schema_2025.xsd: line 1, field xs:schema: root element is <xs:schema>, not the CIN census <Message>',
    );
  });
});
