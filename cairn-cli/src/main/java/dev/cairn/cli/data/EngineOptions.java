package dev.cairn.cli.data;

import dev.cairn.core.error.CairnException;
import dev.cairn.data.engine.Engines;
import picocli.CommandLine.Option;

/**
 * {@code --engine duckdb|spark} and {@code --spark-master}: where {@code cairn data …} and
 * {@code cairn score} do their work. DuckDB (the default) is embedded; Spark's jars are not in the
 * CLI's lean jar, so the launcher adds them ({@code CAIRN_SPARK_CLASSPATH}, {@code $SPARK_HOME/jars},
 * or the classpath file the build writes) when a command line asks for Spark.
 */
public final class EngineOptions {
    @Option(names = "--engine", defaultValue = "duckdb", paramLabel = "ENGINE",
            description = "duckdb (default, embedded) or spark (local[*] unless --spark-master; see docs/spark.md).")
    String engine;

    @Option(names = "--spark-master", paramLabel = "URL", description = "With --engine spark: local[2], spark://host:7077, yarn… (default: local[*]).")
    String sparkMaster;

    /** Whether Spark was asked for; refuses an unknown engine, a master without Spark, and Spark that is not on the class path. */
    public boolean spark() {
        if (!Engines.isSpark("--engine", engine)) {
            if (sparkMaster != null) throw CairnException.invalid("--spark-master", sparkMaster, "--engine spark as well");
            return false;
        }
        Engines.requireSpark("--engine spark", "--engine");
        return true;
    }

    /** Whether Spark was asked for, before checking that its jars are there (for a command's own checks of its options). */
    public boolean sparkAsked() {
        return Engines.isSpark("--engine", engine);
    }

    public String sparkMaster() {
        return sparkMaster;
    }
}
