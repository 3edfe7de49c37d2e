package dev.cairn.train.evaluation;

import dev.cairn.core.error.CairnException;
import dev.cairn.runtime.pkg.OutputKind;
import dev.cairn.runtime.pkg.OutputSpec;
import dev.cairn.runtime.pkg.Signature;
import dev.cairn.train.data.Column;
import dev.cairn.train.data.Fingerprint;
import dev.cairn.train.data.Frame;
import dev.cairn.train.data.FrameReader;
import dev.cairn.train.data.Task;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;

/**
 * Labelled evaluation rows checked against a model: the label and every model input must be
 * columns of the data, and the label's values must be the model's classes. For a binary model,
 * {@code y} is 1 where the label is {@code positiveClass} (the class the business question is
 * about, which need not be the one the model scores).
 */
public record EvaluationData(Path path, String sha256, Frame frame, String label, Task task, List<String> classes,
                             String positiveClass, int[] y, double[] targets) {

    public static Frame read(Path path) {
        if (path == null || !Files.isRegularFile(path)) throw CairnException.invalid("data", path, "an existing CSV, Parquet or JSON-lines file");
        Frame frame = FrameReader.read(path);
        if (frame.rowCount() == 0) throw CairnException.invalid("data", path.toString(), "a file with at least one row");
        return frame;
    }

    /** Checks {@code frame} against the model's signature; {@code positiveClass} null means the model's own positive class. */
    public static EvaluationData of(Path path, Frame frame, String label, Signature signature, String positiveClass) {
        if (label == null || label.isBlank()) throw CairnException.invalid("label", label, "the name of the label column");
        if (!frame.has(label)) throw CairnException.invalid("label", label, "a column of the evaluation data " + frame.names());
        List<String> missing = new ArrayList<>();
        for (String input : signature.inputNames()) if (!frame.has(input)) missing.add(input);
        if (!missing.isEmpty()) {
            throw CairnException.invalid("data", String.join(", ", missing),
                    "every model input as a column; the evaluation data lacks " + missing + " (it has " + frame.names() + ")");
        }
        Column column = frame.column(label, "label");
        for (int i = 0; i < column.size(); i++) {
            if (column.isMissing(i)) throw CairnException.invalid("label", label, "a value in every row (row " + (i + 1) + " has none)");
        }
        OutputSpec output = signature.output();
        String sha = Fingerprint.sha256(path);
        if (output.kind() == OutputKind.REGRESSION) {
            if (!(column instanceof Column.Numeric numeric)) {
                throw CairnException.invalid("label", label, "a numeric column for a regression model");
            }
            return new EvaluationData(path, sha, frame, label, Task.REGRESSION, List.of(), null, null, numeric.values().clone());
        }
        List<String> classes = output.classes();
        String[] values = new String[column.size()];
        TreeSet<String> unknown = new TreeSet<>();
        for (int i = 0; i < values.length; i++) {
            values[i] = Grouping.render(column.value(i));
            if (!classes.contains(values[i])) unknown.add(values[i]);
        }
        if (!unknown.isEmpty()) {
            throw CairnException.invalid("label", label, "the model's classes " + classes + " (the data also holds " + unknown + ")");
        }
        if (output.kind() == OutputKind.MULTICLASS) {
            double[] idx = new double[values.length];
            int[] y = new int[values.length];
            for (int i = 0; i < values.length; i++) {
                y[i] = classes.indexOf(values[i]);
                idx[i] = y[i];
            }
            return new EvaluationData(path, sha, frame, label, Task.MULTICLASS, classes, null, y, idx);
        }
        String positive = positiveClass == null || positiveClass.isBlank() ? classes.get(1) : positiveClass;
        if (!classes.contains(positive)) {
            throw CairnException.invalid("positive_class", positive, "one of the model's classes " + classes);
        }
        int[] y = new int[values.length];
        for (int i = 0; i < values.length; i++) y[i] = values[i].equals(positive) ? 1 : 0;
        return new EvaluationData(path, sha, frame, label, Task.BINARY, classes, positive, y, null);
    }

    public int rows() {
        return frame.rowCount();
    }

    /** The model's score column for the positive class (binary), given the model's class order. */
    public double[] positiveScores(double[][] probabilities) {
        int k = classes.indexOf(positiveClass);
        double[] out = new double[probabilities.length];
        for (int i = 0; i < out.length; i++) out[i] = probabilities[i][k];
        return out;
    }
}
