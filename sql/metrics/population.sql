-- query: population
-- shape: row
-- METRICS.md §1: "The population for a period is the latest mid-year estimate whose mid-year date
-- (30 June of its year) is strictly before the as-at date (so reporting year to 31 March 2025 uses
-- mid-2024, as DfE does). ... population = children aged 0–17."
SELECT
  population_year($to::DATE) AS year,
  children_0_17($to::DATE) AS children_0_17,
  population_source($to::DATE) AS source;
