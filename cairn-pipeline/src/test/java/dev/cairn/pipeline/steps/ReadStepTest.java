package dev.cairn.pipeline.steps;

import static dev.cairn.core.pipeline.LineageEdge.Direction.INPUT;
import static dev.cairn.core.pipeline.LineageEdge.Direction.OUTPUT;
import static dev.cairn.pipeline.steps.StepFixture.assertDeclaredOutputs;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.cairn.core.error.CairnException;
import dev.cairn.core.error.ErrorCode;
import dev.cairn.pipeline.engine.StepResult;
import dev.cairn.pipeline.spec.StepType;
import dev.cairn.pipeline.steps.StepFixture.Attempt;
import dev.cairn.pipeline.steps.StepFixture.Edge;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ReadStepTest {
    @TempDir
    static Path dir;

    private static StepFixture fixture;
    private final ReadStep read = new ReadStep();

    @BeforeAll
    static void open() {
        fixture = new StepFixture(dir);
    }

    @AfterAll
    static void close() {
        fixture.close();
    }

    @Test
    void aFileIsSnapshottedAndItsHashIsTheFingerprint() throws Exception {
        Attempt a = fixture.attempt(StepType.READ, "read", Map.of("source", StepFixture.CREDIT.toString()));
        StepResult result = read.run(a.context());

        assertDeclaredOutputs(StepType.READ, result);
        String sha = (String) result.outputs().get("sha256");
        assertThat(result.outputs()).containsEntry("table", "snapshot:" + sha).containsEntry("rows", 1000L)
                .containsEntry("fingerprint", sha);
        assertThat(fixture.snapshots.get(sha).rows()).isEqualTo(1000);
        assertThat(fixture.snapshots.get(sha).names()).contains("read");
        assertThat(a.sink().edges()).containsExactly(
                new Edge(INPUT, "source", StepFixture.CREDIT.toUri().toString(), null),
                new Edge(OUTPUT, "snapshot", "snapshot:" + sha, sha));
        assertThat(a.sink().log()).contains("Snapshot " + sha + ": 1000 rows, 22 columns");
    }

    @Test
    void aSemicolonFileWithAnOddExtensionIsReadAsTheStepSays() throws Exception {
        Path file = fixture.creditCopy("credit.data", fields -> fields);
        Files.writeString(file, Files.readString(file).replace(',', ';'));
        Attempt a = fixture.attempt(StepType.READ, "read", Map.of("source", "credit.data", "format", "csv", "delimiter", ";"));
        StepResult result = read.run(a.context());

        assertThat(result.outputs()).containsEntry("rows", 1000L);
        // The same rows as the comma-separated original: the same content hash.
        Attempt original = fixture.attempt(StepType.READ, "read", Map.of("source", StepFixture.CREDIT.toString()));
        assertThat(read.run(original.context()).outputs().get("sha256")).isEqualTo(result.outputs().get("sha256"));
    }

    @Test
    void aJdbcQueryIsSnapshottedWithTheFingerprintQuerysResult() throws Exception {
        Path db = fixture.workspaceDir.resolve("sales.db");
        execute(db, "CREATE TABLE sales (id INTEGER, amount REAL, sold_at TEXT)",
                "INSERT INTO sales VALUES (1, 10.5, '2026-02-27'), (2, 20.0, '2026-02-28'), (3, 5.25, '2026-03-01')");
        Attempt a = fixture.attempt(StepType.READ, "read", Map.of("source", "jdbc:sqlite:sales.db",
                "query", "SELECT id, amount FROM sales WHERE amount > 6",
                "fingerprint", "SELECT count(*) AS n, max(sold_at) AS latest FROM sales"));
        StepResult result = read.run(a.context());

        assertDeclaredOutputs(StepType.READ, result);
        assertThat(result.outputs()).containsEntry("rows", 2L).containsEntry("fingerprint", "query:n=3;latest=2026-03-01");
        String sha = (String) result.outputs().get("sha256");
        assertThat(a.sink().edges()).containsExactly(
                new Edge(INPUT, "source", "jdbc:sqlite:" + db, null),
                new Edge(OUTPUT, "snapshot", "snapshot:" + sha, sha));

        execute(db, "INSERT INTO sales VALUES (4, 1.0, '2026-03-02')");
        Attempt again = fixture.attempt(StepType.READ, "read", Map.of("source", "jdbc:sqlite:sales.db",
                "query", "SELECT id, amount FROM sales WHERE amount > 6",
                "fingerprint", "SELECT count(*) AS n, max(sold_at) AS latest FROM sales"));
        StepResult second = read.run(again.context());
        assertThat(second.outputs()).containsEntry("sha256", sha).containsEntry("fingerprint", "query:n=4;latest=2026-03-02");
    }

    @Test
    void anUnchangedFingerprintReusesTheSnapshotAndAChangedTableIsReadAgain() throws Exception {
        Path db = fixture.workspaceDir.resolve("orders.db");
        execute(db, "CREATE TABLE orders (id INTEGER, amount REAL)", "INSERT INTO orders VALUES (1, 10.5), (2, 20.0)");
        Map<String, Object> with = Map.of("source", "jdbc:sqlite:orders.db", "query", "SELECT id, amount FROM orders",
                "fingerprint", "SELECT count(*) AS n, sum(amount) AS total FROM orders");
        Attempt first = fixture.attempt(StepType.READ, "read", with);
        String sha = (String) read.run(first.context()).outputs().get("sha256");
        assertThat(first.sink().log()).contains("Reading ");

        // Nothing changed: the same snapshot, and the source is not read again (its rows are not even hashed).
        Attempt again = fixture.attempt(StepType.READ, "read", with);
        StepResult unchanged = read.run(again.context());
        assertDeclaredOutputs(StepType.READ, unchanged);
        assertThat(unchanged.outputs()).containsEntry("sha256", sha).containsEntry("rows", 2L)
                .containsEntry("fingerprint", "query:n=2;total=30.5");
        assertThat(again.sink().log()).doesNotContain("Reading ").contains("not read again");
        assertThat(again.sink().edges()).contains(new Edge(OUTPUT, "snapshot", "snapshot:" + sha, sha));

        // A row updated in place (the count stays): the fingerprint moves, the table is read again.
        execute(db, "UPDATE orders SET amount = 99.0 WHERE id = 2");
        Attempt changed = fixture.attempt(StepType.READ, "read", with);
        StepResult reread = read.run(changed.context());
        assertThat(changed.sink().log()).contains("Reading ");
        assertThat(reread.outputs().get("sha256")).isNotEqualTo(sha);
        assertThat(reread.outputs()).containsEntry("fingerprint", "query:n=2;total=109.5");

        // A pruned snapshot is read again even with a remembered fingerprint.
        execute(db, "UPDATE orders SET amount = 20.0 WHERE id = 2");
        Attempt back = fixture.attempt(StepType.READ, "read", with);
        assertThat(read.run(back.context()).outputs()).containsEntry("sha256", sha);
        assertThat(back.sink().log()).contains("not read again");
        fixture.artifacts.delete(fixture.snapshots.dataPath(sha));
        Attempt pruned = fixture.attempt(StepType.READ, "read", with);
        assertThat(read.run(pruned.context()).outputs()).containsEntry("sha256", sha);
        assertThat(pruned.sink().log()).contains("Reading ");
    }

    @Test
    void withoutAFingerprintQueryATableIsAlwaysReadAndAChangedFileIsReadAgain() throws Exception {
        Path db = fixture.workspaceDir.resolve("prices.db");
        execute(db, "CREATE TABLE prices (id INTEGER, price REAL)", "INSERT INTO prices VALUES (1, 1.5)");
        Map<String, Object> table = Map.of("source", "jdbc:sqlite:prices.db", "table", "prices");
        String before = (String) read.run(fixture.attempt(StepType.READ, "read", table).context()).outputs().get("sha256");
        // Same row count, other rows: a count is no fingerprint to trust, so the table is read every time.
        execute(db, "UPDATE prices SET price = 2.5");
        Attempt a = fixture.attempt(StepType.READ, "read", table);
        assertThat(read.run(a.context()).outputs().get("sha256")).isNotEqualTo(before);
        assertThat(a.sink().log()).contains("Reading ");

        Path file = fixture.creditCopy("credit-changing.csv", fields -> fields);
        Map<String, Object> csv = Map.of("source", "credit-changing.csv");
        String original = (String) read.run(fixture.attempt(StepType.READ, "read", csv).context()).outputs().get("sha256");
        Attempt same = fixture.attempt(StepType.READ, "read", csv);
        assertThat(read.run(same.context()).outputs()).containsEntry("sha256", original).containsEntry("fingerprint", original);
        assertThat(same.sink().log()).contains("not read again");
        String text = Files.readString(file);
        Files.writeString(file, text.substring(0, text.lastIndexOf('\n', text.length() - 2) + 1));
        Attempt shorter = fixture.attempt(StepType.READ, "read", csv);
        StepResult result = read.run(shorter.context());
        assertThat(shorter.sink().log()).contains("Reading ");
        assertThat(result.outputs()).containsEntry("rows", 999L);
        assertThat(result.outputs().get("sha256")).isNotEqualTo(original);
    }

    @Test
    void aTableIsNamedInTheLineageAndThePasswordComesFromTheEnvironment() throws Exception {
        Path db = fixture.workspaceDir.resolve("customers.db");
        execute(db, "CREATE TABLE customers (id INTEGER, name TEXT)", "INSERT INTO customers VALUES (1, 'ada'), (2, 'bob')");
        fixture.environment.put("DB_PASSWORD", "s3cret");
        Attempt a = fixture.attempt(StepType.READ, "read", Map.of("source", "jdbc:sqlite:customers.db", "table", "customers",
                "password_env", "DB_PASSWORD", "user", "reader"));
        StepResult result = read.run(a.context());

        assertThat(result.outputs()).containsEntry("rows", 2L);
        assertThat(a.sink().inputs()).containsExactly(new Edge(INPUT, "source", "jdbc:sqlite:" + db + "#customers", null));
        assertThat(a.sink().log()).doesNotContain("s3cret");
    }

    @Test
    void errorsNameTheField() throws Exception {
        assertThatThrownBy(() -> read.run(fixture.attempt(StepType.READ, "read",
                Map.of("source", "missing.csv")).context()))
                .isInstanceOfSatisfying(CairnException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.RESOURCE_DOES_NOT_EXIST))
                .hasMessageContaining("steps.read.with.source");
        assertThatThrownBy(() -> read.run(fixture.attempt(StepType.READ, "read",
                Map.of("source", StepFixture.CREDIT.toString(), "query", "SELECT 1")).context()))
                .isInstanceOf(CairnException.class).hasMessageContaining("steps.read.with.query").hasMessageContaining("file source");
        assertThatThrownBy(() -> read.run(fixture.attempt(StepType.READ, "read",
                Map.of("source", "jdbc:sqlite:master.db", "table", "customers", "password_env", "NOT_SET")).context()))
                .isInstanceOf(CairnException.class).hasMessageContaining("steps.read.with.password_env");
        assertThatThrownBy(() -> read.run(fixture.attempt(StepType.READ, "read",
                Map.of("source", "jdbc:sqlite:master.db")).context()))
                .isInstanceOf(CairnException.class).hasMessageContaining("steps.read.with.query");

        Path db = fixture.workspaceDir.resolve("errors.db");
        execute(db, "CREATE TABLE sales (id INTEGER)", "INSERT INTO sales VALUES (1), (2)");
        assertThatThrownBy(() -> read.run(fixture.attempt(StepType.READ, "read",
                Map.of("source", "jdbc:sqlite:errors.db", "table", "sales", "fingerprint", "SELECT id FROM sales")).context()))
                .isInstanceOf(CairnException.class).hasMessageContaining("steps.read.with.fingerprint").hasMessageContaining("one row");
        assertThatThrownBy(() -> read.run(fixture.attempt(StepType.READ, "read",
                Map.of("source", "jdbc:sqlite:errors.db", "table", "no_such_table")).context()))
                .isInstanceOf(CairnException.class).hasMessageContaining("steps.read.with.");
        // A refused fingerprint query comes before the rows are read: nothing was snapshotted for those steps.
        assertThat(fixture.snapshots.list()).noneSatisfy(s -> assertThat(s.source().description()).contains("errors.db"));
    }

    private static void execute(Path db, String... statements) throws Exception {
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + db); Statement s = c.createStatement()) {
            for (String sql : statements) s.execute(sql);
        }
    }
}
