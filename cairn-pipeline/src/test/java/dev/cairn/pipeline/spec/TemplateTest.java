package dev.cairn.pipeline.spec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.cairn.core.error.CairnException;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class TemplateTest {
    private static final Map<Reference, Object> VALUES = Map.of(
            Reference.param("data"), "jdbc:sqlite:master.db",
            Reference.output("evaluate", "blessed"), true,
            Reference.output("drift", "drifted_columns"), List.of("age", "purpose"),
            Reference.run("date"), "2024-01-16");

    @Test
    void aWholeReferenceKeepsItsValuesType() {
        assertThat(Template.parse("${steps.evaluate.outputs.blessed}").render(VALUES::get)).isEqualTo(true);
        assertThat(Template.parse("${ steps.drift.outputs.drifted_columns }").render(VALUES::get)).isEqualTo(List.of("age", "purpose"));
        assertThat(Template.parse("${params.data}").isSingleReference()).isTrue();
    }

    @Test
    void referencesInsideTextAreRenderedAsText() {
        Template t = Template.parse("SELECT * FROM sales WHERE day = '${run.date}' -- from ${params.data}, $${not.a.ref}");
        assertThat(t.references()).containsExactly(Reference.run("date"), Reference.param("data"));
        assertThat(t.isSingleReference()).isFalse();
        assertThat(t.render(VALUES::get))
                .isEqualTo("SELECT * FROM sales WHERE day = '2024-01-16' -- from jdbc:sqlite:master.db, ${not.a.ref}");
        assertThat(Template.parse("blessed: ${steps.evaluate.outputs.blessed}").render(VALUES::get)).isEqualTo("blessed: true");
    }

    @Test
    void anEscapeAloneIsNoReference() {
        Template t = Template.parse("cost in $${currency}");
        assertThat(t.hasReferences()).isFalse();
        assertThat(t.render(VALUES::get)).isEqualTo("cost in ${currency}");
    }

    @Test
    void nestedValuesResolveEverywhere() {
        Object resolved = Template.resolve(Map.of("list", List.of("${params.data}", 3L), "flag", "${steps.evaluate.outputs.blessed}"),
                VALUES::get);
        assertThat(resolved).isEqualTo(Map.of("list", List.of("jdbc:sqlite:master.db", 3L), "flag", true));
        assertThat(Template.resolve(0.5, VALUES::get)).isEqualTo(0.5);
    }

    @Test
    void malformedReferencesAreNamed() {
        assertThatThrownBy(() -> Template.parse("${params.data"))
                .isInstanceOf(CairnException.class).hasMessageContaining("'${' at position 1 is not closed by '}'");
        assertThatThrownBy(() -> Template.parse("x ${param.data}"))
                .isInstanceOf(CairnException.class).hasMessageContaining("(parameters are ${params.NAME})");
        assertThatThrownBy(() -> Template.parse("${env.HOME}"))
                .isInstanceOf(CairnException.class)
                .hasMessage("${env.HOME} is not a reference: expected ${params.NAME}, ${steps.STEP.outputs.NAME} or ${run.NAME}");
    }

    @Test
    void referencesReadAsWritten() {
        assertThat(Reference.output("read", "table")).hasToString("${steps.read.outputs.table}");
        assertThat(Reference.param("data").expression()).isEqualTo("${params.data}");
        assertThat(Reference.run("id").expression()).isEqualTo("${run.id}");
        assertThatThrownBy(() -> new Reference(Reference.Kind.PARAM, "read", "x")).isInstanceOf(IllegalArgumentException.class);
    }
}
