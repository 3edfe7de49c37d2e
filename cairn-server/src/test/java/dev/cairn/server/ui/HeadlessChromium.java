package dev.cairn.server.ui;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.logging.Level;
import org.openqa.selenium.StaleElementReferenceException;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.logging.LogType;
import org.openqa.selenium.logging.LoggingPreferences;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * Headless Chromium (Debian's chromium and chromium-driver) for the browser tests, kept entirely inside a test's
 * temporary folder. {@code --user-data-dir} alone is not enough: Chromium still writes crash reports under
 * {@code $XDG_CONFIG_HOME/chromium} (else {@code ~/.config/chromium}) and a dconf cache under {@code $XDG_CACHE_HOME}
 * (else {@code ~/.cache}), and reads other things from {@code $HOME}. So chromedriver, and Chromium which inherits its
 * environment, get a HOME and XDG folders of their own beside the profile, and crash dumps go there too: a test run
 * leaves the real $HOME as it found it. bench/ui's BrowserProbes starts Chromium the same way.
 */
final class HeadlessChromium {

    static final Path CHROMIUM = Path.of("/usr/bin/chromium");
    static final Path CHROMEDRIVER = Path.of("/usr/bin/chromedriver");
    static final Duration WAIT = Duration.ofSeconds(30);

    private HeadlessChromium() {}

    /**
     * A wait that tries again when an element it read belonged to a page being replaced (a form posted, a redirect
     * followed, a refresh): Selenium's waits retry only when an element is not found, and a check that found the old
     * page's element just before it went away failed with a stale reference (seen once in CI).
     */
    static WebDriverWait waitFor(WebDriver driver, Duration timeout) {
        WebDriverWait wait = new WebDriverWait(driver, timeout);
        wait.ignoring(StaleElementReferenceException.class);
        return wait;
    }

    static boolean installed() {
        return Files.isExecutable(CHROMIUM) && Files.isExecutable(CHROMEDRIVER);
    }

    /** A driver whose browser keeps its profile, home, caches and crash dumps under {@code dir}; the console logged at every level. */
    static ChromeDriver start(Path dir) {
        Path home = dir.resolve("home");
        Path config = home.resolve(".config");
        Path cache = home.resolve(".cache");
        Path crashes = dir.resolve("crash-dumps");
        try {
            for (Path p : new Path[] {config, cache, crashes}) Files.createDirectories(p);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        ChromeOptions options = new ChromeOptions();
        options.setBinary(CHROMIUM.toFile());
        options.addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                "--disable-dev-shm-usage", "--disable-breakpad", "--window-size=1400,1000",
                "--user-data-dir=" + dir.resolve("profile"), "--crash-dumps-dir=" + crashes);
        LoggingPreferences logs = new LoggingPreferences();
        logs.enable(LogType.BROWSER, Level.ALL);
        options.setCapability("goog:loggingPrefs", logs);
        ChromeDriverService service = new ChromeDriverService.Builder().usingDriverExecutable(CHROMEDRIVER.toFile()).usingAnyFreePort()
                .withEnvironment(Map.of("HOME", home.toString(), "XDG_CONFIG_HOME", config.toString(), "XDG_CACHE_HOME", cache.toString()))
                .build();
        return new ChromeDriver(service, options);
    }
}
