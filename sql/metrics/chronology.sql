-- query: child_chronology
-- shape: rows
-- A child's chronology (officers, for audit; identifiable): every recorded event of the child known
-- by $la_child_id, oldest first — early help episodes, referrals and their closure, assessments
-- (with their factors, 16A marking neglect), Section 47 enquiries and conferences, CIN plans and CP
-- plans with their categories — so drift, stop-start help and neglect signals can be read in order.
WITH child AS (SELECT child_key FROM child_identity WHERE la_child_id = $la_child_id),
events AS (
  SELECT start_date AS date, 'early help' AS service, 'episode started' AS event,
         CASE WHEN neglect OR list_contains(factors, '16A') THEN 'neglect' END AS detail FROM early_help WHERE child_key = (SELECT child_key FROM child)
  UNION ALL SELECT end_date, 'early help', 'episode ended', closure_reason FROM early_help WHERE child_key = (SELECT child_key FROM child) AND end_date IS NOT NULL
  UNION ALL SELECT referral_date, 'children''s social care', CASE WHEN nfa THEN 'referral (no further action)' ELSE 'referral' END,
         concat_ws(', ', 'source ' || source, 'need ' || primary_need) FROM referrals WHERE child_key = (SELECT child_key FROM child)
  UNION ALL SELECT closure_date, 'children''s social care', 'case closed', closure_reason FROM referrals WHERE child_key = (SELECT child_key FROM child) AND closure_date IS NOT NULL
  UNION ALL SELECT start_date, 'assessment', 'assessment started', NULL FROM assessments WHERE child_key = (SELECT child_key FROM child)
  UNION ALL SELECT authorisation_date, 'assessment', 'assessment authorised',
         CASE WHEN list_contains(factors, '16A') THEN 'neglect (16A); ' ELSE '' END || 'factors ' || coalesce(array_to_string(factors, ' '), 'none')
         FROM assessments WHERE child_key = (SELECT child_key FROM child) AND authorisation_date IS NOT NULL
  UNION ALL SELECT start_date, 'child protection', 'Section 47 enquiry started', NULL FROM section47 WHERE child_key = (SELECT child_key FROM child)
  UNION ALL SELECT icpc_date, 'child protection', 'initial conference', NULL FROM section47 WHERE child_key = (SELECT child_key FROM child) AND icpc_date IS NOT NULL
  UNION ALL SELECT start_date, 'child in need', 'CIN plan started', NULL FROM cin_plans WHERE child_key = (SELECT child_key FROM child)
  UNION ALL SELECT end_date, 'child in need', 'CIN plan ended', NULL FROM cin_plans WHERE child_key = (SELECT child_key FROM child) AND end_date IS NOT NULL
  UNION ALL SELECT start_date, 'child protection', 'CP plan started', 'category ' || initial_category FROM cp_plans WHERE child_key = (SELECT child_key FROM child)
  UNION ALL SELECT end_date, 'child protection', 'CP plan ended', 'latest category ' || latest_category || ', ' || (end_date - start_date)::INTEGER || ' days'
         FROM cp_plans WHERE child_key = (SELECT child_key FROM child) AND end_date IS NOT NULL
)
SELECT date, service, event, detail FROM events ORDER BY date, service, event;
