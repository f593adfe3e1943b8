-- query: quality_loads
-- shape: rows
-- Data quality (DATA.md "What a load must do"): every load, newest first — file, content hash,
-- format, reference date, who, when, rows read / accepted / rejected / merged, and why a failed
-- load failed.
SELECT load_id, file, left(content_hash, 12) AS content_hash, format, reference_date,
       strftime(loaded_at, '%Y-%m-%d %H:%M:%S') AS loaded_at, loaded_by, status,
       rows_read, rows_accepted, rows_rejected, rows_merged, message
FROM loads
ORDER BY load_id DESC
LIMIT $limit;

-- query: quality_reject_reasons
-- shape: rows
-- Rejected rows grouped by load, field and reason, most frequent first: what a performance officer
-- fixes at source. Row numbers inside a reason ("duplicate of row 12") are generalised to N so alike
-- reasons group together.
SELECT r.load_id, r.file, r.field, regexp_replace(r.reason, 'row [0-9][^ ]*( [^ ]+ [0-9]+[^ ]*)*', 'row N', 'g') AS reason,
       count(*)::INTEGER AS rows, min(r."row") AS first_row
FROM rejects r
GROUP BY ALL
ORDER BY r.load_id DESC, rows DESC, r.field
LIMIT $limit;

-- query: quality_rejects
-- shape: rows
-- Rejected rows one by one, with file, row (line or XML element path), field, value and reason.
-- A row that broke several rules is listed once per rule, by field, so the order (and where a limit
-- cuts the list) is the same every time.
SELECT r.load_id, r.file, r."row", r.field, r.value, r.reason
FROM rejects r
WHERE $load_id = 0 OR r.load_id = $load_id
ORDER BY r.load_id DESC, r.file, try_cast(r."row" AS INTEGER) NULLS LAST, r."row", r.field NULLS FIRST, r.reason
LIMIT $limit;

-- query: quality_flag_rules
-- shape: rows
-- Records loaded and flagged by a DfE CIN census rule (etl/validation/cinCensusRules.sql), by rule:
-- how many records and children each rule flags now. No child is named: counts only.
SELECT f.rule, any_value(f.message) AS message, any_value(f.fields) AS fields,
       count(*)::INTEGER AS records, count(DISTINCT f.child_key)::INTEGER AS children
FROM validation_flags f
GROUP BY f.rule
ORDER BY f.rule
LIMIT $limit;

-- query: quality_flags
-- shape: rows
-- Flagged records one by one, by child (officers: the LA child id, from child_identity), so the
-- case-management team can put each right at source.
SELECT i.la_child_id, f.rule, f.message, f.record_table, f.record_key, f.fields, f.load_id
FROM validation_flags f
LEFT JOIN child_identity i ON i.child_key = f.child_key
ORDER BY i.la_child_id, f.rule, f.record_table, f.record_key
LIMIT $limit;

-- query: quality_validation_report
-- shape: rows
-- The validation report an officer exports: every rejected row with a DfE rule code (file, row,
-- field, value) and every flagged record (the file whose load flagged it, LA child id, record), with
-- the rule and its message.
SELECT 'reject' AS kind, r.rule, r.reason AS message, r.load_id, r.file, r."row", r.field, r.value,
       NULL::VARCHAR AS la_child_id, NULL::VARCHAR AS record_table, NULL::INTEGER AS record_key
FROM rejects r
WHERE r.rule IS NOT NULL
UNION ALL
SELECT 'flag', f.rule, f.message, f.load_id, l.file, NULL, f.fields, NULL, i.la_child_id, f.record_table, f.record_key
FROM validation_flags f
LEFT JOIN loads l ON l.load_id = f.load_id
LEFT JOIN child_identity i ON i.child_key = f.child_key
ORDER BY kind, rule, load_id, la_child_id, file, "row"
LIMIT $limit;
