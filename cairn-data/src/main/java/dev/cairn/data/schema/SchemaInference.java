package dev.cairn.data.schema;

import dev.cairn.core.schema.FieldType;
import dev.cairn.data.profile.ColumnProfile;
import dev.cairn.data.profile.DatasetProfile;
import dev.cairn.data.profile.ValueCount;
import dev.cairn.data.source.ColumnKind;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.ArrayList;
import java.util.List;

/**
 * Infers a first {@link DataSpec} from a profile, for a person to review: types, nullability,
 * categorical domains (text columns with at most 100 distinct values, as TFDV), numeric ranges,
 * and Deequ-style suggested checks (completeness of nullable columns, uniqueness of key-like
 * columns, a lower bound on the row count). With a label column, the label belongs to TRAINING
 * only and the spec declares the TRAINING and SERVING environments.
 */
public final class SchemaInference {
    public static final int MAX_DOMAIN_SIZE = 100;
    public static final String TRAINING = "TRAINING";
    public static final String SERVING = "SERVING";

    private SchemaInference() {}

    public static DataSpec infer(DatasetProfile profile, String datasetName, String labelColumn) {
        List<FieldSpec> fields = new ArrayList<>();
        List<CheckSpec> checks = new ArrayList<>();
        for (ColumnProfile c : profile.columns()) {
            FieldType type = ColumnKind.fieldType(c.duckType());
            boolean nullable = c.missing() > 0;
            List<String> domain = null;
            Double min = null;
            Double max = null;
            if (c.kind() == ColumnKind.STRING && c.strings() != null && c.strings().distinctExact()
                    && c.strings().distinct() <= MAX_DOMAIN_SIZE && c.strings().distinct() > 0
                    && c.strings().distinct() * 2 <= c.present()) {
                domain = c.strings().topValues().stream().map(ValueCount::value).sorted().toList();
            }
            if (c.kind() == ColumnKind.NUMERIC && c.numeric() != null) {
                min = c.numeric().min();
                max = c.numeric().max();
            }
            boolean isLabel = c.name().equals(labelColumn);
            fields.add(new FieldSpec(c.name(), type, nullable, domain, min, max, null, isLabel ? List.of(TRAINING) : null));
            if (nullable) {
                double floor = BigDecimal.valueOf(c.completeness()).setScale(2, RoundingMode.FLOOR).doubleValue();
                checks.add(CheckSpec.of("completeness", c.name()).withMinCompleteness(floor).withSeverity(Severity.WARNING));
            }
            long distinct = c.kind() == ColumnKind.NUMERIC ? c.numeric().distinct() : c.strings().distinct();
            boolean exactDistinct = c.kind() != ColumnKind.NUMERIC && c.strings().distinctExact();
            if (!nullable && profile.rowCount() > 1 && (type == FieldType.INTEGER || type == FieldType.STRING)
                    && (exactDistinct ? distinct == profile.rowCount() : distinct >= profile.rowCount() * 0.98)
                    && looksLikeKey(c)) {
                checks.add(CheckSpec.of("unique", c.name()));
            }
        }
        if (profile.rowCount() > 0) {
            checks.add(0, new CheckSpec("row_count", null, null, null, 1.0, null, null, null, null, null, null, null, null,
                    null, Severity.ERROR, "the dataset is not empty"));
        }
        List<String> environments = labelColumn == null ? List.of() : List.of(TRAINING, SERVING);
        return new DataSpec(1, datasetName, environments, fields, checks);
    }

    /** Integers whose values are all distinct are keys only if they look like ids, not like measurements. */
    private static boolean looksLikeKey(ColumnProfile c) {
        String n = c.name().toLowerCase();
        return c.kind() != ColumnKind.NUMERIC || n.equals("id") || n.endsWith("_id") || n.endsWith("id") || n.endsWith("key");
    }
}
