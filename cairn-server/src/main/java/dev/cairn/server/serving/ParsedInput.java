package dev.cairn.server.serving;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The rows of one inference request, before they meet a model. Rows come either named (a map per
 * row: records, split data frames, columns) or positional (a list of values per row, in the order
 * of the model's signature, as TensorFlow-style {@code instances} and 2-D tensors send them). Values
 * stay as they came (JSON values, CSV text): the model's encoder converts them to the signature's
 * types by the one set of rules every entry point shares ({@link dev.cairn.runtime.preprocess.Coercion}).
 */
public record ParsedInput(List<Map<String, Object>> named, List<List<Object>> positional) {

    public static ParsedInput named(List<Map<String, Object>> rows) {
        return new ParsedInput(rows, null);
    }

    public static ParsedInput positional(List<List<Object>> rows) {
        return new ParsedInput(null, rows);
    }

    public int size() {
        return named != null ? named.size() : positional.size();
    }

    /** The rows as maps, positional values named by {@code inputNames}. */
    public List<Map<String, Object>> rows(List<String> inputNames) {
        if (named != null) {
            return named;
        }
        List<Map<String, Object>> rows = new ArrayList<>(positional.size());
        for (List<Object> values : positional) {
            Map<String, Object> row = new LinkedHashMap<>();
            for (int i = 0; i < values.size(); i++) {
                // Extra values beyond the signature keep a name that validation reports as unknown.
                row.put(i < inputNames.size() ? inputNames.get(i) : "[" + i + "]", values.get(i));
            }
            rows.add(row);
        }
        return rows;
    }

    /** The value of {@code field} in the first row, for sticky routing; null when absent or positional. */
    public Object firstValue(String field) {
        if (named == null || named.isEmpty() || field == null) return null;
        return named.get(0).get(field);
    }
}
