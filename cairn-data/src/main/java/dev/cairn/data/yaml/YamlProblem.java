package dev.cairn.data.yaml;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One problem in a YAML document: where (line and column, from 1; the path of the value, such as
 * {@code steps.train.needs} or {@code feature_views[0].ttl}) and what is wrong.
 */
public record YamlProblem(int line, int column, String path, String message) {

    /** As people read it: {@code retrain.yaml line 14, steps.train.needs: unknown step 'tune2' (...)}. */
    public String format(String source) {
        String where = path == null || path.isEmpty() ? "" : ", " + path;
        return source + " line " + line + where + ": " + message;
    }

    /** The JSON shape in an error's details: line, column, path, message. */
    public Map<String, Object> toMap() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("line", line);
        m.put("column", column);
        m.put("path", path);
        m.put("message", message);
        return m;
    }
}
