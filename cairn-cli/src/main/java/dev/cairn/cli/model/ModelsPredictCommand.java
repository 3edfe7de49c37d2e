package dev.cairn.cli.model;

import dev.cairn.cli.Output;
import dev.cairn.cli.StoreOptions;
import dev.cairn.core.error.CairnException;
import dev.cairn.core.error.ErrorCode;
import dev.cairn.runtime.FieldError;
import dev.cairn.runtime.InvalidInputException;
import dev.cairn.runtime.Model;
import dev.cairn.runtime.Models;
import dev.cairn.runtime.Prediction;
import dev.cairn.runtime.pkg.Signature;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code cairn models predict --model models:/credit-risk@champion --input rows.json [--explain] [--json]}:
 * loads a model through the store (or a server with {@code --server}) and predicts the rows of a
 * JSON or CSV file, label and probabilities per row. Rows that do not match the model's signature
 * are refused before anything is predicted, with the row and field named (exit code 2).
 */
@Command(name = "predict", mixinStandardHelpOptions = true,
        description = "Predict the rows of a JSON (object or array of objects) or CSV file with a model.")
public final class ModelsPredictCommand implements Callable<Integer> {

    /** How many contributions the table shows per row with --explain (JSON has them all). */
    private static final int TOP_CONTRIBUTIONS = 3;

    @Mixin StoreOptions store;
    @Mixin Output output;

    @Option(names = "--model", required = true, paramLabel = "URI",
            description = "models:/name@alias, models:/name/version, runs:/<run>/model, or a package directory or zip.")
    String model;

    @Option(names = "--input", required = true, paramLabel = "FILE", description = "Rows to predict: .json (an object or an array of objects) or .csv.")
    Path input;

    @Option(names = "--format", paramLabel = "FORMAT", description = "json or csv (default: from the file's extension).")
    String format;

    @Option(names = "--server", paramLabel = "URL", description = "Resolve the model through a running Cairn server instead of the store, e.g. http://127.0.0.1:5000.")
    String server;

    @Option(names = "--explain", description = "Add each input's contribution to the prediction (XGBoost TreeSHAP, linear terms).")
    boolean explain;

    /** One row's prediction as --json prints it (row numbers start at 1, as in the error messages). */
    record Row(int row, String label, Map<String, Double> probabilities, Double value, Map<String, Double> contributions) {}

    @Override
    public Integer call() {
        List<Map<String, Object>> rows = InputRows.read(input, InputRows.format(format));
        try (PackageSource source = new PackageSource(store, server);
             Model loaded = Models.load(source.resolve(model))) {
            Signature signature = loaded.signature();
            noteUnusedColumns(rows, signature);
            if (explain && !loaded.supportsContributions()) {
                throw CairnException.invalid("explain", true, "a model whose flavor gives contributions (xgboost, linear), not "
                        + loaded.manifest().flavor());
            }
            List<Prediction> predictions = predict(loaded, rows);
            List<Row> out = new ArrayList<>(predictions.size());
            for (int i = 0; i < predictions.size(); i++) {
                Prediction p = predictions.get(i);
                out.add(new Row(i + 1, p.label(), p.probabilities(), p.value(), p.contributions()));
            }
            if (output.json()) {
                Map<String, Object> json = new LinkedHashMap<>();
                json.put("model", model);
                json.put("predictions", out);
                output.printJson(System.out, json);
            } else {
                printTable(signature, out);
            }
            return 0;
        }
    }

    /** Columns the model does not use are ignored (as by every entry point), with a note. */
    private static void noteUnusedColumns(List<Map<String, Object>> rows, Signature signature) {
        Set<String> inputs = new LinkedHashSet<>(signature.inputNames());
        Set<String> unused = new TreeSet<>();
        for (Map<String, Object> row : rows) {
            row.keySet().stream().filter(k -> !inputs.contains(k)).forEach(unused::add);
        }
        if (!unused.isEmpty()) {
            System.err.println("cairn: note: ignoring columns the model does not use: " + String.join(", ", unused));
        }
    }

    /** Validates every row first (so a bad row fails the whole call), then explains each if asked. */
    private List<Prediction> predict(Model loaded, List<Map<String, Object>> rows) {
        List<Prediction> predictions;
        try {
            predictions = loaded.predict(rows);
        } catch (InvalidInputException e) {
            throw oneLine(e, rows);
        }
        if (!explain) return predictions;
        return rows.stream().map(loaded::explain).toList();
    }

    /** The first problem with its 1-based row, plus how many more, as one line for the terminal. */
    private CairnException oneLine(InvalidInputException e, List<Map<String, Object>> rows) {
        FieldError first = e.errors().get(0);
        if (first.field().equals(FieldError.ROW)) {
            // Almost surely the wrong file or shape: say what the row holds instead.
            Set<String> keys = first.row() < rows.size() ? rows.get(first.row()).keySet() : Set.of();
            return CairnException.invalid("input " + input + " row " + first.rowNumber(), keys.isEmpty() ? "{}" : String.join(",", keys),
                    first.expected());
        }
        String value = first.value() == null ? "nothing" : first.value() instanceof CharSequence ? "'" + first.value() + "'"
                : String.valueOf(first.value());
        int more = e.errors().size() - 1;
        String message = "Input " + input + " row " + first.rowNumber() + ", field '" + first.field() + "': got " + value
                + ", expected " + first.expected() + (more == 0 ? "" : " (and " + more + " more problem" + (more == 1 ? "" : "s") + ")");
        return new CairnException(ErrorCode.INVALID_PARAMETER_VALUE, message, e.details(), e);
    }

    private static void printTable(Signature signature, List<Row> rows) {
        boolean classifier = signature.output().isClassifier();
        List<String> header = new ArrayList<>(List.of("ROW"));
        List<String> classes = classifier ? signature.output().classes() : List.of();
        if (classifier) {
            header.add("LABEL");
            classes.forEach(c -> header.add("P(" + c + ")"));
        } else {
            header.add("VALUE");
        }
        boolean contributions = rows.stream().anyMatch(r -> r.contributions() != null);
        if (contributions) header.add("TOP CONTRIBUTIONS");
        List<List<String>> table = new ArrayList<>();
        for (Row r : rows) {
            List<String> cells = new ArrayList<>(List.of(Integer.toString(r.row())));
            if (classifier) {
                cells.add(r.label());
                classes.forEach(c -> cells.add(decimal(r.probabilities() == null ? null : r.probabilities().get(c))));
            } else {
                cells.add(decimal(r.value()));
            }
            if (contributions) cells.add(top(r.contributions()));
            table.add(cells);
        }
        Output.printTable(System.out, header, table);
    }

    private static String top(Map<String, Double> contributions) {
        if (contributions == null) return "";
        return contributions.entrySet().stream()
                .filter(e -> !e.getKey().equals(Prediction.BIAS))
                .sorted(Comparator.comparingDouble((Map.Entry<String, Double> e) -> -Math.abs(e.getValue())))
                .limit(TOP_CONTRIBUTIONS)
                .map(e -> e.getKey() + String.format(Locale.ROOT, " %+.3f", e.getValue()))
                .collect(Collectors.joining(", "));
    }

    private static String decimal(Double v) {
        return v == null ? "" : String.format(Locale.ROOT, "%.4f", v);
    }
}
