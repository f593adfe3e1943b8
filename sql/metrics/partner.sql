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
