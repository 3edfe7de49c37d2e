package dev.cairn.pipeline.schedule;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.module.SimpleModule;
import com.fasterxml.jackson.databind.ser.std.ToStringSerializer;
import dev.cairn.core.error.CairnException;
import java.time.Duration;
import java.time.ZoneId;
import java.util.List;
import org.junit.jupiter.api.Test;

class TriggerTest {
    /** As the server writes JSON: snake_case, java.time as text (its JavaTimeModule does the same for these). */
    private static final ObjectMapper JSON = JsonMapper.builder()
            .propertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE)
            .addModule(new SimpleModule()
                    .addSerializer(ZoneId.class, ToStringSerializer.instance)
                    .addSerializer(Duration.class, ToStringSerializer.instance))
            .build();

    @Test
    void aScheduleKeepsItsExpressionAndParsesIt() {
        Trigger.Schedule s = new Trigger.Schedule("0 2 * * *", ZoneId.of("Europe/Berlin"), CatchUp.LATEST);
        assertThat(s.schedule()).isEqualTo(CronSchedule.parse("0 2 * * *", ZoneId.of("Europe/Berlin")));
        assertThat(s.kind()).isEqualTo("schedule");
        assertThatThrownBy(() -> new Trigger.Schedule("0 25 * * *", ZoneId.of("UTC"), CatchUp.ALL))
                .isInstanceOf(CairnException.class).hasMessageContaining("cron field 'hour': 25 is outside 0-23");
    }

    @Test
    void anAlertTriggerMatchesItsDeploymentAndRules() {
        Trigger.Alert any = new Trigger.Alert("credit-risk", null);
        assertThat(any.rules()).isEmpty();
        assertThat(any.matches("credit-risk", "input-drift")).isTrue();
        assertThat(any.matches("churn", "input-drift")).isFalse();
        Trigger.Alert some = new Trigger.Alert("credit-risk", List.of("input-drift"));
        assertThat(some.matches("credit-risk", "input-drift")).isTrue();
        assertThat(some.matches("credit-risk", "refused-requests")).isFalse();
        assertThatThrownBy(() -> new Trigger.Alert(" ", List.of())).isInstanceOf(CairnException.class);
    }

    @Test
    void aDataTriggerNeedsASourceAndAPositivePoll() {
        assertThat(new Trigger.DataChange("read", Duration.ofMinutes(5)).kind()).isEqualTo("data");
        assertThatThrownBy(() -> new Trigger.DataChange("", Duration.ofMinutes(5))).isInstanceOf(CairnException.class);
        assertThatThrownBy(() -> new Trigger.DataChange("read", Duration.ZERO)).isInstanceOf(CairnException.class);
    }

    @Test
    void jsonNamesEachTriggerByItsKindAsTheYamlDoes() throws Exception {
        List<Trigger> triggers = List.of(
                new Trigger.Schedule("0 2 * * *", ZoneId.of("Europe/Berlin"), CatchUp.NONE),
                new Trigger.DataChange("read", Duration.ofMinutes(15)),
                new Trigger.DataChange("read", Duration.ofHours(1), "SELECT count(*) / 500 FROM customers"),
                new Trigger.Alert("credit-risk", List.of("input-drift")),
                new Trigger.Manual());
        String json = JSON.writerFor(JSON.getTypeFactory().constructCollectionType(List.class, Trigger.class))
                .writeValueAsString(triggers);
        assertThat(json).isEqualTo("[{\"schedule\":{\"cron\":\"0 2 * * *\",\"timezone\":\"Europe/Berlin\",\"catch_up\":\"none\"}},"
                + "{\"data\":{\"source\":\"read\",\"poll\":\"PT15M\"}},"
                + "{\"data\":{\"source\":\"read\",\"poll\":\"PT1H\",\"fingerprint\":\"SELECT count(*) / 500 FROM customers\"}},"
                + "{\"alert\":{\"deployment\":\"credit-risk\",\"rules\":[\"input-drift\"]}},"
                + "{\"manual\":{}}]");
    }
}
