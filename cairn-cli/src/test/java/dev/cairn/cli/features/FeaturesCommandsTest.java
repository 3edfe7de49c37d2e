package dev.cairn.cli.features;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.cairn.cli.CliRunner;
import dev.cairn.core.hash.Sha256;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code cairn features ...} against a SQLite store in a temporary directory: apply, list, show, training-set, materialize. */
class FeaturesCommandsTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String DEFINITIONS = """
            entities:
              - name: customer
                join_keys: [customer_id]
            sources:
              - name: orders
                path: orders.csv
                event_timestamp: ordered_at
            feature_views:
              - name: customer_orders
                entities: [customer]
                source: orders
                ttl: 90d
                features:
                  - {name: last_amount, column: amount}
                  - {name: spend_30d, aggregation: sum, column: amount, window: 30d}
            feature_services:
              - name: churn
                features: [customer_orders]
            """;

    @TempDir Path dir;
    String store;
    String artifacts;
    Path defs;

    @BeforeEach
    void files() throws Exception {
        store = "sqlite:" + dir.resolve("cairn.db");
        artifacts = dir.resolve("artifacts").toUri().toString();
        defs = Files.createDirectories(dir.resolve("defs"));
        Files.writeString(defs.resolve("features.yaml"), DEFINITIONS);
        Files.writeString(defs.resolve("orders.csv"), "customer_id,ordered_at,amount\n1,2024-01-10,10\n1,2024-02-20,20\n2,2024-02-25,5\n");
        Files.writeString(dir.resolve("labels.csv"), "customer_id,event_timestamp,label\n1,2024-03-01,1\n2,2024-02-24,0\n");
    }

    private CliRunner.Result cairn(String... args) {
        return CliRunner.runOn(store, artifacts, args);
    }

    @Test
    void applyListShowAndApplyAgainWithoutNewVersions() throws Exception {
        CliRunner.Result apply = cairn("features", "apply", defs.toString());
        assertThat(apply.exitCode()).as(apply.err()).isZero();
        assertThat(apply.out()).contains("feature view     customer_orders  v1       created  ").contains("4 new versions, 0 unchanged");

        CliRunner.Result again = cairn("features", "apply", "--json", defs.toString());
        assertThat(again.exitCode()).isZero();
        JsonNode body = JSON.readTree(again.out());
        assertThat(body.get("definitions")).hasSize(4).allSatisfy(d -> assertThat(d.get("created").asBoolean()).isFalse());

        Files.writeString(defs.resolve("features.yaml"), DEFINITIONS.replace("ttl: 90d", "ttl: 60d"));
        assertThat(cairn("features", "apply", defs.toString()).out()).contains("customer_orders  v2       changed  ");

        CliRunner.Result list = cairn("features", "list");
        assertThat(list.exitCode()).isZero();
        assertThat(list.out().lines().skip(1).map(l -> l.split("\\s{2,}")[1] + " " + l.split("\\s{2,}")[2]).toList())
                .containsExactly("customer v1", "orders v1", "customer_orders v2", "churn v1");

        CliRunner.Result show = cairn("features", "show", "customer_orders", "--version", "1");
        assertThat(show.exitCode()).as(show.err()).isZero();
        assertThat(show.out()).contains("feature view customer_orders v1 (latest: v2)").contains("ttl: 90d").contains("window: 30d");
        JsonNode shown = JSON.readTree(cairn("features", "show", "--json", "customer_orders").out());
        assertThat(shown.get("version").asLong()).isEqualTo(2);
        assertThat(shown.get("definition").get("ttl").asText()).isEqualTo("60d");
    }

    @Test
    void aTrainingSetIsWrittenWithItsSha256AndMaterializationIsIncremental() throws Exception {
        assertThat(cairn("features", "apply", defs.toString()).exitCode()).isZero();
        Path out = dir.resolve("sets/churn.parquet");
        CliRunner.Result set = cairn("features", "training-set", "--service", "churn", "--entities", dir.resolve("labels.csv").toString(),
                "--output", out.toString(), "--json");
        assertThat(set.exitCode()).as(set.err()).isZero();
        JsonNode body = JSON.readTree(set.out());
        assertThat(body.get("rows").asLong()).isEqualTo(2);
        assertThat(body.get("sha256").asText()).isEqualTo(Sha256.of(Files.readAllBytes(out)));
        assertThat(body.get("features").toString()).isEqualTo("[\"last_amount\",\"spend_30d\"]");

        String online = "sqlite:" + dir.resolve("online.db");
        CliRunner.Result first = cairn("features", "materialize", "--online", online, "--as-of", "2024-03-01");
        assertThat(first.exitCode()).as(first.err()).isZero();
        assertThat(first.out()).contains("customer_orders  2                 full");
        CliRunner.Result second = cairn("features", "materialize", "--online", online, "--as-of", "2024-03-01T00:00:00Z",
                "--view", "customer_orders", "--json");
        JsonNode views = JSON.readTree(second.out()).get("views");
        assertThat(views.get(0).get("written").asLong()).isZero();
        assertThat(views.get(0).get("full").asBoolean()).isFalse();
        assertThat(views.get(0).get("watermark").asText()).isEqualTo("2024-02-25T00:00:00Z");
    }

    @Test
    void badInputIsOneLinePerProblemWithExitCode2() throws Exception {
        Files.writeString(defs.resolve("features.yaml"), DEFINITIONS.replace("ttl: 90d", "ttl: ninety days").replace("source: orders",
                "source: order"));
        CliRunner.Result apply = cairn("features", "apply", defs.toString());
        assertThat(apply.exitCode()).isEqualTo(2);
        assertThat(apply.err().lines().toList()).containsExactly(
                "cairn: " + defs.resolve("features.yaml") + " line 12, feature_views.customer_orders.ttl: expected a duration such as PT30M, "
                        + "P1D, 90s, 30m, 2h or 1h30m, found a text ('ninety days')");

        Files.writeString(defs.resolve("features.yaml"), DEFINITIONS.replace("source: orders", "source: order"));
        CliRunner.Result unknown = cairn("features", "apply", defs.toString());
        assertThat(unknown.exitCode()).isEqualTo(2);
        assertThat(unknown.err()).contains("line 11, feature_views.customer_orders.source: unknown source 'order'");

        CliRunner.Result noService = cairn("features", "training-set", "--service", "nope", "--entities",
                dir.resolve("labels.csv").toString(), "--output", dir.resolve("x.parquet").toString());
        assertThat(noService.exitCode()).isEqualTo(2);
        assertThat(noService.err().lines()).hasSize(1);
        assertThat(noService.err()).startsWith("cairn: No feature service 'nope' in the registry");

        CliRunner.Result badStore = cairn("features", "materialize", "--online", "memcached://x:1");
        assertThat(badStore.exitCode()).isEqualTo(2);
        assertThat(badStore.err()).contains("'online'").contains("memcached").contains("[redis, rediss, sqlite]");

        CliRunner.Result badTime = cairn("features", "materialize", "--online", "sqlite:" + dir.resolve("o.db"), "--as-of", "soon");
        assertThat(badTime.exitCode()).isEqualTo(2);
        assertThat(badTime.err()).contains("'--as-of'").contains("soon");

        CliRunner.Result missing = cairn("features", "show", "nothing");
        assertThat(missing.exitCode()).isEqualTo(2);
        assertThat(missing.err()).contains("No feature definition 'nothing'");
    }
}
