package dev.cairn.monitor.multivariate;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cairn.core.schema.Field;
import dev.cairn.core.schema.FieldType;
import dev.cairn.data.drift.ReconstructionDrift;
import dev.cairn.data.drift.ReconstructionModel;
import dev.cairn.data.source.DataReader;
import dev.cairn.data.source.LoadedTable;
import dev.cairn.data.source.QuerySource;
import dev.cairn.data.source.Sql;
import dev.cairn.monitor.MonitoredModel;
import dev.cairn.runtime.pkg.OutputSpec;
import dev.cairn.runtime.pkg.Signature;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class MultivariateTest {
    /** Reference rows: two correlated numbers, a skewed category, a boolean category (hashed draws of the row number). */
    private static final String REFERENCE = "SELECT x1, x1 * 0.8 + (hash(i, 2) % 100) / 50.0 AS x2, 'c' || (hash(i, 3) % 7)::VARCHAR AS grade, "
            + "(hash(i, 4) % 3 = 0) AS flag FROM (SELECT i, (hash(i, 1) % 1000) / 10.0 AS x1 FROM range(3000) t(i))";
    /** Window rows with what the reference lacks: missing, NaN and infinite numbers, unseen and missing categories. */
    private static final String WINDOW = "SELECT CASE i % 17 WHEN 0 THEN NULL WHEN 1 THEN 'NaN'::DOUBLE WHEN 2 THEN 'inf'::DOUBLE "
            + "ELSE (hash(i, 5) % 1200) / 10.0 END AS x1, (hash(i, 6) % 900) / 9.0 AS x2, "
            + "CASE i % 13 WHEN 0 THEN NULL WHEN 1 THEN 'unseen' WHEN 2 THEN '' ELSE 'c' || (hash(i, 7) % 9)::VARCHAR END AS grade, "
            + "CASE i % 11 WHEN 0 THEN NULL ELSE (hash(i, 8) % 2 = 0) END AS flag FROM range(5000) t(i)";

    @Test
    @DisplayName("the error added to a window's rows is the reconstruction drift's own SQL's, bit for bit")
    void theErrorIsReconstructionDriftsToTheLastBit() throws Exception {
        ReconstructionModel fitted;
        try (LoadedTable reference = DataReader.open(new QuerySource("reference", REFERENCE))) {
            fitted = ReconstructionDrift.fit(reference, List.of("x1", "x2", "grade", "flag"), 10);
        }
        assertThat(fitted.features()).extracting(f -> f.getClass().getSimpleName()).containsExactly("Numeric", "Numeric", "Categorical", "Categorical");
        Signature signature = new Signature(List.of(new Field("x1", FieldType.DOUBLE, true, null, null, null, null),
                new Field("x2", FieldType.DOUBLE, true, null, null, null, null), new Field("grade", FieldType.STRING, true, null, null, null, null),
                new Field("flag", FieldType.BOOLEAN, true, null, null, null, null)), OutputSpec.binary("class", "bad", "good"));
        MonitoredModel model = new MonitoredModel("m", "1", signature, 0.5, null, null, fitted.toJson());

        String withError = Multivariate.withError(model, "SELECT *, row_number() OVER () AS n FROM (" + WINDOW + ")", "err");
        String theirs = ReconstructionDrift.errorSql(fitted, name -> name.equals("grade") || name.equals("flag")
                ? "CAST(" + Sql.identifier(name) + " AS VARCHAR)" : Sql.identifier(name));
        try (LoadedTable window = DataReader.open(new QuerySource("window", withError));
             Statement s = window.connection().createStatement();
             ResultSet r = s.executeQuery("SELECT count(*), count(*) FILTER (WHERE err IS DISTINCT FROM " + theirs + "), count(DISTINCT err), "
                     + "count(*) FILTER (WHERE x1 IS NULL OR isnan(x1) OR isinf(x1)), count(*) FILTER (WHERE grade = 'unseen') FROM " + window.relation())) {
            r.next();
            assertThat(r.getLong(1)).isEqualTo(5000);
            assertThat(r.getLong(2)).as("rows whose error differs").isZero();
            assertThat(r.getLong(3)).isGreaterThan(1000);
            assertThat(r.getLong(4)).isPositive();
            assertThat(r.getLong(5)).isPositive();
        }
        assertThat(Multivariate.withError(new MonitoredModel("m", "1", signature, 0.5, null, null, null), WINDOW, "err")).isNull();
    }
}
