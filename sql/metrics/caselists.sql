-- Case lists (officers only): the children, plans, referrals, assessments or episodes behind a count,
-- for audit. Each list selects the rows of the same cohort fragment its figure counts (cohorts.sql,
-- prevalence.sql, repeat.sql, drift.sql), so a list's length is its figure, for every period.
--
-- METRICS.md "Case lists" states the rule; each query declares the figures it is behind:
--   -- case list of: <figure>                   the whole list is the figure
--   -- case list of: <figure> where <column>    the rows whose boolean <column> is true
--   -- case list of: <figure> by <column>       a split figure: <figure>.<key> is the rows whose <column> = key
-- tests/metrics/caseListsCoverage.test.ts walks every counting figure of the §8 object and fails on one
-- with no list, or a list whose length is not the figure.
--
-- Columns: the surrogate key, the LA child id (identity), age band at the as-at date, sex, ethnicity
-- group, then the dates, codes and flags that put the row there. Codes stay codes here; their words
-- are in metrics/contract/caseListColumns.ts (the page and the CSV export both use them).

-- query: cases_cp_open
-- shape: rows
-- METRICS.md §3 cp_open: the children counted at the as-at date, with the §3/§5 flags: neglect by
-- initial/latest category, days on plan and its §5 band, 18 months or more.
-- case list of: prevalence.cp_open
-- case list of: prevalence.cp_open_neglect_initial where neglect_initial
-- case list of: prevalence.cp_open_neglect_latest where neglect_latest
-- case list of: drift.cp_open_by_duration by duration_band
SELECT o.child_key, i.la_child_id,
       age_band_at(ch.birth_date, o.period_to) AS age_band, coalesce(ch.sex, 'unknown') AS sex,
       ethnicity_group(ch.ethnicity) AS ethnicity,
       o.earliest_open_start AS plan_start,
       (o.period_to - o.earliest_open_start)::INTEGER AS days_on_plan,
       duration_band(o.period_to - o.earliest_open_start) AS duration_band,
       o.neglect_initial, o.neglect_latest,
       (o.period_to - o.earliest_open_start) >= 547 AS open_18m_plus
FROM {{cp_open_children}} o
JOIN child_identity i USING (child_key)
LEFT JOIN children ch USING (child_key)
ORDER BY days_on_plan DESC, o.child_key;

-- query: cases_cp_open_18m_plus
-- shape: rows
-- METRICS.md §5 cp_open_18m_plus: the plans open at the as-at date that started at least 547 days
-- before it (plans, not children: a child with two such plans is two rows).
-- case list of: drift.cp_open_18m_plus
SELECT l.child_key, i.la_child_id,
       age_band_at(ch.birth_date, l.period_to) AS age_band, coalesce(ch.sex, 'unknown') AS sex,
       ethnicity_group(ch.ethnicity) AS ethnicity,
       l.start_date AS plan_start, l.days_open AS days_on_plan,
       l.initial_category, l.latest_category
FROM {{cp_open_plans_18m}} l
JOIN child_identity i ON i.child_key = l.child_key
LEFT JOIN children ch ON ch.child_key = l.child_key
ORDER BY l.days_open DESC, l.child_key;

-- query: cases_neglect_any_stage
-- shape: rows
-- METRICS.md §3 neglect_any_stage_children: the children counted, with their highest stage
-- (neglect_highest_stage).
-- case list of: prevalence.neglect_any_stage_children
-- case list of: prevalence.neglect_highest_stage by highest_stage
SELECT n.child_key, i.la_child_id,
       age_band_at(ch.birth_date, n.period_to) AS age_band, coalesce(ch.sex, 'unknown') AS sex,
       ethnicity_group(ch.ethnicity) AS ethnicity,
       n.highest_stage
FROM {{neglect_any_stage_children}} n
JOIN child_identity i USING (child_key)
LEFT JOIN children ch USING (child_key)
ORDER BY CASE n.highest_stage WHEN 'cp' THEN 1 WHEN 'cin' THEN 2 ELSE 3 END, n.child_key;

-- query: cases_cp_starts
-- shape: rows
-- METRICS.md §4 cp_starts: the plans starting in the period (§3 counts the same plans), with the
-- repeat flags of §4: second or subsequent (DfE), within 2 years of the last plan ending (local
-- measure), re-registered under neglect; and §3's initial category NEG.
-- case list of: prevalence.cp_starts
-- case list of: repeat.cp_starts
-- case list of: prevalence.cp_starts_neglect_initial where neglect_initial
-- case list of: repeat.cp_starts_second_or_subsequent where second_or_subsequent
-- case list of: repeat.cp_starts_within_2y where within_2y_local
-- case list of: repeat.cp_starts_repeat_neglect where repeat_neglect
SELECT h.child_key, i.la_child_id,
       age_band_at(ch.birth_date, p.period_to) AS age_band, coalesce(ch.sex, 'unknown') AS sex,
       ethnicity_group(ch.ethnicity) AS ethnicity,
       h.start_date AS plan_start, h.end_date AS plan_end, h.initial_category, h.latest_category,
       coalesce(h.initial_category = 'NEG', false) AS neglect_initial,
       coalesce(h.earlier_plans > 0 OR h.previous_plans > 0, false) AS second_or_subsequent,
       coalesce(h.start_date - h.previous_plan_end <= 730, false) AS within_2y_local,
       coalesce(h.initial_category = 'NEG' AND h.earlier_neglect_plan, false) AS repeat_neglect
FROM periods p
JOIN {{cp_plan_history}} h ON h.start_date BETWEEN p.period_from AND p.period_to
JOIN child_identity i ON i.child_key = h.child_key
LEFT JOIN children ch ON ch.child_key = h.child_key
ORDER BY h.start_date, h.child_key;

-- query: cases_cp_open_hidden_neglect
-- shape: rows
-- METRICS.md §3 cp_open_hidden_neglect: the children counted, with the plan and the 16A
-- assessment that make it hidden neglect (the child's latest such assessment).
-- case list of: prevalence.cp_open_hidden_neglect
SELECT DISTINCT ON (h.child_key) h.child_key, i.la_child_id,
       age_band_at(ch.birth_date, h.period_to) AS age_band, coalesce(ch.sex, 'unknown') AS sex,
       ethnicity_group(ch.ethnicity) AS ethnicity,
       h.plan_start, h.initial_category, h.latest_category, h.neglect_assessment_authorised
FROM {{cp_open_hidden_neglect_plans}} h
JOIN child_identity i ON i.child_key = h.child_key
LEFT JOIN children ch ON ch.child_key = h.child_key
ORDER BY h.child_key, h.neglect_assessment_authorised DESC;

-- query: cases_cp_ended
-- shape: rows
-- METRICS.md §5 cp_ended_by_duration: the plans ending in the period, each in its band of end - start;
-- and §12 cp_stepdowns_to_cin: "CP plans ending in the period whose CIN episode (the plan's own) was
-- still open (§1) on the day after the plan ended" (sql/metrics/strategy.sql's fragment, shared).
-- case list of: drift.cp_ended_by_duration by duration_band
-- case list of: strategy.cp_stepdowns_to_cin where stepdown_to_cin
SELECT e.child_key, i.la_child_id,
       age_band_at(ch.birth_date, e.period_to) AS age_band, coalesce(ch.sex, 'unknown') AS sex,
       ethnicity_group(ch.ethnicity) AS ethnicity,
       e.start_date AS plan_start, e.end_date AS plan_end, e.days_on_plan, e.band AS duration_band,
       e.initial_category, e.latest_category, e.stepdown_to_cin
FROM {{cp_plans_ended_stepdowns}} e
JOIN child_identity i ON i.child_key = e.child_key
LEFT JOIN children ch ON ch.child_key = e.child_key
ORDER BY e.end_date, e.child_key;

-- query: cases_assessments
-- shape: rows
-- METRICS.md §3 assessments_completed (and §5's, the same): the assessments authorised in the
-- period, with factor 16A (assessments_neglect) and within 45 working days (assessments_within_45wd).
-- case list of: prevalence.assessments_completed
-- case list of: drift.assessments_completed
-- case list of: prevalence.assessments_neglect where neglect
-- case list of: drift.assessments_within_45wd where within_45wd
SELECT a.child_key, i.la_child_id,
       age_band_at(ch.birth_date, a.period_to) AS age_band, coalesce(ch.sex, 'unknown') AS sex,
       ethnicity_group(ch.ethnicity) AS ethnicity,
       a.start_date AS assessment_start, a.authorisation_date AS assessment_authorised,
       a.working_days, a.within_45wd, a.neglect, array_to_string(a.factors, ' ') AS factors
FROM {{assessments_authorised}} a
JOIN child_identity i ON i.child_key = a.child_key
LEFT JOIN children ch ON ch.child_key = a.child_key
ORDER BY a.authorisation_date, a.child_key;

-- query: cases_icpcs
-- shape: rows
-- METRICS.md §5 icpcs: the Section 47 enquiries whose initial conference was held in the period,
-- with whether it was within 15 working days of the enquiry's start (icpcs_within_15wd).
-- case list of: drift.icpcs
-- case list of: drift.icpcs_within_15wd where within_15wd
SELECT s.child_key, i.la_child_id,
       age_band_at(ch.birth_date, s.period_to) AS age_band, coalesce(ch.sex, 'unknown') AS sex,
       ethnicity_group(ch.ethnicity) AS ethnicity,
       s.start_date AS s47_start, s.icpc_date, s.working_days, s.within_15wd
FROM {{icpcs_held}} s
JOIN child_identity i ON i.child_key = s.child_key
LEFT JOIN children ch ON ch.child_key = s.child_key
ORDER BY s.icpc_date, s.child_key;

-- query: cases_eh_children
-- shape: rows
-- METRICS.md §3 eh_children: the children with an early help episode overlapping the period, with
-- whether one of those episodes shows neglect (eh_children_neglect) and the latest of them.
-- case list of: prevalence.eh_children
-- case list of: prevalence.eh_children_neglect where neglect
SELECT e.child_key, i.la_child_id,
       age_band_at(ch.birth_date, e.period_to) AS age_band, coalesce(ch.sex, 'unknown') AS sex,
       ethnicity_group(ch.ethnicity) AS ethnicity,
       e.episodes, e.eh_start, e.eh_end, e.neglect
FROM (
  SELECT period_from, period_to, child_key, count(*)::INTEGER AS episodes,
         max(start_date) AS eh_start, arg_max(end_date, start_date) AS eh_end, bool_or(neglect) AS neglect
  FROM {{eh_episodes_overlapping}}
  GROUP BY ALL
) e
JOIN child_identity i ON i.child_key = e.child_key
LEFT JOIN children ch ON ch.child_key = e.child_key
ORDER BY e.eh_start, e.child_key;

-- query: cases_eh_episodes
-- shape: rows
-- METRICS.md §3 eh_episodes: the early help episodes overlapping the period (episodes, not
-- children), with whether each shows neglect (eh_episodes_neglect).
-- case list of: prevalence.eh_episodes
-- case list of: prevalence.eh_episodes_neglect where neglect
SELECT e.child_key, i.la_child_id,
       age_band_at(ch.birth_date, e.period_to) AS age_band, coalesce(ch.sex, 'unknown') AS sex,
       ethnicity_group(ch.ethnicity) AS ethnicity,
       e.start_date AS eh_start, e.end_date AS eh_end, e.lead_agency, e.closure_reason AS eh_closure_reason,
       e.neglect
FROM {{eh_episodes_overlapping}} e
JOIN child_identity i ON i.child_key = e.child_key
LEFT JOIN children ch ON ch.child_key = e.child_key
ORDER BY e.start_date, e.child_key;

-- query: cases_cin_plans
-- shape: rows
-- METRICS.md §3 cin_plans: the CIN plans overlapping the period, with whether the plan's CIN episode
-- holds a 16A assessment authorised on or before `to` (cin_plans_neglect). The condition is the
-- fragment neglect_work_shares's (prevalence.sql), which counts these rows; the coverage test holds
-- the two to the same length.
-- case list of: prevalence.cin_plans
-- case list of: prevalence.cin_plans_neglect where neglect
SELECT c.child_key, i.la_child_id,
       age_band_at(ch.birth_date, p.period_to) AS age_band, coalesce(ch.sex, 'unknown') AS sex,
       ethnicity_group(ch.ethnicity) AS ethnicity,
       c.start_date AS cin_plan_start, c.end_date AS cin_plan_end,
       coalesce(n.first_neglect_authorised <= p.period_to, false) AS neglect
FROM periods p
JOIN cin_plans c ON overlaps_period(c.start_date, c.end_date, p.period_from, p.period_to)
LEFT JOIN derived_referral_neglect n ON n.referral_key = c.referral_key
JOIN child_identity i ON i.child_key = c.child_key
LEFT JOIN children ch ON ch.child_key = c.child_key
ORDER BY c.start_date, c.child_key;

-- query: cases_referrals
-- shape: rows
-- METRICS.md §4 referrals: the referrals dated in the period (NFA included), with whether each is a
-- re-referral within 12 months (rereferrals_12m).
-- §12: rereferrals_neglect_after_assessment ("of rereferrals_12m, re-referrals whose earlier referral
-- belongs to a CIN episode holding a 16A assessment authorised before this referral's date") and
-- referrals_by_source (by the DfE source group of the code, sql/conventions.sql), as
-- sql/metrics/strategy.sql counts them.
-- case list of: repeat.referrals
-- case list of: repeat.rereferrals_12m where rereferral_12m
-- case list of: strategy.rereferrals_neglect_after_assessment where after_neglect_assessment
-- case list of: strategy.referrals_by_source by source_group
SELECT r.child_key, i.la_child_id,
       age_band_at(ch.birth_date, r.period_to) AS age_band, coalesce(ch.sex, 'unknown') AS sex,
       ethnicity_group(ch.ethnicity) AS ethnicity,
       r.referral_date, r.source AS referral_source, r.primary_need, coalesce(r.nfa, false) AS nfa,
       r.previous_referral_date, r.rereferral_12m, r.closure_date, r.closure_reason,
       r.source_group, r.after_neglect_assessment
FROM {{referrals_in_period_flagged}} r
JOIN child_identity i ON i.child_key = r.child_key
LEFT JOIN children ch ON ch.child_key = r.child_key
ORDER BY r.referral_date, r.child_key;

-- query: cases_eh_starts
-- shape: rows
-- METRICS.md §4 eh_starts: the early help episodes starting in the period, with whether the child's
-- previous episode ended in the 365 days before (eh_starts_repeat_12m).
-- §12 eh_starts_by_lead_agency splits the same starts by lead agency, trimmed and case-folded
-- ("not recorded" when empty), as sql/metrics/strategy.sql counts them.
-- case list of: repeat.eh_starts
-- case list of: repeat.eh_starts_repeat_12m where repeat_12m
-- case list of: strategy.eh_starts_by_lead_agency by lead_agency
SELECT e.child_key, i.la_child_id,
       age_band_at(ch.birth_date, e.period_to) AS age_band, coalesce(ch.sex, 'unknown') AS sex,
       ethnicity_group(ch.ethnicity) AS ethnicity,
       e.start_date AS eh_start, e.end_date AS eh_end,
       lead_agency_name(e.lead_agency) AS lead_agency, e.neglect,
       e.previous_end AS previous_eh_end, e.repeat_12m
FROM {{eh_starts_in_period}} e
JOIN child_identity i ON i.child_key = e.child_key
LEFT JOIN children ch ON ch.child_key = e.child_key
ORDER BY e.start_date, e.child_key;

-- query: cases_stop_start
-- shape: rows
-- METRICS.md §5 stop_start_children: the children whose help keeps stopping and starting, with
-- their reopenings in the 1,095 days and the latest, and whether a neglect signal falls in the same
-- days (stop_start_children_neglect).
-- case list of: drift.stop_start_children
-- case list of: drift.stop_start_children_neglect where neglect
SELECT s.child_key, i.la_child_id,
       age_band_at(ch.birth_date, s.period_to) AS age_band, coalesce(ch.sex, 'unknown') AS sex,
       ethnicity_group(ch.ethnicity) AS ethnicity,
       s.reopenings, s.latest_reopening, s.neglect
FROM {{stop_start_children}} s
JOIN child_identity i ON i.child_key = s.child_key
LEFT JOIN children ch ON ch.child_key = s.child_key
ORDER BY s.reopenings DESC, s.child_key;

-- query: cases_neglect_to_cp
-- shape: rows
-- METRICS.md §5 median_days_first_neglect_to_cp: the neglect plans starting in the period that its
-- median and quartiles are taken over (first_neglect_to_cp_n), each with the child's first neglect
-- signal and the days from it to the plan.
-- case list of: drift.first_neglect_to_cp_n
SELECT d.child_key, i.la_child_id,
       age_band_at(ch.birth_date, d.period_to) AS age_band, coalesce(ch.sex, 'unknown') AS sex,
       ethnicity_group(ch.ethnicity) AS ethnicity,
       d.start_date AS plan_start, d.first_signal_date, d.days AS days_from_first_signal
FROM {{neglect_plan_delays}} d
JOIN child_identity i ON i.child_key = d.child_key
LEFT JOIN children ch ON ch.child_key = d.child_key
ORDER BY d.days DESC, d.child_key;

-- query: cases_cin_closures
-- shape: rows
-- METRICS.md §12 cin_stepdowns_to_eh: "CIN episodes, not NFA, closing in the period, either with
-- closure reason RC9 or followed by an EH episode of the same child starting on the closure date or
-- in the 28 days after it (close <= start <= close + 28)" (sql/metrics/strategy.sql's fragment, shared).
-- The list is every such closure, with the step-down flag.
-- case list of: strategy.cin_stepdowns_to_eh where stepdown_to_eh
SELECT r.child_key, i.la_child_id,
       age_band_at(ch.birth_date, r.period_to) AS age_band, coalesce(ch.sex, 'unknown') AS sex,
       ethnicity_group(ch.ethnicity) AS ethnicity,
       r.referral_date, r.closure_date, r.closure_reason, r.eh_start,
       coalesce(r.closure_reason = 'RC9', false) OR r.eh_start IS NOT NULL AS stepdown_to_eh
FROM {{cin_closures}} r
JOIN child_identity i ON i.child_key = r.child_key
LEFT JOIN children ch ON ch.child_key = r.child_key
ORDER BY r.closure_date, r.child_key;

-- query: cases_eh_ended
-- shape: rows
-- METRICS.md §12 eh_closed_needs_met: "EH episodes ending in the period with closure reason
-- needs_met". The list is every episode ending in the period, with its closure reason.
-- case list of: strategy.eh_closed_needs_met where needs_met
SELECT e.child_key, i.la_child_id,
       age_band_at(ch.birth_date, e.period_to) AS age_band, coalesce(ch.sex, 'unknown') AS sex,
       ethnicity_group(ch.ethnicity) AS ethnicity,
       e.start_date AS eh_start, e.end_date AS eh_end, e.closure_reason AS eh_closure_reason, e.needs_met
FROM {{eh_endings}} e
JOIN child_identity i ON i.child_key = e.child_key
LEFT JOIN children ch ON ch.child_key = e.child_key
ORDER BY e.end_date, e.child_key;
