package dev.cairn.pipeline.snapshot;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.cairn.core.error.CairnException;
import dev.cairn.core.error.ErrorCode;
import dev.cairn.core.hash.Sha256;
import dev.cairn.core.store.ArtifactInfo;
import dev.cairn.core.store.ArtifactRepository;
import dev.cairn.core.store.Stores;
import dev.cairn.data.source.Column;
import dev.cairn.data.source.FileSource;
import dev.cairn.data.source.JdbcSource;
import dev.cairn.data.source.LoadedTable;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SnapshotsTest {
    private static final Instant START = Instant.parse("2026-01-01T02:00:00Z");

    @TempDir
    Path dir;

    private final MutableClock clock = new MutableClock(START);
    private Path artifacts;
    private ArtifactRepository store;
    private Snapshots snapshots;

    @BeforeEach
    void openStore() {
        artifacts = dir.resolve("artifacts");
        store = Stores.openArtifacts(artifacts.toUri().toString());
        snapshots = new Snapshots(store, "snapshots", clock);
    }

    @Test
    void theSameRowsTakenTwiceAreStoredOnce() throws Exception {
        Path csv = write("customers.csv", "id,name,score\n1,ada,0.5\n2,bob,0.25\n3,cy,\n");
        Snapshot first = snapshots.take(FileSource.of(csv), "customers");
        clock.advance(Duration.ofHours(24));
        Snapshot second = snapshots.take(FileSource.of(csv), "nightly-input");

        assertThat(first.reused()).isFalse();
        assertThat(second.reused()).isTrue();
        assertThat(second.sha256()).isEqualTo(first.sha256());
        assertThat(first.rows()).isEqualTo(3);
        assertThat(first.columns()).extracting(Column::name).containsExactly("id", "name", "score");
        assertThat(first.path()).isEqualTo("snapshots/sha256/" + first.sha256() + ".parquet");
        assertThat(first.uri()).isEqualTo(store.rootUri() + "/" + first.path());
        assertThat(parquetFiles()).containsExactly(first.path());
        assertThat(second.firstTakenAt()).isEqualTo(START);
        assertThat(second.lastTakenAt()).isEqualTo(START.plus(Duration.ofHours(24)));
        assertThat(second.names()).containsExactly("customers", "nightly-input");
        assertThat(snapshots.get(first.sha256()).lastTakenAt()).isEqualTo(second.lastTakenAt());
    }

    @Test
    void theHashIsOfTheRowsNotOfHowTheyWereStored() throws Exception {
        // The same 5000 rows as CSV and as Parquet written with tiny row groups: different files, different bytes.
        StringBuilder text = new StringBuilder("id,name,amount\n");
        for (int i = 0; i < 5000; i++) text.append(i).append(",n").append(i % 97).append(',').append(i * 0.25).append('\n');
        Path csv = write("rows.csv", text.toString());
        Path parquet = dir.resolve("rows.parquet");
        try (Connection duck = DriverManager.getConnection("jdbc:duckdb:"); Statement s = duck.createStatement()) {
            s.execute("COPY (SELECT * FROM read_csv('" + csv + "')) TO '" + parquet + "' (FORMAT parquet, ROW_GROUP_SIZE 100)");
        }

        Snapshot fromCsv = snapshots.take(FileSource.of(csv), "rows");
        Snapshot fromParquet = snapshots.take(FileSource.of(parquet), "rows");

        assertThat(fromParquet.sha256()).isEqualTo(fromCsv.sha256());
        assertThat(fromParquet.reused()).isTrue();
        assertThat(parquetFiles()).hasSize(1);
    }

    @Test
    void aChangedFileGivesANewSnapshotAndTheOldOneStillReadsBack() throws Exception {
        Path csv = write("customers.csv", "id,name\n1,ada\n2,bob\n");
        Snapshot before = snapshots.take(FileSource.of(csv), "customers");
        write("customers.csv", "id,name\n1,ada\n2,bob\n3,cy\n");
        Snapshot after = snapshots.take(FileSource.of(csv), "customers");

        assertThat(after.sha256()).isNotEqualTo(before.sha256());
        assertThat(after.reused()).isFalse();
        assertThat(after.rows()).isEqualTo(3);
        assertThat(parquetFiles()).hasSize(2);
        try (LoadedTable old = snapshots.open(before)) {
            assertThat(rows(old)).containsExactly(List.of("1", "ada"), List.of("2", "bob"));
        }
    }

    @Test
    void aJdbcQuerySnapshotReadsBackEqualAfterTheTableChangedAndWasDropped() throws Exception {
        String url = sqlite("master.db",
                "CREATE TABLE customers (id INTEGER, name TEXT, score REAL, segment TEXT)",
                "INSERT INTO customers VALUES (1, 'ada', 0.9, 'a'), (2, 'bob', 0.2, 'b'), (3, 'cy', 0.7, NULL), (4, 'di', NULL, 'a')");
        JdbcSource source = new JdbcSource(url, null, null, "SELECT id, name, score, segment FROM customers WHERE id <> 2 ORDER BY id");
        Snapshot snapshot = snapshots.take(source, "customers");
        List<List<String>> expected = List.of(
                List.of("1", "ada", "0.9", "a"), List.of("3", "cy", "0.7", "null"), List.of("4", "di", "null", "a"));

        execute(url, "UPDATE customers SET score = 0.1", "INSERT INTO customers VALUES (5, 'ed', 0.5, 'c')");
        Snapshot changed = snapshots.take(source, "customers");
        assertThat(changed.sha256()).isNotEqualTo(snapshot.sha256());
        execute(url, "DROP TABLE customers");

        try (LoadedTable table = snapshots.open(snapshot.sha256())) {
            assertThat(rows(table)).isEqualTo(expected);
            assertThat(table.columns()).extracting(Column::name, Column::duckType).containsExactly(
                    org.assertj.core.groups.Tuple.tuple("id", "BIGINT"), org.assertj.core.groups.Tuple.tuple("name", "VARCHAR"),
                    org.assertj.core.groups.Tuple.tuple("score", "DOUBLE"), org.assertj.core.groups.Tuple.tuple("segment", "VARCHAR"));
            assertThat(table.source().describe()).contains(snapshot.sha256()).contains("SELECT id, name, score");
        }
        assertThat(snapshot.columns()).extracting(Column::duckType).containsExactly("BIGINT", "VARCHAR", "DOUBLE", "VARCHAR");
    }

    @Test
    void theManifestDescribesTheSnapshotAndHoldsNoPassword() throws Exception {
        String url = sqlite("master.db", "CREATE TABLE sales (id INTEGER, amount REAL)", "INSERT INTO sales VALUES (1, 10.5), (2, 20.0)");
        Snapshot snapshot = snapshots.take(new JdbcSource(url, "analyst", "s3cr3t-pw", "sales"), "sales");

        String text;
        try (InputStream in = store.open(snapshots.manifestPath(snapshot.sha256()))) {
            text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        assertThat(text).doesNotContain("s3cr3t-pw").doesNotContainIgnoringCase("password");
        JsonNode json = new ObjectMapper().readTree(text);
        assertThat(json.get("format").asText()).isEqualTo("cairn.snapshot/v1");
        assertThat(json.get("sha256").asText()).isEqualTo(snapshot.sha256());
        assertThat(json.get("hash_scheme").asText()).isEqualTo("cairn.rows/v1");
        assertThat(json.get("rows").asLong()).isEqualTo(2);
        assertThat(json.get("columns").get(0).get("name").asText()).isEqualTo("id");
        assertThat(json.get("columns").get(0).get("type").asText()).isEqualTo("BIGINT");
        assertThat(json.get("columns").get(1).get("type").asText()).isEqualTo("DOUBLE");
        try (InputStream in = store.open(snapshot.path())) {
            assertThat(json.get("file_sha256").asText()).isEqualTo(Sha256.of(in));
        }
        assertThat(json.get("file_bytes").asLong()).isEqualTo(Files.size(artifacts.resolve(snapshot.path())));
        assertThat(json.get("names").get(0).asText()).isEqualTo("sales");
        JsonNode source = json.get("source");
        assertThat(source.get("kind").asText()).isEqualTo("jdbc");
        assertThat(source.get("url").asText()).isEqualTo(url);
        assertThat(source.get("user").asText()).isEqualTo("analyst");
        assertThat(source.get("query").asText()).isEqualTo("sales");
        assertThat(json.get("first_taken_at").asText()).isEqualTo("2026-01-01T02:00:00Z");
        assertThat(json.get("last_taken_at").asText()).isEqualTo("2026-01-01T02:00:00Z");
    }

    @Test
    void passwordsWrittenIntoAJdbcUrlAreRedacted() {
        assertThat(SnapshotSource.redact("jdbc:postgresql://db:5432/master?user=cairn&password=hunter2&ssl=true"))
                .isEqualTo("jdbc:postgresql://db:5432/master?user=cairn&password=***&ssl=true");
        assertThat(SnapshotSource.redact("jdbc:postgresql://cairn:hunter2@db/master")).isEqualTo("jdbc:postgresql://cairn:***@db/master");
        assertThat(SnapshotSource.redact("jdbc:sqlserver://db;user=cairn;Password=hunter2;database=x"))
                .isEqualTo("jdbc:sqlserver://db;user=cairn;Password=***;database=x");
        assertThat(SnapshotSource.redact("jdbc:sqlite:/data/master.db")).isEqualTo("jdbc:sqlite:/data/master.db");
        SnapshotSource source = SnapshotSource.of(new JdbcSource("jdbc:postgresql://db/m?password=hunter2", "u", "pw", "t"));
        assertThat(source.toString()).doesNotContain("hunter2").doesNotContain("=pw");
    }

    @Test
    void aCorruptedSnapshotFileIsDetectedOnOpenNamingTheSnapshot() throws Exception {
        Snapshot snapshot = snapshots.take(FileSource.of(write("a.csv", "id,name\n1,ada\n2,bob\n")), "a");
        Path file = artifacts.resolve(snapshot.path());
        byte[] bytes = Files.readAllBytes(file);
        bytes[bytes.length / 2] ^= 0x5a;
        Files.write(file, bytes);

        assertThatThrownBy(() -> snapshots.open(snapshot.sha256()))
                .isInstanceOfSatisfying(CairnException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.DATA_LOSS))
                .hasMessageContaining("Snapshot " + snapshot.sha256());
    }

    @Test
    void otherRowsStoredUnderASnapshotsNameAreDetectedEvenWhenTheStoreVouchesForTheBytes() throws Exception {
        Snapshot snapshot = snapshots.take(FileSource.of(write("a.csv", "id,name\n1,ada\n2,bob\n")), "a");
        Snapshot other = snapshots.take(FileSource.of(write("b.csv", "id,name\n1,ada\n2,eve\n")), "b");
        // Written through the store, so its own checksum record matches the new bytes: only the rows' hash can tell.
        byte[] otherBytes = Files.readAllBytes(artifacts.resolve(other.path()));
        store.put(snapshot.path(), new ByteArrayInputStream(otherBytes));

        assertThatThrownBy(() -> snapshots.open(snapshot.sha256()))
                .isInstanceOfSatisfying(CairnException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.DATA_LOSS))
                .hasMessageContaining("Snapshot " + snapshot.sha256() + " is corrupt: its rows hash to " + other.sha256());
        assertThatThrownBy(() -> snapshots.verify(snapshot.sha256())).hasMessageContaining(snapshot.sha256());
        assertThatThrownBy(() -> snapshots.copyTo(snapshot.sha256(), dir.resolve("out/a.parquet")))
                .hasMessageContaining(snapshot.sha256());
        assertThat(dir.resolve("out/a.parquet")).doesNotExist();
    }

    @Test
    void aSourceThatFailsMidwayLeavesNothingInTheStore() throws Exception {
        String url = sqlite("master.db", "CREATE TABLE t (id INTEGER)", "INSERT INTO t VALUES (1), (2), (3), (4), (5)");
        // abs() of the smallest 64-bit integer overflows: SQLite fails on the fourth row, after three were streamed.
        JdbcSource failing = new JdbcSource(url, null, null,
                "SELECT id, CASE WHEN id = 4 THEN abs(-9223372036854775807 - 1) ELSE id END AS v FROM t");

        assertThatThrownBy(() -> snapshots.take(failing, "t")).isInstanceOf(CairnException.class)
                .hasMessageContaining("Cannot read jdbc:sqlite").hasMessageContaining("integer overflow");
        assertThat(storedFiles()).isEmpty();
        assertThat(snapshots.list()).isEmpty();
    }

    @Test
    void aStoreThatIsNotALocalDirectoryIsReadThroughAVerifiedCopy() throws Exception {
        Snapshots remote = new Snapshots(new RemoteLikeStore(store), "snapshots", clock);
        Snapshot snapshot = remote.take(FileSource.of(write("a.csv", "id,name\n1,ada\n2,bob\n")), "a");
        assertThat(snapshot.uri()).isEqualTo("s3://test-bucket/artifacts/snapshots/sha256/" + snapshot.sha256() + ".parquet");
        try (LoadedTable table = remote.open(snapshot)) {
            assertThat(rows(table)).containsExactly(List.of("1", "ada"), List.of("2", "bob"));
        }

        Path file = artifacts.resolve(snapshot.path());
        byte[] bytes = Files.readAllBytes(file);
        bytes[bytes.length / 2] ^= 0x5a;
        Files.write(file, bytes);
        assertThatThrownBy(() -> remote.open(snapshot.sha256()))
                .isInstanceOfSatisfying(CairnException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.DATA_LOSS))
                .hasMessageContaining("Snapshot " + snapshot.sha256());
    }

    @Test
    void pruneDeletesOldUnpinnedSnapshotsAndKeepsTheNewestAndThePinned() throws Exception {
        Snapshot a = takeAt(0, "a.csv", "id\n1\n");
        Snapshot b = takeAt(1, "b.csv", "id\n2\n");
        Snapshot c = takeAt(2, "c.csv", "id\n3\n");
        Snapshot d = takeAt(3, "d.csv", "id\n4\n");
        Snapshot e = takeAt(10, "e.csv", "id\n5\n");
        // c is taken again on day 9: in use, so young again.
        clock.advance(Duration.ofDays(-1));
        assertThat(snapshots.take(FileSource.of(dir.resolve("c.csv")), "c").reused()).isTrue();
        clock.advance(Duration.ofDays(1));

        // Day 10: keep what was taken in the last 5 days, the 2 newest, and a (pinned by a registered model's run).
        int deleted = snapshots.prune(new RetentionPolicy(Duration.ofDays(5), 2, Set.of(a.sha256())));

        assertThat(deleted).isEqualTo(2);
        assertThat(snapshots.list()).extracting(Snapshot::sha256).containsExactly(e.sha256(), c.sha256(), a.sha256());
        assertThat(snapshots.find(b.sha256())).isEmpty();
        assertThat(snapshots.find(d.sha256())).isEmpty();
        assertThat(parquetFiles()).hasSize(3);
        assertThat(storedFiles()).hasSize(6);
        assertThatThrownBy(() -> snapshots.open(b.sha256()))
                .isInstanceOfSatisfying(CairnException.class, ex -> assertThat(ex.code()).isEqualTo(ErrorCode.RESOURCE_DOES_NOT_EXIST));

        // keep_last alone keeps the newest whatever their age.
        clock.advance(Duration.ofDays(100));
        assertThat(snapshots.prune(new RetentionPolicy(Duration.ZERO, 1, Set.of()))).isEqualTo(2);
        assertThat(snapshots.list()).extracting(Snapshot::sha256).containsExactly(e.sha256());
    }

    @Test
    void pruneRemovesAManifestWhoseParquetWasNeverWrittenOnceItIsOld() throws Exception {
        Snapshot a = takeAt(0, "a.csv", "id\n1\n");
        // What a take that died between its two writes leaves: the manifest alone.
        store.delete(a.path());
        assertThat(snapshots.find(a.sha256())).isEmpty();
        assertThat(snapshots.prune(new RetentionPolicy(Duration.ofDays(1), 0, Set.of()))).isZero();
        assertThat(storedFiles()).hasSize(1);

        clock.advance(Duration.ofDays(2));
        assertThat(snapshots.prune(new RetentionPolicy(Duration.ofDays(1), 0, Set.of()))).isZero();
        assertThat(storedFiles()).isEmpty();

        // A take of the same rows writes them again.
        Snapshot again = snapshots.take(FileSource.of(dir.resolve("a.csv")), "a");
        assertThat(again.sha256()).isEqualTo(a.sha256());
        assertThat(again.reused()).isFalse();
        try (LoadedTable table = snapshots.open(again)) {
            assertThat(rows(table)).containsExactly(List.of("1"));
        }
    }

    @Test
    void copyToWritesTheStoredFileVerified() throws Exception {
        Snapshot snapshot = snapshots.take(FileSource.of(write("a.csv", "id,name\n1,ada\n")), "a");
        Path copy = snapshots.copyTo(snapshot.sha256(), dir.resolve("reproduce/data.parquet"));
        assertThat(Files.readAllBytes(copy)).isEqualTo(Files.readAllBytes(artifacts.resolve(snapshot.path())));
        assertThat(snapshots.verify(snapshot.sha256()).sha256()).isEqualTo(snapshot.sha256());
    }

    @Test
    void badArgumentsAreNamed() {
        String unknown = "0".repeat(64);
        assertThatThrownBy(() -> snapshots.open(unknown))
                .isInstanceOfSatisfying(CairnException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.RESOURCE_DOES_NOT_EXIST))
                .hasMessageContaining(unknown);
        assertThatThrownBy(() -> snapshots.open("abc")).hasMessageContaining("'snapshot'").hasMessageContaining("64 lower-case hex");
        assertThatThrownBy(() -> snapshots.take(FileSource.of(dir.resolve("missing.csv")), "x"))
                .isInstanceOfSatisfying(CairnException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.RESOURCE_DOES_NOT_EXIST));
        assertThatThrownBy(() -> snapshots.take(FileSource.of(dir.resolve("missing.csv")), " ")).hasMessageContaining("'name'");
        assertThatThrownBy(() -> new Snapshots(store, "../up", clock)).hasMessageContaining("'prefix'");
        assertThatThrownBy(() -> new RetentionPolicy(Duration.ofDays(-1), 0, Set.of())).hasMessageContaining("'keep_for'");
        assertThatThrownBy(() -> new RetentionPolicy(Duration.ZERO, -1, Set.of())).hasMessageContaining("'keep_last'");
        assertThatThrownBy(() -> new RetentionPolicy(Duration.ZERO, 0, Set.of("ABC"))).hasMessageContaining("'pinned'");
    }

    // ---- helpers ----

    private Snapshot takeAt(int day, String file, String content) throws IOException {
        clock.advance(Duration.between(clock.instant(), START.plus(Duration.ofDays(day))));
        return snapshots.take(FileSource.of(write(file, content)), file);
    }

    private Path write(String name, String content) throws IOException {
        return Files.writeString(dir.resolve(name), content);
    }

    private String sqlite(String file, String... statements) throws SQLException {
        String url = "jdbc:sqlite:" + dir.resolve(file);
        execute(url, statements);
        return url;
    }

    private static void execute(String url, String... statements) throws SQLException {
        try (Connection c = DriverManager.getConnection(url); Statement s = c.createStatement()) {
            for (String sql : statements) s.execute(sql);
        }
    }

    private static List<List<String>> rows(LoadedTable table) throws SQLException {
        List<List<String>> rows = new ArrayList<>();
        try (Statement s = table.connection().createStatement(); ResultSet r = s.executeQuery("SELECT * FROM " + table.relation())) {
            int n = r.getMetaData().getColumnCount();
            while (r.next()) {
                List<String> row = new ArrayList<>();
                for (int i = 1; i <= n; i++) row.add(String.valueOf(r.getString(i)));
                rows.add(row);
            }
        }
        return rows;
    }

    private List<String> parquetFiles() {
        return store.list("snapshots/sha256").stream().map(ArtifactInfo::path).filter(p -> p.endsWith(".parquet")).toList();
    }

    /** Every file under the artifact root but the store's checksum records. */
    private List<Path> storedFiles() throws IOException {
        if (!Files.exists(artifacts)) return List.of();
        try (Stream<Path> files = Files.walk(artifacts)) {
            // Temporary files of an interrupted write (.cairn-tmp-*) count: none may be left.
            return files.filter(Files::isRegularFile)
                    .filter(p -> !artifacts.relativize(p).toString().startsWith(".cairn-checksums"))
                    .toList();
        }
    }
}
