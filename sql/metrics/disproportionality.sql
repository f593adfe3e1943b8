-- Disproportionality (METRICS.md §6).

-- query: disproportionality
-- shape: rows
-- METRICS.md §6: "For cohorts cp_open_neglect (children counted in cp_open_neglect_initial) and
-- neglect_any_stage (children counted in neglect_any_stage_children), and for each dimension
-- ethnicity, age_band (age at the as-at date) and sex, one row per group:
-- count — cohort children in the group. Groups unknown and unborn get a count only.
-- population — children 0–17 in the group (population table for that dimension).
-- rate_per_10k — count / population * 10000.
-- ci_low, ci_high — 95% Wilson score interval for count / population (z = 1.959964), times 10000.
-- ratio — rate_per_10k / rate_all, where rate_all = all cohort children in known groups / all
-- population in those groups × 10000.
-- flag — higher when ci_low > rate_all, lower when ci_high < rate_all, else similar."
-- §1: a child's characteristics are the newest recorded values; only age depends on the period.
-- The population of a group is the same mid-year estimate as the period's total (§1), from the
-- population rows of that dimension, a local file preferred to any other source.
WITH cohort_children AS (
  SELECT period_from, period_to, child_key, 'cp_open_neglect' AS cohort
  FROM {{cp_open_children}} WHERE neglect_initial
  UNION ALL
  SELECT period_from, period_to, child_key, 'neglect_any_stage' FROM {{neglect_any_stage_children}}
),
characterised AS (
  SELECT k.period_from, k.period_to, k.cohort,
         ethnicity_group(ch.ethnicity) AS ethnicity,
         age_band_at(ch.birth_date, k.period_to) AS age_band,
         coalesce(ch.sex, 'unknown') AS sex
  FROM cohort_children k
  LEFT JOIN children ch ON ch.child_key = k.child_key
),
groups AS (
  SELECT * FROM (VALUES
    ('ethnicity', 'white', 1), ('ethnicity', 'mixed', 2), ('ethnicity', 'asian', 3), ('ethnicity', 'black', 4),
    ('ethnicity', 'other', 5), ('ethnicity', 'unknown', 6),
    ('age_band', 'unborn', 1), ('age_band', 'under_1', 2), ('age_band', '1_4', 3), ('age_band', '5_9', 4),
    ('age_band', '10_15', 5), ('age_band', '16_plus', 6),
    ('sex', 'male', 1), ('sex', 'female', 2), ('sex', 'unknown', 3)
  ) AS g(dimension, "group", sort_order)
),
cohorts AS (
  SELECT * FROM (VALUES ('cp_open_neglect', 1), ('neglect_any_stage', 2)) AS c(cohort, cohort_order)
),
counts AS (
  SELECT period_from, period_to, cohort, 'ethnicity' AS dimension, ethnicity AS "group", count(*) AS n FROM characterised GROUP BY ALL
  UNION ALL
  SELECT period_from, period_to, cohort, 'age_band', age_band, count(*) FROM characterised GROUP BY ALL
  UNION ALL
  SELECT period_from, period_to, cohort, 'sex', sex, count(*) FROM characterised GROUP BY ALL
),
group_population AS (
  SELECT p.period_from, p.period_to, pop.dimension, pop."group", sum(pop.count) AS population
  FROM periods p
  JOIN population pop ON pop.year = population_year(p.period_to) AND pop.dimension <> 'all'
  WHERE pop.source = population_source_for(pop.year, pop.dimension)
  GROUP BY ALL
),
rows AS (
  SELECT p.period_from, p.period_to, c.cohort, c.cohort_order, g.dimension, g."group", g.sort_order,
         coalesce(n.n, 0)::INTEGER AS count,
         CASE WHEN g."group" NOT IN ('unknown', 'unborn') THEN gp.population END::INTEGER AS population
  FROM periods p
  CROSS JOIN cohorts c
  CROSS JOIN groups g
  LEFT JOIN counts n ON n.period_to = p.period_to AND n.period_from = p.period_from
                    AND n.cohort = c.cohort AND n.dimension = g.dimension AND n."group" = g."group"
  LEFT JOIN group_population gp ON gp.period_to = p.period_to AND gp.period_from = p.period_from
                               AND gp.dimension = g.dimension AND gp."group" = g."group"
),
overall AS (
  SELECT period_from, period_to, cohort, dimension,
         rate_per_10k(sum(count) FILTER (WHERE population > 0), sum(population) FILTER (WHERE population > 0)) AS rate_all
  FROM rows GROUP BY ALL
),
intervals AS (
  -- wilson_low/high (sql/conventions.sql): NULL for a group with more children in the cohort than in
  -- its population (a population file in thousands, loaded with --confirm-population), whose sqrt
  -- would otherwise fail the whole query, and the board pack with it.
  SELECT r.*, o.rate_all,
         wilson_low(r.count, r.population) * 10000 AS ci_low,
         wilson_high(r.count, r.population) * 10000 AS ci_high
  FROM rows r
  JOIN overall o USING (period_from, period_to, cohort, dimension)
)
SELECT period_from, period_to, cohort, dimension, "group", count, population,
       rate_per_10k(count, population) AS rate_per_10k,
       ci_low,
       ci_high,
       rate_per_10k(count, population) / nullif(rate_all, 0) AS ratio,
       CASE
         WHEN ci_low IS NULL THEN NULL
         WHEN ci_low > rate_all THEN 'higher'
         WHEN ci_high < rate_all THEN 'lower'
         ELSE 'similar'
       END AS flag,
       rate_all
FROM intervals
ORDER BY period_to, cohort_order, dimension, sort_order;
