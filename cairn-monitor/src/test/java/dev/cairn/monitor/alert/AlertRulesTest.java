package dev.cairn.monitor.alert;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.cairn.core.error.CairnException;
import dev.cairn.core.error.ErrorCode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class AlertRulesTest {
    static final String GOOD = """
            window: day
            webhooks:
              - url: http://localhost:9000/hooks/cairn
              - url: https://hooks.example.com/T000/B000
                headers:
                  Authorization: Bearer s3cr3t
            rules:
              - name: credit-amount-drift
                metric: drift.credit_amount.drifted
                comparison: ">="
                threshold: 1
              - name: precision-estimate
                metric: estimated.precision
                comparison: "<"
                threshold: 0.70
                consecutive: 2
                cooldown: P2D
                severity: critical
                description: CBPE precision below the contract
            """;

    @Test
    void readsAGoodFileWithDefaults() {
        AlertRules rules = AlertRules.parse(GOOD, "alerts.yaml");

        assertThat(rules.window()).isEqualTo("day");
        assertThat(rules.windowDuration()).isEqualTo(Duration.ofDays(1));
        assertThat(rules.rules()).containsExactly(
                new AlertRule("credit-amount-drift", "drift.credit_amount.drifted", Comparison.GREATER_OR_EQUAL, 1.0),
                new AlertRule("precision-estimate", "estimated.precision", Comparison.LESS, 0.70, 2, Duration.ofDays(2),
                        AlertSeverity.CRITICAL, "CBPE precision below the contract"));
        AlertRule drift = rules.rule("credit-amount-drift").orElseThrow();
        assertThat(drift.consecutive()).isEqualTo(1);
        assertThat(drift.cooldown()).isZero();
        assertThat(drift.severity()).isEqualTo(AlertSeverity.WARNING);
        assertThat(drift.description()).isNull();
        assertThat(rules.webhooks()).containsExactly(new Webhook("http://localhost:9000/hooks/cairn"),
                new Webhook("https://hooks.example.com/T000/B000", Map.of("Authorization", "Bearer s3cr3t")));
        // Credentials stay out of logs.
        assertThat(rules.webhooks().get(1).toString()).doesNotContain("s3cr3t").doesNotContain("T000");
    }

    @Test
    void readsAFile(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("alerts.yaml");
        Files.writeString(file, GOOD);
        assertThat(AlertRules.read(file).rules()).hasSize(2);

        CairnException missing = catchThrowableOfType(CairnException.class, () -> AlertRules.read(dir.resolve("none.yaml")));
        assertThat(missing.code()).isEqualTo(ErrorCode.RESOURCE_DOES_NOT_EXIST);
    }

    @Test
    void windowIsAWordOrAFixedLengthIsoDuration() {
        assertThat(window("hour")).isEqualTo(Duration.ofHours(1));
        assertThat(window("week")).isEqualTo(Duration.ofDays(7));
        assertThat(window("PT6H")).isEqualTo(Duration.ofHours(6));
        assertThat(window("P1W")).isEqualTo(Duration.ofDays(7));
        assertThat(AlertRules.parse("rules: []", "x").window()).isEqualTo("day");
    }

    private static Duration window(String w) {
        return AlertRules.parse("window: " + w + "\nrules: []\n", "alerts.yaml").windowDuration();
    }

    static Stream<Arguments> badValues() {
        String rule = "  - name: r\n    metric: estimated.precision\n    comparison: \"<\"\n    threshold: 0.7\n";
        return Stream.of(
                Arguments.of("window: fortnight\nrules: []", "window", "fortnight"),
                Arguments.of("window: P1M\nrules: []", "window", "P1M"),
                Arguments.of("window: PT0S\nrules: []", "window", "PT0S"),
                Arguments.of("window: day", "rules", "null"),
                Arguments.of("rules: {name: r}", "rules", "name"),
                Arguments.of("rules:\n" + rule + rule.replace("name: r", "name: s").replace("\"<\"", "\"=>\""),
                        "rules[1].comparison", "=>"),
                Arguments.of("rules:\n" + rule.replace("0.7", "high"), "rules[0].threshold", "high"),
                Arguments.of("rules:\n" + rule.replace("0.7", "\"0.7\""), "rules[0].threshold", "0.7"),
                Arguments.of("rules:\n" + rule.replace("    threshold: 0.7\n", ""), "rules[0].threshold", "null"),
                Arguments.of("rules:\n" + rule + "    consecutive: 0\n", "rules[0].consecutive", "0"),
                Arguments.of("rules:\n" + rule + "    consecutive: 1.5\n", "rules[0].consecutive", "1.5"),
                Arguments.of("rules:\n" + rule + "    cooldown: P1M\n", "rules[0].cooldown", "P1M"),
                Arguments.of("rules:\n" + rule + "    cooldown: -PT1H\n", "rules[0].cooldown", "-PT1H"),
                Arguments.of("rules:\n" + rule + "    severity: urgent\n", "rules[0].severity", "urgent"),
                Arguments.of("rules:\n" + rule.replace("name: r", "name: bad name"), "rules[0].name", "bad name"),
                Arguments.of("rules:\n" + rule + rule, "rules[1].name", "r"),
                Arguments.of("rules:\n" + rule.replace("estimated.precision", "precision"), "rules[0].metric", "precision"),
                Arguments.of("rules:\n" + rule.replace("estimated.precision", "estimate.precision"), "rules[0].metric", "estimate.precision"),
                Arguments.of("rules:\n" + rule + "    description: [a, b]\n", "rules[0].description", "a"),
                Arguments.of("rules: []\nwebhooks:\n  - url: ftp://example.com/x", "webhooks[0].url", "ftp://example.com/x"),
                Arguments.of("rules: []\nwebhooks:\n  - url: http:///no-host", "webhooks[0].url", "http:///no-host"),
                Arguments.of("rules: []\nwebhooks:\n  - url: localhost:9000", "webhooks[0].url", "localhost:9000"),
                Arguments.of("rules: []\nwebhooks:\n  - url: http://a\n  - {}", "webhooks[1].url", "null"),
                Arguments.of("rules: []\nwebhooks:\n  - url: http://a\n    headers: {Host: b}", "webhooks[0].headers.Host", "Host"),
                Arguments.of("rules: []\nwebhooks:\n  - url: http://a\n    headers: {Content-Type: text/plain}",
                        "webhooks[0].headers.Content-Type", "Content-Type"),
                Arguments.of("rules: []\nwebhooks:\n  - url: http://a\n    headers: {\"bad header\": x}",
                        "webhooks[0].headers.bad header", "bad header"));
    }

    @ParameterizedTest(name = "{1}")
    @MethodSource("badValues")
    void everyBadValueNamesItsPath(String yaml, String path, String value) {
        CairnException e = catchThrowableOfType(CairnException.class, () -> AlertRules.parse(yaml, "alerts.yaml"));

        assertThat(e).as("refused: %s", yaml).isNotNull();
        assertThat(e.code()).isEqualTo(ErrorCode.INVALID_PARAMETER_VALUE);
        assertThat(e.details()).containsEntry("field", path).containsEntry("file", "alerts.yaml");
        assertThat(e.details().get("value").toString()).contains(value);
        assertThat(e.getMessage()).contains("'" + path + "'").contains("alerts.yaml").contains("expected");
    }

    @Test
    void unknownKeysAreRefusedWithTheAllowedOnes() {
        String yaml = "rules:\n  - name: r\n    metric: drift.share\n    comparison: \">\"\n    threshold: 0.3\n    treshold: 0.4\n";
        CairnException e = catchThrowableOfType(CairnException.class, () -> AlertRules.parse(yaml, "alerts.yaml"));
        assertThat(e.details()).containsEntry("field", "rules[0].treshold");
        assertThat(e.getMessage()).contains("[name, metric, comparison, threshold, consecutive, cooldown, severity, description]");

        CairnException top = catchThrowableOfType(CairnException.class, () -> AlertRules.parse("rules: []\nwebhook: []", "a.yaml"));
        assertThat(top.details()).containsEntry("field", "webhook");
        assertThat(top.getMessage()).contains("[window, rules, webhooks]");

        CairnException hook = catchThrowableOfType(CairnException.class,
                () -> AlertRules.parse("rules: []\nwebhooks:\n  - url: http://a\n    timeout: 5", "a.yaml"));
        assertThat(hook.details()).containsEntry("field", "webhooks[0].timeout");
        assertThat(hook.getMessage()).contains("[url, headers]");
    }

    @Test
    void unreadableYamlNamesTheFileAndLine() {
        // A key given twice is an error, not the last one silently winning.
        CairnException e = catchThrowableOfType(CairnException.class,
                () -> AlertRules.parse("rules:\n  - name: r\n    name: s\n", "alerts.yaml"));
        assertThat(e.code()).isEqualTo(ErrorCode.INVALID_PARAMETER_VALUE);
        assertThat(e.getMessage()).contains("alerts.yaml").contains("line");
        assertThatThrownBy(() -> AlertRules.parse("", "empty.yaml")).isInstanceOf(CairnException.class);
        assertThatThrownBy(() -> AlertRules.parse("rules:\n  - {name: r, metric: drift.share, comparison: \">\", threshold: .nan}", "x"))
                .isInstanceOf(CairnException.class).hasMessageContaining("line 2");
        // Unquoted, '>' opens a folded block in YAML: the message says to quote it.
        assertThatThrownBy(() -> AlertRules.parse("rules:\n  - name: r\n    metric: drift.share\n    comparison: >=\n    threshold: 1\n", "x"))
                .isInstanceOf(CairnException.class).hasMessageContaining("line 4").hasMessageContaining("quote");
        assertThatThrownBy(() -> AlertRules.parse("- a\n- b\n", "list.yaml")).isInstanceOf(CairnException.class);
    }

    @Test
    void recordsValidateWhenBuiltInCode() {
        assertThatThrownBy(() -> new AlertRule("r", "estimated.precision", Comparison.LESS, Double.POSITIVE_INFINITY))
                .isInstanceOf(CairnException.class).hasMessageContaining("threshold");
        assertThatThrownBy(() -> new AlertRules("day", java.util.List.of(
                new AlertRule("r", "drift.share", Comparison.GREATER, 0.3), new AlertRule("r", "drift.share", Comparison.GREATER, 0.5)), null))
                .isInstanceOf(CairnException.class).hasMessageContaining("rules[1].name");
        assertThatThrownBy(() -> new Webhook("file:///etc/passwd")).isInstanceOf(CairnException.class).hasMessageContaining("url");
        assertThat(Comparison.parse(">=").breaches(1.0, 1.0)).isTrue();
        assertThat(Comparison.parse(">").breaches(1.0, 1.0)).isFalse();
        assertThat(Comparison.parse("<=").breaches(0.7, 0.7)).isTrue();
        assertThat(Comparison.parse("<").breaches(0.7, 0.7)).isFalse();
    }
}
