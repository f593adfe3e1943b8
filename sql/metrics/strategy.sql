-- Step-down and the strategy's own figures (METRICS.md §12): the measures a neglect strategy names
-- as its evidence of success (Blackburn with Darwen's success indicators), and the two splits a
-- partnership reads agency by agency: early help starts by lead agency and referrals by source.

-- fragment: referrals_in_period_flagged
-- The referrals of §4 (referrals_in_period, one row per period and referral) with what §12 asks of
-- each: METRICS.md §12 "rereferrals_neglect_after_assessment — of rereferrals_12m, referrals where the
-- earlier referral (the latest one in the 365 days before) belongs to a CIN episode with an
-- assessment whose factors include 16A, authorised before this referral's date", and the referral's
-- source code and DfE group (referrals_by_source). The earlier referral is the one §4 already finds;
-- an assessment authorised on the re-referral's own date is not "before" it. Shared by the figures
-- and their case list.
SELECT r.*,
       r.rereferral_12m AND coalesce(n.first_neglect_authorised < r.referral_date, false) AS after_neglect_assessment,
       coalesce(nullif(upper(trim(r.source)), ''), 'not recorded') AS source_code,
       referral_source_group(upper(trim(r.source))) AS source_group
FROM {{referrals_in_period}} r
-- The earlier referral's episode's earliest 16A authorisation (sql/derived.sql referral_neglect).
LEFT JOIN derived_referral_neglect n ON n.referral_key = r.previous_referral_key

-- fragment: cp_plans_ended_stepdowns
-- METRICS.md §12: "cp_stepdowns_to_cin — CP plans ending in the period whose child's CIN episode (the
-- plan's episode) was still open on the day after the plan ended (open-at convention, §1)." Every
-- plan of §5's cp_plans_ended with the flag; a plan linked to no episode cannot step down.
SELECT e.*,
       EXISTS (
         SELECT 1 FROM referrals r
         WHERE r.referral_key = e.referral_key AND open_at(r.referral_date, r.closure_date, e.end_date + 1)
       ) AS stepdown_to_cin
FROM {{cp_plans_ended}} e

-- fragment: cin_closures
-- METRICS.md §12: "cin_stepdowns_to_eh — CIN episodes (not NFA) closing in the period with closure
-- reason RC9, or followed by an EH episode of the same child starting on the closure date or in the
-- 28 days after it (close <= start <= close + 28)." Every such closure, with the first early help
-- start in those 28 days and the flag.
SELECT p.period_from, p.period_to, r.referral_key, r.child_key, r.referral_date, r.closure_date, r.closure_reason,
       (SELECT min(e.start_date) FROM early_help e
         WHERE e.child_key = r.child_key AND e.start_date BETWEEN r.closure_date AND r.closure_date + 28) AS eh_start
FROM periods p
JOIN referrals r ON r.closure_date BETWEEN p.period_from AND p.period_to AND NOT coalesce(r.nfa, false)

-- fragment: eh_endings
-- METRICS.md §12: "eh_closed_needs_met — EH episodes ending in the period with closure reason
-- needs_met." Every episode ending in the period, with the flag.
SELECT p.period_from, p.period_to, e.eh_key, e.child_key, e.start_date, e.end_date, e.closure_reason,
       coalesce(e.closure_reason = 'needs_met', false) AS needs_met
FROM periods p
JOIN early_help e ON e.end_date BETWEEN p.period_from AND p.period_to

-- query: strategy_rereferrals
-- shape: row
-- METRICS.md §12: "rereferrals_neglect_after_assessment — of rereferrals_12m, referrals where the
-- earlier referral (the latest one in the 365 days before) belongs to a CIN episode with an
-- assessment whose factors include 16A, authorised before this referral's date."
SELECT p.period_from, p.period_to,
       count(r.referral_key) FILTER (WHERE r.after_neglect_assessment)::INTEGER AS rereferrals_neglect_after_assessment
FROM periods p
LEFT JOIN {{referrals_in_period_flagged}} r ON r.period_from = p.period_from AND r.period_to = p.period_to
GROUP BY p.period_from, p.period_to
ORDER BY p.period_to;

-- query: strategy_stepdowns
-- shape: row
-- METRICS.md §12: "cp_stepdowns_to_cin — CP plans ending in the period whose child's CIN episode
-- (the plan's episode) was still open on the day after the plan ended (open-at convention, §1)."
-- "cin_stepdowns_to_eh — CIN episodes (not NFA) closing in the period with closure reason RC9, or
-- followed by an EH episode of the same child starting on the closure date or in the 28 days after
-- it (close <= start <= close + 28)."
-- "eh_closed_needs_met — EH episodes ending in the period with closure reason needs_met."
SELECT p.period_from, p.period_to,
       (SELECT count(*) FROM {{cp_plans_ended_stepdowns}} e
         WHERE e.period_to = p.period_to AND e.period_from = p.period_from AND e.stepdown_to_cin)::INTEGER AS cp_stepdowns_to_cin,
       (SELECT count(*) FROM {{cin_closures}} c
         WHERE c.period_to = p.period_to AND c.period_from = p.period_from
           AND (c.closure_reason = 'RC9' OR c.eh_start IS NOT NULL))::INTEGER AS cin_stepdowns_to_eh,
       (SELECT count(*) FROM {{eh_endings}} e
         WHERE e.period_to = p.period_to AND e.period_from = p.period_from AND e.needs_met)::INTEGER AS eh_closed_needs_met
FROM periods p
ORDER BY p.period_to;

-- query: strategy_eh_starts_by_lead_agency
-- shape: rows
-- METRICS.md §12: "eh_starts_by_lead_agency — eh_starts split by lead_agency (text as recorded,
-- trimmed, case-folded; empty = not recorded)." One row per period and agency with at least one
-- start; the rows of a period sum to §4 eh_starts.
SELECT e.period_from, e.period_to, lead_agency_name(e.lead_agency) AS lead_agency, count(*)::INTEGER AS eh_starts
FROM {{eh_starts_in_period}} e
GROUP BY ALL
ORDER BY e.period_to, eh_starts DESC, lead_agency;

-- query: strategy_referrals_by_source
-- shape: row
-- METRICS.md §12: "referrals_by_source — referrals split by CIN census referral source code (1A–10),
-- with the DfE groups". The groups are the DfE's own code list (docs/METRICS.md §12 says why they
-- differ from the code ranges first written in the contract): individual 1A–1D, schools 2A,
-- education services 2B, health 3A–3F, housing 4, LA services 5A–5D, police 6, other legal agency 7,
-- other 8, anonymous 9, unknown 10 and any code outside the list or missing. The groups of a period
-- sum to §4 referrals.
SELECT p.period_from, p.period_to,
       {
         'individual': count(s.referral_key) FILTER (WHERE s.source_group = 'individual'),
         'schools': count(s.referral_key) FILTER (WHERE s.source_group = 'schools'),
         'education_services': count(s.referral_key) FILTER (WHERE s.source_group = 'education_services'),
         'health': count(s.referral_key) FILTER (WHERE s.source_group = 'health'),
         'housing': count(s.referral_key) FILTER (WHERE s.source_group = 'housing'),
         'la_services': count(s.referral_key) FILTER (WHERE s.source_group = 'la_services'),
         'police': count(s.referral_key) FILTER (WHERE s.source_group = 'police'),
         'other_legal_agency': count(s.referral_key) FILTER (WHERE s.source_group = 'other_legal_agency'),
         'other': count(s.referral_key) FILTER (WHERE s.source_group = 'other'),
         'anonymous': count(s.referral_key) FILTER (WHERE s.source_group = 'anonymous'),
         'unknown': count(s.referral_key) FILTER (WHERE s.source_group = 'unknown')
       }::STRUCT(individual INTEGER, schools INTEGER, education_services INTEGER, health INTEGER,
                 housing INTEGER, la_services INTEGER, police INTEGER, other_legal_agency INTEGER,
                 other INTEGER, anonymous INTEGER, "unknown" INTEGER) AS referrals_by_source
FROM periods p
LEFT JOIN {{referrals_in_period_flagged}} s ON s.period_from = p.period_from AND s.period_to = p.period_to
GROUP BY p.period_from, p.period_to
ORDER BY p.period_to;

-- query: strategy_referrals_by_source_code
-- shape: rows
-- METRICS.md §12 referrals_by_source, code by code, for the table behind the chart: one row per
-- period and source code with at least one referral.
SELECT s.period_from, s.period_to, s.source_code, s.source_group, count(*)::INTEGER AS referrals
FROM {{referrals_in_period_flagged}} s
GROUP BY ALL
ORDER BY s.period_to, s.source_group, s.source_code;
