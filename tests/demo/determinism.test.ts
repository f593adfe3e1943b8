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
      'csv/population.csv',
      'csv/referrals.csv',
      'csv/section47.csv',
      'manifest.json',
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
    expect(await header('children.csv')).toBe('child_id,birth_date,expected_birth_date,sex,ethnicity,disability');
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
  });

  it('records rows per file in the manifest', async () => {
    const children = (await readFile(join(first.dir, 'csv/children.csv'), 'utf8')).trimEnd().split('\n').length - 1;
    expect(first.manifest.files['csv/children.csv']?.rows).toBe(children);
    expect(first.manifest.localAuthority).toEqual({ code: '990', name: 'Northbury', region: 'North West' });
    expect(first.manifest.censusYears).toEqual([2021, 2022, 2023, 2024, 2025, 2026]);
  });
});
