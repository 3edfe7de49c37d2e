package dev.cairn.pipeline.example;

import dev.cairn.core.error.CairnException;
import dev.cairn.core.error.ErrorCode;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * The German credit data (credit-g, 1,000 applicants, 700 good and 300 bad), bundled with this package as a copy
 * of {@code examples/credit-risk/credit-g.csv}: the example's customers, so the master data can be made without a
 * checkout of the repository. The project's data readers load files into DuckDB for profiling; this fixed,
 * unquoted resource is read line by line instead, its header checked so a changed copy fails loudly.
 */
final class CreditG {
    static final String RESOURCE = "credit-g.csv";
    private static final String HEADER = "customer_id," + String.join(",", Applicant.COLUMNS) + ",class";

    /** A credit-g row: its customer number, its application and its label (good or bad). */
    record Row(int customerId, Applicant applicant, String label) {}

    private CreditG() {}

    /** The bundled rows, in file order. */
    static List<Row> rows() {
        try (InputStream in = CreditG.class.getResourceAsStream(RESOURCE)) {
            if (in == null) throw new CairnException(ErrorCode.INTERNAL_ERROR, "The bundled " + RESOURCE + " is missing");
            return read(new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8)));
        } catch (IOException e) {
            throw new CairnException(ErrorCode.INTERNAL_ERROR, "Cannot read the bundled " + RESOURCE + ": " + e.getMessage(), e);
        }
    }

    private static List<Row> read(BufferedReader reader) throws IOException {
        String header = reader.readLine();
        if (!HEADER.equals(header)) {
            throw new CairnException(ErrorCode.INTERNAL_ERROR, "The bundled " + RESOURCE + " has header '" + header
                    + "', expected '" + HEADER + "'");
        }
        List<Row> rows = new ArrayList<>();
        String line;
        int number = 1;
        while ((line = reader.readLine()) != null) {
            number++;
            if (line.isBlank()) continue;
            String[] f = line.split(",", -1);
            if (f.length != 22) {
                throw new CairnException(ErrorCode.INTERNAL_ERROR, RESOURCE + " line " + number + " has " + f.length
                        + " fields, expected 22");
            }
            Applicant a = new Applicant(f[1], Integer.parseInt(f[2]), f[3], f[4], Integer.parseInt(f[5]), f[6], f[7],
                    Integer.parseInt(f[8]), f[9], f[10], Integer.parseInt(f[11]), f[12], Integer.parseInt(f[13]), f[14],
                    f[15], Integer.parseInt(f[16]), f[17], Integer.parseInt(f[18]), f[19], f[20]);
            rows.add(new Row(Integer.parseInt(f[0]), a, f[21]));
        }
        return List.copyOf(rows);
    }
}
