package dev.cairn.spark;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cairn.data.profile.DatasetProfile;
import dev.cairn.data.profile.ProfileJson;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import java.util.jar.Attributes;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The job as a cluster runs it: {@code spark-submit --master local[2] --class dev.cairn.spark.SparkJob
 * <jar> profile …} in a JVM of its own ({@code spark-submit} is a script around SparkSubmit, run
 * here directly with this test's class path as Spark's installation). The application jar is made
 * from the module's compiled classes, as the build's {@code cairn-spark.jar} is.
 */
class SparkSubmitTest {
    @TempDir
    Path dir;

    @Test
    void theJobProfilesUnderSparkSubmit() throws Exception {
        Path data = DiffData.write(dir, "data", 500, true);
        Path jar = applicationJar(dir.resolve("cairn-spark.jar"));
        Path out = dir.resolve("reports");
        Path home = Files.createDirectories(dir.resolve("home"));

        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        ProcessBuilder submit = new ProcessBuilder(java, "--enable-native-access=ALL-UNNAMED", "-Xmx1g",
                "-Duser.home=" + home, "-Djava.io.tmpdir=" + dir,
                "-cp", System.getProperty("java.class.path"), "org.apache.spark.deploy.SparkSubmit",
                "--master", "local[2]", "--conf", "spark.ui.enabled=false", "--conf", "spark.jars.ivy=" + dir.resolve("ivy"),
                "--class", "dev.cairn.spark.SparkJob", jar.toString(),
                "profile", data.toString(), "--out", out.toString(), "--name", "data")
                .redirectErrorStream(true).redirectOutput(dir.resolve("submit.log").toFile());
        submit.environment().put("HOME", home.toString());
        submit.environment().put("CAIRN_HOME", home.resolve(".cairn").toString());
        Process p = submit.start();
        assertThat(p.waitFor(5, TimeUnit.MINUTES)).isTrue();
        String log = Files.readString(dir.resolve("submit.log"));
        assertThat(p.exitValue()).as(log).isEqualTo(0);
        assertThat(log).contains("Profiled " + data + " on Spark: 500 rows, 11 columns");
        DatasetProfile profile = ProfileJson.read(Files.readString(out.resolve("data.profile.json")));
        assertThat(profile.format()).isEqualTo(DatasetProfile.FORMAT);
        assertThat(profile.rowCount()).isEqualTo(500);
        assertThat(profile.source()).isEqualTo(data.toString());
    }

    /** A jar of target/classes with SparkJob as its main class. */
    private static Path applicationJar(Path jar) throws IOException {
        Path classes = Path.of(SparkJob.class.getProtectionDomain().getCodeSource().getLocation().getPath());
        Manifest manifest = new Manifest();
        manifest.getMainAttributes().put(Attributes.Name.MANIFEST_VERSION, "1.0");
        manifest.getMainAttributes().put(Attributes.Name.MAIN_CLASS, SparkJob.class.getName());
        try (OutputStream file = Files.newOutputStream(jar); JarOutputStream out = new JarOutputStream(file, manifest);
             Stream<Path> walk = Files.walk(classes)) {
            for (Path f : walk.filter(Files::isRegularFile).toList()) {
                out.putNextEntry(new JarEntry(classes.relativize(f).toString().replace('\\', '/')));
                out.write(Files.readAllBytes(f));
                out.closeEntry();
            }
        }
        return jar;
    }
}
