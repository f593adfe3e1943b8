-- Statistical process control over one series (METRICS.md §13 "SPC rules" and "SPC limits"; NHS
-- England "Making Data Count"). The series is not a warehouse table: metrics/spc.ts binds it as the
-- parameter $series, a JSON array [{"period_to": "YYYY-MM-DD", "value": number | null}, ...] in
-- period order, and the recorded recalculation points as $recalculate_from, a JSON array of dates.
-- Nothing is pasted into the SQL text, so an analyst can run this query as printed by binding them.

-- query: spc_xmr
-- shape: rows
-- kept: by params
-- METRICS.md §13 "SPC rules": "A series of 15 or more points is an XmR chart: centre = mean; MR̄ =
-- mean of the absolute differences between consecutive points that both have values (a missing
-- period is skipped, not zero); process limits = mean ± 2.66 × MR̄; 2σ lines = mean ± (2/3) × 2.66 ×
-- MR̄; 1σ lines = mean ± (1/3) × 2.66 × MR̄." Special cause: (1) outside a process limit; (2) shift,
-- 7 or more consecutive points on the same side of the mean (a point exactly on the mean breaks the
-- run); (3) trend, 7 consecutive points each higher than the one before, or each lower (endpoints
-- included; a repeated value breaks it); (4) two of three consecutive points beyond the same 2σ line
-- (points beyond the process limit count), the third, if not beyond it, on the same side of the
-- mean. "A point flagged in both directions by different rules is read as a concern." "Below 15
-- points: a run chart with the mean, no limits and no special-cause flags."
-- METRICS.md §13 "SPC limits": "computed from a baseline of the first 15 or more points, or from the
-- latest recalculation point recorded ..., and are extended forward unchanged".
-- Decisions:
-- - The baseline is the first 15 points with values of each segment, exactly 15, so a point's
--   limits never move when later data arrives. A segment starts at the series start or at the first
--   period ending on or after a recalculation date; each has its own baseline, and runs, trends and
--   windows never cross a segment boundary. A segment of fewer than 15 points is a run chart.
-- - A moving range is taken only between adjacent periods that both have values: a missing period
--   (a gap, or a suppressed `c`) gives no moving range on either side. Runs, trends and two-of-three
--   windows count points with values, so they continue across a gap.
-- - Every point of a qualifying shift or trend is flagged; of a two-of-three window, the points
--   beyond the 2σ line are flagged (the third point is the window's context, not its signal).
-- - Only full windows of three count: two points beyond 2σ at the end of the series wait for the
--   next point, so a published flag is never withdrawn by later data.
-- - $improvement ('up', 'down' or 'neither') turns directions into a variation class; a point
--   flagged both ways is special_cause_concern when a direction is better, special_cause_neither
--   when none is.
WITH series AS (
  SELECT (t.ordinality - 1)::INTEGER AS idx, t.s.period_to AS period_to, t.s.value AS value
  FROM unnest(CAST($series AS STRUCT(period_to VARCHAR, value DOUBLE)[])) WITH ORDINALITY AS t(s, ordinality)
),
recalculations AS (
  SELECT DISTINCT unnest(CAST($recalculate_from AS DATE[])) AS from_date
),
segmented AS (
  -- seg: how many recalculation points the period has reached; the series starts in segment 0.
  SELECT s.*, (SELECT count(*) FROM recalculations r WHERE r.from_date <= s.period_to::DATE)::INTEGER AS seg
  FROM series s
),
ranged AS (
  -- lag over every period, gaps included: after a gap the previous value is NULL, so no range.
  SELECT *, abs(value - lag(value) OVER (PARTITION BY seg ORDER BY idx)) AS moving_range
  FROM segmented
),
points AS (
  -- k numbers the points with values within a segment: "consecutive" for the run rules.
  SELECT *, row_number() OVER (PARTITION BY seg ORDER BY idx) AS k
  FROM ranged
  WHERE value IS NOT NULL
),
baselines AS (
  SELECT seg,
         count(*)::INTEGER AS seg_points,
         min(period_to) AS seg_from,
         max(period_to) AS seg_to,
         max(period_to) FILTER (WHERE k <= 15) AS baseline_to,
         least(count(*), 15)::INTEGER AS baseline_points,
         -- A run chart's centre is the mean of all its points (fewer than 15, so all are baseline).
         avg(value) FILTER (WHERE k <= 15) AS mean,
         -- Ranges ending at points 2..15: both ends inside the baseline.
         avg(moving_range) FILTER (WHERE k BETWEEN 2 AND 15) AS baseline_mr_bar
  FROM points
  GROUP BY seg
),
segments AS (
  SELECT *,
         CASE WHEN seg_points >= 15 AND baseline_mr_bar IS NOT NULL THEN 'xmr' ELSE 'run' END AS chart
  FROM baselines
),
limited AS (
  SELECT p.*, g.chart, g.mean,
         CASE WHEN g.chart = 'xmr' THEN g.baseline_mr_bar END AS mr_bar,
         CASE WHEN g.chart = 'xmr' THEN g.mean + 2.66 * g.baseline_mr_bar END AS upl,
         CASE WHEN g.chart = 'xmr' THEN g.mean - 2.66 * g.baseline_mr_bar END AS lpl,
         CASE WHEN g.chart = 'xmr' THEN g.mean + 2.66 * g.baseline_mr_bar * 2 / 3 END AS upper_2s,
         CASE WHEN g.chart = 'xmr' THEN g.mean - 2.66 * g.baseline_mr_bar * 2 / 3 END AS lower_2s,
         sign(p.value - g.mean)::INTEGER AS side
  FROM points p JOIN segments g USING (seg)
),
stepped AS (
  SELECT *,
         sign(value - lag(value) OVER w)::INTEGER AS step,
         (side = 0 OR side IS DISTINCT FROM lag(side) OVER w)::INTEGER AS new_run,
         coalesce(value > upper_2s, false)::INTEGER AS beyond_up,
         coalesce(value < lower_2s, false)::INTEGER AS beyond_down
  FROM limited
  WINDOW w AS (PARTITION BY seg ORDER BY k)
),
grouped AS (
  -- A rising stretch is a point followed by points each higher than the one before: a new stretch
  -- starts at every point whose step is not a rise. Falling stretches likewise.
  SELECT *,
         sum(new_run) OVER w AS run_id,
         sum((step IS DISTINCT FROM 1)::INTEGER) OVER w AS rise_id,
         sum((step IS DISTINCT FROM -1)::INTEGER) OVER w AS fall_id,
         count(*) OVER ahead AS window_points,
         sum(beyond_up) OVER ahead AS window_beyond_up,
         sum(beyond_down) OVER ahead AS window_beyond_down,
         sum((side > 0)::INTEGER) OVER ahead AS window_above,
         sum((side < 0)::INTEGER) OVER ahead AS window_below
  FROM stepped
  WINDOW w AS (PARTITION BY seg ORDER BY k),
         ahead AS (PARTITION BY seg ORDER BY k ROWS BETWEEN CURRENT ROW AND 2 FOLLOWING)
),
measured AS (
  SELECT *,
         count(*) OVER (PARTITION BY seg, run_id) AS run_length,
         count(*) OVER (PARTITION BY seg, rise_id) AS rise_length,
         count(*) OVER (PARTITION BY seg, fall_id) AS fall_length,
         -- The window of the three points starting here qualifies upward when two or more are beyond
         -- the upper 2σ line and all three are above the mean (so the third, if not beyond, is too).
         window_points = 3 AND window_beyond_up >= 2 AND window_above = 3 AS window_up,
         window_points = 3 AND window_beyond_down >= 2 AND window_below = 3 AS window_down
  FROM grouped
),
ruled AS (
  SELECT *,
         chart = 'xmr' AND (value > upl OR value < lpl) AS outside_limits,
         chart = 'xmr' AND side <> 0 AND run_length >= 7 AS shift,
         chart = 'xmr' AND rise_length >= 7 AS trend_up,
         chart = 'xmr' AND fall_length >= 7 AS trend_down,
         -- A point beyond the line is flagged if any full window holding it (starting here or at
         -- one of the two points before) qualifies.
         chart = 'xmr' AND beyond_up = 1 AND bool_or(window_up) OVER back AS two_of_three_up,
         chart = 'xmr' AND beyond_down = 1 AND bool_or(window_down) OVER back AS two_of_three_down
  FROM measured
  WINDOW back AS (PARTITION BY seg ORDER BY k ROWS BETWEEN 2 PRECEDING AND CURRENT ROW)
),
directed AS (
  SELECT *,
         (outside_limits AND side > 0) OR (shift AND side > 0) OR trend_up OR two_of_three_up AS flagged_up,
         (outside_limits AND side < 0) OR (shift AND side < 0) OR trend_down OR two_of_three_down AS flagged_down
  FROM ruled
)
SELECT s.idx,
       s.period_to,
       s.value,
       s.seg AS segment,
       g.chart,
       g.seg_from,
       g.seg_to,
       g.seg_points,
       g.seg_from AS baseline_from,
       g.baseline_to,
       g.baseline_points,
       g.mean AS centre,
       CASE WHEN g.chart = 'xmr' THEN g.baseline_mr_bar END AS mr_bar,
       CASE WHEN g.chart = 'xmr' THEN g.mean + 2.66 * g.baseline_mr_bar END AS upl,
       CASE WHEN g.chart = 'xmr' THEN g.mean - 2.66 * g.baseline_mr_bar END AS lpl,
       CASE WHEN g.chart = 'xmr' THEN g.mean + 2.66 * g.baseline_mr_bar * 2 / 3 END AS upper_2s,
       CASE WHEN g.chart = 'xmr' THEN g.mean - 2.66 * g.baseline_mr_bar * 2 / 3 END AS lower_2s,
       CASE WHEN g.chart = 'xmr' THEN g.mean + 2.66 * g.baseline_mr_bar / 3 END AS upper_1s,
       CASE WHEN g.chart = 'xmr' THEN g.mean - 2.66 * g.baseline_mr_bar / 3 END AS lower_1s,
       s.moving_range,
       d.side,
       coalesce(d.outside_limits, false) AS outside_limits,
       coalesce(d.shift, false) AS shift,
       CASE WHEN d.shift THEN d.run_length END::INTEGER AS shift_length,
       coalesce(d.trend_up, false) AS trend_up,
       CASE WHEN d.trend_up THEN d.rise_length END::INTEGER AS trend_up_length,
       coalesce(d.trend_down, false) AS trend_down,
       CASE WHEN d.trend_down THEN d.fall_length END::INTEGER AS trend_down_length,
       coalesce(d.two_of_three_up, false) AS two_of_three_up,
       coalesce(d.two_of_three_down, false) AS two_of_three_down,
       CASE
         WHEN d.flagged_up AND d.flagged_down THEN CASE $improvement WHEN 'up' THEN -1 WHEN 'down' THEN 1 END
         WHEN d.flagged_up THEN 1
         WHEN d.flagged_down THEN -1
       END::INTEGER AS signal_direction,
       CASE
         WHEN s.value IS NULL THEN NULL
         WHEN NOT (d.flagged_up OR d.flagged_down) THEN 'common_cause'
         WHEN $improvement NOT IN ('up', 'down') THEN 'special_cause_neither'
         WHEN d.flagged_up AND d.flagged_down THEN 'special_cause_concern'
         WHEN (d.flagged_up AND $improvement = 'up') OR (d.flagged_down AND $improvement = 'down')
           THEN 'special_cause_improvement'
         ELSE 'special_cause_concern'
       END AS variation
FROM ranged s
LEFT JOIN segments g ON g.seg = s.seg
LEFT JOIN directed d ON d.idx = s.idx
ORDER BY s.idx;
