package dev.cairn.cli.model;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.cairn.cli.CliRunner;
import dev.cairn.core.registry.ModelVersion;
import dev.cairn.core.store.MetadataStore;
import dev.cairn.core.store.Stores;
import dev.cairn.core.tracking.RunStatus;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A model trained elsewhere, as ONNX, becomes a registered version that predicts and validates like a native one. */
class ImportOnnxTest {

    /** sigmoid(features · [0.5, -1.25, 2.0] + 0.1), built by cairn-runtime's make_models.py and committed there. */
    static final Path LOGISTIC = Path.of(System.getProperty("user.dir")).getParent()
            .resolve("cairn-runtime/src/test/resources/onnx/logistic.onnx");

    @TempDir Path dir;
    String store;
    String artifacts;

    @BeforeEach
    void paths() {
        store = "sqlite:" + dir.resolve("cairn.db");
        artifacts = dir.resolve("artifacts").toUri().toString();
    }

    private CliRunner.Result cairn(String... args) {
        return CliRunner.runOn(store, artifacts, args);
    }

    @Test
    void anOnnxFileWithAGivenSignatureIsRegisteredFromAnImportRunAndPredicts() throws Exception {
        Path signature = dir.resolve("signature.yaml");
        Files.writeString(signature, """
                inputs:
                  - {name: income, type: DOUBLE, nullable: false}
                  - {name: debt, type: DOUBLE, nullable: false}
                  - {name: years, type: DOUBLE, nullable: false, min: 0, max: 60}
                output: {kind: regression, name: score}
                """);
        var imported = cairn("models", "import-onnx", "--file", LOGISTIC.toString(), "--name", "onnx-risk",
                "--signature", signature.toString(), "--alias", "champion");
        assertThat(imported.exitCode()).as(imported.err()).isZero();

        try (MetadataStore s = Stores.openMetadata(store, artifacts)) {
            ModelVersion version = s.registry().getModelVersionByAlias("onnx-risk", "champion");
            assertThat(version.source()).isEqualTo("runs:/" + version.runId() + "/model");
            var run = s.runs().getRun(version.runId());
            assertThat(run.info().status()).isEqualTo(RunStatus.FINISHED);
            assertThat(run.data().params()).anySatisfy(p -> assertThat(p.key()).isEqualTo("onnx.sha256"));
        }

        Path rows = dir.resolve("rows.json");
        Files.writeString(rows, "[{\"income\": 1.0, \"debt\": 2.0, \"years\": 3.0}]");
        var predicted = cairn("models", "predict", "--model", "models:/onnx-risk@champion", "--input", rows.toString(), "--json");
        assertThat(predicted.exitCode()).as(predicted.err()).isZero();
        JsonNode json = new ObjectMapper().readTree(predicted.out());
        double expected = 1 / (1 + Math.exp(-(0.5 * 1 - 1.25 * 2 + 2.0 * 3 + 0.1)));
        assertThat(json.findValue("value").asDouble()).isCloseTo(expected, org.assertj.core.data.Offset.offset(1e-6));

        Files.writeString(rows, "[{\"income\": 1.0, \"debt\": 2.0, \"years\": 99.0}]");
        var outOfRange = cairn("models", "predict", "--model", "models:/onnx-risk@champion", "--input", rows.toString());
        assertThat(outOfRange.exitCode()).isEqualTo(2);
        assertThat(outOfRange.err()).contains("years");
    }

    @Test
    void withoutASignatureItIsInferredFromTheGraph() {
        var imported = cairn("models", "import-onnx", "--file", LOGISTIC.toString(), "--name", "onnx-inferred");
        assertThat(imported.exitCode()).as(imported.err()).isZero();
        assertThat(imported.out()).contains("version 1").contains("3 inputs");
    }

    @Test
    void aSignatureThatIsNotOneIsRefusedWithExitCodeTwoAndNothingRegistered() throws Exception {
        Path signature = dir.resolve("bad.yaml");
        Files.writeString(signature, "inputs: []\n");
        var refused = cairn("models", "import-onnx", "--file", LOGISTIC.toString(), "--name", "onnx-bad", "--signature", signature.toString());
        assertThat(refused.exitCode()).isEqualTo(2);
        assertThat(refused.err()).startsWith("cairn: ").contains("signature");
        try (MetadataStore s = Stores.openMetadata(store, artifacts)) {
            assertThat(s.registry().searchRegisteredModels(null, java.util.List.of(), 10, null).items()).isEmpty();
        }
    }
}
