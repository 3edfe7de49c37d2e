package dev.cairn.spark;

import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.api.java.UDF1;
import org.apache.spark.sql.api.java.UDF2;
import org.apache.spark.sql.types.DataTypes;

/**
 * Turns the DuckDB SQL that cairn-data's {@code CheckCompiler} and {@code Profiler} generate into
 * Spark SQL, so a spec's checks are compiled once and run on either engine. The generated SQL uses
 * a small, known set of constructs; the differences are:
 * <ul>
 *   <li>identifiers: DuckDB's {@code "name"} becomes Spark's {@code `name`};</li>
 *   <li>{@code VARCHAR} (no length) becomes {@code STRING};</li>
 *   <li>{@code trunc(x)} (DuckDB: toward zero; Spark: a date function), {@code isfinite(x)} and
 *       {@code regexp_full_match(s, p)} (Spark has none) become functions {@link #register}ed with
 *       DuckDB's meaning.</li>
 * </ul>
 * {@code count_if}, {@code TRY_CAST}, {@code x::DOUBLE}, {@code nullif}, {@code stddev_pop},
 * {@code count(DISTINCT (a, b))} and window counts are the same in both. A spec's own {@code sql}
 * predicates pass through the same mapping; functions beyond it must exist in Spark under the same name.
 */
public final class SparkDialect {
    private static final Map<String, String> FUNCTIONS = Map.of(
            "trunc", "cairn_trunc",
            "isfinite", "cairn_isfinite",
            "regexp_full_match", "cairn_regexp_full_match");

    /** Compiled once per pattern and JVM: the pattern is a literal of the check, the same for every row. */
    private static final Map<String, Pattern> PATTERNS = new ConcurrentHashMap<>();

    private SparkDialect() {}

    /** Registers the functions the mapping calls, and reads string literals as DuckDB does; idempotent. */
    public static void register(SparkSession spark) {
        // DuckDB keeps a backslash in a string literal; Spark's parser treats it as an escape by default, so a regex
        // check's '\d{3}' would reach Spark as 'd{3}'. A runtime SQL setting, so it holds in spark-submit's session too.
        spark.conf().set("spark.sql.parser.escapedStringLiterals", "true");
        spark.udf().register("cairn_trunc", (UDF1<Double, Double>) x -> x == null ? null : (x < 0 ? Math.ceil(x) : Math.floor(x)),
                DataTypes.DoubleType);
        spark.udf().register("cairn_isfinite", (UDF1<Double, Boolean>) x -> x == null ? null : Double.isFinite(x), DataTypes.BooleanType);
        spark.udf().register("cairn_regexp_full_match",
                (UDF2<String, String, Boolean>) (s, p) -> s == null || p == null ? null : PATTERNS.computeIfAbsent(p, Pattern::compile).matcher(s).matches(),
                DataTypes.BooleanType);
    }

    /** The Spark SQL for a DuckDB expression or query that Cairn generated. */
    public static String translate(String duckSql) {
        StringBuilder out = new StringBuilder(duckSql.length() + 16);
        int n = duckSql.length();
        int i = 0;
        while (i < n) {
            char c = duckSql.charAt(i);
            if (c == '\'') {
                int end = quoted(duckSql, i, '\'');
                out.append(duckSql, i, end);
                i = end;
            } else if (c == '"') {
                int end = quoted(duckSql, i, '"');
                String name = duckSql.substring(i + 1, end - 1).replace("\"\"", "\"");
                out.append('`').append(name.replace("`", "``")).append('`');
                i = end;
            } else if (Character.isLetter(c) || c == '_') {
                int end = i;
                while (end < n && (Character.isLetterOrDigit(duckSql.charAt(end)) || duckSql.charAt(end) == '_')) end++;
                String word = duckSql.substring(i, end);
                String lower = word.toLowerCase(Locale.ROOT);
                int next = end;
                while (next < n && duckSql.charAt(next) == ' ') next++;
                boolean call = next < n && duckSql.charAt(next) == '(';
                if (lower.equals("varchar")) {
                    out.append("STRING");
                } else if (call && lower.equals("trunc")) {
                    // Its argument may be a DECIMAL; the function takes doubles, as DuckDB's comparison does.
                    int close = closing(duckSql, next);
                    out.append("cairn_trunc(CAST(").append(translate(duckSql.substring(next + 1, close))).append(" AS DOUBLE))");
                    i = close + 1;
                    continue;
                } else if (call && FUNCTIONS.containsKey(lower)) out.append(FUNCTIONS.get(lower));
                else out.append(word);
                i = end;
            } else {
                out.append(c);
                i++;
            }
        }
        return out.toString();
    }

    /** The index of the parenthesis that closes the one at {@code open}. */
    private static int closing(String s, int open) {
        int depth = 0;
        int i = open;
        while (i < s.length()) {
            char c = s.charAt(i);
            if (c == '\'' || c == '"') {
                i = quoted(s, i, c);
                continue;
            }
            if (c == '(') depth++;
            if (c == ')' && --depth == 0) return i;
            i++;
        }
        return s.length() - 1;
    }

    /** The index just past a quoted token starting at {@code start}; a doubled quote is an escaped one. */
    private static int quoted(String s, int start, char quote) {
        int i = start + 1;
        while (i < s.length()) {
            if (s.charAt(i) == quote) {
                if (i + 1 < s.length() && s.charAt(i + 1) == quote) {
                    i += 2;
                    continue;
                }
                return i + 1;
            }
            i++;
        }
        return s.length();
    }
}
