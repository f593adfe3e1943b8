-- Step-down and the strategy's own figures (METRICS.md §12): the measures a neglect strategy names
-- as its evidence of success (Blackburn with Darwen's success indicators), and the two splits a
-- partnership reads agency by agency: early help starts by lead agency and referrals by source.

-- query: strategy_rereferrals
-- shape: row
-- METRICS.md §12: "rereferrals_neglect_after_assessment — of rereferrals_12m, referrals where the
-- earlier referral (the latest one in the 365 days before) belongs to a CIN episode with an
-- assessment whose factors include 16A, authorised before this referral's date."
-- The earlier referral is the one §4 rereferrals_12m already finds (the nearest earlier referral,
-- `this - 365 <= previous < this`); an assessment authorised on the re-referral's own date is not
-- "before" it.
WITH referral_history AS (
  SELECT r.referral_key, r.child_key, r.referral_date,
         lag(r.referral_key) OVER by_date AS previous_referral_key,
         lag(r.referral_date) OVER by_date AS previous_referral_date
  FROM referrals r
  WINDOW by_date AS (PARTITION BY r.child_key ORDER BY r.referral_date)
),
rereferral AS (
  SELECT h.*,
         EXISTS (
           SELECT 1 FROM assessments a
           WHERE a.referral_key = h.previous_referral_key
             AND list_contains(a.factors, '16A')
             AND a.authorisation_date < h.referral_date
         ) AS after_neglect_assessment
  FROM referral_history h
  WHERE h.previous_referral_date >= h.referral_date - 365
)
SELECT p.period_from, p.period_to,
       count(r.referral_key) FILTER (WHERE r.after_neglect_assessment)::INTEGER AS rereferrals_neglect_after_assessment
FROM periods p
LEFT JOIN rereferral r ON r.referral_date BETWEEN p.period_from AND p.period_to
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
-- A plan with no episode of its own (no referral linked) cannot show a step-down: not counted.
SELECT p.period_from, p.period_to,
       (SELECT count(*) FROM cp_plans c
         JOIN referrals r ON r.referral_key = c.referral_key
         WHERE c.end_date BETWEEN p.period_from AND p.period_to
           AND open_at(r.referral_date, r.closure_date, c.end_date + 1))::INTEGER AS cp_stepdowns_to_cin,
       (SELECT count(*) FROM referrals r
         WHERE r.closure_date BETWEEN p.period_from AND p.period_to
           AND NOT coalesce(r.nfa, false)
           AND (r.closure_reason = 'RC9'
                OR EXISTS (SELECT 1 FROM early_help e
                           WHERE e.child_key = r.child_key
                             AND e.start_date BETWEEN r.closure_date AND r.closure_date + 28)))::INTEGER AS cin_stepdowns_to_eh,
       (SELECT count(*) FROM early_help e
         WHERE e.end_date BETWEEN p.period_from AND p.period_to
           AND e.closure_reason = 'needs_met')::INTEGER AS eh_closed_needs_met
FROM periods p
ORDER BY p.period_to;

-- query: strategy_eh_starts_by_lead_agency
-- shape: rows
-- METRICS.md §12: "eh_starts_by_lead_agency — eh_starts split by lead_agency (text as recorded,
-- trimmed, case-folded; empty = not recorded)." One row per period and agency with at least one
-- start; the rows of a period sum to §4 eh_starts.
SELECT p.period_from, p.period_to,
       coalesce(nullif(lower(trim(e.lead_agency)), ''), 'not recorded') AS lead_agency,
       count(*)::INTEGER AS eh_starts
FROM periods p
JOIN early_help e ON e.start_date BETWEEN p.period_from AND p.period_to
GROUP BY ALL
ORDER BY p.period_to, eh_starts DESC, lead_agency;

-- fragment: referral_sources
-- Each referral's source code as recorded (trimmed, upper-cased; missing = 'not recorded') and its
-- DfE group (sql/conventions.sql referral_source_group).
SELECT r.referral_key, r.child_key, r.referral_date,
       coalesce(nullif(upper(trim(r.source)), ''), 'not recorded') AS source_code,
       referral_source_group(upper(trim(r.source))) AS source_group
FROM referrals r

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
LEFT JOIN {{referral_sources}} s ON s.referral_date BETWEEN p.period_from AND p.period_to
GROUP BY p.period_from, p.period_to
ORDER BY p.period_to;

-- query: strategy_referrals_by_source_code
-- shape: rows
-- METRICS.md §12 referrals_by_source, code by code, for the table behind the chart: one row per
-- period and source code with at least one referral.
SELECT p.period_from, p.period_to, s.source_code, s.source_group, count(*)::INTEGER AS referrals
FROM periods p
JOIN {{referral_sources}} s ON s.referral_date BETWEEN p.period_from AND p.period_to
GROUP BY ALL
ORDER BY p.period_to, s.source_group, s.source_code;
