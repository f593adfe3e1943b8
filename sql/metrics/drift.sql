-- Drift and delay (METRICS.md §5).

-- fragment: cp_open_plans_18m
-- METRICS.md §5 cp_open_18m_plus: "plans open at the as-at date that started at least 547 days
-- before it". One row per period and plan (plans, not children: §1), shared by the figure and its
-- case list.
SELECT p.period_from, p.period_to, c.cp_plan_key, c.child_key, c.start_date, c.initial_category,
       c.latest_category, (p.period_to - c.start_date)::INTEGER AS days_open
FROM periods p
JOIN cp_plans c ON open_at(c.start_date, c.end_date, p.period_to)
WHERE p.period_to - c.start_date >= 547

-- fragment: cp_plans_ended
-- METRICS.md §5 cp_ended_by_duration: "CP plans ending in the period", one row per period and plan
-- with its §5 band of end - start, shared by the figure and its case list.
SELECT p.period_from, p.period_to, c.cp_plan_key, c.child_key, c.referral_key, c.start_date, c.end_date,
       c.initial_category, c.latest_category, (c.end_date - c.start_date)::INTEGER AS days_on_plan,
       duration_band(c.end_date - c.start_date) AS band
FROM periods p
JOIN cp_plans c ON c.end_date BETWEEN p.period_from AND p.period_to

-- query: cp_duration
-- shape: row
-- METRICS.md §5: "cp_open_by_duration — children counted in cp_open, by days from plan start to the
-- as-at date: le_3m ≤ 91, 3_6m 92–182, 6_12m 183–364, 1_2y 365–729, 2y_plus ≥ 730 (DfE's "2 years
-- or more" = more than 729 days)." A child with two open plans is placed by the earlier start.
-- "cp_open_18m_plus — plans open at the as-at date with at least 547 days since start."
WITH open_children AS (
  SELECT o.period_from, o.period_to, duration_band(o.period_to - o.earliest_open_start) AS band
  FROM {{cp_open_children}} o
),
open_plans_18m AS (
  SELECT period_from, period_to, count(*)::INTEGER AS plans
  FROM {{cp_open_plans_18m}}
  GROUP BY ALL
)
SELECT p.period_from, p.period_to,
       {
         'le_3m': count(*) FILTER (WHERE o.band = 'le_3m')::INTEGER,
         '3_6m': count(*) FILTER (WHERE o.band = '3_6m')::INTEGER,
         '6_12m': count(*) FILTER (WHERE o.band = '6_12m')::INTEGER,
         '1_2y': count(*) FILTER (WHERE o.band = '1_2y')::INTEGER,
         '2y_plus': count(*) FILTER (WHERE o.band = '2y_plus')::INTEGER
       } AS cp_open_by_duration,
       coalesce(any_value(l.plans), 0)::INTEGER AS cp_open_18m_plus
FROM periods p
LEFT JOIN open_children o ON o.period_from = p.period_from AND o.period_to = p.period_to
LEFT JOIN open_plans_18m l ON l.period_from = p.period_from AND l.period_to = p.period_to
GROUP BY p.period_from, p.period_to
ORDER BY p.period_to;

-- query: cp_ended_duration
-- shape: row
-- METRICS.md §5: "cp_ended_by_duration — CP plans ending in the period, same bands on end - start."
WITH ended AS (
  SELECT period_from, period_to, band FROM {{cp_plans_ended}}
)
SELECT p.period_from, p.period_to,
       {
         'le_3m': count(*) FILTER (WHERE e.band = 'le_3m')::INTEGER,
         '3_6m': count(*) FILTER (WHERE e.band = '3_6m')::INTEGER,
         '6_12m': count(*) FILTER (WHERE e.band = '6_12m')::INTEGER,
         '1_2y': count(*) FILTER (WHERE e.band = '1_2y')::INTEGER,
         '2y_plus': count(*) FILTER (WHERE e.band = '2y_plus')::INTEGER
       } AS cp_ended_by_duration
FROM periods p
LEFT JOIN ended e ON e.period_from = p.period_from AND e.period_to = p.period_to
GROUP BY p.period_from, p.period_to
ORDER BY p.period_to;

-- fragment: stop_start_children
-- METRICS.md §5 (amended): "stop_start_children — per child, merge every EH episode and every CIN
-- episode whose referral was not NFA (an NFA referral is a decision, not help; open episodes run to
-- the as-at date) into spells: intervals that overlap or touch (next start ≤ previous end + 1 day)
-- join one spell. A reopening is a spell that starts within 365 days after the previous spell
-- ended. Count children with at least 2 reopenings starting in the 1,095 days up to the as-at date
-- (to - 1095 < start <= to)."
-- "stop_start_children_neglect — of those, children with a neglect signal dated in the same 1,095
-- days: an EH neglect episode start, the authorisation of a 16A assessment, or the start of a plan
-- with initial or latest category NEG." (§2: EH neglect is "the extract's neglect flag, or factor
-- 16A among its factors".)
-- A referral with no NFA recorded (nfa NULL) is help: only a recorded NFA decision is left out.
-- Episodes are seen as at the as-at date: those starting after it do not exist yet, and an end after
-- it is still open then, so runs to it. Spells are built once over all history, per load (sql/derived.sql
-- stop_start_reopenings says why that is the same as building them as at each period's end); a
-- period picks the reopenings in its window.
-- One row per period and child counted, with its reopenings in the window and the latest one
-- (shared by the figures and their case list).
WITH reopenings AS (
  -- Built once per load (sql/derived.sql stop_start_reopenings).
  SELECT child_key, spell_start FROM derived_stop_start_reopenings
),
stop_start AS (
  SELECT p.period_from, p.period_to, r.child_key, count(*)::INTEGER AS reopenings, max(r.spell_start) AS latest_reopening
  FROM periods p
  JOIN reopenings r ON r.spell_start > p.period_to - 1095 AND r.spell_start <= p.period_to
  GROUP BY ALL
  HAVING count(*) >= 2
),
neglect_signals AS (
  SELECT child_key, start_date AS signal_date FROM early_help WHERE neglect OR list_contains(factors, '16A')
  UNION ALL
  SELECT child_key, authorisation_date FROM assessments WHERE list_contains(factors, '16A')
  UNION ALL
  SELECT child_key, start_date FROM cp_plans WHERE initial_category = 'NEG' OR latest_category = 'NEG'
)
SELECT s.period_from, s.period_to, s.child_key, s.reopenings, s.latest_reopening,
       EXISTS (
         SELECT 1 FROM neglect_signals n
         WHERE n.child_key = s.child_key AND n.signal_date > s.period_to - 1095 AND n.signal_date <= s.period_to
       ) AS neglect
FROM stop_start s

-- query: stop_start
-- shape: row
-- METRICS.md §5 stop_start_children and stop_start_children_neglect: the children of the fragment
-- stop_start_children, and those of them with a neglect signal in the window.
SELECT p.period_from, p.period_to,
       count(f.child_key)::INTEGER AS stop_start_children,
       count(f.child_key) FILTER (WHERE f.neglect)::INTEGER AS stop_start_children_neglect
FROM periods p
LEFT JOIN {{stop_start_children}} f ON f.period_from = p.period_from AND f.period_to = p.period_to
GROUP BY p.period_from, p.period_to
ORDER BY p.period_to;

-- fragment: icpcs_held
-- METRICS.md §5 icpcs: "Section 47 enquiries whose initial child protection conference was held in
-- the period", one row per period and enquiry, with whether it was held within 15 working days of
-- the Section 47 start (icpcs_within_15wd). Shared by the figures and their case list.
SELECT p.period_from, p.period_to, s.s47_key, s.child_key, s.referral_key, s.start_date, s.icpc_date,
       working_days_between(s.start_date, s.icpc_date) AS working_days,
       coalesce(working_days_between(s.start_date, s.icpc_date) <= 15, false) AS within_15wd
FROM periods p
JOIN section47 s ON s.icpc_date BETWEEN p.period_from AND p.period_to

-- query: timeliness
-- shape: row
-- METRICS.md §5: "assessments_completed, assessments_within_45wd — authorised in the period; within =
-- working days from start to authorisation ≤ 45." "icpcs, icpcs_within_15wd — Section 47 enquiries
-- with an initial conference date in the period; within = working days from S47 start to the
-- conference ≤ 15." §1 "Working days between a and b: days x with a < x <= b that are
-- Monday–Friday and not an England bank holiday".
-- (cohorts: fragments assessments_authorised, prevalence.sql, and icpcs_held, shared with the case lists)
WITH assessed AS (
  SELECT period_from, period_to,
         count(*)::INTEGER AS completed,
         count(*) FILTER (WHERE within_45wd)::INTEGER AS within
  FROM {{assessments_authorised}}
  GROUP BY ALL
),
conferences AS (
  SELECT period_from, period_to,
         count(*)::INTEGER AS held,
         count(*) FILTER (WHERE within_15wd)::INTEGER AS within
  FROM {{icpcs_held}}
  GROUP BY ALL
)
SELECT p.period_from, p.period_to,
       coalesce(a.completed, 0)::INTEGER AS assessments_completed,
       coalesce(a.within, 0)::INTEGER AS assessments_within_45wd,
       coalesce(c.held, 0)::INTEGER AS icpcs,
       coalesce(c.within, 0)::INTEGER AS icpcs_within_15wd
FROM periods p
LEFT JOIN assessed a ON a.period_from = p.period_from AND a.period_to = p.period_to
LEFT JOIN conferences c ON c.period_from = p.period_from AND c.period_to = p.period_to
ORDER BY p.period_to;

-- fragment: neglect_plan_delays
-- METRICS.md §5 median_days_first_neglect_to_cp: per CP plan starting in the period with initial
-- category NEG, the child's earliest neglect signal on or before its start and the days from it
-- (the signals and their rule: the query neglect_to_cp below). Shared by the figures and their case list.
WITH signals AS (
  SELECT child_key, start_date AS signal_date FROM early_help WHERE neglect OR list_contains(factors, '16A')
  UNION ALL
  -- Referrals whose episode holds a 16A assessment, authorised or not (sql/derived.sql referral_neglect).
  SELECT child_key, referral_date FROM derived_referral_neglect
  UNION ALL
  SELECT child_key, start_date FROM cp_plans WHERE initial_category = 'NEG'
),
neglect_starts AS (
  SELECT p.period_from, p.period_to, c.cp_plan_key, c.child_key, c.start_date
  FROM periods p
  JOIN cp_plans c ON c.start_date BETWEEN p.period_from AND p.period_to AND c.initial_category = 'NEG'
)
SELECT n.period_from, n.period_to, n.cp_plan_key, n.child_key, n.start_date, min(s.signal_date) AS first_signal_date,
       (n.start_date - min(s.signal_date))::INTEGER AS days
FROM neglect_starts n
JOIN signals s ON s.child_key = n.child_key AND s.signal_date <= n.start_date
GROUP BY n.period_from, n.period_to, n.cp_plan_key, n.child_key, n.start_date

-- query: neglect_to_cp
-- shape: row
-- METRICS.md §5 (amended): "median_days_first_neglect_to_cp — over CP plans starting in the period
-- with initial NEG: days from the child's earliest neglect signal (EH neglect episode start,
-- referral date of a CIN episode with a 16A assessment, start of an earlier plan whose *initial*
-- category is NEG — a plan that only later became NEG gives no dated signal; only signals on or
-- before this plan's start; the plan itself is a signal, so a plan with no earlier one counts 0
-- days) to this plan's start. Median as quantile_cont(0.5); null when no plans."
-- For the board (issue 10: "show it with its n and quartiles ... in whole days"), the same days
-- over the same plans: first_neglect_to_cp_n (the plans; equals cp_starts_neglect_initial, since
-- every such plan is its own signal), and the lower quartile, median and upper quartile
-- (quantile_cont 0.25 / 0.5 / 0.75) rounded to whole days here, in SQL, with round() (half away
-- from zero: 785.5 → 786). median_days_first_neglect_to_cp stays unrounded, as §5 and §8 define it.
-- The reporting-year figures are this query over the reporting year (1 Apr–31 Mar) as the period.
SELECT p.period_from, p.period_to,
       quantile_cont(d.days, 0.5) AS median_days_first_neglect_to_cp,
       count(d.days)::INTEGER AS first_neglect_to_cp_n,
       round(quantile_cont(d.days, 0.25))::INTEGER AS first_neglect_to_cp_q1_days,
       round(quantile_cont(d.days, 0.5))::INTEGER AS first_neglect_to_cp_median_days,
       round(quantile_cont(d.days, 0.75))::INTEGER AS first_neglect_to_cp_q3_days
FROM periods p
LEFT JOIN {{neglect_plan_delays}} d ON d.period_from = p.period_from AND d.period_to = p.period_to
GROUP BY p.period_from, p.period_to
ORDER BY p.period_to;
