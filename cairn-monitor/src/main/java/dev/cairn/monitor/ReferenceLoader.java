package dev.cairn.monitor;

import dev.cairn.core.error.CairnException;
import dev.cairn.core.error.ErrorCode;
import dev.cairn.core.store.ArtifactRepository;
import dev.cairn.core.tracking.Run;
import dev.cairn.data.profile.ProfileJson;
import dev.cairn.runtime.pkg.OutputKind;
import dev.cairn.train.evaluation.ModelSource;
import dev.cairn.train.run.ReferenceData;
import dev.cairn.train.tracking.Tracking;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Loads a model version's signature and the reference stored in its training run (see
 * {@link ReferenceData}), once per version: a registered version never changes, so the result is cached.
 */
public final class ReferenceLoader {
    private final Tracking tracking;
    private final Map<String, MonitoredModel> cache = new ConcurrentHashMap<>();

    public ReferenceLoader(Tracking tracking) {
        this.tracking = tracking;
    }

    /** The model {@code name} at {@code version} (a registered version number, or a models:/ or runs:/ URI when name is null). */
    public MonitoredModel load(String name, String version) {
        String uri = name == null ? version : "models:/" + name + "/" + version;
        return cache.computeIfAbsent(uri, u -> read(name, version, u));
    }

    private MonitoredModel read(String name, String version, String uri) {
        ModelSource source = ModelSource.open(uri, tracking);
        var manifest = source.pkg().manifest();
        // The reference is in the version's run, or — for a version registered as a copy of another (a champion
        // carrying a chosen threshold) — in the run that trained it, which its provenance names.
        ArtifactRepository artifacts = null;
        for (String runId : new String[] {source.version() != null ? source.version().runId() : null,
                manifest.provenance() != null ? manifest.provenance().runId() : null}) {
            ArtifactRepository candidate = runArtifacts(runId);
            if (candidate != null && candidate.exists(ReferenceData.PROFILE)) {
                artifacts = candidate;
                break;
            }
            if (artifacts == null) artifacts = candidate;
        }
        String profile = text(artifacts, ReferenceData.PROFILE);
        String predictions = text(artifacts, ReferenceData.PREDICTIONS);
        String multivariate = text(artifacts, "reference/multivariate.json");
        return new MonitoredModel(name == null ? source.registeredName() : name, version, manifest.signature(),
                manifest.thresholdOrDefault(), profile == null ? null : ProfileJson.read(profile),
                predictions == null ? null : predictions(predictions, manifest.signature().output().kind(),
                        manifest.signature().output().classes()), multivariate);
    }

    private ArtifactRepository runArtifacts(String runId) {
        if (runId == null || runId.isBlank()) return null;
        try {
            Run run = tracking.runs().getRun(runId);
            return tracking.runArtifacts().apply(run.info());
        } catch (CairnException e) {
            if (e.code() != ErrorCode.RESOURCE_DOES_NOT_EXIST) throw e;
            return null;
        }
    }

    private static String text(ArtifactRepository artifacts, String path) {
        if (artifacts == null || !artifacts.exists(path)) return null;
        try (InputStream in = artifacts.open(path)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new CairnException(ErrorCode.INTERNAL_ERROR, "Cannot read the model's reference " + path + ": " + e.getMessage(), e);
        }
    }

    /** Parses {@code label,score} lines as ReferenceData writes them (labels quoted when they hold a comma or quote). */
    static MonitoredModel.ReferencePredictions predictions(String csv, OutputKind kind, List<String> classes) {
        List<Double> labels = new ArrayList<>();
        List<Double> scores = new ArrayList<>();
        String[] lines = csv.split("\r?\n");
        for (int i = 1; i < lines.length; i++) {
            String line = lines[i];
            if (line.isBlank()) continue;
            int comma = line.lastIndexOf(',');
            String label = line.substring(0, comma);
            if (label.length() >= 2 && label.startsWith("\"") && label.endsWith("\"")) {
                label = label.substring(1, label.length() - 1).replace("\"\"", "\"");
            }
            double score = Double.parseDouble(line.substring(comma + 1));
            double y = switch (kind) {
                case REGRESSION -> Double.parseDouble(label);
                case BINARY -> label.equals(classes.get(1)) ? 1 : 0;
                case MULTICLASS -> classes.indexOf(label);
            };
            labels.add(y);
            scores.add(score);
        }
        return new MonitoredModel.ReferencePredictions(labels.stream().mapToDouble(Double::doubleValue).toArray(),
                scores.stream().mapToDouble(Double::doubleValue).toArray());
    }
}
