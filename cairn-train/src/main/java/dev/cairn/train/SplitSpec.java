package dev.cairn.train;

import dev.cairn.core.error.CairnException;
import java.util.List;
import java.util.Locale;

/**
 * How rows are divided into training and validation (or, when tuning, held-out test) rows:
 * {@code auto} (stratified for classification, random for regression), {@code stratified},
 * {@code random}, or {@code time} (the latest {@code fraction} of rows by {@code timeColumn}).
 */
public record SplitSpec(String strategy, double fraction, String timeColumn) {
    public static final List<String> STRATEGIES = List.of("auto", "stratified", "random", "time");

    public SplitSpec {
        strategy = strategy == null ? "auto" : strategy.trim().toLowerCase(Locale.ROOT);
        if (!STRATEGIES.contains(strategy)) {
            throw CairnException.invalid("split", strategy, "one of " + String.join(", ", STRATEGIES));
        }
        if (!(fraction > 0 && fraction < 1)) {
            throw CairnException.invalid("validation_fraction", fraction, "a number strictly between 0 and 1");
        }
        if (strategy.equals("time") && (timeColumn == null || timeColumn.isBlank())) {
            throw CairnException.invalid("time_column", timeColumn, "a column name for a time split");
        }
        if (!strategy.equals("time") && timeColumn != null && !timeColumn.isBlank()) {
            throw CairnException.invalid("time_column", timeColumn, "no time column unless the split is 'time'");
        }
        if (timeColumn != null && timeColumn.isBlank()) timeColumn = null;
    }

    public static SplitSpec defaults() {
        return new SplitSpec("auto", 0.2, null);
    }
}
