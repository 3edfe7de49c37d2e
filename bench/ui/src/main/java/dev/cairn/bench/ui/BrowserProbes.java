package dev.cairn.bench.ui;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * Pages in headless Chromium (Debian's chromium and chromedriver, with the flags of cairn-server's UiBrowserTest),
 * timed by the browser itself from the start of the navigation: DOMContentLoaded from the Navigation Timing entry, and
 * the moment the last chart was drawn, recorded by a script Chromium runs in every new document before the page's own
 * (so the page's Content-Security-Policy does not apply to it). A chart counts as drawn when cairn.js marks its element
 * {@code data-rendered="true"}, which it does right after ECharts' {@code setOption} (the test's criterion too).
 */
final class BrowserProbes implements AutoCloseable {

    static final Path CHROMIUM = Path.of("/usr/bin/chromium");
    static final Path CHROMEDRIVER = Path.of("/usr/bin/chromedriver");

    /** Records performance.now() when every [data-chart] element of the page is drawn; the baseline's draw.js sets it too. */
    private static final String OBSERVER = """
            window.__bench = { drawn: null };
            new MutationObserver(function (records, observer) {
              var charts = document.querySelectorAll('[data-chart]');
              if (charts.length === 0) return;
              for (var i = 0; i < charts.length; i++) {
                var state = charts[i].getAttribute('data-rendered');
                if (state === 'error') { window.__bench.drawn = -1; observer.disconnect(); return; }
                if (state !== 'true') return;
              }
              window.__bench.drawn = performance.now();
              observer.disconnect();
            }).observe(document, { subtree: true, attributes: true, attributeFilter: ['data-rendered'] });
            """;

    /** The last chart data answer's end (Resource Timing): where a chart page's time goes, between DOMContentLoaded and drawn. */
    private static final String DATA_RECEIVED = """
            var ends = performance.getEntriesByType('resource')
                .filter(function (e) { return /metric-series|parallel|[/]static[/][^/]+[.]json/.test(e.name); })
                .map(function (e) { return e.responseEnd; });
            return ends.length ? Math.max.apply(null, ends) : null;
            """;

    /**
     * One page load's times in milliseconds from navigation start; for a page without charts, dataReceived and drawn
     * are NaN.
     */
    record Load(double domContentLoaded, double dataReceived, double drawn) {}

    /** Cairn's loads beside the baseline's (the chart times null for pages without charts). */
    record Timing(Stats cairnDcl, Stats cairnData, Stats cairnDrawn, Stats baselineDcl, Stats baselineData, Stats baselineDrawn) {}

    private final ChromeDriver driver;
    private final WebDriverWait wait;

    static boolean available() {
        return Files.isExecutable(CHROMIUM) && Files.isExecutable(CHROMEDRIVER);
    }

    BrowserProbes(Path profile) {
        ChromeOptions options = new ChromeOptions();
        options.setBinary(CHROMIUM.toFile());
        // Chromium writes crash reports and a dconf cache under XDG_CONFIG_HOME and XDG_CACHE_HOME (else ~/.config and
        // ~/.cache) even with --user-data-dir: it gets a HOME and XDG folders beside the profile, and its crash dumps go
        // there too, so the benchmark leaves $HOME alone (as cairn-server's HeadlessChromium does for the tests).
        Path xdg = profile.resolveSibling(profile.getFileName() + "-xdg");
        options.addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                "--disable-dev-shm-usage", "--disable-breakpad", "--window-size=1400,1000", "--user-data-dir=" + profile,
                "--crash-dumps-dir=" + xdg.resolve("crash-dumps"));
        ChromeDriverService service = new ChromeDriverService.Builder().usingDriverExecutable(CHROMEDRIVER.toFile()).usingAnyFreePort()
                .withEnvironment(Map.of("HOME", xdg.toString(), "XDG_CONFIG_HOME", xdg.resolve("config").toString(),
                        "XDG_CACHE_HOME", xdg.resolve("cache").toString()))
                .build();
        driver = new ChromeDriver(service, options);
        driver.manage().timeouts().pageLoadTimeout(Duration.ofSeconds(120));
        driver.executeCdpCommand("Page.addScriptToEvaluateOnNewDocument", Map.of("source", OBSERVER));
        wait = new WebDriverWait(driver, Duration.ofSeconds(120), Duration.ofMillis(10));
    }

    String version() {
        return String.valueOf(driver.getCapabilities().getBrowserVersion());
    }

    /**
     * {@code warmup} untimed loads of each, then {@code repetitions} timed ones taking turns as in {@link HttpProbes}.
     * With {@code charts}, each load waits until its charts are drawn.
     */
    Timing measure(String cairnUrl, String baselineUrl, boolean charts, int warmup, int repetitions) {
        long start = System.nanoTime();
        load(cairnUrl, charts);
        load(baselineUrl, charts);
        // Pages of seconds (the anchors at MLflow's failure sizes) get one warm-up and a few repetitions.
        if ((System.nanoTime() - start) / 1e6 > HttpProbes.SLOW_MS * 2) {
            warmup = 0;
            repetitions = Math.min(repetitions, HttpProbes.SLOW_REPETITIONS);
        } else {
            warmup = Math.max(0, warmup - 1);
        }
        double[][] values = new double[6][repetitions];
        for (int i = -warmup; i < repetitions; i++) {
            boolean cairnFirst = (i & 1) == 0;
            Load first = load(cairnFirst ? cairnUrl : baselineUrl, charts);
            Load second = load(cairnFirst ? baselineUrl : cairnUrl, charts);
            if (i >= 0) {
                Load cairn = cairnFirst ? first : second;
                Load baseline = cairnFirst ? second : first;
                values[0][i] = cairn.domContentLoaded();
                values[1][i] = cairn.dataReceived();
                values[2][i] = cairn.drawn();
                values[3][i] = baseline.domContentLoaded();
                values[4][i] = baseline.dataReceived();
                values[5][i] = baseline.drawn();
            }
        }
        return new Timing(Stats.of(values[0]), charts ? Stats.of(values[1]) : null, charts ? Stats.of(values[2]) : null,
                Stats.of(values[3]), charts ? Stats.of(values[4]) : null, charts ? Stats.of(values[5]) : null);
    }

    /** Loads the page afresh (from about:blank, so no state of the previous page is reused) and reads its timings. */
    Load load(String url, boolean charts) {
        driver.get("about:blank");
        driver.get(url);
        JavascriptExecutor js = driver;
        double drawn = Double.NaN;
        double data = Double.NaN;
        if (charts) {
            wait.until(d -> js.executeScript("return window.__bench && window.__bench.drawn") != null);
            drawn = ((Number) js.executeScript("return window.__bench.drawn")).doubleValue();
            if (drawn < 0) throw new IllegalStateException("a chart of " + url + " could not be drawn");
            data = ((Number) js.executeScript(DATA_RECEIVED)).doubleValue();
        }
        Number dcl = (Number) js.executeScript(
                "return performance.getEntriesByType('navigation')[0].domContentLoadedEventEnd");
        return new Load(dcl.doubleValue(), data, drawn);
    }

    @Override
    public void close() {
        driver.quit();
    }
}
