package dev.cairn.spark;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.apache.spark.sql.SparkSession;

/**
 * One {@code local[2]} session for every test class of the JVM: starting Spark costs seconds, and
 * the CI budget allows one start. Its scratch directories are under the build directory, never $HOME.
 */
final class SharedSpark {
    private static SparkSession session;

    private SharedSpark() {}

    static synchronized SparkSession get() {
        if (session == null) {
            try {
                Path work = Files.createTempDirectory(Path.of(System.getProperty("cairn.test.build.dir", "target")), "spark-work");
                System.setProperty("spark.sql.shuffle.partitions", "2");
                session = SparkSessions.getOrCreate("local[2]", work);
                // Tiny data: compiling generated code and re-planning adaptively cost more than they save.
                session.conf().set("spark.sql.codegen.wholeStage", "false");
                session.conf().set("spark.sql.adaptive.enabled", "false");
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return session;
    }
}
