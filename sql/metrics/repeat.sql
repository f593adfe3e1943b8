-- Repeat plans, re-referrals and repeat early help (METRICS.md §4). A plan's history (earlier plans
-- of the same child) is a property of the data, not of the period, so it is computed once per plan
-- over all of the child's plans and then counted for each period.

-- fragment: cp_plan_history
-- Per CP plan: how many plans of the same child started earlier, when the most recent earlier plan
-- ended, and whether any earlier plan had initial or latest category NEG: built once per load
-- (sql/derived.sql cp_plan_history).
SELECT * FROM derived_cp_plan_history

-- query: repeat_cp
-- shape: row
-- METRICS.md §4: "cp_starts — as above. cp_starts_second_or_subsequent — of those, plans where the
-- child has another CP plan with an earlier start date in the data, or the plan's previous_plans
-- (CIN census NumberOfPreviousCPP) is > 0." DfE's definition: "regardless of how long ago".
-- "cp_starts_within_2y — of cp_starts, plans whose child's most recent earlier plan ended at most
-- 730 days before this start. A local measure: label it so, and never compare it with DfE figures."
-- (A most recent earlier plan with no end date has not ended: not counted.)
-- "cp_starts_repeat_neglect — of cp_starts with initial NEG, plans where the child has an earlier
-- plan whose initial or latest category was NEG."
SELECT p.period_from, p.period_to,
       count(h.cp_plan_key)::INTEGER AS cp_starts,
       count(h.cp_plan_key) FILTER (WHERE h.earlier_plans > 0 OR h.previous_plans > 0)::INTEGER AS cp_starts_second_or_subsequent,
       count(h.cp_plan_key) FILTER (WHERE h.start_date - h.previous_plan_end <= 730)::INTEGER AS cp_starts_within_2y,
       count(h.cp_plan_key) FILTER (WHERE h.initial_category = 'NEG' AND h.earlier_neglect_plan)::INTEGER AS cp_starts_repeat_neglect
FROM periods p
LEFT JOIN {{cp_plan_history}} h ON h.start_date BETWEEN p.period_from AND p.period_to
GROUP BY p.period_from, p.period_to
ORDER BY p.period_to;

-- fragment: referrals_in_period
-- METRICS.md §4 referrals / rereferrals_12m: one row per period and referral dated in it, with the
-- child's nearest earlier referral and whether it was in the 365 days before (this - 365 <= previous
-- < this). Shared by the figures and their case list.
SELECT p.period_from, p.period_to, h.referral_key, h.child_key, h.referral_date, r.source, r.primary_need,
       r.nfa, r.closure_date, r.closure_reason, h.previous_referral_date, h.previous_referral_key,
       coalesce(h.previous_referral_date >= h.referral_date - 365, false) AS rereferral_12m
FROM periods p
-- The nearest earlier referral is built once per load (sql/derived.sql referral_history); the
-- referral's own columns are read from it by key.
JOIN derived_referral_history h ON h.referral_date BETWEEN p.period_from AND p.period_to
JOIN referrals r ON r.referral_key = h.referral_key

-- fragment: eh_starts_in_period
-- METRICS.md §4 eh_starts / eh_starts_repeat_12m: one row per period and EH episode starting in it,
-- with the end of the child's previous episode (the latest earlier start) and whether it ended in the
-- 365 days before this start. Shared by the figures and their case list.
SELECT p.period_from, p.period_to, h.*, e.lead_agency, e.closure_reason,
       coalesce(h.previous_end >= h.start_date - 365 AND h.previous_end < h.start_date, false) AS repeat_12m
FROM periods p
-- The previous episode's end is built once per load (sql/derived.sql eh_history); the episode's
-- text columns are read from it by key.
JOIN derived_eh_history h ON h.start_date BETWEEN p.period_from AND p.period_to
JOIN early_help e ON e.eh_key = h.eh_key

-- query: repeat_referrals
-- shape: row
-- METRICS.md §4: "referrals — referrals (CIN episodes) with a referral date in the period, NFA
-- included. rereferrals_12m — of those, referrals where the child has another referral dated in the
-- 365 days before this one (this - 365 <= previous < this)." The nearest earlier referral decides.
-- (cohort: fragment referrals_in_period)
SELECT p.period_from, p.period_to,
       count(h.referral_key)::INTEGER AS referrals,
       count(h.referral_key) FILTER (WHERE h.rereferral_12m)::INTEGER AS rereferrals_12m
FROM periods p
LEFT JOIN {{referrals_in_period}} h ON h.period_from = p.period_from AND h.period_to = p.period_to
GROUP BY p.period_from, p.period_to
ORDER BY p.period_to;

-- query: repeat_early_help
-- shape: row
-- METRICS.md §4: "eh_starts — EH episodes starting in the period; eh_starts_repeat_12m — of those,
-- episodes where the child's previous EH episode ended in the 365 days before this start."
-- Previous = the child's episode with the latest earlier start; "before this start" read as
-- this - 365 <= previous end < this start, as for re-referrals.
-- (cohort: fragment eh_starts_in_period)
SELECT p.period_from, p.period_to,
       count(h.eh_key)::INTEGER AS eh_starts,
       count(h.eh_key) FILTER (WHERE h.repeat_12m)::INTEGER AS eh_starts_repeat_12m
FROM periods p
LEFT JOIN {{eh_starts_in_period}} h ON h.period_from = p.period_from AND h.period_to = p.period_to
GROUP BY p.period_from, p.period_to
ORDER BY p.period_to;
