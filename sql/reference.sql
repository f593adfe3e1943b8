-- The bundled DfE "Children in need" and ONS statistics (data/reference; provenance in its SOURCES.md),
-- typed into tables the benchmarks read (METRICS.md §9). Run by server/config.ts applyReference when a
-- warehouse is created or the bundled files or the LA configuration change, never on a read-only open.
-- Variables: reference_dir (the data/reference folder), la_code (the configured DfE LA code).
--
-- Every geography has an area_code: England E92000001, a region its E12/E13 code, an LA its DfE
-- three-digit old_la_code (also in la_code), so one join key serves all three levels. London appears three times among
-- the regions (London, Inner London, Outer London); the statistical-neighbour model places London
-- LAs in "London".
--
-- Publication symbols become NULL values with the symbol kept in `status`: c suppressed (1 to 5),
-- x not available, z not applicable, u low reliability. A blank or any other text counts as x.
-- England and regional counts are rounded to the nearest 10 by DfE; LA counts are not.
--
-- Not loaded: b1 (children in need counts; no benchmark uses it), the LAIT parquet (the same DfE
-- figures in LAIT's long form; the measures DfE's CSVs here lack are read from an extract of it,
-- lait_benchmarks_2016_to_2025.csv), the 2021 statistical neighbours (the 2025 model covers all 153 current
-- LAs), and the Census 2021 ethnicity files: those count ALL AGES, so they are no denominator for
-- children (ethnic-minority populations are younger; METRICS.md §6 rates need a child population
-- by ethnicity from population.csv).

-- The first version of this file kept one table per DfE file; ref_dfe replaces them.
DROP TABLE IF EXISTS ref_dfe_cp_repeat;
DROP TABLE IF EXISTS ref_dfe_cp_duration;
DROP TABLE IF EXISTS ref_dfe_rereferrals;
DROP TABLE IF EXISTS ref_dfe_factors;

CREATE OR REPLACE MACRO dfe_status(raw) AS
  CASE
    WHEN try_cast(trim(raw) AS DOUBLE) IS NOT NULL THEN NULL
    WHEN lower(trim(raw)) IN ('c', 'x', 'z', 'u') THEN lower(trim(raw))
    ELSE 'x'
  END;

CREATE OR REPLACE MACRO dfe_area_code(geographic_level, country_code, region_code, old_la_code) AS
  CASE geographic_level
    WHEN 'National' THEN nullif(trim(country_code), '')
    WHEN 'Regional' THEN nullif(trim(region_code), '')
    ELSE nullif(trim(old_la_code), '')
  END;

-- One row per reporting year, geography and published item. Items are named like the local figures
-- they stand beside (METRICS.md §3-5), with the DfE column in the comment.
CREATE OR REPLACE TABLE ref_dfe AS
WITH
d3 AS (
  SELECT 'd3' AS source_table, time_period, geographic_level, country_code, region_code, region_name, old_la_code, la_name,
         CPP_start AS cp_starts,                                          -- plans starting 1 April to 31 March
         CPP_subsequent AS cp_starts_second_or_subsequent,                -- of those, child had a plan before, however long ago
         CPP_subsequent_percent AS cp_starts_second_or_subsequent_pct
  FROM read_csv(getvariable('reference_dir') || '/dfe/d3_cpps_subsequent_plan_2013_to_2025.csv', all_varchar = true)
),
d5 AS (
  SELECT 'd5' AS source_table, time_period, geographic_level, country_code, region_code, region_name, old_la_code, la_name,
         CPP_At31 AS cp_open,                                             -- plans open at 31 March
         "3_months_or_less" AS cp_open_le_3m,
         "3_months_or_less_percent" AS cp_open_le_3m_pct,
         more_than_3_months_6_months AS cp_open_3_6m,
         more_than_3_months_6_months_percent AS cp_open_3_6m_pct,
         more_than_6_months_less_than_1_year AS cp_open_6_12m,
         more_than_6_months_less_than_1_year_percent AS cp_open_6_12m_pct,
         "1_year_less_than_2_years" AS cp_open_1_2y,
         "1_year_less_than_2_years_percent" AS cp_open_1_2y_pct,
         "2_years_or_more" AS cp_open_2y_plus,                            -- more than 729 days
         "2_years_or_more_percent" AS cp_open_2y_plus_pct
  FROM read_csv(getvariable('reference_dir') || '/dfe/d5_cpps_at31march_by_duration_2013_to_2025.csv', all_varchar = true)
),
c1 AS (
  SELECT 'c1' AS source_table, time_period, geographic_level, country_code, region_code, region_name, old_la_code, la_name,
         referral_count AS referrals,
         rereferral_count AS rereferrals_12m,                             -- referral within 12 months of a previous one
         rereferral_percent AS rereferrals_12m_pct
  FROM read_csv(getvariable('reference_dir') || '/dfe/c1_children_in_need_referrals_and_rereferrals_2013_to_2025.csv', all_varchar = true)
),
c3 AS (
  SELECT 'c3' AS source_table, time_period, geographic_level, country_code, region_code, region_name, old_la_code, la_name,
         Episodes_with_assessment_factor AS assessments,                  -- CIN episodes with factors at the end of assessment
         Neglect AS assessments_neglect                                   -- of those, factor 16A
  FROM read_csv(getvariable('reference_dir') || '/dfe/c3_factors_identified_at_end_of_assessment_2018_to_2025.csv', all_varchar = true)
),
-- England's share of CP plans open at 31 March with initial category neglect: 2019 and 2020 only, the
-- one national figure by category of abuse the bundle holds (SOURCES.md).
neglect_category AS (
  SELECT 'cin_characteristics' AS source_table, time_period, geographic_level, country_code, region_code, region_name,
         old_la_code, la_name,
         CPP_At31_neglect_initial_percent AS cp_open_neglect_initial_pct      -- of plans open at 31 March
  FROM read_csv(getvariable('reference_dir') || '/dfe/cp_neglect_initial_category_england.csv', all_varchar = true)
),
-- LAIT (lait_benchmarks_2016_to_2025.csv: those rows of lait_bds_long.parquet), each measure by
-- financial year, which LAIT names by its end (2025 = April 2024 to March 2025, as DfE's files: LAIT's
-- CP starts for 2025 are d3's 61,840). LA Number 970 is England, 980-990 the regions, the rest DfE's
-- old LA codes; '-' is not published (x). The measures, each named like the local figure it stands
-- beside:
--   304 "Continuous assessments completed within 45 working days" (Continue_Assess_Comp, %)
--   218 "Initial child protection conferences held within 15 days of the start of the section 47
--       enquiries" (CP_conf_15days, %)
--   124 "Children looked after rate per 10,000" (LAC): at 31 March per 10,000 children aged 0-17,
--       whole numbers as DfE publishes them; beside METRICS.md §10 lac_open_rate_per_10k at 31 March
--   "Percentage of referrals ... by source of referral": School (RefBySource_Schl_%), Health
--       Services (RefBySource_HealthServ_%), Police (RefBySource_Police_%); beside METRICS.md §14's
--       shares of referrals_by_source in the year
-- LAIT's region numbers, with DfE's names and codes for them (LAIT spells three differently).
lait_regions(la_number, region_code, region_name) AS (
  VALUES (980, 'E12000001', 'North East'), (981, 'E12000002', 'North West'),
         (982, 'E12000003', 'Yorkshire and The Humber'), (983, 'E12000004', 'East Midlands'),
         (984, 'E12000005', 'West Midlands'), (985, 'E12000006', 'East of England'), (986, 'E12000007', 'London'),
         (987, 'E13000001', 'Inner London'), (988, 'E13000002', 'Outer London'), (989, 'E12000008', 'South East'),
         (990, 'E12000009', 'South West')
),
lait AS (
  SELECT 'lait' AS source_table, l.years AS time_period,
         CASE WHEN l.la_number = 970 THEN 'National' WHEN r.la_number IS NOT NULL THEN 'Regional' ELSE 'Local authority' END
           AS geographic_level,
         CASE WHEN l.la_number = 970 THEN 'E92000001' END AS country_code,
         r.region_code,
         r.region_name,
         CASE WHEN l.la_number < 970 THEN CAST(l.la_number AS VARCHAR) END AS old_la_code,
         CASE WHEN l.la_number < 970 THEN l.la_and_regions END AS la_name,
         CASE l.short_desc
           WHEN 'Continue_Assess_Comp' THEN 'assessments_within_45wd_pct'    -- LAIT 304
           WHEN 'CP_conf_15days' THEN 'icpcs_within_15wd_pct'                -- LAIT 218
           WHEN 'LAC' THEN 'lac_open_rate_per_10k'                           -- LAIT 124
           WHEN 'RefBySource_Schl_%' THEN 'referrals_schools_pct'
           WHEN 'RefBySource_HealthServ_%' THEN 'referrals_health_pct'
           WHEN 'RefBySource_Police_%' THEN 'referrals_police_pct'
         END AS item,
         l."values" AS raw
  -- Columns given, not sniffed: the file is ours (SOURCES.md), and a reference reload stays quick.
  FROM read_csv(getvariable('reference_dir') || '/dfe/lait_benchmarks_2016_to_2025.csv', header = true, columns = {
         'short_desc': 'VARCHAR', 'years': 'VARCHAR', 'la_number': 'INTEGER', 'la_and_regions': 'VARCHAR',
         'region': 'VARCHAR', 'values': 'VARCHAR'
       }) l
  LEFT JOIN lait_regions r ON r.la_number = l.la_number
  WHERE l.la_number IS NOT NULL AND l.years SIMILAR TO '[0-9]{4}'
),
items AS (
  SELECT * FROM d3 UNPIVOT INCLUDE NULLS (raw FOR item IN (COLUMNS(* EXCLUDE (source_table, time_period, geographic_level, country_code, region_code, region_name, old_la_code, la_name))))
  UNION ALL
  SELECT * FROM d5 UNPIVOT INCLUDE NULLS (raw FOR item IN (COLUMNS(* EXCLUDE (source_table, time_period, geographic_level, country_code, region_code, region_name, old_la_code, la_name))))
  UNION ALL
  SELECT * FROM c1 UNPIVOT INCLUDE NULLS (raw FOR item IN (COLUMNS(* EXCLUDE (source_table, time_period, geographic_level, country_code, region_code, region_name, old_la_code, la_name))))
  UNION ALL
  SELECT * FROM c3 UNPIVOT INCLUDE NULLS (raw FOR item IN (COLUMNS(* EXCLUDE (source_table, time_period, geographic_level, country_code, region_code, region_name, old_la_code, la_name))))
  UNION ALL
  SELECT * FROM neglect_category UNPIVOT INCLUDE NULLS (raw FOR item IN (COLUMNS(* EXCLUDE (source_table, time_period, geographic_level, country_code, region_code, region_name, old_la_code, la_name))))
  UNION ALL
  SELECT source_table, time_period, geographic_level, country_code, region_code, region_name, old_la_code, la_name, item, raw
  FROM lait
)
SELECT CAST(time_period AS INTEGER) AS year,
       geographic_level,
       dfe_area_code(geographic_level, country_code, region_code, old_la_code) AS area_code,
       nullif(trim(region_code), '') AS region_code,
       nullif(trim(region_name), '') AS region_name,
       nullif(trim(old_la_code), '') AS la_code,
       nullif(trim(la_name), '') AS la_name,
       source_table,
       item,
       try_cast(trim(raw) AS DOUBLE) AS value,
       dfe_status(raw) AS status
FROM items;

-- ONS mid-year estimates of children aged 0-17. `year` is the mid-year (30 June); DfE's rates for
-- reporting year Y divide by mid-(Y-1).
CREATE OR REPLACE TABLE ref_ons_children AS
SELECT CAST(time_period AS INTEGER) AS year,
       geographic_level,
       dfe_area_code(geographic_level, country_code, region_code, old_la_code) AS area_code,
       nullif(trim(region_code), '') AS region_code,
       nullif(trim(region_name), '') AS region_name,
       nullif(trim(old_la_code), '') AS la_code,
       nullif(trim(la_name), '') AS la_name,
       try_cast(trim(population_estimate) AS INTEGER) AS children_0_17,
       dfe_status(population_estimate) AS status
FROM read_csv(getvariable('reference_dir') || '/ons/ons_mid-year_population_estimates_2012_to_2024.csv', all_varchar = true)
WHERE age_group = 'Children aged 0 to 17 years';

-- Each LA's ten statistical neighbours (DfE 2025 model), nearest first.
CREATE OR REPLACE TABLE ref_statistical_neighbours AS
SELECT trim(old_la_code) AS la_code,
       trim(la_name) AS la_name,
       trim(region_name) AS region_name,
       unnest(range(1, 11)) AS neighbour_rank,
       trim(unnest([SN_1, SN_2, SN_3, SN_4, SN_5, SN_6, SN_7, SN_8, SN_9, SN_10])) AS neighbour_la_code,
       trim(unnest([SN_1P, SN_2P, SN_3P, SN_4P, SN_5P, SN_6P, SN_7P, SN_8P, SN_9P, SN_10P])) AS closeness
FROM read_csv(getvariable('reference_dir') || '/dfe/statistical_neighbours_2025_wide.csv', all_varchar = true);

-- METRICS.md §1 population: the configured LA's ONS estimates, which the population macros use for any
-- mid-year a loaded population.csv (source 'local') does not cover. Replaced whole, so a change of LA
-- leaves no rows of the previous one. A fictional LA has none.
DELETE FROM population WHERE source = 'ons';

INSERT INTO population (year, dimension, "group", count, source, load_id)
SELECT year, 'all', 'all', children_0_17, 'ons', NULL
FROM ref_ons_children
WHERE geographic_level = 'Local authority' AND la_code = getvariable('la_code') AND children_0_17 IS NOT NULL;
