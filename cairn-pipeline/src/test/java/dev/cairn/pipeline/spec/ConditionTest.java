package dev.cairn.pipeline.spec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.cairn.core.error.CairnException;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ConditionTest {
    private static final Map<Reference, Object> VALUES = new HashMap<>();

    static {
        VALUES.put(Reference.output("evaluate", "blessed"), true);
        VALUES.put(Reference.output("evaluate", "has_champion"), false);
        VALUES.put(Reference.output("evaluate", "metric"), 0.72);
        VALUES.put(Reference.output("canary", "verdict"), "rolled_back");
        VALUES.put(Reference.output("read", "rows"), 1000L);
        VALUES.put(Reference.param("deploy"), "true");
        VALUES.put(Reference.param("threshold"), "0.7");
        VALUES.put(Reference.param("empty"), "");
        VALUES.put(Reference.param("missing"), null);
        VALUES.put(Reference.param("word"), "maybe");
    }

    private static boolean holds(String condition) {
        return Condition.parse(condition).evaluate(VALUES::get);
    }

    @ParameterizedTest(name = "{0} is {1}")
    @CsvSource(delimiterString = ";;", quoteCharacter = '`', value = {
            "${steps.evaluate.outputs.blessed}                                  ;; true",
            "!${steps.evaluate.outputs.blessed}                                 ;; false",
            "!!${steps.evaluate.outputs.blessed}                                ;; true",
            "${steps.evaluate.outputs.has_champion}                             ;; false",
            "${steps.evaluate.outputs.blessed} || !${steps.evaluate.outputs.has_champion} ;; true",
            "${steps.evaluate.outputs.blessed} && ${steps.evaluate.outputs.has_champion}  ;; false",
            "${steps.evaluate.outputs.has_champion} && ${params.word}           ;; false",
            "${steps.evaluate.outputs.blessed} || ${params.word}                ;; true",
            "false || true && false                                             ;; false",
            "(false || true) && true                                            ;; true",
            "${steps.evaluate.outputs.metric} >= 0.7                            ;; true",
            "${steps.evaluate.outputs.metric} >= ${params.threshold}            ;; true",
            "${steps.evaluate.outputs.metric} < 0.72                            ;; false",
            "${steps.evaluate.outputs.metric} <= 0.72                           ;; true",
            "${steps.read.outputs.rows} > 999                                   ;; true",
            "${steps.read.outputs.rows} == 1000.0                               ;; true",
            "${steps.read.outputs.rows} != 1000                                 ;; false",
            "${steps.canary.outputs.verdict} == 'rolled_back'                   ;; true",
            "${steps.canary.outputs.verdict} != \"promoted\"                    ;; true",
            "${params.deploy} == true                                           ;; true",
            "${params.deploy}                                                   ;; true",
            "${params.empty}                                                    ;; false",
            "${params.missing}                                                  ;; false",
            "${params.missing} == null                                          ;; true",
            "1                                                                  ;; true",
            "0                                                                  ;; false",
            "TRUE                                                               ;; true"})
    void evaluates(String condition, boolean expected) {
        assertThat(holds(condition)).isEqualTo(expected);
    }

    @Test
    void referencesAreListedOnceInOrder() {
        Condition c = Condition.parse("${steps.evaluate.outputs.blessed} || (${params.deploy} && ${steps.evaluate.outputs.blessed})");
        assertThat(c.references()).containsExactly(Reference.output("evaluate", "blessed"), Reference.param("deploy"));
        assertThat(c.text()).startsWith("${steps.evaluate.outputs.blessed} ||");
    }

    @Test
    void aTextThatIsNeitherTrueNorFalseIsAnErrorWhenEvaluated() {
        assertThatThrownBy(() -> holds("${params.word}"))
                .isInstanceOf(CairnException.class).hasMessageContaining("'maybe'").hasMessageContaining("true or false");
        assertThatThrownBy(() -> holds("${steps.canary.outputs.verdict} > 1"))
                .isInstanceOf(CairnException.class).hasMessageContaining("a number on each side of >");
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiterString = ";;", quoteCharacter = '`', value = {
            " ;; the condition is empty",
            "${steps.evaluate.outputs.blessed} == ;; expected a value at position 37, found the end",
            "(true ;; expected ')' at position 6",
            "true false ;; expected '&&', '||', a comparison or the end at position 6",
            "blessed ;; quote texts: 'blessed'",
            "'open ;; expected the closing '",
            "${steps.evaluate.blessed} ;; is not a reference",
            "${run.when} ;; unknown run variable 'when'",
            "${steps.evaluate.outputs.blessed ;; expected '}' closing the reference"})
    void syntaxErrorsSayWhatWasExpectedWhere(String condition, String message) {
        assertThatThrownBy(() -> Condition.parse(condition == null ? "" : condition))
                .isInstanceOf(CairnException.class).hasMessageContaining(message);
    }
}
