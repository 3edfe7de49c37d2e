package dev.cairn.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.cairn.core.error.CairnException;
import dev.cairn.data.api.DataRequests;
import dev.cairn.data.check.ValidationResult;
import dev.cairn.data.drift.DriftResult;
import dev.cairn.data.profile.DatasetProfile;
import dev.cairn.data.profile.ProfileJson;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DataRequestsTest {
    @TempDir
    Path dir;

    private static JsonNode json(String text) throws Exception {
        return DataJson.MAPPER.readTree(text);
    }

    @Test
    void profilesValidatesAndComparesFromJsonBodiesAndStoresResultsInTheNamedRun() throws Exception {
        Path csv = TestFiles.write(dir, "d.csv", "a,b\n1,x\n2,y\n3,\n");
        DataValidationTest.RecordingRun run = new DataValidationTest.RecordingRun();
        DataRequests requests = new DataRequests(id -> {
            if (!id.equals("r1")) throw CairnException.notFound("run", id);
            return run;
        });
        String source = "{\"path\": \"" + csv + "\"}";
        DatasetProfile profile = requests.profile(json("{\"source\": " + source + ", \"run_id\": \"r1\", \"name\": \"train\"}"));
        assertThat(profile.rowCount()).isEqualTo(3);
        assertThat(run.artifacts).containsKey("data/train/profile.json");

        @SuppressWarnings("unchecked")
        Map<String, Object> inferred = requests.inferSchema(json("{\"source\": " + source + "}"));
        assertThat((String) inferred.get("yaml")).contains("name: b");

        ValidationResult v = requests.validate(json("{\"source\": " + source + ", \"spec_yaml\": \"checks:\\n  - check: not_null\\n    column: b\\n\"}"));
        assertThat(v.success()).isFalse();
        assertThat(v.failures().getFirst().samples().getFirst()).containsEntry(dev.cairn.data.check.Validator.LINE, 4L);

        DriftResult d = requests.drift(json("{\"reference\": {\"profile\": " + ProfileJson.write(profile) + "}, \"current\": " + source
                + ", \"tests\": {\"a\": \"psi\"}}"));
        assertThat(d.features()).anySatisfy(f -> assertThat(f.test()).isEqualTo("psi"));

        assertThatThrownBy(() -> requests.profile(json("{\"source\": " + source + ", \"run_id\": \"nope\"}")))
                .isInstanceOf(CairnException.class).hasMessageContaining("'nope'");
        assertThatThrownBy(() -> requests.profile(json("{}"))).hasMessageContaining("'source'");
        assertThatThrownBy(() -> requests.validate(json("{\"source\": " + source + "}"))).hasMessageContaining("spec_yaml");
    }
}
