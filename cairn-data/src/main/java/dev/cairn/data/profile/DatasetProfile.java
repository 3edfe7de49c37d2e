package dev.cairn.data.profile;

import dev.cairn.data.source.MalformedRow;
import java.util.List;
import java.util.Optional;

/**
 * The profile of a dataset, in a stable JSON form ({@link ProfileJson}) that is stored as an
 * artifact. Profiles merge ({@link ProfileMerger}): the profiles of days make the profile of a week.
 */
public record DatasetProfile(
        String format,
        String source,
        long rowCount,
        long malformedRowCount,
        List<MalformedRow> malformedRows,
        List<ColumnProfile> columns) {
    public static final String FORMAT = "cairn.profile/v1";

    public DatasetProfile {
        malformedRows = List.copyOf(malformedRows);
        columns = List.copyOf(columns);
    }

    public Optional<ColumnProfile> column(String name) {
        return columns.stream().filter(c -> c.name().equals(name)).findFirst();
    }
}
