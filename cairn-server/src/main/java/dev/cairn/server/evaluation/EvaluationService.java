package dev.cairn.server.evaluation;

import dev.cairn.core.registry.AliasRequest;
import dev.cairn.core.registry.ModelVersion;
import java.util.List;
import java.util.Map;

/**
 * What the evaluation endpoints call to evaluate and to promote; {@link TrainEvaluationService} is
 * the implementation over {@code dev.cairn.train.evaluation}, kept behind this interface so the
 * endpoints' tests and the HTTP shapes do not depend on how evaluation is computed.
 */
public interface EvaluationService {

    /**
     * The body of {@code POST /api/v1/evaluations}; {@code data} is a file on the server's disk;
     * {@code minGroupSize} (default 30) the fewest rows a sensitive group needs to count in the fairness gaps.
     */
    record EvaluationRequest(String model, String data, String label, String positiveClass, String registeredModel, String against,
                             String businessMetric, String thresholdTarget, List<String> thresholds, List<String> slices,
                             List<String> sensitive, String experiment, Long seed, Integer minGroupSize) {}

    /** The body of {@code POST /api/v1/evaluations/{run_id}/promote}. */
    record PromotionRequest(String name, Long version, Boolean force, String reason, String user) {}

    /**
     * Runs one evaluation and returns what to answer: at least {@code run_id}, {@code blessed},
     * {@code verdict} and the report URIs.
     */
    Map<String, Object> evaluate(EvaluationRequest request);

    /** What a promotion did: the alias moved to {@code version}, or (a protected alias) {@code request} awaits approval. */
    record Promoted(ModelVersion version, AliasRequest request) {}

    /** Promotes a version on the verdict recorded by evaluation run {@code runId}, or refuses with INVALID_STATE. */
    Promoted promote(String runId, PromotionRequest request, String actor);
}
