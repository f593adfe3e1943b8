-- Percentages the board pack shows beside DfE's (METRICS.md §14). Each is a ratio of two METRICS.md
-- figures of the same period, so it is computed from the same cohorts and rules; null when the
-- denominator is 0.

-- query: percentages
-- shape: row
-- METRICS.md §14: "Each is one figure of a period over another of the same period, × 100, computed
-- in SQL from the same cohorts as its parts; null when the denominator is 0."
-- cp_starts_second_or_subsequent_pct = cp_starts_second_or_subsequent / cp_starts (DfE's repeat-plan
-- measure); rereferrals_12m_pct = rereferrals_12m / referrals; cp_open_2y_plus_pct =
-- cp_open_by_duration.2y_plus / cp_open (DfE compares it at 31 March only); cp_open_neglect_initial_pct
-- = cp_open_neglect_initial / cp_open; assessments_neglect_pct = assessments_neglect /
-- assessments_completed; assessments_within_45wd_pct and icpcs_within_15wd_pct likewise.
-- Added for issue 10 (neglect compared with England; Ofsted's 2014 questions), defined the same way:
-- cp_starts_neglect_initial_pct = cp_starts_neglect_initial / cp_starts (METRICS.md §3: "Ofsted's
-- '41% of plans' basis; keep apart from the at-as-at share"); eh_neglect_share_pct =
-- eh_episodes_neglect / eh_episodes; cin_plans_neglect_share_pct = cin_plans_neglect / cin_plans
-- (the counts: prevalence.sql, fragment neglect_work_shares).
WITH starts AS (
  SELECT p.period_from, p.period_to,
         count(h.cp_plan_key) AS starts,
         count(h.cp_plan_key) FILTER (WHERE h.earlier_plans > 0 OR h.previous_plans > 0) AS second_or_subsequent,
         count(h.cp_plan_key) FILTER (WHERE h.initial_category = 'NEG') AS neglect_initial
  FROM periods p LEFT JOIN {{cp_plan_history}} h ON h.start_date BETWEEN p.period_from AND p.period_to
  GROUP BY ALL
),
referral_history AS (
  SELECT referral_date, previous_referral_date FROM derived_referral_history
),
rereferred AS (
  SELECT p.period_from, p.period_to, count(h.referral_date) AS referrals,
         count(h.referral_date) FILTER (WHERE h.previous_referral_date >= h.referral_date - 365) AS rereferrals
  FROM periods p LEFT JOIN referral_history h ON h.referral_date BETWEEN p.period_from AND p.period_to
  GROUP BY ALL
),
open_children AS (
  SELECT p.period_from, p.period_to, count(o.child_key) AS open_children,
         count(o.child_key) FILTER (WHERE duration_band(o.period_to - o.earliest_open_start) = '2y_plus') AS open_2y_plus,
         count(o.child_key) FILTER (WHERE o.neglect_initial) AS open_neglect_initial
  FROM periods p LEFT JOIN {{cp_open_children}} o ON o.period_from = p.period_from AND o.period_to = p.period_to
  GROUP BY ALL
),
assessed AS (
  SELECT p.period_from, p.period_to, count(a.assessment_key) AS completed,
         count(a.assessment_key) FILTER (WHERE list_contains(a.factors, '16A')) AS neglect,
         count(a.assessment_key) FILTER (WHERE working_days_between(a.start_date, a.authorisation_date) <= 45) AS within_45wd
  FROM periods p LEFT JOIN assessments a ON a.authorisation_date BETWEEN p.period_from AND p.period_to
  GROUP BY ALL
),
conferences AS (
  SELECT p.period_from, p.period_to, count(s.s47_key) AS held,
         count(s.s47_key) FILTER (WHERE working_days_between(s.start_date, s.icpc_date) <= 15) AS within_15wd
  FROM periods p LEFT JOIN section47 s ON s.icpc_date BETWEEN p.period_from AND p.period_to
  GROUP BY ALL
)
SELECT p.period_from, p.period_to,
       100.0 * s.second_or_subsequent / nullif(s.starts, 0) AS cp_starts_second_or_subsequent_pct,
       100.0 * r.rereferrals / nullif(r.referrals, 0) AS rereferrals_12m_pct,
       100.0 * o.open_2y_plus / nullif(o.open_children, 0) AS cp_open_2y_plus_pct,
       100.0 * o.open_neglect_initial / nullif(o.open_children, 0) AS cp_open_neglect_initial_pct,
       100.0 * a.neglect / nullif(a.completed, 0) AS assessments_neglect_pct,
       100.0 * a.within_45wd / nullif(a.completed, 0) AS assessments_within_45wd_pct,
       100.0 * c.within_15wd / nullif(c.held, 0) AS icpcs_within_15wd_pct,
       100.0 * s.neglect_initial / nullif(s.starts, 0) AS cp_starts_neglect_initial_pct,
       100.0 * w.eh_episodes_neglect / nullif(w.eh_episodes, 0) AS eh_neglect_share_pct,
       100.0 * w.cin_plans_neglect / nullif(w.cin_plans, 0) AS cin_plans_neglect_share_pct
FROM periods p
JOIN starts s USING (period_from, period_to)
JOIN rereferred r USING (period_from, period_to)
JOIN open_children o USING (period_from, period_to)
JOIN assessed a USING (period_from, period_to)
JOIN conferences c USING (period_from, period_to)
JOIN {{neglect_work_shares}} w USING (period_from, period_to)
ORDER BY p.period_to;

-- query: percentages_referral_sources
-- shape: row
-- METRICS.md §14: referrals_schools_pct, referrals_health_pct and referrals_police_pct =
-- strategy.referrals_by_source.<group> / repeat.referrals × 100 (§12's DfE groups: schools 2A,
-- health services 3A-3F, police 6), the shares LAIT publishes as "% referrals by source"; null when
-- no referral is dated in the period.
SELECT p.period_from, p.period_to,
       100.0 * count(r.referral_key) FILTER (WHERE r.source_group = 'schools') / nullif(count(r.referral_key), 0) AS referrals_schools_pct,
       100.0 * count(r.referral_key) FILTER (WHERE r.source_group = 'health') / nullif(count(r.referral_key), 0) AS referrals_health_pct,
       100.0 * count(r.referral_key) FILTER (WHERE r.source_group = 'police') / nullif(count(r.referral_key), 0) AS referrals_police_pct
FROM periods p
LEFT JOIN {{referrals_in_period_flagged}} r ON r.period_from = p.period_from AND r.period_to = p.period_to
GROUP BY p.period_from, p.period_to
ORDER BY p.period_to;
