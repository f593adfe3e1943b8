-- Benchmarks (METRICS.md §9): "Beside each local figure, show England, the LA's region and its
-- statistical neighbours (mean of the ten) for the matching DfE reporting year, from reference/dfe/.
-- Compare like with like: DfE 'at 31 March' figures beside an as-at 31 March figure, starts beside
-- starts, and never a local-only measure (2-year repeat, stop-start) beside a DfE one."

-- fragment: dfe_measures
-- Every DfE measure the pack compares, per reporting year and geography. The CP rate is DfE's own
-- calculation: plans at 31 March ÷ ONS children 0–17 at the previous mid-year × 10,000 (SOURCES.md:
-- 49,420 ÷ 12,183,016 × 10,000 = 40.6 for England in 2025).
SELECT d.year, d.geographic_level, d.region_name, d.la_code, 'cp_open_rate_per_10k' AS measure,
       d.cp_open_at_31_march::DOUBLE / o.children_0_17 * 10000 AS value
FROM ref_dfe_cp_duration d
LEFT JOIN ref_ons_children o
  ON o.year = d.year - 1 AND o.geographic_level = d.geographic_level
 AND o.region_name IS NOT DISTINCT FROM d.region_name AND o.la_code IS NOT DISTINCT FROM d.la_code
UNION ALL
SELECT year, geographic_level, region_name, la_code, 'cp_open_2y_plus_pct', cp_open_2y_plus_pct FROM ref_dfe_cp_duration
UNION ALL
SELECT year, geographic_level, region_name, la_code, 'cp_starts_second_or_subsequent_pct', cp_starts_second_or_subsequent_pct FROM ref_dfe_cp_repeat
UNION ALL
SELECT year, geographic_level, region_name, la_code, 'rereferrals_12m_pct', rereferrals_12m_pct FROM ref_dfe_rereferrals
UNION ALL
SELECT year, geographic_level, region_name, la_code, 'assessments_neglect_pct', 100.0 * assessments_neglect / nullif(assessments, 0) FROM ref_dfe_factors

-- query: benchmarks
-- shape: rows
-- One row per measure for DfE year $year: England, the region of $comparator (the configured LA, or
-- the real LA standing in for a fictional one), the mean of $comparator's ten statistical neighbours
-- (suppressed neighbours left out; `neighbours` says how many counted) and $la's own published value.
WITH measures AS (SELECT * FROM {{dfe_measures}} WHERE year = $year),
region AS (SELECT region_name FROM ref_statistical_neighbours WHERE la_code = $comparator LIMIT 1),
neighbours AS (SELECT neighbour_code FROM ref_statistical_neighbours WHERE la_code = $comparator)
SELECT measure,
       max(value) FILTER (WHERE geographic_level = 'National') AS england,
       max(value) FILTER (WHERE geographic_level = 'Regional' AND region_name = (SELECT region_name FROM region)) AS region,
       avg(value) FILTER (WHERE geographic_level = 'Local authority' AND la_code IN (SELECT neighbour_code FROM neighbours)) AS statistical_neighbours,
       count(value) FILTER (WHERE geographic_level = 'Local authority' AND la_code IN (SELECT neighbour_code FROM neighbours))::INTEGER AS neighbours,
       max(value) FILTER (WHERE geographic_level = 'Local authority' AND la_code = $la) AS la_published,
       (SELECT region_name FROM region) AS region_name
FROM measures
GROUP BY measure
ORDER BY measure;

-- query: benchmark_years
-- shape: row
-- The newest DfE reporting year in the bundled files.
SELECT max(year)::INTEGER AS latest_year FROM ref_dfe_cp_repeat;

-- query: repeat_funnel_points
-- shape: rows
-- Every LA's CP starts and second or subsequent starts for DfE year $year (the funnel plot's
-- points; suppressed LAs left out), and England's proportion p0 around which the limits are drawn.
SELECT la_code, la_name, cp_starts AS denominator, cp_starts_second_or_subsequent AS numerator,
       (SELECT cp_starts_second_or_subsequent::DOUBLE / cp_starts FROM ref_dfe_cp_repeat
        WHERE year = $year AND geographic_level = 'National') AS p0
FROM ref_dfe_cp_repeat
WHERE year = $year AND geographic_level = 'Local authority' AND cp_starts > 0 AND cp_starts_second_or_subsequent IS NOT NULL
ORDER BY la_code;
