package dev.cairn.server.serving;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A CSV request body (RFC 4180: a header row, commas, double quotes doubling to escape) as rows of
 * text; an empty cell is missing. The model's encoder converts the text to the signature's types.
 */
final class CsvRows {
    private CsvRows() {}

    static ParsedInput parse(String text, int maxRows) {
        List<List<String>> lines = records(text);
        if (lines.isEmpty()) {
            throw Problems.fatal("(request body)", "empty CSV", "a header row of column names and at least one data row");
        }
        List<String> header = lines.get(0);
        if (lines.size() - 1 > maxRows) throw Problems.tooManyRows(lines.size() - 1, maxRows);
        if (lines.size() < 2) {
            throw Problems.fatal("(request body)", "a header without rows", "at least one data row after the header");
        }
        Problems problems = new Problems();
        List<Map<String, Object>> rows = new ArrayList<>(lines.size() - 1);
        for (int r = 1; r < lines.size(); r++) {
            List<String> cells = lines.get(r);
            if (cells.size() != header.size()) {
                problems.add("(csv line " + (r + 1) + ")", cells.size() + " values", header.size() + " values, one per header column", r - 1);
                continue;
            }
            Map<String, Object> row = new LinkedHashMap<>();
            for (int i = 0; i < header.size(); i++) {
                String cell = cells.get(i);
                row.put(header.get(i), cell.isEmpty() ? null : cell);
            }
            rows.add(row);
        }
        problems.throwIfAny();
        return ParsedInput.named(rows);
    }

    static List<List<String>> records(String text) {
        List<List<String>> out = new ArrayList<>();
        List<String> current = new ArrayList<>();
        StringBuilder cell = new StringBuilder();
        boolean quoted = false;
        boolean any = false;
        int n = text.length();
        for (int i = 0; i < n; i++) {
            char c = text.charAt(i);
            if (quoted) {
                if (c == '"') {
                    if (i + 1 < n && text.charAt(i + 1) == '"') {
                        cell.append('"');
                        i++;
                    } else {
                        quoted = false;
                    }
                } else {
                    cell.append(c);
                }
            } else if (c == '"' && cell.isEmpty()) {
                quoted = true;
                any = true;
            } else if (c == ',') {
                current.add(cell.toString());
                cell.setLength(0);
                any = true;
            } else if (c == '\n' || c == '\r') {
                if (c == '\r' && i + 1 < n && text.charAt(i + 1) == '\n') i++;
                if (any || !cell.isEmpty()) {
                    current.add(cell.toString());
                    out.add(current);
                }
                current = new ArrayList<>();
                cell.setLength(0);
                any = false;
            } else {
                cell.append(c);
                any = true;
            }
        }
        if (quoted) {
            throw Problems.fatal("(request body)", "an unterminated quoted cell", "CSV with every opening quote closed");
        }
        if (any || !cell.isEmpty()) {
            current.add(cell.toString());
            out.add(current);
        }
        return out;
    }
}
