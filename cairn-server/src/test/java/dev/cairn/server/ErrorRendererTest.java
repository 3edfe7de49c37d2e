package dev.cairn.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.cairn.core.error.CairnException;
import dev.cairn.core.error.ErrorCode;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Jackson's own words reach clients only without what they say about Jackson's configuration. */
class ErrorRendererTest {

    @Test
    void malformedJsonMessagesNameTheProblemButNoLibrarySetting() {
        ObjectMapper plain = new ObjectMapper(); // every non-standard feature off: Jackson's hints at their fullest
        List<String> bodies = List.of("{\"a\": nan}", "{\"a\": NaN}", "{\"a\": +1}", "{\"a\": 01}", "{/* c */}", "{'a': 1}", "{a: 1}",
                "{\"a\": \"x\ny\"}", "{\"a\": 1,}", "[1,]", "[".repeat(1_100) + "]".repeat(1_100), "{\"a\": \"\\q\"}");
        for (String body : bodies) {
            JacksonException jackson = catchThrowableOfType(JacksonException.class, () -> plain.readTree(body));
            assertThat(jackson).as(body).isNotNull();
            CairnException error = ErrorRenderer.fromJackson(jackson);
            assertThat(error.code()).isEqualTo(ErrorCode.MALFORMED_REQUEST);
            assertThat(error.getMessage()).as(body + " <- " + jackson.getOriginalMessage()).startsWith("Malformed JSON")
                    .doesNotContainIgnoringCase("enable").doesNotContain("Feature").doesNotContain("StreamReadConstraints")
                    .doesNotContain("`").doesNotEndWith(":");
        }
    }
}
