package dev.cairn.data.profile;

import dev.cairn.core.error.CairnException;
import dev.cairn.data.source.MalformedRow;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Merges profiles of parts of one dataset (days, partitions) into the profile of the whole: counts
 * add, moments combine exactly, sketches merge. Columns are matched by name; a column missing from
 * one part counts as all missing there.
 */
public final class ProfileMerger {
    private ProfileMerger() {}

    public static DatasetProfile merge(List<DatasetProfile> parts) {
        if (parts.isEmpty()) throw CairnException.invalid("profiles", "[]", "at least one profile to merge");
        Map<String, ColumnAccumulator> merged = new LinkedHashMap<>();
        long rows = 0;
        long malformed = 0;
        List<MalformedRow> malformedRows = new ArrayList<>();
        List<String> sources = new ArrayList<>();
        for (DatasetProfile part : parts) {
            for (ColumnProfile c : part.columns()) {
                ColumnAccumulator a = ColumnAccumulator.fromProfile(c);
                ColumnAccumulator existing = merged.get(c.name());
                if (existing == null) {
                    a.count += rows;
                    a.missing += rows;
                    merged.put(c.name(), a);
                } else {
                    existing.merge(a);
                }
            }
            for (ColumnAccumulator a : merged.values()) {
                if (part.column(a.name).isEmpty()) {
                    a.count += part.rowCount();
                    a.missing += part.rowCount();
                }
            }
            rows += part.rowCount();
            malformed += part.malformedRowCount();
            if (malformedRows.size() < 100) malformedRows.addAll(part.malformedRows().subList(0, Math.min(part.malformedRows().size(), 100 - malformedRows.size())));
            sources.add(part.source());
        }
        return new DatasetProfile(DatasetProfile.FORMAT, String.join(" + ", sources), rows, malformed, malformedRows,
                merged.values().stream().map(ColumnAccumulator::toProfile).toList());
    }
}
