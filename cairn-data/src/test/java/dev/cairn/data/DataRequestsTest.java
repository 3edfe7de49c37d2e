package dev.cairn.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.cairn.core.access.DataAccess;
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
        }, DataAccess.roots(dir));
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
        // Named by its path relative to the data root, the profile does not show the server's absolute path.
        assertThat(requests.profile(json("{\"source\": {\"path\": \"d.csv\"}}")).source()).isEqualTo("d.csv");
        assertThatThrownBy(() -> requests.profile(json("{}"))).hasMessageContaining("'source'");
        assertThatThrownBy(() -> requests.validate(json("{\"source\": " + source + "}"))).hasMessageContaining("spec_yaml");
    }

    @Test
    void refusesFilesOutsideTheDataRootsRawJdbcUrlsAndUnknownConnections() throws Exception {
        Path root = java.nio.file.Files.createDirectories(dir.resolve("root"));
        TestFiles.write(dir, "outside.csv", "a\n1\n");
        TestFiles.write(root, "in.csv", "a\n1\n");
        java.nio.file.Files.createSymbolicLink(root.resolve("link.csv"), dir.resolve("outside.csv"));
        DataRequests requests = new DataRequests(null, new DataAccess(java.util.List.of(root),
                Map.of("master", "jdbc:sqlite:" + dir.resolve("master.db")), java.util.List.of()));
        for (String path : new String[] {"/etc/passwd", "../outside.csv", "link.csv", "file://" + dir.resolve("outside.csv"),
                "file:///etc/passwd", "in.csv/../../outside.csv", "*.csv", "s3://bucket/x.csv"}) {
            assertThatThrownBy(() -> requests.profile(json("{\"source\": {\"path\": \"" + path + "\"}}")))
                    .as(path).isInstanceOf(CairnException.class)
                    .satisfies(e -> assertThat(((CairnException) e).details()).containsEntry("field", "source.path")
                            .doesNotContainValue(root.toString()));
        }
        assertThat(requests.profile(json("{\"source\": {\"path\": \"in.csv\"}}")).rowCount()).isEqualTo(1);
        assertThatThrownBy(() -> requests.profile(json("{\"source\": {\"jdbc_url\": \"jdbc:sqlite:x.db?password=hunter2\", \"table\": \"t\"}}")))
                .isInstanceOf(CairnException.class).hasMessageContaining("source.jdbc_url").hasMessageNotContaining("hunter2");
        assertThatThrownBy(() -> requests.profile(json("{\"source\": {\"connection\": \"other\", \"table\": \"t\"}}")))
                .isInstanceOf(CairnException.class).hasMessageContaining("source.connection").hasMessageContaining("master");
        assertThatThrownBy(() -> requests.profile(json("{\"source\": {\"connection\": \"master\", \"query\": \"ATTACH DATABASE 'x.db' AS x\"}}")))
                .isInstanceOf(CairnException.class).hasMessageContaining("source.query");
    }
}
