package dev.cairn.store.contract;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cairn.core.error.CairnException;
import dev.cairn.core.error.ErrorCode;
import dev.cairn.core.store.RunStore;
import dev.cairn.core.tracking.Metric;
import dev.cairn.core.tracking.Page;
import dev.cairn.core.tracking.Param;
import dev.cairn.core.tracking.Run;
import dev.cairn.core.tracking.Tag;
import dev.cairn.core.tracking.ViewType;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** The contract for searchRuns (part of {@link MetadataStoreContract}). */
public abstract class SearchContract extends TrackingContract {

    // ---------------------------------------------------------------- search

    @Test
    @DisplayName("searchRuns compares metrics, params, tags and attributes as MLflow does")
    void searchComparisons() {
        String exp = searchFixture();
        assertThat(search(exp, "metrics.auc > 0.8")).containsExactly("r5", "r4", "r3");
        assertThat(search(exp, "metric.auc >= 0.8 and metrics.auc <= 0.85")).containsExactly("r3", "r2");
        assertThat(search(exp, "metrics.auc != 0.7")).hasSize(4);
        assertThat(search(exp, "params.max_depth = '6'")).containsExactly("r3", "r2");
        assertThat(search(exp, "param.max_depth != '6'")).containsExactly("r5", "r4", "r1");
        assertThat(search(exp, "tags.team LIKE 'risk%'")).containsExactly("r4", "r1");
        assertThat(search(exp, "tags.team ILIKE 'risk%'")).containsExactly("r4", "r3", "r1");
        assertThat(search(exp, "tag.team IN ('ops', 'growth')")).containsExactly("r5", "r2");
        assertThat(search(exp, "tags.team NOT IN ('ops', 'growth')")).containsExactly("r4", "r3", "r1");
        assertThat(search(exp, "attributes.status = 'FINISHED'")).containsExactly("r5");
        assertThat(search(exp, "status != 'FINISHED' and attribute.run_name IN ('r1', 'r2')")).containsExactly("r2", "r1");
        assertThat(search(exp, "attributes.start_time >= 1003")).containsExactly("r5", "r4");
        assertThat(search(exp, "created < 1001")).containsExactly("r1");
        assertThat(search(exp, "run_name LIKE 'r%' and end_time > 0")).containsExactly("r5");
        assertThat(search(exp, "`metrics`.`auc` > 0.9")).containsExactly("r5");
        assertThat(search(exp, "metrics.\"auc\" > 0.9")).containsExactly("r5");
        assertThat(search(exp, "params.model = \"xgb\"")).containsExactly("r5", "r3", "r1");
        String r1 = store.runs().searchRuns(List.of(exp), "run_name = 'r1'", ViewType.ALL, List.of(), 10, null).items().get(0).info().runId();
        assertThat(search(exp, "attributes.run_id = '" + r1 + "'")).containsExactly("r1");
        assertThat(search(exp, "attributes.run_id IN ('" + r1 + "')")).containsExactly("r1");
    }

    @Test
    @DisplayName("OR and parentheses combine conditions, AND binding tighter than OR")
    void searchOrAndParentheses() {
        String exp = searchFixture();
        assertThat(search(exp, "metrics.auc > 0.9 or params.max_depth = '3'")).containsExactly("r5", "r1");
        assertThat(search(exp, "params.max_depth = '3' or params.max_depth = '6' and tags.team = 'growth'")).containsExactly("r2", "r1");
        assertThat(search(exp, "(params.max_depth = '3' or params.max_depth = '6') and tags.team = 'growth'")).containsExactly("r2");
        assertThat(search(exp, "((metrics.loss < 0.07) or (tags.team = 'Risk-EU' and metrics.auc > 0.8))")).containsExactly("r5", "r3");
    }

    @Test
    @DisplayName("searchRuns orders by metrics, params and attributes (missing values last) and pages with a token")
    void searchOrderAndPaging() {
        String exp = searchFixture();
        assertThat(search(exp, null)).as("MLflow's default: start_time DESC").containsExactly("r5", "r4", "r3", "r2", "r1");
        assertThat(search(exp, null, "metrics.auc DESC")).containsExactly("r5", "r4", "r3", "r2", "r1");
        assertThat(search(exp, null, "metrics.auc")).containsExactly("r1", "r2", "r3", "r4", "r5");
        assertThat(search(exp, null, "metrics.loss ASC")).as("r3 has no loss").containsExactly("r5", "r4", "r2", "r1", "r3");
        assertThat(search(exp, null, "metrics.loss DESC")).containsExactly("r1", "r2", "r4", "r5", "r3");
        assertThat(search(exp, null, "params.model", "attributes.start_time ASC")).containsExactly("r2", "r4", "r1", "r3", "r5");
        assertThat(search(exp, null, "attributes.run_name DESC")).containsExactly("r5", "r4", "r3", "r2", "r1");
        assertThat(search(exp, null, "metrics.absent DESC", "params.model ASC")).as("no run has the metric: the next keys decide")
                .containsExactly("r4", "r2", "r5", "r3", "r1");
        assertThat(search(exp, "params.model = 'xgb'", "metrics.loss DESC", "tags.team")).containsExactly("r1", "r5", "r3");

        List<String> seen = new ArrayList<>();
        String token = null;
        int pages = 0;
        do {
            Page<Run> page = store.runs().searchRuns(List.of(exp), null, ViewType.ACTIVE_ONLY, List.of("metrics.auc DESC"), 2, token);
            seen.addAll(runNames(page));
            token = page.nextPageToken();
            pages++;
        } while (token != null);
        assertThat(pages).isEqualTo(3);
        assertThat(seen).containsExactly("r5", "r4", "r3", "r2", "r1");
        for (int size = 1; size <= 4; size++) {
            List<String> paged = new ArrayList<>();
            String next = null;
            do {
                Page<Run> page = store.runs().searchRuns(List.of(exp), null, ViewType.ACTIVE_ONLY, List.of("metrics.loss"), size, next);
                paged.addAll(runNames(page));
                next = page.nextPageToken();
            } while (next != null);
            assertThat(paged).as("pages of %d ordered by a metric one run lacks", size).containsExactly("r5", "r4", "r2", "r1", "r3");
        }
        assertThat(failure(() -> store.runs().searchRuns(List.of(exp), null, ViewType.ALL, List.of(), 10, "not-a-token")).code())
                .isEqualTo(ErrorCode.INVALID_PARAMETER_VALUE);
        assertThat(failure(() -> store.runs().searchRuns(List.of(exp), null, ViewType.ALL, List.of(), 50001, null)).getMessage())
                .contains("50000");
    }

    @Test
    @DisplayName("searchRuns sees deleted runs only in the views that include them, across experiments")
    void searchViewsAndExperiments() {
        String exp = searchFixture();
        String other = experiment("other");
        run(other, "o1", 5000L);
        String r1 = store.runs().searchRuns(List.of(exp), "run_name = 'r1'", ViewType.ALL, List.of(), 10, null).items().get(0).info().runId();
        store.runs().deleteRun(r1);
        assertThat(search(exp, null)).doesNotContain("r1");
        assertThat(runNames(store.runs().searchRuns(List.of(exp), null, ViewType.DELETED_ONLY, List.of(), 10, null))).containsExactly("r1");
        assertThat(runNames(store.runs().searchRuns(List.of(exp, other), null, ViewType.ALL, List.of(), 10, null)))
                .containsExactly("o1", "r5", "r4", "r3", "r2", "r1");
    }

    @Test
    @DisplayName("a malformed filter is INVALID_PARAMETER_VALUE naming the token and its position")
    void searchParseErrors() {
        String exp = experiment("errors");
        CairnException e = failure(() -> search(exp, "metrics.auc > 0.8 and params.x"));
        assertThat(e.code()).isEqualTo(ErrorCode.INVALID_PARAMETER_VALUE);
        assertThat(e.getMessage()).contains("position 30").contains("end of input");
        CairnException unbalanced = failure(() -> search(exp, "(metrics.auc > 0.8"));
        assertThat(unbalanced.getMessage()).contains("')'");
        assertThat(failure(() -> search(exp, "metrics.auc > 'high'")).getMessage()).contains("numeric").contains("position 0");
        assertThat(failure(() -> search(exp, "params.x > '1'")).getMessage()).contains("'>'");
        assertThat(failure(() -> search(exp, "foo.x = '1'")).getMessage()).contains("foo");
        assertThat(failure(() -> search(exp, "attributes.nope = '1'")).getMessage()).contains("nope");
        assertThat(failure(() -> search(exp, "params.x = 'unclosed")).getMessage()).contains("position 11");
        assertThat(failure(() -> search(exp, null, "metrics.auc SIDEWAYS")).getMessage()).contains("SIDEWAYS");
        assertThat(failure(() -> search(exp, "params.x = '1'; DROP TABLE runs")).code()).isEqualTo(ErrorCode.INVALID_PARAMETER_VALUE);
    }

    @Test
    @DisplayName("values reach SQL only as parameters: quotes and SQL in values are matched literally")
    void searchValuesAreParameters() {
        String exp = experiment("injection");
        String id = run(exp, "quoted", 1L).info().runId();
        store.runs().setTag(id, new Tag("note", "it's ' OR '1'='1"));
        assertThat(search(exp, "tags.note = 'it''s '' OR ''1''=''1'")).containsExactly("quoted");
        assertThat(search(exp, "tags.note = 'it''s'")).isEmpty();
        assertThat(failure(() -> search(exp, "tags.note = '' OR '1'='1'")).code()).isEqualTo(ErrorCode.INVALID_PARAMETER_VALUE);
    }

    // ---------------------------------------------------------------- a table's columns

    @Test
    @DisplayName("searchRuns with metric keys: the same runs, order and page token, each with only those latest metrics")
    void searchRunsReadingChosenMetrics() {
        String exp = searchFixture();
        Page<Run> full = store.runs().searchRuns(List.of(exp), "metrics.auc > 0.75", ViewType.ACTIVE_ONLY, List.of("metrics.auc DESC"), 2, null);
        Page<Run> narrow = store.runs().searchRuns(List.of(exp), "metrics.auc > 0.75", ViewType.ACTIVE_ONLY, List.of("metrics.auc DESC"), 2, null,
                List.of("loss", "absent"));
        assertThat(runNames(narrow)).isEqualTo(runNames(full)).containsExactly("r5", "r4");
        assertThat(narrow.nextPageToken()).isEqualTo(full.nextPageToken()).isNotNull();
        for (int i = 0; i < 2; i++) {
            Run f = full.items().get(i);
            Run n = narrow.items().get(i);
            assertThat(n.info()).isEqualTo(f.info());
            assertThat(n.data().metrics()).extracting(Metric::key).containsExactly("loss");
            assertThat(n.data().metrics()).isEqualTo(f.data().metrics().stream().filter(m -> m.key().equals("loss")).toList());
            assertThat(n.data().params()).isEqualTo(f.data().params());
            assertThat(n.data().tags()).isEqualTo(f.data().tags());
        }
        Page<Run> next = store.runs().searchRuns(List.of(exp), "metrics.auc > 0.75", ViewType.ACTIVE_ONLY, List.of("metrics.auc DESC"), 2,
                narrow.nextPageToken(), List.of("auc", "loss"));
        assertThat(runNames(next)).containsExactly("r3", "r2");
        assertThat(next.items().get(0).data().metrics()).extracting(Metric::key).as("r3 logged no loss").containsExactly("auc");
        assertThat(next.items().get(1).data().metrics()).extracting(Metric::key).containsExactly("auc", "loss");
        Page<Run> none = store.runs().searchRuns(List.of(exp), null, ViewType.ACTIVE_ONLY, List.of(), 10, null, List.of());
        assertThat(runNames(none)).containsExactly("r5", "r4", "r3", "r2", "r1");
        assertThat(none.items()).allSatisfy(r -> {
            assertThat(r.data().metrics()).isEmpty();
            assertThat(r.data().params()).isNotEmpty();
        });
    }

    @Test
    @DisplayName("getRuns: the runs named in the order given, each with only the metric keys asked for; unknown ids left out")
    void getRunsInBatch() {
        String exp = experiment("batch");
        String a = run(exp, "a", 1L).info().runId();
        String b = run(exp, "b", 2L).info().runId();
        store.runs().logBatch(a, List.of(new Metric("auc", 0.5, 1, 0), new Metric("loss", 2, 1, 0)), List.of(new Param("depth", "3")),
                List.of(new Tag("team", "risk")));
        store.runs().logBatch(b, List.of(new Metric("auc", 0.6, 1, 0)), List.of(new Param("depth", "5")), List.of());
        String unknown = "0123456789abcdef0123456789abcdef";
        List<Run> runs = store.runs().getRuns(List.of(b, unknown, a, b), List.of("loss"));
        assertThat(runs).extracting(r -> r.info().runId()).containsExactly(b, a);
        assertThat(runs.get(0).data().metrics()).isEmpty();
        assertThat(runs.get(1).data().metrics()).containsExactly(new Metric("loss", 2, 1, 0));
        assertThat(runs.get(1).data().params()).containsExactly(new Param("depth", "3"));
        assertThat(runs.get(1).data().tags()).contains(new Tag("team", "risk"));
        assertThat(store.runs().getRuns(List.of(a), null)).containsExactly(store.runs().getRun(a));
        assertThat(store.runs().getRuns(List.of(a), List.of()).getFirst().data().metrics()).isEmpty();
        assertThat(store.runs().getRuns(List.of(), null)).isEmpty();
        assertThat(failure(() -> store.runs().getRuns(Collections.nCopies(RunStore.MAX_BATCH_RUNS + 1, a), null)).details())
                .containsEntry("field", "run_ids");
    }

    @Test
    @DisplayName("latestMetrics: a run's latest metrics a page at a time in key order, found ignoring case")
    void latestMetricsPages() {
        String id = run(experiment("latest-pages"), "r", 1L).info().runId();
        List<Metric> logged = new ArrayList<>();
        for (int i = 0; i < 25; i++) logged.add(new Metric(String.format("m%02d", 24 - i), i, 1, i));
        logged.add(new Metric("val_Loss", Double.NaN, 1, 0));
        store.runs().logBatch(id, logged, List.of(), List.of());
        List<Metric> paged = new ArrayList<>();
        String token = null;
        int pages = 0;
        do {
            Page<Metric> page = store.runs().latestMetrics(id, null, 10, token);
            assertThat(page.items().size()).isLessThanOrEqualTo(10);
            paged.addAll(page.items());
            token = page.nextPageToken();
            pages++;
        } while (token != null && pages < 10);
        assertThat(pages).isEqualTo(3);
        assertThat(paged).isEqualTo(store.runs().getRun(id).data().metrics());
        assertThat(paged).extracting(Metric::key).isSorted().hasSize(26);
        assertThat(store.runs().latestMetrics(id, " LOSS ", 10, null).items()).extracting(Metric::key).containsExactly("val_Loss");
        assertThat(store.runs().latestMetrics(id, "l_", 10, null).items()).as("_ is a character").extracting(Metric::key)
                .containsExactly("val_Loss");
        assertThat(store.runs().latestMetrics(id, "m0", 5, null).nextPageToken()).isNotNull();
        assertThat(failure(() -> store.runs().latestMetrics(id, null, 0, null)).code()).isEqualTo(ErrorCode.INVALID_PARAMETER_VALUE);
        assertThat(failure(() -> store.runs().latestMetrics(id, null, RunStore.MAX_LATEST_RESULTS + 1, null)).code())
                .isEqualTo(ErrorCode.INVALID_PARAMETER_VALUE);
        assertThat(failure(() -> store.runs().latestMetrics(id, null, 10, "garbage")).details()).containsEntry("field", "page_token");
        assertThat(failure(() -> store.runs().latestMetrics("0123456789abcdef0123456789abcdef", null, 10, null)).code())
                .isEqualTo(ErrorCode.RESOURCE_DOES_NOT_EXIST);
    }

    @Test
    @DisplayName("getMetricHistories: each run's history of one metric in history order, at most maxPerRun points each")
    void metricHistoriesInBatch() {
        String exp = experiment("histories");
        String a = run(exp, "a", 1L).info().runId();
        String b = run(exp, "b", 2L).info().runId();
        String c = run(exp, "c", 3L).info().runId();
        List<Metric> points = new ArrayList<>();
        for (int i = 0; i < 30; i++) points.add(new Metric("loss", i % 4 == 0 ? Double.NaN : 1.0 / (i + 1), 1_000 - i, 29 - i));
        store.runs().logBatch(a, points, List.of(), List.of());
        store.runs().logBatch(b, List.of(new Metric("loss", 0.5, 1, 0), new Metric("loss", 0.25, 1, 0), new Metric("acc", 1, 1, 0)),
                List.of(), List.of());
        store.runs().logBatch(c, List.of(new Metric("acc", 1, 1, 0)), List.of(), List.of());
        String unknown = "0123456789abcdef0123456789abcdef";
        Map<String, List<Metric>> all = store.runs().getMetricHistories(List.of(c, a, unknown, b), "loss", 100);
        assertThat(all.keySet()).containsExactly(c, a, b);
        assertThat(all.get(a)).isEqualTo(store.runs().getMetricHistory(a, "loss"));
        assertThat(all.get(b)).isEqualTo(store.runs().getMetricHistory(b, "loss"));
        assertThat(all.get(c)).isEmpty();
        Map<String, List<Metric>> first = store.runs().getMetricHistories(List.of(a, b), "loss", 7);
        assertThat(first.get(a)).isEqualTo(store.runs().getMetricHistory(a, "loss", 7, null).items());
        assertThat(first.get(b)).hasSize(2);
        assertThat(failure(() -> store.runs().getMetricHistories(List.of(a), "loss", 0)).code()).isEqualTo(ErrorCode.INVALID_PARAMETER_VALUE);
        assertThat(failure(() -> store.runs().getMetricHistories(Collections.nCopies(RunStore.MAX_BATCH_RUNS + 1, a), "loss", 10))
                .details()).containsEntry("field", "run_ids");
    }

    @Test
    @DisplayName("metricKeys: the runs' distinct metric keys in order, found ignoring case, at most the limit")
    void metricKeysOfRuns() {
        String exp = experiment("keys");
        String a = run(exp, "a", 1L).info().runId();
        String b = run(exp, "b", 2L).info().runId();
        store.runs().logBatch(a, List.of(new Metric("val_Loss", 1, 1, 0), new Metric("auc", 0.5, 1, 0), new Metric("layer_7", 1, 1, 0)),
                List.of(), List.of());
        store.runs().logBatch(b, List.of(new Metric("auc", 0.6, 1, 0), new Metric("train_loss", 2, 1, 0), new Metric("layer-7", 1, 1, 0),
                new Metric("zeta", 3, 1, 0)), List.of(), List.of());
        assertThat(store.runs().metricKeys(List.of(a, b), null, 100))
                .containsExactly("auc", "layer-7", "layer_7", "train_loss", "val_Loss", "zeta");
        assertThat(store.runs().metricKeys(List.of(b, a), "", 3)).containsExactly("auc", "layer-7", "layer_7");
        assertThat(store.runs().metricKeys(List.of(a, b), " LOSS ", 100)).containsExactly("train_loss", "val_Loss");
        assertThat(store.runs().metricKeys(List.of(a, b), "r_", 100)).as("_ is a character, not a wildcard").containsExactly("layer_7");
        assertThat(store.runs().metricKeys(List.of(a, b), "%", 100)).as("% is a character, not a wildcard").isEmpty();
        assertThat(store.runs().metricKeys(List.of(a, b), "nothing", 100)).isEmpty();
        assertThat(store.runs().metricKeys(List.of(a, "0123456789abcdef0123456789abcdef"), null, 100))
                .as("an unknown run adds nothing").containsExactly("auc", "layer_7", "val_Loss");
        assertThat(store.runs().metricKeys(List.of(), null, 100)).isEmpty();
        assertThat(failure(() -> store.runs().metricKeys(List.of(a), null, 0)).code()).isEqualTo(ErrorCode.INVALID_PARAMETER_VALUE);
        assertThat(failure(() -> store.runs().metricKeys(List.of(a), null, RunStore.MAX_KEYS + 1)).getMessage()).contains("limit");
        List<String> many = Collections.nCopies(RunStore.MAX_KEY_RUNS + 1, a);
        assertThat(failure(() -> store.runs().metricKeys(many, null, 10)).getMessage()).contains("run_ids");
    }
}
