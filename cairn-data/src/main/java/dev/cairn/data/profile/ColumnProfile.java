package dev.cairn.data.profile;

import dev.cairn.data.source.ColumnKind;
import java.util.Map;

/**
 * The profile of one column. {@code count} is the number of rows, {@code missing} of nulls;
 * {@code typeCounts} counts non-null values by the type they can be read as (for text columns,
 * how many look like integers or decimals). {@code sketches} holds the mergeable sketches,
 * base64-encoded in DataSketches' own serial forms.
 */
public record ColumnProfile(
        String name,
        String duckType,
        ColumnKind kind,
        long count,
        long missing,
        Map<String, Long> typeCounts,
        NumericStats numeric,
        StringStats strings,
        Map<String, String> sketches) {

    public double completeness() {
        return count == 0 ? 1.0 : (count - missing) / (double) count;
    }

    public long present() {
        return count - missing;
    }
}
