package dev.cairn.cli.data;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cairn.cli.CliRunner;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code --engine}: DuckDB stays the default; Spark asked for on a class path without it (the CLI's
 * lean jar, and this module's tests) is one clear line and exit code 2, as is a bad engine.
 */
class EngineOptionTest {
    @TempDir
    Path dir;

    @Test
    void sparkWithoutSparksJarsIsOneClearLine() throws Exception {
        Path csv = Files.writeString(dir.resolve("d.csv"), "a,b\n1,x\n2,y\n");
        Path spec = Files.writeString(dir.resolve("s.yaml"), "version: 1\ndataset: d\nfields:\n  - {name: a, type: INTEGER}\n  - {name: b, type: STRING}\n");
        for (String[] args : new String[][] {
                {"data", "profile", csv.toString(), "--engine", "spark", "-o", dir.toString()},
                {"data", "validate", csv.toString(), "--schema", spec.toString(), "--engine", "spark", "-o", dir.toString()},
                {"score", "--model", dir.toString(), "--input", csv.toString(), "--output", dir.resolve("s.parquet").toString(), "--engine", "spark"},
                {"data", "infer-schema", csv.toString(), "--engine", "spark"},
                {"data", "drift", csv.toString(), csv.toString(), "--engine", "spark", "-o", dir.toString()},
                {"features", "training-set", "--service", "s", "--entities", csv.toString(), "-o", dir.resolve("t.parquet").toString(),
                        "--engine", "spark", "--store", "sqlite:" + dir.resolve("cairn.db")}}) {
            CliRunner.Result r = CliRunner.run(args);
            assertThat(r.exitCode()).as(String.join(" ", args)).isEqualTo(2);
            assertThat(r.err()).contains("--engine spark needs Spark's jars: set CAIRN_SPARK_CLASSPATH or SPARK_HOME");
            assertThat(r.err().strip().lines()).hasSize(1);
        }
    }

    @Test
    void scoringOnSparkRefusesWhatOnlyDuckDbWritesAsAScoreStepDoes() throws Exception {
        Path csv = Files.writeString(dir.resolve("r.csv"), "a,b\n1,x\n");
        for (String out : new String[] {dir.resolve("s.csv").toString(), "jdbc:sqlite:" + dir.resolve("s.db")}) {
            CliRunner.Result r = CliRunner.run("score", "--model", dir.toString(), "--input", csv.toString(), "--output", out, "--engine", "spark");
            assertThat(r.exitCode()).as(out).isEqualTo(2);
            assertThat(r.err()).contains("--output").contains("a .parquet output with --engine spark");
            assertThat(r.err().strip().lines()).hasSize(1);
        }
    }

    @Test
    void commandsThatReadOnlyStoredResultsRefuseSparkInOneLine() throws Exception {
        Path csv = Files.writeString(dir.resolve("d.csv"), "a,b\n1,x\n2,y\n");
        assertThat(CliRunner.run("data", "profile", csv.toString(), "-o", dir.toString()).exitCode()).isEqualTo(0);
        Path profile = dir.resolve("d.profile.json");
        for (String[] args : new String[][] {
                {"data", "report", profile.toString(), "--engine", "spark"},
                {"data", "merge-profiles", profile.toString(), profile.toString(), "--engine", "spark", "-o", dir.toString()}}) {
            CliRunner.Result r = CliRunner.run(args);
            assertThat(r.exitCode()).as(String.join(" ", args)).isEqualTo(2);
            assertThat(r.err()).contains("reads stored JSON results, not data, so it has nothing to run on Spark");
            assertThat(r.err().strip().lines()).hasSize(1);
        }
        assertThat(CliRunner.run("data", "report", profile.toString(), "--engine", "duckdb").exitCode()).isEqualTo(0);
    }

    @Test
    void anUnknownEngineOrAMasterWithoutSparkIsRefused() throws Exception {
        Path csv = Files.writeString(dir.resolve("d.csv"), "a,b\n1,x\n2,y\n");
        CliRunner.Result flink = CliRunner.run("data", "profile", csv.toString(), "--engine", "flink", "-o", dir.toString());
        assertThat(flink.exitCode()).isEqualTo(2);
        assertThat(flink.err()).contains("--engine").contains("duckdb or spark");
        CliRunner.Result master = CliRunner.run("data", "profile", csv.toString(), "--spark-master", "local[2]", "-o", dir.toString());
        assertThat(master.exitCode()).isEqualTo(2);
        assertThat(master.err()).contains("--spark-master");
        CliRunner.Result duck = CliRunner.run("data", "profile", csv.toString(), "--engine", "duckdb", "-o", dir.toString());
        assertThat(duck.exitCode()).isEqualTo(0);
    }
}
