-- METRICS.md §1 Conventions, as SQL macros every metric and load query shares, so each rule is
-- written once. Re-created whenever a warehouse is opened for writing.

-- Dates in extracts come as YYYY-MM-DD or DD/MM/YYYY (DATA.md); anything else, or an impossible
-- date such as 31/02/2024, is NULL so validation can name it.
-- (A cast reads YYYY-MM-DD far faster than strptime; only other text tries the UK pattern.)
-- The load macros take text already trimmed: validation trims each value once, and only when the
-- file has spaces at value edges (etl/load/validate.ts).
CREATE OR REPLACE MACRO parse_extract_date(s) AS
  coalesce(try_cast(s AS DATE), try_strptime(s, '%d/%m/%Y')::DATE);

-- METRICS.md §1 "Open at date d: start <= d AND (end IS NULL OR end > d). A plan that ended on d is
-- not open at d." Macros are expanded into the query before planning, so a join on open_at(...)
-- is planned exactly as the written-out condition.
CREATE OR REPLACE MACRO open_at(start_date, end_date, d) AS
  start_date <= d AND (end_date IS NULL OR end_date > d);

-- METRICS.md §1 "Overlaps the period: start <= to AND (end IS NULL OR end >= from)". Named
-- overlaps_period because OVERLAPS is an SQL keyword DuckDB will not take as a macro name.
CREATE OR REPLACE MACRO overlaps_period(start_date, end_date, period_from, period_to) AS
  start_date <= period_to AND (end_date IS NULL OR end_date >= period_from);

-- Yes/no in all the spellings the CIN census and case systems use.
CREATE OR REPLACE MACRO parse_yes_no(s) AS
  CASE upper(s)
    WHEN 'Y' THEN true WHEN 'YES' THEN true WHEN 'TRUE' THEN true WHEN '1' THEN true
    WHEN 'N' THEN false WHEN 'NO' THEN false WHEN 'FALSE' THEN false WHEN '0' THEN false
  END;

-- METRICS.md §1 "Sex: male, female, unknown (CIN census 1/M, 2/F, 0/9/U or missing)".
CREATE OR REPLACE MACRO sex_group(s) AS
  CASE upper(coalesce(s, ''))
    WHEN '1' THEN 'male' WHEN 'M' THEN 'male' WHEN 'MALE' THEN 'male'
    WHEN '2' THEN 'female' WHEN 'F' THEN 'female' WHEN 'FEMALE' THEN 'female'
    ELSE 'unknown'
  END;

-- METRICS.md §1 "Age at date d: completed years from birth date." A child born on 29 February
-- completes a year on 1 March in common years (as in English law), which date_sub would not give.
CREATE OR REPLACE MACRO age_at(birth, d) AS
  year(d) - year(birth) - CASE WHEN month(d) * 100 + day(d) < month(birth) * 100 + day(birth) THEN 1 ELSE 0 END;

-- METRICS.md §1 "Age bands (DfE): unborn, under_1, 1_4, 5_9, 10_15, 16_plus"; no birth date, or a
-- birth date after d, is unborn at d.
CREATE OR REPLACE MACRO age_band_at(birth, d) AS
  CASE
    WHEN birth IS NULL OR birth > d THEN 'unborn'
    WHEN age_at(birth, d) < 1 THEN 'under_1'
    WHEN age_at(birth, d) < 5 THEN '1_4'
    WHEN age_at(birth, d) < 10 THEN '5_9'
    WHEN age_at(birth, d) < 16 THEN '10_15'
    ELSE '16_plus'
  END;

-- METRICS.md §1 "Ethnicity groups (DfE major groups of the CIN census codes)".
CREATE OR REPLACE MACRO ethnicity_group(code) AS
  CASE
    WHEN upper(trim(code)) IN ('WBRI', 'WIRI', 'WIRT', 'WOTH', 'WROM') THEN 'white'
    WHEN upper(trim(code)) IN ('MWBC', 'MWBA', 'MWAS', 'MOTH') THEN 'mixed'
    WHEN upper(trim(code)) IN ('AIND', 'APKN', 'ABAN', 'AOTH') THEN 'asian'
    WHEN upper(trim(code)) IN ('BCRB', 'BAFR', 'BOTH') THEN 'black'
    WHEN upper(trim(code)) IN ('CHNE', 'OOTH') THEN 'other'
    ELSE 'unknown'
  END;

-- METRICS.md §1 "Population. The population for a period is the latest mid-year estimate whose
-- mid-year date (30 June of its year) is strictly before the as-at date". A loaded population file
-- (source 'local') is preferred to the bundled ONS estimate for the same year.
CREATE OR REPLACE MACRO population_year(as_at) AS (
  SELECT max(year) FROM population WHERE dimension = 'all' AND make_date(year, 6, 30) < as_at
);

-- Which source a year's population of one dimension comes from: 'local' when the LA loaded one, else
-- the bundled one. Correlated callers pass qualified columns (pop.year, pop.dimension): an unqualified
-- name would bind to the population table inside the macro.
CREATE OR REPLACE MACRO population_source_for(pop_year, pop_dimension) AS (
  SELECT coalesce(min(source) FILTER (WHERE source = 'local'), min(source))
  FROM population WHERE dimension = pop_dimension AND year = pop_year
);

CREATE OR REPLACE MACRO population_source(as_at) AS population_source_for(population_year(as_at), 'all');

CREATE OR REPLACE MACRO children_0_17(as_at) AS (
  SELECT sum(count)::INTEGER FROM population
  WHERE dimension = 'all' AND year = population_year(as_at) AND source = population_source(as_at)
);

-- METRICS.md §1 "rate_per_10k = count / population * 10000".
CREATE OR REPLACE MACRO rate_per_10k(count, population) AS count::DOUBLE / nullif(population, 0) * 10000;

-- METRICS.md §1 "Working days between a and b: days x with a < x <= b that are Monday–Friday and
-- not an England bank holiday". An index of working days up to each date (1995–2035, the span of
-- the bundled calendar) turns that count into one subtraction; outside the span the answer is NULL.
CREATE TABLE IF NOT EXISTS working_day_index AS
SELECT d::DATE AS date,
       sum(CASE WHEN isodow(d) <= 5 AND d::DATE NOT IN (SELECT date FROM bank_holidays) THEN 1 ELSE 0 END)
         OVER (ORDER BY d)::INTEGER AS working_days_to_date
FROM range(DATE '1995-01-01', DATE '2036-01-01', INTERVAL 1 DAY) AS t(d);

CREATE OR REPLACE MACRO working_days_between(a, b) AS (
  (SELECT working_days_to_date FROM working_day_index WHERE date = b)
  - (SELECT working_days_to_date FROM working_day_index WHERE date = a)
);

-- METRICS.md §5 duration bands: "le_3m ≤ 91, 3_6m 92–182, 6_12m 183–364, 1_2y 365–729, 2y_plus ≥ 730
-- (DfE's "2 years or more" = more than 729 days)". Written once for the figures and the case lists.
CREATE OR REPLACE MACRO duration_band(days) AS
  CASE
    WHEN days <= 91 THEN 'le_3m'
    WHEN days <= 182 THEN '3_6m'
    WHEN days <= 364 THEN '6_12m'
    WHEN days <= 729 THEN '1_2y'
    ELSE '2y_plus'
  END;

-- METRICS.md §12 eh_starts_by_lead_agency: a lead agency "as recorded, trimmed, case-folded;
-- empty = not recorded".
CREATE OR REPLACE MACRO lead_agency_name(agency) AS coalesce(nullif(lower(trim(agency)), ''), 'not recorded');

-- METRICS.md §12 referrals_by_source: a CIN census referral source code's DfE group, as the DfE
-- publishes referrals by source and LAIT benchmarks them (schools, health services, police).
CREATE OR REPLACE MACRO referral_source_group(code) AS
  CASE
    WHEN code IN ('1A', '1B', '1C', '1D') THEN 'individual'
    WHEN code = '2A' THEN 'schools'
    WHEN code = '2B' THEN 'education_services'
    WHEN code IN ('3A', '3B', '3C', '3D', '3E', '3F') THEN 'health'
    WHEN code = '4' THEN 'housing'
    WHEN code IN ('5A', '5B', '5C', '5D') THEN 'la_services'
    WHEN code = '6' THEN 'police'
    WHEN code = '7' THEN 'other_legal_agency'
    WHEN code = '8' THEN 'other'
    WHEN code = '9' THEN 'anonymous'
    ELSE 'unknown'
  END;

-- METRICS.md §6: the 95% Wilson score interval for k of n (z = 1.959964), as a proportion; NULL when
-- n is 0 or k is above n (a population file in thousands would otherwise take sqrt of a negative
-- number and fail the query). Disproportionality and audit findings (§13) both use it.
CREATE OR REPLACE MACRO wilson_low(k, n) AS
  CASE WHEN n > 0 AND k <= n THEN
    ((k::DOUBLE / n + 1.959964 ^ 2 / (2 * n))
      - 1.959964 * sqrt((k::DOUBLE / n) * (1 - k::DOUBLE / n) / n + 1.959964 ^ 2 / (4 * n::DOUBLE * n)))
    / (1 + 1.959964 ^ 2 / n)
  END;
CREATE OR REPLACE MACRO wilson_high(k, n) AS
  CASE WHEN n > 0 AND k <= n THEN
    ((k::DOUBLE / n + 1.959964 ^ 2 / (2 * n))
      + 1.959964 * sqrt((k::DOUBLE / n) * (1 - k::DOUBLE / n) / n + 1.959964 ^ 2 / (4 * n::DOUBLE * n)))
    / (1 + 1.959964 ^ 2 / n)
  END;
