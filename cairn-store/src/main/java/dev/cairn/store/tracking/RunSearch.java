package dev.cairn.store.tracking;

import dev.cairn.core.error.CairnException;
import dev.cairn.core.tracking.Page;
import dev.cairn.core.tracking.Run;
import dev.cairn.core.tracking.RunInfo;
import dev.cairn.core.tracking.ViewType;
import dev.cairn.store.search.Comparisons;
import dev.cairn.store.search.Filter;
import dev.cairn.store.search.FilterParser;
import dev.cairn.store.search.PageTokens;
import dev.cairn.store.search.SqlFragment;
import dev.cairn.store.sql.Database;
import dev.cairn.store.sql.Dialect;
import dev.cairn.store.sql.Jdbc;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * searchRuns: MLflow's filter and order-by compiled to parameterised SQL over the runs of the
 * given experiments. Every comparison on metrics, params, tags and datasets is a semi-join (IN or
 * EXISTS) on an indexed table (latest metrics by (key, value, run), params and tags by (key,
 * value) and (run, key)), so AND, OR and parentheses compose without duplicating rows.
 */
final class RunSearch {

    private static final Set<String> STRING_ATTRIBUTES = Set.of("run_id", "run_name", "status", "user_id", "artifact_uri", "lifecycle_stage");
    private static final Set<String> NUMERIC_ATTRIBUTES = Set.of("start_time", "end_time");

    /** Matching rows up to which a condition counts as selective (see {@link #keyed}). */
    static final int SELECTIVE_ROWS = 2000;

    private final Database database;

    RunSearch(Database database) {
        this.database = database;
    }

    /** {@code metricKeys}: the latest metrics to read for each run (null: all of them). */
    Page<Run> search(List<String> experimentIds, String filter, ViewType viewType, List<String> orderBy, int maxResults,
                     String pageToken, List<String> metricKeys) {
        Validation.maxResults(maxResults, Validation.SEARCH_MAX_RESULTS_THRESHOLD);
        long offset = PageTokens.parseOffset(pageToken);
        List<Object> experiments = new ArrayList<>();
        for (String id : experimentIds == null ? List.<String>of() : experimentIds) {
            if (id == null || !id.matches("\\d{1,18}")) throw CairnException.invalid("experiment_ids", id, "decimal experiment ids");
            experiments.add(Long.parseLong(id));
        }
        if (experiments.isEmpty()) return new Page<>(List.of(), null);

        Filter parsed = FilterParser.parse(filter);
        List<FilterParser.OrderKey> keys = FilterParser.parseOrderBy(orderBy);
        boolean byMetric = !keys.isEmpty() && keys.get(0).entity().equals("metric");
        // When the first key is a metric, it is not a join: the query starts from that metric's rows (see byMetric below).
        Order order = orderClause(byMetric ? keys.subList(1, keys.size()) : keys);
        // Compiled once without the database to report filter errors before touching it.
        SqlFragment.compile(parsed, c -> comparison(filter, c, null));
        return database.read(connection -> {
            SqlFragment where;
            try {
                where = SqlFragment.compile(parsed, c -> comparison(filter, c, connection));
            } catch (ProbeFailure e) {
                throw e.failure;
            }
            List<Object> common = new ArrayList<>(experiments);
            common.addAll(where.params());
            String conditions = " r.experiment_id IN (" + Jdbc.placeholders(experiments.size()) + ") AND "
                    + JdbcExperimentStore.lifecycleCondition("r.lifecycle_stage", viewType) + " AND " + where.sql();
            int wanted = maxResults + 1;
            List<RunInfo> infos = byMetric
                    ? byMetric(connection, keys.get(0), order, conditions, common, wanted, offset)
                    : page(connection, "SELECT " + RunReader.INFO_COLUMNS + " FROM runs r" + order.joins().sql() + " WHERE" + conditions
                            + " ORDER BY " + order.items().sql(), concat(order.joins().params(), common), wanted, offset);
            String next = null;
            if (infos.size() > maxResults) {
                infos = infos.subList(0, maxResults);
                next = PageTokens.offset(offset + maxResults);
            }
            return new Page<>(RunReader.load(connection, infos, metricKeys), next);
        });
    }

    /**
     * Runs ordered by a metric: first the runs that have it, read in value order straight from the
     * (key, value) index so that a page stops early, then the runs without it (MLflow puts those
     * last in either direction). The offset runs over both parts in that order.
     */
    private List<RunInfo> byMetric(Connection connection, FilterParser.OrderKey key, Order rest, String conditions, List<Object> common,
                                   int wanted, long offset) throws SQLException {
        String restItems = rest.items().sql();
        String having = "SELECT " + RunReader.INFO_COLUMNS + " FROM latest_metrics s CROSS JOIN runs r" + rest.joins().sql()
                + " WHERE r.run_uuid = s.run_uuid AND s.key = ? AND s.is_nan = 0 AND" + conditions;
        List<Object> havingParams = concat(rest.joins().params(), concat(List.of(key.key()), common));
        List<RunInfo> found = new ArrayList<>(page(connection, having + " ORDER BY s.value" + (key.ascending() ? " ASC, " : " DESC, ")
                + restItems, havingParams, wanted, offset));
        if (found.size() >= wanted) return found;
        long missingOffset = 0;
        if (found.isEmpty() && offset > 0) {
            long total = Jdbc.queryOne(connection, "SELECT COUNT(*) FROM (" + having + ") counted", row -> row.getLong(1),
                    havingParams.toArray()).orElse(0L);
            missingOffset = Math.max(0, offset - total);
        }
        String missing = "SELECT " + RunReader.INFO_COLUMNS + " FROM runs r" + rest.joins().sql()
                + " WHERE NOT EXISTS (SELECT 1 FROM latest_metrics s WHERE s.run_uuid = r.run_uuid AND s.key = ? AND s.is_nan = 0) AND"
                + conditions + " ORDER BY " + restItems;
        found.addAll(page(connection, missing, concat(rest.joins().params(), concat(List.of(key.key()), common)),
                wanted - found.size(), missingOffset));
        return found;
    }

    private static List<RunInfo> page(Connection connection, String sql, List<Object> params, int limit, long offset) throws SQLException {
        return Jdbc.query(connection, sql + " LIMIT ? OFFSET ?", RunReader::info, concat(params, List.of(limit, offset)));
    }

    private static List<Object> concat(List<?> first, List<?> second) {
        List<Object> all = new ArrayList<>(first);
        all.addAll(second);
        return all;
    }

    /** Carries an SQLException out of the compiling lambda. */
    private static final class ProbeFailure extends RuntimeException {
        private final SQLException failure;

        ProbeFailure(SQLException failure) {
            super(failure);
            this.failure = failure;
        }
    }

    private SqlFragment comparison(String filter, Filter.Comparison c, Connection connection) {
        return switch (c.entity()) {
            case "metric" -> {
                SqlFragment value = Comparisons.number(filter, c, "x.value", false);
                // NaN is stored as 0 with is_nan set; it compares unequal to everything, as in IEEE 754.
                String nan = c.comparator().equals("!=") ? "(x.is_nan = 1 OR " + value.sql() + ")" : "x.is_nan = 0 AND " + value.sql();
                yield keyed(connection, "latest_metrics", nan, c.key(), value.params());
            }
            case "param", "tag" -> {
                SqlFragment value = Comparisons.string(filter, c, "x.value", database.dialect(), Comparisons.STRING);
                yield keyed(connection, c.entity().equals("param") ? "params" : "tags", value.sql(), c.key(), value.params());
            }
            case "dataset" -> dataset(filter, c);
            default -> attribute(filter, c);
        };
    }

    /**
     * A condition on the value of one key of a run's metrics, params or tags. Two equivalent
     * forms: {@code r.run_uuid IN (SELECT run_uuid … WHERE key = ? AND value …)} lets the database
     * start from the (key, value) index, best when few rows match; {@code EXISTS (… WHERE run_uuid =
     * r.run_uuid …)} lets it walk the experiment's runs in page order and stop at the page's end,
     * best when many match. PostgreSQL plans both as the same semi-join from its statistics;
     * SQLite takes the form as written, so there the number of matching rows is counted first
     * (stopping at {@link #SELECTIVE_ROWS}, one short index range scan).
     */
    private SqlFragment keyed(Connection connection, String table, String condition, String key, List<Object> values) {
        List<Object> params = new ArrayList<>();
        params.add(key);
        params.addAll(values);
        boolean selective = true;
        if (connection != null && database.dialect() == Dialect.SQLITE) {
            try {
                long matches = Jdbc.queryOne(connection, "SELECT COUNT(*) FROM (SELECT 1 FROM " + table + " x WHERE x.key = ? AND "
                        + condition + " LIMIT " + (SELECTIVE_ROWS + 1) + ")", row -> row.getLong(1), params.toArray()).orElse(0L);
                selective = matches <= SELECTIVE_ROWS;
            } catch (SQLException e) {
                throw new ProbeFailure(e);
            }
        }
        if (selective) {
            return new SqlFragment("r.run_uuid IN (SELECT x.run_uuid FROM " + table + " x WHERE x.key = ? AND " + condition + ")", params);
        }
        return new SqlFragment("EXISTS (SELECT 1 FROM " + table + " x WHERE x.run_uuid = r.run_uuid AND x.key = ? AND " + condition + ")", params);
    }

    private SqlFragment dataset(String filter, Filter.Comparison c) {
        String key = c.key().toLowerCase(Locale.ROOT);
        String from = "SELECT 1 FROM run_inputs ri JOIN datasets d ON d.dataset_uuid = ri.dataset_uuid WHERE ri.run_uuid = r.run_uuid AND ";
        return switch (key) {
            case "name", "digest" -> {
                SqlFragment value = Comparisons.string(filter, c, "d." + key, database.dialect(), Comparisons.STRING);
                yield new SqlFragment("EXISTS (" + from + value.sql() + ")", value.params());
            }
            case "context" -> {
                SqlFragment value = Comparisons.string(filter, c, "it.value", database.dialect(), Comparisons.STRING);
                List<Object> params = new ArrayList<>(value.params());
                yield new SqlFragment("EXISTS (SELECT 1 FROM run_input_tags it WHERE it.run_uuid = r.run_uuid"
                        + " AND it.key = 'mlflow.data.context' AND " + value.sql() + ")", params);
            }
            default -> throw Comparisons.error(filter, c, "invalid dataset key '" + c.key() + "'; expected name, digest or context");
        };
    }

    private SqlFragment attribute(String filter, Filter.Comparison c) {
        String key = attributeKey(c.key());
        if (NUMERIC_ATTRIBUTES.contains(key)) return Comparisons.number(filter, c, "r." + key, true);
        if (STRING_ATTRIBUTES.contains(key)) return Comparisons.string(filter, c, column(key), database.dialect(), Comparisons.STRING);
        throw Comparisons.error(filter, c, "invalid attribute key '" + c.key() + "'; expected one of "
                + "artifact_uri, created, end_time, lifecycle_stage, run_id, run_name, start_time, status, user_id");
    }

    /** MLflow's aliases: created is start_time, "run name" is run_name, run_uuid is run_id. */
    private static String attributeKey(String key) {
        return switch (key) {
            case "created", "Created" -> "start_time";
            case "run name", "Run name", "Run Name", "runName" -> "run_name";
            case "run_uuid" -> "run_id";
            default -> key.toLowerCase(Locale.ROOT);
        };
    }

    private static String column(String attribute) {
        return switch (attribute) {
            case "run_id" -> "r.run_uuid";
            case "run_name" -> "r.name";
            default -> "r." + attribute;
        };
    }

    /** The joins that order-by keys on metrics, params and tags need, and the ORDER BY items. */
    record Order(SqlFragment joins, SqlFragment items) {}

    /**
     * MLflow's order: the keys asked for (runs without the key last, either way), then start_time
     * DESC and run id, so that paging is stable. Keys on metrics, params and tags are LEFT JOINs
     * on their (run, key) primary keys.
     */
    private Order orderClause(List<FilterParser.OrderKey> keys) {
        List<String> items = new ArrayList<>();
        StringBuilder joins = new StringBuilder();
        List<Object> joinParams = new ArrayList<>();
        String startTimeDirection = null;
        int alias = 0;
        for (FilterParser.OrderKey key : keys) {
            String clause = key.text();
            String direction = key.ascending() ? " ASC" : " DESC";
            String joined = "o" + alias++;
            switch (key.entity()) {
                case "metric" -> {
                    joins.append(" LEFT JOIN latest_metrics ").append(joined).append(" ON ").append(joined)
                            .append(".run_uuid = r.run_uuid AND ").append(joined).append(".key = ?");
                    joinParams.add(key.key());
                    items.add("CASE WHEN " + joined + ".value IS NULL OR " + joined + ".is_nan = 1 THEN 1 ELSE 0 END");
                    items.add(joined + ".value" + direction);
                }
                case "param", "tag" -> {
                    joins.append(" LEFT JOIN ").append(key.entity().equals("param") ? "params " : "tags ").append(joined).append(" ON ")
                            .append(joined).append(".run_uuid = r.run_uuid AND ").append(joined).append(".key = ?");
                    joinParams.add(key.key());
                    items.add("CASE WHEN " + joined + ".value IS NULL THEN 1 ELSE 0 END");
                    items.add(joined + ".value" + direction);
                }
                case "attribute" -> {
                    String attribute = attributeKey(key.key());
                    if (!NUMERIC_ATTRIBUTES.contains(attribute) && !STRING_ATTRIBUTES.contains(attribute)) {
                        throw CairnException.invalid("order_by", clause, "metrics.<key>, params.<key>, tags.<key> or an attribute"
                                + " (start_time, end_time, run_name, run_id, status, user_id, artifact_uri) with ASC or DESC");
                    }
                    if (attribute.equals("start_time")) startTimeDirection = direction;
                    items.add(column(attribute) + direction);
                }
                default -> throw CairnException.invalid("order_by", clause, "metrics.<key>, params.<key>, tags.<key> or an attribute");
            }
        }
        if (startTimeDirection == null) {
            startTimeDirection = " DESC";
            items.add("r.start_time DESC");
        }
        // The tie-breaker runs the same way as start_time so that SQLite can walk the
        // (experiment_id, start_time, run_uuid) index backwards and stop at the page's end.
        items.add("r.run_uuid" + startTimeDirection);
        return new Order(new SqlFragment(joins.toString(), joinParams), SqlFragment.of(String.join(", ", items)));
    }
}
