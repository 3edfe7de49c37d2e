package dev.cairn.runtime.pkg;

import dev.cairn.core.schema.Field;
import dev.cairn.core.schema.Schema;
import java.util.List;
import java.util.Optional;

/**
 * What a model accepts and returns. Each input is a {@link Field}: name, type, nullability, and a
 * categorical domain or a numeric range; inputs are checked against it before every prediction,
 * and {@code policy} says whether a value outside a domain or range is refused.
 */
public record Signature(List<Field> inputs, OutputSpec output, InputPolicy policy) {

    public Signature {
        inputs = List.copyOf(inputs);
        if (policy == null) policy = InputPolicy.REFUSE_ALL;
    }

    public Signature(List<Field> inputs, OutputSpec output) {
        this(inputs, output, InputPolicy.REFUSE_ALL);
    }

    public Schema inputSchema() {
        return new Schema(inputs);
    }

    public Optional<Field> input(String name) {
        return inputs.stream().filter(f -> f.name().equals(name)).findFirst();
    }

    public List<String> inputNames() {
        return inputs.stream().map(Field::name).toList();
    }
}
