package dev.cairn.data.schema;

import dev.cairn.core.schema.Field;
import dev.cairn.core.schema.FieldType;
import java.util.List;

/**
 * One column in a reviewed schema: the core {@link Field} plus the environments it belongs to
 * (empty = every environment), as TFDV marks a label present in TRAINING and absent in SERVING.
 */
public record FieldSpec(String name, FieldType type, Boolean nullable, List<String> domain, Double min, Double max,
                        String description, List<String> environments) {

    public FieldSpec {
        domain = domain == null ? null : List.copyOf(domain);
        environments = environments == null || environments.isEmpty() ? null : List.copyOf(environments);
    }

    public Field toField() {
        return new Field(name, type, nullable == null || nullable, domain, min, max, description);
    }

    public static FieldSpec of(Field f) {
        return new FieldSpec(f.name(), f.type(), f.nullable(), f.domain(), f.min(), f.max(), f.description(), null);
    }

    /** Whether the column belongs in data of this environment (null = no environment given). */
    public boolean inEnvironment(String environment) {
        return environment == null || environments == null || environments.contains(environment);
    }
}
