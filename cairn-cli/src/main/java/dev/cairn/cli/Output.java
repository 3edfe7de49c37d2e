package dev.cairn.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.cairn.core.text.Printable;
import dev.cairn.server.JsonMappers;
import java.io.PrintStream;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Option;

/** Renders results as an aligned table for people or as JSON for programs ({@code --json}). */
public final class Output {
    // The same JSON as the REST API gives (snake_case fields), so scripts can use either.
    private static final ObjectMapper JSON = JsonMappers.lenient().copy().enable(SerializationFeature.INDENT_OUTPUT);

    @Option(names = "--json", description = "Print JSON instead of a table.")
    boolean json;

    public boolean json() {
        return json;
    }

    public void printJson(PrintStream out, Object value) {
        try {
            out.println(JSON.writeValueAsString(value));
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException("cannot render JSON", e);
        }
    }

    /** Prints rows under a header, each column as wide as its widest cell. */
    public static void printTable(PrintStream out, List<String> header, List<List<String>> rows) {
        int[] widths = new int[header.size()];
        List<List<String>> all = new ArrayList<>();
        all.add(header);
        all.addAll(rows);
        for (List<String> row : all) {
            for (int i = 0; i < widths.length; i++) {
                widths[i] = Math.max(widths[i], cell(row, i).length());
            }
        }
        for (List<String> row : all) {
            StringBuilder line = new StringBuilder();
            for (int i = 0; i < widths.length; i++) {
                String cell = cell(row, i);
                line.append(cell);
                if (i < widths.length - 1) line.append(" ".repeat(widths[i] - cell.length() + 2));
            }
            out.println(line.toString().stripTrailing());
        }
        if (rows.isEmpty()) out.println("(none)");
    }

    /** A cell as printed: a value with a newline or an escape sequence (an actor, a reason) cannot forge a row. */
    private static String cell(List<String> row, int i) {
        String s = i < row.size() ? row.get(i) : "";
        return s == null ? "" : Printable.escape(s);
    }

    /** Epoch milliseconds as an ISO instant, or "" when absent. */
    public static String time(Long epochMillis) {
        return epochMillis == null || epochMillis == 0 ? "" : Instant.ofEpochMilli(epochMillis).toString();
    }
}
