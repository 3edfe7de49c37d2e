package dev.cairn.core.tracking;

import dev.cairn.core.error.CairnException;
import dev.cairn.core.error.ErrorCode;
import java.util.Map;

/**
 * MLflow's limits on one batch of logged data (mlflow/utils/validation.py), with its wording: the
 * store checks them on every write, and the MLflow-compatible API on the raw request before it
 * parses the items, as MLflow does.
 */
public final class BatchLimits {
    public static final int MAX_METRICS = 1000;
    public static final int MAX_PARAMS = 100;
    public static final int MAX_TAGS = 100;
    public static final int MAX_ENTITIES = 1000;

    private BatchLimits() {}

    /** Refuses a batch with more items of any kind, or in all, than MLflow allows. */
    public static void check(int metrics, int params, int tags) {
        check("metrics", MAX_METRICS, metrics);
        check("params", MAX_PARAMS, params);
        check("tags", MAX_TAGS, tags);
        check("metrics, params, and tags", MAX_ENTITIES, metrics + params + tags);
    }

    private static void check(String entities, int limit, int count) {
        if (count > limit) {
            throw new CairnException(ErrorCode.INVALID_PARAMETER_VALUE,
                    "A batch logging request can contain at most " + limit + " " + entities + ". Got " + count + " "
                            + entities + ". Please split up " + entities + " across multiple requests and try again.",
                    Map.of("field", entities, "value", count, "expected", "at most " + limit + " " + entities, "limit", limit));
        }
    }
}
