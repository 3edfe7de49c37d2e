package dev.cairn.spark;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.cairn.core.error.CairnException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import scala.jdk.javaapi.CollectionConverters;

/**
 * The scorer's guarantees besides the scores themselves (DifferentialTest): a row the signature
 * refuses fails the whole run and leaves the previous output as it was; rows are numbered 1..n
 * without an id column; the same package scored again is shipped once.
 */
class SparkScorerTest {
    private static final int ROWS = 3000;

    @TempDir
    static Path dir;

    static SparkSession spark;
    static Path clean;
    static Path dirty;
    static Path pkg;

    @BeforeAll
    static void data() throws Exception {
        spark = SharedSpark.get();
        clean = DiffData.write(dir, "scorer-clean", ROWS, false);
        dirty = DiffData.write(dir, "scorer-dirty", ROWS, true);
        pkg = Path.of(SparkScorerTest.class.getResource("/model").toURI());
    }

    private static SparkTable onSpark(Path file) {
        return new SparkTable(spark, spark.read().parquet(file.toString()).repartition(3), file.toString());
    }

    @Test
    void aRefusedRowFailsTheWholeRunAndKeepsThePreviousOutput() throws Exception {
        Path out = dir.resolve("whole.parquet");
        SparkScorer.score(onSpark(clean), new SparkScorer.Options(pkg, "customer_id", 250, "1", out.toString()));

        // The dirty file has checking_status 'unknown' (outside the signature's domain) and duration 0 (below its min):
        // the first batch with one fails its task, and the run, with the runtime's own error in the message.
        assertThatThrownBy(() -> SparkScorer.score(onSpark(dirty), new SparkScorer.Options(pkg, "customer_id", 250, "2", out.toString())))
                .isInstanceOf(CairnException.class)
                .hasMessageContaining("nothing was written")
                .hasMessageContaining("Input does not match the model signature")
                .hasMessageContaining("expected");

        List<Row> rows = spark.read().parquet(out.toString()).collectAsList();
        assertThat(rows).hasSize(ROWS).allSatisfy(r -> assertThat(r.getString(3)).isEqualTo("1"));
        try (Stream<Path> siblings = Files.list(dir)) {
            assertThat(siblings.map(p -> p.getFileName().toString())).noneMatch(n -> n.startsWith(".whole.parquet"));
        }
    }

    @Test
    void rowsAreNumberedFromOneWithoutAnIdColumn() {
        Path out = dir.resolve("numbered.parquet");
        SparkScorer.Result result = SparkScorer.score(onSpark(clean), new SparkScorer.Options(pkg, null, 128, null, out.toString()));

        assertThat(result.rows()).isEqualTo(ROWS);
        List<Long> numbers = spark.read().parquet(out.toString()).select("row_number").as(Encoders.LONG())
                .collectAsList();
        assertThat(numbers).hasSize(ROWS).doesNotHaveDuplicates().allSatisfy(n -> assertThat(n).isBetween(1L, (long) ROWS));
    }

    @Test
    void theSamePackageScoredAgainIsShippedOnce() {
        SparkScorer.score(onSpark(clean), new SparkScorer.Options(pkg, "customer_id", 1000, "a", dir.resolve("a.parquet").toString()));
        SparkScorer.score(onSpark(clean), new SparkScorer.Options(pkg, "customer_id", 1000, "b", dir.resolve("b.parquet").toString()));

        List<String> shipped = CollectionConverters.asJava(spark.sparkContext().listFiles()).stream()
                .filter(f -> f.contains("cairn-model-")).toList();
        assertThat(shipped).hasSize(1);
        List<Row> a = spark.read().parquet(dir.resolve("a.parquet").toString()).orderBy("customer_id").select("customer_id", "probability")
                .collectAsList();
        List<Row> b = spark.read().parquet(dir.resolve("b.parquet").toString()).orderBy("customer_id").select("customer_id", "probability")
                .collectAsList();
        assertThat(b).isEqualTo(a).hasSize(ROWS);
    }
}
