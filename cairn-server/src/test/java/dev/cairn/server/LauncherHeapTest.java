package dev.cairn.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.jar.Attributes;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The {@code ./cairn} launcher (at the repository's root) gives the JVM a heap limit unless
 * CAIRN_JAVA_OPTS sets one. Run against a copy of the launcher whose jar is a stand-in that prints
 * the JVM's options, so no build is needed.
 */
class LauncherHeapTest {

    /** The stand-in for cairn.jar: prints the options the JVM was started with. */
    public static final class PrintJvmOptions {
        public static void main(String[] args) {
            System.out.println(String.join(" ", ManagementFactory.getRuntimeMXBean().getInputArguments()));
        }
    }

    @TempDir
    Path root;

    private String launch(String cairnJavaOpts) throws IOException, InterruptedException {
        Path repository = Path.of("").toAbsolutePath().getParent();
        Files.copy(repository.resolve("cairn"), root.resolve("cairn"), StandardCopyOption.REPLACE_EXISTING);
        Files.createDirectories(root.resolve("scripts"));
        Files.copy(repository.resolve("scripts/find-jdk.sh"), root.resolve("scripts/find-jdk.sh"), StandardCopyOption.REPLACE_EXISTING);
        Path jar = Files.createDirectories(root.resolve("cairn-cli/target")).resolve("cairn.jar");
        Manifest manifest = new Manifest();
        manifest.getMainAttributes().put(Attributes.Name.MANIFEST_VERSION, "1.0");
        manifest.getMainAttributes().put(Attributes.Name.MAIN_CLASS, PrintJvmOptions.class.getName());
        String entry = PrintJvmOptions.class.getName().replace('.', '/') + ".class";
        try (OutputStream out = Files.newOutputStream(jar); JarOutputStream jarOut = new JarOutputStream(out, manifest);
             InputStream classFile = PrintJvmOptions.class.getClassLoader().getResourceAsStream(entry)) {
            jarOut.putNextEntry(new JarEntry(entry));
            classFile.transferTo(jarOut);
            jarOut.closeEntry();
        }
        ProcessBuilder builder = new ProcessBuilder("bash", root.resolve("cairn").toString()).redirectErrorStream(true);
        builder.environment().put("JAVA_HOME", System.getProperty("java.home"));
        builder.environment().remove("CAIRN_JAVA_OPTS");
        if (cairnJavaOpts != null) builder.environment().put("CAIRN_JAVA_OPTS", cairnJavaOpts);
        Process process = builder.start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(process.exitValue()).as(output).isZero();
        return output.strip();
    }

    private static List<String> heapOptions(String jvmOptions) {
        return List.of(jvmOptions.split(" ")).stream()
                .filter(o -> o.startsWith("-Xmx") || o.contains("MaxRAM") || o.contains("MaxHeapSize")).toList();
    }

    @Test
    void withoutCairnJavaOptsTheHeapIsLimited() throws Exception {
        assertThat(heapOptions(launch(null))).singleElement().satisfies(option ->
                assertThat(option).isIn("-Xmx2g", "-XX:MaxRAMPercentage=50"));
    }

    @Test
    void aHeapOptionInCairnJavaOptsReplacesTheDefault() throws Exception {
        assertThat(heapOptions(launch("-Xmx700m"))).containsExactly("-Xmx700m");
        assertThat(heapOptions(launch("-Dx=1 -XX:MaxRAMPercentage=75"))).containsExactly("-XX:MaxRAMPercentage=75");
        assertThat(heapOptions(launch("-Dother=1"))).hasSize(1);
    }
}
