package dev.cairn.data.profile;

import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.datasketches.common.ArrayOfStringsSerDe;
import org.apache.datasketches.frequencies.ErrorType;
import org.apache.datasketches.frequencies.ItemsSketch;
import org.apache.datasketches.kll.KllDoublesSketch;
import org.apache.datasketches.memory.Memory;

/** Reads the sketches of a stored column profile, for the drift statistics of cairn-data itself. */
public final class ProfileSketches {
    static {
        MemoryLibraryGuard.ensureInitialised();
    }

    private ProfileSketches() {}

    /** The KLL quantile sketch of a numeric column. */
    public static KllDoublesSketch kll(ColumnProfile column) {
        return KllDoublesSketch.heapify(Memory.wrap(Base64.getDecoder().decode(column.sketches().get("kll"))));
    }

    /** Counts by value of a text column (exact while it has fewer distinct values than the sketch holds). */
    public static Map<String, Double> valueCounts(ColumnProfile column) {
        ItemsSketch<String> items = ItemsSketch.getInstance(Memory.wrap(Base64.getDecoder().decode(column.sketches().get("items"))),
                new ArrayOfStringsSerDe());
        Map<String, Double> counts = new LinkedHashMap<>();
        if (items.isEmpty()) return counts;
        for (ItemsSketch.Row<String> row : items.getFrequentItems(0, ErrorType.NO_FALSE_NEGATIVES)) {
            counts.put(row.getItem(), (double) row.getEstimate());
        }
        return counts;
    }
}
