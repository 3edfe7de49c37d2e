package dev.cairn.train;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.cairn.core.error.CairnException;
import dev.cairn.core.error.ErrorCode;
import dev.cairn.core.schema.Field;
import dev.cairn.core.schema.FieldType;
import dev.cairn.core.store.ArtifactRepository;
import dev.cairn.core.store.MetadataStore;
import dev.cairn.core.tracking.Run;
import dev.cairn.data.DataValidation;
import dev.cairn.data.schema.DataSpec;
import dev.cairn.data.schema.FieldSpec;
import dev.cairn.runtime.FieldError;
import dev.cairn.runtime.InvalidInputException;
import dev.cairn.runtime.Model;
import dev.cairn.runtime.Models;
import dev.cairn.runtime.Prediction;
import dev.cairn.runtime.pkg.InputPolicy;
import dev.cairn.train.data.Fingerprint;
import dev.cairn.train.data.Frame;
import dev.cairn.train.data.FrameReader;
import dev.cairn.train.reproduce.Difference;
import dev.cairn.train.reproduce.ReproductionReport;
import dev.cairn.train.tracking.Tracking;
import dev.cairn.train.tune.SearchSpace;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A reviewed data schema given to training becomes the packaged model's signature, and serving enforces it. */
class SchemaSignatureTest {
    static final Path SCHEMA = Path.of("../examples/credit-risk/schema.yaml").toAbsolutePath().normalize();

    @TempDir
    Path dir;
    MetadataStore store;
    Tracking tracking;

    @BeforeEach
    void open() {
        store = TestStores.open(dir);
        tracking = TestStores.tracking(store);
    }

    @AfterEach
    void close() {
        store.close();
    }

    private static TrainSpec credit(Path schema) {
        return TrainSpec.of(TestStores.CREDIT, "class").withDrop(List.of("customer_id"))
                .withParam("num_boost_round", 10).withSchema(schema);
    }

    @Test
    @DisplayName("the packaged signature takes the reviewed schema's ranges, nullability and domains, and records the schema")
    void signatureFollowsTheSchema() throws IOException {
        TrainResult result = Training.train(credit(SCHEMA), tracking);
        Run run = store.runs().getRun(result.runId());
        assertThat(TestStores.params(run)).containsEntry("schema", SCHEMA.toString())
                .containsEntry("schema.sha256", Fingerprint.sha256(SCHEMA));
        DataSpec reviewed = new DataValidation().readSpec(SCHEMA);

        try (Model model = Models.load(download(result.runId()))) {
            List<Field> inputs = model.signature().inputs();
            assertThat(inputs).extracting(Field::name).doesNotContain("class", "customer_id").contains("age", "purpose");
            assertThat(inputs).allSatisfy(f -> assertThat(f.nullable()).as(f.name()).isFalse());
            Field age = inputs.stream().filter(f -> f.name().equals("age")).findFirst().orElseThrow();
            assertThat(age.min()).isEqualTo(reviewed.field("age").orElseThrow().min()).isEqualTo(18.0);
            assertThat(age.max()).isEqualTo(reviewed.field("age").orElseThrow().max()).isEqualTo(100.0);
            assertThat(age.type()).isEqualTo(FieldType.INTEGER);
            Field purpose = inputs.stream().filter(f -> f.name().equals("purpose")).findFirst().orElseThrow();
            assertThat(purpose.domain()).isEqualTo(reviewed.field("purpose").orElseThrow().domain());
            assertThat(model.manifest().provenance().schemaVersion()).contains("credit-g").contains(Fingerprint.sha256(SCHEMA));
            assertThat(model.manifest().provenance().parameters()).containsEntry("schema.sha256", Fingerprint.sha256(SCHEMA));

            Map<String, Object> good = firstRow();
            assertThat(model.predict(good).probability("good")).isBetween(0.0, 1.0);

            Map<String, Object> bad = new LinkedHashMap<>(good);
            bad.put("age", -3);
            bad.remove("purpose");
            bad.put("duration", "six");
            assertThatThrownBy(() -> model.predict(bad)).isInstanceOfSatisfying(InvalidInputException.class, e -> {
                assertThat(e.fields()).containsExactlyInAnyOrder("age", "purpose", "duration");
                assertThat(e.getMessage()).contains("age").contains("purpose").contains("duration").contains("18");
            });
        }
    }

    @Test
    @DisplayName("without a schema the signature is inferred from the training rows: required fields, domains, observed ranges (warned)")
    void withoutSchemaTheSignatureIsInferredFromTheTrainingRows() throws IOException {
        TrainResult result = Training.train(credit(null), tracking);
        assertThat(TestStores.params(store.runs().getRun(result.runId()))).doesNotContainKeys("schema", "schema.sha256");
        try (Model model = Models.load(download(result.runId()))) {
            // credit-g has no missing value: every input is required, as TFDV would infer it.
            assertThat(model.signature().inputs()).allSatisfy(f -> assertThat(f.nullable()).isFalse());
            Field age = model.signature().input("age").orElseThrow();
            // the observed range of the training split (credit-g's ages run from 19 to 75)
            assertThat(age.min()).isBetween(19.0, 25.0);
            assertThat(age.max()).isBetween(65.0, 75.0);
            assertThat(model.signature().input("purpose").orElseThrow().domain()).contains("radio/tv", "education");
            assertThat(model.signature().policy())
                    .isEqualTo(new InputPolicy(InputPolicy.UnseenCategory.REFUSE, InputPolicy.OutOfRange.WARN));

            // An age outside the observed range is scored, with a warning naming it.
            Map<String, Object> old = new LinkedHashMap<>(firstRow());
            old.put("age", 80);
            Prediction p = model.predict(old);
            assertThat(p.probability("good")).isBetween(0.0, 1.0);
            assertThat(p.warnings()).singleElement().satisfies(w -> assertThat(w.field()).isEqualTo("age"));

            // A category training never saw, a missing field and a row with no known field are refused.
            Map<String, Object> unseen = new LinkedHashMap<>(firstRow());
            unseen.put("purpose", "spaceship");
            unseen.remove("job");
            assertThatThrownBy(() -> model.predict(unseen)).isInstanceOfSatisfying(InvalidInputException.class,
                    e -> assertThat(e.fields()).containsExactlyInAnyOrder("purpose", "job"));
            assertThatThrownBy(() -> model.predict(Map.of("Age", "40-49"))).isInstanceOfSatisfying(InvalidInputException.class,
                    e -> assertThat(e.fields()).containsExactly(FieldError.ROW));
        }
    }

    @Test
    @DisplayName("a schema without a field for a feature column fails the run naming the column")
    void unknownColumnFailsTheRun() {
        Path schema = edited(spec -> new DataSpec(spec.version(), spec.dataset(), spec.environments(),
                spec.fields().stream().filter(f -> !f.name().equals("job")).toList(), spec.checks()));
        assertFailed(credit(schema), "'schema'", "job");
    }

    @Test
    @DisplayName("a schema type that contradicts the data fails the run naming the column")
    void contradictingTypeFailsTheRun() {
        Path schema = edited(spec -> new DataSpec(spec.version(), spec.dataset(), spec.environments(),
                spec.fields().stream().map(f -> f.name().equals("duration")
                        ? new FieldSpec(f.name(), FieldType.STRING, f.nullable(), null, null, null, f.description(), f.environments())
                        : f).toList(), spec.checks()));
        assertFailed(credit(schema), "duration", "STRING", "whole numbers");
    }

    @Test
    @DisplayName("a tuning with a contradicting schema fails before any trial, naming the column")
    void tuningChecksTheSchemaFirst() throws IOException {
        Path schema = edited(spec -> new DataSpec(spec.version(), spec.dataset(), spec.environments(),
                spec.fields().stream().map(f -> f.name().equals("purpose")
                        ? new FieldSpec(f.name(), FieldType.DOUBLE, f.nullable(), null, null, null, f.description(), f.environments())
                        : f).toList(), spec.checks()));
        TuneSpec spec = TuneSpec.of(TestStores.CREDIT, "class", SearchSpace.read(TestStores.SPACE))
                .withDrop(List.of("customer_id")).withExperiment("failures").withSchema(schema);
        assertThatThrownBy(() -> Training.tune(spec, tracking, null))
                .isInstanceOfSatisfying(CairnException.class, e -> assertThat(e.getMessage()).contains("purpose", "text"));
        assertThat(TestStores.nothingRecorded(store, "failures")).as("refused before the parent run").isTrue();
    }

    @Test
    @DisplayName("reproducing a run re-applies its schema: identical when unchanged, a named difference and a failed reproduction when it changed")
    void reproductionReappliesTheSchema() throws IOException {
        Path schema = dir.resolve("schema.yaml");
        Files.copy(SCHEMA, schema);
        TrainResult trained = Training.train(credit(schema), tracking);
        ReproductionReport same = Training.reproduce(trained.runId(), tracking);
        assertThat(same.identical()).as(same.summary()).isTrue();
        assertThat(same.differences()).isEmpty();

        String before = Fingerprint.sha256(schema);
        Files.writeString(schema, Files.readString(schema).replace("max: 100", "max: 99"));
        ReproductionReport changed = Training.reproduce(trained.runId(), tracking);
        assertThat(changed.differences()).contains(new Difference("schema", schema.toAbsolutePath().normalize().toString(),
                "sha256 " + before, "sha256 " + Fingerprint.sha256(schema)));
        assertThat(changed.differences()).extracting(Difference::kind).contains("signature");
        // The model file is the same, but the schema (an input) and the package's signature are not: not a reproduction.
        assertThat(changed.modelIdentical()).isTrue();
        assertThat(changed.identical()).isFalse();
    }

    @Test
    @DisplayName("a tuned model follows the schema too, and its parent run reproduces byte-identically (as the quickstart's)")
    void tunedModelFollowsTheSchemaAndReproduces() throws IOException {
        TuneSpec spec = TuneSpec.of(TestStores.CREDIT, "class", SearchSpace.parse("""
                algorithm: xgboost
                strategy: grid
                folds: 2
                parallelism: 2
                fixed: {num_boost_round: 10}
                params:
                  max_depth: [2, 3]
                """, "test")).withDrop(List.of("customer_id")).withTask("binary", "good").withSchema(SCHEMA);
        TuneResult tuned = Training.tune(spec, tracking, null);
        assertThat(TestStores.params(store.runs().getRun(tuned.parentRunId()))).containsEntry("schema.sha256", Fingerprint.sha256(SCHEMA));
        try (Model model = Models.load(download(tuned.parentRunId()))) {
            assertThat(model.signature().inputs()).allSatisfy(f -> assertThat(f.nullable()).isFalse());
        }
        ReproductionReport report = Training.reproduce(tuned.parentRunId(), tracking);
        assertThat(report.identical()).as(report.summary()).isTrue();
        assertThat(report.differences()).isEmpty();
    }

    private static Map<String, Object> firstRow() {
        Frame features = FrameReader.read(TestStores.CREDIT).drop(List.of("class", "customer_id"));
        return features.row(0);
    }

    private Path edited(UnaryOperator<DataSpec> edit) {
        DataValidation data = new DataValidation();
        Path out = dir.resolve("edited-schema.yaml");
        data.writeSpec(edit.apply(data.readSpec(SCHEMA)), out);
        return out;
    }

    private void assertFailed(TrainSpec spec, String... messageParts) {
        assertThatThrownBy(() -> Training.train(spec.withExperiment("failures"), tracking))
                .isInstanceOfSatisfying(CairnException.class, e -> {
                    assertThat(e.code()).isEqualTo(ErrorCode.INVALID_PARAMETER_VALUE);
                    assertThat(e.getMessage()).contains(messageParts);
                });
        assertThat(TestStores.nothingRecorded(store, "failures")).as("refused before the run").isTrue();
    }


    private Path download(String runId) throws IOException {
        ArtifactRepository artifacts = store.runArtifacts(store.runs().getRun(runId).info());
        Path target = dir.resolve("download-" + runId);
        Files.createDirectories(target);
        for (var info : artifacts.list("model")) {
            try (InputStream in = artifacts.open(info.path())) {
                Files.copy(in, target.resolve(Path.of(info.path()).getFileName().toString()));
            }
        }
        return target;
    }
}
