-- Cohorts: the sets of children a figure counts, written once and included by the queries that
-- count, break down or list them ({{name}}). Each runs over periods(period_from, period_to).

-- fragment: cp_open_children
-- METRICS.md §3 cp_open: "children with a CP plan open at the as-at date"; §1 "Open at date d:
-- start <= d AND (end IS NULL OR end > d)". One row per child and period, with whether an open plan's
-- initial / latest category is NEG and the start of the child's earliest open plan.
SELECT p.period_from, p.period_to, c.child_key,
       bool_or(c.initial_category = 'NEG') AS neglect_initial,
       bool_or(c.latest_category = 'NEG') AS neglect_latest,
       min(c.start_date) AS earliest_open_start
FROM periods p
JOIN cp_plans c ON c.start_date <= p.period_to AND (c.end_date IS NULL OR c.end_date > p.period_to)
GROUP BY p.period_from, p.period_to, c.child_key

-- fragment: neglect_any_stage_children
-- METRICS.md §3 neglect_any_stage_children: "children with at least one of: an EH episode
-- overlapping the period showing neglect; a CIN episode overlapping the period (referral date to
-- closure date) that contains a 16A assessment authorised on or before `to`; a CP plan overlapping
-- the period with initial or latest category NEG." neglect_highest_stage: "`cp` (the CP condition
-- holds), else `cin`, else `early_help`". §2: EH neglect is "the extract's neglect flag, or factor
-- 16A among its factors". §1 "Overlaps the period: start <= to AND (end IS NULL OR end >= from)".
SELECT period_from, period_to, child_key,
       CASE WHEN bool_or(stage = 'cp') THEN 'cp' WHEN bool_or(stage = 'cin') THEN 'cin' ELSE 'early_help' END AS highest_stage
FROM (
  SELECT p.period_from, p.period_to, e.child_key, 'early_help' AS stage
  FROM periods p
  JOIN early_help e ON e.start_date <= p.period_to AND (e.end_date IS NULL OR e.end_date >= p.period_from)
  WHERE e.neglect OR list_contains(e.factors, '16A')
  UNION ALL
  SELECT DISTINCT p.period_from, p.period_to, r.child_key, 'cin'
  FROM periods p
  JOIN referrals r ON r.referral_date <= p.period_to AND (r.closure_date IS NULL OR r.closure_date >= p.period_from)
  JOIN assessments a ON a.referral_key = r.referral_key
  WHERE list_contains(a.factors, '16A') AND a.authorisation_date <= p.period_to
  UNION ALL
  SELECT p.period_from, p.period_to, c.child_key, 'cp'
  FROM periods p
  JOIN cp_plans c ON c.start_date <= p.period_to AND (c.end_date IS NULL OR c.end_date >= p.period_from)
  WHERE c.initial_category = 'NEG' OR c.latest_category = 'NEG'
) signals
GROUP BY period_from, period_to, child_key
