-- fragment: recorded_from
-- Issue 10, partial history: records often start thinly (a few children's earlier episodes carried
-- into the first extracts) before a system records everything. Recording counts as full from the
-- first quarter with at least half the median quarterly number of referrals; a pack for a quarter
-- before it would show shares that read low only because earlier records are missing. One date, or
-- null without referrals.
WITH quarterly_referrals AS (
  SELECT date_trunc('quarter', referral_date)::DATE AS quarter_start, count(*) AS referrals FROM referrals GROUP BY 1
)
SELECT min(quarter_start) FROM quarterly_referrals
WHERE referrals >= (SELECT median(referrals) / 2 FROM quarterly_referrals)

-- query: data_extent
-- shape: row
-- What periods the warehouse can answer for: the first recorded event, and the extract date, which
-- is the newest reference date of a successful load (DATA.md: the file's reference date, else load time).
-- The latest complete quarter is the last quarter ending on or before the extract date; board packs
-- default to it.
WITH events AS (
  SELECT min(start_date) AS first_date FROM cp_plans
  UNION ALL SELECT min(referral_date) FROM referrals
  UNION ALL SELECT min(start_date) FROM early_help
),
extract AS (
  SELECT max(reference_date) AS extract_date FROM loads WHERE status = 'loaded'
)
SELECT
  (SELECT min(first_date) FROM events) AS first_date,
  {{recorded_from}} AS recorded_from,
  extract_date,
  CASE WHEN extract_date IS NOT NULL THEN
    CASE WHEN extract_date = (date_trunc('quarter', extract_date) + INTERVAL 3 MONTH - INTERVAL 1 DAY)::DATE
      THEN extract_date
      ELSE (date_trunc('quarter', extract_date) - INTERVAL 1 DAY)::DATE
    END
  END AS latest_quarter_end
FROM extract;

-- query: recorded_history
-- shape: row
-- kept: by params
-- Issue 10, partial history: how far back the records reach for a figure that looks back 12 months
-- (a re-referral, a second plan). The first quarter recorded in full (as `data_extent` has it), and
-- the first plan's start: a second plan is counted against earlier plans, so before the first one
-- every plan looks like a first. metrics/boardPack.ts compares them with a quarter's start.
SELECT {{recorded_from}} AS recorded_from,
       (SELECT min(start_date) FROM cp_plans) AS first_plan_date;
