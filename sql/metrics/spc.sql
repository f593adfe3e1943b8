-- Statistical process control over one series (docs: research/tech-anchors.md §5.1, NHS England
-- "Making Data Count"). The series is not a warehouse table: server/metrics/spc.ts writes it into
-- the temp table spc_series(idx, period_to, value) on the caller's connection, then runs this query.

-- query: spc_xmr
-- shape: rows
-- SPC on spc_series (tech-anchors §5.1): an XmR chart when the series has 15 or more points, else a
-- run chart. XmR: centre = mean; MR = |x_i - x_(i-1)|; process limits mean ± 2.66·MR̄; 1σ and 2σ
-- lines mean ± 0.887·MR̄ and ± 1.773·MR̄. Run chart: centre = median, no limits.
-- Special-cause rules ("Making Data Count"): a point outside the process limits; a shift, 7 or more
-- consecutive points on one side of the centre line (a point on the line breaks the run); a trend,
-- 6 or more consecutive points each higher (or each lower) than the one before (a repeated value
-- breaks it, as in the NHS England SPC SQL and NHSRplotthedots); two of three consecutive points
-- beyond 2σ on the same side of the mean. Every point of a qualifying run, trend or window is
-- flagged. A run chart uses only the shift and trend rules, on the median.
-- A null value is a gap: the period is left out of every calculation (mean, median, moving ranges,
-- runs, windows), so the moving range after a gap spans it and a run continues across it.
-- A signal's direction is that of its strongest rule, in the NHS order trend > shift > two of three
-- > single point: a trend's direction, otherwise the point's side of the centre line; $improvement
-- ('up', 'down' or 'neither') turns it into a variation class.
WITH points AS (
  -- k numbers the non-null points, so "consecutive" means consecutive among real values.
  SELECT idx, value, row_number() OVER (ORDER BY idx) AS k
  FROM spc_series
  WHERE value IS NOT NULL
),
ranged AS (
  SELECT *, abs(value - lag(value) OVER (ORDER BY k)) AS moving_range,
         sign(value - lag(value) OVER (ORDER BY k)) AS step
  FROM points
),
summary AS (
  SELECT count(*) AS n_points,
         CASE WHEN count(*) >= 15 THEN 'xmr' ELSE 'run' END AS chart,
         avg(value) AS mean,
         median(value) AS median,
         avg(moving_range) AS mr_bar
  FROM ranged
),
lined AS (
  SELECT r.*, s.chart, s.n_points,
         CASE WHEN s.chart = 'xmr' THEN s.mean ELSE s.median END AS centre,
         CASE WHEN s.chart = 'xmr' THEN s.mr_bar END AS mr_bar
  FROM ranged r CROSS JOIN summary s
),
limited AS (
  SELECT *,
         centre + 2.66 * mr_bar AS upl,
         centre - 2.66 * mr_bar AS lpl,
         centre + 1.773 * mr_bar AS upper_2s,
         centre - 1.773 * mr_bar AS lower_2s,
         centre + 0.887 * mr_bar AS upper_1s,
         centre - 0.887 * mr_bar AS lower_1s,
         sign(value - centre) AS side
  FROM lined
),
marked AS (
  -- Window functions cannot nest in DuckDB, so each run/segment id is built one CTE at a time.
  SELECT *,
         coalesce(value > upl OR value < lpl, false) AS outside_limits,
         coalesce(value > upper_2s, false)::INTEGER AS beyond_2s_up,
         coalesce(value < lower_2s, false)::INTEGER AS beyond_2s_down,
         (side = 0 OR side IS DISTINCT FROM lag(side) OVER (ORDER BY k))::INTEGER AS new_run,
         (step IS NULL OR step = 0 OR step IS DISTINCT FROM lag(step) OVER (ORDER BY k))::INTEGER AS new_segment
  FROM limited
),
grouped AS (
  SELECT *,
         sum(new_run) OVER (ORDER BY k) AS run_id,
         sum(new_segment) OVER (ORDER BY k) AS segment_id,
         sum(beyond_2s_up) OVER three_from_here AS window_up,
         sum(beyond_2s_down) OVER three_from_here AS window_down
  FROM marked
  WINDOW three_from_here AS (ORDER BY k ROWS BETWEEN CURRENT ROW AND 2 FOLLOWING)
),
measured AS (
  -- segment_steps: how many equal-signed steps end at this point's segment; a trend of 6 points is
  -- 5 such steps plus the point the first step left from.
  SELECT *,
         count(*) OVER (PARTITION BY run_id) AS run_length,
         CASE WHEN step <> 0 THEN count(*) OVER (PARTITION BY segment_id) ELSE 0 END AS segment_steps
  FROM grouped
),
windowed AS (
  SELECT *,
         lead(segment_steps) OVER (ORDER BY k) AS next_segment_steps,
         lead(step) OVER (ORDER BY k) AS next_step,
         lead(new_segment) OVER (ORDER BY k) AS next_new_segment,
         greatest(window_up, coalesce(lag(window_up, 1) OVER (ORDER BY k), 0), coalesce(lag(window_up, 2) OVER (ORDER BY k), 0)) AS best_window_up,
         greatest(window_down, coalesce(lag(window_down, 1) OVER (ORDER BY k), 0), coalesce(lag(window_down, 2) OVER (ORDER BY k), 0)) AS best_window_down
  FROM measured
),
ruled AS (
  SELECT *,
         side <> 0 AND run_length >= 7 AS shift,
         -- A point is in a trend if it ends a qualifying step, or if the next point's step opens one.
         CASE WHEN step <> 0 AND segment_steps >= 5 THEN step
              WHEN next_new_segment = 1 AND next_step <> 0 AND next_segment_steps >= 5 THEN next_step
         END AS trend_direction,
         chart = 'xmr' AND ((beyond_2s_up = 1 AND best_window_up >= 2) OR (beyond_2s_down = 1 AND best_window_down >= 2)) AS two_of_three
  FROM windowed
),
directed AS (
  SELECT *,
         CASE WHEN trend_direction IS NOT NULL THEN trend_direction
              WHEN shift OR two_of_three OR outside_limits THEN side
         END AS signal_direction
  FROM ruled
)
SELECT s.idx,
       s.period_to,
       s.value,
       summary.chart,
       summary.n_points::INTEGER AS n_points,
       CASE WHEN summary.chart = 'xmr' THEN summary.mean ELSE summary.median END AS centre,
       summary.mean,
       summary.median,
       d.moving_range,
       CASE WHEN summary.chart = 'xmr' THEN summary.mr_bar END AS mr_bar,
       CASE WHEN summary.chart = 'xmr' THEN summary.mean + 2.66 * summary.mr_bar END AS upl,
       CASE WHEN summary.chart = 'xmr' THEN summary.mean - 2.66 * summary.mr_bar END AS lpl,
       CASE WHEN summary.chart = 'xmr' THEN summary.mean + 1.773 * summary.mr_bar END AS upper_2s,
       CASE WHEN summary.chart = 'xmr' THEN summary.mean - 1.773 * summary.mr_bar END AS lower_2s,
       CASE WHEN summary.chart = 'xmr' THEN summary.mean + 0.887 * summary.mr_bar END AS upper_1s,
       CASE WHEN summary.chart = 'xmr' THEN summary.mean - 0.887 * summary.mr_bar END AS lower_1s,
       d.outside_limits,
       d.shift,
       d.trend_direction IS NOT NULL AS trend,
       d.two_of_three,
       d.side::INTEGER AS side,
       d.trend_direction::INTEGER AS trend_direction,
       d.signal_direction::INTEGER AS signal_direction,
       CASE
         WHEN s.value IS NULL THEN NULL
         WHEN d.signal_direction IS NULL OR d.signal_direction = 0 THEN 'common_cause'
         WHEN $improvement = 'up' AND d.signal_direction > 0 THEN 'special_cause_improvement'
         WHEN $improvement = 'up' THEN 'special_cause_concern'
         WHEN $improvement = 'down' AND d.signal_direction < 0 THEN 'special_cause_improvement'
         WHEN $improvement = 'down' THEN 'special_cause_concern'
         ELSE 'special_cause_neither'
       END AS variation
FROM spc_series s
CROSS JOIN summary
LEFT JOIN directed d ON d.idx = s.idx
ORDER BY s.idx;
