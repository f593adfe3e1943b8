-- Prevalence (METRICS.md §3). Every query runs over the temp table periods(period_from, period_to)
-- and returns one row per period, so one query gives a single quarter or a whole trend.

-- query: cp_open
-- shape: row
-- METRICS.md §3: "cp_open — children with a CP plan open at the as-at date. cp_open_neglect_initial,
-- cp_open_neglect_latest — of those, children whose open plan's initial / latest category is NEG.
-- Rates per 10k for all three."
-- METRICS.md §1: "Open at date d: start <= d AND (end IS NULL OR end > d). A plan that ended on d is
-- not open at d." "children" counts distinct children.
WITH counts AS (
  SELECT
    p.period_from, p.period_to,
    count(DISTINCT c.child_key)::INTEGER AS cp_open,
    count(DISTINCT c.child_key) FILTER (WHERE c.initial_category = 'NEG')::INTEGER AS cp_open_neglect_initial,
    count(DISTINCT c.child_key) FILTER (WHERE c.latest_category = 'NEG')::INTEGER AS cp_open_neglect_latest
  FROM periods p
  LEFT JOIN cp_plans c ON c.start_date <= p.period_to AND (c.end_date IS NULL OR c.end_date > p.period_to)
  GROUP BY p.period_from, p.period_to
)
SELECT
  period_from, period_to,
  cp_open,
  rate_per_10k(cp_open, children_0_17(period_to)) AS cp_open_rate_per_10k,
  cp_open_neglect_initial,
  rate_per_10k(cp_open_neglect_initial, children_0_17(period_to)) AS cp_open_neglect_initial_rate_per_10k,
  cp_open_neglect_latest,
  rate_per_10k(cp_open_neglect_latest, children_0_17(period_to)) AS cp_open_neglect_latest_rate_per_10k
FROM counts
ORDER BY period_to;
