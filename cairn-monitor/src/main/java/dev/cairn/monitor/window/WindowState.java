package dev.cairn.monitor.window;

import dev.cairn.data.profile.DatasetProfile;
import dev.cairn.data.profile.ProfileMerger;
import dev.cairn.monitor.performance.ScoreHistogram;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Everything kept about one window of one deployment's model version, all of it mergeable, so a
 * window is updated from new log segments without reading the old ones again: the profile of the
 * scored rows (typed inputs, score, predicted label, latency, reconstruction error), quality counts
 * per field, refused requests by field, the score histogram CBPE estimates from, and the segments
 * already merged (so a segment is never counted twice, even after a crash between two windows' writes).
 */
public record WindowState(String deployment, String model, String modelVersion, long start, long end,
                          long requests, long refused, Map<String, Long> refusedByField, long rows,
                          Map<String, FieldQuality> quality, ScoreHistogram scores, DatasetProfile profile,
                          List<String> segments) {
    public WindowState {
        refusedByField = new TreeMap<>(refusedByField);
        quality = new LinkedHashMap<>(quality);
        segments = List.copyOf(segments);
        scores = scores == null ? new ScoreHistogram() : scores.copy();
    }

    /** This window with {@code part} (the same window's rows from new segments) merged in. */
    public WindowState merge(WindowState part) {
        Map<String, Long> refusals = new TreeMap<>(refusedByField);
        part.refusedByField.forEach((k, v) -> refusals.merge(k, v, Long::sum));
        Map<String, FieldQuality> q = new LinkedHashMap<>(quality);
        part.quality.forEach((k, v) -> q.merge(k, v, FieldQuality::plus));
        ScoreHistogram bins = scores.copy().merge(part.scores);
        DatasetProfile merged = profile == null ? part.profile
                : part.profile == null ? profile : ProfileMerger.merge(List.of(profile, part.profile));
        LinkedHashSet<String> segs = new LinkedHashSet<>(segments);
        segs.addAll(part.segments);
        return new WindowState(deployment, model, modelVersion, start, end, requests + part.requests,
                refused + part.refused, refusals, rows + part.rows, q, bins, merged, new ArrayList<>(segs));
    }
}
