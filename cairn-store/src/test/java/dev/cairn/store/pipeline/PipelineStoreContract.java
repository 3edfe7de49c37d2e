package dev.cairn.store.pipeline;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.cairn.core.error.ErrorCode;
import dev.cairn.core.pipeline.LineageEdge;
import dev.cairn.core.pipeline.LineageEdge.Direction;
import dev.cairn.core.pipeline.PipelineDefinition;
import dev.cairn.core.pipeline.PipelineRun;
import dev.cairn.core.pipeline.PipelineRunState;
import dev.cairn.core.pipeline.RunLogLine;
import dev.cairn.core.pipeline.StepRun;
import dev.cairn.core.pipeline.StepState;
import dev.cairn.core.store.MetadataStore;
import dev.cairn.core.store.Stores;
import dev.cairn.core.tracking.Page;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * What the pipeline store must do, method by method, run against each database (SQLite, PostgreSQL) by a subclass
 * saying how to make a new store URI and reach its database.
 */
abstract class PipelineStoreContract extends PipelineContractSupport {

    // ---------------------------------------------------------------- definitions

    @Test
    @DisplayName("registering creates a pipeline; the same version again changes nothing; a new version keeps createdAt and paused")
    void putPipelineVersions() throws InterruptedException {
        PipelineDefinition first = register("nightly", 1);
        assertThat(first.name()).isEqualTo("nightly");
        assertThat(first.sha256()).isEqualTo(sha(spec("nightly", 1)));
        assertThat(first.specText()).isEqualTo(spec("nightly", 1));
        assertThat(first.source()).isEqualTo("pipelines/nightly.yaml");
        assertThat(first.paused()).isFalse();
        assertThat(first.updatedBy()).isEqualTo("alice");
        assertThat(first.createdAt()).isEqualTo(first.updatedAt());

        Thread.sleep(5); // so that a change of updatedAt would show
        String same = spec("nightly", 1);
        PipelineDefinition again = pipelines().putPipeline("nightly", same, sha(same), "elsewhere.yaml", "bob");
        assertThat(again).isEqualTo(first);

        pipelines().setPaused("nightly", true, "carol");
        String v2 = spec("nightly", 2);
        PipelineDefinition second = pipelines().putPipeline("nightly", v2, sha(v2), "api", "bob");
        assertThat(second.sha256()).isEqualTo(sha(v2));
        assertThat(second.specText()).isEqualTo(v2);
        assertThat(second.source()).isEqualTo("api");
        assertThat(second.updatedBy()).isEqualTo("bob");
        assertThat(second.createdAt()).isEqualTo(first.createdAt());
        assertThat(second.updatedAt()).isAfter(first.updatedAt());
        assertThat(second.paused()).as("a new version keeps the pipeline paused").isTrue();

        assertThat(pipelines().getPipeline("nightly")).contains(second);
        assertThat(pipelines().specText("nightly", sha(spec("nightly", 1)))).contains(spec("nightly", 1));
        assertThat(pipelines().specText("nightly", sha(v2))).contains(v2);
        assertThat(pipelines().specText("nightly", sha("never registered"))).isEmpty();
        assertThat(pipelines().specText("other", sha(v2))).isEmpty();
    }

    @Test
    @DisplayName("registration refuses blank names, a hash that is not the text's, and missing text")
    void putPipelineValidation() {
        String text = spec("p", 1);
        assertCode(() -> pipelines().putPipeline(" ", text, sha(text), null, "alice"), ErrorCode.INVALID_PARAMETER_VALUE);
        assertCode(() -> pipelines().putPipeline(null, text, sha(text), null, "alice"), ErrorCode.INVALID_PARAMETER_VALUE);
        assertCode(() -> pipelines().putPipeline("x".repeat(257), text, sha(text), null, "alice"), ErrorCode.INVALID_PARAMETER_VALUE);
        assertCode(() -> pipelines().putPipeline("p", text, sha("other text"), null, "alice"), ErrorCode.INVALID_PARAMETER_VALUE);
        assertCode(() -> pipelines().putPipeline("p", text, "not-a-hash", null, "alice"), ErrorCode.INVALID_PARAMETER_VALUE);
        assertCode(() -> pipelines().putPipeline("p", null, sha(text), null, "alice"), ErrorCode.INVALID_PARAMETER_VALUE);
        assertThat(failure(() -> pipelines().putPipeline("p", text, sha("other text"), null, "alice")).details())
                .containsEntry("field", "sha256");
        assertThat(pipelines().listPipelines()).isEmpty();
    }

    @Test
    @DisplayName("pipelines are listed by name and read back; an unknown one is empty")
    void listAndGet() {
        register("zeta", 1);
        register("alpha", 1);
        register("mid", 2);
        assertThat(pipelines().listPipelines()).extracting(PipelineDefinition::name).containsExactly("alpha", "mid", "zeta");
        assertThat(pipelines().listPipelines().get(1).specText()).isEqualTo(spec("mid", 2));
        assertThat(pipelines().getPipeline("unknown")).isEmpty();
    }

    @Test
    @DisplayName("pausing and resuming changes only the flag; an unknown pipeline does not exist")
    void pauseAndResume() {
        PipelineDefinition registered = register("nightly", 1);
        PipelineDefinition paused = pipelines().setPaused("nightly", true, "bob");
        assertThat(paused.paused()).isTrue();
        assertThat(paused.updatedAt()).isEqualTo(registered.updatedAt());
        assertThat(paused.updatedBy()).isEqualTo("alice");
        assertThat(pipelines().setPaused("nightly", true, "bob").paused()).isTrue();
        assertThat(pipelines().setPaused("nightly", false, "bob").paused()).isFalse();
        assertThat(pipelines().getPipeline("nightly").orElseThrow().paused()).isFalse();
        assertCode(() -> pipelines().setPaused("unknown", true, "bob"), ErrorCode.RESOURCE_DOES_NOT_EXIST);
    }

    @Test
    @DisplayName("deleting a pipeline removes it, its trigger state and unused versions; its runs and the versions they used stay")
    void deletePipeline() {
        register("nightly", 1);
        PipelineRun run = pipelines().createRun(queued("nightly", T0), null);
        String v2 = spec("nightly", 2);
        pipelines().putPipeline("nightly", v2, sha(v2), "api", "alice");
        assertThat(pipelines().compareAndSetTriggerState("nightly", "schedule:0", null, "slot-1", T0)).isTrue();

        pipelines().deletePipeline("nightly", "bob");

        assertThat(pipelines().getPipeline("nightly")).isEmpty();
        assertThat(pipelines().listPipelines()).isEmpty();
        assertThat(pipelines().getRun(run.runId()).pipeline()).isEqualTo("nightly");
        assertThat(pipelines().listRuns("nightly", Set.of(), 10, null).items()).extracting(PipelineRun::runId).containsExactly(run.runId());
        assertThat(pipelines().specText("nightly", run.specSha256())).as("the version a run used").contains(spec("nightly", 1));
        assertThat(pipelines().specText("nightly", sha(v2))).as("a version no run used").isEmpty();
        assertCode(() -> pipelines().triggerState("nightly", "schedule:0"), ErrorCode.RESOURCE_DOES_NOT_EXIST);
        assertCode(() -> pipelines().deletePipeline("nightly", "bob"), ErrorCode.RESOURCE_DOES_NOT_EXIST);

        // Registered again, it starts afresh: no trigger state, new createdAt.
        register("nightly", 3);
        assertThat(pipelines().triggerState("nightly", "schedule:0")).isEmpty();
        assertThat(pipelines().getPipeline("nightly").orElseThrow().sha256()).isEqualTo(sha(spec("nightly", 3)));
    }

    @Test
    @DisplayName("registrations, pauses, deletions and cancellations are written to the append-only pipeline_events table")
    void auditEvents() throws SQLException {
        register("nightly", 1);
        register("nightly", 1);
        register("nightly", 2);
        pipelines().setPaused("nightly", true, "bob");
        pipelines().setPaused("nightly", true, "bob");
        pipelines().setPaused("nightly", false, "carol");
        PipelineRun run = pipelines().createRun(queued("nightly", T0), null);
        pipelines().requestCancel(run.runId(), "dave", T0.plusSeconds(1));
        pipelines().deletePipeline("nightly", "erin");
        List<String> events = new ArrayList<>();
        try (Connection connection = rawConnection(storeUri); Statement statement = connection.createStatement();
             ResultSet rows = statement.executeQuery("SELECT actor, action, pipeline, run_id, from_value, to_value FROM pipeline_events ORDER BY id")) {
            while (rows.next()) {
                events.add(rows.getString(1) + " " + rows.getString(2) + " " + rows.getString(3) + " " + rows.getString(4)
                        + " " + rows.getString(5) + " " + rows.getString(6));
            }
            assertThatThrownBy(() -> statement.executeUpdate("DELETE FROM pipeline_events")).isInstanceOf(SQLException.class);
        }
        String v1 = sha(spec("nightly", 1));
        String v2 = sha(spec("nightly", 2));
        assertThat(events).containsExactly(
                "alice PIPELINE_REGISTERED nightly null null " + v1,
                "alice PIPELINE_REGISTERED nightly null " + v1 + " " + v2,
                "bob PIPELINE_PAUSED nightly null null null",
                "carol PIPELINE_RESUMED nightly null null null",
                "dave RUN_CANCEL_REQUESTED nightly " + run.runId() + " QUEUED CANCELLED",
                "erin PIPELINE_DELETED nightly null " + v2 + " null");
    }

    // ---------------------------------------------------------------- creating and reading runs

    @Test
    @DisplayName("a created run is QUEUED with a 32-hex id and reads back field for field, parameters in order")
    void createAndGetRun() {
        register("nightly", 1);
        Map<String, String> parameters = new LinkedHashMap<>();
        parameters.put("zeta", "1");
        parameters.put("alpha", "quote \" backslash \\ newline \n tab \t control \u0001 nul \0 unicode é ☃ 𝄞");
        parameters.put("empty", "");
        parameters.put("none", null);
        parameters.put("json-ish", "{\"a\": [1, 2]}");
        Instant logical = T0.minusSeconds(3600);
        PipelineRun given = new PipelineRun("ignored", "nightly", sha(spec("nightly", 1)), PipelineRunState.QUEUED, "schedule",
                "cron 0 2 * * *", parameters, logical, T0, T0, T0, "tracked", "someone", T0, true, "abc123", "scheduler", "msg");
        PipelineRun run = pipelines().createRun(given, null);

        assertThat(run.runId()).matches("[0-9a-f]{32}").isNotEqualTo("ignored");
        assertThat(run.pipeline()).isEqualTo("nightly");
        assertThat(run.specSha256()).isEqualTo(sha(spec("nightly", 1)));
        assertThat(run.state()).isEqualTo(PipelineRunState.QUEUED);
        assertThat(run.trigger()).isEqualTo("schedule");
        assertThat(run.cause()).isEqualTo("cron 0 2 * * *");
        assertThat(run.parameters()).containsExactlyEntriesOf(parameters);
        assertThat(new ArrayList<>(run.parameters().keySet())).containsExactly("zeta", "alpha", "empty", "none", "json-ish");
        assertThat(run.logicalTime()).isEqualTo(logical);
        assertThat(run.createdAt()).isEqualTo(T0);
        assertThat(run.codeVersion()).isEqualTo("abc123");
        assertThat(run.actor()).isEqualTo("scheduler");
        // What only later transitions set is not taken from the caller.
        assertThat(run.startedAt()).isNull();
        assertThat(run.endedAt()).isNull();
        assertThat(run.trackingRunId()).isNull();
        assertThat(run.owner()).isNull();
        assertThat(run.heartbeatAt()).isNull();
        assertThat(run.cancelRequested()).isFalse();
        assertThat(run.message()).isNull();
        assertThat(pipelines().getRun(run.runId())).isEqualTo(run);

        PipelineRun defaults = pipelines().createRun(PipelineRun.queued("nightly", sha(spec("nightly", 1)), "manual", null, null,
                null, T0, null, null), null);
        assertThat(defaults.logicalTime()).isEqualTo(T0);
        assertThat(defaults.parameters()).isEmpty();
        assertThat(defaults.runId()).isNotEqualTo(run.runId());
    }

    @Test
    @DisplayName("a run of an unregistered spec stores its text; a version neither registered nor given is refused")
    void createRunSpecVersions() {
        String adHoc = spec("adhoc", 7);
        PipelineRun run = pipelines().createRun(PipelineRun.queued("adhoc", sha(adHoc), "manual", null, Map.of(), null, T0, null, "alice"),
                adHoc);
        assertThat(pipelines().specText("adhoc", sha(adHoc))).contains(adHoc);
        assertThat(pipelines().getPipeline("adhoc")).as("running a file does not register it").isEmpty();
        assertThat(run.pipeline()).isEqualTo("adhoc");
        // The text is now known, so another run of the same version needs none.
        assertThat(pipelines().createRun(PipelineRun.queued("adhoc", sha(adHoc), "manual", null, Map.of(), null, T0, null, "alice"),
                null).specSha256()).isEqualTo(sha(adHoc));

        assertCode(() -> pipelines().createRun(queued("unknown", T0), null), ErrorCode.RESOURCE_DOES_NOT_EXIST);
        register("nightly", 1);
        String unregistered = spec("nightly", 9);
        PipelineRun ofUnregistered = PipelineRun.queued("nightly", sha(unregistered), "manual", null, Map.of(), null, T0, null, "alice");
        assertCode(() -> pipelines().createRun(ofUnregistered, null), ErrorCode.INVALID_PARAMETER_VALUE);
        assertCode(() -> pipelines().createRun(ofUnregistered, "some other text"), ErrorCode.INVALID_PARAMETER_VALUE);
        PipelineRun withText = pipelines().createRun(ofUnregistered, unregistered);
        assertThat(pipelines().specText("nightly", sha(unregistered))).contains(unregistered);
        assertThat(pipelines().getPipeline("nightly").orElseThrow().sha256()).as("the current version is unchanged")
                .isEqualTo(sha(spec("nightly", 1)));
        assertThat(withText.specSha256()).isEqualTo(sha(unregistered));
    }

    @Test
    @DisplayName("createRun refuses a missing run, blank pipeline or trigger, and a run that is not QUEUED")
    void createRunValidation() {
        register("nightly", 1);
        PipelineRun ok = queued("nightly", T0);
        assertCode(() -> pipelines().createRun(null, null), ErrorCode.INVALID_PARAMETER_VALUE);
        assertCode(() -> pipelines().createRun(new PipelineRun(null, " ", ok.specSha256(), PipelineRunState.QUEUED, "manual", null,
                null, T0, T0, null, null, null, null, null, false, null, null, null), null), ErrorCode.INVALID_PARAMETER_VALUE);
        assertCode(() -> pipelines().createRun(new PipelineRun(null, "nightly", ok.specSha256(), PipelineRunState.QUEUED, "", null,
                null, T0, T0, null, null, null, null, null, false, null, null, null), null), ErrorCode.INVALID_PARAMETER_VALUE);
        assertCode(() -> pipelines().createRun(new PipelineRun(null, "nightly", ok.specSha256(), PipelineRunState.RUNNING, "manual",
                null, null, T0, T0, null, null, null, null, null, false, null, null, null), null), ErrorCode.INVALID_PARAMETER_VALUE);
        Map<String, String> nullName = new LinkedHashMap<>();
        nullName.put(null, "x");
        assertCode(() -> pipelines().createRun(PipelineRun.queued("nightly", ok.specSha256(), "manual", null, nullName, null, T0, null,
                null), null), ErrorCode.INVALID_PARAMETER_VALUE);
        assertCode(() -> pipelines().createRunOnce(ok, null, " "), ErrorCode.INVALID_PARAMETER_VALUE);
        assertCode(() -> pipelines().createRunOnce(ok, null, null), ErrorCode.INVALID_PARAMETER_VALUE);
        assertThat(pipelines().listRuns(null, Set.of(), 10, null).items()).isEmpty();
    }

    @Test
    @DisplayName("createRunOnce creates one run per pipeline and fire key; the same key of another pipeline is another run")
    void createRunOnce() {
        register("nightly", 1);
        register("weekly", 1);
        String key = "schedule:0:2026-12-02T02:00:00Z";
        Optional<PipelineRun> first = pipelines().createRunOnce(queued("nightly", T0), null, key);
        assertThat(first).isPresent();
        assertThat(first.get().state()).isEqualTo(PipelineRunState.QUEUED);
        assertThat(pipelines().createRunOnce(queued("nightly", T0.plusSeconds(1)), null, key)).isEmpty();
        // Even once the first run ended: the key was used.
        pipelines().finishRun(first.get().runId(), PipelineRunState.SUCCEEDED, null, T0.plusSeconds(2));
        assertThat(pipelines().createRunOnce(queued("nightly", T0.plusSeconds(3)), null, key)).isEmpty();
        assertThat(pipelines().createRunOnce(queued("weekly", T0), null, key)).isPresent();
        assertThat(pipelines().createRunOnce(queued("nightly", T0), null, key + "x")).isPresent();
        // Runs without a key never collide.
        pipelines().createRun(queued("nightly", T0), null);
        pipelines().createRun(queued("nightly", T0), null);
        assertThat(pipelines().listRuns("nightly", Set.of(), 100, null).items()).hasSize(4);
        assertThat(pipelines().listRuns("weekly", Set.of(), 100, null).items()).hasSize(1);
    }

    @Test
    @DisplayName("an unknown run does not exist for every method that names one")
    void unknownRun() {
        String id = "0123456789abcdef0123456789abcdef";
        Instant now = T0;
        assertCode(() -> pipelines().getRun(id), ErrorCode.RESOURCE_DOES_NOT_EXIST);
        assertCode(() -> pipelines().claimRun(id, "server-1", 1, now), ErrorCode.RESOURCE_DOES_NOT_EXIST);
        assertCode(() -> pipelines().setTrackingRun(id, "t"), ErrorCode.RESOURCE_DOES_NOT_EXIST);
        assertCode(() -> pipelines().finishRun(id, PipelineRunState.FAILED, "x", now), ErrorCode.RESOURCE_DOES_NOT_EXIST);
        assertCode(() -> pipelines().requestCancel(id, "bob", now), ErrorCode.RESOURCE_DOES_NOT_EXIST);
        assertCode(() -> pipelines().adoptRun(id, "server-2", now, now), ErrorCode.RESOURCE_DOES_NOT_EXIST);
        assertCode(() -> pipelines().putStep(StepRun.pending(id, "train")), ErrorCode.RESOURCE_DOES_NOT_EXIST);
        assertCode(() -> pipelines().steps(id), ErrorCode.RESOURCE_DOES_NOT_EXIST);
        assertCode(() -> pipelines().appendLog(id, null, "INFO", List.of("x"), now), ErrorCode.RESOURCE_DOES_NOT_EXIST);
        assertCode(() -> pipelines().logs(id, 0, 10), ErrorCode.RESOURCE_DOES_NOT_EXIST);
        assertCode(() -> pipelines().addLineage(List.of(new LineageEdge(id, "s", Direction.INPUT, "file", "file:/x", null, now))),
                ErrorCode.RESOURCE_DOES_NOT_EXIST);
        assertCode(() -> pipelines().lineageOfRun(id), ErrorCode.RESOURCE_DOES_NOT_EXIST);
        assertCode(() -> pipelines().getRun(""), ErrorCode.INVALID_PARAMETER_VALUE);
    }

    @Test
    @DisplayName("runs list newest first, filtered by pipeline and states, in pages that neither repeat nor skip")
    void listRuns() {
        register("a", 1);
        register("b", 1);
        List<String> all = new ArrayList<>();
        for (int i = 0; i < 12; i++) {
            // Two runs per instant: order among equal times is the order of creation.
            PipelineRun run = pipelines().createRun(queued(i % 3 == 0 ? "b" : "a", T0.plusSeconds(i / 2)), null);
            all.add(0, run.runId());
        }
        List<String> ofA = new ArrayList<>();
        List<String> ofB = new ArrayList<>();
        for (String id : all) (pipelines().getRun(id).pipeline().equals("a") ? ofA : ofB).add(id);
        assertThat(ids(pipelines().listRuns(null, Set.of(), 100, null))).containsExactlyElementsOf(all);
        assertThat(ids(pipelines().listRuns(null, null, 100, null))).containsExactlyElementsOf(all);
        assertThat(ids(pipelines().listRuns("a", Set.of(), 100, null))).containsExactlyElementsOf(ofA);
        assertThat(ids(pipelines().listRuns("b", Set.of(), 100, null))).containsExactlyElementsOf(ofB);
        assertThat(ids(pipelines().listRuns("none", Set.of(), 100, null))).isEmpty();

        List<String> paged = new ArrayList<>();
        String token = null;
        int pages = 0;
        do {
            Page<PipelineRun> page = pipelines().listRuns(null, Set.of(), 5, token);
            paged.addAll(ids(page));
            token = page.nextPageToken();
            pages++;
        } while (token != null);
        assertThat(paged).containsExactlyElementsOf(all);
        assertThat(pages).isEqualTo(3);
        Page<PipelineRun> exact = pipelines().listRuns(null, Set.of(), 12, null);
        assertThat(exact.nextPageToken()).isNull();

        pipelines().claimRun(ofA.get(0), "server-1", 10, T0);
        pipelines().finishRun(ofA.get(1), PipelineRunState.FAILED, "boom", T0);
        pipelines().finishRun(ofB.get(0), PipelineRunState.SUCCEEDED, null, T0);
        assertThat(ids(pipelines().listRuns(null, Set.of(PipelineRunState.RUNNING), 100, null))).containsExactly(ofA.get(0));
        assertThat(ids(pipelines().listRuns(null, Set.of(PipelineRunState.FAILED, PipelineRunState.SUCCEEDED), 100, null)))
                .containsExactlyElementsOf(all.stream().filter(id -> id.equals(ofA.get(1)) || id.equals(ofB.get(0))).toList());
        assertThat(ids(pipelines().listRuns("a", Set.of(PipelineRunState.QUEUED), 100, null))).hasSize(ofA.size() - 2);

        assertCode(() -> pipelines().listRuns(null, Set.of(), 0, null), ErrorCode.INVALID_PARAMETER_VALUE);
        assertCode(() -> pipelines().listRuns(null, Set.of(), 10_001, null), ErrorCode.INVALID_PARAMETER_VALUE);
        assertCode(() -> pipelines().listRuns(null, Set.of(), 10, "not-a-token"), ErrorCode.INVALID_PARAMETER_VALUE);
    }

    private static List<String> ids(Page<PipelineRun> page) {
        return page.items().stream().map(PipelineRun::runId).toList();
    }

    // ---------------------------------------------------------------- run life

    @Test
    @DisplayName("claiming moves a queued run to RUNNING for its owner, within the pipeline's limit")
    void claimRun() {
        PipelineRun first = newRun("nightly", T0);
        PipelineRun second = newRun("nightly", T0);
        PipelineRun third = newRun("nightly", T0);
        PipelineRun other = newRun("other", T0);
        Instant now = T0.plusSeconds(10);

        assertThat(pipelines().claimRun(first.runId(), "server-1", 2, now)).isTrue();
        PipelineRun running = pipelines().getRun(first.runId());
        assertThat(running.state()).isEqualTo(PipelineRunState.RUNNING);
        assertThat(running.owner()).isEqualTo("server-1");
        assertThat(running.startedAt()).isEqualTo(now);
        assertThat(running.heartbeatAt()).isEqualTo(now);
        assertThat(pipelines().claimRun(first.runId(), "server-2", 2, now)).as("no longer queued").isFalse();
        assertThat(pipelines().getRun(first.runId()).owner()).isEqualTo("server-1");

        assertThat(pipelines().claimRun(second.runId(), "server-2", 2, now)).isTrue();
        assertThat(pipelines().claimRun(third.runId(), "server-1", 2, now)).as("two of two running").isFalse();
        assertThat(pipelines().getRun(third.runId()).state()).isEqualTo(PipelineRunState.QUEUED);
        assertThat(pipelines().claimRun(other.runId(), "server-1", 1, now)).as("the limit is per pipeline").isTrue();

        pipelines().finishRun(first.runId(), PipelineRunState.SUCCEEDED, null, now);
        assertThat(pipelines().claimRun(third.runId(), "server-1", 2, now)).isTrue();

        PipelineRun cancelled = newRun("nightly", T0);
        pipelines().requestCancel(cancelled.runId(), "bob", now);
        assertThat(pipelines().claimRun(cancelled.runId(), "server-1", 10, now)).isFalse();

        assertCode(() -> pipelines().claimRun(third.runId(), "server-1", 0, now), ErrorCode.INVALID_PARAMETER_VALUE);
        assertCode(() -> pipelines().claimRun(third.runId(), " ", 1, now), ErrorCode.INVALID_PARAMETER_VALUE);
        assertCode(() -> pipelines().claimRun(third.runId(), "server-1", 1, null), ErrorCode.INVALID_PARAMETER_VALUE);
    }

    @Test
    @DisplayName("the tracked run of a claimed run is recorded")
    void setTrackingRun() {
        PipelineRun run = runningRun("nightly", "server-1", T0);
        pipelines().setTrackingRun(run.runId(), "fedcba9876543210fedcba9876543210");
        assertThat(pipelines().getRun(run.runId()).trackingRunId()).isEqualTo("fedcba9876543210fedcba9876543210");
        assertCode(() -> pipelines().setTrackingRun(run.runId(), ""), ErrorCode.INVALID_PARAMETER_VALUE);
    }

    @Test
    @DisplayName("finishing ends a queued or running run once, with a final state and its message")
    void finishRun() {
        PipelineRun run = runningRun("nightly", "server-1", T0);
        Instant end = T0.plusSeconds(60);
        assertCode(() -> pipelines().finishRun(run.runId(), PipelineRunState.RUNNING, null, end), ErrorCode.INVALID_PARAMETER_VALUE);
        assertCode(() -> pipelines().finishRun(run.runId(), PipelineRunState.QUEUED, null, end), ErrorCode.INVALID_PARAMETER_VALUE);
        assertCode(() -> pipelines().finishRun(run.runId(), null, null, end), ErrorCode.INVALID_PARAMETER_VALUE);
        assertCode(() -> pipelines().finishRun(run.runId(), PipelineRunState.FAILED, null, null), ErrorCode.INVALID_PARAMETER_VALUE);

        PipelineRun failed = pipelines().finishRun(run.runId(), PipelineRunState.FAILED, "step train failed: exit 1", end);
        assertThat(failed.state()).isEqualTo(PipelineRunState.FAILED);
        assertThat(failed.endedAt()).isEqualTo(end);
        assertThat(failed.message()).isEqualTo("step train failed: exit 1");
        assertThat(failed.owner()).as("no runner holds an ended run").isNull();
        assertThat(failed.startedAt()).isEqualTo(T0);
        assertThat(pipelines().getRun(run.runId())).isEqualTo(failed);

        for (PipelineRunState state : List.of(PipelineRunState.SUCCEEDED, PipelineRunState.FAILED, PipelineRunState.CANCELLED)) {
            assertCode(() -> pipelines().finishRun(run.runId(), state, null, end), ErrorCode.INVALID_STATE);
        }
        assertThat(pipelines().getRun(run.runId())).isEqualTo(failed);

        PipelineRun queued = newRun("nightly", T0);
        PipelineRun failedEarly = pipelines().finishRun(queued.runId(), PipelineRunState.FAILED, "bad spec", end);
        assertThat(failedEarly.state()).isEqualTo(PipelineRunState.FAILED);
        assertThat(failedEarly.startedAt()).isNull();

        PipelineRun succeeded = pipelines().finishRun(runningRun("nightly", "s", T0).runId(), PipelineRunState.SUCCEEDED, null, end);
        assertThat(succeeded.message()).isNull();
        assertThat(succeeded.state()).isEqualTo(PipelineRunState.SUCCEEDED);
    }

    @Test
    @DisplayName("a cancel request cancels a queued run at once, flags a running one, and is refused for an ended one")
    void requestCancel() {
        Instant now = T0.plusSeconds(5);
        PipelineRun queued = newRun("nightly", T0);
        PipelineRun cancelled = pipelines().requestCancel(queued.runId(), "bob", now);
        assertThat(cancelled.state()).isEqualTo(PipelineRunState.CANCELLED);
        assertThat(cancelled.endedAt()).isEqualTo(now);
        assertThat(cancelled.cancelRequested()).isTrue();
        assertThat(cancelled.message()).contains("bob");
        assertCode(() -> pipelines().requestCancel(queued.runId(), "bob", now), ErrorCode.INVALID_STATE);

        PipelineRun running = runningRun("nightly", "server-1", T0);
        PipelineRun flagged = pipelines().requestCancel(running.runId(), "bob", now);
        assertThat(flagged.state()).isEqualTo(PipelineRunState.RUNNING);
        assertThat(flagged.cancelRequested()).isTrue();
        assertThat(flagged.endedAt()).isNull();
        assertThat(pipelines().requestCancel(running.runId(), "carol", now).cancelRequested()).as("asking twice is fine").isTrue();
        PipelineRun stopped = pipelines().finishRun(running.runId(), PipelineRunState.CANCELLED, "cancelled by bob", now.plusSeconds(1));
        assertThat(stopped.cancelRequested()).isTrue();
        assertCode(() -> pipelines().requestCancel(running.runId(), "bob", now), ErrorCode.INVALID_STATE);
    }

    @Test
    @DisplayName("heartbeats keep an owner's runs alive; runs whose owner went quiet are orphans that one adopter takes")
    void heartbeatOrphansAdoption() {
        PipelineRun alive = runningRun("nightly", "server-1", T0);
        PipelineRun quiet = runningRun("nightly", "server-2", T0);
        PipelineRun queued = newRun("nightly", T0);
        PipelineRun ended = runningRun("nightly", "server-2", T0);
        pipelines().finishRun(ended.runId(), PipelineRunState.SUCCEEDED, null, T0.plusSeconds(1));

        Instant later = T0.plusSeconds(120);
        pipelines().heartbeat("server-1", later);
        assertThat(pipelines().getRun(alive.runId()).heartbeatAt()).isEqualTo(later);
        assertThat(pipelines().getRun(quiet.runId()).heartbeatAt()).isEqualTo(T0);
        assertThat(pipelines().getRun(ended.runId()).heartbeatAt()).as("ended runs are not touched").isEqualTo(T0);
        pipelines().heartbeat("nobody", later);

        Instant deadline = later.minusSeconds(60);
        assertThat(pipelines().orphanedRuns(deadline)).extracting(PipelineRun::runId).containsExactly(quiet.runId());
        assertThat(pipelines().orphanedRuns(T0)).as("the deadline is exclusive").isEmpty();
        assertThat(pipelines().orphanedRuns(later.plusSeconds(1))).extracting(PipelineRun::runId)
                .containsExactlyInAnyOrder(quiet.runId(), alive.runId());

        Instant now = later.plusSeconds(1);
        assertThat(pipelines().adoptRun(alive.runId(), "server-3", deadline, now)).as("its owner is alive").isFalse();
        assertThat(pipelines().adoptRun(queued.runId(), "server-3", deadline, now)).as("not running").isFalse();
        assertThat(pipelines().adoptRun(ended.runId(), "server-3", deadline, now)).as("ended").isFalse();
        assertThat(pipelines().adoptRun(quiet.runId(), "server-3", deadline, now)).isTrue();
        assertThat(pipelines().adoptRun(quiet.runId(), "server-4", deadline, now)).as("already adopted").isFalse();
        PipelineRun adopted = pipelines().getRun(quiet.runId());
        assertThat(adopted.owner()).isEqualTo("server-3");
        assertThat(adopted.heartbeatAt()).isEqualTo(now);
        assertThat(adopted.state()).isEqualTo(PipelineRunState.RUNNING);
        assertThat(pipelines().orphanedRuns(deadline)).isEmpty();

        pipelines().heartbeat("server-3", now.plusSeconds(30));
        assertThat(pipelines().getRun(quiet.runId()).heartbeatAt()).isEqualTo(now.plusSeconds(30));
    }

    // ---------------------------------------------------------------- steps

    @Test
    @DisplayName("steps are stored and replaced by id, and listed in the order they were first stored")
    void steps() {
        PipelineRun run = runningRun("nightly", "server-1", T0);
        for (String id : List.of("load", "split", "train", "evaluate")) pipelines().putStep(StepRun.pending(run.runId(), id));
        StepRun train = new StepRun(run.runId(), "train", StepState.SUCCEEDED, 2, "child-run", sha("key"), null,
                "{\"rows\": 1000}", T0.plusSeconds(1), T0.plusSeconds(9), "second attempt");
        pipelines().putStep(train);
        pipelines().putStep(new StepRun(run.runId(), "load", StepState.RUNNING, 1, null, null, null, null, T0, null, null));
        pipelines().putStep(StepRun.pending(run.runId(), "alpha-added-last"));

        List<StepRun> steps = pipelines().steps(run.runId());
        assertThat(steps).extracting(StepRun::stepId).containsExactly("load", "split", "train", "evaluate", "alpha-added-last");
        assertThat(steps.get(2)).isEqualTo(train);
        assertThat(steps.get(0).state()).isEqualTo(StepState.RUNNING);
        assertThat(steps.get(0).attempt()).isEqualTo(1);
        assertThat(steps.get(1)).isEqualTo(StepRun.pending(run.runId(), "split"));

        PipelineRun other = runningRun("nightly", "server-1", T0);
        assertThat(pipelines().steps(other.runId())).isEmpty();
        pipelines().putStep(StepRun.pending(other.runId(), "train"));
        assertThat(pipelines().steps(other.runId())).containsExactly(StepRun.pending(other.runId(), "train"));
        assertThat(pipelines().steps(run.runId())).hasSize(5);

        assertCode(() -> pipelines().putStep(null), ErrorCode.INVALID_PARAMETER_VALUE);
        assertCode(() -> pipelines().putStep(StepRun.pending(run.runId(), " ")), ErrorCode.INVALID_PARAMETER_VALUE);
    }

    @Test
    @DisplayName("the cache finds the newest SUCCEEDED or CACHED step of the pipeline with the step id and key, by end time")
    void findCached() {
        String key = sha("inputs");
        PipelineRun oldRun = runningRun("nightly", "s", T0);
        PipelineRun newRun = runningRun("nightly", "s", T0);
        PipelineRun newest = runningRun("nightly", "s", T0);
        PipelineRun otherPipeline = runningRun("other", "s", T0);
        pipelines().putStep(step(oldRun, "train", StepState.SUCCEEDED, key, T0.plusSeconds(10), "{\"v\": 1}"));
        // Stored after, but ended before: the end time decides.
        pipelines().putStep(step(newRun, "train", StepState.SUCCEEDED, key, T0.plusSeconds(5), "{\"v\": 2}"));
        assertThat(pipelines().findCached("nightly", "train", key)).map(StepRun::outputsJson).contains("{\"v\": 1}");

        pipelines().putStep(step(newest, "train", StepState.FAILED, key, T0.plusSeconds(50), null));
        pipelines().putStep(step(newest, "evaluate", StepState.SUCCEEDED, key, T0.plusSeconds(50), "{\"v\": \"evaluate\"}"));
        pipelines().putStep(step(otherPipeline, "train", StepState.SUCCEEDED, key, T0.plusSeconds(50), "{\"v\": \"other\"}"));
        pipelines().putStep(step(newest, "split", StepState.SUCCEEDED, sha("other inputs"), T0.plusSeconds(50), null));
        assertThat(pipelines().findCached("nightly", "train", key)).map(StepRun::outputsJson).contains("{\"v\": 1}");

        PipelineRun cachedRun = runningRun("nightly", "s", T0);
        StepRun cached = new StepRun(cachedRun.runId(), "train", StepState.CACHED, 0, null, key, oldRun.runId(), "{\"v\": 1}",
                T0.plusSeconds(60), T0.plusSeconds(60), "reused " + oldRun.runId());
        pipelines().putStep(cached);
        assertThat(pipelines().findCached("nightly", "train", key)).contains(cached);
        pipelines().putStep(step(runningRun("nightly", "s", T0), "train", StepState.SKIPPED, key, T0.plusSeconds(70), null));
        pipelines().putStep(step(runningRun("nightly", "s", T0), "train", StepState.RUNNING, key, null, null));
        assertThat(pipelines().findCached("nightly", "train", key)).contains(cached);

        assertThat(pipelines().findCached("nightly", "train", sha("never"))).isEmpty();
        assertThat(pipelines().findCached("unknown", "train", key)).isEmpty();
        assertCode(() -> pipelines().findCached("nightly", "train", null), ErrorCode.INVALID_PARAMETER_VALUE);
    }

    private static StepRun step(PipelineRun run, String stepId, StepState state, String key, Instant end, String outputs) {
        return new StepRun(run.runId(), stepId, state, 1, null, key, null, outputs, T0, end, null);
    }

    // ---------------------------------------------------------------- logs

    @Test
    @DisplayName("log lines are numbered per run, returned after a seq in order and in pages, of the run's steps or the run")
    void logs() {
        PipelineRun run = runningRun("nightly", "server-1", T0);
        PipelineRun other = runningRun("nightly", "server-1", T0);
        assertThat(pipelines().appendLog(run.runId(), null, "INFO", List.of("starting"), T0)).isEqualTo(1);
        assertThat(pipelines().appendLog(run.runId(), "train", "INFO", List.of("epoch 1", "epoch 2", "epoch 3"), T0.plusSeconds(1)))
                .isEqualTo(4);
        assertThat(pipelines().appendLog(other.runId(), "train", "INFO", List.of("elsewhere"), T0)).isEqualTo(1);
        assertThat(pipelines().appendLog(run.runId(), "train", "WARN", List.of("slow\twith tab", ""), T0.plusSeconds(2))).isEqualTo(6);
        assertThat(pipelines().appendLog(run.runId(), "train", "INFO", List.of(), T0)).as("nothing appended").isEqualTo(6);

        List<RunLogLine> all = pipelines().logs(run.runId(), 0, 100);
        assertThat(all).extracting(RunLogLine::seq).containsExactly(1L, 2L, 3L, 4L, 5L, 6L);
        assertThat(all).extracting(RunLogLine::message).containsExactly("starting", "epoch 1", "epoch 2", "epoch 3", "slow\twith tab", "");
        assertThat(all.get(0)).isEqualTo(new RunLogLine(run.runId(), 1, null, T0, "INFO", "starting"));
        assertThat(all.get(4)).isEqualTo(new RunLogLine(run.runId(), 5, "train", T0.plusSeconds(2), "WARN", "slow\twith tab"));

        assertThat(pipelines().logs(run.runId(), 2, 2)).extracting(RunLogLine::seq).containsExactly(3L, 4L);
        assertThat(pipelines().logs(run.runId(), 6, 10)).isEmpty();
        assertThat(pipelines().logs(other.runId(), 0, 10)).extracting(RunLogLine::message).containsExactly("elsewhere");

        assertCode(() -> pipelines().logs(run.runId(), 0, 0), ErrorCode.INVALID_PARAMETER_VALUE);
        assertCode(() -> pipelines().appendLog(run.runId(), null, "INFO", null, T0), ErrorCode.INVALID_PARAMETER_VALUE);
        assertCode(() -> pipelines().appendLog(run.runId(), null, "INFO", Arrays.asList("a", null), T0),
                ErrorCode.INVALID_PARAMETER_VALUE);
        assertCode(() -> pipelines().appendLog(run.runId(), null, " ", List.of("a"), T0), ErrorCode.INVALID_PARAMETER_VALUE);
        assertCode(() -> pipelines().appendLog(run.runId(), null, "INFO", List.of("a"), null), ErrorCode.INVALID_PARAMETER_VALUE);
        assertThat(pipelines().logs(run.runId(), 0, 100)).as("a refused batch appends nothing").hasSize(6);
    }

    @Test
    @DisplayName("a runaway log line is cut to 8192 characters with a marker saying how long it was; NUL is replaced")
    void longLogLines() {
        PipelineRun run = runningRun("nightly", "server-1", T0);
        String exact = "x".repeat(RunLogs.MAX_LINE_LENGTH);
        String huge = "y".repeat(1_000_000);
        String surrogates = "𝄞".repeat(10_000); // 20,000 chars of surrogate pairs
        pipelines().appendLog(run.runId(), "step", "INFO", List.of(exact, huge, surrogates, "nul\0byte"), T0);
        List<RunLogLine> lines = pipelines().logs(run.runId(), 0, 10);
        assertThat(lines.get(0).message()).isEqualTo(exact);
        assertThat(lines.get(1).message()).hasSizeLessThanOrEqualTo(RunLogs.MAX_LINE_LENGTH).startsWith("yyyy")
                .endsWith("[truncated: 1000000 characters]");
        String cut = lines.get(2).message();
        assertThat(cut).hasSizeLessThanOrEqualTo(RunLogs.MAX_LINE_LENGTH).endsWith("[truncated: 20000 characters]");
        String kept = cut.substring(0, cut.indexOf(" …[truncated"));
        assertThat(kept.length() % 2).as("no half surrogate pair").isZero();
        assertThat(kept).isEqualTo("𝄞".repeat(kept.length() / 2));
        assertThat(lines.get(3).message()).isEqualTo("nul\uFFFDbyte");
    }

    // ---------------------------------------------------------------- lineage

    @Test
    @DisplayName("lineage is listed per run in the order recorded, and per artifact newest first, limited")
    void lineage() {
        PipelineRun first = runningRun("nightly", "server-1", T0);
        PipelineRun second = runningRun("nightly", "server-1", T0);
        String snapshot = "snapshot:" + sha("data");
        LineageEdge read1 = new LineageEdge(first.runId(), "load", Direction.INPUT, "table", "jdbc:postgresql://db/x#t", null,
                T0.plusSeconds(1));
        LineageEdge wrote1 = new LineageEdge(first.runId(), "load", Direction.OUTPUT, "snapshot", snapshot, sha("data"), T0.plusSeconds(2));
        LineageEdge model1 = new LineageEdge(first.runId(), "train", Direction.OUTPUT, "model_version", "models:/credit/3", null,
                T0.plusSeconds(3));
        pipelines().addLineage(List.of(read1, wrote1));
        pipelines().addLineage(List.of(model1));
        LineageEdge read2 = new LineageEdge(second.runId(), "train", Direction.INPUT, "snapshot", snapshot, sha("data"), T0.plusSeconds(5));
        LineageEdge noTime = new LineageEdge(second.runId(), "report", Direction.OUTPUT, "report", "file:/r.html", null, null);
        pipelines().addLineage(List.of(read2, noTime));
        pipelines().addLineage(List.of());

        assertThat(pipelines().lineageOfRun(first.runId())).containsExactly(read1, wrote1, model1);
        List<LineageEdge> ofSecond = pipelines().lineageOfRun(second.runId());
        assertThat(ofSecond.get(0)).isEqualTo(read2);
        assertThat(ofSecond.get(1).time()).as("recorded now when not given").isNotNull();
        assertThat(pipelines().lineageOfArtifact(snapshot, 10)).containsExactly(read2, wrote1);
        assertThat(pipelines().lineageOfArtifact(snapshot, 1)).containsExactly(read2);
        assertThat(pipelines().lineageOfArtifact("models:/none/1", 10)).isEmpty();

        assertCode(() -> pipelines().lineageOfArtifact(snapshot, 0), ErrorCode.INVALID_PARAMETER_VALUE);
        assertCode(() -> pipelines().lineageOfArtifact(" ", 10), ErrorCode.INVALID_PARAMETER_VALUE);
        assertCode(() -> pipelines().addLineage(null), ErrorCode.INVALID_PARAMETER_VALUE);
        String unknown = "0123456789abcdef0123456789abcdef";
        // A batch naming an unknown run is refused whole.
        assertCode(() -> pipelines().addLineage(List.of(model1,
                new LineageEdge(unknown, "s", Direction.INPUT, "file", "file:/x", null, T0))), ErrorCode.RESOURCE_DOES_NOT_EXIST);
        assertThat(pipelines().lineageOfRun(first.runId())).hasSize(3);
    }

    // ---------------------------------------------------------------- trigger state

    @Test
    @DisplayName("trigger state moves by compare-and-set: absent is null, a stale expected value changes nothing")
    void triggerState() {
        register("nightly", 1);
        assertThat(pipelines().triggerState("nightly", "data:0")).isEmpty();
        assertThat(pipelines().compareAndSetTriggerState("nightly", "data:0", "something", "fp-1", T0)).as("absent is not 'something'")
                .isFalse();
        assertThat(pipelines().compareAndSetTriggerState("nightly", "data:0", null, "fp-1", T0)).isTrue();
        assertThat(pipelines().triggerState("nightly", "data:0")).contains("fp-1");
        assertThat(pipelines().compareAndSetTriggerState("nightly", "data:0", null, "fp-x", T0)).as("no longer absent").isFalse();
        assertThat(pipelines().compareAndSetTriggerState("nightly", "data:0", "fp-0", "fp-x", T0)).as("stale").isFalse();
        assertThat(pipelines().compareAndSetTriggerState("nightly", "data:0", "fp-1", "fp-2", T0)).isTrue();
        assertThat(pipelines().compareAndSetTriggerState("nightly", "data:0", "fp-2", "fp-2", T0)).as("same value again").isTrue();
        assertThat(pipelines().triggerState("nightly", "data:0")).contains("fp-2");
        assertThat(pipelines().triggerState("nightly", "schedule:0")).isEmpty();

        register("weekly", 1);
        assertThat(pipelines().compareAndSetTriggerState("weekly", "data:0", null, "w", T0)).as("keys are per pipeline").isTrue();
        assertThat(pipelines().triggerState("nightly", "data:0")).contains("fp-2");

        assertCode(() -> pipelines().triggerState("unknown", "k"), ErrorCode.RESOURCE_DOES_NOT_EXIST);
        assertCode(() -> pipelines().compareAndSetTriggerState("unknown", "k", null, "v", T0), ErrorCode.RESOURCE_DOES_NOT_EXIST);
        assertCode(() -> pipelines().compareAndSetTriggerState("nightly", "k", null, null, T0), ErrorCode.INVALID_PARAMETER_VALUE);
        assertCode(() -> pipelines().compareAndSetTriggerState("nightly", "", null, "v", T0), ErrorCode.INVALID_PARAMETER_VALUE);
    }

    // ---------------------------------------------------------------- leases

    @Test
    @DisplayName("a lease is taken when free or expired, renewed by its owner, refused to others until it expires, and released")
    void leases() {
        Duration ttl = Duration.ofSeconds(30);
        assertThat(pipelines().acquireLease("scheduler", "server-1", ttl, T0)).isTrue();
        assertThat(pipelines().acquireLease("scheduler", "server-2", ttl, T0.plusSeconds(10))).isFalse();
        assertThat(pipelines().acquireLease("scheduler", "server-1", ttl, T0.plusSeconds(20))).as("renewed until T0+50s").isTrue();
        assertThat(pipelines().acquireLease("scheduler", "server-2", ttl, T0.plusSeconds(40))).isFalse();
        assertThat(pipelines().acquireLease("scheduler", "server-2", ttl, T0.plusSeconds(50))).as("expired").isTrue();
        assertThat(pipelines().acquireLease("scheduler", "server-1", ttl, T0.plusSeconds(51))).isFalse();
        assertThat(pipelines().acquireLease("other", "server-1", ttl, T0.plusSeconds(51))).as("leases are by name").isTrue();

        pipelines().releaseLease("scheduler", "server-1");
        assertThat(pipelines().acquireLease("scheduler", "server-1", ttl, T0.plusSeconds(52))).as("not released by a non-owner")
                .isFalse();
        pipelines().releaseLease("scheduler", "server-2");
        assertThat(pipelines().acquireLease("scheduler", "server-1", ttl, T0.plusSeconds(53))).isTrue();
        pipelines().releaseLease("never-taken", "server-1");

        assertCode(() -> pipelines().acquireLease("scheduler", "server-1", Duration.ZERO, T0), ErrorCode.INVALID_PARAMETER_VALUE);
        assertCode(() -> pipelines().acquireLease("scheduler", "server-1", null, T0), ErrorCode.INVALID_PARAMETER_VALUE);
        assertCode(() -> pipelines().acquireLease("", "server-1", ttl, T0), ErrorCode.INVALID_PARAMETER_VALUE);
        assertCode(() -> pipelines().acquireLease("scheduler", null, ttl, T0), ErrorCode.INVALID_PARAMETER_VALUE);
    }

    // ---------------------------------------------------------------- durability

    @Test
    @DisplayName("a store opened again on the same database sees everything")
    void reopened() {
        PipelineRun run = runningRun("nightly", "server-1", T0);
        pipelines().putStep(StepRun.pending(run.runId(), "train"));
        pipelines().appendLog(run.runId(), "train", "INFO", List.of("hello"), T0);
        pipelines().addLineage(List.of(new LineageEdge(run.runId(), "train", Direction.OUTPUT, "model", "runs:/x/model", null, T0)));
        pipelines().compareAndSetTriggerState("nightly", "k", null, "v", T0);
        store.close();
        try (MetadataStore reopened = Stores.openMetadata(storeUri, ARTIFACT_ROOT)) {
            assertThat(reopened.pipelines().getPipeline("nightly")).isPresent();
            assertThat(reopened.pipelines().getRun(run.runId())).isEqualTo(run);
            assertThat(reopened.pipelines().steps(run.runId())).hasSize(1);
            assertThat(reopened.pipelines().logs(run.runId(), 0, 10)).hasSize(1);
            assertThat(reopened.pipelines().lineageOfRun(run.runId())).hasSize(1);
            assertThat(reopened.pipelines().triggerState("nightly", "k")).contains("v");
        }
    }
}
