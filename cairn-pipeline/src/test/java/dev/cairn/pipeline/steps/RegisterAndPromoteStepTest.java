package dev.cairn.pipeline.steps;

import static dev.cairn.core.pipeline.LineageEdge.Direction.INPUT;
import static dev.cairn.core.pipeline.LineageEdge.Direction.OUTPUT;
import static dev.cairn.pipeline.steps.StepFixture.assertDeclaredOutputs;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.cairn.core.error.CairnException;
import dev.cairn.core.error.ErrorCode;
import dev.cairn.core.registry.AuditAction;
import dev.cairn.core.registry.AuditEvent;
import dev.cairn.core.registry.ModelVersion;
import dev.cairn.core.tracking.Tag;
import dev.cairn.pipeline.engine.StepResult;
import dev.cairn.pipeline.spec.StepType;
import dev.cairn.pipeline.steps.StepFixture.Attempt;
import dev.cairn.pipeline.steps.StepFixture.Edge;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RegisterAndPromoteStepTest {
    @TempDir
    static Path dir;

    private static StepFixture fixture;
    private static String snapshot;
    private static String candidate;
    private static String baseline;

    @BeforeAll
    static void open() throws Exception {
        fixture = new StepFixture(dir);
        // 400 customers: a model worth evaluating, scored in a moment.
        snapshot = (String) new ReadStep().run(fixture.attempt(StepType.READ, "read",
                Map.of("source", fixture.creditSample("credit-400.csv", 400).toString())).context()).outputs().get("table");
        candidate = train("xgboost", Map.of("num_boost_round", 10, "max_depth", 3));
        baseline = train("baseline", Map.of());
    }

    private static String train(String algorithm, Map<String, Object> params) throws Exception {
        return (String) new TrainStep().run(fixture.attempt(StepType.TRAIN, "train", Map.of("data", snapshot, "label", "class",
                "drop", List.of("customer_id"), "algorithm", algorithm, "params", params)).context()).outputs().get("model");
    }

    @AfterAll
    static void close() {
        fixture.close();
    }

    @Test
    void aModelIsRegisteredWithItsTagsAndAliasAsTheTrackingUser() throws Exception {
        Map<String, Object> with = Map.of("model", candidate, "name", "credit-risk", "alias", "challenger",
                "description", "retrained by run-0001", "tags", Map.of("team", "risk"));
        Attempt a = fixture.attempt(StepType.REGISTER, "register", with);
        StepResult result = new RegisterStep().run(a.context());

        assertDeclaredOutputs(StepType.REGISTER, result);
        assertThat(result.outputs()).containsEntry("version", 1L).containsEntry("uri", "models:/credit-risk/1");
        ModelVersion v = fixture.tracking.registry().getModelVersion("credit-risk", 1);
        assertThat(v.source()).isEqualTo(candidate);
        assertThat(v.runId()).isEqualTo(candidate.substring("runs:/".length(), candidate.length() - "/model".length()));
        assertThat(v.description()).isEqualTo("retrained by run-0001");
        assertThat(v.userId()).isEqualTo(StepFixture.USER);
        assertThat(v.aliases()).containsExactly("challenger");
        assertThat(v.tags()).contains(new Tag("team", "risk"), new Tag("cairn.source", "pipeline"),
                new Tag(StepRuns.TAG_PIPELINE_RUN, StepFixture.RUN_ID), new Tag(StepRuns.TAG_STEP, "register"));
        assertThat(audit("credit-risk", AuditAction.ALIAS_SET)).singleElement().satisfies(e -> {
            assertThat(e.actor()).isEqualTo(StepFixture.USER);
            assertThat(e.comment()).contains("pipeline nightly run run-0001 step register");
        });
        assertThat(a.sink().edges()).containsExactly(new Edge(INPUT, "model", candidate, null),
                new Edge(OUTPUT, "model_version", "models:/credit-risk/1", null));

        // A retried attempt of the same step in the same run finds the version instead of registering another.
        StepResult retried = new RegisterStep().run(fixture.attempt(StepType.REGISTER, "register", with, 2, () -> false).context());
        assertThat(retried.outputs()).containsEntry("version", 1L);
        assertThat(fixture.tracking.registry().searchModelVersions("name = 'credit-risk'", List.of(), 10, null).items()).hasSize(1);

        // So does a later run handed the same model (its training was cached): the model is that version.
        StepResult rerun = new RegisterStep().run(fixture.attempt(StepType.REGISTER, "register-again", with).context());
        assertThat(rerun.outputs()).containsEntry("version", 1L);
        assertThat(fixture.tracking.registry().searchModelVersions("name = 'credit-risk'", List.of(), 10, null).items()).hasSize(1);
    }

    @Test
    void registerErrorsNameTheField() throws Exception {
        assertThatThrownBy(() -> new RegisterStep().run(fixture.attempt(StepType.REGISTER, "register",
                Map.of("model", candidate, "name", "credit-risk-x", "alias", "1st")).context()))
                .isInstanceOf(CairnException.class).hasMessageContaining("steps.register.with.alias");
        assertThatThrownBy(() -> new RegisterStep().run(fixture.attempt(StepType.REGISTER, "register",
                Map.of("model", "runs:/0123456789abcdef0123456789abcdef/model", "name", "credit-risk-x")).context()))
                .isInstanceOf(CairnException.class).hasMessageContaining("steps.register.with.model");
        Files.createDirectories(fixture.workspaceDir.resolve("not-a-package"));
        assertThatThrownBy(() -> new RegisterStep().run(fixture.attempt(StepType.REGISTER, "register",
                Map.of("model", "not-a-package", "name", "credit-risk-x")).context()))
                .isInstanceOf(CairnException.class).hasMessageContaining("steps.register.with.model");
        // Nothing was registered by the refused steps.
        assertThatThrownBy(() -> fixture.tracking.registry().getRegisteredModel("credit-risk-x"))
                .isInstanceOfSatisfying(CairnException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.RESOURCE_DOES_NOT_EXIST));
    }

    @Test
    void aVersionNoEvaluationJudgedIsPromotedWithTheReasonAsTheAuditComment() throws Exception {
        register(baseline, "plain");
        register(candidate, "plain");
        Attempt first = fixture.attempt(StepType.PROMOTE, "promote",
                Map.of("model", "models:/plain/1", "alias", "champion", "reason", "first release"));
        StepResult result = new PromoteStep().run(first.context());

        assertDeclaredOutputs(StepType.PROMOTE, result);
        assertThat(result.outputs()).containsEntry("version", 1L).containsEntry("previous", "");
        assertThat(first.sink().edges()).containsExactly(new Edge(INPUT, "model_version", "models:/plain/1", null),
                new Edge(OUTPUT, "model_version", "models:/plain@champion", null));

        StepResult second = new PromoteStep().run(fixture.attempt(StepType.PROMOTE, "promote",
                Map.of("model", "models:/plain/2", "alias", "champion")).context());
        assertThat(second.outputs()).containsEntry("version", 2L).containsEntry("previous", "models:/plain/1");
        assertThat(audit("plain", AuditAction.ALIAS_SET)).extracting(AuditEvent::comment).containsExactlyInAnyOrder(
                "first release (pipeline nightly run run-0001 step promote)", "pipeline nightly run run-0001 step promote");
        assertThat(fixture.tracking.registry().getModelVersionByAlias("plain", "champion").version()).isEqualTo(2);
    }

    @Test
    void anUnblessedVersionIsPromotedOnlyWithAReasonAndAuditedAsForced() throws Exception {
        evaluate(candidate, "gated", List.of("roc_auc>=0.999"), false);
        register(candidate, "gated");

        Attempt refused = fixture.attempt(StepType.PROMOTE, "promote", Map.of("model", "models:/gated/1", "alias", "champion"));
        assertThatThrownBy(() -> new PromoteStep().run(refused.context()))
                .isInstanceOfSatisfying(CairnException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.INVALID_STATE))
                .hasMessageContaining("steps.promote.with.reason").hasMessageContaining("not blessed");
        assertThatThrownBy(() -> fixture.tracking.registry().getModelVersionByAlias("gated", "champion"))
                .isInstanceOf(CairnException.class);

        StepResult forced = new PromoteStep().run(fixture.attempt(StepType.PROMOTE, "promote",
                Map.of("model", "models:/gated/1", "alias", "champion", "reason", "no champion yet; ship the baseline at once")).context());
        assertThat(forced.outputs()).containsEntry("version", 1L).containsEntry("previous", "");
        assertThat(audit("gated", AuditAction.PROMOTION_FORCED)).singleElement().satisfies(e -> {
            assertThat(e.actor()).isEqualTo(StepFixture.USER);
            assertThat(e.comment()).contains("roc_auc").contains("no champion yet; ship the baseline at once")
                    .contains("pipeline nightly run run-0001 step promote");
        });
    }

    @Test
    void aBlessedVersionIsPromotedOnItsVerdict() throws Exception {
        String evaluation = evaluate(candidate, "blessed", List.of("roc_auc>=0.5"), true);
        register(candidate, "blessed");
        StepResult result = new PromoteStep().run(fixture.attempt(StepType.PROMOTE, "promote",
                Map.of("model", "models:/blessed/1", "alias", "champion", "reason", "blessed by the nightly evaluation")).context());

        assertThat(result.outputs()).containsEntry("version", 1L);
        assertThat(audit("blessed", AuditAction.ALIAS_SET)).singleElement()
                .satisfies(e -> assertThat(e.comment()).isEqualTo("blessed by evaluation run " + evaluation));
        assertThat(audit("blessed", AuditAction.PROMOTION_FORCED)).isEmpty();
    }

    @Test
    void promoteErrorsNameTheField() throws Exception {
        assertThatThrownBy(() -> new PromoteStep().run(fixture.attempt(StepType.PROMOTE, "promote",
                Map.of("model", candidate, "alias", "champion")).context()))
                .isInstanceOf(CairnException.class).hasMessageContaining("steps.promote.with.model");
        assertThatThrownBy(() -> new PromoteStep().run(fixture.attempt(StepType.PROMOTE, "promote",
                Map.of("model", "models:/nowhere/1", "alias", "champion")).context()))
                .isInstanceOfSatisfying(CairnException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.RESOURCE_DOES_NOT_EXIST))
                .hasMessageContaining("steps.promote.with.model");
        assertThatThrownBy(() -> new PromoteStep().run(fixture.attempt(StepType.PROMOTE, "promote",
                Map.of("model", "models:/nowhere/1", "alias", "@champion")).context()))
                .isInstanceOf(CairnException.class).hasMessageContaining("steps.promote.with.alias");
    }

    private static void register(String model, String name) throws Exception {
        new RegisterStep().run(fixture.attempt(StepType.REGISTER, "register-" + name, Map.of("model", model, "name", name)).context());
    }

    /** Evaluates {@code model} against {@code name}'s champion as a pipeline would, before registering it. */
    private static String evaluate(String model, String name, List<String> thresholds, boolean blessed) throws Exception {
        StepResult result = new EvaluateStep().run(fixture.attempt(StepType.EVALUATE, "evaluate-" + name, Map.of("model", model,
                "data", snapshot, "label", "class", "registered_model", name, "thresholds", thresholds)).context());
        assertThat(result.outputs()).containsEntry("blessed", blessed);
        return (String) result.outputs().get("run_id");
    }

    private static List<AuditEvent> audit(String model, AuditAction action) {
        return fixture.tracking.registry().listAuditEvents(model, 100, null).items().stream().filter(e -> e.action() == action).toList();
    }
}
