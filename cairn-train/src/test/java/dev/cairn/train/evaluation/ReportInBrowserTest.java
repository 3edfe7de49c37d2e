package dev.cairn.train.evaluation;

import static org.assertj.core.api.Assertions.assertThat;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Opens a rendered report in headless Chromium with the network off and takes a screenshot: the
 * charts must be drawn (their series colours appear in the picture) from the file alone.
 * Skipped, with a message, only where /usr/bin/chromium is not installed.
 */
class ReportInBrowserTest {
    static final Path CHROMIUM = Path.of("/usr/bin/chromium");

    @TempDir
    Path dir;

    static Report sampleReport() {
        int[] y = ReferenceMetricsTest.Y;
        double[] p = ReferenceMetricsTest.P;
        double[] champion = new double[p.length];
        for (int i = 0; i < p.length; i++) champion[i] = 0.5 * p[i] + 0.25;
        String[] groups = "aabbaabbaabbaabbccab".split("");
        dev.cairn.train.data.Frame frame = new dev.cairn.train.data.Frame(List.of(new dev.cairn.train.data.Column.Text("group", groups)));
        Grouping g = Grouping.of(frame, "group", "sensitive");
        Report.ModelResult candidate = result("models:/credit/2", y, p, g, List.of(
                new Report.Importance("checking_status", 120.0, 0.081, 0.01, 0.42),
                new Report.Importance("duration", 80.0, 0.035, 0.004, 0.30),
                new Report.Importance("age", 20.0, -0.002, 0.003, 0.05)));
        Report.ModelResult championResult = result("models:/credit@champion", y, champion, g, null);
        MetricThreshold auc = MetricThreshold.parse("roc_auc>=0.75");
        MetricThreshold change = MetricThreshold.parse("change:precision>=-0.01");
        List<Verdict.Check> checks = new java.util.ArrayList<>(auc.check(candidate, championResult));
        checks.addAll(change.check(candidate, championResult));
        checks.addAll(MetricThreshold.parse("fairness:disparate_impact>=0.8").check(candidate, championResult));
        boolean blessed = checks.stream().allMatch(Verdict.Check::passed);
        Verdict verdict = new Verdict(blessed, "run-1", "models:/credit/2", "runs:/abc/model", "credit", 2L, "champion",
                "models:/credit@champion", 1L, checks, blessed ? "BLESSED" : "NOT BLESSED: disparate impact", List.of());
        return new Report("run-1", "2026-11-23T00:00:00Z", new Report.DataInfo("/data/test.csv", "0123456789abcdef0123", y.length, "class", "bad"),
                "precision", candidate, championResult, verdict);
    }

    private static Report.ModelResult result(String uri, int[] y, double[] p, Grouping g, List<Report.Importance> importance) {
        Map<String, Double> metrics = BinaryMetrics.compute(y, p, 0.5);
        metrics.put("threshold", 0.5);
        return new Report.ModelResult(uri, "credit", 1L, "runs:/x/model", "xgboost", "binary", "bad", 0.5, "default 0.5", metrics,
                Map.of("precision", new Bootstrap.Interval(0.5, 0.9, 0.95, 200)), BinaryMetrics.Confusion.at(y, p, 0.5),
                new Report.Curves(BinaryMetrics.rocCurve(y, p), BinaryMetrics.precisionRecallCurve(y, p), BinaryMetrics.calibration(y, p, 5)),
                List.of(), List.of(Fairness.of(g, y, p, 0.5, 1)), importance);
    }

    @Test
    @DisplayName("the HTML report renders its charts in headless Chromium without network access")
    void reportRendersInChromium() throws IOException, InterruptedException {
        Assumptions.assumeTrue(Files.isExecutable(CHROMIUM), "Chromium is not installed at /usr/bin/chromium (apt-get install -y chromium); skipping the browser check");
        Path html = dir.resolve("report.html");
        Files.writeString(html, HtmlReport.render(sampleReport()), StandardCharsets.UTF_8);
        Path png = dir.resolve("report.png");
        // A profile is not enough to keep Chromium out of the real $HOME: it writes crash reports under
        // $XDG_CONFIG_HOME (else ~/.config) and a dconf cache under $XDG_CACHE_HOME (else ~/.cache). So it gets all of
        // them, and its crash dumps, under the test's folder.
        Path home = dir.resolve("home");
        Path crashes = dir.resolve("crash-dumps");
        for (Path p : new Path[] {home.resolve(".config"), home.resolve(".cache"), crashes}) Files.createDirectories(p);
        ProcessBuilder builder = new ProcessBuilder(CHROMIUM.toString(), "--headless=new", "--no-sandbox", "--disable-gpu",
                "--disable-dev-shm-usage", "--disable-background-networking", "--disable-breakpad", "--proxy-server=127.0.0.1:9",
                "--user-data-dir=" + dir.resolve("profile"), "--crash-dumps-dir=" + crashes,
                "--hide-scrollbars", "--window-size=1280,1600", "--screenshot=" + png, html.toUri().toString())
                .redirectErrorStream(true).redirectOutput(dir.resolve("chromium.log").toFile());
        builder.environment().put("HOME", home.toString());
        builder.environment().put("XDG_CONFIG_HOME", home.resolve(".config").toString());
        builder.environment().put("XDG_CACHE_HOME", home.resolve(".cache").toString());
        Process chromium = builder.start();
        assertThat(chromium.waitFor(90, TimeUnit.SECONDS)).as("Chromium finished").isTrue();
        assertThat(png).as(Files.readString(dir.resolve("chromium.log"))).exists();
        BufferedImage image = ImageIO.read(png.toFile());
        assertThat(image.getWidth()).isEqualTo(1280);
        assertThat(count(image, 0x1f6feb)).as("pixels of the candidate's curves and bars").isGreaterThan(500);
        assertThat(count(image, 0xd97706)).as("pixels of the champion's curves").isGreaterThan(200);
        assertThat(count(image, 0xdcfce7) + count(image, 0xfee2e2)).as("verdict badge and confusion matrix cells").isGreaterThan(1000);
    }

    /** Pixels within a small distance of an RGB colour (anti-aliasing blurs edges). */
    private static long count(BufferedImage image, int rgb) {
        int r = rgb >> 16 & 0xff, g = rgb >> 8 & 0xff, b = rgb & 0xff;
        long n = 0;
        for (int y = 0; y < image.getHeight(); y++) {
            for (int x = 0; x < image.getWidth(); x++) {
                int p = image.getRGB(x, y);
                if (Math.abs((p >> 16 & 0xff) - r) + Math.abs((p >> 8 & 0xff) - g) + Math.abs((p & 0xff) - b) < 24) n++;
            }
        }
        return n;
    }
}
