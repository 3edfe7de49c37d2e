-- As MLflow: logging the very same point again (same run, key, step, timestamp and value, e.g. a
-- client retrying a batch whose first attempt did commit) stores it once.
DELETE FROM metrics a USING metrics b
    WHERE a.ctid > b.ctid AND a.run_uuid = b.run_uuid AND a.key = b.key AND a.step = b.step
      AND a.timestamp = b.timestamp AND a.value = b.value AND a.is_nan = b.is_nan;
DROP INDEX metrics_run_key_step;
CREATE UNIQUE INDEX metrics_point ON metrics (run_uuid, key, step, timestamp, value, is_nan);
