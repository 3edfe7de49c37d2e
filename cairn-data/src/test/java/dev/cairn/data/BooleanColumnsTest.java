package dev.cairn.data;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cairn.data.check.ValidationResult;
import dev.cairn.data.check.Validator;
import dev.cairn.data.history.MetricsHistory;
import dev.cairn.data.profile.DatasetProfile;
import dev.cairn.data.profile.ValueCount;
import dev.cairn.data.schema.SpecYaml;
import dev.cairn.data.source.Column;
import dev.cairn.data.source.DataReader;
import dev.cairn.data.source.FileSource;
import dev.cairn.data.source.LoadedTable;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** CSV booleans as pandas reads them: only true/false (any case) is BOOLEAN; yes/no, Y/N, t/f stay text as spelled. */
class BooleanColumnsTest {
    @TempDir
    Path dir;

    static final String CSV = """
            answer,short_answer,flag,bit,letter
            yes,Y,TRUE,0,t
            no,N,false,1,f
            yes,Y,True,1,t
            ,N,,0,f
            """;

    @Test
    void onlyTrueAndFalseInAnyCaseAreBooleanTheRestKeepsItsSpelling() throws Exception {
        Path file = TestFiles.write(dir, "answers.csv", CSV);
        Map<String, String> types = new LinkedHashMap<>();
        try (LoadedTable t = DataReader.open(FileSource.of(file))) {
            for (Column c : t.columns()) types.put(c.name(), c.duckType());
        }
        assertThat(types).containsExactly(Map.entry("answer", "VARCHAR"), Map.entry("short_answer", "VARCHAR"), Map.entry("flag", "BOOLEAN"),
                Map.entry("bit", "BIGINT"), Map.entry("letter", "VARCHAR"));

        DatasetProfile p = new DataValidation().profile(DataValidation.file(file));
        assertThat(p.column("answer").orElseThrow().strings().topValues()).containsExactly(new ValueCount("yes", 2), new ValueCount("no", 1));
        assertThat(p.column("letter").orElseThrow().strings().topValues()).extracting(ValueCount::value).containsExactlyInAnyOrder("t", "f");
        assertThat(p.column("flag").orElseThrow().strings().topValues()).containsExactlyInAnyOrder(new ValueCount("true", 2), new ValueCount("false", 1));
    }

    @Test
    void aYesNoColumnValidatesAsTextWithItsOwnSpellingAndFailsAsBoolean() throws Exception {
        Path file = TestFiles.write(dir, "answers.csv", CSV);
        String asText = """
                fields:
                  - name: answer
                    type: STRING
                    domain: ['no', 'yes']
                  - name: flag
                    type: BOOLEAN
                """;
        String asBoolean = """
                fields:
                  - name: answer
                    type: BOOLEAN
                """;
        try (LoadedTable t = DataReader.open(FileSource.of(file))) {
            ValidationResult text = Validator.validate(t, SpecYaml.read(asText, "spec.yaml"), null, MetricsHistory.NONE);
            assertThat(text.failures()).extracting(r -> r.name()).containsExactly("unexpected_column short_answer",
                    "unexpected_column bit", "unexpected_column letter");
            assertThat(text.success()).isTrue();
            ValidationResult bool = Validator.validate(t, SpecYaml.read(asBoolean, "spec.yaml"), null, MetricsHistory.NONE);
            assertThat(bool.success()).isFalse();
            assertThat(bool.failures().getFirst().observedText()).isEqualTo("3 values not readable as BOOLEAN, first at line 2: 'yes'");
        }
    }
}
