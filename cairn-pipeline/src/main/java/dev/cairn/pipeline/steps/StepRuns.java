package dev.cairn.pipeline.steps;

import dev.cairn.core.error.CairnException;
import dev.cairn.core.error.ErrorCode;
import dev.cairn.core.store.ArtifactRepository;
import dev.cairn.core.tracking.Run;
import dev.cairn.core.tracking.SystemTags;
import dev.cairn.core.tracking.Tag;
import dev.cairn.data.RunRecorder;
import dev.cairn.pipeline.engine.StepContext;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The step's own tracking run (the child run the engine opens for each step): where data reports go as artifacts,
 * and what the runs a step starts (training, tuning, evaluation) are tagged with, so each can be traced back to the
 * pipeline run and step that made it.
 */
final class StepRuns {
    /** The pipeline run a tracking run was made by. */
    static final String TAG_PIPELINE_RUN = "cairn.pipeline.run_id";
    /** The step (its id) of that pipeline run. */
    static final String TAG_STEP = "cairn.pipeline.step";
    /** The data the step was given, as the spec named it ({@code snapshot:<sha256>} or a path). */
    static final String TAG_DATA = "cairn.pipeline.data";

    private StepRuns() {}

    /** The step's run id; a runner that stores reports needs one, and the engine always opens one. */
    static String require(StepContext context) {
        String id = context.stepRunId();
        if (id == null || id.isBlank()) {
            throw new CairnException(ErrorCode.INVALID_STATE, "Step '" + context.step().id() + "' has no tracking run to store "
                    + "its reports in (the engine opens one per step)", Map.of("step", context.step().id()));
        }
        return id;
    }

    static Run run(StepContext context) {
        return context.tracking().runs().getRun(require(context));
    }

    static ArtifactRepository artifacts(StepContext context) {
        return context.tracking().runArtifacts().apply(run(context).info());
    }

    /** cairn-data's recorder into the step's run: metrics and report artifacts. */
    static RunRecorder dataRecorder(StepContext context) {
        return RunRecorder.of(context.tracking().runs(), require(context), artifacts(context));
    }

    /** {@code runs:/<step-run>/<path>}: how an output names an artifact of the step's run. */
    static String artifactUri(StepContext context, String path) {
        return "runs:/" + require(context) + "/" + path;
    }

    /**
     * Tags for a run a step starts: the pipeline run, the step and, when the step has a run of its own, that run as
     * the parent ({@code mlflow.parentRunId}), so tracking shows the training under the step.
     */
    static Map<String, String> tags(StepContext context) {
        Map<String, String> tags = new LinkedHashMap<>();
        tags.put(TAG_PIPELINE_RUN, context.run().runId());
        tags.put(TAG_STEP, context.step().id());
        if (context.stepRunId() != null && !context.stepRunId().isBlank()) tags.put(SystemTags.PARENT_RUN_ID, context.stepRunId());
        return tags;
    }

    /** Tags a run that a library started without taking tags (an evaluation), as {@link #tags} would have. */
    static void tag(StepContext context, String runId) {
        List<Tag> tags = tags(context).entrySet().stream().map(e -> new Tag(e.getKey(), e.getValue())).toList();
        context.tracking().runs().logBatch(runId, List.of(), List.of(), tags);
    }

    /** A name for a run a step starts: {@code <pipeline>.<step>}. */
    static String runName(StepContext context) {
        return context.run().pipeline() + "." + context.step().id();
    }

    /** The experiment of the step's run, whose earlier runs are the history of the step's metrics. */
    static String experimentId(StepContext context) {
        return run(context).info().experimentId();
    }
}
