-- The DfE CIN census validation rules (2025–26 set) the loader applies, one block per rule, in code
-- order, so a reader can hold this file against the DfE's list line by line. Written here from the
-- rules' definitions; the messages are ours, in plain words.
--
-- Each block:
--   -- rule: <DfE code>
--   -- kind: reject | flag
--   -- table: the canonical table the rule is about (etl/canonical/model.ts)
--   -- fields: the columns it names (the first is the field a reject names)
--   -- message: what an officer reads
--   then the SQL:
--   * reject: a boolean over one staged row's typed columns, true when the row breaks the rule. The
--     row is rejected into `rejects` with the code, as the loader's own checks reject (DATA.md).
--   * flag: a SELECT over the warehouse, after the census's rows are merged, returning child_key and
--     record_key (the record of `table`) for each record that breaks the rule, among the children
--     in `flag_scope` (those the load touched). The record stays loaded and is listed in
--     `validation_flags` (METRICS.md §16 says how each figure treats it).
-- Dates: the warehouse holds typed DATEs; `$reference_date` is the extract's reference date.

-- rule: 1105
-- kind: flag
-- table: cp_plans
-- fields: start_date
-- message: A child protection plan starts before the referral of its CIN episode.
SELECT p.child_key, p.cp_plan_key AS record_key
FROM cp_plans p JOIN referrals r ON r.referral_key = p.referral_key
WHERE p.child_key IN (SELECT child_key FROM flag_scope) AND p.start_date < r.referral_date;

-- rule: 1520
-- kind: flag
-- table: children
-- fields: upn_key
-- message: Two LA child ids carry the same UPN in one census file: one child recorded twice?
SELECT c.child_key, NULL::INTEGER AS record_key
FROM children c
JOIN children other ON other.upn_key = c.upn_key AND other.load_id = c.load_id AND other.child_key <> c.child_key
WHERE c.child_key IN (SELECT child_key FROM flag_scope) AND c.upn_key IS NOT NULL;

-- rule: 2990
-- kind: flag
-- table: referrals
-- fields: closure_reason
-- message: A CIN episode closed as RC8 (no further action after assessment) holds a Section 47, an ICPC, a CIN plan or a CP plan.
SELECT r.child_key, r.referral_key AS record_key
FROM referrals r
WHERE r.child_key IN (SELECT child_key FROM flag_scope)
  AND upper(trim(r.closure_reason)) = 'RC8'
  AND (EXISTS (SELECT 1 FROM section47 s WHERE s.referral_key = r.referral_key)
    OR EXISTS (SELECT 1 FROM cin_plans p WHERE p.referral_key = r.referral_key)
    OR EXISTS (SELECT 1 FROM cp_plans p WHERE p.referral_key = r.referral_key));

-- rule: 4001
-- kind: flag
-- table: cin_plans
-- fields: start_date, end_date
-- message: A CIN plan runs at the same time as a child protection plan of the same child.
SELECT cin.child_key, cin.cin_plan_key AS record_key
FROM cin_plans cin
JOIN cp_plans cp ON cp.child_key = cin.child_key
WHERE cin.child_key IN (SELECT child_key FROM flag_scope)
  AND cin.start_date >= cp.start_date
  AND cin.start_date < coalesce(cp.end_date, $reference_date::DATE + 1);

-- rule: 4008
-- kind: flag
-- table: cin_plans
-- fields: start_date
-- message: A CIN plan starts after the child's date of death.
SELECT p.child_key, p.cin_plan_key AS record_key
FROM cin_plans p JOIN children c USING (child_key)
WHERE p.child_key IN (SELECT child_key FROM flag_scope) AND p.start_date > c.death_date;

-- rule: 4009Q
-- kind: flag
-- table: cin_plans
-- fields: end_date
-- message: Please check: a CIN plan ends after the child's date of death.
SELECT p.child_key, p.cin_plan_key AS record_key
FROM cin_plans p JOIN children c USING (child_key)
WHERE p.child_key IN (SELECT child_key FROM flag_scope) AND p.end_date > c.death_date;

-- rule: 4014
-- kind: flag
-- table: cin_plans
-- fields: start_date, end_date
-- message: Two CIN plans of the same child overlap: one starts before the other has ended.
SELECT p.child_key, p.cin_plan_key AS record_key
FROM cin_plans p
JOIN cin_plans other ON other.child_key = p.child_key AND other.cin_plan_key <> p.cin_plan_key
WHERE p.child_key IN (SELECT child_key FROM flag_scope)
  AND p.start_date >= other.start_date
  AND (other.end_date IS NULL OR p.start_date < other.end_date);

-- rule: 8565
-- kind: flag
-- table: referrals
-- fields: closure_date
-- message: Activity (an assessment, Section 47, ICPC, CIN plan or the end of a CP plan) is dated after the CIN episode was closed.
SELECT r.child_key, r.referral_key AS record_key
FROM referrals r
WHERE r.child_key IN (SELECT child_key FROM flag_scope) AND r.closure_date IS NOT NULL
  AND (EXISTS (SELECT 1 FROM assessments a WHERE a.referral_key = r.referral_key
               AND (a.start_date > r.closure_date OR a.authorisation_date > r.closure_date))
    OR EXISTS (SELECT 1 FROM section47 s WHERE s.referral_key = r.referral_key
               AND (s.start_date > r.closure_date OR s.icpc_date > r.closure_date))
    OR EXISTS (SELECT 1 FROM cin_plans p WHERE p.referral_key = r.referral_key
               AND (p.start_date > r.closure_date OR p.end_date > r.closure_date))
    OR EXISTS (SELECT 1 FROM cp_plans p WHERE p.referral_key = r.referral_key AND p.end_date > r.closure_date));

-- rule: 8585Q
-- kind: flag
-- table: referrals
-- fields: closure_reason, death_date
-- message: Please check: a CIN episode closed because the child died (RC2), but the child has no date of death.
SELECT r.child_key, r.referral_key AS record_key
FROM referrals r JOIN children c USING (child_key)
WHERE r.child_key IN (SELECT child_key FROM flag_scope)
  AND upper(trim(r.closure_reason)) = 'RC2' AND c.death_date IS NULL;

-- rule: 8750
-- kind: reject
-- table: children
-- fields: sex, birth_date, expected_birth_date
-- message: An unborn child (an expected date of birth, no date of birth) must have sex U (not known).
birth_date IS NULL AND expected_birth_date IS NOT NULL AND sex IS DISTINCT FROM 'unknown'

-- rule: 8820
-- kind: flag
-- table: referrals
-- fields: referral_date, closure_date
-- message: Two CIN episodes of the same child overlap: a referral falls inside another open episode.
SELECT r.child_key, r.referral_key AS record_key
FROM referrals r
JOIN referrals other ON other.child_key = r.child_key AND other.referral_key <> r.referral_key
WHERE r.child_key IN (SELECT child_key FROM flag_scope)
  AND r.referral_date >= other.referral_date
  AND (r.referral_date < other.closure_date
       OR (other.closure_date IS NULL AND NOT coalesce(other.nfa, false)));

-- rule: 8840
-- kind: reject
-- table: cp_plans
-- fields: end_date, start_date
-- message: A child protection plan cannot start and end on the same day.
start_date = end_date

-- rule: 8869
-- kind: reject
-- table: assessments
-- fields: factors
-- message: Factor 21 (no factors identified) cannot be recorded with any other factor.
list_contains(factors, '21') AND len(factors) > 1

-- rule: 8915
-- kind: flag
-- table: cp_plans
-- fields: start_date
-- message: A child protection plan starts after the child's date of death.
SELECT p.child_key, p.cp_plan_key AS record_key
FROM cp_plans p JOIN children c USING (child_key)
WHERE p.child_key IN (SELECT child_key FROM flag_scope) AND p.start_date > c.death_date;

-- rule: 8920
-- kind: flag
-- table: cp_plans
-- fields: end_date
-- message: A child protection plan ends after the child's date of death.
SELECT p.child_key, p.cp_plan_key AS record_key
FROM cp_plans p JOIN children c USING (child_key)
WHERE p.child_key IN (SELECT child_key FROM flag_scope) AND p.end_date > c.death_date;

-- rule: 8925
-- kind: reject
-- table: cp_plans
-- fields: end_date, start_date
-- message: A child protection plan ends before it starts.
end_date < start_date

-- rule: 8935
-- kind: flag
-- table: cp_plans
-- fields: end_date
-- message: The child has more than one child protection plan open (no end date).
SELECT p.child_key, p.cp_plan_key AS record_key
FROM cp_plans p
WHERE p.child_key IN (SELECT child_key FROM flag_scope) AND p.end_date IS NULL
  AND (SELECT count(*) FROM cp_plans q WHERE q.child_key = p.child_key AND q.end_date IS NULL) > 1;

-- The product's own rules: contradictions that move a figure, whose DfE code we have not matched
-- to a published definition yet. Codes start with L so they never pass for a DfE code.

-- rule: L01
-- kind: flag
-- table: cp_plans
-- fields: start_date, end_date
-- message: A child protection plan starts while another plan of the same child is still open (8935 catches two plans with no end date; this catches any overlap).
SELECT p.child_key, p.cp_plan_key AS record_key
FROM cp_plans p
JOIN cp_plans earlier ON earlier.child_key = p.child_key AND earlier.cp_plan_key <> p.cp_plan_key
WHERE p.child_key IN (SELECT child_key FROM flag_scope)
  AND p.start_date >= earlier.start_date
  AND (p.start_date > earlier.start_date OR p.cp_plan_key > earlier.cp_plan_key)
  AND (earlier.end_date IS NULL OR p.start_date < earlier.end_date);

-- rule: L02
-- kind: flag
-- table: cp_plans
-- fields: nfa
-- message: A child protection plan sits in a CIN episode marked as a referral with no further action.
SELECT p.child_key, p.cp_plan_key AS record_key
FROM cp_plans p JOIN referrals r ON r.referral_key = p.referral_key
WHERE p.child_key IN (SELECT child_key FROM flag_scope) AND r.nfa;
