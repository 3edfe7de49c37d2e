package dev.cairn.monitor.log;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.cairn.core.error.CairnException;
import dev.cairn.monitor.LogFixture;
import java.nio.file.Path;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

@DisplayName("Finding logged predictions by request id or by an input's value")
class PredictionLookupTest {

    @TempDir Path dir;

    private static Map<String, Object> row(Object customer, double amount) {
        Map<String, Object> row = new LinkedHashMap<>();
        row.put("customer_id", customer);
        row.put("amount", amount);
        row.put("purpose", "car");
        row.put("foreign", false);
        return row;
    }

    private static LogFixture.Request request(String id, Instant time, List<Map<String, Object>> rows) {
        double[] scores = rows.stream().mapToDouble(LogFixture::score).toArray();
        return new LogFixture.Request(id, time, "1", rows, scores, null, 1000);
    }

    @Test
    void aRequestIdFindsItsRequestAndAnInputValueEveryRequestThatScoredIt() throws Exception {
        LogFixture log = new LogFixture(dir);
        Instant t0 = Instant.parse("2026-11-01T10:00:00Z");
        log.segment("credit", List.of(request("a1", t0, List.of(row("C7", 250))), request("a2", t0.plusSeconds(60), List.of(row(8, 300)))));
        // A batch of two rows, one of them C7 again, in another deployment's later segment; and a customer whose id contains C7.
        log.segment("credit-batch", List.of(request("b1", t0.plusSeconds(3600), List.of(row("C70", 100), row("C7", 120)))));

        List<PredictionLookup.LoggedPrediction> byId = PredictionLookup.find(dir, "request_id", "a2", 10);
        assertThat(byId).singleElement().satisfies(p -> {
            assertThat(p.deployment()).isEqualTo("credit");
            assertThat(p.model()).isEqualTo("credit");
            assertThat(p.modelVersion()).isEqualTo("1");
            assertThat(p.time()).isEqualTo(t0.plusSeconds(60));
            assertThat(p.inputs()).contains("\"customer_id\":8");
            assertThat(p.outputs()).contains("probabilities");
        });

        // Newest first; "C70" is not "C7"; a number is found by its text.
        assertThat(PredictionLookup.find(dir, "customer_id", "C7", 10)).extracting(PredictionLookup.LoggedPrediction::requestId)
                .containsExactly("b1", "a1");
        assertThat(PredictionLookup.find(dir, "customer_id", "8", 10)).extracting(PredictionLookup.LoggedPrediction::requestId)
                .containsExactly("a2");
        assertThat(PredictionLookup.find(dir, "customer_id", "C7", 1)).extracting(PredictionLookup.LoggedPrediction::requestId)
                .containsExactly("b1");
        assertThat(PredictionLookup.find(dir, "customer_id", "nobody", 10)).isEmpty();
        assertThat(PredictionLookup.find(dir, "request_id", "a", 10)).isEmpty();
    }

    @Test
    void anEmptyLogFindsNothingAndBadQuestionsNameTheirField() {
        assertThat(PredictionLookup.find(dir.resolve("absent"), "request_id", "a1", 10)).isEmpty();
        assertThatThrownBy(() -> PredictionLookup.find(dir, "x'); DROP", "1", 10)).isInstanceOf(CairnException.class)
                .hasMessageContaining("field");
        assertThatThrownBy(() -> PredictionLookup.find(dir, "customer_id", " ", 10)).isInstanceOf(CairnException.class)
                .hasMessageContaining("value");
        assertThatThrownBy(() -> PredictionLookup.find(dir, "customer_id", "C7", 0)).isInstanceOf(CairnException.class)
                .hasMessageContaining("max");
    }
}
