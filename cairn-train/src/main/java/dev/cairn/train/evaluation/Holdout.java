package dev.cairn.train.evaluation;

import dev.cairn.core.error.CairnException;
import dev.cairn.core.error.ErrorCode;
import dev.cairn.train.data.Column;
import dev.cairn.train.data.Frame;
import dev.cairn.train.data.Labels;
import dev.cairn.train.split.Split;
import dev.cairn.train.split.Splitter;
import java.io.IOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/**
 * Sets rows aside before training: splits a data file into {@code train.csv} and {@code test.csv}
 * (stratified by the label for classes, seeded), so a model is evaluated on rows that neither its
 * training nor its early stopping saw.
 */
public final class Holdout {
    private Holdout() {}

    public record Parts(Path train, Path test, int trainRows, int testRows) {}

    public static Parts split(Path data, String label, double testFraction, long seed, Path directory) {
        Frame frame = EvaluationData.read(data);
        Labels labels = Labels.of(frame, label, null, null);
        Split split = labels.task().isClassification()
                ? Splitter.stratified(labels.classIndexes(), testFraction, seed)
                : Splitter.random(frame.rowCount(), testFraction, seed);
        try {
            Files.createDirectories(directory);
            Path train = directory.resolve("train.csv");
            Path test = directory.resolve("test.csv");
            write(frame.select(split.train()), train);
            write(frame.select(split.validation()), test);
            return new Parts(train, test, split.train().length, split.validation().length);
        } catch (IOException e) {
            throw new CairnException(ErrorCode.INVALID_PARAMETER_VALUE, "Could not write the split files into " + directory + ": " + e.getMessage(), e);
        }
    }

    /** Writes a frame as CSV through a temporary file renamed into place. */
    static void write(Frame frame, Path target) throws IOException {
        Path temp = target.resolveSibling("." + target.getFileName() + ".tmp");
        try (Writer out = Files.newBufferedWriter(temp, StandardCharsets.UTF_8)) {
            out.write(String.join(",", frame.names().stream().map(Holdout::quote).toList()));
            out.write('\n');
            for (int r = 0; r < frame.rowCount(); r++) {
                StringBuilder line = new StringBuilder();
                for (Column c : frame.columns()) {
                    if (!line.isEmpty() || c != frame.columns().getFirst()) line.append(',');
                    Object v = c.value(r);
                    if (v != null) line.append(quote(Grouping.render(v)));
                }
                out.write(line.append('\n').toString());
            }
        }
        Files.move(temp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }

    private static String quote(String s) {
        if (s.contains(",") || s.contains("\"") || s.contains("\n")) return "\"" + s.replace("\"", "\"\"") + "\"";
        return s;
    }
}
