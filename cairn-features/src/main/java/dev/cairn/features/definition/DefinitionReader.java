package dev.cairn.features.definition;

import dev.cairn.core.error.CairnException;
import dev.cairn.core.features.FeatureKind;
import dev.cairn.data.source.FileFormat;
import dev.cairn.data.yaml.NodeReader;
import dev.cairn.data.yaml.YamlNode;
import dev.cairn.data.yaml.YamlProblems;
import dev.cairn.data.yaml.YamlReader;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Reads feature definitions from YAML: a definition file (sections {@code entities}, {@code sources},
 * {@code feature_views}, {@code feature_services}, each a list) or one stored definition's canonical JSON. Every
 * problem is added to the {@link YamlProblems} with its line and path ({@code feature_views.spend.features.total.window})
 * rather than thrown, so that one reading reports them all. Names used by a definition (a view's entities and source,
 * a service's views and features) are collected as {@link Use}s, to be checked once every file has been read
 * ({@link DefinitionCheck}).
 */
public final class DefinitionReader extends NodeReader {
    public static final List<String> SECTIONS = List.of("entities", "sources", "feature_views", "feature_services");
    static final List<String> ENTITY_KEYS = List.of("name", "description", "join_keys");
    static final List<String> FILE_KEYS = List.of("path", "format", "delimiter");
    static final List<String> JDBC_KEYS = List.of("jdbc", "table", "query", "user", "password_env");
    static final List<String> SOURCE_KEYS = List.of("name", "description", "path", "format", "delimiter", "jdbc", "table",
            "query", "user", "password_env", "event_timestamp", "created_timestamp");
    static final List<String> VIEW_KEYS = List.of("name", "description", "entities", "source", "ttl", "features");
    static final List<String> FEATURE_KEYS = List.of("name", "column", "sql", "aggregation", "window");
    static final List<String> SERVICE_KEYS = List.of("name", "description", "features");

    /** Names of definitions: they key online stores and name files. */
    public static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_.\\-]{0,127}");
    static final String NAME_RULE = "letters, digits, '_', '.' and '-', starting with a letter or digit, at most 128 characters";
    /** Names of features: they are the columns of training sets. */
    public static final Pattern FEATURE_NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_]{0,63}");
    static final String FEATURE_NAME_RULE = "letters, digits and '_', not starting with a digit, at most 64 characters";
    private static final Pattern ENVIRONMENT_VARIABLE = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");
    private static final YamlReader.Document DOCUMENT = new YamlReader.Document("definition file",
            "a mapping with " + String.join(", ", SECTIONS));

    /** Where a definition or a name it uses is written. */
    public record Site(String file, int line, int column, String path) {}

    /** A definition as read, with where it is written. */
    public record Located(Definition definition, Site site) {}

    /**
     * A name a definition uses: an entity or source (by a view), a feature view and optionally one of its features
     * (by a service). {@code user} is the using definition's name.
     */
    public record Use(FeatureKind kind, String name, String feature, String user, Site site) {}

    /**
     * How the places a source names are resolved when a file is applied: a relative path against the definition
     * file's directory, checked against what may be read. Each method returns the resolved text or throws a
     * {@link CairnException} whose message becomes the problem.
     */
    public interface Places {
        String file(String written);

        String jdbc(String written);

        /** Places kept as written: for stored definitions, resolved when they were applied. */
        Places AS_WRITTEN = new Places() {
            @Override
            public String file(String written) {
                return written;
            }

            @Override
            public String jdbc(String written) {
                return written;
            }
        };
    }

    private final String file;
    private final Places places;
    private final List<Located> definitions = new ArrayList<>();
    private final List<Use> uses = new ArrayList<>();

    private DefinitionReader(String file, YamlProblems problems, Places places) {
        super(problems);
        this.file = file;
        this.places = places;
    }

    /** What one file declares, and the names it uses. */
    public record Result(List<Located> definitions, List<Use> uses) {}

    /** Reads a definition file; {@code file} names it in problems. */
    public static Result readFile(String text, String file, YamlProblems problems, Places places) {
        DefinitionReader reader = new DefinitionReader(file, problems, places);
        YamlNode root = YamlReader.read(text, problems, DOCUMENT);
        if (root != null) reader.file(root);
        return new Result(List.copyOf(reader.definitions), List.copyOf(reader.uses));
    }

    /** Reads one definition of a known kind (a stored body); null when it has problems (they are added). */
    public static Definition readOne(FeatureKind kind, String text, String source, YamlProblems problems) {
        DefinitionReader reader = new DefinitionReader(source, problems, Places.AS_WRITTEN);
        YamlNode root = YamlReader.read(text, problems, new YamlReader.Document("definition", "a mapping"));
        if (root == null) return null;
        String section = switch (kind) {
            case ENTITY -> "entities";
            case SOURCE -> "sources";
            case FEATURE_VIEW -> "feature_views";
            case FEATURE_SERVICE -> "feature_services";
        };
        reader.definition(section, root, "");
        return problems.isEmpty() && reader.definitions.size() == 1 ? reader.definitions.getFirst().definition() : null;
    }

    private void file(YamlNode root) {
        if (!(root instanceof YamlNode.Mapping top)) {
            problems.add(root, "", "expected a mapping with " + String.join(", ", SECTIONS) + ", found " + root.describe());
            return;
        }
        unknownKeys(top, "", SECTIONS, " in a definition file");
        if (SECTIONS.stream().noneMatch(s -> top.entry(s) != null)) {
            problems.add(top, "", "a definition file declares at least one of " + String.join(", ", SECTIONS));
        }
        for (String section : SECTIONS) {
            YamlNode.Entry entry = top.entry(section);
            if (entry == null || absent(entry.value())) continue;
            if (!(entry.value() instanceof YamlNode.Sequence list)) {
                problems.add(entry.value(), section, "expected a list of " + section.replace('_', ' ') + " (- name: ...), found "
                        + entry.value().describe());
                continue;
            }
            for (int i = 0; i < list.items().size(); i++) definition(section, list.items().get(i), section + "[" + i + "]");
        }
    }

    private void definition(String section, YamlNode node, String indexPath) {
        if (!(node instanceof YamlNode.Mapping m)) {
            problems.add(node, indexPath, "expected a mapping with name and the keys of " + kindOf(section).label() + "s, found "
                    + node.describe());
            return;
        }
        String name = name(m, indexPath, kindOf(section));
        // Named once the name is known (feature_views.spend.ttl), by index before; a stored definition's paths start at its keys.
        String path = name == null || indexPath.isEmpty() ? indexPath : section + "." + name;
        String description = optionalText(m.get("description"), join(path, "description"));
        Definition definition = switch (section) {
            case "entities" -> entity(m, path, name, description);
            case "sources" -> source(m, path, name, description);
            case "feature_views" -> view(m, path, name, description);
            default -> service(m, path, name, description);
        };
        if (definition != null) definitions.add(new Located(definition, site(m, path)));
    }

    private static FeatureKind kindOf(String section) {
        return switch (section) {
            case "entities" -> FeatureKind.ENTITY;
            case "sources" -> FeatureKind.SOURCE;
            case "feature_views" -> FeatureKind.FEATURE_VIEW;
            default -> FeatureKind.FEATURE_SERVICE;
        };
    }

    private Entity entity(YamlNode.Mapping m, String path, String name, String description) {
        unknownKeys(m, path, ENTITY_KEYS, " of an entity");
        List<String> keys = texts(m, "join_keys", path, "the columns that identify one " + (name == null ? "entity" : name));
        if (keys != null) keys = distinct(keys, m.get("join_keys"), join(path, "join_keys"), "join key");
        return name == null || keys == null ? null : new Entity(name, keys, description);
    }

    private SourceDefinition source(YamlNode.Mapping m, String path, String name, String description) {
        unknownKeys(m, path, SOURCE_KEYS, " of a source");
        boolean isFile = m.entry("path") != null;
        boolean isJdbc = m.entry("jdbc") != null;
        SourceDefinition.Location location = null;
        if (isFile == isJdbc) {
            problems.add(m, path, isFile ? "a source has either path (a file) or jdbc (a database), not both"
                    : "missing key 'path' or 'jdbc': a source is a file (path: data/orders.parquet) or a database table or query "
                    + "(jdbc: jdbc:sqlite:shop.db with table or query)");
        } else if (isFile) {
            for (String key : JDBC_KEYS) {
                YamlNode.Entry e = m.entry(key);
                if (e != null) problems.add(e, join(path, key), "'" + key + "' is for a JDBC source; this source is a file (path)");
            }
            location = fileLocation(m, path);
        } else {
            for (String key : FILE_KEYS) {
                YamlNode.Entry e = m.entry(key);
                if (e != null) problems.add(e, join(path, key), "'" + key + "' is for a file source; this source is a database (jdbc)");
            }
            location = jdbcLocation(m, path);
        }
        String event = column(m, "event_timestamp", path, true);
        String created = column(m, "created_timestamp", path, false);
        if (event != null && event.equals(created)) {
            problems.add(m.get("created_timestamp"), join(path, "created_timestamp"),
                    "'" + created + "' is the event timestamp already; expected another column (when the row was written), or none");
        }
        return name == null || location == null || event == null ? null
                : new SourceDefinition(name, location, event, created, description);
    }

    private SourceDefinition.FileLocation fileLocation(YamlNode.Mapping m, String path) {
        String written = text(m.get("path"), join(path, "path"));
        String format = null;
        YamlNode formatNode = m.get("format");
        if (!absent(formatNode)) {
            String f = text(formatNode, join(path, "format"));
            if (f != null) {
                format = switch (f.strip().toLowerCase(Locale.ROOT)) {
                    case "csv", "tsv" -> "csv";
                    case "parquet" -> "parquet";
                    case "jsonl", "json", "ndjson" -> "jsonl";
                    default -> {
                        problems.add(formatNode, join(path, "format"), "'" + f + "' is not a format; expected csv, parquet or jsonl");
                        yield null;
                    }
                };
                if (format == null) return null;
            }
        }
        String delimiter = optionalText(m.get("delimiter"), join(path, "delimiter"));
        if (written == null) return null;
        String resolved;
        try {
            resolved = places.file(written);
        } catch (CairnException e) {
            problems.add(m.get("path"), join(path, "path"), e.getMessage());
            return null;
        }
        boolean csv;
        if (format == null) {
            try {
                csv = FileFormat.of(Path.of(resolved)) == FileFormat.CSV;
            } catch (CairnException | java.nio.file.InvalidPathException e) {
                problems.add(m.get("path"), join(path, "path"), "'" + written + "' does not end in .csv, .tsv, .parquet, .jsonl, "
                        + ".ndjson or .json; expected such a file, or say which with format: csv, parquet or jsonl");
                return null;
            }
        } else {
            csv = format.equals("csv");
        }
        if (delimiter != null && !csv) {
            problems.add(m.get("delimiter"), join(path, "delimiter"), "a delimiter is for CSV files only");
            return null;
        }
        return new SourceDefinition.FileLocation(resolved, format, delimiter);
    }

    private SourceDefinition.JdbcLocation jdbcLocation(YamlNode.Mapping m, String path) {
        String url = text(m.get("jdbc"), join(path, "jdbc"));
        if (url != null && !url.toLowerCase(Locale.ROOT).startsWith("jdbc:")) {
            problems.add(m.get("jdbc"), join(path, "jdbc"), "'" + url + "' is not a JDBC URL; expected jdbc:sqlite:FILE, "
                    + "jdbc:postgresql://HOST/DB or another jdbc: URL");
            url = null;
        }
        YamlNode tableNode = m.get("table");
        YamlNode queryNode = m.get("query");
        String table = optionalText(tableNode, join(path, "table"));
        String query = optionalText(queryNode, join(path, "query"));
        if (absent(tableNode) == absent(queryNode)) {
            problems.add(absent(tableNode) ? m : queryNode, path, absent(tableNode) ? "missing key 'table' or 'query': which rows of the database"
                    : "a JDBC source has a table or a query, not both");
            return null;
        }
        if (query != null && !query.strip().toLowerCase(Locale.ROOT).matches("(?s)(select|with)\\b.*")) {
            problems.add(queryNode, join(path, "query"), "expected one SELECT query (SELECT ... or WITH ...), found '" + abbreviate(query) + "'");
            return null;
        }
        if (query != null && query.strip().replaceAll(";\\s*$", "").contains(";")) {
            problems.add(queryNode, join(path, "query"), "expected one SELECT query, without ';' between statements");
            return null;
        }
        if (table != null && !table.strip().matches("[A-Za-z_][A-Za-z0-9_$.]*")) {
            problems.add(tableNode, join(path, "table"), "'" + table + "' is not a table name; expected a name such as sales or "
                    + "shop.sales (or use query: SELECT ...)");
            return null;
        }
        String user = optionalText(m.get("user"), join(path, "user"));
        String passwordEnv = optionalText(m.get("password_env"), join(path, "password_env"));
        if (passwordEnv != null && !ENVIRONMENT_VARIABLE.matcher(passwordEnv).matches()) {
            problems.add(m.get("password_env"), join(path, "password_env"), "'" + passwordEnv
                    + "' is not the name of an environment variable (letters, digits and '_'); the password itself never goes in a definition");
            return null;
        }
        if (url == null) return null;
        String resolved;
        try {
            resolved = places.jdbc(url);
        } catch (CairnException e) {
            problems.add(m.get("jdbc"), join(path, "jdbc"), e.getMessage());
            return null;
        }
        return new SourceDefinition.JdbcLocation(resolved, table == null ? null : table.strip(),
                query == null ? null : query.strip().replaceAll(";\\s*$", ""), user, passwordEnv);
    }

    private FeatureView view(YamlNode.Mapping m, String path, String name, String description) {
        unknownKeys(m, path, VIEW_KEYS, " of a feature view");
        List<String> entities = texts(m, "entities", path, "the entities the features describe");
        if (entities != null) {
            entities = distinct(entities, m.get("entities"), join(path, "entities"), "entity");
            YamlNode node = m.get("entities");
            for (int i = 0; i < entities.size(); i++) {
                YamlNode at = node instanceof YamlNode.Sequence s ? s.items().get(i) : node;
                uses.add(new Use(FeatureKind.ENTITY, entities.get(i), null, name, site(at, join(path, "entities"))));
            }
        }
        String source = null;
        YamlNode sourceNode = m.get("source");
        if (absent(sourceNode)) {
            problems.add(m, path, "missing key 'source': the source the features are computed from");
        } else {
            source = text(sourceNode, join(path, "source"));
            if (source != null) uses.add(new Use(FeatureKind.SOURCE, source, null, name, site(sourceNode, join(path, "source"))));
        }
        Duration ttl = null;
        YamlNode ttlNode = m.get("ttl");
        if (!absent(ttlNode)) {
            ttl = duration(ttlNode, join(path, "ttl"));
            if (ttl != null && ttl.isZero()) {
                problems.add(ttlNode, join(path, "ttl"), "a TTL must be longer than zero (leave it out for none)");
                ttl = null;
            }
        }
        List<Feature> features = features(m, path);
        boolean complete = name != null && entities != null && source != null && features != null
                && (absent(ttlNode) || ttl != null);
        return complete ? new FeatureView(name, entities, source, ttl, features, description) : null;
    }

    private List<Feature> features(YamlNode.Mapping m, String path) {
        String listPath = join(path, "features");
        YamlNode node = m.get("features");
        if (absent(node)) {
            problems.add(m, path, "missing key 'features': a feature view has at least one feature");
            return null;
        }
        if (!(node instanceof YamlNode.Sequence list)) {
            problems.add(node, listPath, "expected a list of features (- name: ... or - column_name), found " + node.describe());
            return null;
        }
        if (list.items().isEmpty()) {
            problems.add(node, listPath, "a feature view has at least one feature");
            return null;
        }
        List<Feature> features = new ArrayList<>();
        Set<String> names = new HashSet<>();
        boolean bad = false;
        for (int i = 0; i < list.items().size(); i++) {
            YamlNode item = list.items().get(i);
            Feature feature = feature(item, listPath, i);
            if (feature == null) {
                bad = true;
                continue;
            }
            if (!names.add(feature.name())) {
                problems.add(item, listPath + "." + feature.name(), "feature '" + feature.name() + "' is declared twice in this view");
                bad = true;
                continue;
            }
            features.add(feature);
        }
        return bad ? null : features;
    }

    private Feature feature(YamlNode item, String listPath, int index) {
        String indexPath = listPath + "[" + index + "]";
        if (item instanceof YamlNode.Scalar s && s.value() instanceof String column) {
            if (!FEATURE_NAME.matcher(column).matches()) {
                problems.add(item, indexPath, "'" + column + "' is not a valid feature name (" + FEATURE_NAME_RULE
                        + "); for another column name write - {name: NAME, column: \"" + column + "\"}");
                return null;
            }
            return new Feature.Column(column, column);
        }
        if (!(item instanceof YamlNode.Mapping m)) {
            problems.add(item, indexPath, "expected a column name or a mapping with name and column, sql or aggregation, found "
                    + item.describe());
            return null;
        }
        YamlNode nameNode = m.get("name");
        String name = null;
        if (absent(nameNode)) {
            problems.add(m, indexPath, "missing key 'name': the feature's name (" + FEATURE_NAME_RULE + ")");
        } else {
            name = text(nameNode, indexPath + ".name");
            if (name != null && !FEATURE_NAME.matcher(name).matches()) {
                problems.add(nameNode, indexPath + ".name", "'" + name + "' is not a valid feature name: " + FEATURE_NAME_RULE);
                name = null;
            }
        }
        String path = name == null ? indexPath : listPath + "." + name;
        unknownKeys(m, path, FEATURE_KEYS, " of a feature");
        String column = optionalText(m.get("column"), path + ".column");
        String sql = optionalText(m.get("sql"), path + ".sql");
        if (column != null && column.isBlank()) {
            problems.add(m.get("column"), path + ".column", "expected a column name, found an empty text");
            return null;
        }
        if (sql != null && (sql.isBlank() || sql.contains(";"))) {
            problems.add(m.get("sql"), path + ".sql", "expected one SQL expression over the source's columns (such as amount * 100), "
                    + "found '" + abbreviate(sql) + "'");
            return null;
        }
        if (column != null && sql != null) {
            problems.add(m.get("sql"), path, "a feature has a column or a sql expression, not both");
            return null;
        }
        YamlNode aggregationNode = m.get("aggregation");
        YamlNode windowNode = m.get("window");
        if (absent(aggregationNode)) {
            if (!absent(windowNode)) {
                problems.add(windowNode, path + ".window", "a window is for aggregations; add aggregation: "
                        + Aggregation.labels().replace(", ", " | ") + ", or remove the window");
                return null;
            }
            if (name == null) return null;
            return sql != null ? new Feature.Expression(name, sql.strip()) : new Feature.Column(name, column != null ? column : name);
        }
        String a = text(aggregationNode, path + ".aggregation");
        Aggregation function = Aggregation.parse(a);
        if (a != null && function == null) {
            problems.add(aggregationNode, path + ".aggregation", "unknown aggregation '" + a + "'; expected one of " + Aggregation.labels());
        }
        Duration window = null;
        if (absent(windowNode)) {
            problems.add(m, path, "missing key 'window': an aggregation is over a window such as 30d or 90d");
        } else {
            window = duration(windowNode, path + ".window");
            if (window != null && window.isZero()) {
                problems.add(windowNode, path + ".window", "a window must be longer than zero");
                window = null;
            }
        }
        if (function != null && function != Aggregation.COUNT && column == null && sql == null) {
            problems.add(m, path, "missing key 'column' (or 'sql'): what to " + function.label() + " over the window");
            return null;
        }
        if (name == null || function == null || window == null) return null;
        return new Feature.Aggregate(name, function, column, sql == null ? null : sql.strip(), window);
    }

    private FeatureService service(YamlNode.Mapping m, String path, String name, String description) {
        unknownKeys(m, path, SERVICE_KEYS, " of a feature service");
        YamlNode node = m.get("features");
        String listPath = join(path, "features");
        if (absent(node)) {
            problems.add(m, path, "missing key 'features': the feature views (view) or features (view:feature) the model uses");
            return null;
        }
        if (!(node instanceof YamlNode.Sequence list) || list.items().isEmpty()) {
            problems.add(node, listPath, "expected a list of feature views (view) or features (view:feature), found " + node.describe());
            return null;
        }
        List<FeatureReference> references = new ArrayList<>();
        Set<String> seen = new HashSet<>();
        boolean bad = false;
        for (int i = 0; i < list.items().size(); i++) {
            YamlNode item = list.items().get(i);
            String text = text(item, listPath + "[" + i + "]");
            if (text == null) {
                bad = true;
                continue;
            }
            FeatureReference reference = FeatureReference.parse(text);
            boolean viewOk = NAME.matcher(reference.view()).matches();
            boolean featureOk = reference.feature() == null || FEATURE_NAME.matcher(reference.feature()).matches();
            if (!viewOk || !featureOk) {
                problems.add(item, listPath + "[" + i + "]", "'" + text + "' is not a feature view (view) or one of its features "
                        + "(view:feature)");
                bad = true;
                continue;
            }
            if (!seen.add(reference.toString())) {
                problems.add(item, listPath + "[" + i + "]", "'" + reference + "' is listed twice");
                bad = true;
                continue;
            }
            references.add(reference);
            uses.add(new Use(FeatureKind.FEATURE_VIEW, reference.view(), reference.feature(), name, site(item, listPath + "[" + i + "]")));
        }
        return name == null || bad ? null : new FeatureService(name, references, description);
    }

    /** The definition's name, checked; null when missing or invalid (the problem is added). */
    private String name(YamlNode.Mapping m, String path, FeatureKind kind) {
        YamlNode node = m.get("name");
        if (absent(node)) {
            problems.add(m, path, "missing key 'name': every " + kind.label() + " has a name (" + NAME_RULE + ")");
            return null;
        }
        String name = text(node, join(path, "name"));
        if (name != null && !NAME.matcher(name).matches()) {
            problems.add(node, join(path, "name"), "'" + name + "' is not a valid name: " + NAME_RULE);
            return null;
        }
        return name;
    }

    /** A column name: required or optional, non-blank text. */
    private String column(YamlNode.Mapping m, String key, String path, boolean required) {
        YamlNode node = m.get(key);
        if (absent(node)) {
            if (required) problems.add(m, path, "missing key '" + key + "': the column that says when each row's values became true");
            return null;
        }
        String column = text(node, join(path, key));
        if (column != null && column.isBlank()) {
            problems.add(node, join(path, key), "expected a column name, found an empty text");
            return null;
        }
        return column;
    }

    /** A list of non-blank texts, or one text as a list of one; null (with a problem) when missing or malformed. */
    private List<String> texts(YamlNode.Mapping m, String key, String path, String what) {
        YamlNode node = m.get(key);
        String keyPath = join(path, key);
        if (absent(node)) {
            problems.add(m, path, "missing key '" + key + "': " + what);
            return null;
        }
        List<YamlNode> items = node instanceof YamlNode.Sequence s ? s.items() : List.of(node);
        if (items.isEmpty()) {
            problems.add(node, keyPath, "expected at least one: " + what);
            return null;
        }
        List<String> values = new ArrayList<>();
        for (int i = 0; i < items.size(); i++) {
            String itemPath = node instanceof YamlNode.Sequence ? keyPath + "[" + i + "]" : keyPath;
            String value = text(items.get(i), itemPath);
            if (value == null) return null;
            if (value.isBlank()) {
                problems.add(items.get(i), itemPath, "expected a name, found an empty text");
                return null;
            }
            values.add(value.strip());
        }
        return values;
    }

    private List<String> distinct(List<String> values, YamlNode node, String path, String what) {
        Set<String> seen = new HashSet<>();
        for (String v : values) {
            if (!seen.add(v)) {
                problems.add(node, path, what + " '" + v + "' is listed twice");
                return null;
            }
        }
        return values;
    }

    private Site site(YamlNode at, String path) {
        return new Site(file, at.line(), at.column(), path);
    }

    private static String join(String path, String key) {
        return path.isEmpty() ? key : path + "." + key;
    }

    private static String abbreviate(String text) {
        String t = text.strip().replaceAll("\\s+", " ");
        return t.length() <= 60 ? t : t.substring(0, 57) + "...";
    }
}
