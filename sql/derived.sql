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
-- earlier referral decides"): its date and key. Keys and dates only: the referral's other columns
-- are read from referrals by key where a figure needs them (sql/metrics/repeat.sql
-- referrals_in_period), because copying its text columns was two thirds of this table's cost at a
-- load (docs/BENCHMARKS.md "Narrower history tables").
SELECT r.referral_key, r.child_key, r.referral_date,
       lag(r.referral_date) OVER by_date AS previous_referral_date,
       lag(r.referral_key) OVER by_date AS previous_referral_key
FROM referrals r
WINDOW by_date AS (PARTITION BY r.child_key ORDER BY r.referral_date);

-- derived: eh_history
-- reads: early_help
-- METRICS.md §4 eh_starts_repeat_12m: per early help episode, the end of the child's previous
-- episode (the latest earlier start), and its neglect signal (§2: "the extract's neglect flag, or
-- factor 16A among its factors"). The episode's text columns stay in early_help, as above. The
-- signal is read before the window, so the sort carries a flag and not the factor list (at 12 M,
-- 0.8 → 0.5 s; docs/BENCHMARKS.md).
SELECT e.*, lag(e.end_date) OVER (PARTITION BY e.child_key ORDER BY e.start_date) AS previous_end
FROM (
  SELECT eh_key, child_key, start_date, end_date,
         coalesce(neglect OR list_contains(factors, '16A'), false) AS neglect
  FROM early_help
) e;

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
-- In one pass: with a child's episodes in start order, the furthest end reached by the episodes
-- before one (reach_before) is the end of the spell before it, since every earlier spell ended
-- before the latest one began. An episode starting more than a day after that reach opens a new
-- spell on its own start date, which is the spell's start (no earlier-ordered episode of the spell
-- exists), and the gap to reach_before is the gap between the two spells. So a reopening is an
-- episode with 1 < start - reach_before <= 365; the first episode (no reach) opens no reopening.
-- tests/metrics/derivedTables.test.ts holds this to the spells built and numbered one by one.
WITH episodes AS (
  SELECT child_key, start_date, coalesce(end_date, DATE '9999-01-01') AS end_date FROM early_help
  UNION ALL
  SELECT child_key, referral_date, coalesce(closure_date, DATE '9999-01-01') FROM referrals WHERE nfa IS NOT TRUE
),
running AS (
  SELECT child_key, start_date, max(end_date) OVER (
           PARTITION BY child_key ORDER BY start_date, end_date
           ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING) AS reach_before
  FROM episodes
)
SELECT child_key, start_date AS spell_start
FROM running
WHERE start_date > reach_before + 1 AND start_date - reach_before <= 365;

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
