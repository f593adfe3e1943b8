-- Case lists (officers only): the children behind a figure, for audit. Each list is built from the
-- same cohort or rule as its figure (cohorts.sql, repeat.sql), so the list and the count agree by
-- construction. Columns: surrogate key, LA child id (identity), age band at the as-at date, sex,
-- ethnicity group, the dates and the flags that put the child there. Run for one period.

-- query: cases_cp_open
-- shape: rows
-- The children counted in METRICS.md §3 cp_open at the as-at date, with the §3/§5 flags:
-- neglect by initial/latest category, days on plan and its §5 band, 18 months or more.
SELECT o.child_key, i.la_child_id,
       age_band_at(ch.birth_date, o.period_to) AS age_band, coalesce(ch.sex, 'unknown') AS sex,
       ethnicity_group(ch.ethnicity) AS ethnicity,
       o.earliest_open_start AS plan_start,
       (o.period_to - o.earliest_open_start)::INTEGER AS days_on_plan,
       duration_band(o.period_to - o.earliest_open_start) AS duration_band,
       o.neglect_initial, o.neglect_latest,
       (o.period_to - o.earliest_open_start) >= 547 AS open_18m_plus
FROM {{cp_open_children}} o
JOIN child_identity i USING (child_key)
LEFT JOIN children ch USING (child_key)
ORDER BY days_on_plan DESC, o.child_key;

-- query: cases_neglect_any_stage
-- shape: rows
-- The children counted in METRICS.md §3 neglect_any_stage_children, with their highest stage.
SELECT n.child_key, i.la_child_id,
       age_band_at(ch.birth_date, n.period_to) AS age_band, coalesce(ch.sex, 'unknown') AS sex,
       ethnicity_group(ch.ethnicity) AS ethnicity,
       n.highest_stage
FROM {{neglect_any_stage_children}} n
JOIN child_identity i USING (child_key)
LEFT JOIN children ch USING (child_key)
ORDER BY CASE n.highest_stage WHEN 'cp' THEN 1 WHEN 'cin' THEN 2 ELSE 3 END, n.child_key;

-- query: cases_cp_starts
-- shape: rows
-- The plans counted in METRICS.md §4 cp_starts, with the repeat flags of §4: second or subsequent
-- (DfE), within 2 years of the last plan ending (local measure), re-registered under neglect.
SELECT h.child_key, i.la_child_id,
       age_band_at(ch.birth_date, p.period_to) AS age_band, coalesce(ch.sex, 'unknown') AS sex,
       ethnicity_group(ch.ethnicity) AS ethnicity,
       h.start_date AS plan_start, h.end_date AS plan_end, h.initial_category, h.latest_category,
       (h.earlier_plans > 0 OR h.previous_plans > 0) AS second_or_subsequent,
       coalesce(h.start_date - h.previous_plan_end <= 730, false) AS within_2y_local,
       (h.initial_category = 'NEG' AND h.earlier_neglect_plan) AS repeat_neglect
FROM periods p
JOIN {{cp_plan_history}} h ON h.start_date BETWEEN p.period_from AND p.period_to
JOIN child_identity i ON i.child_key = h.child_key
LEFT JOIN children ch ON ch.child_key = h.child_key
ORDER BY h.start_date, h.child_key;

-- query: cases_cp_open_hidden_neglect
-- shape: rows
-- The children counted in METRICS.md §3 cp_open_hidden_neglect, with the plan and the 16A
-- assessment that make it hidden neglect.
-- (cohort: sql/metrics/cohorts.sql, shared with the figure)
SELECT DISTINCT ON (h.child_key) h.child_key, i.la_child_id,
       age_band_at(ch.birth_date, h.period_to) AS age_band, coalesce(ch.sex, 'unknown') AS sex,
       ethnicity_group(ch.ethnicity) AS ethnicity,
       h.plan_start, h.initial_category, h.latest_category, h.neglect_assessment_authorised
FROM {{cp_open_hidden_neglect_plans}} h
JOIN child_identity i ON i.child_key = h.child_key
LEFT JOIN children ch ON ch.child_key = h.child_key
ORDER BY h.child_key, h.neglect_assessment_authorised DESC;
