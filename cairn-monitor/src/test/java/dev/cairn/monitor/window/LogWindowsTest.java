package dev.cairn.monitor.window;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cairn.data.drift.DriftOptions;
import dev.cairn.data.drift.DriftResult;
import dev.cairn.data.source.Progress;
import dev.cairn.monitor.LogFixture;
import dev.cairn.monitor.MetricNames;
import dev.cairn.monitor.MonitoredModel;
import dev.cairn.monitor.log.LogRetention;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LogWindowsTest {
    static final Instant DAY1 = Instant.parse("2026-11-01T00:00:00Z");
    static final Instant DAY2 = Instant.parse("2026-11-02T00:00:00Z");

    @TempDir Path dir;
    LogFixture log;
    MonitoredModel model;

    @BeforeEach
    void setUp() throws Exception {
        log = new LogFixture(dir.resolve("log"));
        model = LogFixture.model(dir.resolve("train"), "1", 2000, 7);
    }

    LogWindows windows(String state) {
        return new LogWindows(log.root(), new WindowStore(dir.resolve(state)), (name, version) -> model);
    }

    @Test
    void windowsCountRowsQualityAndRefusalsByDayAndVersion() throws Exception {
        List<LogFixture.Request> day1 = new ArrayList<>(LogFixture.traffic("a", DAY1.plusSeconds(3600), "1", 300, 0, 1));
        Map<String, Object> bad = new LinkedHashMap<>();
        bad.put("amount", "lots");       // a type error
        bad.put("purpose", "yacht");     // unseen
        bad.put("foreign", null);        // missing
        Map<String, Object> big = new LinkedHashMap<>(Map.of("amount", 5000, "purpose", "car", "foreign", "no"));  // out of range
        day1.add(new LogFixture.Request("b1", DAY1.plusSeconds(7200), "1", List.of(bad, big), new double[] {0.5, 0.1}, null, 900));
        day1.add(new LogFixture.Request("c1", DAY1.plusSeconds(7300), "1", List.of(bad), null, List.of("amount", "purpose"), 300));
        day1.add(new LogFixture.Request("c2", DAY1.plusSeconds(7400), "1", List.of(bad), null, List.of("purpose"), 300));
        log.segment("credit", day1.subList(0, 150));
        log.segment("credit", day1.subList(150, day1.size()));
        log.segment("credit", LogFixture.traffic("d", DAY2.plusSeconds(60), "1", 200, 0, 2));
        log.segment("other", LogFixture.traffic("o", DAY2, "1", 50, 0, 3));

        LogWindows.Update update = windows("state").update("credit", WindowSize.DAY, Progress.NONE);

        assertThat(update.windowsUpdated()).isEqualTo(2);
        assertThat(update.rowsAdded()).isEqualTo(300 + 2 + 200);
        List<WindowState> states = windows("state").store().load("credit", WindowSize.DAY);
        assertThat(states).extracting(WindowState::start).containsExactly(DAY1.toEpochMilli(), DAY2.toEpochMilli());
        WindowState first = states.getFirst();
        assertThat(first.requests()).isEqualTo(301);
        assertThat(first.refused()).isEqualTo(2);
        assertThat(first.refusedByField()).containsExactlyInAnyOrderEntriesOf(Map.of("amount", 1L, "purpose", 2L));
        assertThat(first.quality().get("amount")).isEqualTo(new FieldQuality(0, 1, 1, 0));
        assertThat(first.quality().get("purpose")).isEqualTo(new FieldQuality(0, 0, 0, 1));
        assertThat(first.quality().get("foreign")).isEqualTo(new FieldQuality(1, 0, 0, 0));
        assertThat(first.scores().count()).isEqualTo(302);

        Map<String, Double> metrics = new WindowCalculator(DriftOptions.DEFAULT).metrics(first, model,
                new WindowCalculator(DriftOptions.DEFAULT).inputDrift(first, model));
        assertThat(metrics.get(MetricNames.REFUSED_RATE)).isEqualTo(2 / 303.0);
        assertThat(metrics.get(MetricNames.UNSEEN_RATE)).isEqualTo(1 / (302.0 * 3));
        assertThat(metrics.get(MetricNames.LATENCY_P99)).isBetween(0.9, 1.2);
        assertThat(metrics).containsKeys(MetricNames.drift("amount"), MetricNames.drift("purpose"), MetricNames.drift("foreign"),
                MetricNames.DRIFT_SHARE, MetricNames.PREDICTION_DRIFT_SCORE);
    }

    @Test
    void anUpdateReadsOnlyNewSegmentsAndMergesThemIntoTheWindow() throws Exception {
        List<LogFixture.Request> traffic = LogFixture.traffic("a", DAY1, "1", 1000, 0, 11);
        log.segment("credit", traffic.subList(0, 600));
        LogWindows incremental = windows("incremental");
        assertThat(incremental.update("credit", WindowSize.DAY, Progress.NONE).rowsAdded()).isEqualTo(600);
        log.segment("credit", traffic.subList(600, 1000));
        LogWindows.Update second = incremental.update("credit", WindowSize.DAY, Progress.NONE);
        assertThat(second.segmentsRead()).isEqualTo(1);
        assertThat(second.rowsAdded()).isEqualTo(400);
        assertThat(incremental.update("credit", WindowSize.DAY, Progress.NONE).rowsAdded()).isZero();

        WindowState merged = incremental.store().find("credit", WindowSize.DAY, "1", DAY1.toEpochMilli());
        windows("scratch").update("credit", WindowSize.DAY, Progress.NONE);
        WindowState scratch = windows("scratch").store().find("credit", WindowSize.DAY, "1", DAY1.toEpochMilli());
        assertThat(merged.rows()).isEqualTo(scratch.rows()).isEqualTo(1000);
        assertThat(merged.scores()).isEqualTo(scratch.scores());
        assertThat(merged.quality()).isEqualTo(scratch.quality());
        var a = merged.profile().column("amount").orElseThrow().numeric();
        var b = scratch.profile().column("amount").orElseThrow().numeric();
        assertThat(a.mean()).isCloseTo(b.mean(), org.assertj.core.data.Offset.offset(1e-9));
        assertThat(a.min()).isEqualTo(b.min());
        assertThat(a.max()).isEqualTo(b.max());
    }

    @Test
    void compactionNeitherLosesNorDoubleCountsRows() throws Exception {
        log.segment("credit", LogFixture.traffic("a", DAY1, "1", 100, 0, 21));
        LogWindows before = windows("before");
        before.update("credit", WindowSize.DAY, Progress.NONE);
        log.segment("credit", LogFixture.traffic("b", DAY1.plusSeconds(5000), "1", 50, 0, 22));

        LogRetention.Result r = LogRetention.apply(log.root(), new LogRetention.Policy(Duration.ZERO, null), Instant.now());
        assertThat(r.segmentsCompacted()).isEqualTo(2);
        assertThat(r.dailyFilesWritten()).isGreaterThanOrEqualTo(1);

        // The state that had read the first segment reads only the second's rows from the daily file.
        assertThat(before.update("credit", WindowSize.DAY, Progress.NONE).rowsAdded()).isEqualTo(50);
        assertThat(before.store().find("credit", WindowSize.DAY, "1", DAY1.toEpochMilli()).rows()).isEqualTo(150);
        assertThat(before.update("credit", WindowSize.DAY, Progress.NONE).rowsAdded()).isZero();
        // A new monitor reads everything once.
        assertThat(windows("fresh").update("credit", WindowSize.DAY, Progress.NONE).rowsAdded()).isEqualTo(150);

        assertThat(LogRetention.apply(log.root(), new LogRetention.Policy(null, Duration.ZERO), Instant.now().plusSeconds(86_400 * 400))
                .filesDeleted()).isGreaterThanOrEqualTo(1);
        assertThat(dev.cairn.monitor.log.PredictionLogLayout.files(log.root(), "predictions")).isEmpty();
    }

    @Test
    void aShiftedFeatureDriftsAndTheOthersDoNot() throws Exception {
        log.segment("credit", LogFixture.traffic("a", DAY1, "1", 2000, 0, 31));
        log.segment("credit", LogFixture.traffic("b", DAY2, "1", 2000, 150, 32));
        LogWindows w = windows("state");
        w.update("credit", WindowSize.DAY, Progress.NONE);
        WindowCalculator calc = new WindowCalculator(DriftOptions.DEFAULT);
        List<WindowState> states = w.store().load("credit", WindowSize.DAY);
        DriftResult quiet = calc.inputDrift(states.get(0), model);
        DriftResult shifted = calc.inputDrift(states.get(1), model);
        Map<String, Double> m0 = calc.metrics(states.get(0), model, quiet);
        Map<String, Double> m1 = calc.metrics(states.get(1), model, shifted);
        assertThat(m0.get(MetricNames.drifted("amount"))).isZero();
        assertThat(m1.get(MetricNames.drifted("amount"))).isEqualTo(1.0);
        assertThat(m1.get(MetricNames.drifted("purpose"))).isZero();
        assertThat(m1.get(MetricNames.PREDICTION_DRIFT_SCORE + MetricNames.DRIFTED_SUFFIX)).isEqualTo(1.0);
        assertThat(m0.get(MetricNames.PREDICTION_DRIFT_SCORE + MetricNames.DRIFTED_SUFFIX)).isZero();
    }

    @Test
    void windowsComputedTogetherAreTheWindowsComputedOneAtATime() throws Exception {
        // Hours over two days, a segment spanning several hours, refusals and bad values in one hour.
        List<LogFixture.Request> first = new ArrayList<>();
        for (int h = 0; h < 5; h++) first.addAll(LogFixture.traffic("a" + h, DAY1.plusSeconds(3600L * h), "1", 120, h == 3 ? 150 : 0, 40 + h));
        Map<String, Object> bad = new LinkedHashMap<>();
        bad.put("amount", "lots");
        bad.put("purpose", "yacht");
        bad.put("foreign", null);
        first.add(new LogFixture.Request("b1", DAY1.plusSeconds(7200), "1", List.of(bad), new double[] {0.5}, null, 900));
        first.add(new LogFixture.Request("c1", DAY1.plusSeconds(7300), "1", List.of(bad), null, List.of("amount", "purpose"), 300));
        log.segment("credit", first.subList(0, 300));
        log.segment("credit", first.subList(300, first.size()));
        log.segment("credit", LogFixture.traffic("d", DAY2.plusSeconds(60), "1", 200, 0, 50));

        LogWindows together = new LogWindows(log.root(), new WindowStore(dir.resolve("together")), (name, version) -> model, true);
        LogWindows alone = new LogWindows(log.root(), new WindowStore(dir.resolve("alone")), (name, version) -> model, false);
        LogWindows.Update a = together.update("credit", WindowSize.HOUR, Progress.NONE);
        LogWindows.Update b = alone.update("credit", WindowSize.HOUR, Progress.NONE);
        assertThat(a).isEqualTo(b);
        assertThat(a.windowsUpdated()).isEqualTo(7);
        // An update that adds to windows already stored, and makes new ones.
        log.segment("credit", LogFixture.traffic("e", DAY1.plusSeconds(3600L * 4 + 1800), "1", 100, 0, 51));
        assertThat(together.update("credit", WindowSize.HOUR, Progress.NONE)).isEqualTo(alone.update("credit", WindowSize.HOUR, Progress.NONE));

        List<WindowState> t = together.store().load("credit", WindowSize.HOUR);
        List<WindowState> o = alone.store().load("credit", WindowSize.HOUR);
        assertThat(t).hasSize(8);
        assertThat(t).extracting(WindowState::start).isEqualTo(o.stream().map(WindowState::start).toList());
        for (int i = 0; i < t.size(); i++) {
            WindowState x = t.get(i);
            WindowState y = o.get(i);
            assertThat(List.of(x.requests(), x.refused(), x.rows())).isEqualTo(List.of(y.requests(), y.refused(), y.rows()));
            assertThat(x.refusedByField()).isEqualTo(y.refusedByField());
            assertThat(x.quality()).isEqualTo(y.quality());
            assertThat(x.scores()).isEqualTo(y.scores());
            assertThat(x.segments()).isEqualTo(y.segments());
            // Counts and extremes exactly; the moments and sketches depend on the order the rows are read in, which DuckDB
            // does not fix when a window's rows span several files (so computing a window twice alone can differ there too).
            for (var column : y.profile().columns()) {
                var same = x.profile().column(column.name()).orElseThrow();
                assertThat(List.of(same.count(), same.missing())).as(column.name()).isEqualTo(List.of(column.count(), column.missing()));
                if (column.numeric() != null && column.numeric().mean() != null) {
                    assertThat(same.numeric().min()).as(column.name()).isEqualTo(column.numeric().min());
                    assertThat(same.numeric().max()).as(column.name()).isEqualTo(column.numeric().max());
                    assertThat(same.numeric().mean()).as(column.name()).isCloseTo(column.numeric().mean(), org.assertj.core.data.Offset.offset(1e-9));
                }
            }
        }
    }

    @Test
    void eachWindowCountsTheRequestsAndRefusalsOfItsVersionAndHourInTheLog() throws Exception {
        // Two versions in the same hours, refusals in some, a segment spanning hours, and a later segment merged in: each
        // window's counts (summed from the segment grouping) are those of a count over the log's files.
        Map<String, Object> bad = new LinkedHashMap<>();
        bad.put("amount", "lots");
        List<LogFixture.Request> first = new ArrayList<>();
        for (int h = 0; h < 3; h++) {
            first.addAll(LogFixture.traffic("a" + h, DAY1.plusSeconds(3600L * h + 60), "1", 40 + h, 0, 60 + h));
            first.addAll(LogFixture.traffic("v" + h, DAY1.plusSeconds(3600L * h + 120), "2", 10 + h, 0, 70 + h));
        }
        first.add(new LogFixture.Request("r1", DAY1.plusSeconds(3700), "1", List.of(bad), null, List.of("amount"), 300));
        first.add(new LogFixture.Request("r2", DAY1.plusSeconds(3800), "2", List.of(bad), null, List.of("amount"), 300));
        log.segment("credit", first.subList(0, 70));
        log.segment("credit", first.subList(70, first.size()));
        log.segment("other", LogFixture.traffic("o", DAY1, "1", 30, 0, 80));
        LogWindows w = windows("counted");
        w.update("credit", WindowSize.HOUR, Progress.NONE);
        List<LogFixture.Request> later = new ArrayList<>(LogFixture.traffic("b", DAY1.plusSeconds(3600 + 900), "1", 25, 0, 81));
        later.add(new LogFixture.Request("r3", DAY1.plusSeconds(3600 + 950), "1", List.of(bad), null, List.of("amount"), 300));
        log.segment("credit", later);
        w.update("credit", WindowSize.HOUR, Progress.NONE);

        List<WindowState> states = w.store().load("credit", WindowSize.HOUR);
        assertThat(states).hasSize(6);
        String files = dev.cairn.monitor.log.PredictionLogLayout.files(log.root(), "predictions").stream()
                .map(f -> "'" + f + "'").collect(java.util.stream.Collectors.joining(", ", "[", "]"));
        try (var c = java.sql.DriverManager.getConnection("jdbc:duckdb:"); var s = c.createStatement();
             var r = s.executeQuery("SELECT model_version, " + WindowSize.HOUR.startSql("time") + " AS ws, count(*) FILTER (WHERE error IS NULL), "
                     + "count(*) FILTER (WHERE error IS NOT NULL) FROM read_parquet(" + files + ", union_by_name = true) "
                     + "WHERE deployment = 'credit' GROUP BY ALL ORDER BY ALL")) {
            Map<String, List<Long>> expected = new LinkedHashMap<>();
            while (r.next()) expected.put(r.getString(1) + "@" + r.getLong(2), List.of(r.getLong(3), r.getLong(4)));
            Map<String, List<Long>> actual = new LinkedHashMap<>();
            for (WindowState x : states) actual.put(x.modelVersion() + "@" + x.start(), List.of(x.requests(), x.refused()));
            assertThat(actual).isEqualTo(expected);
        }
        WindowState second = w.store().find("credit", WindowSize.HOUR, "1", DAY1.plusSeconds(3600).toEpochMilli());
        assertThat(second.refused()).isEqualTo(2);
        assertThat(second.refusedByField()).isEqualTo(Map.of("amount", 2L));
    }

    @Test
    void theRetentionPolicyComesFromTheEnvironmentAndABadValueNamesTheVariable() {
        Map<String, String> env = Map.of("CAIRN_LOG_COMPACT_AFTER", "PT12H", "CAIRN_LOG_DELETE_AFTER", "never");
        LogRetention.Policy p = LogRetention.Policy.fromEnvironment(env::get);
        assertThat(p.compactAfter()).isEqualTo(Duration.ofHours(12));
        assertThat(p.deleteAfter()).isNull();
        assertThat(LogRetention.Policy.fromEnvironment(k -> null)).isEqualTo(LogRetention.Policy.DEFAULT);
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> LogRetention.Policy.fromEnvironment(Map.of("CAIRN_LOG_DELETE_AFTER", "90 days")::get))
                .hasMessageContaining("CAIRN_LOG_DELETE_AFTER");
    }
}
