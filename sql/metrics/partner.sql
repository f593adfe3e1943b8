-- Partner measures (METRICS.md §11): aggregates schools, early years, health and police send as
-- partner_measures.csv (DATA.md), one row per measure, agency and period. Nothing here is about a
-- child. Benchmarks for the known ids are LAIT's (sql/reference_partner.sql).

-- fragment: partner_values
-- METRICS.md §11 "Value": numerator / denominator × 100 (percent), × 10000 (rate_per_10k), the
-- numerator itself (count). The loader refuses a percent or rate without a positive denominator.
-- Two rows of one measure and agency ending on the same day (a quarter and a year, say): the one
-- starting later, the shorter and more recent period, stands for that day.
SELECT measure, agency, unit, period_start, period_end, numerator, denominator,
       CASE unit
         WHEN 'percent' THEN numerator / denominator * 100
         WHEN 'rate_per_10k' THEN numerator / denominator * 10000
         ELSE numerator
       END AS value
FROM partner_measures
QUALIFY row_number() OVER (PARTITION BY measure, agency, period_end ORDER BY period_start DESC) = 1

-- query: partner_latest
-- shape: rows
-- METRICS.md §11: "A pack's period takes the partner row whose period ends latest on or before the
-- as-at date, and says which period that is." One row per period and (measure, agency) with any row
-- ending on or before the as-at date (period_to): a period ending on the as-at date counts, one
-- ending the day after does not.
SELECT p.period_from, p.period_to, v.measure, v.agency, v.unit,
       strftime(v.period_start, '%Y-%m-%d') AS period_start,
       strftime(v.period_end, '%Y-%m-%d') AS period_end,
       v.numerator::INTEGER AS numerator,
       v.denominator::INTEGER AS denominator,
       v.value
FROM periods p
JOIN {{partner_values}} v ON v.period_end <= p.period_to
QUALIFY row_number() OVER (PARTITION BY p.period_from, p.period_to, v.measure, v.agency ORDER BY v.period_end DESC) = 1
ORDER BY p.period_to, v.measure, v.agency;

-- query: partner_series
-- shape: rows
-- kept: by params
-- METRICS.md §11 "Value", each period of each (measure, agency) ending from $from to $to (the
-- as-at date), oldest first: the trend beside the latest value.
SELECT v.measure, v.agency, v.unit,
       strftime(v.period_start, '%Y-%m-%d') AS period_start,
       strftime(v.period_end, '%Y-%m-%d') AS period_end,
       v.numerator::INTEGER AS numerator,
       v.denominator::INTEGER AS denominator,
       v.value
FROM {{partner_values}} v
WHERE v.period_end BETWEEN $from::DATE AND $to::DATE
ORDER BY v.measure, v.agency, v.period_end;

-- query: partner_benchmarks
-- shape: rows
-- kept: by params
-- METRICS.md §11: "Known measures, with their benchmark where one exists" (LAIT "total persistent
-- absence", "2 year olds benefitting from funded early education"), as §9 sets them beside a local
-- figure: England, the region of $comparator (the configured LA, or the real LA standing in for a
-- fictional one) and the mean of its ten statistical neighbours, leaving out unpublished values
-- (neighbours_count says how many counted). One row per measure and LAIT year with an England figure;
-- metrics/partners.ts picks the year.
WITH
comparator_region AS (SELECT any_value(region_name) AS region_name FROM ref_statistical_neighbours WHERE la_code = $comparator),
neighbours AS (SELECT neighbour_la_code FROM ref_statistical_neighbours WHERE la_code = $comparator)
SELECT l.measure, l.year,
       any_value(l.value) FILTER (WHERE l.geographic_level = 'National') AS england,
       any_value(l.value) FILTER (WHERE l.geographic_level = 'Regional' AND l.region_name = (SELECT region_name FROM comparator_region)) AS region,
       (SELECT region_name FROM comparator_region) AS region_name,
       avg(l.value) FILTER (WHERE l.geographic_level = 'Local authority' AND l.la_code IN (SELECT neighbour_la_code FROM neighbours)) AS neighbours_mean,
       count(l.value) FILTER (WHERE l.geographic_level = 'Local authority' AND l.la_code IN (SELECT neighbour_la_code FROM neighbours))::INTEGER AS neighbours_count
FROM ref_lait_partner l
GROUP BY l.measure, l.year
HAVING any_value(l.value) FILTER (WHERE l.geographic_level = 'National') IS NOT NULL
ORDER BY l.measure, l.year;
