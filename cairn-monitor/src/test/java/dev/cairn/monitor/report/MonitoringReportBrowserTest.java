package dev.cairn.monitor.report;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The report as a browser reads it: headless Chromium loads the file and dumps the DOM; a malformed
 * SVG attribute (a NaN coordinate, a broken path) shows up as an error on its console. Skipped where
 * Chromium is not installed, or cannot start in this environment.
 */
class MonitoringReportBrowserTest {
    static final Path CHROMIUM = Path.of("/usr/bin/chromium");

    @TempDir
    Path dir;

    @Test
    void chromiumLoadsTheReportWithoutConsoleMessages() throws Exception {
        Assumptions.assumeTrue(Files.isExecutable(CHROMIUM), "Chromium is not installed at " + CHROMIUM);
        for (MonitoringReport report : List.of(SyntheticReports.month(), SyntheticReports.empty())) {
            Path html = MonitoringReportWriter.write(dir.resolve("report"), report).html();
            Path dom = dir.resolve("dom.html"), log = dir.resolve("chromium.log");
            // Its own profile and HOME under the test's directory: the real home is never touched.
            ProcessBuilder builder = new ProcessBuilder(CHROMIUM.toString(), "--headless", "--no-sandbox", "--disable-gpu",
                    "--user-data-dir=" + dir.resolve("profile"), "--enable-logging=stderr", "--v=0", "--dump-dom", html.toUri().toString())
                    .redirectOutput(dom.toFile()).redirectError(log.toFile());
            builder.environment().put("HOME", Files.createDirectories(dir.resolve("home")).toString());
            Process chromium = builder.start();
            if (!chromium.waitFor(120, TimeUnit.SECONDS)) {
                chromium.descendants().forEach(ProcessHandle::destroyForcibly);
                chromium.destroyForcibly();
                Assumptions.abort("Chromium did not finish within 120 s");
            }
            String stderr = Files.readString(log, StandardCharsets.UTF_8);
            String loaded = Files.readString(dom, StandardCharsets.UTF_8);
            Assumptions.assumeTrue(chromium.exitValue() == 0 && !loaded.isBlank(), () -> "Chromium could not run here: " + tail(stderr));
            assertThat(stderr.lines().filter(l -> l.contains(":CONSOLE")).toList()).isEmpty();
            assertThat(loaded).contains("Monitoring of fraud &lt;&amp;\"&gt; scorer");
            int charts = report.windows().isEmpty() ? 0 : MonitoringReportHtmlTest.CHART_SECTIONS.size();
            assertThat(MonitoringReportHtmlTest.count(loaded, "class=\"chart\"")).isEqualTo(charts);
        }
    }

    private static String tail(String text) {
        return text.length() <= 2000 ? text : text.substring(text.length() - 2000);
    }
}
