package dev.cairn.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.cairn.core.error.ErrorCode;
import dev.cairn.core.schema.Field;
import dev.cairn.core.schema.FieldType;
import dev.cairn.runtime.preprocess.FeatureEncoder;
import dev.cairn.runtime.preprocess.PreprocessingStep;
import dev.cairn.runtime.preprocess.UnseenPolicy;
import java.nio.file.Path;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ValidationTest {

    @TempDir
    Path dir;

    @Test
    @DisplayName("every problem of a row is reported at once, each naming the field, the value and what was expected")
    void severalErrorsAtOnce() {
        TestData.writeLinear(dir.resolve("m"), TestData.STEPS);
        try (Model model = Models.load(dir.resolve("m"))) {
            Map<String, Object> row = new HashMap<>();
            row.put("income", 5000.0);          // out of range [0, 1000]
            row.put("age", "four");             // text that is not a whole number
            row.put("color", "purple");         // unseen under the ERROR policy
            row.put("owner", null);             // null where not nullable
            InvalidInputException e = catchThrowableOfType(InvalidInputException.class, () -> model.predict(row));
            assertThat(e.code()).isEqualTo(ErrorCode.INVALID_PARAMETER_VALUE);
            assertThat(e.fields()).containsExactly("income", "age", "color", "owner");
            assertThat(e.errors()).extracting(FieldError::value).containsExactly(5000.0, "four", "purple", null);
            assertThat(e.errors().get(0).expected()).isEqualTo("a number in [0.0, 1000.0]");
            assertThat(e.errors().get(1).expected()).isEqualTo("an integer");
            assertThat(e.errors().get(2).expected()).contains("[red, green, blue]");
            assertThat(e.errors().get(3).expected()).contains("not nullable");
            assertThat(e.getMessage()).contains("4 problems").contains("'age'").contains("'purple'").contains("row 1,");
            assertThat(e.details()).containsKey("errors");

            Map<String, Object> missing = TestData.validRow();
            missing.remove("age");
            missing.remove("income");   // nullable: a missing key means null, imputed
            assertThatThrownBy(() -> model.predict(missing)).isInstanceOf(InvalidInputException.class)
                    .hasMessageContaining("'age'").hasMessageContaining("required and missing")
                    .hasMessageNotContaining("'income'");
        }
    }

    @Test
    @DisplayName("a batch reports the problems of every row with the row index")
    void batchReportsEveryRow() {
        TestData.writeLinear(dir.resolve("m"), TestData.STEPS);
        try (Model model = Models.load(dir.resolve("m"))) {
            Map<String, Object> bad1 = TestData.validRow();
            bad1.put("owner", "sometimes");
            Map<String, Object> bad3 = TestData.validRow();
            bad3.put("age", 12L);
            InvalidInputException e = catchThrowableOfType(InvalidInputException.class,
                    () -> model.predict(List.of(TestData.validRow(), bad1, TestData.validRow(), bad3)));
            assertThat(e.errors()).extracting(FieldError::row).containsExactly(1, 3);
            assertThat(e.errors()).extracting(FieldError::rowNumber).containsExactly(2, 4);
            assertThat(e.errors().get(0).toMap()).containsEntry("row", 2);
            assertThat(e.getMessage()).contains("row 2, 'owner'").contains("row 4, 'age'");
            assertThat(e.errors()).extracting(FieldError::field).containsExactly("owner", "age");
        }
    }

    @Test
    @DisplayName("coercion: one rule for JSON values, CSV text and JDBC objects; a value that does not convert names its field")
    void coercionRules() {
        List<Field> inputs = List.of(Field.of("n", FieldType.INTEGER, false), Field.of("x", FieldType.DOUBLE, false),
                Field.of("t", FieldType.TIMESTAMP, false), Field.of("b", FieldType.BOOLEAN, false));
        FeatureEncoder enc = FeatureEncoder.natural(inputs, List.of());
        assertThat(enc.encode(Map.of("n", 4.0, "x", 2, "t", "2026-01-01T00:00:00Z", "b", false)))
                .containsExactly(4.0, 2.0, Instant.parse("2026-01-01T00:00:00Z").toEpochMilli(), 0.0);
        assertThat(enc.encode(Map.of("n", 4, "x", 2.5f, "t", 1000L, "b", true))).containsExactly(4.0, 2.5, 1000.0, 1.0);
        // Text, as a CSV cell or a JSON string carries it, converts by the same rules.
        assertThat(enc.encode(Map.of("n", " 6 ", "x", "2.5", "t", "2026-01-01", "b", "TRUE")))
                .containsExactly(6.0, 2.5, Instant.parse("2026-01-01T00:00:00Z").toEpochMilli(), 1.0);
        assertThat(enc.encode(Map.of("n", "6.0", "x", "-1e3", "t", "1000", "b", "false"))).containsExactly(6.0, -1000.0, 1000.0, 0.0);
        // A model whose signature says BOOLEAN for yes/no data (DuckDB's spellings) accepts them as its data had them.
        assertThat(enc.encode(Map.of("n", 1, "x", 1, "t", 1L, "b", "Yes"))[3]).isEqualTo(1.0);
        assertThat(enc.encode(Map.of("n", 1, "x", 1, "t", 1L, "b", "n"))[3]).isEqualTo(0.0);
        // JDBC and DuckDB hand over these types.
        assertThat(enc.encode(Map.of("n", new java.math.BigDecimal("7"), "x", new java.math.BigDecimal("0.25"),
                "t", java.time.LocalDate.parse("2026-01-01"), "b", 1))).containsExactly(7.0, 0.25,
                Instant.parse("2026-01-01T00:00:00Z").toEpochMilli(), 1.0);
        InvalidInputException e = catchThrowableOfType(InvalidInputException.class,
                () -> enc.encode(Map.of("n", 4.5, "x", "two", "t", "yesterday", "b", 2)));
        assertThat(e.fields()).containsExactly("n", "x", "t", "b");
        InvalidInputException text = catchThrowableOfType(InvalidInputException.class,
                () -> enc.encode(Map.of("n", "4.5", "x", "0x10", "t", 1L, "b", "maybe")));
        assertThat(text.fields()).containsExactly("n", "x", "b");
        // NaN and blank text are missing, and these fields are not nullable.
        assertThat(catchThrowableOfType(InvalidInputException.class,
                () -> enc.encode(Map.of("n", 1, "x", Double.NaN, "t", "  ", "b", true))).fields()).containsExactly("x", "t");
    }

    @Test
    @DisplayName("unseen categories: ERROR rejects, IGNORE encodes all zeros or NaN, OTHER uses the extra bucket")
    void unseenCategoryPolicies() {
        List<Field> inputs = List.of(Field.of("c", FieldType.STRING, false));
        List<String> cats = List.of("a", "b");
        FeatureEncoder error = FeatureEncoder.natural(inputs, List.of(new PreprocessingStep.OneHot("c", cats, UnseenPolicy.ERROR)));
        FeatureEncoder ignore = FeatureEncoder.natural(inputs, List.of(new PreprocessingStep.OneHot("c", cats, UnseenPolicy.IGNORE)));
        FeatureEncoder other = FeatureEncoder.natural(inputs, List.of(new PreprocessingStep.OneHot("c", cats, UnseenPolicy.OTHER)));
        FeatureEncoder ordinalOther = FeatureEncoder.natural(inputs, List.of(new PreprocessingStep.Ordinal("c", cats, UnseenPolicy.OTHER)));
        FeatureEncoder ordinalIgnore = FeatureEncoder.natural(inputs, List.of(new PreprocessingStep.Ordinal("c", cats, UnseenPolicy.IGNORE)));

        assertThat(error.encode(Map.of("c", "b"))).containsExactly(0.0, 1.0);
        assertThatThrownBy(() -> error.encode(Map.of("c", "z"))).isInstanceOf(InvalidInputException.class)
                .hasMessageContaining("'c'").hasMessageContaining("'z'").hasMessageContaining("[a, b]");
        assertThat(ignore.encode(Map.of("c", "z"))).containsExactly(0.0, 0.0);
        assertThat(other.featureNames()).containsExactly("c=a", "c=b", "c=__other__");
        assertThat(other.encode(Map.of("c", "z"))).containsExactly(0.0, 0.0, 1.0);
        assertThat(other.encode(Map.of("c", "a"))).containsExactly(1.0, 0.0, 0.0);
        assertThat(ordinalOther.encode(Map.of("c", "z"))).containsExactly(2.0);
        assertThat(ordinalIgnore.encode(Map.of("c", "z"))[0]).isNaN();
        assertThat(ordinalIgnore.encode(Map.of("c", "b"))).containsExactly(1.0);
    }

    @Test
    @DisplayName("numeric steps apply in order: impute, then scale, then bucketize; lenient encoders skip range checks")
    void numericSteps() {
        List<Field> inputs = List.of(new Field("x", FieldType.DOUBLE, true, null, 0.0, 10.0, null));
        FeatureEncoder enc = FeatureEncoder.natural(inputs, List.of(
                new PreprocessingStep.Impute("x", "mean", 4.0),
                new PreprocessingStep.StandardScale("x", 2.0, 2.0),
                new PreprocessingStep.Bucketize("x", List.of(0.0, 1.0, 2.0))));
        Map<String, Object> nullRow = new HashMap<>();
        nullRow.put("x", null);
        assertThat(enc.encode(nullRow)).containsExactly(2.0);              // (4-2)/2 = 1 -> bucket 2
        assertThat(enc.encode(Map.of("x", 0.0))).containsExactly(0.0);    // -1 -> bucket 0
        assertThat(enc.encode(Map.of("x", 9.0))).containsExactly(3.0);     // 3.5 -> bucket 3
        assertThatThrownBy(() -> enc.encode(Map.of("x", 11.0))).isInstanceOf(InvalidInputException.class);
        assertThat(enc.lenient().encode(Map.of("x", 11.0))).containsExactly(3.0);
    }

    @Test
    @DisplayName("columnar input with primitive arrays encodes like rows")
    void columnarInput() {
        FeatureEncoder enc = TestData.encoder();
        float[] fromColumns = enc.encodeColumns(Map.of("income", new double[]{1.0, 2.0}, "age", new long[]{20, 30},
                "color", new String[]{"red", "blue"}, "owner", new boolean[]{true, false}));
        float[] fromRows = enc.encodeBatch(List.of(
                Map.of("income", 1.0, "age", 20L, "color", "red", "owner", true),
                Map.of("income", 2.0, "age", 30L, "color", "blue", "owner", false)));
        assertThat(fromColumns).containsExactly(fromRows);
        assertThatThrownBy(() -> enc.encodeColumns(Map.of("income", new double[]{1.0}, "age", new long[]{20, 30})))
                .hasMessageContaining("as many as column");
    }
}
