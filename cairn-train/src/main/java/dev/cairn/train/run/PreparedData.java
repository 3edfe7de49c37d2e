package dev.cairn.train.run;

import dev.cairn.core.error.CairnException;
import dev.cairn.train.SplitSpec;
import dev.cairn.train.data.Column;
import dev.cairn.train.data.Fingerprint;
import dev.cairn.train.data.Frame;
import dev.cairn.train.data.FrameReader;
import dev.cairn.train.data.Labels;
import dev.cairn.train.data.Task;
import dev.cairn.train.split.Split;
import dev.cairn.train.split.Splitter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * A data file read for training: its fingerprint, the feature columns (everything but the label,
 * the dropped columns and a split's time column) and the encoded label.
 */
public record PreparedData(Path path, String sha256, Frame features, Labels labels, double[] times, List<String> allColumns) {

    public static PreparedData load(Path path, String label, List<String> drop, String task, String positiveClass,
                                    String timeColumn) {
        String sha256 = Fingerprint.sha256(path);
        Frame frame = FrameReader.read(path);
        if (frame.rowCount() == 0) {
            throw CairnException.invalid("data", path.toString(), "a file with at least one row");
        }
        for (String d : drop) {
            if (!frame.has(d)) throw CairnException.invalid("drop", d, "one of the data's columns " + frame.names());
            if (d.equals(label)) throw CairnException.invalid("drop", d, "a column other than the label");
        }
        Labels labels = Labels.of(frame, label, task == null ? null : Task.parse(task), positiveClass);
        double[] times = null;
        Set<String> excluded = new LinkedHashSet<>(drop);
        excluded.add(label);
        if (timeColumn != null) {
            Column c = frame.column(timeColumn, "time_column");
            if (!(c instanceof Column.Numeric numeric)) {
                throw CairnException.invalid("time_column", timeColumn, "a timestamp or numeric column (it holds text)");
            }
            times = numeric.values();
            excluded.add(timeColumn);
        }
        Frame features = frame.drop(excluded);
        if (features.columns().isEmpty()) {
            throw CairnException.invalid("drop", String.join(",", drop), "to leave at least one feature column besides the label");
        }
        return new PreparedData(path, sha256, features, labels, times, frame.names());
    }

    /** The strategy {@code auto} resolves to for this label. */
    public String resolveStrategy(SplitSpec spec) {
        if (!spec.strategy().equals("auto")) return spec.strategy();
        return labels.task().isClassification() ? "stratified" : "random";
    }

    public Split split(SplitSpec spec, long seed) {
        String strategy = resolveStrategy(spec);
        Split split = switch (strategy) {
            case "stratified" -> {
                if (!labels.task().isClassification()) {
                    throw CairnException.invalid("split", "stratified", "random or time for a regression label");
                }
                yield Splitter.stratified(labels.classIndexes(), spec.fraction(), seed);
            }
            case "time" -> Splitter.byTime(times, spec.fraction(), spec.timeColumn());
            default -> Splitter.random(labels.targets().length, spec.fraction(), seed);
        };
        checkTrainingPart(split.train());
        return split;
    }

    /** A training part must have rows and, for a classifier, every class (else the model cannot learn them). */
    public void checkTrainingPart(int[] train) {
        if (train.length == 0) {
            throw CairnException.invalid("validation_fraction", "all rows", "a split that leaves training rows");
        }
        if (labels.task().isClassification()) {
            Set<Integer> seen = new java.util.TreeSet<>();
            for (int r : train) seen.add((int) labels.targets()[r]);
            if (seen.size() < labels.classes().size()) {
                List<String> missing = new ArrayList<>(labels.classes());
                for (int c : seen) missing.remove(labels.classes().get(c));
                throw CairnException.invalid("label", labels.column(),
                        "every class in the training rows (missing " + missing + "; use more data or a stratified split)");
            }
        }
    }
}
