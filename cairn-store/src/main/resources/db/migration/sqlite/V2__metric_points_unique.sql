-- As MLflow: logging the very same point again (same run, key, step, timestamp and value, e.g. a
-- client retrying a batch whose first attempt did commit) stores it once.
DELETE FROM metrics WHERE rowid NOT IN (
    SELECT MIN(rowid) FROM metrics GROUP BY run_uuid, key, step, timestamp, value, is_nan);
DROP INDEX metrics_run_key_step;
CREATE UNIQUE INDEX metrics_point ON metrics (run_uuid, key, step, timestamp, value, is_nan);
