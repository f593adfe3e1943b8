-- query: population
-- shape: row
-- METRICS.md §1: "The population for a period is the latest mid-year estimate whose mid-year date
-- (30 June of its year) is strictly before the as-at date (so reporting year to 31 March 2025 uses
-- mid-2024, as DfE does). ... population = children aged 0–17."
SELECT
  period_from, period_to,
  population_year(period_to) AS year,
  children_0_17(period_to) AS children_0_17,
  population_source(period_to) AS source
FROM periods
ORDER BY period_to;
