-- Derived tables: facts of each record that depend on the child's other records but never on the
-- period asked about, computed once after each load instead of in every query of every request
-- (issue 17; docs/BENCHMARKS.md "Where the time goes"). Each block is one table, `derived_<name>`,
-- rebuilt whole by sql/derived.ts, all in one transaction, after a load and whenever the warehouse
-- is opened for writing with tables older than its latest load. The metric fragments of the same
-- name (sql/metrics) read them, so every figure is still defined once: here is where the history
-- part of a definition lives.
--
-- Each block:
--   -- derived: <name>
--   -- reads: the warehouse tables it is computed from (a load that wrote none of them leaves it be)
--   -- the METRICS.md clause it implements
--   then one SELECT.

-- derived: cp_plan_history
-- reads: cp_plans
-- METRICS.md §4 (repeat plans): per CP plan, how many plans of the same child started earlier, when
-- the most recent earlier plan ended, and whether any earlier plan had initial or latest category
-- NEG. (child, start date) is a plan's identity (DATA.md), so no two plans of a child share a start.
SELECT c.*,
       count(*) OVER earlier AS earlier_plans,
       lag(c.end_date) OVER by_start AS previous_plan_end,
       coalesce(bool_or(c.initial_category = 'NEG' OR c.latest_category = 'NEG') OVER earlier, false) AS earlier_neglect_plan
FROM cp_plans c
WINDOW by_start AS (PARTITION BY c.child_key ORDER BY c.start_date),
       earlier AS (PARTITION BY c.child_key ORDER BY c.start_date ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING);

-- derived: referral_history
-- reads: referrals
-- METRICS.md §4 rereferrals_12m: per referral, the child's nearest earlier referral ("the nearest
-- earlier referral decides"): its date and key.
SELECT r.referral_key, r.child_key, r.referral_date, r.source, r.primary_need, r.nfa, r.closure_date,
       r.closure_reason,
       lag(r.referral_date) OVER by_date AS previous_referral_date,
       lag(r.referral_key) OVER by_date AS previous_referral_key
FROM referrals r
WINDOW by_date AS (PARTITION BY r.child_key ORDER BY r.referral_date);

-- derived: eh_history
-- reads: early_help
-- METRICS.md §4 eh_starts_repeat_12m: per early help episode, the end of the child's previous
-- episode (the latest earlier start), and its neglect signal (§2: "the extract's neglect flag, or
-- factor 16A among its factors").
SELECT e.eh_key, e.child_key, e.start_date, e.end_date, e.lead_agency, e.closure_reason,
       coalesce(e.neglect OR list_contains(e.factors, '16A'), false) AS neglect,
       lag(e.end_date) OVER (PARTITION BY e.child_key ORDER BY e.start_date) AS previous_end
FROM early_help e;

-- derived: stop_start_reopenings
-- reads: early_help, referrals
-- METRICS.md §5 (amended) stop_start_children: "per child, merge every EH episode and every CIN
-- episode whose referral was not NFA (an NFA referral is a decision, not help; open episodes run to
-- the as-at date) into spells: intervals that overlap or touch (next start ≤ previous end + 1 day)
-- join one spell. A reopening is a spell that starts within 365 days after the previous spell
-- ended." One row per reopening: the child and the day the spell reopened. Spells are built over
-- all history: as at any date T the spells are those starting on or before T, cut at T, and
-- cutting changes no gap before T, so a reopening is the same fact in every period (the fragment
-- stop_start_children counts those in its window).
WITH episodes AS (
  SELECT child_key, start_date, coalesce(end_date, DATE '9999-01-01') AS end_date FROM early_help
  UNION ALL
  SELECT child_key, referral_date, coalesce(closure_date, DATE '9999-01-01') FROM referrals WHERE nfa IS NOT TRUE
),
running AS (
  SELECT *, max(end_date) OVER (
           PARTITION BY child_key ORDER BY start_date, end_date
           ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING) AS reach_before
  FROM episodes
),
numbered AS (
  SELECT *, sum(CASE WHEN reach_before IS NULL OR start_date > reach_before + 1 THEN 1 ELSE 0 END) OVER (
           PARTITION BY child_key ORDER BY start_date, end_date ROWS UNBOUNDED PRECEDING) AS spell
  FROM running
),
spells AS (
  SELECT child_key, spell, min(start_date) AS spell_start, max(end_date) AS spell_end
  FROM numbered
  GROUP BY ALL
),
reopenings AS (
  SELECT child_key, spell_start
  FROM (SELECT child_key, spell_start,
               lag(spell_end) OVER (PARTITION BY child_key ORDER BY spell) AS previous_end
        FROM spells)
  WHERE spell_start - previous_end <= 365
)
SELECT child_key, spell_start FROM reopenings;

-- derived: referral_neglect
-- reads: referrals, assessments
-- METRICS.md §3 neglect_any_stage_children's CIN condition: "a CIN episode ... that contains a 16A
-- assessment authorised on or before `to`", and §5's "referral date of a CIN episode with a 16A
-- assessment". One row per referral whose episode holds an assessment with factor 16A: the episode's
-- dates and the earliest authorisation among those assessments (NULL when none is authorised yet).
-- "Some 16A assessment authorised on or before T" is "the earliest such authorisation <= T", so a
-- period's test is one comparison instead of a join to every assessment per period.
SELECT r.referral_key, r.child_key, r.referral_date, r.closure_date,
       min(a.authorisation_date) AS first_neglect_authorised
FROM referrals r
JOIN assessments a ON a.referral_key = r.referral_key
WHERE list_contains(a.factors, '16A')
GROUP BY r.referral_key, r.child_key, r.referral_date, r.closure_date;
