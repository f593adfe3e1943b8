-- Children looked after (METRICS.md §10), from the SSDA903 care episodes in `looked_after`. The file
-- is named for the JSON section it fills (`looked_after`), as every family is (metrics/figures.ts).
-- A period of care is a property of the child's episodes, not of the period, so it is worked out
-- once per episode and then counted for each period, as repeat.sql does with plan histories.

-- fragment: lac_care_starts
-- METRICS.md §10: "A period of care is a run of episodes, each starting on the day the one before it
-- ended. It begins at an episode whose reason for a new episode is S, or, where no reason is
-- recorded, at the run's first episode." "A run whose first episode's reason is something other than
-- S began before the data and is not a start." lac_starts_n1: "children whose first episode's
-- category of need is N1". lac_from_neglect_plan: "a CP plan with initial or latest category NEG
-- that was open on the day before care began, or that ended in the 365 days before it (care start −
-- 365 <= end < care start)"; §1 "Open at date d: start <= d AND (end IS NULL OR end > d)".
-- One row per period of care: the child, the day it began, the episode it began with, its category
-- of need and whether a neglect plan led into it.
-- An episode continues a run when another episode of the same child ended on the day it starts
-- (found by that end date, not by sort order, so out-of-order or overlapping episodes chain alike).
-- An S episode begins a period wherever it stands: the return records that the child started to be
-- looked after (docs/DECISIONS.md). P, T, L, U or B never begin one; a null reason begins one only
-- at a run's first episode.
WITH beginnings AS (
  SELECT l.child_key, l.lac_key, l.start_date AS care_start, l.category_of_need
  FROM looked_after l
  WHERE l.reason_new_episode = 'S'
     OR (l.reason_new_episode IS NULL
         AND NOT EXISTS (
           SELECT 1 FROM looked_after prior
           WHERE prior.child_key = l.child_key AND prior.lac_key <> l.lac_key AND prior.end_date = l.start_date
         ))
),
-- The plans are joined to the beginnings on the child alone and filtered after: with the dates
-- inside one outer join's condition DuckDB compared every plan with every beginning (issue 17).
neglect_plans AS (
  SELECT b.lac_key, max(cp.end_date) AS neglect_plan_end, bool_or(cp.end_date IS NULL) AS neglect_plan_open
  FROM beginnings b
  JOIN cp_plans cp ON cp.child_key = b.child_key
  WHERE (cp.initial_category = 'NEG' OR cp.latest_category = 'NEG')
    -- Open on the day before care (end > care start − 1) or ended in the 365 days before it.
    AND (open_at(cp.start_date, cp.end_date, b.care_start - 1)
         OR (cp.end_date >= b.care_start - 365 AND cp.end_date < b.care_start))
  GROUP BY b.lac_key
)
SELECT b.child_key, b.lac_key AS first_lac_key, b.care_start, b.category_of_need AS first_category_of_need,
       n.lac_key IS NOT NULL AS from_neglect_plan,
       n.neglect_plan_end,
       coalesce(n.neglect_plan_open, false) AS neglect_plan_open
FROM beginnings b
LEFT JOIN neglect_plans n USING (lac_key)

-- fragment: lac_open_children
-- METRICS.md §10 lac_open: "children with a care episode open at the as-at date"; lac_open_n1: "of
-- lac_open, children whose open episode's category of need is N1". §1 "Open at date d: start <= d
-- AND (end IS NULL OR end > d)": an episode ending on the as-at date is not open. One row per child
-- and period; with overlapping episodes (messy returns) any open N1 episode makes the child N1.
SELECT p.period_from, p.period_to, l.child_key,
       bool_or(l.category_of_need = 'N1') AS need_n1,
       min(l.start_date) AS earliest_open_start
FROM periods p
JOIN looked_after l ON open_at(l.start_date, l.end_date, p.period_to)
GROUP BY p.period_from, p.period_to, l.child_key

-- query: lac_open
-- shape: row
-- METRICS.md §10: "lac_open: children with a care episode open at the as-at date; rate
-- lac_open_rate_per_10k." "lac_open_n1: of lac_open, children whose open episode's category of need
-- is N1 (abuse or neglect: named so, never "neglect" alone, §2)."
-- METRICS.md §1: "A rate per 10,000 is count / population × 10000", the population of the as-at date.
WITH counts AS (
  SELECT p.period_from, p.period_to,
         count(o.child_key)::INTEGER AS lac_open,
         count(o.child_key) FILTER (WHERE o.need_n1)::INTEGER AS lac_open_n1
  FROM periods p
  LEFT JOIN {{lac_open_children}} o ON o.period_from = p.period_from AND o.period_to = p.period_to
  GROUP BY p.period_from, p.period_to
)
SELECT period_from, period_to,
       lac_open,
       rate_per_10k(lac_open, children_0_17(period_to)) AS lac_open_rate_per_10k,
       lac_open_n1
FROM counts
ORDER BY period_to;

-- query: lac_starts
-- shape: row
-- METRICS.md §10: "lac_starts: children with a period of care starting in the period. A run whose
-- first episode's reason is something other than S began before the data and is not a start."
-- "lac_starts_n1: of lac_starts, children whose first episode's category of need is N1."
-- "lac_from_neglect_plan: of lac_starts, children who had a CP plan with initial or latest category
-- NEG that was open on the day before care began, or that ended in the 365 days before it
-- (care start − 365 <= end < care start)."
-- Children, not periods (§1): a child whose care began twice in the period is one child, N1 or from a
-- neglect plan when either beginning is.
SELECT p.period_from, p.period_to,
       count(DISTINCT c.child_key)::INTEGER AS lac_starts,
       count(DISTINCT c.child_key) FILTER (WHERE c.first_category_of_need = 'N1')::INTEGER AS lac_starts_n1,
       count(DISTINCT c.child_key) FILTER (WHERE c.from_neglect_plan)::INTEGER AS lac_from_neglect_plan
FROM periods p
LEFT JOIN {{lac_care_starts}} c ON c.care_start BETWEEN p.period_from AND p.period_to
GROUP BY p.period_from, p.period_to
ORDER BY p.period_to;

-- Case lists (officers only) of the figures above, beside the cohorts they share with them, in
-- sql/metrics/caselists.sql's form: the surrogate key, the LA child id, age band at the as-at date,
-- sex, ethnicity group, then the dates and flags that put the child there.

-- query: cases_lac_open
-- shape: rows
-- METRICS.md §10 lac_open: "children with a care episode open at the as-at date", with the
-- lac_open_n1 flag ("of lac_open, children whose open episode's category of need is N1", abuse or
-- neglect) and the start of the child's earliest open episode.
-- case list of: looked_after.lac_open
-- case list of: looked_after.lac_open_n1 where need_n1
SELECT o.child_key, i.la_child_id,
       age_band_at(ch.birth_date, o.period_to) AS age_band, coalesce(ch.sex, 'unknown') AS sex,
       ethnicity_group(ch.ethnicity) AS ethnicity,
       o.earliest_open_start AS episode_start, o.need_n1
FROM {{lac_open_children}} o
JOIN child_identity i USING (child_key)
LEFT JOIN children ch USING (child_key)
ORDER BY o.earliest_open_start, o.child_key;

-- query: cases_lac_starts
-- shape: rows
-- METRICS.md §10 lac_starts: "children with a period of care starting in the period", one row per
-- child (the first beginning in the period), with lac_starts_n1 ("first episode's category of need is
-- N1") and lac_from_neglect_plan ("a CP plan with initial or latest category NEG that was open on the
-- day before care began, or that ended in the 365 days before it"), each true when it holds for any
-- of the child's beginnings in the period, as the figures count them; and when the latest such plan
-- ended (empty while it is open).
-- case list of: looked_after.lac_starts
-- case list of: looked_after.lac_starts_n1 where need_n1
-- case list of: looked_after.lac_from_neglect_plan where from_neglect_plan
SELECT s.child_key, i.la_child_id,
       age_band_at(ch.birth_date, s.period_to) AS age_band, coalesce(ch.sex, 'unknown') AS sex,
       ethnicity_group(ch.ethnicity) AS ethnicity,
       s.care_start, s.need_n1, s.from_neglect_plan, s.neglect_plan_end, s.neglect_plan_open
FROM (
  SELECT p.period_from, p.period_to, c.child_key,
         min(c.care_start) AS care_start,
         bool_or(c.first_category_of_need = 'N1') AS need_n1,
         bool_or(c.from_neglect_plan) AS from_neglect_plan,
         max(c.neglect_plan_end) AS neglect_plan_end,
         bool_or(c.neglect_plan_open) AS neglect_plan_open
  FROM periods p
  JOIN {{lac_care_starts}} c ON c.care_start BETWEEN p.period_from AND p.period_to
  GROUP BY p.period_from, p.period_to, c.child_key
) s
JOIN child_identity i USING (child_key)
LEFT JOIN children ch USING (child_key)
ORDER BY s.care_start, s.child_key;
