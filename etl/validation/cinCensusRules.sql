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
--     record_key (the record of `table`) for each record that breaks the rule. It runs over the
--     children the load touched and no others: while the rules run, each table they name (children,
--     referrals, assessments, section47, cin_plans, cp_plans) is a copy holding those children's
--     records, every extract's, alone (etl/validation/rules.ts), so a rule needs no filter of its
--     own; `warehouse_children` is every child. The record stays loaded and is listed in
--     `validation_flags` (METRICS.md §16 says how each figure treats it).
-- Dates: the warehouse holds typed DATEs; `$reference_date` is the extract's reference date.

-- rule: 1103
-- kind: flag
-- table: assessments
-- fields: start_date
-- message: An assessment starts before the referral of its CIN episode.
SELECT a.child_key, a.assessment_key AS record_key
FROM assessments a JOIN referrals r ON r.referral_key = a.referral_key
WHERE a.start_date < r.referral_date;

-- rule: 1104
-- kind: flag
-- table: section47
-- fields: icpc_date
-- message: An initial child protection conference is dated before the referral of its CIN episode.
SELECT s.child_key, s.s47_key AS record_key
FROM section47 s JOIN referrals r ON r.referral_key = s.referral_key
WHERE s.icpc_date < r.referral_date;

-- rule: 1105
-- kind: flag
-- table: cp_plans
-- fields: start_date
-- message: A child protection plan starts before the referral of its CIN episode.
SELECT p.child_key, p.cp_plan_key AS record_key
FROM cp_plans p JOIN referrals r ON r.referral_key = p.referral_key
WHERE p.start_date < r.referral_date;

-- The UPN format rules (1510–1560Q) are checked while the reader holds the UPN, which is never
-- staged (etl/identity/upnFormat.ts); the child keeps the codes it broke in `upn_checks`. They flag
-- rather than reject: no figure uses the UPN, and rejecting the child would take its casework out of
-- every figure for a mistyped identifier.
-- rule: 1510
-- kind: flag
-- table: children
-- fields: upn_checks
-- message: The UPN's check letter (character 1) is wrong.
SELECT child_key, NULL::INTEGER AS record_key
FROM children
WHERE list_contains(string_split(upn_checks, ' '), '1510');

-- rule: 1520
-- kind: flag
-- table: children
-- fields: upn_key
-- message: Another LA child id carries the same UPN, in this census or an earlier extract: one child recorded twice?
-- The UPN is compared by its HMAC under the installation's key (etl/identity/upnKey.ts), so a child
-- recorded again under a new id in a later year's census is found too. `children` holds the
-- children the load touched, `warehouse_children` every child (etl/validation/rules.ts).
SELECT c.child_key, NULL::INTEGER AS record_key
FROM children c
JOIN warehouse_children other ON other.upn_key = c.upn_key AND other.child_key <> c.child_key
WHERE c.upn_key IS NOT NULL;

-- rule: 1530
-- kind: flag
-- table: children
-- fields: upn_checks
-- message: The UPN's characters 2–4 are not an LA code the DfE recognises.
SELECT child_key, NULL::INTEGER AS record_key
FROM children
WHERE list_contains(string_split(upn_checks, ' '), '1530');

-- rule: 1540
-- kind: flag
-- table: children
-- fields: upn_checks
-- message: The UPN's characters 5–12 are not all digits.
SELECT child_key, NULL::INTEGER AS record_key
FROM children
WHERE list_contains(string_split(upn_checks, ' '), '1540');

-- rule: 1550
-- kind: flag
-- table: children
-- fields: upn_checks
-- message: The UPN's 13th character is not a digit or a letter other than I, O and S.
SELECT child_key, NULL::INTEGER AS record_key
FROM children
WHERE list_contains(string_split(upn_checks, ' '), '1550');

-- rule: 1560Q
-- kind: flag
-- table: children
-- fields: upn_checks
-- message: Please check: the former UPN is not a letter followed by twelve digits.
SELECT child_key, NULL::INTEGER AS record_key
FROM children
WHERE list_contains(string_split(upn_checks, ' '), '1560Q');

-- rule: 1570
-- kind: reject
-- table: children
-- fields: child_id
-- message: The LA child id is longer than 20 characters.
length(child_id) > 20

-- rule: 1580
-- kind: reject
-- table: children
-- fields: child_id
-- message: The LA child id holds a character other than a letter or a digit.
NOT regexp_full_match(child_id, '[A-Za-z0-9]+')

-- rule: 2889
-- kind: flag
-- table: section47
-- fields: start_date
-- message: A Section 47 enquiry starts before the referral of its CIN episode.
SELECT s.child_key, s.s47_key AS record_key
FROM section47 s JOIN referrals r ON r.referral_key = s.referral_key
WHERE s.start_date < r.referral_date;

-- rule: 2990
-- kind: flag
-- table: referrals
-- fields: closure_reason
-- message: A CIN episode closed as RC8 (no further action after assessment) holds a Section 47, an ICPC, a CIN plan or a CP plan.
SELECT r.child_key, r.referral_key AS record_key
FROM referrals r
WHERE upper(trim(r.closure_reason)) = 'RC8'
  AND (EXISTS (SELECT 1 FROM section47 s WHERE s.referral_key = r.referral_key)
    OR EXISTS (SELECT 1 FROM cin_plans p WHERE p.referral_key = r.referral_key)
    OR EXISTS (SELECT 1 FROM cp_plans p WHERE p.referral_key = r.referral_key));

-- rule: 2991Q
-- kind: flag
-- table: section47
-- fields: start_date
-- message: Please check: a Section 47 enquiry is recorded in a CIN episode that has no assessment.
SELECT s.child_key, s.s47_key AS record_key
FROM section47 s
WHERE NOT EXISTS (SELECT 1 FROM assessments a WHERE a.referral_key = s.referral_key);

-- rule: 4000
-- kind: flag
-- table: cin_plans
-- fields: nfa
-- message: A CIN plan is recorded in a CIN episode marked as a referral with no further action.
SELECT p.child_key, p.cin_plan_key AS record_key
FROM cin_plans p JOIN referrals r ON r.referral_key = p.referral_key
WHERE r.nfa;

-- rule: 4001
-- kind: flag
-- table: cin_plans
-- fields: end_date
-- message: A CIN plan and a child protection plan of the same CIN episode are both open (neither has an end date).
SELECT cin.child_key, cin.cin_plan_key AS record_key
FROM cin_plans cin
JOIN cp_plans cp ON cp.referral_key = cin.referral_key
WHERE cin.end_date IS NULL AND cp.end_date IS NULL;

-- rule: 4003
-- kind: flag
-- table: cp_plans
-- fields: review_dates
-- message: A child protection plan review falls while a CIN plan of the same CIN episode is open (a review on the day the CP plan ends is allowed).
-- An open CIN plan (no end date) counts as open from its start.
SELECT r.child_key, r.cp_plan_key AS record_key
FROM (SELECT p.child_key, p.cp_plan_key, p.referral_key, p.end_date,
             unnest(list_transform(string_split(p.review_dates, ';'), d -> try_cast(trim(d) AS DATE))) AS review_date
      FROM cp_plans p) r
JOIN cin_plans cin ON cin.referral_key = r.referral_key
WHERE r.review_date >= cin.start_date
  AND (cin.end_date IS NULL OR r.review_date < cin.end_date)
  AND r.review_date IS DISTINCT FROM r.end_date;

-- rule: 4004
-- kind: flag
-- table: cin_plans
-- fields: end_date
-- message: One CIN episode has more than one CIN plan open (no end date).
SELECT p.child_key, p.cin_plan_key AS record_key
FROM cin_plans p
WHERE p.end_date IS NULL
  AND EXISTS (SELECT 1 FROM cin_plans o
              WHERE o.referral_key = p.referral_key AND o.cin_plan_key <> p.cin_plan_key AND o.end_date IS NULL);

-- rule: 4008
-- kind: flag
-- table: cin_plans
-- fields: start_date
-- message: A CIN plan starts after the child's date of death.
SELECT p.child_key, p.cin_plan_key AS record_key
FROM cin_plans p JOIN children c USING (child_key)
WHERE p.start_date > c.death_date;

-- rule: 4009Q
-- kind: flag
-- table: cin_plans
-- fields: end_date
-- message: Please check: a CIN plan ends after the child's date of death.
SELECT p.child_key, p.cin_plan_key AS record_key
FROM cin_plans p JOIN children c USING (child_key)
WHERE p.end_date > c.death_date;

-- rule: 4010
-- kind: reject
-- table: cin_plans
-- fields: start_date
-- message: A CIN plan has no start date, or starts after the census's reference date.
start_date IS NULL OR start_date > $reference_date::DATE

-- rule: 4011
-- kind: reject
-- table: cin_plans
-- fields: end_date, start_date
-- message: A CIN plan ends before it starts.
end_date < start_date

-- rule: 4012Q
-- kind: flag
-- table: cin_plans
-- fields: start_date, end_date
-- message: Please check: a CIN plan starts and ends on the same day.
SELECT p.child_key, p.cin_plan_key AS record_key
FROM cin_plans p
WHERE p.start_date = p.end_date;

-- rule: 4013
-- kind: reject
-- table: cin_plans
-- fields: end_date
-- message: A CIN plan's end date is outside the census year.
end_date < $reference_date::DATE - INTERVAL 1 YEAR + INTERVAL 1 DAY OR end_date > $reference_date::DATE

-- rule: 4014
-- kind: flag
-- table: cin_plans
-- fields: start_date, end_date
-- message: Two CIN plans of the same child overlap: one starts before the other has ended.
SELECT p.child_key, p.cin_plan_key AS record_key
FROM cin_plans p
JOIN cin_plans other ON other.child_key = p.child_key AND other.cin_plan_key <> p.cin_plan_key
WHERE p.start_date >= other.start_date
  AND (other.end_date IS NULL OR p.start_date < other.end_date);

-- rule: 4015
-- kind: flag
-- table: cin_plans
-- fields: start_date
-- message: A CIN plan starts before the referral of its CIN episode.
SELECT p.child_key, p.cin_plan_key AS record_key
FROM cin_plans p JOIN referrals r ON r.referral_key = p.referral_key
WHERE p.start_date < r.referral_date;

-- rule: 4016
-- kind: flag
-- table: cin_plans
-- fields: start_date
-- message: A CIN plan starts while a child protection plan of the same child is open (a CIN plan may start on the day the CP plan ends).
SELECT cin.child_key, cin.cin_plan_key AS record_key
FROM cin_plans cin
JOIN cp_plans cp ON cp.child_key = cin.child_key
WHERE cin.start_date >= cp.start_date
  AND cin.start_date < coalesce(cp.end_date, $reference_date::DATE + 1);

-- rule: 4017
-- kind: flag
-- table: cp_plans
-- fields: start_date
-- message: A child protection plan starts while a CIN plan of the same child is open (it may start on the day the CIN plan ends).
SELECT cp.child_key, cp.cp_plan_key AS record_key
FROM cp_plans cp
JOIN cin_plans cin ON cin.child_key = cp.child_key
WHERE cp.start_date >= cin.start_date
  AND (cp.start_date < cin.end_date OR (cin.end_date IS NULL AND cp.start_date <= $reference_date::DATE));

-- rule: 4180
-- kind: reject
-- table: children
-- fields: sex
-- message: The child's sex is missing (the census needs M, F or U).
-- The typed sex reads a missing value as 'unknown', so the rule reads the trimmed text the loader
-- keeps for the sex column (p_sex). Digit spellings (1, 2, 0, 9) are accepted, as the loader does.
p_sex IS NULL

-- rule: 4220
-- kind: reject
-- table: children
-- fields: ethnicity
-- message: The child's ethnicity is missing or not a code of the CIN census code set.
ethnicity IS NULL

-- rule: 8500
-- kind: reject
-- table: children
-- fields: child_id
-- message: The child has no LA child id.
child_id IS NULL

-- rule: 8520
-- kind: reject
-- table: children
-- fields: birth_date
-- message: The child's date of birth is after the census's reference date.
birth_date > $reference_date::DATE

-- rule: 8525
-- kind: reject
-- table: children
-- fields: birth_date, expected_birth_date
-- message: A child needs a date of birth or an expected date of birth, and not both.
(birth_date IS NULL) = (expected_birth_date IS NULL)

-- rule: 8530Q
-- kind: flag
-- table: children
-- fields: expected_birth_date
-- message: Please check: the expected date of birth is outside the range for this census (30 days before the reference date to 9 months after it).
SELECT c.child_key, NULL::INTEGER AS record_key
FROM children c
WHERE (c.expected_birth_date <= $reference_date::DATE - 30
       OR c.expected_birth_date >= $reference_date::DATE + INTERVAL 9 MONTH);

-- rule: 8535Q
-- kind: flag
-- table: children
-- fields: death_date, birth_date
-- message: Please check: the child's date of death is before its date of birth.
SELECT c.child_key, NULL::INTEGER AS record_key
FROM children c
WHERE c.death_date < c.birth_date;

-- rule: 8540
-- kind: flag
-- table: children
-- fields: disability
-- message: A born child with a referral going on to further action has no disability recorded (NONE if none), or a disability that is not a code of the CIN census code set.
SELECT c.child_key, NULL::INTEGER AS record_key
FROM children c
WHERE c.birth_date IS NOT NULL
  AND EXISTS (SELECT 1 FROM referrals r WHERE r.child_key = c.child_key AND r.nfa = false)
  AND (len(list_filter(string_split(coalesce(c.disability, ''), ';'), d -> trim(d) <> '')) = 0
    OR len(list_filter(string_split(c.disability, ';'), d -> trim(d) <> '' AND upper(trim(d)) NOT IN
         ('NONE', 'MOB', 'HAND', 'PC', 'INC', 'COMM', 'LD', 'HEAR', 'VIS', 'BEH', 'CON', 'AUT', 'DDA'))) > 0);

-- rule: 8545Q
-- kind: flag
-- table: children
-- fields: death_date
-- message: Please check: the child's date of death is not within the census year.
SELECT c.child_key, NULL::INTEGER AS record_key
FROM children c
WHERE (c.death_date <= $reference_date::DATE - INTERVAL 1 YEAR OR c.death_date > $reference_date::DATE);

-- rule: 8555
-- kind: flag
-- table: referrals
-- fields: referral_date
-- message: The child is referred after its recorded date of death.
SELECT r.child_key, r.referral_key AS record_key
FROM referrals r JOIN children c USING (child_key)
WHERE r.referral_date > c.death_date;

-- rule: 8565
-- kind: flag
-- table: referrals
-- fields: closure_date
-- message: Activity (an assessment, Section 47, ICPC, CIN plan or the end of a CP plan) is dated after the CIN episode was closed.
-- Each episode's latest activity date, in one pass over the four tables, compared once with its
-- closure: the same as an EXISTS per table, since a date after the closure exists exactly when the
-- latest is after it (greatest and max skip a missing date, as a comparison with one is false).
-- Every child of the 12 M warehouse in scope: 14.1 s to 4.7 s, the same 6,586 rows.
WITH activity AS (
  SELECT referral_key, greatest(start_date, authorisation_date) AS dated FROM assessments
  UNION ALL SELECT referral_key, greatest(start_date, icpc_date) FROM section47
  UNION ALL SELECT referral_key, greatest(start_date, end_date) FROM cin_plans
  UNION ALL SELECT referral_key, end_date FROM cp_plans
)
SELECT r.child_key, r.referral_key AS record_key
FROM referrals r
JOIN (SELECT referral_key, max(dated) AS latest FROM activity GROUP BY referral_key) latest_activity
  ON latest_activity.referral_key = r.referral_key
WHERE r.closure_date IS NOT NULL
  AND latest_activity.latest > r.closure_date;

-- rule: 8568
-- kind: reject
-- table: referrals
-- fields: nfa
-- message: The referral's no-further-action flag (ReferralNFA) is missing or not true/false.
nfa IS NULL

-- rule: 8569
-- kind: reject
-- table: referrals
-- fields: nfa, referral_date
-- message: A referral dated before the last working day before the census year began is marked as no further action.
-- The last working day before 1 April skips a weekend; bank holidays are not known here, so when
-- 31 March is Good Friday an NFA referral of the Thursday is rejected, which the DfE would let pass.
nfa IS DISTINCT FROM false
  AND referral_date < ($reference_date::DATE - INTERVAL 1 YEAR)::DATE
    - CASE dayofweek(($reference_date::DATE - INTERVAL 1 YEAR)::DATE) WHEN 0 THEN 2 WHEN 6 THEN 1 ELSE 0 END

-- rule: 8585Q
-- kind: flag
-- table: referrals
-- fields: closure_reason, death_date
-- message: Please check: a CIN episode closed because the child died (RC2), but the child has no date of death.
SELECT r.child_key, r.referral_key AS record_key
FROM referrals r JOIN children c USING (child_key)
WHERE upper(trim(r.closure_reason)) = 'RC2' AND c.death_date IS NULL;

-- rule: 8590
-- kind: flag
-- table: children
-- fields: child_id
-- message: The child has no CIN episode recorded.
SELECT c.child_key, NULL::INTEGER AS record_key
FROM children c
WHERE NOT EXISTS (SELECT 1 FROM referrals r WHERE r.child_key = c.child_key);

-- rule: 8600
-- kind: reject
-- table: referrals
-- fields: referral_date
-- message: The referral date is missing, or after the census's reference date.
referral_date IS NULL OR referral_date > $reference_date::DATE

-- rule: 8606
-- kind: flag
-- table: referrals
-- fields: referral_date
-- message: The referral is dated more than 280 days (40 weeks) before the child's date of birth or expected date of birth.
SELECT r.child_key, r.referral_key AS record_key
FROM referrals r JOIN children c USING (child_key)
WHERE r.referral_date < coalesce(c.birth_date, c.expected_birth_date) - 280;

-- rule: 8608
-- kind: reject
-- table: assessments
-- fields: authorisation_date, start_date
-- message: An assessment is authorised (completed) before it starts.
authorisation_date < start_date

-- rule: 8610
-- kind: reject
-- table: referrals
-- fields: primary_need, nfa
-- message: A referral that led to further action (not NFA) has no primary need code.
primary_need IS NULL AND nfa = false

-- rule: 8614
-- kind: reject
-- table: assessments
-- fields: factors, authorisation_date
-- message: Factors identified at assessment are recorded for an assessment not yet authorised (completed).
authorisation_date IS NULL AND len(factors) > 0

-- rule: 8615
-- kind: reject
-- table: section47
-- fields: start_date, icpc_date
-- message: A Section 47 enquiry with an initial child protection conference needs a start date on or before the conference.
icpc_date IS NOT NULL AND (start_date IS NULL OR start_date > icpc_date)

-- rule: 8617
-- kind: reject
-- table: assessments
-- fields: factors
-- message: Factor 8A is not a valid code of the assessment factors.
list_contains(factors, '8A')

-- rule: 8620
-- kind: reject
-- table: referrals
-- fields: closure_date
-- message: The CIN episode's closure date is outside the census year.
closure_date < $reference_date::DATE - INTERVAL 1 YEAR + INTERVAL 1 DAY OR closure_date > $reference_date::DATE

-- rule: 8630
-- kind: reject
-- table: referrals
-- fields: closure_date, referral_date
-- message: The CIN episode's closure date is before its referral date.
closure_date < referral_date

-- rule: 8640
-- kind: reject
-- table: referrals
-- fields: closure_reason
-- message: The reason for closure is not a code of the CIN census code set (RC1 to RC9).
closure_reason IS NOT NULL AND upper(trim(closure_reason)) NOT IN ('RC1', 'RC2', 'RC3', 'RC4', 'RC5', 'RC6', 'RC7', 'RC8', 'RC9')

-- rule: 8650
-- kind: reject
-- table: referrals
-- fields: primary_need
-- message: The primary need code is not a code of the CIN census code set (N0 to N9).
primary_need IS NOT NULL AND upper(trim(primary_need)) NOT IN ('N0', 'N1', 'N2', 'N3', 'N4', 'N5', 'N6', 'N7', 'N8', 'N9')

-- rule: 8670Q
-- kind: flag
-- table: assessments
-- fields: start_date, authorisation_date
-- message: Please check: an assessment started more than 45 working days before the reference date and has no authorisation (end) date.
-- 45 working days back from the reference date are 63 calendar days (61 or 62 from a weekend);
-- bank holidays are not counted out.
SELECT a.child_key, a.assessment_key AS record_key
FROM assessments a
WHERE a.authorisation_date IS NULL
  AND a.start_date < $reference_date::DATE
        - CASE dayofweek($reference_date::DATE) WHEN 6 THEN 61 WHEN 0 THEN 62 ELSE 63 END;

-- rule: 8675Q
-- kind: flag
-- table: section47
-- fields: start_date, icpc_date
-- message: Please check: a Section 47 enquiry started more than 15 working days before the reference date and has neither an initial conference date nor "conference not required".
-- 15 working days back are 21 calendar days (19 or 20 from a weekend); bank holidays are not counted out.
SELECT s.child_key, s.s47_key AS record_key
FROM section47 s
WHERE s.icpc_date IS NULL AND s.icpc_not_required = false
  AND s.start_date < $reference_date::DATE
        - CASE dayofweek($reference_date::DATE) WHEN 6 THEN 19 WHEN 0 THEN 20 ELSE 21 END;

-- rule: 8696
-- kind: reject
-- table: assessments
-- fields: authorisation_date
-- message: An assessment's authorisation (end) date is outside the census year.
authorisation_date < $reference_date::DATE - INTERVAL 1 YEAR + INTERVAL 1 DAY OR authorisation_date > $reference_date::DATE

-- rule: 8715
-- kind: reject
-- table: section47
-- fields: icpc_date
-- message: The initial child protection conference is dated outside the census year.
icpc_date < $reference_date::DATE - INTERVAL 1 YEAR + INTERVAL 1 DAY OR icpc_date > $reference_date::DATE

-- rule: 8720
-- kind: reject
-- table: cp_plans
-- fields: start_date
-- message: A child protection plan has no start date, or starts after the census's reference date.
start_date IS NULL OR start_date > $reference_date::DATE

-- rule: 8730
-- kind: reject
-- table: cp_plans
-- fields: previous_plans
-- message: The number of previous child protection plans is missing (it must be recorded, 0 or more).
previous_plans IS NULL OR previous_plans < 0

-- rule: 8736
-- kind: reject
-- table: assessments
-- fields: start_date, authorisation_date
-- message: An assessment not yet authorised (completed) starts outside the census year.
authorisation_date IS NULL
  AND (start_date < $reference_date::DATE - INTERVAL 1 YEAR + INTERVAL 1 DAY OR start_date > $reference_date::DATE)

-- rule: 8740
-- kind: reject
-- table: section47
-- fields: start_date, icpc_date, icpc_not_required
-- message: A Section 47 enquiry with no initial conference held (and one not marked as not required) starts outside the census year.
icpc_date IS NULL AND icpc_not_required = false
  AND (start_date < $reference_date::DATE - INTERVAL 1 YEAR + INTERVAL 1 DAY OR start_date > $reference_date::DATE)

-- rule: 8750
-- kind: reject
-- table: children
-- fields: sex, birth_date, expected_birth_date
-- message: An unborn child (an expected date of birth, no date of birth) must have sex U (not known).
birth_date IS NULL AND expected_birth_date IS NOT NULL AND sex IS DISTINCT FROM 'unknown'

-- rule: 8770Q
-- kind: flag
-- table: children
-- fields: upn_key, upn_unknown
-- message: Please check: a child over 5 with a referral going on to further action has neither a UPN nor a reason it is missing (UN2–UN7).
SELECT c.child_key, NULL::INTEGER AS record_key
FROM children c
WHERE c.birth_date <= $reference_date::DATE - INTERVAL 6 YEAR
  AND c.upn_key IS NULL
  AND coalesce(upper(trim(c.upn_unknown)), '') NOT IN ('UN2', 'UN3', 'UN4', 'UN5', 'UN6', 'UN7')
  AND EXISTS (SELECT 1 FROM referrals r WHERE r.child_key = c.child_key AND NOT r.nfa);

-- rule: 8772
-- kind: flag
-- table: children
-- fields: upn_unknown, nfa
-- message: The UPN is missing for reason UN7 (referral with no further action), but a referral of the child goes on to further action.
SELECT c.child_key, NULL::INTEGER AS record_key
FROM children c
WHERE upper(trim(c.upn_unknown)) = 'UN7'
  AND EXISTS (SELECT 1 FROM referrals r WHERE r.child_key = c.child_key AND NOT coalesce(r.nfa, false));

-- rule: 8775Q
-- kind: flag
-- table: referrals
-- fields: birth_date, closure_date
-- message: Please check: the child is over 25, and a CIN episode is open or closed after their 25th birthday.
SELECT r.child_key, r.referral_key AS record_key
FROM referrals r JOIN children c USING (child_key)
WHERE c.birth_date < $reference_date::DATE - INTERVAL 25 YEAR
  AND (r.closure_date IS NULL OR r.closure_date > c.birth_date + INTERVAL 25 YEAR);

-- rule: 8790
-- kind: reject
-- table: children
-- fields: disability
-- message: The child's disabilities include NONE together with other codes.
list_contains(list_transform(string_split(disability, ';'), d -> upper(trim(d))), 'NONE')
  AND len(list_filter(string_split(disability, ';'), d -> trim(d) <> '')) > 1

-- rule: 8794
-- kind: reject
-- table: children
-- fields: disability
-- message: The child has the same disability code more than once.
len(list_filter(list_transform(string_split(disability, ';'), d -> upper(trim(d))), d -> d <> ''))
  > len(list_distinct(list_filter(list_transform(string_split(disability, ';'), d -> upper(trim(d))), d -> d <> '')))

-- rule: 8805
-- kind: reject
-- table: referrals
-- fields: closure_reason, closure_date
-- message: The CIN episode has a closure date but no reason for closure.
closure_date IS NOT NULL AND closure_reason IS NULL

-- rule: 8810
-- kind: reject
-- table: referrals
-- fields: closure_date, closure_reason
-- message: The CIN episode has a reason for closure but no closure date.
closure_reason IS NOT NULL AND closure_date IS NULL

-- rule: 8815
-- kind: flag
-- table: referrals
-- fields: closure_date, nfa
-- message: The child has more than one open CIN episode (no closure date) that is not a referral with no further action.
SELECT r.child_key, r.referral_key AS record_key
FROM referrals r
WHERE r.closure_date IS NULL AND r.nfa = false
  AND EXISTS (SELECT 1 FROM referrals o
              WHERE o.child_key = r.child_key AND o.load_id = r.load_id AND o.referral_key <> r.referral_key
                AND o.closure_date IS NULL AND o.nfa = false);

-- rule: 8816
-- kind: flag
-- table: referrals
-- fields: referral_date, nfa
-- message: An open CIN episode (not a referral with no further action) is not the child's latest episode.
SELECT r.child_key, r.referral_key AS record_key
FROM referrals r
WHERE r.closure_date IS NULL AND r.nfa = false
  AND EXISTS (SELECT 1 FROM referrals later
              WHERE later.child_key = r.child_key AND later.load_id = r.load_id
                AND later.referral_date > r.referral_date);

-- rule: 8820
-- kind: flag
-- table: referrals
-- fields: referral_date, closure_date
-- message: Two CIN episodes of the same child overlap: a referral falls inside another open episode.
SELECT r.child_key, r.referral_key AS record_key
FROM referrals r
JOIN referrals other ON other.child_key = r.child_key AND other.referral_key <> r.referral_key
WHERE r.referral_date >= other.referral_date
  AND (r.referral_date < other.closure_date
       OR (other.closure_date IS NULL AND NOT coalesce(other.nfa, false)));

-- rule: 8825Q
-- kind: flag
-- table: referrals
-- fields: closure_reason
-- message: Please check: a CIN episode closed as RC8 or RC9 (closed after assessment) has no assessment.
SELECT r.child_key, r.referral_key AS record_key
FROM referrals r
WHERE upper(trim(r.closure_reason)) IN ('RC8', 'RC9')
  AND NOT EXISTS (SELECT 1 FROM assessments a WHERE a.referral_key = r.referral_key);

-- rule: 8831
-- kind: flag
-- table: referrals
-- fields: nfa
-- message: An assessment or a Section 47 enquiry is recorded in a CIN episode marked as a referral with no further action.
SELECT r.child_key, r.referral_key AS record_key
FROM referrals r
WHERE r.nfa
  AND (EXISTS (SELECT 1 FROM assessments a WHERE a.referral_key = r.referral_key)
    OR EXISTS (SELECT 1 FROM section47 s WHERE s.referral_key = r.referral_key));

-- rule: 8832
-- kind: flag
-- table: cp_plans
-- fields: nfa
-- message: A child protection plan is recorded in a CIN episode marked as a referral with no further action.
SELECT p.child_key, p.cp_plan_key AS record_key
FROM cp_plans p JOIN referrals r ON r.referral_key = p.referral_key
WHERE r.nfa;

-- rule: 8839
-- kind: flag
-- table: section47
-- fields: icpc_date, icpc_not_required
-- message: One CIN episode has two or more open Section 47 enquiries (no initial conference held, and one not marked as not required).
SELECT s.child_key, s.s47_key AS record_key
FROM section47 s
WHERE s.icpc_date IS NULL AND NOT coalesce(s.icpc_not_required, false)
  AND EXISTS (SELECT 1 FROM section47 o
              WHERE o.referral_key = s.referral_key AND o.s47_key <> s.s47_key
                AND o.icpc_date IS NULL AND NOT coalesce(o.icpc_not_required, false));

-- rule: 8840
-- kind: reject
-- table: cp_plans
-- fields: end_date, start_date
-- message: A child protection plan cannot start and end on the same day.
start_date = end_date

-- rule: 8841
-- kind: reject
-- table: cp_plans
-- fields: review_dates, start_date
-- message: A child protection plan has a review dated on or before the day the plan started.
len(list_filter(string_split(review_dates, ';'), d -> try_cast(trim(d) AS DATE) <= start_date)) > 0

-- rule: 8863
-- kind: flag
-- table: assessments
-- fields: start_date
-- message: An assessment starts while another assessment of the same CIN episode is still going on (between its start and its authorisation, or the reference date if it has none).
SELECT a.child_key, a.assessment_key AS record_key
FROM assessments a
JOIN assessments o ON o.referral_key = a.referral_key AND o.assessment_key <> a.assessment_key
WHERE a.start_date >= o.start_date
  AND a.start_date <= coalesce(o.authorisation_date, $reference_date::DATE);

-- rule: 8866
-- kind: reject
-- table: referrals
-- fields: source, referral_date
-- message: The source of the referral is missing or not a code of the CIN census code set (required for referrals from 1 April 2013).
referral_date >= DATE '2013-04-01'
  AND (source IS NULL OR upper(trim(source)) NOT IN ('1A', '1B', '1C', '1D', '2A', '2B', '3A', '3B', '3C', '3D', '3E', '3F',
                                                      '4', '5A', '5B', '5C', '5D', '6', '7', '8', '9', '10'))

-- rule: 8867
-- kind: flag
-- table: referrals
-- fields: closure_date
-- message: The CIN episode is closed, but one of its assessments has no authorisation date (not completed).
SELECT r.child_key, r.referral_key AS record_key
FROM referrals r
WHERE r.closure_date IS NOT NULL
  AND EXISTS (SELECT 1 FROM assessments a WHERE a.referral_key = r.referral_key AND a.authorisation_date IS NULL);

-- rule: 8868
-- kind: flag
-- table: referrals
-- fields: closure_date
-- message: The CIN episode is closed, but one of its Section 47 enquiries has neither an initial conference date nor "conference not required".
SELECT r.child_key, r.referral_key AS record_key
FROM referrals r
WHERE r.closure_date IS NOT NULL
  AND EXISTS (SELECT 1 FROM section47 s WHERE s.referral_key = r.referral_key
              AND s.icpc_date IS NULL AND NOT coalesce(s.icpc_not_required, false));

-- rule: 8869
-- kind: reject
-- table: assessments
-- fields: factors
-- message: Factor 21 (no factors identified) cannot be recorded with any other factor.
list_contains(factors, '21') AND len(factors) > 1

-- rule: 8870Q
-- kind: flag
-- table: section47
-- fields: icpc_target_date
-- message: Please check: the target date for the initial child protection conference falls on a Saturday or a Sunday.
SELECT s.child_key, s.s47_key AS record_key
FROM section47 s
WHERE dayofweek(try_cast(s.icpc_target_date AS DATE)) IN (0, 6);

-- rule: 8873
-- kind: flag
-- table: referrals
-- fields: closure_reason, factors
-- message: A closed CIN episode whose one assessment found no factors (21) is not closed as RC8 (no further action after assessment).
-- Only a closed episode is checked: an open one has no reason for closure yet.
-- One pass over the assessments, grouped by episode: "exactly one, and it found no factors" as one
-- aggregate, not a count and an EXISTS per episode (every child of the 12 M warehouse in scope: 5.3 s
-- to 1.9 s, the same 138,842 rows; docs/BENCHMARKS.md).
SELECT r.child_key, r.referral_key AS record_key
FROM referrals r
JOIN (SELECT referral_key FROM assessments
      GROUP BY referral_key
      HAVING count(*) = 1 AND bool_or(list_contains(factors, '21'))) only_assessment
  ON only_assessment.referral_key = r.referral_key
WHERE r.closure_reason IS NOT NULL AND upper(trim(r.closure_reason)) <> 'RC8';

-- rule: 8890
-- kind: flag
-- table: section47
-- fields: start_date
-- message: A Section 47 enquiry starts while another of the same CIN episode is going on (from its start to its initial conference, or to the reference date if it has none and one is not marked as not required).
SELECT s.child_key, s.s47_key AS record_key
FROM section47 s
JOIN section47 o ON o.referral_key = s.referral_key AND o.s47_key <> s.s47_key
WHERE s.start_date >= o.start_date
  AND (s.start_date <= o.icpc_date
       OR (o.icpc_date IS NULL AND NOT coalesce(o.icpc_not_required, false) AND s.start_date <= $reference_date::DATE));

-- rule: 8896
-- kind: flag
-- table: assessments
-- fields: authorisation_date
-- message: One CIN episode has two or more assessments not yet authorised (completed).
SELECT a.child_key, a.assessment_key AS record_key
FROM assessments a
WHERE a.authorisation_date IS NULL
  AND EXISTS (SELECT 1 FROM assessments o
              WHERE o.referral_key = a.referral_key AND o.assessment_key <> a.assessment_key
                AND o.authorisation_date IS NULL);

-- rule: 8897
-- kind: reject
-- table: assessments
-- fields: factors, authorisation_date
-- message: An assessment completed in the census year has no factors identified at assessment recorded (21 if none).
authorisation_date >= $reference_date::DATE - INTERVAL 1 YEAR + INTERVAL 1 DAY AND len(factors) = 0

-- rule: 8898
-- kind: reject
-- table: assessments
-- fields: factors
-- message: An assessment records the same factor code more than once.
len(factors) > len(list_distinct(factors))

-- rule: 8899Q
-- kind: flag
-- table: assessments
-- fields: factors, disability
-- message: Please check: a child recorded with a disability has an assessment completed in the census year without a disability factor (5A or 6A).
SELECT a.child_key, a.assessment_key AS record_key
FROM assessments a JOIN children c USING (child_key)
WHERE a.authorisation_date >= $reference_date::DATE - INTERVAL 1 YEAR + INTERVAL 1 DAY
  AND NOT (list_contains(a.factors, '5A') OR list_contains(a.factors, '6A'))
  AND len(list_filter(string_split(c.disability, ';'), d -> upper(trim(d)) NOT IN ('', 'NONE'))) > 0;

-- rule: 8905
-- kind: reject
-- table: cp_plans
-- fields: initial_category
-- message: The child protection plan's initial category of abuse is missing or not a code of the CIN census code set.
initial_category IS NULL

-- rule: 8910
-- kind: reject
-- table: cp_plans
-- fields: latest_category
-- message: The child protection plan's latest category of abuse is missing or not a code of the CIN census code set.
latest_category IS NULL

-- rule: 8915
-- kind: flag
-- table: cp_plans
-- fields: start_date
-- message: A child protection plan starts after the child's date of death.
SELECT p.child_key, p.cp_plan_key AS record_key
FROM cp_plans p JOIN children c USING (child_key)
WHERE p.start_date > c.death_date;

-- rule: 8920
-- kind: flag
-- table: cp_plans
-- fields: end_date
-- message: A child protection plan ends after the child's date of death.
SELECT p.child_key, p.cp_plan_key AS record_key
FROM cp_plans p JOIN children c USING (child_key)
WHERE p.end_date > c.death_date;

-- rule: 8925
-- kind: reject
-- table: cp_plans
-- fields: end_date, start_date
-- message: A child protection plan ends before it starts.
end_date < start_date

-- rule: 8930
-- kind: reject
-- table: cp_plans
-- fields: end_date
-- message: A child protection plan's end date is outside the census year.
end_date < $reference_date::DATE - INTERVAL 1 YEAR + INTERVAL 1 DAY OR end_date > $reference_date::DATE

-- rule: 8935
-- kind: flag
-- table: cp_plans
-- fields: end_date
-- message: The child has more than one child protection plan open (no end date).
SELECT p.child_key, p.cp_plan_key AS record_key
FROM cp_plans p
WHERE p.end_date IS NULL
  AND (SELECT count(*) FROM cp_plans q WHERE q.child_key = p.child_key AND q.end_date IS NULL) > 1;

-- rule: 8940
-- kind: flag
-- table: cp_plans
-- fields: start_date, end_date
-- message: A child protection plan starts while another plan of the same child is open (on or after the other's start, and on or before its end date if it has one).
-- The DfE counts the other plan's end day as inside it: a plan starting the day another ends is
-- flagged. The plan flagged is the one that starts inside the other; two plans starting the same day
-- are each inside the other and both are flagged. With no end date the DfE bounds the other plan by
-- the reference date, which every plan's start already respects here (8720). 8935 catches two plans
-- with no end date; this catches any overlap.
SELECT p.child_key, p.cp_plan_key AS record_key
FROM cp_plans p
JOIN cp_plans other ON other.child_key = p.child_key AND other.cp_plan_key <> p.cp_plan_key
WHERE p.start_date >= other.start_date
  AND (other.end_date IS NULL OR p.start_date <= other.end_date);

-- rule: 8945Q
-- kind: flag
-- table: assessments
-- fields: factors
-- message: Please check: an assessment records factor 18A, which should no longer be used (18B or 18C instead).
SELECT a.child_key, a.assessment_key AS record_key
FROM assessments a
WHERE list_contains(a.factors, '18A');

-- rule: 8950Q
-- kind: flag
-- table: assessments
-- fields: factors
-- message: Please check: an assessment records factor 19A, which should no longer be used (19B or 19C instead).
SELECT a.child_key, a.assessment_key AS record_key
FROM assessments a
WHERE list_contains(a.factors, '19A');
