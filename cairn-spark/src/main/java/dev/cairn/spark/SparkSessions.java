package dev.cairn.spark;

import java.nio.file.Path;
import org.apache.spark.sql.SparkSession;

/**
 * Spark sessions for Cairn's jobs. Under {@code spark-submit} the session the launcher configured is
 * taken as it is; for one-machine use and tests, a {@code local[*]} (or {@code local[2]}) session with
 * no web UI, few shuffle partitions and every scratch directory under a given work directory (so
 * nothing is written to the user's home).
 */
public final class SparkSessions {
    private SparkSessions() {}

    /**
     * The active session, or a new one on {@code master} (null: {@code local[*]}) whose scratch files go under
     * {@code workDirectory}. A master given by spark-submit ({@code spark.master}) wins over a null one.
     */
    public static SparkSession getOrCreate(String master, Path workDirectory) {
        SparkSession.Builder builder = SparkSession.builder().appName("cairn");
        String submitted = System.getProperty("spark.master");
        if (master != null) builder.master(master);
        else if (submitted == null) builder.master("local[*]");
        Path work = workDirectory.toAbsolutePath();
        return builder
                .config("spark.ui.enabled", "false")
                .config("spark.ui.showConsoleProgress", "false")
                // A few partitions suit one machine; a cluster's spark-submit sets its own.
                .config("spark.sql.shuffle.partitions", System.getProperty("spark.sql.shuffle.partitions", "4"))
                .config("spark.local.dir", work.resolve("local").toString())
                .config("spark.sql.warehouse.dir", work.resolve("warehouse").toUri().toString())
                .config("spark.jars.ivy", work.resolve("ivy").toString())
                // Timestamps are read and shown as written, as DuckDB does, not in the machine's zone.
                .config("spark.sql.session.timeZone", "UTC")
                .getOrCreate();
    }

    /** Whether Spark's classes are on the class path (the CLI's lean jar has none; the launcher adds them). */
    public static boolean available() {
        try {
            Class.forName("org.apache.spark.sql.SparkSession", false, SparkSessions.class.getClassLoader());
            return true;
        } catch (ClassNotFoundException | LinkageError e) {
            return false;
        }
    }
}
