-- Prevalence (METRICS.md §3). Every query runs over the temp table periods(period_from, period_to)
-- and returns one row per period, so one query gives a single quarter or a whole trend.

-- query: cp_open
-- shape: row
-- METRICS.md §3: "cp_open — children with a CP plan open at the as-at date. cp_open_neglect_initial,
-- cp_open_neglect_latest — of those, children whose open plan's initial / latest category is NEG.
-- Rates per 10k for all three."
-- METRICS.md §1: "Open at date d: start <= d AND (end IS NULL OR end > d). A plan that ended on d is
-- not open at d." "children" counts distinct children.
WITH counts AS (
  SELECT p.period_from, p.period_to,
         count(o.child_key)::INTEGER AS cp_open,
         count(o.child_key) FILTER (WHERE o.neglect_initial)::INTEGER AS cp_open_neglect_initial,
         count(o.child_key) FILTER (WHERE o.neglect_latest)::INTEGER AS cp_open_neglect_latest
  FROM periods p
  LEFT JOIN {{cp_open_children}} o ON o.period_to = p.period_to AND o.period_from = p.period_from
  GROUP BY p.period_from, p.period_to
)
SELECT period_from, period_to,
       cp_open,
       rate_per_10k(cp_open, children_0_17(period_to)) AS cp_open_rate_per_10k,
       cp_open_neglect_initial,
       rate_per_10k(cp_open_neglect_initial, children_0_17(period_to)) AS cp_open_neglect_initial_rate_per_10k,
       cp_open_neglect_latest,
       rate_per_10k(cp_open_neglect_latest, children_0_17(period_to)) AS cp_open_neglect_latest_rate_per_10k
FROM counts
ORDER BY period_to;

-- query: cp_starts
-- shape: row
-- METRICS.md §3: "cp_starts — CP plans starting in the period. cp_starts_neglect_initial — of those,
-- initial category NEG." §1 "In the period: from <= date <= to"; "plans" count records.
SELECT p.period_from, p.period_to,
       count(c.cp_plan_key)::INTEGER AS cp_starts,
       count(c.cp_plan_key) FILTER (WHERE c.initial_category = 'NEG')::INTEGER AS cp_starts_neglect_initial
FROM periods p
LEFT JOIN cp_plans c ON c.start_date BETWEEN p.period_from AND p.period_to
GROUP BY p.period_from, p.period_to
ORDER BY p.period_to;

-- fragment: assessments_authorised
-- METRICS.md §3 assessments_completed / §5: "assessments authorised in the period", one row per
-- period and assessment, with what its figures count it for: factor 16A (§3 assessments_neglect) and
-- authorised within 45 working days of its start (§5 assessments_within_45wd). Shared by the
-- figures (this file, drift.sql) and their case list (caselists.sql), so a list's length is its figure.
SELECT p.period_from, p.period_to, a.assessment_key, a.child_key, a.referral_key,
       a.start_date, a.authorisation_date, a.factors,
       coalesce(list_contains(a.factors, '16A'), false) AS neglect,
       working_days_between(a.start_date, a.authorisation_date) AS working_days,
       coalesce(working_days_between(a.start_date, a.authorisation_date) <= 45, false) AS within_45wd
FROM periods p
JOIN assessments a ON a.authorisation_date BETWEEN p.period_from AND p.period_to

-- query: assessments
-- shape: row
-- METRICS.md §3: "assessments_completed — assessments authorised in the period;
-- assessments_neglect — of those, factors include 16A." (cohort: fragment assessments_authorised)
SELECT p.period_from, p.period_to,
       count(a.assessment_key)::INTEGER AS assessments_completed,
       count(a.assessment_key) FILTER (WHERE a.neglect)::INTEGER AS assessments_neglect
FROM periods p
LEFT JOIN {{assessments_authorised}} a ON a.period_from = p.period_from AND a.period_to = p.period_to
GROUP BY p.period_from, p.period_to
ORDER BY p.period_to;

-- fragment: eh_episodes_overlapping
-- METRICS.md §3 eh_children / eh_episodes: "EH episodes overlapping the period", one row per period
-- and episode, with whether it shows neglect (§2: "the extract's neglect flag, or factor 16A among
-- its factors"). Shared by the eh_children figures and the early help case lists.
SELECT p.period_from, p.period_to, e.eh_key, e.child_key, e.start_date, e.end_date, e.lead_agency,
       e.closure_reason, coalesce(e.neglect OR list_contains(e.factors, '16A'), false) AS neglect
FROM periods p
JOIN early_help e ON overlaps_period(e.start_date, e.end_date, p.period_from, p.period_to)

-- query: early_help
-- shape: row
-- METRICS.md §3: "eh_children — children with an EH episode overlapping the period;
-- eh_children_neglect — with an overlapping EH episode showing neglect." §2: "an EH episode is
-- flagged neglect (the extract's neglect flag, or factor 16A among its factors)".
-- (cohort: fragment eh_episodes_overlapping, shared with the case list)
SELECT p.period_from, p.period_to,
       count(DISTINCT e.child_key)::INTEGER AS eh_children,
       count(DISTINCT e.child_key) FILTER (WHERE e.neglect)::INTEGER AS eh_children_neglect
FROM periods p
LEFT JOIN {{eh_episodes_overlapping}} e ON e.period_from = p.period_from AND e.period_to = p.period_to
GROUP BY p.period_from, p.period_to
ORDER BY p.period_to;

-- fragment: neglect_work_shares
-- Ofsted's 2014 questions ("In the child's time"): how much early help work, and how many CIN plans,
-- are about neglect. Defined in docs/METRICS.md §3 (issue 10), in METRICS.md's way:
-- "eh_episodes — EH episodes overlapping the period; eh_episodes_neglect — of those, episodes
-- showing neglect" (§2: "the extract's neglect flag, or factor 16A among its factors").
-- "cin_plans — CIN plans overlapping the period; cin_plans_neglect — of those, plans whose CIN
-- episode (the plan's referral) contains an assessment whose factors include 16A, authorised on or
-- before to" (the §3 neglect_any_stage CIN condition). Episodes and plans are records, not children
-- (§1 "Children vs occasions"). A CIN plan recorded without its episode cannot show neglect.
-- §1 "Overlaps the period: start <= to AND (end IS NULL OR end >= from)".
WITH eh AS (
  SELECT p.period_from, p.period_to,
         count(e.eh_key) AS eh_episodes,
         count(e.eh_key) FILTER (WHERE e.neglect OR list_contains(e.factors, '16A')) AS eh_episodes_neglect
  FROM periods p
  LEFT JOIN early_help e ON overlaps_period(e.start_date, e.end_date, p.period_from, p.period_to)
  GROUP BY ALL
),
cin AS (
  SELECT p.period_from, p.period_to,
         count(c.cin_plan_key) AS cin_plans,
         count(c.cin_plan_key) FILTER (WHERE n.first_neglect_authorised <= p.period_to) AS cin_plans_neglect
  FROM periods p
  LEFT JOIN cin_plans c ON overlaps_period(c.start_date, c.end_date, p.period_from, p.period_to)
  -- The plan's episode's earliest 16A authorisation (sql/derived.sql referral_neglect; one row per referral).
  LEFT JOIN derived_referral_neglect n ON n.referral_key = c.referral_key
  GROUP BY ALL
)
SELECT period_from, period_to,
       eh_episodes::INTEGER AS eh_episodes, eh_episodes_neglect::INTEGER AS eh_episodes_neglect,
       cin_plans::INTEGER AS cin_plans, cin_plans_neglect::INTEGER AS cin_plans_neglect
FROM eh JOIN cin USING (period_from, period_to)

-- query: neglect_work
-- shape: row
-- docs/METRICS.md §3 (issue 10, Ofsted's 2014 questions): "eh_episodes, eh_episodes_neglect,
-- cin_plans, cin_plans_neglect" as defined in the fragment neglect_work_shares above; the shares
-- are in percentages.sql.
SELECT period_from, period_to, eh_episodes, eh_episodes_neglect, cin_plans, cin_plans_neglect
FROM {{neglect_work_shares}}
ORDER BY period_to;

-- query: neglect_any_stage
-- shape: row
-- METRICS.md §3: "neglect_any_stage_children — children with at least one of: [EH, CIN, CP
-- signals] ... Rate per 10k. neglect_highest_stage splits it into cp (the CP condition holds),
-- else cin, else early_help." (cohort: sql/metrics/cohorts.sql)
WITH counts AS (
  SELECT p.period_from, p.period_to,
         count(n.child_key)::INTEGER AS neglect_any_stage_children,
         count(n.child_key) FILTER (WHERE n.highest_stage = 'cp')::INTEGER AS cp,
         count(n.child_key) FILTER (WHERE n.highest_stage = 'cin')::INTEGER AS cin,
         count(n.child_key) FILTER (WHERE n.highest_stage = 'early_help')::INTEGER AS early_help
  FROM periods p
  LEFT JOIN {{neglect_any_stage_children}} n ON n.period_to = p.period_to AND n.period_from = p.period_from
  GROUP BY p.period_from, p.period_to
)
SELECT period_from, period_to,
       neglect_any_stage_children,
       rate_per_10k(neglect_any_stage_children, children_0_17(period_to)) AS neglect_any_stage_children_rate_per_10k,
       {'cp': cp, 'cin': cin, 'early_help': early_help} AS neglect_highest_stage
FROM counts
ORDER BY period_to;

-- query: hidden_neglect
-- shape: row
-- METRICS.md §3: "cp_open_hidden_neglect — children with a CP plan open at the as-at date whose
-- initial and latest categories are both in PHY, EMO, SAB, and who had an assessment with factor
-- 16A authorised in the 365 days up to and including that plan's start date."
-- (cohort: sql/metrics/cohorts.sql, shared with the case list)
WITH hidden AS (
  SELECT DISTINCT period_from, period_to, child_key FROM {{cp_open_hidden_neglect_plans}}
)
SELECT p.period_from, p.period_to, count(h.child_key)::INTEGER AS cp_open_hidden_neglect
FROM periods p
LEFT JOIN hidden h ON h.period_from = p.period_from AND h.period_to = p.period_to
GROUP BY p.period_from, p.period_to
ORDER BY p.period_to;
