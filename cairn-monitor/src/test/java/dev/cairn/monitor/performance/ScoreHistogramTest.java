package dev.cairn.monitor.performance;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.cairn.core.error.CairnException;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class ScoreHistogramTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    private static String field(Throwable e) {
        return (String) ((CairnException) e).details().get("field");
    }

    @Test
    void countsScoresInEqualBinsWithTheThresholdRuleOnEdges() {
        ScoreHistogram h = new ScoreHistogram(4);
        h.add(0.0).add(0.2499).add(0.25).add(0.5).add(0.74).add(1.0).add(1.7).add(-0.3).add(Double.NaN);

        // [0, .25) [.25, .5) [.5, .75) [.75, 1]: a score on an edge counts above it, as score >= threshold does.
        assertThat(h.counts()).containsExactly(3, 1, 2, 2);
        assertThat(h.count()).isEqualTo(8); // NaN is not counted
        assertThat(h.midpoint(1)).isEqualTo(0.375);

        ScoreHistogram fine = ScoreHistogram.of(0.5, 0.4999999, 0.3, 0.001, 0.999);
        assertThat(fine.bins()).isEqualTo(1000);
        assertThat(fine.count(500)).isEqualTo(1);
        assertThat(fine.count(499)).isEqualTo(1);
        assertThat(fine.count(300)).isEqualTo(1);
        assertThat(fine.count(1)).isEqualTo(1);
        assertThat(fine.count(999)).isEqualTo(1);
    }

    @Test
    void duckDbBinsEveryScoreAsTheHistogramDoes() throws Exception {
        // Edges of bins and their neighbours one ulp away, the clamped ends, infinities, negative zero, tiny and random scores.
        List<Double> scores = new ArrayList<>(List.of(0.0, -0.0, 1.0, 0.5, 0.001, 0.999, 1e-300, -1e-300, 1.7, -0.3, 1e300,
                Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY, Double.MIN_VALUE, 0.1, 0.7, 0.3));
        for (int b = 0; b <= 1000; b += 7) {
            double edge = b / 1000.0;
            scores.addAll(List.of(edge, Math.nextUp(edge), Math.nextDown(edge)));
        }
        Random random = new Random(11);
        for (int i = 0; i < 2000; i++) scores.add(random.nextDouble());
        for (int bins : new int[] {1, 4, 10, 1000, 999_983}) {
            ScoreHistogram java = new ScoreHistogram(bins);
            ScoreHistogram sql = new ScoreHistogram(bins);
            try (Connection c = DriverManager.getConnection("jdbc:duckdb:"); Statement s = c.createStatement()) {
                s.execute("CREATE TABLE t (score DOUBLE)");
                try (PreparedStatement insert = c.prepareStatement("INSERT INTO t VALUES (?)")) {
                    for (double v : scores) {
                        java.add(v);
                        insert.setDouble(1, v);
                        insert.addBatch();
                    }
                    insert.executeBatch();
                }
                try (ResultSet r = s.executeQuery("SELECT " + ScoreHistogram.binSql("score", bins) + ", count(*) FROM t GROUP BY 1")) {
                    while (r.next()) sql.add(r.getInt(1), r.getLong(2));
                }
            }
            assertThat(sql.counts()).as("%d bins", bins).isEqualTo(java.counts());
        }
    }

    @Test
    void mergingSegmentsEqualsTheHistogramOfTheirUnionInAnyOrder() {
        Random random = new Random(5);
        ScoreHistogram a = new ScoreHistogram(), b = new ScoreHistogram(), c = new ScoreHistogram(), all = new ScoreHistogram();
        for (int i = 0; i < 3000; i++) {
            double s = random.nextDouble();
            (i % 3 == 0 ? a : i % 3 == 1 ? b : c).add(s);
            all.add(s);
        }

        ScoreHistogram abc = a.copy().merge(b).merge(c);
        ScoreHistogram cba = c.copy().merge(b.copy().merge(a));
        assertThat(abc).isEqualTo(all).isEqualTo(cba);
        assertThat(abc.count()).isEqualTo(3000);
        assertThat(a.count()).isEqualTo(1000); // copy() left the segment alone
    }

    @Test
    void jsonKeepsOnlyTheNonEmptyBinsInOrder() throws Exception {
        ScoreHistogram h = ScoreHistogram.of(0.9, 0.05, 0.05, 0.0123);
        String json = JSON.writeValueAsString(h);

        assertThat(json).isEqualTo("{\"bins\":1000,\"counts\":{\"12\":1,\"50\":2,\"900\":1}}");
        assertThat(JSON.readValue(json, ScoreHistogram.class)).isEqualTo(h);
        assertThat(JSON.readValue("{\"bins\":10}", ScoreHistogram.class).count()).isZero();
    }

    @Test
    void badHistogramsAreRefusedNamingTheField() {
        assertThatThrownBy(() -> new ScoreHistogram(0)).isInstanceOf(CairnException.class)
                .satisfies(e -> assertThat(field(e)).isEqualTo("bins"));
        assertThatThrownBy(() -> new ScoreHistogram(4).add(4, 1)).isInstanceOf(CairnException.class)
                .satisfies(e -> assertThat(field(e)).isEqualTo("bin"));
        assertThatThrownBy(() -> new ScoreHistogram(4).add(0, -1)).isInstanceOf(CairnException.class)
                .satisfies(e -> assertThat(field(e)).isEqualTo("count"));
        assertThatThrownBy(() -> new ScoreHistogram(10).merge(new ScoreHistogram(20)))
                .satisfies(e -> assertThat(field(e)).isEqualTo("bins")).hasMessageContaining("10 bins");
        assertThatThrownBy(() -> JSON.readValue("{\"bins\":10,\"counts\":{\"10\":1}}", ScoreHistogram.class))
                .rootCause().satisfies(e -> assertThat(field(e)).isEqualTo("counts"));
        assertThatThrownBy(() -> JSON.readValue("{\"bins\":10,\"counts\":{\"3\":-1}}", ScoreHistogram.class))
                .rootCause().satisfies(e -> assertThat(field(e)).isEqualTo("counts.3"));
        assertThatThrownBy(() -> JSON.readValue("{\"counts\":{}}", ScoreHistogram.class))
                .rootCause().satisfies(e -> assertThat(field(e)).isEqualTo("bins"));
    }
}
