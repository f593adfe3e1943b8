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

-- query: denominators
-- shape: rows
-- Which population each rate was divided by (METRICS.md §6: "say which source in the report"):
-- per dimension, the mid-year, the source ('local' = the LA's population file, 'ons' = the bundled
-- ONS estimate) and the total. Dimensions without a row have no population: no rates for them.
SELECT p.period_from, p.period_to, pop.dimension, pop.year, pop.source, sum(pop.count)::INTEGER AS children
FROM periods p
JOIN population pop ON pop.year = population_year(p.period_to)
WHERE pop.source = population_source_for(pop.year, pop.dimension)
GROUP BY ALL
ORDER BY p.period_to, pop.dimension;
