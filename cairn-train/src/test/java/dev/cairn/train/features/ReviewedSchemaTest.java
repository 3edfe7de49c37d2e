package dev.cairn.train.features;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.cairn.core.error.CairnException;
import dev.cairn.core.error.ErrorCode;
import dev.cairn.core.schema.Field;
import dev.cairn.core.schema.FieldType;
import dev.cairn.train.data.Column;
import dev.cairn.train.data.Frame;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** How a reviewed schema's types, ranges, nullability and domains meet the types training read. */
class ReviewedSchemaTest {
    @TempDir
    Path dir;

    private ReviewedSchema schema(String fields) throws IOException {
        Path yaml = dir.resolve("schema.yaml");
        Files.writeString(yaml, "version: 3\ndataset: toy\nfields:\n" + fields);
        return ReviewedSchema.read(yaml);
    }

    private static Column.Numeric numbers(String name, FieldType type, double... values) {
        return new Column.Numeric(name, type, values);
    }

    private static List<Field> open(Frame frame) {
        return PreprocessingFitter.fit(frame, false).inputs();
    }

    @Test
    @DisplayName("a more precise compatible schema type wins, a wider one keeps the type training read")
    void compatibleTypes() throws IOException {
        ReviewedSchema schema = schema("""
                  - {name: whole, type: INTEGER, nullable: false, min: 0, max: 10}
                  - {name: count, type: DOUBLE}
                  - {name: flag, type: BOOLEAN}
                  - {name: colour, type: STRING, domain: [red, green, blue]}
                  - {name: shape, type: STRING}
                """);
        Frame frame = new Frame(List.of(numbers("whole", FieldType.DOUBLE, 1, 2, Double.NaN), numbers("count", FieldType.INTEGER, 3, 4, 5),
                numbers("flag", FieldType.INTEGER, 0, 1, 1), new Column.Text("colour", new String[] {"red", "green", null}),
                new Column.Text("shape", new String[] {"round", "square", "round"})));
        schema.check(frame);
        List<Field> inputs = schema.apply(open(frame), frame);
        assertThat(inputs).extracting(Field::type)
                .containsExactly(FieldType.INTEGER, FieldType.INTEGER, FieldType.BOOLEAN, FieldType.STRING, FieldType.STRING);
        assertThat(inputs.get(0)).isEqualTo(new Field("whole", FieldType.INTEGER, false, null, 0.0, 10.0, null));
        assertThat(inputs.get(1).nullable()).isTrue();
        assertThat(inputs.get(3).domain()).containsExactly("red", "green", "blue");
        assertThat(inputs.get(4).domain()).as("no domain in the schema: the training categories").containsExactly("round", "square");
        assertThat(schema.version()).startsWith("toy v3 sha256:").endsWith(schema.sha256());
    }

    @Test
    @DisplayName("types that contradict the data are refused, naming the column")
    void contradictions() throws IOException {
        Frame fractions = new Frame(List.of(numbers("x", FieldType.DOUBLE, 1.5, 2)));
        assertRefused(schema("  - {name: x, type: INTEGER}\n"), fractions, "'x'");
        assertRefused(schema("  - {name: x, type: STRING}\n"), fractions, "'x'");
        assertRefused(schema("  - {name: x, type: BOOLEAN}\n"), fractions, "'x'");
        Frame text = new Frame(List.of(new Column.Text("t", new String[] {"a"})));
        assertRefused(schema("  - {name: t, type: DOUBLE}\n"), text, "'t'");
        Frame times = new Frame(List.of(numbers("when", FieldType.INTEGER, 1_700_000_000_000d)));
        assertRefused(schema("  - {name: when, type: TIMESTAMP}\n"), times, "'when'");
        assertRefused(schema("  - {name: other, type: TIMESTAMP}\n"), times, "when");
    }

    @Test
    @DisplayName("a missing schema file is an invalid 'schema' parameter")
    void missingFile() {
        assertThatThrownBy(() -> ReviewedSchema.read(dir.resolve("nope.yaml")))
                .isInstanceOfSatisfying(CairnException.class, e -> {
                    assertThat(e.code()).isEqualTo(ErrorCode.INVALID_PARAMETER_VALUE);
                    assertThat(e.getMessage()).contains("'schema'", "nope.yaml");
                });
        assertThat(ReviewedSchema.read(null)).isNull();
    }

    private static void assertRefused(ReviewedSchema schema, Frame frame, String column) {
        assertThatThrownBy(() -> schema.check(frame)).isInstanceOfSatisfying(CairnException.class, e -> {
            assertThat(e.code()).isEqualTo(ErrorCode.INVALID_PARAMETER_VALUE);
            assertThat(e.getMessage()).contains(column);
        });
    }
}
