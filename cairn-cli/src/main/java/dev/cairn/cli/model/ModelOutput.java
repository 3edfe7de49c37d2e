package dev.cairn.cli.model;

import dev.cairn.cli.Output;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** Rendering shared by the training commands. */
final class ModelOutput {
    private ModelOutput() {}

    static void printMetrics(Map<String, Double> metrics) {
        List<List<String>> rows = new ArrayList<>();
        metrics.forEach((k, v) -> rows.add(List.of(k, format(v))));
        Output.printTable(System.out, List.of("METRIC", "VALUE"), rows);
    }

    static String format(double v) {
        return Double.isNaN(v) ? "-" : String.format(Locale.ROOT, "%.4f", v);
    }
}
