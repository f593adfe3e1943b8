import { createHash } from 'node:crypto';
import { readdir, readFile } from 'node:fs/promises';
import { join, relative } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateTempDemo, type TempDemo } from './tempDemo.ts';

async function fileHashes(root: string): Promise<Record<string, string>> {
  const hashes: Record<string, string> = {};
  const entries = await readdir(root, { recursive: true, withFileTypes: true });
  for (const entry of entries) {
    if (!entry.isFile()) continue;
    const path = join(entry.parentPath, entry.name);
    hashes[relative(root, path)] = createHash('sha256')
      .update(await readFile(path))
      .digest('hex');
  }
  return hashes;
}

const runs: TempDemo[] = [];
let first: TempDemo;
let second: TempDemo;
let otherSeed: TempDemo;

beforeAll(async () => {
  first = await generateTempDemo(3_000, 7);
  second = await generateTempDemo(3_000, 7);
  otherSeed = await generateTempDemo(3_000, 8);
  runs.push(first, second, otherSeed);
});
afterAll(async () => {
  for (const run of runs) await run.dispose();
});

describe('demo generator determinism', () => {
  it('writes byte-identical files for the same seed and size, the xlsx included', async () => {
    const a = await fileHashes(first.dir);
    const b = await fileHashes(second.dir);
    const names = Object.keys(a).sort();
    expect(names).toEqual([
      'annex-a/Annex_A_2026-03-31.xlsx',
      'cin-census/CIN_Census_2021.xml',
      'cin-census/CIN_Census_2022.xml',
      'cin-census/CIN_Census_2023.xml',
      'cin-census/CIN_Census_2024.xml',
      'cin-census/CIN_Census_2025.xml',
      'cin-census/CIN_Census_2026.xml',
      'csv/assessments.csv',
      'csv/children.csv',
      'csv/cin_plans.csv',
      'csv/cp_plans.csv',
      'csv/early_help.csv',
      'csv/looked_after.csv',
      'csv/population.csv',
      'csv/referrals.csv',
      'csv/section47.csv',
      'manifest.json',
      'partners/partner_measures.csv',
      ...[2021, 2022, 2023, 2024, 2025, 2026].flatMap((y) => [
        `ssda903-csv/${y}/episodes.csv`,
        `ssda903-csv/${y}/header.csv`,
      ]),
      ...[2021, 2022, 2023, 2024, 2025, 2026].map((y) => `ssda903-xml/SSDA903_${y}.xml`),
    ]);
    for (const name of names) expect(b[name], name).toBe(a[name]);
  });

  it('gives different children for a different seed', async () => {
    const a = await readFile(join(first.dir, 'csv/children.csv'), 'utf8');
    const c = await readFile(join(otherSeed.dir, 'csv/children.csv'), 'utf8');
    expect(c).not.toBe(a);
    expect(otherSeed.manifest.seed).toBe(8);
  });

  it('writes the exact canonical CSV headers of DATA.md', async () => {
    const header = async (name: string) => (await readFile(join(first.dir, 'csv', name), 'utf8')).split('\n')[0];
    expect(await header('children.csv')).toBe(
      'child_id,birth_date,expected_birth_date,sex,ethnicity,disability,family_id',
    );
    expect(await header('early_help.csv')).toBe(
      'episode_id,child_id,start_date,end_date,lead_agency,neglect,factors,closure_reason',
    );
    expect(await header('referrals.csv')).toBe(
      'referral_id,child_id,referral_date,source,primary_need,nfa,closure_date,closure_reason',
    );
    expect(await header('assessments.csv')).toBe(
      'assessment_id,referral_id,child_id,start_date,authorisation_date,factors',
    );
    expect(await header('section47.csv')).toBe('s47_id,referral_id,child_id,start_date,icpc_date,icpc_not_required');
    expect(await header('cin_plans.csv')).toBe('plan_id,referral_id,child_id,start_date,end_date');
    expect(await header('cp_plans.csv')).toBe(
      'plan_id,referral_id,child_id,start_date,end_date,initial_category,latest_category,previous_plans',
    );
    expect(await header('population.csv')).toBe('year,dimension,group,count');
    expect(await header('looked_after.csv')).toBe(
      'episode_id,child_id,start_date,end_date,reason_new_episode,legal_status,category_of_need,placement_type,reason_ceased',
    );
  });

  it('writes the exact headers of the SSDA903 CSV files and of partner_measures.csv', async () => {
    const firstLine = async (path: string) => (await readFile(join(first.dir, path), 'utf8')).split('\n')[0];
    expect(await firstLine('ssda903-csv/2026/header.csv')).toBe('CHILD,SEX,DOB,ETHNIC,UPN,MOTHER,MC_DOB');
    expect(await firstLine('ssda903-csv/2026/episodes.csv')).toBe(
      'CHILD,DECOM,RNE,LS,CIN,PLACE,PLACE_PROVIDER,DEC,REC,REASON_PLACE_CHANGE,HOME_POST,PL_POST,URN',
    );
    expect(await firstLine('partners/partner_measures.csv')).toBe(
      'measure,agency,period_start,period_end,numerator,denominator,unit',
    );
  });

  it('records rows per file in the manifest', async () => {
    const children = (await readFile(join(first.dir, 'csv/children.csv'), 'utf8')).trimEnd().split('\n').length - 1;
    expect(first.manifest.files['csv/children.csv']?.rows).toBe(children);
    expect(first.manifest.localAuthority).toEqual({ code: '990', name: 'Northbury', region: 'North West' });
    expect(first.manifest.censusYears).toEqual([2021, 2022, 2023, 2024, 2025, 2026]);
  });
});
