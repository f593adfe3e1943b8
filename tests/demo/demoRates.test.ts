/**
 * The default-size demo LA (60,000 children) looks like an English LA in the latest reporting year
 * (1 April 2025 - 31 March 2026), and its three formats describe the same children.
 *
 * Bands: England's 2025 figures (reference/SOURCES.md) with room for a 60,000-child LA's sampling noise.
 * Siblings share plans, so a CP figure moves in family-sized steps: at this size one standard error of a
 * share of ~270 plan starts is about 0.03-0.04.
 *   CP plans at 31 March per 10,000 children     England 40.6   band 34-46
 *   open plans with initial category NEG          England ~0.50  band 0.42-0.58
 *   CP starts that are second or subsequent       England 0.245  band 0.17-0.31
 *   referrals that are re-referrals within 12m    England 0.226  band 0.17-0.27
 *   open plans that have lasted 2+ years          England 0.023  band 0.005-0.045
 *   assessments authorised with factor 16A        England 0.176  band 0.13-0.21
 */
import { DuckDBInstance } from '@duckdb/node-api';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import readXlsxFile from 'read-excel-file/node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { demoHeadlines, type DemoHeadlines } from './demoMetrics.ts';
import { generateTempDemo, type TempDemo } from './tempDemo.ts';

let demo: TempDemo;
let headlines: DemoHeadlines;

// How long generation takes is measured in `npm run bench -- generator` (docs/BENCHMARKS.md), not
// asserted here: on a shared machine a wall-clock bound fails for reasons that are not the code's.
beforeAll(async () => {
  demo = await generateTempDemo(60_000);
  headlines = await demoHeadlines(demo.dir, '2025-04-01', '2026-03-31');
});
afterAll(() => demo.dispose());

async function queryOne(sql: string): Promise<Record<string, unknown>> {
  const instance = await DuckDBInstance.create(':memory:');
  const c = await instance.connect();
  try {
    return (await c.runAndReadAll(sql)).getRowObjectsJson()[0] as Record<string, unknown>;
  } finally {
    c.closeSync();
    instance.closeSync();
  }
}

describe('demo LA headline rates, year ending 31 March 2026', () => {
  it('has about 60,000 children aged 0-17 at mid-2025', () => {
    expect(headlines.population).toBeGreaterThan(57_000);
    expect(headlines.population).toBeLessThan(63_000);
    expect(demo.manifest.populationMid2025).toBe(headlines.population);
  });

  it('has England-like CP, repeat, drift and neglect rates', () => {
    expect(headlines.cpOpenPer10k).toBeGreaterThanOrEqual(34);
    expect(headlines.cpOpenPer10k).toBeLessThanOrEqual(46);
    expect(headlines.cpOpenNeglectInitialShare).toBeGreaterThanOrEqual(0.42);
    expect(headlines.cpOpenNeglectInitialShare).toBeLessThanOrEqual(0.58);
    expect(headlines.cpStartsSecondOrSubsequentShare).toBeGreaterThanOrEqual(0.17);
    expect(headlines.cpStartsSecondOrSubsequentShare).toBeLessThanOrEqual(0.31);
    expect(headlines.rereferralShare).toBeGreaterThanOrEqual(0.17);
    expect(headlines.rereferralShare).toBeLessThanOrEqual(0.27);
    expect(headlines.cpOpenTwoYearsPlusShare).toBeGreaterThanOrEqual(0.005);
    expect(headlines.cpOpenTwoYearsPlusShare).toBeLessThanOrEqual(0.045);
    expect(headlines.assessmentsNeglectShare).toBeGreaterThanOrEqual(0.13);
    expect(headlines.assessmentsNeglectShare).toBeLessThanOrEqual(0.21);
  });

  it('over-represents mixed-heritage children on neglect plans', () => {
    expect(headlines.mixedNeglectRatio).toBeGreaterThanOrEqual(1.3);
  });

  it('has under-5s as the largest age group on neglect plans', () => {
    const bands = headlines.neglectCohortByAgeBand;
    const under5 = (bands['under_1'] ?? 0) + (bands['1_4'] ?? 0);
    for (const band of ['5_9', '10_15', '16_plus']) expect(under5, band).toBeGreaterThan(bands[band] ?? 0);
  });

  it('has early help with neglect flags and some hidden neglect on CP plans', () => {
    expect(headlines.earlyHelpStarts).toBeGreaterThan(1_000);
    expect(headlines.earlyHelpNeglectShare).toBeGreaterThan(0.1);
    expect(headlines.hiddenNeglect).toBeGreaterThan(0);
  });
});

describe('the three formats describe the same LA', () => {
  it('Annex A has the template sheets and one List 7 row per CP plan open in the 12 months', async () => {
    const path = join(demo.dir, 'annex-a', 'Annex_A_2026-03-31.xlsx');
    const sheets = await readXlsxFile(path);
    expect(sheets.map((s) => s.sheet)).toEqual([
      'Front_Sheet',
      'List 2',
      'List 3',
      'List 4',
      'List 5',
      'List 6',
      'List 7',
    ]);
    const list7 = sheets.find((s) => s.sheet === 'List 7')!.data;
    expect(list7[0]?.slice(0, 9)).toEqual([
      'Child Unique ID',
      'Gender',
      'Ethnicity',
      'Date of Birth',
      'Age of Child (Years)',
      'Does the Child have a Disability',
      'Child Protection Plan Start Date',
      'Initial Category of Abuse',
      'Latest Category of Abuse',
    ]);
    const csv = await queryOne(`
      SELECT count(*) AS plans FROM read_csv('${join(demo.dir, 'csv', 'cp_plans.csv')}', header = true, all_varchar = true)
      WHERE CAST(start_date AS DATE) <= DATE '2026-03-31' AND (end_date IS NULL OR CAST(end_date AS DATE) >= DATE '2025-04-01')`);
    expect(list7.length - 1).toBe(Number(csv['plans']));
    // Coded values as in Ofsted's template; dates as real dates.
    const row = list7[1]!;
    expect(String(row[7])).toMatch(
      /^[a-e]\) (Neglect|Physical abuse|Sexual abuse|Emotional abuse|Multiple\/not recommended)$/,
    );
    expect(row[6]).toBeInstanceOf(Date);
    expect(String(row[0])).toMatch(/^NB\d{6,}$/);
  });

  it('CP plans open at 31 March 2025 match between the CSV and CIN_Census_2025.xml', async () => {
    const csv = await queryOne(`
      SELECT count(DISTINCT child_id) AS children FROM read_csv('${join(demo.dir, 'csv', 'cp_plans.csv')}', header = true, all_varchar = true)
      WHERE CAST(start_date AS DATE) <= DATE '2025-03-31' AND (end_date IS NULL OR CAST(end_date AS DATE) > DATE '2025-03-31')`);
    const xml = await readFile(join(demo.dir, 'cin-census', 'CIN_Census_2025.xml'), 'utf8');
    let children = 0;
    for (const child of xml.split('<Child>').slice(1)) {
      const plans = child.match(/<ChildProtectionPlans>[\s\S]*?<\/ChildProtectionPlans>/g) ?? [];
      const open = plans.some((plan) => {
        const start = /<CPPstartDate>([^<]+)</.exec(plan)?.[1] ?? '';
        const end = /<CPPendDate>([^<]+)</.exec(plan)?.[1];
        return start <= '2025-03-31' && (end === undefined || end > '2025-03-31');
      });
      if (open) children++;
    }
    expect(children).toBeGreaterThan(0);
    expect(children).toBe(Number(csv['children']));
  });

  it('lists only children with records, once each', async () => {
    const row = await queryOne(`
      WITH ids AS (SELECT child_id FROM read_csv('${join(demo.dir, 'csv', 'children.csv')}', header = true, all_varchar = true)),
           used AS (
             SELECT child_id FROM read_csv('${join(demo.dir, 'csv', 'referrals.csv')}', header = true, all_varchar = true)
             UNION SELECT child_id FROM read_csv('${join(demo.dir, 'csv', 'early_help.csv')}', header = true, all_varchar = true)
             UNION SELECT child_id FROM read_csv('${join(demo.dir, 'csv', 'looked_after.csv')}', header = true, all_varchar = true))
      SELECT (SELECT count(*) FROM ids) AS children, (SELECT count(DISTINCT child_id) FROM ids) AS distinct_children,
             (SELECT count(*) FROM used) AS used, (SELECT count(*) FROM used WHERE child_id NOT IN (SELECT child_id FROM ids)) AS orphans`);
    expect(Number(row['children'])).toBe(Number(row['distinct_children']));
    expect(Number(row['children'])).toBe(Number(row['used']));
    expect(Number(row['orphans'])).toBe(0);
  });
});
