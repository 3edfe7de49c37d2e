package dev.cairn.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.cairn.core.error.CairnException;
import dev.cairn.data.check.CheckResult;
import dev.cairn.data.check.ValidationResult;
import dev.cairn.data.check.Validator;
import dev.cairn.data.history.MetricsHistory;
import dev.cairn.data.schema.Severity;
import dev.cairn.data.schema.SpecYaml;
import dev.cairn.data.source.DataReader;
import dev.cairn.data.source.FileSource;
import dev.cairn.data.source.LoadedTable;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Malformed data is reported, never hidden: ragged lines, values the schema's type cannot read and
 * extra columns are failed checks among the others, each naming its line (file lines, header = 1);
 * a file that cannot be read at all is one line naming the file, never the reader's internals.
 */
class MalformedDataTest {
    @TempDir
    Path dir;

    static final String SPEC = """
            dataset: people
            fields:
              - name: id
                type: INTEGER
                nullable: false
              - name: age
                type: INTEGER
                min: 0
                max: 120
              - name: grade
                type: STRING
                domain: [A, B]
            """;

    /** Line 1 header, 3 ok, 4 short, 5 a non-number age, 6 ragged, 7 negative age, 8 new category; plus an extra column. */
    static final String MESSY = """
            id,age,grade,extra
            1,30,A,x
            2,40,B,x
            3,50
            4,abc,A,x
            5,20,A,x,surplus
            6,-3,B,x
            7,33,Z,x
            """;

    private ValidationResult validate(String csv, String spec) throws Exception {
        Path file = TestFiles.write(dir, "people.csv", csv);
        try (LoadedTable t = DataReader.open(FileSource.of(file))) {
            return Validator.validate(t, SpecYaml.read(spec, "spec.yaml"), null, MetricsHistory.NONE);
        }
    }

    private static CheckResult result(ValidationResult r, String name) {
        return r.results().stream().filter(c -> c.name().equals(name)).findFirst().orElseThrow(() -> new AssertionError(name + " in " + r.results()));
    }

    @Test
    void everyProblemOfAMessyFileIsAFailedCheckNamingItsLine() throws Exception {
        ValidationResult r = validate(MESSY, SPEC);
        assertThat(r.success()).isFalse();

        CheckResult lines = result(r, "well-formed lines");
        assertThat(lines.passed()).isFalse();
        assertThat(lines.failingRows()).isEqualTo(2);
        assertThat(lines.samples()).extracting(s -> s.get(Validator.LINE)).containsExactly(4L, 6L);
        assertThat(lines.observedText()).contains("line 4 has 2 fields where the header has 4").contains("line 6 has 5 fields where the header has 4");

        CheckResult coercion = result(r, "coercion age");
        assertThat(coercion.passed()).isFalse();
        assertThat(coercion.observedText()).isEqualTo("1 value not readable as INTEGER, first at line 5: 'abc'");

        // The rows after the rejected lines keep their file lines.
        CheckResult range = result(r, "range age");
        assertThat(range.passed()).isFalse();
        assertThat(range.samples()).singleElement().satisfies(s -> assertThat(s).containsEntry(Validator.LINE, 7L).containsEntry("age", "-3"));
        CheckResult domain = result(r, "domain grade");
        assertThat(domain.samples()).singleElement().satisfies(s -> assertThat(s).containsEntry(Validator.LINE, 8L));

        CheckResult extra = result(r, "unexpected_column extra");
        assertThat(extra.passed()).isFalse();
        assertThat(extra.severity()).isEqualTo(Severity.WARNING);
        assertThat(r.failedErrors()).isEqualTo(4);
    }

    @Test
    void theSeverityOfAnExtraColumnIsSetInTheSchema() throws Exception {
        String clean = "id,age,grade,extra\n1,30,A,x\n";
        assertThat(validate(clean, SPEC).success()).isTrue();
        ValidationResult strict = validate(clean, "unexpected_columns: error\n" + SPEC);
        assertThat(strict.success()).isFalse();
        assertThat(result(strict, "unexpected_column extra").severity()).isEqualTo(Severity.ERROR);
        assertThat(SpecYaml.write(SpecYaml.read("unexpected_columns: error\n" + SPEC, "spec.yaml"))).contains("unexpected_columns: error");
    }

    @Test
    void aCleanCsvFilePassesTheWellFormedLinesCheck() throws Exception {
        ValidationResult r = validate("id,age,grade\n1,30,A\n2,40,B\n", SPEC);
        assertThat(r.success()).isTrue();
        assertThat(result(r, "well-formed lines").passed()).isTrue();
    }

    @Test
    void anUnreadableFileIsOneLineNamingTheFileAndLineWithoutTheReadersInternals() throws Exception {
        Path json = TestFiles.write(dir, "rows.jsonl", "{\"a\": 1}\n{\"a\": oops}\n");
        assertThatThrownBy(() -> new DataValidation().profile(DataValidation.file(json)))
                .isInstanceOfSatisfying(CairnException.class, e -> {
                    assertThat(e.code().exitCode()).isEqualTo(2);
                    assertOneCleanLine(e.getMessage());
                })
                .hasMessageContaining(json.toString()).hasMessageContaining("line 2");
        Path parquet = TestFiles.write(dir, "broken.parquet", "not parquet at all\n");
        assertThatThrownBy(() -> new DataValidation().validate(DataValidation.file(parquet), SpecYaml.read(SPEC, "spec.yaml"), null,
                MetricsHistory.NONE))
                .isInstanceOfSatisfying(CairnException.class, e -> assertOneCleanLine(e.getMessage()))
                .hasMessageContaining(parquet.toString()).hasMessageContaining("not a Parquet file");
    }

    static void assertOneCleanLine(String message) {
        assertThat(message).doesNotContain("\n").doesNotContain("LINE 1").doesNotContain("SELECT").doesNotContain("read_csv")
                .doesNotContain("Error:").hasSizeLessThan(300);
    }

    @Test
    void aRaggedLineInAFileWithMixedLineEndingsIsAFailedCheckNotASniffingError() throws Exception {
        // The header ends in CRLF, the lines in LF: DuckDB's strict sniffer gives up on this file ("Error when sniffing file").
        ValidationResult r = validate("id,age,grade\r\n1,30,A\n2,40\n3,50,B\n", SPEC);
        assertThat(r.success()).isFalse();
        CheckResult lines = result(r, "well-formed lines");
        assertThat(lines.samples()).extracting(s -> s.get(Validator.LINE)).containsExactly(3L);
        assertThat(lines.observedText()).contains("line 3 has 2 fields where the header has 3");
        assertThat(r.rowCount()).isEqualTo(2);
        assertThat(r.failures()).extracting(CheckResult::name).containsExactly("well-formed lines");
    }

    @Test
    void profilesStillCountMalformedLinesWithTheirNumbers() throws Exception {
        Path csv = TestFiles.write(dir, "people.csv", MESSY);
        var p = new DataValidation().profile(DataValidation.file(csv));
        assertThat(p.malformedRowCount()).isEqualTo(2);
        assertThat(p.malformedRows()).extracting(m -> m.line()).containsExactly(4L, 6L);
        assertThat(Files.exists(csv)).isTrue();
    }
}
