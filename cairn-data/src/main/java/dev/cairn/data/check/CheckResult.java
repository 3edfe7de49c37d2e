package dev.cairn.data.check;

import dev.cairn.data.schema.Severity;
import java.util.List;
import java.util.Map;

/**
 * The result of one check: passed or not, the observed and the expected value, how many rows failed
 * and up to 20 of them (each with {@code _line}, its line in the file: in a CSV file the header is
 * line 1, see {@link dev.cairn.data.source.LoadedTable#lineSql}), and the SQL that selects the failing rows.
 */
public record CheckResult(
        String name,
        String check,
        String column,
        Severity severity,
        boolean passed,
        Double observed,
        String observedText,
        String expected,
        Long failingRows,
        List<Map<String, Object>> samples,
        String failingRowsSql) {

    /** green (passed), amber (failed warning) or red (failed error). */
    public String status() {
        return passed ? "green" : severity == Severity.ERROR ? "red" : "amber";
    }
}
