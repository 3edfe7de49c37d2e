package dev.cairn.data.engine;

import dev.cairn.core.error.CairnException;
import dev.cairn.core.error.ErrorCode;
import java.util.Locale;
import java.util.Map;

/**
 * The engine choice, {@code duckdb} (default, embedded) or {@code spark}, as the CLI's {@code --engine} and a pipeline
 * step's {@code engine:} name it, and the one message for Spark asked for where its jars are absent (the CLI's lean jar
 * has none; the launcher adds them, see docs/spark.md).
 */
public final class Engines {
    public static final String DUCKDB = "duckdb";
    public static final String SPARK = "spark";

    private Engines() {}

    /** Whether {@code value} (null: the default) names Spark; refuses anything but duckdb and spark, naming {@code field}. */
    public static boolean isSpark(String field, String value) {
        String e = value == null ? DUCKDB : value.strip().toLowerCase(Locale.ROOT);
        if (!e.equals(DUCKDB) && !e.equals(SPARK)) throw CairnException.invalid(field, value, "duckdb or spark");
        return e.equals(SPARK);
    }

    /** Whether Spark's classes are on the class path. */
    public static boolean sparkAvailable() {
        try {
            Class.forName("org.apache.spark.sql.SparkSession", false, Engines.class.getClassLoader());
            return true;
        } catch (ClassNotFoundException | LinkageError absent) {
            return false;
        }
    }

    /** Refuses Spark when its jars are absent: {@code asked} says how it was asked for ("--engine spark"), {@code field} names it. */
    public static void requireSpark(String asked, String field) {
        if (sparkAvailable()) return;
        throw new CairnException(ErrorCode.INVALID_PARAMETER_VALUE, asked + " needs Spark's jars: set CAIRN_SPARK_CLASSPATH or "
                + "SPARK_HOME, or build cairn-spark (see docs/spark.md)", Map.of("field", field, "value", SPARK));
    }
}
