package dev.cairn.store.registry;

import static dev.cairn.store.registry.RegistryReader.DELETED_STAGE;

import dev.cairn.core.error.CairnException;
import dev.cairn.core.registry.ModelVersion;
import dev.cairn.core.registry.RegisteredModel;
import dev.cairn.core.tracking.Page;
import dev.cairn.store.search.Comparisons;
import dev.cairn.store.search.Filter;
import dev.cairn.store.search.FilterParser;
import dev.cairn.store.search.PageTokens;
import dev.cairn.store.search.SqlFragment;
import dev.cairn.store.sql.Database;
import dev.cairn.store.sql.Jdbc;
import dev.cairn.store.tracking.Validation;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** Searches of registered models and model versions, with MLflow's filters plus OR and parentheses. */
final class RegistrySearch {

    /** MLflow's limits: SEARCH_REGISTERED_MODEL_MAX_RESULTS_THRESHOLD and its model-version counterpart. */
    static final int MAX_MODELS = 1_000;
    static final int MAX_VERSIONS = 200_000;

    private final Database database;

    RegistrySearch(Database database) {
        this.database = database;
    }

    Page<RegisteredModel> models(String filter, List<String> orderBy, int maxResults, String pageToken) {
        Validation.maxResults(maxResults, MAX_MODELS);
        long offset = PageTokens.parseOffset(pageToken);
        SqlFragment where = SqlFragment.compile(FilterParser.parse(filter), c -> modelComparison(filter, c));
        List<Object> params = new ArrayList<>(where.params());
        params.add(maxResults + 1);
        params.add(offset);
        String sql = "SELECT " + RegistryReader.MODEL_COLUMNS + " FROM registered_models m WHERE " + where.sql()
                + " ORDER BY " + order(orderBy, true) + " LIMIT ? OFFSET ?";
        return database.read(connection -> {
            List<RegistryReader.ModelRow> rows = Jdbc.query(connection, sql, RegistryReader::modelRow, params);
            String next = null;
            if (rows.size() > maxResults) {
                rows = rows.subList(0, maxResults);
                next = PageTokens.offset(offset + maxResults);
            }
            return new Page<>(RegistryReader.models(connection, rows), next);
        });
    }

    Page<ModelVersion> versions(String filter, List<String> orderBy, int maxResults, String pageToken) {
        Validation.maxResults(maxResults, MAX_VERSIONS);
        long offset = PageTokens.parseOffset(pageToken);
        SqlFragment where = SqlFragment.compile(FilterParser.parse(filter), c -> versionComparison(filter, c));
        List<Object> params = new ArrayList<>(where.params());
        params.add(maxResults + 1);
        params.add(offset);
        String sql = "SELECT " + RegistryReader.VERSION_COLUMNS + " FROM model_versions v WHERE v.current_stage <> '" + DELETED_STAGE
                + "' AND " + where.sql() + " ORDER BY " + order(orderBy, false) + " LIMIT ? OFFSET ?";
        return database.read(connection -> {
            List<RegistryReader.VersionRow> rows = Jdbc.query(connection, sql, RegistryReader::versionRow, params);
            String next = null;
            if (rows.size() > maxResults) {
                rows = rows.subList(0, maxResults);
                next = PageTokens.offset(offset + maxResults);
            }
            return new Page<>(RegistryReader.versions(connection, rows), next);
        });
    }

    private SqlFragment modelComparison(String filter, Filter.Comparison c) {
        if (c.entity().equals("attribute") && c.key().equalsIgnoreCase("name")) {
            return Comparisons.string(filter, c, "m.name", database.dialect(), Comparisons.STRING);
        }
        if (c.entity().equals("tag")) {
            return tagExists(filter, c, "registered_model_tags t WHERE t.name = m.name");
        }
        throw Comparisons.error(filter, c, "registered models can be searched by name and tags.<key>, not " + c.identifierText());
    }

    private SqlFragment versionComparison(String filter, Filter.Comparison c) {
        if (c.entity().equals("tag")) {
            return tagExists(filter, c, "model_version_tags t WHERE t.name = v.name AND t.version = v.version");
        }
        if (!c.entity().equals("attribute")) {
            throw Comparisons.error(filter, c, "model versions can be searched by attributes and tags.<key>, not " + c.identifierText());
        }
        return switch (c.key().toLowerCase(Locale.ROOT)) {
            case "name" -> Comparisons.string(filter, c, "v.name", database.dialect(), Comparisons.STRING);
            case "run_id" -> Comparisons.string(filter, c, "v.run_id", database.dialect(), Comparisons.STRING);
            case "source_path", "source" -> Comparisons.string(filter, c, "v.source", database.dialect(), Comparisons.STRING);
            case "current_stage" -> Comparisons.string(filter, c, "v.current_stage", database.dialect(), Comparisons.STRING);
            case "user_id" -> Comparisons.string(filter, c, "v.user_id", database.dialect(), Comparisons.STRING);
            case "version", "version_number" -> versionNumber(filter, c);
            default -> throw Comparisons.error(filter, c, "invalid attribute key '" + c.key()
                    + "'; expected name, version_number, run_id, source_path, current_stage, user_id or tags.<key>");
        };
    }

    /** MLflow writes versions as numbers or quoted numbers ({@code version_number = '3'}); both work. */
    private static SqlFragment versionNumber(String filter, Filter.Comparison c) {
        if (c.value() instanceof String s && s.matches("\\d{1,18}")) {
            Filter.Comparison numeric = new Filter.Comparison(c.entity(), c.key(), c.comparator(), new java.math.BigDecimal(s),
                    c.identifierText(), c.position());
            return Comparisons.number(filter, numeric, "v.version", true);
        }
        if (c.value() instanceof List<?> list && (c.comparator().equals("IN") || c.comparator().equals("NOT IN"))) {
            List<Object> numbers = new ArrayList<>();
            for (Object item : list) {
                if (!(item instanceof String s) || !s.matches("\\d{1,18}")) {
                    throw Comparisons.error(filter, c, "expected version numbers in the list, found '" + item + "'");
                }
                numbers.add(Long.parseLong(s));
            }
            return new SqlFragment("v.version " + c.comparator() + " (" + Jdbc.placeholders(numbers.size()) + ")", numbers);
        }
        return Comparisons.number(filter, c, "v.version", true);
    }

    private SqlFragment tagExists(String filter, Filter.Comparison c, String fromWhere) {
        SqlFragment value = Comparisons.string(filter, c, "t.value", database.dialect(), Comparisons.STRING);
        List<Object> params = new ArrayList<>();
        params.add(c.key());
        params.addAll(value.params());
        return new SqlFragment("EXISTS (SELECT 1 FROM " + fromWhere + " AND t.key = ? AND " + value.sql() + ")", params);
    }

    private static String order(List<String> orderBy, boolean models) {
        List<String> items = new ArrayList<>();
        for (FilterParser.OrderKey key : FilterParser.parseOrderBy(orderBy)) {
            String prefix = models ? "m." : "v.";
            String column = switch (key.entity().equals("attribute") ? key.key().toLowerCase(Locale.ROOT) : "") {
                case "name" -> prefix + "name";
                case "timestamp", "creation_timestamp", "creation_time" -> prefix + "creation_time";
                case "last_updated_timestamp", "last_updated_time" -> prefix + "last_updated_time";
                case "version", "version_number" -> models ? null : "v.version";
                default -> null;
            };
            if (column == null) {
                throw CairnException.invalid("order_by", key.text(), models
                        ? "name, timestamp or last_updated_timestamp with ASC or DESC"
                        : "name, version_number, timestamp or last_updated_timestamp with ASC or DESC");
            }
            items.add(column + (key.ascending() ? " ASC" : " DESC"));
        }
        if (models) {
            items.add("m.name ASC");
        } else {
            items.add("v.name ASC");
            items.add("v.version DESC");
        }
        return String.join(", ", items);
    }
}
