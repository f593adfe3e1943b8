-- Benchmarks (METRICS.md §9): "Beside each local figure, show England, the LA's region and its
-- statistical neighbours (mean of the ten) for the matching DfE reporting year, from reference/dfe/.
-- Compare like with like: DfE 'at 31 March' figures beside an as-at 31 March figure, starts beside
-- starts, and never a local-only measure (2-year repeat, stop-start) beside a DfE one."
--
-- The tables are sql/reference.sql's. `year` is the DfE reporting year, named by the 31 March it ends
-- on; server/metrics/benchmarks.ts picks it for a period. Only DfE-defined measures are here: the
-- local-only ones (cp_starts_within_2y, stop_start_children) have nothing to stand beside.

-- fragment: dfe_benchmark_figures
-- Each benchmark measure for every year and geography, as DfE published it, or worked out from DfE's
-- own counts where DfE publishes only the counts. `status` carries the publication symbol (c, x, z,
-- u) when the value is withheld.
-- cp_open_rate_per_10k: METRICS.md §1 "rate_per_10k = count / population * 10000", DfE's way: plans
--   open at 31 March ÷ ONS children 0–17 at the previous mid-year (SOURCES.md: England 2025
--   49,420 ÷ 12,183,016 × 10,000 = 40.6). Beside the local cp_open_rate_per_10k at 31 March.
-- cp_open_2y_plus_pct: d5 "2 years or more" share of plans open at 31 March (published, 1 dp).
--   Beside cp_open_by_duration.2y_plus ÷ cp_open at 31 March.
-- cp_starts_second_or_subsequent_pct: d3, of plans starting in the year, a second or subsequent
--   plan "regardless of how long ago" (published, 1 dp). Beside METRICS.md §4 the same of cp_starts.
-- rereferrals_12m_pct: c1, referrals within 12 months of a previous referral, of all referrals
--   (published, 1 dp; the referral-level figure, as the local one counts referrals).
-- assessments_neglect_pct: c3 Neglect ÷ episodes with factors identified at the end of assessment
--   × 100. DfE counts CIN episodes with a completed assessment; the local figure counts assessments.
-- assessments_within_45wd_pct: LAIT 304, continuous assessments completed within 45 working days (%).
--   Beside METRICS.md §5 assessments_within_45wd ÷ assessments_completed (in year).
-- icpcs_within_15wd_pct: LAIT 218, initial conferences within 15 working days of the Section 47 start
--   (%). Beside METRICS.md §5 icpcs_within_15wd ÷ icpcs (in year).
-- cp_open_neglect_initial_pct: England's share of plans open at 31 March with initial category
--   neglect, 2019 and 2020 only (SOURCES.md). Beside METRICS.md §3 cp_open_neglect_initial ÷ cp_open.
-- lac_open_rate_per_10k: LAIT 124, children looked after at 31 March per 10,000 children aged 0-17
--   (published, whole numbers). Beside METRICS.md §10 lac_open_rate_per_10k at 31 March only.
-- referrals_schools_pct, referrals_health_pct, referrals_police_pct: LAIT's "percentage of referrals
--   ... by source of referral" for School, Health Services and Police (published, 1 dp). Beside
--   METRICS.md §14's shares of referrals_by_source in the year.
-- cp_starts_neglect_initial_pct (starts in the year by initial category) has no national figure in
--   the bundle: its row is empty, and the pack says "no national figure".
WITH
rate AS (
  SELECT d.year, d.geographic_level, d.area_code, d.region_name, d.la_code, d.la_name,
         'cp_open_rate_per_10k' AS measure,
         d.value / nullif(o.children_0_17, 0) * 10000 AS value,
         CASE
           WHEN d.status IS NOT NULL THEN d.status
           WHEN o.children_0_17 IS NULL THEN coalesce(o.status, 'x')
           WHEN o.children_0_17 = 0 THEN 'z'
         END AS status
  FROM ref_dfe d
  LEFT JOIN ref_ons_children o ON o.area_code = d.area_code AND o.year = d.year - 1
  WHERE d.item = 'cp_open'
),
published AS (
  SELECT year, geographic_level, area_code, region_name, la_code, la_name, item AS measure, value, status
  FROM ref_dfe
  WHERE item IN (
    'cp_open_2y_plus_pct', 'cp_starts_second_or_subsequent_pct', 'rereferrals_12m_pct',
    'assessments_within_45wd_pct', 'icpcs_within_15wd_pct', 'cp_open_neglect_initial_pct',
    'lac_open_rate_per_10k', 'referrals_schools_pct', 'referrals_health_pct', 'referrals_police_pct'
  )
),
neglect AS (
  SELECT n.year, n.geographic_level, n.area_code, n.region_name, n.la_code, n.la_name,
         'assessments_neglect_pct' AS measure,
         100.0 * n.value / nullif(a.value, 0) AS value,
         CASE
           WHEN n.status IS NOT NULL THEN n.status
           WHEN a.status IS NOT NULL THEN a.status
           WHEN a.value = 0 THEN 'z'
         END AS status
  FROM ref_dfe n
  JOIN ref_dfe a ON a.item = 'assessments' AND a.year = n.year AND a.area_code = n.area_code
  WHERE n.item = 'assessments_neglect'
)
SELECT * FROM rate
UNION ALL SELECT * FROM published
UNION ALL SELECT * FROM neglect

-- query: benchmarks
-- shape: rows
-- kept: by params
-- METRICS.md §9: "England, the LA's region and its statistical neighbours (mean of the ten) for the
-- matching DfE reporting year". One row per measure for DfE year $year: England; the region of
-- $comparator (the configured LA, or the real LA standing in for a fictional one) as the DfE
-- statistical-neighbour model places it; the mean of $comparator's ten neighbours' values, leaving
-- out withheld ones (neighbours_count says how many counted); and $la's own figure as DfE published
-- it, with its symbol when withheld. `basis` says what a local figure must be to stand beside it:
-- at_31_march (a stock at 31 March) or in_year (a share of events in the year).
-- `year` is the reporting year of a measure's figures: $year, or, for a measure England has no figure
-- for in $year, the newest earlier year it has one (the neglect share: 2020), so a board sees the
-- newest national figure with its year rather than none; null when no year has one.
WITH
all_figures AS ({{dfe_benchmark_figures}}),
measure_year AS (
  SELECT measure, max(year) AS year FROM all_figures
  WHERE year <= $year AND geographic_level = 'National' AND value IS NOT NULL
  GROUP BY measure
),
figures AS (SELECT f.* FROM all_figures f JOIN measure_year y USING (measure, year)),
comparator_region AS (SELECT any_value(region_name) AS region_name FROM ref_statistical_neighbours WHERE la_code = $comparator),
neighbours AS (SELECT neighbour_la_code FROM ref_statistical_neighbours WHERE la_code = $comparator),
measures(position, measure, basis) AS (
  VALUES (1, 'cp_open_rate_per_10k', 'at_31_march'),
         (2, 'cp_starts_second_or_subsequent_pct', 'in_year'),
         (3, 'cp_open_2y_plus_pct', 'at_31_march'),
         (4, 'rereferrals_12m_pct', 'in_year'),
         (5, 'assessments_neglect_pct', 'in_year'),
         (6, 'assessments_within_45wd_pct', 'in_year'),
         (7, 'icpcs_within_15wd_pct', 'in_year'),
         (8, 'cp_open_neglect_initial_pct', 'at_31_march'),
         (9, 'cp_starts_neglect_initial_pct', 'in_year'),
         (10, 'lac_open_rate_per_10k', 'at_31_march'),
         (11, 'referrals_schools_pct', 'in_year'),
         (12, 'referrals_health_pct', 'in_year'),
         (13, 'referrals_police_pct', 'in_year')
)
SELECT m.measure,
       m.basis,
       any_value(f.year)::INTEGER AS year,
       any_value(f.value) FILTER (WHERE f.geographic_level = 'National') AS england,
       any_value(f.value) FILTER (WHERE f.geographic_level = 'Regional' AND f.region_name = (SELECT region_name FROM comparator_region)) AS region,
       avg(f.value) FILTER (WHERE f.geographic_level = 'Local authority' AND f.la_code IN (SELECT neighbour_la_code FROM neighbours)) AS neighbours_mean,
       count(f.value) FILTER (WHERE f.geographic_level = 'Local authority' AND f.la_code IN (SELECT neighbour_la_code FROM neighbours))::INTEGER AS neighbours_count,
       any_value(f.value) FILTER (WHERE f.geographic_level = 'Local authority' AND f.la_code = $la) AS la_published,
       any_value(f.status) FILTER (WHERE f.geographic_level = 'Local authority' AND f.la_code = $la) AS la_published_status
FROM measures m
LEFT JOIN figures f ON f.measure = m.measure
GROUP BY m.position, m.measure, m.basis
ORDER BY m.position;

-- query: benchmark_comparator
-- shape: row
-- kept: by params
-- METRICS.md §9 "the LA's region and its statistical neighbours": the region and the ten neighbours
-- (nearest first) of $comparator in the DfE 2025 statistical-neighbour model, and whether $la itself
-- is an LA in the DfE files.
SELECT any_value(s.la_name) AS comparator_la_name,
       any_value(s.region_name) AS region,
       list({'rank': s.neighbour_rank, 'la_code': s.neighbour_la_code, 'la_name': n.la_name} ORDER BY s.neighbour_rank)
         FILTER (WHERE s.neighbour_la_code IS NOT NULL) AS neighbours,
       EXISTS (SELECT 1 FROM ref_statistical_neighbours WHERE la_code = $la) AS la_is_real
FROM ref_statistical_neighbours s
LEFT JOIN (SELECT DISTINCT la_code, la_name FROM ref_statistical_neighbours) n ON n.la_code = s.neighbour_la_code
WHERE s.la_code = $comparator;

-- query: benchmark_years
-- shape: row
-- kept: by params
-- METRICS.md §9 "the matching DfE reporting year": the first and newest reporting years the bundled
-- DfE files hold.
SELECT min(year)::INTEGER AS first_year, max(year)::INTEGER AS latest_year
FROM ref_dfe
WHERE item IN ('cp_starts', 'cp_open', 'referrals');

-- query: repeat_funnel
-- shape: rows
-- kept: by params
-- METRICS.md §4 cp_starts_second_or_subsequent against DfE's d3 for year $year: England's starts and
-- second or subsequent starts (p0 = their ratio), and every LA's, with the symbol of any withheld
-- count. DfE: "This is a count of each occasion in the year, and may count the same child more
-- than once."
SELECT geographic_level,
       area_code,
       any_value(la_name) AS la_name,
       any_value(value) FILTER (WHERE item = 'cp_starts') AS cp_starts,
       any_value(status) FILTER (WHERE item = 'cp_starts') AS cp_starts_status,
       any_value(value) FILTER (WHERE item = 'cp_starts_second_or_subsequent') AS cp_starts_second_or_subsequent,
       any_value(status) FILTER (WHERE item = 'cp_starts_second_or_subsequent') AS cp_starts_second_or_subsequent_status
FROM ref_dfe
WHERE source_table = 'd3' AND year = $year AND geographic_level IN ('National', 'Local authority')
GROUP BY geographic_level, area_code
ORDER BY geographic_level = 'National' DESC, area_code;
