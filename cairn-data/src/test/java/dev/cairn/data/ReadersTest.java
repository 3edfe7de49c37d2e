package dev.cairn.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.cairn.core.error.CairnException;
import dev.cairn.core.error.ErrorCode;
import dev.cairn.data.profile.DatasetProfile;
import dev.cairn.data.source.CsvOptions;
import dev.cairn.data.source.FileSource;
import dev.cairn.data.source.JdbcSource;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ReadersTest {
    @TempDir
    Path dir;

    private final DataValidation data = new DataValidation();

    @Test
    void aMissingFileIsAUserErrorNamingTheFile() {
        Path missing = dir.resolve("nope.csv");
        assertThatThrownBy(() -> data.profile(DataValidation.file(missing)))
                .isInstanceOfSatisfying(CairnException.class, e -> {
                    assertThat(e.code()).isEqualTo(ErrorCode.RESOURCE_DOES_NOT_EXIST);
                    assertThat(e.code().exitCode()).isEqualTo(2);
                })
                .hasMessageContaining(missing.toString());
    }

    @Test
    void aFileInAnotherEncodingIsRefusedWithTheLineAndReadWhenTheEncodingIsGiven() throws Exception {
        Path latin = dir.resolve("latin.csv");
        Files.write(latin, "name,city\nann,K\u00f6ln\n".getBytes(java.nio.charset.StandardCharsets.ISO_8859_1));
        assertThatThrownBy(() -> data.profile(DataValidation.file(latin)))
                .isInstanceOfSatisfying(CairnException.class, e -> assertThat(e.code().exitCode()).isEqualTo(2))
                .hasMessageContaining("latin.csv").hasMessageContaining("utf-8").hasMessageContaining("line 2");
        DatasetProfile p = data.profile(FileSource.csv(latin, CsvOptions.DEFAULT.withEncoding("latin-1")));
        assertThat(p.column("city").orElseThrow().strings().topValues().getFirst().value()).isEqualTo("K\u00f6ln");
    }

    @Test
    void readsSemicolonDelimitedQuotedCsv() throws Exception {
        Path csv = TestFiles.write(dir, "semi.csv", "a;b\n1;\"x;y\"\n2;\"he said \"\"hi\"\"\"\n");
        DatasetProfile p = data.profile(FileSource.csv(csv, CsvOptions.DEFAULT.withDelimiter(";")));
        assertThat(p.rowCount()).isEqualTo(2);
        assertThat(p.column("b").orElseThrow().strings().topValues()).extracting(v -> v.value())
                .containsExactlyInAnyOrder("x;y", "he said \"hi\"");
    }

    @Test
    void anUnknownExtensionOrEncodingIsRefused() {
        assertThatThrownBy(() -> DataValidation.file(dir.resolve("data.xlsx"))).hasMessageContaining(".parquet");
        assertThatThrownBy(() -> CsvOptions.DEFAULT.withEncoding("ebcdic")).hasMessageContaining("utf-8, utf-16, latin-1");
    }

    @Test
    void streamsASqliteTableAndQuery() throws Exception {
        Path db = dir.resolve("loans.db");
        String url = "jdbc:sqlite:" + db;
        try (Connection c = DriverManager.getConnection(url); Statement s = c.createStatement()) {
            s.execute("CREATE TABLE loans (id INTEGER, amount REAL, grade TEXT)");
            s.execute("INSERT INTO loans VALUES (1, 10.5, 'A'), (2, NULL, 'B'), (3, 30.0, 'A')");
        }
        DatasetProfile table = data.profile(new JdbcSource(url, null, null, "loans"));
        assertThat(table.rowCount()).isEqualTo(3);
        assertThat(table.column("amount").orElseThrow().missing()).isEqualTo(1);
        assertThat(table.column("amount").orElseThrow().numeric().mean()).isEqualTo(20.25);
        DatasetProfile query = data.profile(new JdbcSource(url, null, null, "SELECT grade, count(*) AS n FROM loans GROUP BY grade"));
        assertThat(query.rowCount()).isEqualTo(2);
        assertThat(query.column("n").orElseThrow().numeric().max()).isEqualTo(2.0);
    }

    @Test
    void aSqliteValueThatDoesNotFitItsDeclaredTypeNamesColumnAndRow() throws Exception {
        String url = "jdbc:sqlite:" + dir.resolve("bad.db");
        try (Connection c = DriverManager.getConnection(url); Statement s = c.createStatement()) {
            s.execute("CREATE TABLE t (id INTEGER, age INTEGER)");
            s.execute("INSERT INTO t VALUES (1, 30), (2, 'old')");
        }
        assertThatThrownBy(() -> data.profile(new JdbcSource(url, null, null, "t")))
                .isInstanceOf(CairnException.class).hasMessageContaining("'age'").hasMessageContaining("row 2").hasMessageContaining("old");
    }

    @Test
    void streamsAPostgresqlQuery() throws Exception {
        try (EmbeddedPostgres pg = EmbeddedPostgres.builder().start()) {
            String url = pg.getJdbcUrl("postgres", "postgres");
            try (Connection c = DriverManager.getConnection(url); Statement s = c.createStatement()) {
                s.execute("CREATE TABLE events (id bigint, score double precision, kind text, at timestamp)");
                s.execute("INSERT INTO events SELECT i, i * 0.5, CASE WHEN i % 2 = 0 THEN 'even' ELSE 'odd' END, now() FROM generate_series(1, 25000) i");
            }
            DatasetProfile p = data.profile(new JdbcSource(url, null, null, "SELECT * FROM events WHERE id <= 20000"));
            assertThat(p.rowCount()).isEqualTo(20_000);
            assertThat(p.column("score").orElseThrow().numeric().max()).isEqualTo(10_000.0);
            assertThat(p.column("kind").orElseThrow().strings().distinct()).isEqualTo(2);
            assertThat(p.column("at").orElseThrow().missing()).isZero();
            assertThatThrownBy(() -> data.profile(new JdbcSource(url, null, null, "SELECT nope FROM events")))
                    .isInstanceOf(CairnException.class).hasMessageContaining("Cannot run the query");
        }
    }
}
