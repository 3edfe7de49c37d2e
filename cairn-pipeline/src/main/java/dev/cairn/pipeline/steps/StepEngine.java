package dev.cairn.pipeline.steps;

import dev.cairn.core.error.CairnException;
import dev.cairn.core.error.ErrorCode;
import dev.cairn.data.engine.DataEngine;
import dev.cairn.data.engine.Engines;
import dev.cairn.pipeline.engine.StepContext;
import java.util.Map;
import java.util.Optional;

/**
 * A data step's {@code engine} ({@code duckdb}, the default, or {@code spark}) and {@code spark_master}. cairn-pipeline
 * does not depend on Spark: whoever has it (the CLI) injects a {@link DataEngine.Factory}; a runner without one (the
 * server's) refuses {@code engine: spark}, as does a JVM without Spark's jars, with the CLI's {@code --engine} message.
 */
public final class StepEngine {
    private StepEngine() {}

    /** The Spark engine the step asks for, started; null when it runs on DuckDB. */
    public static DataEngine open(StepContext context, DataEngine.Factory spark) {
        Optional<String> master = context.optionalText("spark_master").map(String::strip);
        if (!Engines.isSpark(context.field("engine"), context.optionalText("engine").orElse(null))) {
            if (master.isPresent()) throw CairnException.invalid(context.field("spark_master"), master.get(), "engine: spark as well");
            return null;
        }
        Engines.requireSpark("engine: spark (" + context.field("engine") + ")", context.field("engine"));
        if (spark == null) {
            throw new CairnException(ErrorCode.INVALID_PARAMETER_VALUE, context.field("engine") + ": spark cannot run here: this "
                    + "runner has no Spark engine (run the pipeline with the cairn CLI, see docs/spark.md)",
                    Map.of("field", context.field("engine"), "value", Engines.SPARK));
        }
        context.log("On Spark (" + master.orElse("local[*]") + ")");
        return spark.start(master.orElse(null));
    }
}
