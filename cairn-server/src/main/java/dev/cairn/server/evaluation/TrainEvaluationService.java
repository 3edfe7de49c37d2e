package dev.cairn.server.evaluation;

import dev.cairn.core.access.DataAccess;
import dev.cairn.core.error.CairnException;
import dev.cairn.core.store.ArtifactRepository;
import dev.cairn.core.store.MetadataStore;
import dev.cairn.server.tracking.ModelResolver;
import dev.cairn.train.evaluation.EvaluationResult;
import dev.cairn.train.evaluation.EvaluationSpec;
import dev.cairn.train.evaluation.Evaluations;
import dev.cairn.train.evaluation.Promotion;
import dev.cairn.train.evaluation.Verdict;
import dev.cairn.train.tracking.Tracking;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The evaluation endpoints' service, backed by {@code dev.cairn.train.evaluation}: evaluates a
 * candidate against the alias holder and promotes on a recorded verdict.
 */
public final class TrainEvaluationService implements EvaluationService {
    private final Tracking tracking;
    private final DataAccess access;
    private final ModelResolver models;

    /**
     * {@code access}: the files requests may name as evaluation data; {@code models}: the candidate and its
     * comparison must be models in the server's artifact store.
     */
    public TrainEvaluationService(Tracking tracking, DataAccess access, ModelResolver models) {
        this.tracking = tracking;
        this.access = access;
        this.models = models;
    }

    /** The {@code /api/v1/evaluations} route group over a server's stores; run artifacts are resolved under {@code artifacts}. */
    public static EvaluationApi routes(MetadataStore store, ArtifactRepository artifacts, DataAccess access) {
        return new EvaluationApi(store.runs(), artifacts, new TrainEvaluationService(Tracking.of(store), access, new ModelResolver(store, artifacts)));
    }

    @Override
    public Map<String, Object> evaluate(EvaluationRequest r) {
        models.resolveInArtifactStore("model", r.model());
        Path data = access.existingFile("data", r.data(), "an existing .csv, .parquet or .jsonl file under the server's data roots");
        EvaluationSpec spec = new EvaluationSpec(r.model(), data, r.label(), r.positiveClass(), r.registeredModel(), r.against(),
                r.businessMetric(), r.thresholdTarget(), r.thresholds(), r.slices(), r.sensitive(), r.experiment(),
                r.seed() == null ? 42 : r.seed(), r.minGroupSize());
        EvaluationResult result = Evaluations.evaluate(spec, tracking);
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("run_id", result.runId());
        out.put("blessed", result.verdict().blessed());
        out.put("report_html_uri", result.reportHtmlUri());
        out.put("report_json_uri", result.reportJsonUri());
        if (result.thresholdedModelUri() != null) out.put("thresholded_model_uri", result.thresholdedModelUri());
        out.put("metrics", result.report().candidate().metrics());
        out.put("verdict", result.verdict());
        return out;
    }

    @Override
    public Promoted promote(String runId, PromotionRequest r, String actor) {
        Verdict verdict = Evaluations.verdictOf(runId, tracking);
        String name = r.name() != null ? r.name() : verdict.registeredName();
        Long version = r.version() != null ? r.version() : verdict.candidateVersion();
        if (name == null || version == null) {
            throw CairnException.invalid("version", null, "the registered model name and version to promote (the evaluated model was not registered)");
        }
        Promotion.Outcome outcome = Promotion.promote(tracking.registry(), name, version, verdict, actor, Boolean.TRUE.equals(r.force()), r.reason());
        return new Promoted(outcome.version(), outcome.request());
    }
}
