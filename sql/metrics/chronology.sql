-- A child's chronology (officers, for audit; identifiable): what the partnership recorded about one
-- child, so drift, stop-start help and neglect signals can be read in order (Greenwich: "look at
-- concerns chronologically"). Codes stay codes here; metrics/chronology.ts puts them in words.

-- query: child_chronology
-- shape: rows
-- METRICS.md §2 (the neglect signals marked: an EH episode showing neglect, a 16A assessment, a CP
-- plan whose initial category is NEG): every recorded event of the child known by $la_child_id,
-- oldest first. Events of one day follow the process (docs/DECISIONS.md): early help ending,
-- referral, assessment started, assessment authorised, Section 47 enquiry, initial conference, CIN
-- plan ending, CP plan starting, CP plan ending, care episode ending, care episode starting, CIN plan
-- starting, case closed, early help starting. A record that starts and ends on one day shows its start
-- first (its end takes the step just after its start).
-- Columns: date, step (the order within a day), kind, code_a..code_d (the codes the kind carries),
-- days (a duration the kind carries), neglect (a §2 signal), note (text as recorded).
WITH child AS (SELECT child_key FROM child_identity WHERE la_child_id = $la_child_id),
events AS (
  SELECT start_date AS date, 130 AS step, 'early_help_started' AS kind, NULL AS code_a, NULL AS code_b,
         NULL AS code_c, NULL AS code_d, NULL::INTEGER AS days,
         coalesce(neglect OR list_contains(factors, '16A'), false) AS neglect, lead_agency AS note
  FROM early_help WHERE child_key = (SELECT child_key FROM child)
  UNION ALL
  SELECT end_date, CASE WHEN end_date = start_date THEN 135 ELSE 0 END, 'early_help_ended', closure_reason, NULL,
         NULL, NULL, (end_date - start_date)::INTEGER, false, NULL
  FROM early_help WHERE child_key = (SELECT child_key FROM child) AND end_date IS NOT NULL
  UNION ALL
  SELECT referral_date, 10, CASE WHEN nfa THEN 'referral_nfa' ELSE 'referral' END, source, primary_need, NULL, NULL,
         NULL, false, NULL
  FROM referrals WHERE child_key = (SELECT child_key FROM child)
  UNION ALL
  SELECT closure_date, 120, 'case_closed', closure_reason, NULL, NULL, NULL,
         (closure_date - referral_date)::INTEGER, false, NULL
  FROM referrals WHERE child_key = (SELECT child_key FROM child) AND closure_date IS NOT NULL
  UNION ALL
  SELECT start_date, 20, 'assessment_started', NULL, NULL, NULL, NULL, NULL, false, NULL
  FROM assessments WHERE child_key = (SELECT child_key FROM child)
  UNION ALL
  SELECT authorisation_date, 30, 'assessment_authorised', array_to_string(factors, ' '), NULL, NULL, NULL,
         working_days_between(start_date, authorisation_date), coalesce(list_contains(factors, '16A'), false), NULL
  FROM assessments WHERE child_key = (SELECT child_key FROM child) AND authorisation_date IS NOT NULL
  UNION ALL
  SELECT start_date, 40, 'section47_started', NULL, NULL, NULL, NULL, NULL, false, NULL
  FROM section47 WHERE child_key = (SELECT child_key FROM child)
  UNION ALL
  SELECT icpc_date, 50, 'initial_conference', NULL, NULL, NULL, NULL, working_days_between(start_date, icpc_date),
         false, NULL
  FROM section47 WHERE child_key = (SELECT child_key FROM child) AND icpc_date IS NOT NULL
  UNION ALL
  SELECT start_date, 110, 'cin_plan_started', NULL, NULL, NULL, NULL, NULL, false, NULL
  FROM cin_plans WHERE child_key = (SELECT child_key FROM child)
  UNION ALL
  SELECT end_date, CASE WHEN end_date = start_date THEN 115 ELSE 60 END, 'cin_plan_ended', NULL, NULL, NULL, NULL,
         (end_date - start_date)::INTEGER, false, NULL
  FROM cin_plans WHERE child_key = (SELECT child_key FROM child) AND end_date IS NOT NULL
  UNION ALL
  SELECT start_date, 70, 'cp_plan_started', initial_category, NULL, NULL, NULL, NULL,
         coalesce(initial_category = 'NEG', false), NULL
  FROM cp_plans WHERE child_key = (SELECT child_key FROM child)
  UNION ALL
  SELECT end_date, CASE WHEN end_date = start_date THEN 75 ELSE 80 END, 'cp_plan_ended', latest_category, NULL,
         NULL, NULL, (end_date - start_date)::INTEGER, false, NULL
  FROM cp_plans WHERE child_key = (SELECT child_key FROM child) AND end_date IS NOT NULL
  UNION ALL
  SELECT start_date, 100, 'care_started', reason_new_episode, legal_status, category_of_need, placement_type,
         NULL, false, NULL
  FROM looked_after WHERE child_key = (SELECT child_key FROM child)
  UNION ALL
  SELECT end_date, CASE WHEN end_date = start_date THEN 105 ELSE 90 END, 'care_ended', reason_ceased, NULL, NULL,
         NULL, (end_date - start_date)::INTEGER, false, NULL
  FROM looked_after WHERE child_key = (SELECT child_key FROM child) AND end_date IS NOT NULL
)
SELECT date, step, kind, code_a, code_b, code_c, code_d, days, neglect, note
FROM events
ORDER BY date, step, kind, code_a NULLS FIRST;

-- query: child_spells
-- shape: rows
-- METRICS.md §2: the child's spells of help, one lane each for early help (episodes), child in need
-- (CIN episodes, referral to closure, not NFA), child protection (plans) and looked after (care
-- episodes), with whether the spell shows neglect as §2 defines it (a CIN episode holding a 16A
-- assessment; a plan with initial or latest category NEG). Care episodes are never called neglect:
-- category of need N1 is "abuse or neglect" (§2). An open spell has no end.
WITH child AS (SELECT child_key FROM child_identity WHERE la_child_id = $la_child_id)
SELECT 'early_help' AS lane, start_date, end_date, NULL AS code,
       coalesce(neglect OR list_contains(factors, '16A'), false) AS neglect
FROM early_help WHERE child_key = (SELECT child_key FROM child)
UNION ALL
SELECT 'cin', r.referral_date, r.closure_date, r.primary_need,
       EXISTS (SELECT 1 FROM assessments a WHERE a.referral_key = r.referral_key AND list_contains(a.factors, '16A'))
FROM referrals r WHERE r.child_key = (SELECT child_key FROM child) AND r.nfa IS NOT TRUE
UNION ALL
SELECT 'cp', start_date, end_date, initial_category,
       coalesce(initial_category = 'NEG' OR latest_category = 'NEG', false)
FROM cp_plans WHERE child_key = (SELECT child_key FROM child)
UNION ALL
SELECT 'looked_after', start_date, end_date, category_of_need, false
FROM looked_after WHERE child_key = (SELECT child_key FROM child)
ORDER BY start_date, lane;

-- query: child_siblings
-- shape: rows
-- DATA.md children.csv family_id: "siblings share it". The other children recorded with the family id
-- of the child known by $la_child_id, by their LA child id.
SELECT DISTINCT si.la_child_id
FROM child_identity i
JOIN children c ON c.child_key = i.child_key
JOIN children s ON s.family_id = c.family_id AND s.child_key <> c.child_key
JOIN child_identity si ON si.child_key = s.child_key
WHERE i.la_child_id = $la_child_id AND c.family_id IS NOT NULL AND trim(c.family_id) <> ''
ORDER BY si.la_child_id;

-- query: chronology_as_at
-- shape: row
-- DATA.md §4: the extract date (the newest reference date of a successful load), to which the
-- timeline draws the spells still open.
SELECT max(reference_date) AS as_at FROM loads WHERE status = 'loaded';
