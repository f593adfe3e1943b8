/**
 * Headline rates of a demo run, computed with DuckDB straight from its canonical CSV, following the words
 * of METRICS.md (not the product's sql/, so a bug there cannot hide one here).
 */
import { DuckDBInstance } from '@duckdb/node-api';
import { join } from 'node:path';

export interface DemoHeadlines {
  population: number;
  cpOpen: number;
  cpOpenPer10k: number;
  cpOpenNeglectInitialShare: number;
  cpStarts: number;
  cpStartsSecondOrSubsequentShare: number;
  referrals: number;
  rereferralShare: number;
  cpOpenTwoYearsPlusShare: number;
  assessments: number;
  assessmentsNeglectShare: number;
  neglectCohort: number;
  mixedNeglectRatio: number;
  neglectCohortByAgeBand: Record<string, number>;
  neglectCohortBySex: Record<string, number>;
  hiddenNeglect: number;
  earlyHelpStarts: number;
  earlyHelpNeglectShare: number;
}

const ethnicGroupSql = `CASE
  WHEN ethnicity IN ('WBRI','WIRI','WIRT','WOTH','WROM') THEN 'white'
  WHEN ethnicity IN ('MWBC','MWBA','MWAS','MOTH') THEN 'mixed'
  WHEN ethnicity IN ('AIND','APKN','ABAN','AOTH') THEN 'asian'
  WHEN ethnicity IN ('BCRB','BAFR','BOTH') THEN 'black'
  WHEN ethnicity IN ('CHNE','OOTH') THEN 'other'
  ELSE 'unknown' END`;

export async function demoHeadlines(outDir: string, from = '2025-04-01', to = '2026-03-31'): Promise<DemoHeadlines> {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(from) || !/^\d{4}-\d{2}-\d{2}$/.test(to)) throw new Error('dates must be YYYY-MM-DD');
  const instance = await DuckDBInstance.create(':memory:');
  const c = await instance.connect();
  const csv = (name: string) => `read_csv('${join(outDir, 'csv', name)}', header = true, all_varchar = true)`;
  try {
    await c.run(
      `CREATE TABLE children AS SELECT child_id, TRY_CAST(birth_date AS DATE) AS birth_date, sex, ethnicity FROM ${csv('children.csv')}`,
    );
    await c.run(`CREATE TABLE cp AS SELECT child_id, CAST(start_date AS DATE) AS start_date, TRY_CAST(end_date AS DATE) AS end_date,
                   initial_category, latest_category, CAST(previous_plans AS INTEGER) AS previous_plans FROM ${csv('cp_plans.csv')}`);
    await c.run(
      `CREATE TABLE ref AS SELECT referral_id, child_id, CAST(referral_date AS DATE) AS referral_date, TRY_CAST(closure_date AS DATE) AS closure_date FROM ${csv('referrals.csv')}`,
    );
    await c.run(
      `CREATE TABLE asm AS SELECT child_id, referral_id, CAST(start_date AS DATE) AS start_date, TRY_CAST(authorisation_date AS DATE) AS authorisation_date, coalesce(factors, '') AS factors FROM ${csv('assessments.csv')}`,
    );
    await c.run(
      `CREATE TABLE eh AS SELECT child_id, CAST(start_date AS DATE) AS start_date, neglect, coalesce(factors, '') AS factors FROM ${csv('early_help.csv')}`,
    );
    await c.run(
      `CREATE TABLE pop AS SELECT CAST(year AS INTEGER) AS year, dimension, "group" AS grp, CAST(count AS DOUBLE) AS count FROM ${csv('population.csv')}`,
    );
    // Dates are checked to be YYYY-MM-DD and written into the SQL as literals.
    const dates = (sql: string): string =>
      sql.replaceAll('$from::DATE', `DATE '${from}'`).replaceAll('$to::DATE', `DATE '${to}'`);
    const one = async (sql: string): Promise<Record<string, unknown>> => {
      const reader = await c.runAndReadAll(dates(sql));
      return reader.getRowObjectsJson()[0] as Record<string, unknown>;
    };
    const num = (v: unknown): number => Number(v ?? 0);

    // METRICS.md §1: the latest mid-year strictly before the as-at date.
    const popRow = await one(
      `SELECT count FROM pop WHERE dimension = 'all' AND year = (SELECT max(year) FROM pop WHERE make_date(year, 6, 30) < $to::DATE)`,
    );
    const population = num(popRow['count']);

    const open = await one(`
      WITH o AS (SELECT * FROM cp WHERE start_date <= $to::DATE AND (end_date IS NULL OR end_date > $to::DATE))
      SELECT count(DISTINCT child_id) AS children,
             count(DISTINCT child_id) FILTER (WHERE initial_category = 'NEG') AS neglect,
             count(*) AS plans,
             count(*) FILTER (WHERE $to::DATE - start_date >= 730) AS two_years
      FROM o`);
    const starts = await one(`
      SELECT count(*) AS starts,
             count(*) FILTER (WHERE previous_plans > 0 OR EXISTS (SELECT 1 FROM cp e WHERE e.child_id = p.child_id AND e.start_date < p.start_date)) AS repeat
      FROM cp p WHERE p.start_date BETWEEN $from::DATE AND $to::DATE`);
    const refs = await one(`
      SELECT count(*) AS referrals,
             count(*) FILTER (WHERE EXISTS (SELECT 1 FROM ref q WHERE q.child_id = r.child_id AND q.referral_id <> r.referral_id
                                             AND q.referral_date >= r.referral_date - 365 AND q.referral_date < r.referral_date)) AS rereferrals
      FROM ref r WHERE r.referral_date BETWEEN $from::DATE AND $to::DATE`);
    const asm = await one(`
      SELECT count(*) AS assessments, count(*) FILTER (WHERE list_contains(string_split(factors, ';'), '16A')) AS neglect
      FROM asm WHERE authorisation_date BETWEEN $from::DATE AND $to::DATE`);
    const eh = await one(`
      SELECT count(*) AS starts, count(*) FILTER (WHERE neglect = 'Y' OR list_contains(string_split(factors, ';'), '16A')) AS neglect
      FROM eh WHERE start_date BETWEEN $from::DATE AND $to::DATE`);

    // §6 cohort cp_open_neglect: children counted in cp_open_neglect_initial.
    await c.run(
      `CREATE TABLE cohort AS
      SELECT DISTINCT ch.child_id, ${ethnicGroupSql} AS grp, ch.birth_date, ch.sex
      FROM cp JOIN children ch USING (child_id)
      WHERE cp.start_date <= $to::DATE AND (cp.end_date IS NULL OR cp.end_date > $to::DATE) AND cp.initial_category = 'NEG'`.replaceAll(
        '$to::DATE',
        `DATE '${to}'`,
      ),
    );
    const ratio = await one(`
      WITH p AS (SELECT grp, count FROM pop WHERE dimension = 'ethnicity'
                 AND year = (SELECT max(year) FROM pop WHERE make_date(year, 6, 30) < $to::DATE))
      SELECT (SELECT count(*) FROM cohort WHERE grp = 'mixed') / (SELECT count FROM p WHERE grp = 'mixed')
           / ((SELECT count(*) FROM cohort WHERE grp <> 'unknown') / (SELECT sum(count) FROM p)) AS ratio,
             (SELECT count(*) FROM cohort) AS cohort`);
    const bands = await c.runAndReadAll(
      dates(`
      SELECT CASE WHEN birth_date IS NULL OR birth_date > $to::DATE THEN 'unborn'
                  WHEN date_diff('year', birth_date, $to::DATE) - CASE WHEN strftime(birth_date, '%m%d') > strftime($to::DATE, '%m%d') THEN 1 ELSE 0 END < 1 THEN 'under_1'
                  WHEN date_diff('year', birth_date, $to::DATE) - CASE WHEN strftime(birth_date, '%m%d') > strftime($to::DATE, '%m%d') THEN 1 ELSE 0 END < 5 THEN '1_4'
                  WHEN date_diff('year', birth_date, $to::DATE) - CASE WHEN strftime(birth_date, '%m%d') > strftime($to::DATE, '%m%d') THEN 1 ELSE 0 END < 10 THEN '5_9'
                  WHEN date_diff('year', birth_date, $to::DATE) - CASE WHEN strftime(birth_date, '%m%d') > strftime($to::DATE, '%m%d') THEN 1 ELSE 0 END < 16 THEN '10_15'
                  ELSE '16_plus' END AS band, count(*) AS n
      FROM cohort GROUP BY band ORDER BY band`),
    );
    const sexes = await c.runAndReadAll(`SELECT sex, count(*) AS n FROM cohort GROUP BY sex ORDER BY sex`);
    const hidden = await one(`
      SELECT count(DISTINCT p.child_id) AS n FROM cp p
      WHERE p.start_date <= $to::DATE AND (p.end_date IS NULL OR p.end_date > $to::DATE)
        AND p.initial_category IN ('PHY','EMO','SAB') AND p.latest_category IN ('PHY','EMO','SAB')
        AND EXISTS (SELECT 1 FROM asm a WHERE a.child_id = p.child_id AND list_contains(string_split(a.factors, ';'), '16A')
                    AND a.authorisation_date BETWEEN p.start_date - 365 AND p.start_date)`);

    const cpOpen = num(open['children']);
    return {
      population,
      cpOpen,
      cpOpenPer10k: (cpOpen / population) * 10_000,
      cpOpenNeglectInitialShare: num(open['neglect']) / cpOpen,
      cpStarts: num(starts['starts']),
      cpStartsSecondOrSubsequentShare: num(starts['repeat']) / num(starts['starts']),
      referrals: num(refs['referrals']),
      rereferralShare: num(refs['rereferrals']) / num(refs['referrals']),
      cpOpenTwoYearsPlusShare: num(open['two_years']) / num(open['plans']),
      assessments: num(asm['assessments']),
      assessmentsNeglectShare: num(asm['neglect']) / num(asm['assessments']),
      neglectCohort: num(ratio['cohort']),
      mixedNeglectRatio: num(ratio['ratio']),
      neglectCohortByAgeBand: Object.fromEntries(
        bands.getRowObjectsJson().map((r) => [String(r['band']), num(r['n'])]),
      ),
      neglectCohortBySex: Object.fromEntries(sexes.getRowObjectsJson().map((r) => [String(r['sex']), num(r['n'])])),
      hiddenNeglect: num(hidden['n']),
      earlyHelpStarts: num(eh['starts']),
      earlyHelpNeglectShare: num(eh['neglect']) / num(eh['starts']),
    };
  } finally {
    c.closeSync();
    instance.closeSync();
  }
}
