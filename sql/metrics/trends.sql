-- Series over calendars of periods. Any `shape: row` figure is already a series when run over
-- many periods (see server/metrics/calendar.ts); these are the series with more than one row per
-- period.

-- query: cp_open_by_initial_category
-- shape: rows
-- METRICS.md §3 `cp_open` ("children with a CP plan open at the as-at date") at the as-at date of
-- every period, split by the open plan's initial category (§2: "MUL (multiple) is reported as its
-- own category and is never counted as neglect").
-- Each row names its period (period_from, period_to) as well as the quarter end it is read at, so
-- each period's rows are kept once computed (metrics/periodResults.ts) like any figure's.
WITH categories AS (
  SELECT * FROM (VALUES ('NEG', 1), ('PHY', 2), ('EMO', 3), ('SAB', 4), ('MUL', 5)) AS c(category, sort_order)
),
open_children AS (
  SELECT p.period_to, c.initial_category AS category, count(DISTINCT c.child_key)::INTEGER AS children
  FROM periods p
  JOIN cp_plans c ON open_at(c.start_date, c.end_date, p.period_to)
  GROUP BY ALL
)
SELECT p.period_from, p.period_to, p.period_to AS quarter_end, k.category,
       coalesce(o.children, 0)::INTEGER AS children
FROM periods p
CROSS JOIN categories k
LEFT JOIN open_children o ON o.period_to = p.period_to AND o.category = k.category
ORDER BY p.period_to, p.period_from, k.sort_order;
