package dev.cairn.server.ui;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import java.util.logging.Level;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.Cookie;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.logging.LogEntry;
import org.openqa.selenium.logging.LogType;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * Logging in to the web UI in headless Chromium (skipped, like {@link UiBrowserTest}, where Chromium and its driver
 * are not installed): a bookmarked page leads to the login form, the form leads back to the page, the experiments
 * page shows only what the user may read and who is signed in, and signing out leads back to the form.
 */
@DisplayName("Web UI login in a real browser: form, back to the page, sign out")
class UiLoginBrowserTest {

    @TempDir static Path dir;
    static LoginFixture fixture;
    static WebDriver driver;
    static WebDriverWait wait;

    @BeforeAll
    static void start() {
        Assumptions.assumeTrue(HeadlessChromium.installed(),
                "Chromium and its driver are not installed (apt-get install -y chromium chromium-driver); skipping the browser tests");
        fixture = new LoginFixture(dir, List.of());
        driver = HeadlessChromium.start(dir.resolve("chromium"));
        wait = HeadlessChromium.waitFor(driver, HeadlessChromium.WAIT);
    }

    @AfterAll
    static void stop() {
        if (driver != null) driver.quit();
        if (fixture != null) fixture.close();
    }

    @Test
    void logInThroughTheFormSeeTheExperimentsAndSignOut() {
        String bookmark = "/ui/experiments/" + fixture.sharedId;
        driver.get(fixture.url() + bookmark);
        wait.until(ExpectedConditions.presenceOfElementLocated(By.id("login")));
        assertThat(driver.getCurrentUrl()).startsWith(fixture.url() + "/ui/login?next=");

        driver.findElement(By.id("login-user")).sendKeys("reader");
        driver.findElement(By.id("login-password")).sendKeys("not the password");
        driver.findElement(By.cssSelector("#login button[type=submit]")).click();
        assertThat(wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("login-error"))).getText())
                .isEqualTo(LoginPages.INVALID);

        driver.findElement(By.id("login-password")).sendKeys(LoginFixture.PASSWORD);
        driver.findElement(By.cssSelector("#login button[type=submit]")).click();
        wait.until(ExpectedConditions.presenceOfElementLocated(By.id("runs")));
        assertThat(driver.getCurrentUrl()).isEqualTo(fixture.url() + bookmark);
        Cookie session = driver.manage().getCookieNamed(LoginFixture.SESSION);
        assertThat(session.isHttpOnly()).isTrue();
        assertThat(session.getSameSite()).isEqualTo("Lax");

        driver.findElement(By.cssSelector("nav a[href='/']")).click();
        wait.until(ExpectedConditions.presenceOfElementLocated(By.id("experiments")));
        assertThat(driver.findElement(By.id("experiments")).getText()).contains(LoginFixture.SHARED).doesNotContain(LoginFixture.THEIRS);
        assertThat(driver.findElement(By.id("acting-user")).getText()).isEqualTo("reader");

        driver.findElement(By.id("logout")).click();
        wait.until(ExpectedConditions.presenceOfElementLocated(By.id("login")));
        assertThat(driver.manage().getCookieNamed(LoginFixture.SESSION)).isNull();
        driver.get(fixture.url() + "/");
        wait.until(ExpectedConditions.presenceOfElementLocated(By.id("login")));
        assertThat(driver.getCurrentUrl()).isEqualTo(fixture.url() + "/ui/login?next=%2F");

        List<LogEntry> entries = driver.manage().logs().get(LogType.BROWSER).getAll();
        // The wrong password's page answered 401, which the console reports as a failed load: that one is expected.
        assertThat(entries.stream().filter(e -> e.getLevel().intValue() >= Level.WARNING.intValue()).map(LogEntry::getMessage)
                .filter(m -> !(m.contains("/ui/login") && m.contains("401"))).toList()).as("browser console").isEmpty();
    }
}
