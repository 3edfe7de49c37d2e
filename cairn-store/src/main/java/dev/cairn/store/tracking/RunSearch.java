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
import dev.cairn.store.sql.Jdbc;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * searchRuns: MLflow's filter and order-by compiled to one parameterised query over the runs of
 * the given experiments. Every comparison on metrics, params, tags and datasets is an EXISTS over
 * an indexed table (latest metrics by (key, value, run), params and tags by (run, key)), so AND,
 * OR and parentheses compose without duplicating rows.
 */
final class RunSearch {

    private static final Set<String> STRING_ATTRIBUTES = Set.of("run_id", "run_name", "status", "user_id", "artifact_uri", "lifecycle_stage");
    private static final Set<String> NUMERIC_ATTRIBUTES = Set.of("start_time", "end_time");

    private final Database database;

    RunSearch(Database database) {
        this.database = database;
    }

    Page<Run> search(List<String> experimentIds, String filter, ViewType viewType, List<String> orderBy, int maxResults,
                     String pageToken) {
        Validation.maxResults(maxResults, Validation.SEARCH_MAX_RESULTS_THRESHOLD);
        long offset = PageTokens.parseOffset(pageToken);
        List<Object> experiments = new ArrayList<>();
        for (String id : experimentIds == null ? List.<String>of() : experimentIds) {
            if (id == null || !id.matches("\\d{1,18}")) throw CairnException.invalid("experiment_ids", id, "decimal experiment ids");
            experiments.add(Long.parseLong(id));
        }
        if (experiments.isEmpty()) return new Page<>(List.of(), null);

        Filter parsed = FilterParser.parse(filter);
        SqlFragment where = SqlFragment.compile(parsed, c -> comparison(filter, c));
        SqlFragment order = orderClause(orderBy);

        List<Object> params = new ArrayList<>(experiments);
        params.addAll(where.params());
        params.addAll(order.params());
        params.add(maxResults + 1);
        params.add(offset);
        String sql = "SELECT " + RunReader.INFO_COLUMNS + " FROM runs r WHERE r.experiment_id IN (" + Jdbc.placeholders(experiments.size())
                + ") AND " + JdbcExperimentStore.lifecycleCondition("r.lifecycle_stage", viewType)
                + " AND " + where.sql() + " ORDER BY " + order.sql() + " LIMIT ? OFFSET ?";
        return database.read(connection -> {
            List<RunInfo> infos = Jdbc.query(connection, sql, RunReader::info, params);
            String next = null;
            if (infos.size() > maxResults) {
                infos = infos.subList(0, maxResults);
                next = PageTokens.offset(offset + maxResults);
            }
            return new Page<>(RunReader.load(connection, infos), next);
        });
    }

    private SqlFragment comparison(String filter, Filter.Comparison c) {
        return switch (c.entity()) {
            case "metric" -> {
                SqlFragment value = Comparisons.number(filter, c, "m.value", false);
                // NaN is stored as 0 with is_nan set; it compares unequal to everything, as in IEEE 754.
                String nan = c.comparator().equals("!=") ? "(m.is_nan = 1 OR " + value.sql() + ")" : "m.is_nan = 0 AND " + value.sql();
                yield keyed("SELECT 1 FROM latest_metrics m WHERE m.run_uuid = r.run_uuid AND m.key = ? AND " + nan, c.key(), value);
            }
            case "param" -> keyedValue("SELECT 1 FROM params p WHERE p.run_uuid = r.run_uuid AND p.key = ? AND ",
                    c.key(), Comparisons.string(filter, c, "p.value", database.dialect(), Comparisons.STRING));
            case "tag" -> keyedValue("SELECT 1 FROM tags t WHERE t.run_uuid = r.run_uuid AND t.key = ? AND ",
                    c.key(), Comparisons.string(filter, c, "t.value", database.dialect(), Comparisons.STRING));
            case "dataset" -> dataset(filter, c);
            default -> attribute(filter, c);
        };
    }

    private static SqlFragment keyed(String subquery, String key, SqlFragment condition) {
        List<Object> params = new ArrayList<>();
        params.add(key);
        params.addAll(condition.params());
        return new SqlFragment("EXISTS (" + subquery + ")", params);
    }

    /** EXISTS over {@code subqueryPrefix} followed by the condition on the value. */
    private static SqlFragment keyedValue(String subqueryPrefix, String key, SqlFragment condition) {
        return keyed(subqueryPrefix + condition.sql(), key, condition);
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

    /** MLflow's order: the keys asked for, then start_time DESC and run_id, so that paging is stable. */
    private SqlFragment orderClause(List<String> orderBy) {
        List<String> items = new ArrayList<>();
        List<Object> params = new ArrayList<>();
        boolean hasStartTime = false;
        for (String clause : orderBy == null ? List.<String>of() : orderBy) {
            FilterParser.OrderKey key = FilterParser.parseOrderBy(clause);
            String direction = key.ascending() ? " ASC" : " DESC";
            String expression;
            switch (key.entity()) {
                case "metric" -> {
                    expression = "(SELECT CASE WHEN m.is_nan = 1 THEN NULL ELSE m.value END FROM latest_metrics m"
                            + " WHERE m.run_uuid = r.run_uuid AND m.key = ?)";
                    params.add(key.key());
                }
                case "param" -> {
                    expression = "(SELECT p.value FROM params p WHERE p.run_uuid = r.run_uuid AND p.key = ?)";
                    params.add(key.key());
                }
                case "tag" -> {
                    expression = "(SELECT t.value FROM tags t WHERE t.run_uuid = r.run_uuid AND t.key = ?)";
                    params.add(key.key());
                }
                case "attribute" -> {
                    String attribute = attributeKey(key.key());
                    if (!NUMERIC_ATTRIBUTES.contains(attribute) && !STRING_ATTRIBUTES.contains(attribute)) {
                        throw CairnException.invalid("order_by", clause, "metrics.<key>, params.<key>, tags.<key> or an attribute"
                                + " (start_time, end_time, run_name, run_id, status, user_id, artifact_uri) with ASC or DESC");
                    }
                    hasStartTime |= attribute.equals("start_time");
                    expression = column(attribute);
                }
                default -> throw CairnException.invalid("order_by", clause, "metrics.<key>, params.<key>, tags.<key> or an attribute");
            }
            if (key.entity().equals("attribute")) {
                items.add(expression + direction);
            } else {
                // Runs without the key come last either way, as in MLflow. The expression is repeated,
                // so its key parameter is bound twice.
                items.add("CASE WHEN " + expression + " IS NULL THEN 1 ELSE 0 END");
                items.add(expression + direction);
                params.add(params.get(params.size() - 1));
            }
        }
        if (!hasStartTime) items.add("r.start_time DESC");
        items.add("r.run_uuid ASC");
        return new SqlFragment(String.join(", ", items), params);
    }
}
