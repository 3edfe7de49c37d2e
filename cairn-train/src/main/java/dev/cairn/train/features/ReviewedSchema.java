package dev.cairn.train.features;

import dev.cairn.core.error.CairnException;
import dev.cairn.core.schema.Field;
import dev.cairn.core.schema.FieldType;
import dev.cairn.data.DataValidation;
import dev.cairn.data.schema.DataSpec;
import dev.cairn.data.schema.FieldSpec;
import dev.cairn.runtime.pkg.InputPolicy;
import dev.cairn.train.data.Column;
import dev.cairn.train.data.Fingerprint;
import dev.cairn.train.data.Frame;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * A reviewed data schema (cairn-data's YAML spec) that a training turns into its model's
 * signature, so serving validates requests against what a person reviewed rather than against
 * what the training rows happened to hold (as TFX's schema drives serving-time validation).
 *
 * <p>For every signature input the schema's {@code nullable}, {@code min} and {@code max} replace
 * the trainer's (open) ones; a text input takes the schema's {@code domain} when it has one. The
 * one-hot categories stay those of the training rows: a category the schema allows but training
 * never saw passes the door and encodes as all zeros. Types stay as the data was read, except
 * where the schema's type is compatible and more precise: INTEGER over DOUBLE data whose values
 * are all whole, BOOLEAN over numeric data whose values are all 0 or 1. A DOUBLE schema over
 * INTEGER data keeps INTEGER (the model only ever saw whole numbers). Anything else that differs
 * (text vs numbers, a timestamp vs plain numbers) contradicts the data and is refused.
 */
public record ReviewedSchema(Path path, String sha256, DataSpec spec) {

    /** Ranges and domains a person reviewed are the contract: values outside them are refused. */
    public static final InputPolicy POLICY = InputPolicy.REFUSE_ALL;

    /** Reads the spec at {@code path}; null when no schema was given. */
    public static ReviewedSchema read(Path path) {
        if (path == null) return null;
        if (!Files.isRegularFile(path)) {
            throw CairnException.invalid("schema", path.toString(), "an existing YAML data schema file");
        }
        DataSpec spec = new DataValidation().readSpec(path);
        return new ReviewedSchema(path.toAbsolutePath().normalize(), Fingerprint.sha256(path), spec);
    }

    /** What a model package's provenance records as the schema's version: dataset, version and digest. */
    public String version() {
        String name = spec.dataset() == null ? path.getFileName().toString() : spec.dataset();
        return name + " v" + spec.version() + " sha256:" + sha256;
    }

    /**
     * Checks every feature column against the schema before anything is fitted, so a schema that
     * does not fit the data fails the run at once, naming the column.
     */
    public void check(Frame features) {
        for (Column column : features.columns()) refinedType(column, fieldFor(column.name()));
    }

    /** The signature inputs as the reviewed schema says them; {@code features} are the training rows' columns. */
    public List<Field> apply(List<Field> inputs, Frame features) {
        List<Field> out = new ArrayList<>(inputs.size());
        for (Field input : inputs) {
            FieldSpec reviewed = fieldFor(input.name());
            Column column = features.has(input.name()) ? features.column(input.name(), "schema") : null;
            FieldType type = column == null ? input.type() : refinedType(column, reviewed);
            List<String> domain = input.domain();
            if (type == FieldType.STRING && reviewed.domain() != null) domain = reviewed.domain();
            String description = reviewed.description() != null ? reviewed.description() : input.description();
            boolean nullable = reviewed.nullable() == null || reviewed.nullable();
            out.add(new Field(input.name(), type, nullable, domain, reviewed.min(), reviewed.max(), description));
        }
        return List.copyOf(out);
    }

    private FieldSpec fieldFor(String column) {
        return spec.field(column).orElseThrow(() -> CairnException.invalid("schema", column,
                "a field in " + path + " for every feature column; it has none for '" + column
                        + "' (add the field to the schema, or drop the column)"));
    }

    private FieldType refinedType(Column column, FieldSpec reviewed) {
        FieldType read = column.type();
        FieldType wanted = reviewed.type();
        if (read == wanted) return read;
        if (column instanceof Column.Numeric numeric) {
            if (wanted == FieldType.DOUBLE && (read == FieldType.INTEGER || read == FieldType.BOOLEAN)) return read;
            if (wanted == FieldType.INTEGER && read == FieldType.DOUBLE && all(numeric, v -> v == Math.rint(v))) return wanted;
            if (wanted == FieldType.BOOLEAN && read != FieldType.TIMESTAMP && all(numeric, v -> v == 0 || v == 1)) return wanted;
        }
        throw CairnException.invalid("schema: " + column.name() + ".type", wanted.name(),
                "a type that fits column '" + column.name() + "' of the data, which holds " + describe(read)
                        + " (fix the schema's type for '" + column.name() + "', or drop the column)");
    }

    private static boolean all(Column.Numeric column, java.util.function.DoublePredicate test) {
        for (double v : column.values()) if (!Double.isNaN(v) && !test.test(v)) return false;
        return true;
    }

    private static String describe(FieldType type) {
        return switch (type) {
            case STRING -> "text";
            case INTEGER -> "whole numbers (INTEGER)";
            case DOUBLE -> "numbers with fractions (DOUBLE)";
            case BOOLEAN -> "booleans";
            case TIMESTAMP -> "timestamps";
        };
    }
}
