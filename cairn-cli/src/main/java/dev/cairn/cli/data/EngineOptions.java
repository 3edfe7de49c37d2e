package dev.cairn.cli.data;

import dev.cairn.core.error.CairnException;
import dev.cairn.core.error.ErrorCode;
import java.util.Locale;
import java.util.Map;
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
        String e = engine == null ? "duckdb" : engine.toLowerCase(Locale.ROOT);
        if (!e.equals("duckdb") && !e.equals("spark")) throw CairnException.invalid("--engine", engine, "duckdb or spark");
        if (e.equals("duckdb")) {
            if (sparkMaster != null) throw CairnException.invalid("--spark-master", sparkMaster, "--engine spark as well");
            return false;
        }
        try {
            Class.forName("org.apache.spark.sql.SparkSession", false, EngineOptions.class.getClassLoader());
        } catch (ClassNotFoundException | LinkageError absent) {
            throw new CairnException(ErrorCode.INVALID_PARAMETER_VALUE, "--engine spark needs Spark's jars: set CAIRN_SPARK_CLASSPATH or "
                    + "SPARK_HOME, or build cairn-spark (see docs/spark.md)", Map.of("field", "--engine", "value", "spark"));
        }
        return true;
    }

    public String sparkMaster() {
        return sparkMaster;
    }
}
