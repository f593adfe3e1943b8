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
JOIN cp_plans c ON open_at(c.start_date, c.end_date, p.period_to)
-- METRICS.md §16: a child who died on or before the as-at date is on no plan at it, whatever the plan says.
WHERE NOT EXISTS (SELECT 1 FROM children d WHERE d.child_key = c.child_key AND d.death_date <= p.period_to)
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
  JOIN early_help e ON overlaps_period(e.start_date, e.end_date, p.period_from, p.period_to)
  WHERE e.neglect OR list_contains(e.factors, '16A')
  UNION ALL
  -- Episodes holding a 16A assessment, with the earliest authorisation (sql/derived.sql referral_neglect).
  SELECT DISTINCT p.period_from, p.period_to, r.child_key, 'cin'
  FROM periods p
  JOIN derived_referral_neglect r ON overlaps_period(r.referral_date, r.closure_date, p.period_from, p.period_to)
  WHERE r.first_neglect_authorised <= p.period_to
  UNION ALL
  SELECT p.period_from, p.period_to, c.child_key, 'cp'
  FROM periods p
  JOIN cp_plans c ON overlaps_period(c.start_date, c.end_date, p.period_from, p.period_to)
  WHERE c.initial_category = 'NEG' OR c.latest_category = 'NEG'
) signals
GROUP BY period_from, period_to, child_key

-- fragment: cp_open_hidden_neglect_plans
-- METRICS.md §3 cp_open_hidden_neglect: "children with a CP plan open at the as-at date whose
-- initial and latest categories are both in PHY, EMO, SAB, and who had an assessment with factor
-- 16A authorised in the 365 days up to and including that plan's start date." "The 365 days up to
-- and including" the start date s are s - 364 ... s. One row per period, open plan and qualifying
-- assessment: the figure counts its distinct children, the case list shows each child's latest one.
SELECT p.period_from, p.period_to, c.child_key, c.cp_plan_key,
       c.start_date AS plan_start, c.initial_category, c.latest_category,
       a.authorisation_date AS neglect_assessment_authorised
FROM periods p
JOIN cp_plans c ON open_at(c.start_date, c.end_date, p.period_to)
JOIN assessments a ON a.child_key = c.child_key
WHERE c.initial_category IN ('PHY', 'EMO', 'SAB') AND c.latest_category IN ('PHY', 'EMO', 'SAB')
  AND list_contains(a.factors, '16A')
  AND a.authorisation_date BETWEEN c.start_date - 364 AND c.start_date
