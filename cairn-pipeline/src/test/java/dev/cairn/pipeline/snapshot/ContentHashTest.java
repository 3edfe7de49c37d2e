package dev.cairn.pipeline.snapshot;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.TimeZone;
import org.junit.jupiter.api.Test;

class ContentHashTest {

    private static final String FIRST = "(1, 'a', TIMESTAMP '2026-01-01 10:00:00', DATE '2026-01-01', 0.5::DOUBLE, NULL::VARCHAR)";
    private static final String SECOND = "(2, 'b', TIMESTAMP '2026-03-29 02:30:00', DATE '2026-03-29', -0.0::DOUBLE, 'x')";
    private static final String COLUMNS = "t(id, name, seen, day, score, note)";

    @Test
    void theHashCoversValuesTypesNamesAndOrderButNotTheJvmsTimeZone() throws Exception {
        String base = hash(values(FIRST, SECOND, COLUMNS));

        assertThat(hash(values(FIRST, SECOND, COLUMNS))).isEqualTo(base);
        // The rows in another order, a renamed column, another type, a null spelt as text: all other content.
        assertThat(hash(values(SECOND, FIRST, COLUMNS))).isNotEqualTo(base);
        assertThat(hash(values(FIRST, SECOND, COLUMNS.replace("note", "remark")))).isNotEqualTo(base);
        assertThat(hash(values(FIRST.replace("(1,", "(1::BIGINT,"), SECOND.replace("(2,", "(2::BIGINT,"), COLUMNS)))
                .isNotEqualTo(base);
        assertThat(hash(values(FIRST.replace("NULL::VARCHAR", "'null'"), SECOND, COLUMNS))).isNotEqualTo(base);
        assertThat(hash(values(FIRST, SECOND.replace("-0.0", "0.0"), COLUMNS))).isNotEqualTo(base);

        // 2026-03-29 02:30 does not exist in Paris (clocks jump at 02:00): a hash through java.sql.Timestamp would move.
        TimeZone zone = TimeZone.getDefault();
        try {
            TimeZone.setDefault(TimeZone.getTimeZone("Europe/Paris"));
            assertThat(hash(values(FIRST, SECOND, COLUMNS))).isEqualTo(base);
        } finally {
            TimeZone.setDefault(zone);
        }
    }

    private static String values(String first, String second, String columns) {
        return "SELECT * FROM (VALUES " + first + ", " + second + ") " + columns;
    }

    @Test
    void aLongTextCrossingTheBufferIsHashedWhole() throws Exception {
        String a = hash("SELECT repeat('x', 200000) || 'a' AS t");
        String b = hash("SELECT repeat('x', 200000) || 'b' AS t");
        assertThat(a).isNotEqualTo(b);
        assertThat(hash("SELECT repeat('x', 200000) || 'a' AS t")).isEqualTo(a);
    }

    private static String hash(String select) throws SQLException {
        try (Connection c = DriverManager.getConnection("jdbc:duckdb:"); Statement s = c.createStatement()) {
            s.execute("CREATE TABLE t AS " + select);
            return ContentHash.of(c, "t").sha256();
        }
    }
}
