package dev.cairn.pipeline.steps;

import dev.cairn.core.error.CairnException;
import dev.cairn.core.error.ErrorCode;
import dev.cairn.core.store.ArtifactRepository;
import dev.cairn.core.uri.ModelReference;
import dev.cairn.data.DataValidation;
import dev.cairn.data.drift.DriftOptions;
import dev.cairn.data.drift.DriftResult;
import dev.cairn.data.drift.FeatureDrift;
import dev.cairn.data.profile.DatasetProfile;
import dev.cairn.data.profile.ProfileJson;
import dev.cairn.data.source.FileSource;
import dev.cairn.pipeline.engine.StepContext;
import dev.cairn.pipeline.engine.StepResult;
import dev.cairn.pipeline.engine.StepRunner;
import dev.cairn.pipeline.spec.StepType;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * {@code drift}: compares current data with a reference column by column (as {@code cairn data drift} does). Either
 * side may be data (a snapshot or a file) or a stored profile: a {@code profile} step's output
 * ({@code runs:/<run>/data/<step>/profile.json}) or a {@code .profile.json} file; when either is a profile, both are
 * compared as profiles (from their sketches). The report goes to the step's run; {@code fail_on_drift} fails the
 * step when the dataset drifts.
 */
public final class DriftStep implements StepRunner {

    /** One side of the comparison: rows to read, or a profile already made. */
    private record Side(Path rows, DatasetProfile profile) {}

    @Override
    public StepType type() {
        return StepType.DRIFT;
    }

    @Override
    public StepResult run(StepContext context) {
        DriftOptions options = options(context);
        DataValidation data = new DataValidation();
        Side reference = side(context, "reference");
        Side current = side(context, "current");
        context.log("Comparing " + context.text("current") + " with " + context.text("reference"));
        context.checkCancelled();
        DriftResult result;
        if (reference.profile() != null || current.profile() != null) {
            DatasetProfile ref = profile(context, data, reference, "reference");
            DatasetProfile cur = profile(context, data, current, "current");
            result = Fields.naming(context, "current", () -> data.drift(ref, cur, options));
        } else {
            result = Fields.naming(context, "current",
                    () -> data.drift(FileSource.of(reference.rows()), FileSource.of(current.rows()), options));
        }
        String name = context.step().id();
        data.record(StepRuns.dataRecorder(context), name, result);
        String report = StepRuns.artifactUri(context, "data/" + name + "/drift.html");
        context.produced("report", report, null);
        context.produced("report", StepRuns.artifactUri(context, "data/" + name + "/drift.json"), null);

        List<String> drifted = result.features().stream().filter(FeatureDrift::drifted).map(FeatureDrift::column).toList();
        context.log(String.format(Locale.ROOT, "%s: %d of %d columns drifted (share %.2f)%s",
                result.datasetDrift() ? "DATASET DRIFT" : "no dataset drift", result.driftedColumns(), result.columns(),
                result.driftShare(), drifted.isEmpty() ? "" : ": " + String.join(", ", drifted)));
        result.skipped().forEach(s -> context.log("not compared: " + s));
        if (result.datasetDrift() && context.bool("fail_on_drift", false)) {
            throw new CairnException(ErrorCode.INVALID_PARAMETER_VALUE, context.field("current") + ": the dataset drifted from "
                    + context.text("reference") + " (" + result.driftedColumns() + " of " + result.columns() + " columns: "
                    + String.join(", ", drifted) + ") and fail_on_drift is set; report " + report,
                    Map.of("field", context.field("current"), "drifted_columns", drifted, "report", report));
        }

        Map<String, Object> outputs = new LinkedHashMap<>();
        outputs.put("drifted", result.datasetDrift());
        outputs.put("drift_share", result.driftShare());
        outputs.put("drifted_columns", drifted);
        outputs.put("report", report);
        return StepResult.of(outputs);
    }

    private static DriftOptions options(StepContext context) {
        Map<String, String> tests = new LinkedHashMap<>();
        context.map("tests").forEach((column, test) -> tests.put(column, String.valueOf(test)));
        DriftOptions d = DriftOptions.DEFAULT;
        double pValue = context.number("p_value").orElse(d.pValueThreshold());
        double distance = context.number("distance").orElse(d.distanceThreshold());
        double share = context.number("share").orElse(d.datasetDriftShare());
        long bins = context.integer("bins").orElse((long) d.bins());
        if (!(pValue > 0 && pValue < 1)) throw CairnException.invalid(context.field("p_value"), pValue, "a number between 0 and 1");
        if (!(distance > 0)) throw CairnException.invalid(context.field("distance"), distance, "a positive number");
        if (!(share > 0 && share <= 1)) throw CairnException.invalid(context.field("share"), share, "a share in (0, 1]");
        if (bins < 2 || bins > 10_000) throw CairnException.invalid(context.field("bins"), bins, "a whole number from 2 to 10000");
        return Fields.naming(context, "tests", () -> new DriftOptions(pValue, distance, share, (int) bins, tests));
    }

    private static Side side(StepContext context, String key) {
        String ref = context.text(key);
        if (ref.startsWith("runs:/")) return new Side(null, runProfile(context, key, ref));
        if (isProfileFile(ref)) {
            Path file = context.workspace().file(context.field(key), ref);
            DatasetProfile profile = Fields.naming(context, key, () -> new DataValidation().readProfile(file));
            context.consumed("file", file.toUri().toString(), null);
            return new Side(null, profile);
        }
        return new Side(context.dataFile(key), null);
    }

    /** {@code cairn data drift}'s rule for a file (a {@code .profile.json}), and the name a profile step stores. */
    private static boolean isProfileFile(String ref) {
        String name = ref.replace('\\', '/');
        name = name.substring(name.lastIndexOf('/') + 1);
        return name.endsWith(".profile.json") || name.equals("profile.json");
    }

    /** A profile stored as a run's artifact, e.g. a profile step's output. */
    private static DatasetProfile runProfile(StepContext context, String key, String ref) {
        return Fields.naming(context, key, () -> {
            if (!(ModelReference.parse(ref) instanceof ModelReference.RunArtifact artifact) || !artifact.path().endsWith(".json")) {
                throw CairnException.invalid(context.field(key), ref, "a profile artifact runs:/<run-id>/<path>.json, data or a .profile.json file");
            }
            ArtifactRepository artifacts = context.tracking().runArtifacts().apply(context.tracking().runs().getRun(artifact.runId()).info());
            if (!artifacts.exists(artifact.path())) throw CairnException.notFound("profile", ref);
            try (InputStream in = artifacts.open(artifact.path())) {
                DatasetProfile profile = ProfileJson.read(new String(in.readAllBytes(), StandardCharsets.UTF_8));
                context.consumed("report", ref, null);
                return profile;
            } catch (IOException e) {
                throw new CairnException(ErrorCode.DATA_LOSS, "Cannot read the profile " + ref + ": " + e.getMessage(), e);
            }
        });
    }

    private static DatasetProfile profile(StepContext context, DataValidation data, Side side, String key) {
        if (side.profile() != null) return side.profile();
        return Fields.naming(context, key, () -> data.profile(FileSource.of(side.rows())));
    }
}
