-- query: cp_open_by_initial_category
-- shape: rows
-- METRICS.md §3 `cp_open` ("children with a CP plan open at the as-at date") taken at every quarter
-- end (31 Mar, 30 Jun, 30 Sep, 31 Dec) from $from to $to, split by the open plan's initial category
-- (§2: "MUL (multiple) is reported as its own category and is never counted as neglect").
-- One query over a calendar of quarter ends, not one query per quarter.
WITH quarter_ends AS (
  SELECT (quarter_start + INTERVAL 3 MONTH - INTERVAL 1 DAY)::DATE AS quarter_end
  FROM generate_series(date_trunc('quarter', $from::DATE), $to::DATE, INTERVAL 3 MONTH) AS g(quarter_start)
),
calendar AS (
  SELECT quarter_end FROM quarter_ends WHERE quarter_end BETWEEN $from::DATE AND $to::DATE
),
categories AS (
  SELECT * FROM (VALUES ('NEG', 1), ('PHY', 2), ('EMO', 3), ('SAB', 4), ('MUL', 5)) AS c(category, sort_order)
),
open_children AS (
  SELECT q.quarter_end, p.initial_category AS category, count(DISTINCT p.child_key)::INTEGER AS children
  FROM calendar q
  JOIN cp_plans p ON p.start_date <= q.quarter_end AND (p.end_date IS NULL OR p.end_date > q.quarter_end)
  GROUP BY ALL
)
SELECT q.quarter_end, c.category, coalesce(o.children, 0)::INTEGER AS children
FROM calendar q
CROSS JOIN categories c
LEFT JOIN open_children o ON o.quarter_end = q.quarter_end AND o.category = c.category
ORDER BY q.quarter_end, c.sort_order;
