-- Bundled DfE and ONS statistics (data/reference, with SOURCES.md), typed once when a warehouse is
-- created. Publication codes ('c' suppressed, 'x' not available, 'z' not applicable, 'u' low
-- reliability) become NULL. Years are DfE reporting years (the year ending 31 March) and ONS
-- mid-years. geographic_level is National, Regional or Local authority.

CREATE TABLE IF NOT EXISTS ref_dfe_cp_repeat AS
SELECT time_period::INTEGER AS year, geographic_level, region_name, old_la_code::VARCHAR AS la_code, la_name,
       try_cast(CPP_start AS INTEGER) AS cp_starts, try_cast(CPP_subsequent AS INTEGER) AS cp_starts_second_or_subsequent,
       try_cast(CPP_subsequent_percent AS DOUBLE) AS cp_starts_second_or_subsequent_pct
FROM read_csv($d3, all_varchar = true);

CREATE TABLE IF NOT EXISTS ref_dfe_cp_duration AS
SELECT time_period::INTEGER AS year, geographic_level, region_name, old_la_code::VARCHAR AS la_code, la_name,
       try_cast(CPP_At31 AS INTEGER) AS cp_open_at_31_march, try_cast("2_years_or_more_percent" AS DOUBLE) AS cp_open_2y_plus_pct
FROM read_csv($d5, all_varchar = true);

CREATE TABLE IF NOT EXISTS ref_dfe_rereferrals AS
SELECT time_period::INTEGER AS year, geographic_level, region_name, old_la_code::VARCHAR AS la_code, la_name,
       try_cast(referral_count AS INTEGER) AS referrals, try_cast(rereferral_percent AS DOUBLE) AS rereferrals_12m_pct
FROM read_csv($c1, all_varchar = true);

CREATE TABLE IF NOT EXISTS ref_dfe_factors AS
SELECT time_period::INTEGER AS year, geographic_level, region_name, old_la_code::VARCHAR AS la_code, la_name,
       try_cast(Episodes_with_assessment_factor AS INTEGER) AS assessments, try_cast(Neglect AS INTEGER) AS assessments_neglect
FROM read_csv($c3, all_varchar = true);

CREATE TABLE IF NOT EXISTS ref_ons_children AS
SELECT time_period::INTEGER AS year, geographic_level, region_name, old_la_code::VARCHAR AS la_code, la_name,
       try_cast(population_estimate AS INTEGER) AS children_0_17
FROM read_csv($ons, all_varchar = true)
WHERE age_group = 'Children aged 0 to 17 years';

CREATE TABLE IF NOT EXISTS ref_statistical_neighbours AS
SELECT old_la_code::VARCHAR AS la_code, la_name, region_name, neighbour_rank, neighbour_code
FROM (
  UNPIVOT (SELECT * FROM read_csv($sn, all_varchar = true))
  ON SN_1, SN_2, SN_3, SN_4, SN_5, SN_6, SN_7, SN_8, SN_9, SN_10
  INTO NAME neighbour_rank VALUE neighbour_code
);
