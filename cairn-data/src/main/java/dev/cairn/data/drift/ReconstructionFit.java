package dev.cairn.data.drift;

import dev.cairn.core.error.CairnException;
import dev.cairn.core.error.ErrorCode;
import dev.cairn.data.drift.ReconstructionModel.Categorical;
import dev.cairn.data.drift.ReconstructionModel.Feature;
import dev.cairn.data.drift.ReconstructionModel.Numeric;
import dev.cairn.data.source.Column;
import dev.cairn.data.source.ColumnKind;
import dev.cairn.data.source.DataReader;
import dev.cairn.data.source.LoadedTable;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.commons.math3.linear.EigenDecomposition;
import org.apache.commons.math3.linear.RealMatrix;
import org.apache.commons.math3.stat.correlation.Covariance;

/** Fits a {@link ReconstructionModel} on a loaded table: the sample, the encodings, the PCA and the thresholds. */
final class ReconstructionFit {
    /**
     * The kept components explaining this close to all the variance means the reference
     * reconstructs exactly (its errors are rounding noise), so the error could not show drift.
     */
    private static final double ALL_VARIANCE = 1 - 1e-9;

    private ReconstructionFit() {}

    static ReconstructionModel fit(LoadedTable table, List<String> names, int chunks, int maxRows) {
        List<Column> columns = columns(table, names);
        if (chunks < 2) throw CairnException.invalid("chunks", chunks, "at least 2 (the thresholds need the spread between chunks)");
        Sample sample;
        try {
            sample = read(table, columns, maxRows);
        } catch (SQLException e) {
            throw DataReader.queryError(table.source(), "read the multivariate reference from", e);
        }
        int n = sample.rows();
        if (n < chunks) {
            throw CairnException.invalid("chunks", chunks, "at most the " + n + " rows of " + table.source().describe());
        }

        List<Feature> features = new ArrayList<>();
        double[][] z = new double[n][columns.size()];
        for (int i = 0; i < columns.size(); i++) {
            String name = columns.get(i).name();
            if (sample.numbers[i] != null) {
                double[] raw = sample.numbers[i];
                Numeric f = numeric(name, raw);
                features.add(f);
                for (int r = 0; r < n; r++) z[r][i] = ReconstructionDrift.standardize(f, Double.isNaN(raw[r]) ? null : raw[r]);
            } else {
                String[] raw = sample.texts[i];
                Categorical f = categorical(name, raw);
                features.add(f);
                for (int r = 0; r < n; r++) z[r][i] = ReconstructionDrift.standardize(f, raw[r]);
            }
        }

        Pca pca = pca(z, names);
        double[] errors = new double[n];
        for (int r = 0; r < n; r++) errors[r] = ReconstructionDrift.error(z[r], pca.components);
        // Equal consecutive chunks; the last n % chunks rows are in the fit but in no chunk.
        int size = n / chunks;
        double[] chunkMeans = new double[chunks];
        for (int c = 0; c < chunks; c++) chunkMeans[c] = mean(Arrays.copyOfRange(errors, c * size, (c + 1) * size));
        double mean = mean(chunkMeans);
        // The population standard deviation of the chunks' means, as NannyML takes it (numpy's std).
        double std = Math.sqrt(squaredDeviations(chunkMeans, mean) / chunks);
        double[] band = ReconstructionDrift.band(mean, std, 1);
        return new ReconstructionModel(ReconstructionModel.FORMAT, features,
                Arrays.stream(pca.components).map(w -> Arrays.stream(w).boxed().toList()).toList(),
                Arrays.stream(pca.ratios).boxed().toList(), mean, std, band[0], band[1], n, size);
    }

    private static List<Column> columns(LoadedTable table, List<String> names) {
        if (names == null || names.size() < 2) {
            throw CairnException.invalid("features", names, "at least 2 features (with one, every row would reconstruct exactly)");
        }
        Set<String> seen = new HashSet<>();
        List<Column> columns = new ArrayList<>();
        for (String name : names) {
            if (!seen.add(name)) throw CairnException.invalid("features", name, "each feature named once");
            Column c = table.column(name).orElseThrow(() -> CairnException.invalid("features", name, "a column of "
                    + table.source().describe() + ": " + table.columns().stream().map(Column::name).toList()));
            if (c.kind() == ColumnKind.TEMPORAL) {
                throw CairnException.invalid("features", name, "a numeric, text or boolean column (it holds " + c.duckType() + ")");
            }
            columns.add(c);
        }
        return columns;
    }

    /** The rows used, column by column: numbers (NaN when missing or not finite) or text (null when missing). */
    private record Sample(double[][] numbers, String[][] texts, int rows) {}

    /**
     * Every row of a table of at most {@code maxRows} rows; of a larger one, with n rows, the row
     * numbered r (from 0, in the table's order) when {@code floor(r·max/n)} steps up there: exactly
     * {@code maxRows} rows, evenly spread, the same for the same table.
     */
    private static Sample read(LoadedTable table, List<Column> columns, int maxRows) throws SQLException {
        long total;
        try (Statement s = table.connection().createStatement(); ResultSet r = s.executeQuery("SELECT count(*) FROM " + table.relation())) {
            r.next();
            total = r.getLong(1);
        }
        StringBuilder select = new StringBuilder();
        for (int i = 0; i < columns.size(); i++) {
            Column c = columns.get(i);
            select.append(i > 0 ? ", " : "").append(c.kind() == ColumnKind.NUMERIC
                    ? "TRY_CAST(" + c.sql() + " AS DOUBLE)" : "CAST(" + c.sql() + " AS VARCHAR)").append(" AS v").append(i);
        }
        String sql;
        int rows;
        if (total <= maxRows) {
            sql = "SELECT " + select + " FROM " + table.relation();
            rows = (int) total;
        } else {
            String kept = "cairn_row = 0 OR (cairn_row * " + maxRows + ") // " + total + " > ((cairn_row - 1) * " + maxRows + ") // " + total;
            StringBuilder outer = new StringBuilder();
            for (int i = 0; i < columns.size(); i++) outer.append(i > 0 ? ", " : "").append('v').append(i);
            sql = "SELECT " + outer + " FROM (SELECT " + select + ", row_number() OVER () - 1 AS cairn_row FROM " + table.relation()
                    + ") WHERE " + kept + " ORDER BY cairn_row";
            rows = maxRows;
        }
        double[][] numbers = new double[columns.size()][];
        String[][] texts = new String[columns.size()][];
        for (int i = 0; i < columns.size(); i++) {
            if (columns.get(i).kind() == ColumnKind.NUMERIC) numbers[i] = new double[rows]; else texts[i] = new String[rows];
        }
        int r = 0;
        try (Statement s = table.connection().createStatement(); ResultSet result = s.executeQuery(sql)) {
            while (result.next() && r < rows) {
                for (int i = 0; i < columns.size(); i++) {
                    if (numbers[i] != null) {
                        double v = result.getDouble(i + 1);
                        numbers[i][r] = result.wasNull() || !Double.isFinite(v) ? Double.NaN : v;
                    } else {
                        texts[i][r] = result.getString(i + 1);
                    }
                }
                r++;
            }
        }
        if (r != rows) {
            throw new CairnException(ErrorCode.INTERNAL_ERROR, "Read " + r + " of the " + rows + " reference rows of " + table.source().describe());
        }
        return new Sample(numbers, texts, rows);
    }

    /** Missing values take the mean of the present ones (0 when none is); mean and std are then of the imputed column. */
    private static Numeric numeric(String name, double[] raw) {
        double sum = 0;
        int present = 0;
        for (double v : raw) {
            if (!Double.isNaN(v)) {
                sum += v;
                present++;
            }
        }
        double impute = present == 0 ? 0 : sum / present;
        double[] imputed = new double[raw.length];
        for (int r = 0; r < raw.length; r++) imputed[r] = Double.isNaN(raw[r]) ? impute : raw[r];
        double[] moments = moments(imputed);
        return new Numeric(name, impute, moments[0], moments[1]);
    }

    /**
     * Missing values take the most frequent value (the smallest in text order among equals; "" when
     * none is present); each value encodes as its share of the imputed rows, as a count encoder
     * after a most-frequent imputer gives. Only the {@link ReconstructionDrift#MAX_CATEGORIES} most
     * frequent values are kept, the others encode as 0 here as everywhere.
     */
    private static Categorical categorical(String name, String[] raw) {
        Map<String, Integer> counts = new HashMap<>();
        int missing = 0;
        for (String v : raw) {
            if (v == null) missing++; else counts.merge(v, 1, Integer::sum);
        }
        Comparator<Map.Entry<String, Integer>> order = Map.Entry.<String, Integer>comparingByValue().reversed()
                .thenComparing(Map.Entry.comparingByKey());
        String impute = counts.entrySet().stream().min(order).map(Map.Entry::getKey).orElse("");
        if (missing > 0) counts.merge(impute, missing, Integer::sum);
        Map<String, Double> frequencies = new LinkedHashMap<>();
        counts.entrySet().stream().sorted(order).limit(ReconstructionDrift.MAX_CATEGORIES)
                .forEach(e -> frequencies.put(e.getKey(), e.getValue() / (double) raw.length));
        Categorical unscaled = new Categorical(name, impute, 0, 1, frequencies);
        double[] encoded = new double[raw.length];
        for (int r = 0; r < raw.length; r++) encoded[r] = ReconstructionDrift.standardize(unscaled, raw[r]);
        double[] moments = moments(encoded);
        return new Categorical(name, impute, moments[0], moments[1], frequencies);
    }

    /**
     * Mean and population standard deviation (as a standard scaler takes them); a constant column
     * gets its value as mean and 1 as std, so that it standardizes to exactly 0 and adds nothing.
     */
    private static double[] moments(double[] values) {
        double min = Double.POSITIVE_INFINITY;
        double max = Double.NEGATIVE_INFINITY;
        for (double v : values) {
            min = Math.min(min, v);
            max = Math.max(max, v);
        }
        if (min == max) return new double[] {min, 1};
        double mean = mean(values);
        return new double[] {mean, Math.sqrt(squaredDeviations(values, mean) / values.length)};
    }

    private record Pca(double[][] components, double[] ratios) {}

    /**
     * The eigenvectors of the standardized reference's covariance with the largest eigenvalues, the
     * fewest whose eigenvalues make at least {@link ReconstructionDrift#VARIANCE_KEPT} of the total.
     * An eigenvector's sign is arbitrary; its largest entry is made positive so the same data give
     * the same JSON.
     */
    private static Pca pca(double[][] z, List<String> names) {
        int d = z[0].length;
        RealMatrix covariance = new Covariance(z).getCovarianceMatrix();
        EigenDecomposition eigen = new EigenDecomposition(covariance);
        double[] values = eigen.getRealEigenvalues();
        Integer[] order = new Integer[d];
        for (int i = 0; i < d; i++) order[i] = i;
        Arrays.sort(order, Comparator.<Integer>comparingDouble(i -> -values[i]).thenComparingInt(i -> i));
        double total = 0;
        for (double v : values) total += Math.max(v, 0);
        if (!(total > 0)) {
            throw CairnException.invalid("features", names, "features that vary in the reference (every one is constant)");
        }
        int k = 0;
        double kept = 0;
        while (k < d && kept / total < ReconstructionDrift.VARIANCE_KEPT) kept += Math.max(values[order[k++]], 0);
        if (kept / total >= ALL_VARIANCE) {
            throw CairnException.invalid("features", names, "features whose structure the " + k + " components explaining "
                    + ReconstructionDrift.VARIANCE_KEPT + " of their variance leave something of (they explain all of it, so every"
                    + " reference row would reconstruct exactly and the error could not show drift)");
        }
        double[][] components = new double[k][];
        double[] ratios = new double[k];
        for (int j = 0; j < k; j++) {
            double[] w = eigen.getEigenvector(order[j]).toArray();
            int largest = 0;
            for (int i = 1; i < d; i++) if (Math.abs(w[i]) > Math.abs(w[largest])) largest = i;
            if (w[largest] < 0) for (int i = 0; i < d; i++) w[i] = -w[i];
            components[j] = w;
            ratios[j] = Math.max(values[order[j]], 0) / total;
        }
        return new Pca(components, ratios);
    }

    private static double mean(double[] values) {
        double sum = 0;
        for (double v : values) sum += v;
        return sum / values.length;
    }

    private static double squaredDeviations(double[] values, double mean) {
        double sum = 0;
        for (double v : values) sum += (v - mean) * (v - mean);
        return sum;
    }
}
