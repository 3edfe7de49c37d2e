package dev.cairn.server.ui;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
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
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.logging.LogEntry;
import org.openqa.selenium.logging.LogType;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The UI in headless Chromium (Debian's chromium and chromium-driver) against a real server holding the credit-risk
 * story of {@link UiFixture}: find a run by a filter, open it and see its chart drawn, compare two runs, see the
 * champion and its audit entry, see a pipeline run's steps; on every page, nothing loaded from another origin and no
 * policy violation or script error in the console. With {@code -Dcairn.ui.screenshots=DIR} it also saves a
 * screenshot of each main page there (docs/ui/ is made that way).
 */
@DisplayName("Web UI in a real browser: filter, run chart, compare, champion and audit, pipeline steps")
class UiBrowserTest {

    @TempDir static Path dir;
    static UiFixture fixture;
    static WebDriver driver;
    static WebDriverWait wait;

    @BeforeAll
    static void start() throws Exception {
        Assumptions.assumeTrue(HeadlessChromium.installed(),
                "Chromium and its driver are not installed (apt-get install -y chromium chromium-driver); skipping the browser tests");
        fixture = new UiFixture(dir);
        driver = HeadlessChromium.start(dir.resolve("chromium"));
        wait = HeadlessChromium.waitFor(driver, HeadlessChromium.WAIT);
    }

    @AfterAll
    static void stop() {
        if (driver != null) driver.quit();
        if (fixture != null) fixture.close();
    }

    @Test
    void findARunByAFilterOpenItAndSeeItsChart() throws Exception {
        open("/");
        driver.findElement(By.linkText("credit-risk")).click();
        wait.until(ExpectedConditions.presenceOfElementLocated(By.id("runs")));
        WebElement filter = driver.findElement(By.id("filter"));
        filter.clear();
        filter.sendKeys("metrics.roc_auc > 0.75");
        driver.findElement(By.cssSelector("form.filter button[type=submit]")).click();
        String best = fixture.trialIds.getLast();
        // htmx swaps the table in place: wait until only the matching run is left.
        wait.until(d -> d.findElements(By.cssSelector("#runs tbody tr")).size() == 1);
        assertThat(driver.findElement(By.cssSelector("#runs tbody tr")).getAttribute("data-run-id")).isEqualTo(best);
        screenshot("runs");
        cleanConsole();

        filter = driver.findElement(By.id("filter"));
        filter.clear();
        filter.sendKeys("metrics.roc_auc >> 1");
        driver.findElement(By.cssSelector("form.filter button[type=submit]")).click();
        WebElement error = wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("filter-error")));
        assertThat(error.getText()).isNotBlank();

        open("/ui/runs/" + best);
        wait.until(ExpectedConditions.presenceOfElementLocated(By.cssSelector("#metric-chart[data-rendered]")));
        WebElement chart = driver.findElement(By.id("metric-chart"));
        assertThat(chart.getAttribute("data-rendered")).isEqualTo("true");
        assertThat(chart.getAttribute("data-points")).isEqualTo("300"); // logloss, the first metric by name: 300 rounds
        assertThat(driver.findElements(By.cssSelector("#metric-chart canvas"))).isNotEmpty();
        screenshot("run");
        driver.findElement(By.linkText("show roc_auc")).click();
        wait.until(ExpectedConditions.attributeToBe(By.id("metric-chart"), "data-points", "1"));
        assertThat(driver.findElement(By.id("inputs")).getText()).contains("credit-g", "9f2c4e1a", "training");
        assertThat(driver.findElement(By.id("versions")).getText()).contains("credit-risk v2", "@champion");
        cleanConsole();

        driver.findElement(By.linkText("evaluation/")).click();
        driver.findElement(By.linkText("report.html")).click();
        WebElement frame = wait.until(ExpectedConditions.presenceOfElementLocated(By.id("artifact-report")));
        assertThat(frame.getAttribute("sandbox")).isEmpty();
        driver.switchTo().frame(frame);
        assertThat(wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("verdict"))).getText()).isEqualTo("Verdict: blessed");
        driver.switchTo().defaultContent();
        // The report's own script did not run: the frame is sandboxed without scripts.
        assertThat(driver.getTitle()).doesNotContain("ran");
    }

    @Test
    void compareTwoRunsOfTheParent() throws Exception {
        open("/ui/runs/" + fixture.parentId);
        assertThat(driver.findElements(By.cssSelector("#children li"))).hasSize(3);
        open("/ui/experiments/" + fixture.experimentId);
        for (String id : List.of(fixture.trialIds.getFirst(), fixture.trialIds.getLast())) {
            driver.findElement(By.cssSelector("#runs tr[data-run-id='" + id + "'] input[type=checkbox]")).click();
        }
        driver.findElement(By.cssSelector("button[form=compare]")).click();
        wait.until(ExpectedConditions.presenceOfElementLocated(By.id("compare-params")));
        WebElement depth = driver.findElement(By.xpath("//table[@id='compare-params']//tr[th[starts-with(normalize-space(.), 'max_depth')]]"));
        assertThat(depth.getAttribute("data-differs")).isEqualTo("true");
        assertThat(depth.getText()).contains("3", "9");
        WebElement eta = driver.findElement(By.xpath("//table[@id='compare-params']//tr[th[normalize-space(.)='eta']]"));
        assertThat(eta.getAttribute("data-differs")).isEqualTo("false");
        // logloss (first by name) is overlaid: 300 rounds of each run.
        wait.until(ExpectedConditions.attributeToBe(By.id("compare-chart"), "data-points", "600"));
        wait.until(ExpectedConditions.attributeToBe(By.id("parallel-chart"), "data-points", "2"));
        screenshot("compare");
        new org.openqa.selenium.support.ui.Select(driver.findElement(By.id("overlay-metric"))).selectByValue("roc_auc");
        driver.findElement(By.cssSelector("#overlay-form button[type=submit]")).click();
        wait.until(ExpectedConditions.attributeToBe(By.id("compare-chart"), "data-points", "2"));
        cleanConsole();
    }

    @Test
    void theChampionAndItsAuditEntry() throws Exception {
        open("/ui/models");
        assertThat(driver.findElement(By.id("models")).getText()).contains("credit-risk", "champion → v2");
        screenshot("models");
        driver.findElement(By.linkText("credit-risk")).click();
        wait.until(ExpectedConditions.presenceOfElementLocated(By.id("audit-log")));
        assertThat(driver.findElement(By.id("aliases")).getText()).contains("champion → version 2");
        String audit = driver.findElement(By.id("audit-log")).getText();
        assertThat(audit).contains("grace", "ALIAS", "blessed: precision 0.71 >= 0.6");
        driver.findElement(By.cssSelector("#v2 a[href^='/ui/runs/']")).click();
        wait.until(ExpectedConditions.urlContains("/ui/runs/" + fixture.trialIds.getLast()));
        open("/ui/models/credit-risk");
        screenshot("model");
        cleanConsole();
    }

    @Test
    void moveAnAliasWithAConfirmationAndAReason() throws Exception {
        open("/ui/models/credit-risk");
        driver.findElement(By.cssSelector("#set-alias summary")).click();
        WebElement alias = driver.findElement(By.id("alias-name"));
        alias.clear();
        alias.sendKeys("challenger");
        new org.openqa.selenium.support.ui.Select(driver.findElement(By.id("alias-version"))).selectByValue("1");
        driver.findElement(By.id("alias-reason")).sendKeys("shadow the old trees for a week");
        driver.findElement(By.cssSelector("#set-alias input[name=confirm]")).click();
        driver.findElement(By.cssSelector("#set-alias button[type=submit]")).click();
        wait.until(d -> d.findElement(By.id("aliases")).getText().contains("challenger → version 1"));
        assertThat(driver.findElement(By.id("audit-log")).getText()).contains("shadow the old trees for a week", "challenger");
        cleanConsole();
    }

    @Test
    void changeADeploymentsWeights() throws Exception {
        open("/ui/deployments");
        WebElement section = driver.findElement(By.id("deployment-credit"));
        assertThat(section.getText()).contains("credit-risk v1", "credit-risk v2", "90", "10");
        screenshot("deployments");
        section.findElement(By.cssSelector("details.change summary")).click();
        WebElement v2 = driver.findElement(By.id("weight-credit-2"));
        v2.clear();
        v2.sendKeys("50");
        WebElement v1 = driver.findElement(By.id("weight-credit-1"));
        v1.clear();
        v1.sendKeys("50");
        driver.findElement(By.id("weights-reason-credit")).sendKeys("canary healthy for a day");
        section.findElement(By.cssSelector("input[name=confirm]")).click();
        section.findElement(By.cssSelector("button[type=submit]")).click();
        wait.until(d -> d.findElements(By.cssSelector("#deployment-credit td.num")).stream().filter(e -> e.getText().equals("50")).count() == 2);
        var targets = fixture.server.serving().deployments().get("credit").spec().targets();
        assertThat(targets).extracting(t -> t.weight()).containsExactly(50, 50);
        var audit = fixture.server.store().registry().listAuditEvents("credit-risk", 1, null).items().getFirst();
        assertThat(audit.comment()).isEqualTo("canary healthy for a day");
        cleanConsole();
    }

    @Test
    void aPipelineRunsSteps() throws Exception {
        open("/ui/pipelines");
        driver.findElement(By.linkText(fixture.pipelineRunId)).click();
        wait.until(ExpectedConditions.presenceOfElementLocated(By.id("pipeline-steps")));
        assertThat(driver.findElement(By.id("pipeline-run-state")).getText()).isEqualTo("SUCCEEDED");
        assertThat(driver.findElement(By.cssSelector("tr[data-step=read]")).getText()).contains("SUCCEEDED");
        assertThat(driver.findElement(By.cssSelector("tr[data-step=profile]")).getText()).contains("SUCCEEDED");
        screenshot("pipeline-run");
        for (String page : List.of("/ui/deployments", "/ui/monitoring", "/ui/lineage", "/ui/data", "/")) {
            open(page);
            assertThat(driver.findElement(By.cssSelector("nav a[aria-current=page]")).getText()).isNotBlank();
            cleanConsole();
        }
        open("/");
        screenshot("experiments");
    }

    @Test
    void openAnEvaluationReportAndFollowTheLineageFromAScoredCustomerToTheTrainingData() throws Exception {
        // From the version to the report of the evaluation that judged it.
        open("/ui/models/credit-risk");
        driver.findElement(By.cssSelector("#v2 a[href$='/evaluation']")).click();
        wait.until(ExpectedConditions.urlContains("/ui/runs/" + fixture.evaluationRunId + "/evaluation"));
        checkPage();
        var report = dev.cairn.train.evaluation.Evaluations.reportOf(fixture.evaluationRunId,
                dev.cairn.train.tracking.Tracking.of(fixture.server.store()));
        assertThat(driver.findElement(By.id("verdict")).getText()).isEqualTo(report.verdict().blessed() ? "Blessed" : "Not blessed");
        assertThat(driver.findElement(By.id("evaluation-facts")).getText()).contains("credit-risk v2", "credit-risk v1 (@champion)", "300 rows");
        assertThat(driver.findElement(By.cssSelector("#evaluation-metrics tr[data-metric=roc_auc]")).getText())
                .contains(Links.number(report.candidate().metrics().get("roc_auc")), "95%");
        // Both curves drawn: the candidate's, the champion's and (ROC) the diagonal of chance.
        wait.until(ExpectedConditions.attributeToBe(By.id("roc-chart"), "data-rendered", "true"));
        wait.until(ExpectedConditions.attributeToBe(By.id("pr-chart"), "data-rendered", "true"));
        assertThat(driver.findElement(By.id("roc-chart")).getAttribute("data-series")).isEqualTo("3");
        assertThat(driver.findElement(By.id("pr-chart")).getAttribute("data-series")).isEqualTo("2");
        assertThat(driver.findElement(By.cssSelector("table.slice[data-column=purpose]")).getText()).contains("car", "education");
        assertThat(driver.findElement(By.cssSelector("table.fairness[data-column=purpose]")).getText()).contains("car", "education");
        assertThat(driver.findElement(By.id("importance")).getText()).contains("age", "purpose");
        screenshot("evaluation");
        cleanConsole();

        // A customer scored on the last day: the lineage page's form, then the graph up to the version that scored it.
        open("/ui/lineage");
        new org.openqa.selenium.support.ui.Select(driver.findElement(By.id("lineage-from"))).selectByValue("customer");
        driver.findElement(By.id("lineage-q")).sendKeys(fixture.scoredCustomer);
        driver.findElement(By.cssSelector("#lineage-form button[type=submit]")).click();
        wait.until(ExpectedConditions.presenceOfElementLocated(By.id("lineage-graph")));
        checkPage();
        assertThat(driver.findElement(By.cssSelector("#lineage-nodes tr[data-side=start]")).getText()).contains(fixture.scoredCustomer);
        screenshot("lineage");
        cleanConsole();
        click(driver.findElement(By.cssSelector("#lineage-graph g[data-node='models:/credit-risk/2'] a")));
        wait.until(ExpectedConditions.urlContains("/ui/models/credit-risk"));
        checkPage();

        // The version's own lineage, then its training data: the dataset the trials read, and the trials.
        click(driver.findElement(By.cssSelector("#v2 a[aria-label='Lineage of version 2']")));
        wait.until(ExpectedConditions.presenceOfElementLocated(By.id("lineage-graph")));
        checkPage();
        WebElement dataset = driver.findElement(By.cssSelector("#lineage-nodes tr[data-node='dataset:9f2c4e1a']"));
        assertThat(dataset.getAttribute("data-side")).isEqualTo("upstream");
        assertThat(dataset.getText()).contains("credit-g");
        assertThat(driver.findElement(By.cssSelector("#lineage-nodes tr[data-node='run:" + fixture.evaluationRunId + "']"))
                .getAttribute("data-side")).isEqualTo("downstream");
        click(dataset.findElement(By.tagName("a")));
        wait.until(ExpectedConditions.urlContains("dataset=9f2c4e1a"));
        checkPage();
        for (String trial : fixture.trialIds) {
            assertThat(driver.findElement(By.cssSelector("#lineage-nodes tr[data-node='run:" + trial + "']")).getAttribute("data-side"))
                    .isEqualTo("downstream");
        }
        click(driver.findElement(By.cssSelector("#lineage-graph g[data-node='run:" + fixture.trialIds.getLast() + "'] a")));
        wait.until(ExpectedConditions.urlContains("/ui/runs/" + fixture.trialIds.getLast()));
        checkPage();
        assertThat(driver.findElement(By.id("inputs")).getText()).contains("credit-g", "9f2c4e1a", "training");
        cleanConsole();
    }

    @Test
    void monitoringDataAndPipelinePagesDrawTheirCharts() throws Exception {
        open("/ui/monitoring/credit");
        for (String chart : List.of("drift-chart", "performance-chart", "volume-chart")) {
            wait.until(ExpectedConditions.attributeToBe(By.id(chart), "data-rendered", "true"));
        }
        // Over the three days: the features' drift and the share drifted; realized metrics; rows, requests.
        assertThat(Integer.parseInt(driver.findElement(By.id("drift-chart")).getAttribute("data-points"))).isGreaterThanOrEqualTo(3 * UiFixture.DAYS);
        assertThat(driver.findElement(By.id("alert-events")).getText()).contains("age-drift", "FIRING");
        screenshot("monitoring");
        cleanConsole();

        open("/ui/runs/" + fixture.stepRuns.get("profile") + "/data");
        wait.until(d -> d.findElements(By.cssSelector(".histograms [data-chart]")).stream().allMatch(e -> "true".equals(e.getAttribute("data-rendered"))));
        assertThat(driver.findElements(By.cssSelector(".histograms [data-chart]"))).hasSize(3);
        screenshot("data");
        cleanConsole();
        open("/ui/runs/" + fixture.stepRuns.get("validate") + "/data");
        assertThat(driver.findElement(By.cssSelector("table.validation-failures")).getText()).contains("amount");
        cleanConsole();

        open("/ui/pipelines/profile-sales");
        assertThat(driver.findElements(By.cssSelector("#pipeline-dag g.node"))).hasSize(4);
        screenshot("pipeline");
        open("/ui/pipelines/runs/" + fixture.pipelineRunId);
        assertThat(driver.findElements(By.cssSelector("#pipeline-run-dag g.state-SUCCEEDED"))).hasSize(4);
        cleanConsole();
    }

    @Test
    void theFeaturesPageShowsTheModelTrainedOnAViewAndTheDeploymentReadingIt() throws Exception {
        open("/ui/features");
        assertThat(driver.findElement(By.id("feature-views")).getText()).contains("customer_profile", "2");
        assertThat(driver.findElement(By.cssSelector("#feature-services tr[data-feature=credit_features]")).getText())
                .contains(UiFixture.FEATURE_DEPLOYMENT);
        screenshot("features");
        cleanConsole();
        driver.findElement(By.linkText("customer_profile")).click();
        wait.until(ExpectedConditions.presenceOfElementLocated(By.id("feature-versions")));
        checkPage();
        assertThat(driver.findElement(By.id("version-1")).getText()).contains("credit-features v1");
        assertThat(driver.findElement(By.cssSelector("#version-2 td.trained")).getText()).isEqualTo("none");
        assertThat(driver.findElement(By.id("feature-deployments")).getText()).contains(UiFixture.FEATURE_DEPLOYMENT, "credit_features");
        screenshot("feature");
        cleanConsole();
        // From the model version trained on version 1 to its lineage, and back from the view's node to this page.
        click(driver.findElement(By.linkText("credit-features v1")));
        wait.until(ExpectedConditions.urlContains("/ui/models/credit-features"));
        checkPage();
        open("/ui/lineage?model=credit-features&version=1");
        click(driver.findElement(By.cssSelector("#lineage-nodes a[href='/ui/features/customer_profile#version-1']")));
        wait.until(ExpectedConditions.urlContains("/ui/features/customer_profile"));
        checkPage();
        cleanConsole();
    }

    @Test
    void cancelARunningPipelineRunFromItsPage() throws Exception {
        var pipelines = fixture.server.pipelines();
        var run = pipelines.start(pipelines.store().getPipeline("wait-for-data").orElseThrow(),
                new dev.cairn.pipeline.engine.RunRequest("manual", "UI test", java.util.Map.of(), null, null, "ada", null));
        // Really running: its one step's program has started (and sleeps for minutes).
        HeadlessChromium.waitFor(driver, java.time.Duration.ofSeconds(60)).until(d -> pipelines.store().steps(run.runId()).stream()
                .anyMatch(step -> step.state() == dev.cairn.core.pipeline.StepState.RUNNING));
        open("/ui/pipelines/runs/" + run.runId());
        assertThat(driver.findElement(By.id("pipeline-run-state")).getText()).isEqualTo("RUNNING");
        driver.findElement(By.cssSelector("#cancel-run summary")).click();
        driver.findElement(By.cssSelector("#cancel-run input[name=confirm]")).click();
        driver.findElement(By.cssSelector("#cancel-run button[type=submit]")).click();
        wait.until(d -> !d.findElements(By.id("cancel-requested")).isEmpty()
                || d.findElement(By.id("pipeline-run-state")).getText().equals("CANCELLED"));
        assertThat(pipelines.store().getRun(run.runId()).cancelRequested()).isTrue();
        // The step sees the flag within a second or so and stops its program; the page then says the run was cancelled.
        HeadlessChromium.waitFor(driver, java.time.Duration.ofSeconds(60)).until(d -> {
            d.navigate().refresh();
            return d.findElement(By.id("pipeline-run-state")).getText().equals("CANCELLED");
        });
        checkPage();
        var ended = pipelines.store().getRun(run.runId());
        assertThat(ended.state()).isEqualTo(dev.cairn.core.pipeline.PipelineRunState.CANCELLED);
        assertThat(pipelines.store().steps(run.runId())).extracting(step -> step.state())
                .containsExactly(dev.cairn.core.pipeline.StepState.CANCELLED);
        assertThat(driver.findElement(By.cssSelector("tr[data-step=wait]")).getText()).contains("CANCELLED");
        assertThat(driver.findElements(By.id("cancel-run"))).as("nothing left to cancel").isEmpty();
        cleanConsole();
    }

    /** Clicks a link in the middle of the window (a row at the top of the page would be under a table's sticky header). */
    private static void click(WebElement element) {
        ((JavascriptExecutor) driver).executeScript("arguments[0].scrollIntoView({block: 'center'})", element);
        element.click();
    }

    /** Checks the page the browser is on, as {@link #open} does after loading one. */
    private static void checkPage() {
        wait.until(d -> "complete".equals(((JavascriptExecutor) d).executeScript("return document.readyState")));
        assertThat(accessibilityProblems()).as("accessibility of " + driver.getCurrentUrl()).isEmpty();
        assertThat(axeViolations()).as("axe-core on " + driver.getCurrentUrl()).isEmpty();
    }

    /** axe-core 4.10 (a test resource: see its README), read once. */
    private static String axeSource;

    /**
     * axe-core's WCAG 2.0/2.1 A and AA rules and its best practices on the page as it is now: each violation as its
     * rule, impact and the first elements it names. The script is injected through the driver, which the page's
     * Content-Security-Policy does not govern.
     */
    @SuppressWarnings("unchecked")
    private static List<String> axeViolations() {
        try {
            if (axeSource == null) {
                try (var in = UiBrowserTest.class.getResourceAsStream("axe/axe.min.js")) {
                    axeSource = new String(in.readAllBytes(), StandardCharsets.UTF_8);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        JavascriptExecutor js = (JavascriptExecutor) driver;
        if (!Boolean.TRUE.equals(js.executeScript("return typeof window.axe === 'object'"))) js.executeScript(axeSource);
        return (List<String>) js.executeAsyncScript("""
                var done = arguments[arguments.length - 1];
                axe.run(document, { runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'best-practice'] },
                                    resultTypes: ['violations'] })
                  .then(function (r) {
                    done(r.violations.map(function (v) {
                      return v.id + ' (' + v.impact + '): ' + v.help + ' — ' + v.nodes.slice(0, 3).map(function (n) {
                        return n.target.join(' ');
                      }).join(', ');
                    }));
                  })
                  .catch(function (e) { done(['axe failed: ' + e]); });
                """);
    }

    /** Opens a page and checks that everything it loaded came from the server itself. */
    private static void open(String path) {
        driver.get(fixture.url() + path);
        wait.until(d -> "complete".equals(((JavascriptExecutor) d).executeScript("return document.readyState")));
        @SuppressWarnings("unchecked")
        List<String> resources = (List<String>) ((JavascriptExecutor) driver).executeScript(
                "return performance.getEntriesByType('resource').map(function (e) { return e.name; })");
        assertThat(resources).allSatisfy(url -> assertThat(url).startsWith(fixture.url() + "/"));
        assertThat(accessibilityProblems()).as("accessibility of " + path).isEmpty();
        assertThat(axeViolations()).as("axe-core on " + path).isEmpty();
    }

    /**
     * Structural checks of our own, beside axe-core's: a language, one h1, a name for every form control, image and
     * frame, header cells in every table, and no skipped heading level.
     */
    @SuppressWarnings("unchecked")
    private static List<String> accessibilityProblems() {
        return (List<String>) ((JavascriptExecutor) driver).executeScript("""
                var problems = [];
                if (!document.documentElement.lang) problems.push('html without lang');
                if (document.querySelectorAll('h1').length !== 1) problems.push(document.querySelectorAll('h1').length + ' h1 elements');
                document.querySelectorAll('input:not([type=hidden]), select, textarea').forEach(function (e) {
                  var labelled = e.getAttribute('aria-label') || e.getAttribute('aria-labelledby')
                      || (e.id && document.querySelector('label[for="' + e.id + '"]')) || e.closest('label');
                  if (!labelled) problems.push('unlabelled ' + e.outerHTML);
                });
                document.querySelectorAll('img').forEach(function (e) { if (!e.hasAttribute('alt')) problems.push('img without alt'); });
                document.querySelectorAll('iframe').forEach(function (e) { if (!e.title) problems.push('iframe without title'); });
                document.querySelectorAll('table').forEach(function (e) { if (!e.querySelector('th')) problems.push('table without header cells'); });
                document.querySelectorAll('a').forEach(function (e) { if (!e.textContent.trim() && !e.getAttribute('aria-label')) problems.push('empty link'); });
                var last = 1;
                document.querySelectorAll('h1, h2, h3, h4').forEach(function (h) {
                  var level = Number(h.tagName.substring(1));
                  if (level > last + 1) problems.push('heading level skipped before ' + h.textContent);
                  last = level;
                });
                return problems;
                """);
    }

    /** No script error and no Content-Security-Policy violation in the console since the last look. */
    private static void cleanConsole() {
        List<LogEntry> entries = driver.manage().logs().get(LogType.BROWSER).getAll();
        assertThat(entries.stream().filter(e -> e.getLevel().intValue() >= Level.WARNING.intValue()).map(LogEntry::getMessage).toList())
                .as("browser console").isEmpty();
    }

    private static void screenshot(String name) throws Exception {
        String target = System.getProperty("cairn.ui.screenshots");
        if (target == null || target.isBlank()) return;
        Path out = Path.of(target).resolve(name + ".png");
        Files.createDirectories(out.getParent());
        Files.write(out, ((TakesScreenshot) driver).getScreenshotAs(OutputType.BYTES));
    }
}
