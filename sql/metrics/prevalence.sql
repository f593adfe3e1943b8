-- query: cp_open
-- shape: row
-- METRICS.md §3: "cp_open — children with a CP plan open at the as-at date. cp_open_neglect_initial,
-- cp_open_neglect_latest — of those, children whose open plan's initial / latest category is NEG.
-- Rates per 10k for all three."
-- METRICS.md §1: "Open at date d: start <= d AND (end IS NULL OR end > d). A plan that ended on d is
-- not open at d." "children" counts distinct children.
WITH open_plans AS (
  SELECT child_key, initial_category, latest_category
  FROM cp_plans
  WHERE start_date <= $to::DATE AND (end_date IS NULL OR end_date > $to::DATE)
),
counts AS (
  SELECT
    count(DISTINCT child_key)::INTEGER AS cp_open,
    count(DISTINCT child_key) FILTER (WHERE initial_category = 'NEG')::INTEGER AS cp_open_neglect_initial,
    count(DISTINCT child_key) FILTER (WHERE latest_category = 'NEG')::INTEGER AS cp_open_neglect_latest
  FROM open_plans
)
SELECT
  cp_open,
  rate_per_10k(cp_open, children_0_17($to::DATE)) AS cp_open_rate_per_10k,
  cp_open_neglect_initial,
  rate_per_10k(cp_open_neglect_initial, children_0_17($to::DATE)) AS cp_open_neglect_initial_rate_per_10k,
  cp_open_neglect_latest,
  rate_per_10k(cp_open_neglect_latest, children_0_17($to::DATE)) AS cp_open_neglect_latest_rate_per_10k
FROM counts;
