package dev.cairn.pipeline.snapshot;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.cairn.core.error.CairnException;
import dev.cairn.core.error.ErrorCode;
import dev.cairn.data.source.FileSource;
import dev.cairn.data.source.JdbcSource;
import dev.cairn.data.source.QuerySource;
import dev.cairn.train.data.Fingerprint;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SourceFingerprintsTest {
    @TempDir
    Path dir;

    private final SourceFingerprints fingerprints = new SourceFingerprints();

    @Test
    void aFilesFingerprintIsTheHashATrainingRunRecordsAndChangesOnlyWithItsBytes() throws Exception {
        Path csv = Files.writeString(dir.resolve("customers.csv"), "id,name\n1,ada\n");
        SourceFingerprint first = fingerprints.of(FileSource.of(csv));

        assertThat(first).isInstanceOfSatisfying(SourceFingerprint.FileContent.class, f -> {
            assertThat(f.sha256()).isEqualTo(Fingerprint.sha256(csv));
            assertThat(f.size()).isEqualTo(14);
        });
        assertThat(first.token()).isEqualTo("sha256:" + Fingerprint.sha256(csv));
        // Written again with the same bytes (a new modification time): nothing changed.
        Files.writeString(csv, "id,name\n1,ada\n");
        assertThat(fingerprints.of(FileSource.of(csv))).isEqualTo(first);
        // The same size, other bytes: changed.
        Files.writeString(csv, "id,name\n1,bob\n");
        SourceFingerprint changed = fingerprints.of(FileSource.of(csv));
        assertThat(changed).isNotEqualTo(first);
        assertThat(changed.token()).isNotEqualTo(first.token());
        // A fresh instance (a restarted server) computes the same fingerprint.
        assertThat(new SourceFingerprints().of(FileSource.of(csv))).isEqualTo(changed);
    }

    @Test
    void aFileStillForLongerThanTheRacyWindowIsRecognisedBySizeAndTimeWithoutHashing() throws Exception {
        Path csv = Files.writeString(dir.resolve("old.csv"), "id\n1\n");
        Files.setLastModifiedTime(csv, FileTime.from(Instant.now().minus(Duration.ofHours(1))));
        SourceFingerprint first = fingerprints.of(FileSource.of(csv));
        assertThat(fingerprints.of(FileSource.of(csv))).isEqualTo(first);
        assertThat(fingerprints.filesHashed()).isEqualTo(1);

        Files.writeString(csv, "id\n1\n2\n");
        assertThat(fingerprints.of(FileSource.of(csv))).isNotEqualTo(first);
        assertThat(fingerprints.filesHashed()).isEqualTo(2);
    }

    @Test
    void aFileModifiedJustNowIsHashedEveryTime() throws Exception {
        Path csv = Files.writeString(dir.resolve("new.csv"), "id\n1\n");
        Files.setLastModifiedTime(csv, FileTime.from(Instant.now()));
        fingerprints.of(FileSource.of(csv));
        fingerprints.of(FileSource.of(csv));
        // Within the racy window a write could keep size and time: the stat alone is not trusted.
        assertThat(fingerprints.filesHashed()).isEqualTo(2);
    }

    @Test
    void aTablesFingerprintChangesOnAnInsertOrANewMaximumTimestampAndNotOtherwise() throws Exception {
        String url = "jdbc:sqlite:" + dir.resolve("master.db");
        execute(url, "CREATE TABLE sales (id INTEGER, customer INTEGER, amount REAL, sold_at TEXT)",
                "INSERT INTO sales VALUES (1, 10, 5.0, '2026-01-01 10:00:00'), (2, 11, 7.5, '2026-01-02 09:30:00')");
        JdbcSource sales = new JdbcSource(url, null, null, "sales");
        SourceFingerprint base = fingerprints.of(sales, "sold_at");

        assertThat(base).isEqualTo(new SourceFingerprint.TableState(url + " (sales)", 2, "sold_at", "2026-01-02 09:30:00"));
        assertThat(base.token()).isEqualTo("rows=2;max(sold_at)=2026-01-02 09:30:00");
        assertThat(fingerprints.of(sales, "sold_at")).isEqualTo(base);

        // Neither the count nor the watched maximum moves: unseen by design.
        execute(url, "UPDATE sales SET amount = 6.0 WHERE id = 1");
        assertThat(fingerprints.of(sales, "sold_at")).isEqualTo(base);

        execute(url, "UPDATE sales SET sold_at = '2026-01-03 08:00:00' WHERE id = 1");
        SourceFingerprint updated = fingerprints.of(sales, "sold_at");
        assertThat(updated).isNotEqualTo(base);
        assertThat(((SourceFingerprint.TableState) updated).maxTimestamp()).isEqualTo("2026-01-03 08:00:00");

        execute(url, "INSERT INTO sales VALUES (3, 12, 1.0, '2026-01-01 00:00:00')");
        SourceFingerprint inserted = fingerprints.of(sales, "sold_at");
        assertThat(inserted).isNotEqualTo(updated);
        assertThat(((SourceFingerprint.TableState) inserted).rows()).isEqualTo(3);
        assertThat(fingerprints.of(sales, "sold_at")).isEqualTo(inserted);

        // Without a timestamp column, the count alone.
        assertThat(fingerprints.of(sales)).isEqualTo(new SourceFingerprint.TableState(url + " (sales)", 3, null, null));
    }

    @Test
    void aQueryIsCountedInTheSourceDatabase() throws Exception {
        String url = "jdbc:sqlite:" + dir.resolve("master.db");
        execute(url, "CREATE TABLE sales (id INTEGER, customer INTEGER, sold_at TEXT)",
                "INSERT INTO sales VALUES (1, 10, '2026-01-01'), (2, 11, '2026-01-02'), (3, 10, '2026-01-05')");
        JdbcSource query = new JdbcSource(url, "analyst", "s3cr3t-pw", "SELECT * FROM sales WHERE customer = 10;");

        SourceFingerprint fingerprint = fingerprints.of(query, "sold_at");
        assertThat(fingerprint).isInstanceOfSatisfying(SourceFingerprint.TableState.class, t -> {
            assertThat(t.rows()).isEqualTo(2);
            assertThat(t.maxTimestamp()).isEqualTo("2026-01-05");
        });
        assertThat(fingerprint.toString()).doesNotContain("s3cr3t-pw");
    }

    @Test
    void aDuckdbQuerySourceIsCountedToo() throws Exception {
        Path csv = Files.writeString(dir.resolve("log.csv"), "id,at\n1,2026-01-01\n2,2026-01-03\n");
        QuerySource query = new QuerySource("prediction log", "SELECT * FROM read_csv('" + csv + "')");
        assertThat(fingerprints.of(query, "at"))
                .isEqualTo(new SourceFingerprint.TableState("prediction log", 2, "at", "2026-01-03"));
    }

    @Test
    void errorsNameTheSource() throws Exception {
        String url = "jdbc:sqlite:" + dir.resolve("master.db");
        execute(url, "CREATE TABLE sales (id INTEGER)");
        // SQLite reads a quoted name that is no column as a string: the column is checked, not left to the database.
        assertThatThrownBy(() -> fingerprints.of(new JdbcSource(url, null, null, "sales"), "sold_at"))
                .isInstanceOf(CairnException.class).hasMessageContaining("'timestamp_column'").hasMessageContaining("'sold_at'")
                .hasMessageContaining("a column of " + url + " (sales): one of [id]");
        assertThat(fingerprints.of(new JdbcSource(url, null, null, "sales"), "ID").token()).isEqualTo("rows=0;max(ID)=null");
        assertThatThrownBy(() -> fingerprints.of(new JdbcSource(url, null, null, "returns")))
                .isInstanceOf(CairnException.class).hasMessageContaining("Cannot fingerprint " + url + " (returns)")
                .hasMessageContaining("no such table");
        assertThatThrownBy(() -> fingerprints.of(FileSource.of(dir.resolve("missing.csv"))))
                .isInstanceOfSatisfying(CairnException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.RESOURCE_DOES_NOT_EXIST))
                .hasMessageContaining("missing.csv");
        assertThatThrownBy(() -> fingerprints.of(new JdbcSource(url, null, null, "sales"), " "))
                .hasMessageContaining("'timestamp_column'");
    }

    private static void execute(String url, String... statements) throws SQLException {
        try (Connection c = DriverManager.getConnection(url); Statement s = c.createStatement()) {
            for (String sql : statements) s.execute(sql);
        }
    }
}
