-- LAIT benchmarks for the partner measures METRICS.md §11 knows (data/reference/dfe/
-- lait_partner_2016_to_2025.csv, those rows of lait_bds_long.parquet; SOURCES.md), run after
-- reference.sql by sql/reference.ts applyReference:
--   school_persistent_absence  LAIT 371 "Total Persistent Absence (new definition)" (TotPerAbNew):
--                              pupils missing 10% or more of their own possible sessions, %
--   two_year_funded_takeup     LAIT 209 "Percentage of 2 year old children benefitting from funded
--                              early education" (%_2yr_olds), of eligible 2-year-olds, %
-- LAIT names both by academic year, by the calendar year it ends in (2025 = 2024/25; the early years
-- census is taken in the January of it). LA Number 970 is England, 980-990 the regions, the rest
-- DfE's old LA codes; '-' is not published (x). Variable: reference_dir.
CREATE OR REPLACE TABLE ref_lait_partner AS
WITH
-- LAIT's region numbers with DfE's names, as reference.sql's (the statistical-neighbour model's spelling).
lait_regions(la_number, region_name) AS (
  VALUES (980, 'North East'), (981, 'North West'), (982, 'Yorkshire and The Humber'), (983, 'East Midlands'),
         (984, 'West Midlands'), (985, 'East of England'), (986, 'London'), (987, 'Inner London'),
         (988, 'Outer London'), (989, 'South East'), (990, 'South West')
),
lait AS (
  SELECT * FROM read_csv(getvariable('reference_dir') || '/dfe/lait_partner_2016_to_2025.csv', header = true, columns = {
    'short_desc': 'VARCHAR', 'years': 'VARCHAR', 'la_number': 'INTEGER', 'la_and_regions': 'VARCHAR',
    'region': 'VARCHAR', 'values': 'VARCHAR'
  })
  WHERE la_number IS NOT NULL AND years SIMILAR TO '[0-9]{4}'
)
SELECT CASE l.short_desc
         WHEN 'TotPerAbNew' THEN 'school_persistent_absence'
         WHEN '%_2yr_olds' THEN 'two_year_funded_takeup'
       END AS measure,
       CAST(l.years AS INTEGER) AS year,
       CASE WHEN l.la_number = 970 THEN 'National' WHEN r.la_number IS NOT NULL THEN 'Regional' ELSE 'Local authority' END
         AS geographic_level,
       r.region_name,
       CASE WHEN l.la_number < 970 THEN CAST(l.la_number AS VARCHAR) END AS la_code,
       try_cast(trim(l."values") AS DOUBLE) AS value
FROM lait l
LEFT JOIN lait_regions r ON r.la_number = l.la_number
WHERE l.short_desc IN ('TotPerAbNew', '%_2yr_olds');
