package dev.cairn.cli.model;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeType;
import dev.cairn.core.error.CairnException;
import dev.cairn.core.error.ErrorCode;
import dev.cairn.data.source.CsvOptions;
import dev.cairn.data.source.DataReader;
import dev.cairn.data.source.FileSource;
import dev.cairn.data.source.LoadedTable;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The rows {@code cairn models predict} scores: a JSON file holding one object or an array of
 * objects, or a CSV file with a header row. Values reach the model as read (JSON values, CSV cells
 * as cairn-data's reader types them); the model's encoder converts them by the rules every entry
 * point shares. Extra columns are ignored by the model.
 */
final class InputRows {
    private static final ObjectMapper JSON = new ObjectMapper();

    private InputRows() {}

    enum Format { JSON, CSV }

    /** {@code --format}: json or csv in any case, or null for by extension. */
    static Format format(String name) {
        if (name == null) return null;
        return switch (name.strip().toLowerCase(Locale.ROOT)) {
            case "json" -> Format.JSON;
            case "csv" -> Format.CSV;
            default -> throw CairnException.invalid("format", name, "json or csv");
        };
    }

    /** Reads the rows, untyped for CSV; {@code format} null means by the file's extension. */
    static List<Map<String, Object>> read(Path file, Format format) {
        if (!Files.isRegularFile(file)) throw CairnException.invalid("input", file.toString(), "an existing .json or .csv file");
        Format f = format != null ? format : byExtension(file);
        List<Map<String, Object>> rows = f == Format.JSON ? readJson(file) : readCsv(file);
        if (rows.isEmpty()) throw CairnException.invalid("input", file.toString(), "at least one row");
        return rows;
    }

    private static Format byExtension(Path file) {
        String name = file.getFileName().toString().toLowerCase(Locale.ROOT);
        if (name.endsWith(".json")) return Format.JSON;
        if (name.endsWith(".csv")) return Format.CSV;
        throw CairnException.invalid("input", file.toString(), "a file ending in .json or .csv (or say which with --format json|csv)");
    }

    private static List<Map<String, Object>> readJson(Path file) {
        JsonNode root;
        try {
            root = JSON.readTree(file.toFile());
        } catch (JsonProcessingException e) {
            throw new CairnException(ErrorCode.INVALID_PARAMETER_VALUE, "Input " + file + " is not valid JSON: "
                    + e.getOriginalMessage().replaceAll("\\s*\\(start marker at .*", "")
                    + " (line " + e.getLocation().getLineNr() + ", column " + e.getLocation().getColumnNr() + ")");
        } catch (IOException e) {
            throw new CairnException(ErrorCode.INVALID_PARAMETER_VALUE, "Cannot read input " + file + ": " + e.getMessage(), e);
        }
        if (root == null || root.isMissingNode()) throw CairnException.invalid("input", file.toString(), "a JSON object or an array of objects");
        List<Map<String, Object>> rows = new ArrayList<>();
        if (root.isObject()) {
            rows.add(record(root));
        } else if (root.isArray()) {
            for (int i = 0; i < root.size(); i++) {
                JsonNode element = root.get(i);
                if (!element.isObject()) {
                    throw CairnException.invalid("input row " + (i + 1), kind(element), "a JSON object of input name to value");
                }
                rows.add(record(element));
            }
        } else {
            throw CairnException.invalid("input", kind(root), "a JSON object or an array of objects");
        }
        return rows;
    }

    private static Map<String, Object> record(JsonNode object) {
        Map<String, Object> row = new LinkedHashMap<>();
        object.properties().forEach(e -> row.put(e.getKey(), scalar(e.getValue())));
        return row;
    }

    /** JSON scalars as Java values; nested arrays and objects are left as text for validation to refuse. */
    private static Object scalar(JsonNode node) {
        return switch (node.getNodeType()) {
            case NULL, MISSING -> null;
            case BOOLEAN -> node.booleanValue();
            case NUMBER -> node.isIntegralNumber() && node.canConvertToLong() ? (Object) node.longValue() : (Object) node.doubleValue();
            case STRING -> node.textValue();
            default -> node.toString();
        };
    }

    private static String kind(JsonNode node) {
        return node.getNodeType() == JsonNodeType.POJO ? "an object" : node.getNodeType().name().toLowerCase(Locale.ROOT);
    }

    /** Rows through cairn-data's reader, the one every command reads files with; malformed lines are refused. */
    private static List<Map<String, Object>> readCsv(Path file) {
        try (LoadedTable table = DataReader.open(FileSource.csv(file, CsvOptions.DEFAULT));
             Statement st = table.connection().createStatement();
             ResultSet rs = st.executeQuery("SELECT * FROM " + table.relation())) {
            table.requireWellFormed("input");
            ResultSetMetaData meta = rs.getMetaData();
            List<Map<String, Object>> rows = new ArrayList<>();
            while (rs.next()) {
                Map<String, Object> row = new LinkedHashMap<>();
                for (int c = 1; c <= meta.getColumnCount(); c++) row.put(meta.getColumnLabel(c), rs.getObject(c));
                rows.add(row);
            }
            return rows;
        } catch (SQLException e) {
            throw new CairnException(ErrorCode.INVALID_PARAMETER_VALUE, "Cannot read input " + file + " as CSV: "
                    + e.getMessage().lines().findFirst().orElse(""), e);
        }
    }
}
