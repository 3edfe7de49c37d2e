package dev.cairn.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.cairn.core.error.CairnException;
import dev.cairn.data.check.CheckResult;
import dev.cairn.data.check.ValidationResult;
import dev.cairn.data.check.Validator;
import dev.cairn.data.history.FileMetricsHistory;
import dev.cairn.data.history.MetricsHistory;
import dev.cairn.data.schema.DataSpec;
import dev.cairn.data.schema.Severity;
import dev.cairn.data.schema.SpecYaml;
import dev.cairn.data.source.DataReader;
import dev.cairn.data.source.FileSource;
import dev.cairn.data.source.LoadedTable;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ValidationTest {
    @TempDir
    Path dir;

    private static final String SPEC = """
            dataset: loans
            environments: [TRAINING, SERVING]
            fields:
              - name: id
                type: INTEGER
                nullable: false
              - name: age
                type: INTEGER
                nullable: false
                min: 18
                max: 99
              - name: grade
                type: STRING
                domain: [A, B, C]
              - name: email
                type: STRING
              - name: label
                type: STRING
                environments: [TRAINING]
            checks:
              - check: unique
                column: id
              - check: regex
                column: email
                pattern: "[a-z]+@[a-z]+\\\\.com"
                severity: warning
              - check: completeness
                column: email
                min_completeness: 0.9
              - check: row_count
                min: 3
                max: 100
              - check: sql
                name: adults have a grade
                predicate: "age < 21 OR grade IS NOT NULL"
            """;

    private ValidationResult validate(String csv, String spec, String environment, MetricsHistory history) throws Exception {
        Path file = TestFiles.write(dir, "data.csv", csv);
        try (LoadedTable t = DataReader.open(FileSource.of(file))) {
            return Validator.validate(t, SpecYaml.read(spec, "spec.yaml"), environment, history);
        }
    }

    private static CheckResult result(ValidationResult r, String name) {
        return r.results().stream().filter(c -> c.name().equals(name)).findFirst().orElseThrow(() -> new AssertionError(name + " in " + r.results()));
    }

    @Test
    void cleanDataPassesEveryCheck() throws Exception {
        ValidationResult r = validate("""
                id,age,grade,email,label
                1,30,A,ann@x.com,good
                2,45,B,bob@y.com,bad
                3,19,,cy@z.com,good
                """, SPEC, "TRAINING", MetricsHistory.NONE);
        assertThat(r.failures()).isEmpty();
        assertThat(r.success()).isTrue();
        assertThat(r.rowCount()).isEqualTo(3);
        assertThat(r.metrics()).containsEntry("row_count", 3.0).containsEntry("completeness.grade", 2 / 3.0);
    }

    @Test
    void everyFailedCheckListsObservedAndExpectedValuesAndSampleRows() throws Exception {
        ValidationResult r = validate("""
                id,age,grade,email,label
                1,30,A,ann@x.com,good
                1,150,Z,not-an-email,bad
                3,,B,,good
                4,40,,dan@x.com,good
                """, SPEC, "TRAINING", MetricsHistory.NONE);
        assertThat(r.success()).isFalse();

        CheckResult unique = result(r, "unique id");
        assertThat(unique.passed()).isFalse();
        assertThat(unique.observed()).isEqualTo(1.0);
        assertThat(unique.samples()).extracting(s -> s.get(Validator.LINE)).containsExactly(2L, 3L);

        CheckResult range = result(r, "range age");
        assertThat(range.observedText()).isEqualTo("1 outside (min 30, max 150)");
        assertThat(range.expected()).isEqualTo("every value in [18, 99]");
        assertThat(range.samples()).singleElement().satisfies(s -> assertThat(s).containsEntry(Validator.LINE, 3L).containsEntry("age", 150L));

        assertThat(result(r, "age not null").failingRows()).isEqualTo(1);
        assertThat(result(r, "age not null").samples().getFirst()).containsEntry(Validator.LINE, 4L);
        assertThat(result(r, "domain grade").observedText()).isEqualTo("1 rows with 1 values not allowed");
        CheckResult regex = result(r, "regex email");
        assertThat(regex.severity()).isEqualTo(Severity.WARNING);
        assertThat(regex.status()).isEqualTo("amber");
        CheckResult completeness = result(r, "completeness email");
        assertThat(completeness.observed()).isEqualTo(0.75);
        assertThat(completeness.status()).isEqualTo("red");
        CheckResult sql = result(r, "adults have a grade");
        assertThat(sql.samples()).extracting(s -> s.get(Validator.LINE)).containsExactly(5L);
        assertThat(r.results().getFirst().passed()).isFalse();
        assertThat(r.failedWarnings()).isEqualTo(1);
    }

    @Test
    void theLabelBelongsToTrainingAndMustBeAbsentInServing() throws Exception {
        String serving = """
                id,age,grade,email
                1,30,A,ann@x.com
                2,45,B,bob@y.com
                3,19,C,cy@z.com
                """;
        assertThat(validate(serving, SPEC, "SERVING", MetricsHistory.NONE).success()).isTrue();
        ValidationResult training = validate(serving, SPEC, "TRAINING", MetricsHistory.NONE);
        assertThat(result(training, "present label").passed()).isFalse();
        ValidationResult leaked = validate(serving.replace("email\n", "email,label\n").replace(".com\n", ".com,good\n"), SPEC, "SERVING",
                MetricsHistory.NONE);
        assertThat(result(leaked, "absent label").observedText()).isEqualTo("present");
    }

    @Test
    void aValueThatCannotBeReadAsTheSchemaTypeIsAFailedCheckNamingColumnLineAndValue() throws Exception {
        ValidationResult r = validate("id,age,grade,email,label\n1,30,A,a@b.com,x\n2,old,B,b@c.com,y\n3,40,C,c@d.com,z\n",
                SPEC, "TRAINING", MetricsHistory.NONE);
        assertThat(r.success()).isFalse();
        CheckResult coercion = result(r, "coercion age");
        assertThat(coercion.observedText()).isEqualTo("1 value not readable as INTEGER, first at line 3: 'old'");
        // The other checks still ran; the user's SQL that compares age with a number cannot, and says why.
        assertThat(result(r, "range age").passed()).isTrue();
        assertThat(result(r, "unique id").passed()).isTrue();
        CheckResult sql = result(r, "adults have a grade");
        assertThat(sql.passed()).isFalse();
        assertThat(sql.observedText()).startsWith("could not run, as a column holds values its schema type cannot read");
    }

    @Test
    void aCheckOnAColumnTheDataLacksIsRefusedBeforeAnythingRuns() {
        String spec = "checks:\n  - check: range\n    column: salary\n    min: 0\n";
        assertThatThrownBy(() -> validate("id,age\n1,2\n", spec, null, MetricsHistory.NONE))
                .isInstanceOf(CairnException.class)
                .hasMessageContaining("checks[0]").hasMessageContaining("'salary'").hasMessageContaining("id, age");
    }

    @Test
    void aMetricChangeCheckComparesWithTheStoredHistory() throws Exception {
        String spec = """
                checks:
                  - check: metric_change
                    metric: mean
                    column: amount
                    max_change: 0.2
                    window: 2
                """;
        FileMetricsHistory history = new FileMetricsHistory(dir.resolve("history.jsonl"));
        ValidationResult first = validate("amount\n10\n20\n", spec, null, history);
        assertThat(first.success()).isTrue();
        assertThat(first.results().getFirst().observedText()).contains("no history yet");
        assertThat(validate("amount\n12\n20\n", spec, null, history).success()).isTrue();
        ValidationResult jump = validate("amount\n40\n60\n", spec, null, history);
        assertThat(jump.success()).isFalse();
        assertThat(jump.results().getFirst().observed()).isCloseTo((50 - 15.5) / 15.5, org.assertj.core.api.Assertions.within(1e-9));
        assertThat(history.recent("mean.amount", 5)).containsExactly(15.0, 16.0, 50.0);
    }

    @Test
    void aBrokenSqlPredicateIsReportedWithTheCheckName() {
        String spec = "checks:\n  - check: sql\n    name: broken\n    predicate: \"nosuchcol > 1\"\n";
        assertThatThrownBy(() -> validate("id\n1\n", spec, null, MetricsHistory.NONE))
                .isInstanceOf(CairnException.class).hasMessageContaining("Check 'broken'");
    }

    @Test
    void unknownEnvironmentsAndCheckKindsAreRefused() {
        assertThatThrownBy(() -> validate("id,age,grade,email\n1,2,A,x\n", SPEC, "PROD", MetricsHistory.NONE))
                .hasMessageContaining("'PROD'");
        assertThatThrownBy(() -> validate("id\n1\n", "checks:\n  - check: bogus\n", null, MetricsHistory.NONE))
                .hasMessageContaining("checks[0].check");
        DataSpec parsed = SpecYaml.read(SPEC, "x");
        assertThat(parsed.fields()).hasSize(5);
    }

    @Test
    void compositeKeysAllowedValuesMetricsAndTypesAreCheckedToo() throws Exception {
        String spec = """
                checks:
                  - check: primary_key
                    columns: [store, day]
                  - check: allowed_values
                    column: store
                    values: [north, south]
                  - check: metric
                    metric: sum
                    column: sales
                    min: 0
                    max: 50
                    severity: warning
                  - check: type
                    column: day
                    type: INTEGER
                  - check: not_null
                    column: sales
                """;
        ValidationResult r = validate("""
                store,day,sales
                north,1,10
                north,2,20
                south,1,30
                north,1,5
                east,3,
                """, spec, null, MetricsHistory.NONE);
        CheckResult key = result(r, "primary_key store, day");
        assertThat(key.observedText()).isEqualTo("1 duplicate, 0 with a null key");
        assertThat(key.samples()).extracting(s -> s.get(Validator.LINE)).containsExactly(2L, 5L);
        assertThat(result(r, "allowed_values store").samples()).extracting(s -> s.get("store")).containsExactly("east");
        CheckResult sum = result(r, "metric sum.sales");
        assertThat(sum.observed()).isEqualTo(65.0);
        assertThat(sum.status()).isEqualTo("amber");
        assertThat(result(r, "type day").passed()).isTrue();
        assertThat(result(r, "not_null sales").failingRows()).isEqualTo(1);
        assertThat(r.metrics()).containsEntry("sum.sales", 65.0);
    }
}
