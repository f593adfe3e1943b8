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
SELECT r.load_id, r.file, r."row", r.field, r.value, r.reason
FROM rejects r
WHERE $load_id = 0 OR r.load_id = $load_id
ORDER BY r.load_id DESC, r.file, try_cast(r."row" AS INTEGER) NULLS LAST, r."row"
LIMIT $limit;
