package dev.cairn.pipeline.steps;

import dev.cairn.data.DataValidation;
import dev.cairn.data.engine.DataEngine;
import dev.cairn.data.profile.DatasetProfile;
import dev.cairn.data.source.FileSource;
import dev.cairn.pipeline.engine.StepContext;
import dev.cairn.pipeline.engine.StepResult;
import dev.cairn.pipeline.engine.StepRunner;
import dev.cairn.pipeline.spec.StepType;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * {@code profile}: per-column statistics and sketches of the data (as {@code cairn data profile} computes them),
 * stored in the step's run as {@code data/<step>/profile.json} (what a {@code drift} step takes as its reference)
 * and {@code profile.html}, with the completeness metrics. With {@code engine: spark} it is profiled on Spark
 * ({@link StepEngine}): the same profile, its quantiles within the sketches' rank error.
 */
public final class ProfileStep implements StepRunner {
    private final DataEngine.Factory spark;

    /** On DuckDB only: {@code engine: spark} is refused. */
    public ProfileStep() {
        this(null);
    }

    /** With {@code spark} for steps that say {@code engine: spark} (null: none). */
    public ProfileStep(DataEngine.Factory spark) {
        this.spark = spark;
    }

    @Override
    public StepType type() {
        return StepType.PROFILE;
    }

    @Override
    public StepResult run(StepContext context) {
        Path rows = context.dataFile("data");
        DataValidation data = new DataValidation();
        context.log("Profiling " + context.text("data"));
        context.checkCancelled();
        DatasetProfile profile;
        try (DataEngine engine = StepEngine.open(context, spark)) {
            profile = Fields.naming(context, "data", () -> engine == null ? data.profile(FileSource.of(rows)) : engine.profile(rows.toString()));
        }
        String name = context.step().id();
        data.record(StepRuns.dataRecorder(context), name, profile);
        String json = StepRuns.artifactUri(context, "data/" + name + "/profile.json");
        String html = StepRuns.artifactUri(context, "data/" + name + "/profile.html");
        context.produced("report", json, null);
        context.produced("report", html, null);
        context.log("Profiled " + profile.rowCount() + " rows, " + profile.columns().size() + " columns"
                + (profile.malformedRowCount() > 0 ? ", " + profile.malformedRowCount() + " malformed rows skipped" : ""));
        Map<String, Object> outputs = new LinkedHashMap<>();
        outputs.put("profile", json);
        outputs.put("report", html);
        return StepResult.of(outputs);
    }
}
