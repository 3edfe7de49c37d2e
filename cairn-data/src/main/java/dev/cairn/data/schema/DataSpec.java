package dev.cairn.data.schema;

import dev.cairn.core.schema.Schema;
import java.util.List;
import java.util.Optional;

/**
 * A reviewed, versioned YAML document: the dataset's schema (fields with types, nullability,
 * domains, ranges and environments) and the checks to run on it. {@link SpecYaml} reads and writes it.
 * {@code unexpectedColumns} is the severity of the check that fails for a column the data has and the
 * schema does not list ({@code unexpected_columns: error} or {@code warning}, the default).
 */
public record DataSpec(Integer version, String dataset, List<String> environments, Severity unexpectedColumns,
                       List<FieldSpec> fields, List<CheckSpec> checks) {

    public DataSpec(Integer version, String dataset, List<String> environments, List<FieldSpec> fields, List<CheckSpec> checks) {
        this(version, dataset, environments, null, fields, checks);
    }

    public DataSpec {
        version = version == null ? 1 : version;
        environments = environments == null ? List.of() : List.copyOf(environments);
        fields = fields == null ? List.of() : List.copyOf(fields);
        checks = checks == null ? List.of() : List.copyOf(checks);
    }

    /** The severity of a column the data has and the schema does not list: warning unless the spec says. */
    public Severity unexpectedColumnSeverity() {
        return unexpectedColumns == null ? Severity.WARNING : unexpectedColumns;
    }

    public Schema schema() {
        return new Schema(fields.stream().map(FieldSpec::toField).toList());
    }

    /** The schema of the fields that belong in one environment. */
    public Schema schema(String environment) {
        return new Schema(fields.stream().filter(f -> f.inEnvironment(environment)).map(FieldSpec::toField).toList());
    }

    public Optional<FieldSpec> field(String name) {
        return fields.stream().filter(f -> f.name().equals(name)).findFirst();
    }

    public DataSpec withChecks(List<CheckSpec> newChecks) {
        return new DataSpec(version, dataset, environments, unexpectedColumns, fields, newChecks);
    }
}
