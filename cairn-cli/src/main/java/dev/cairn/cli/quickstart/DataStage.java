package dev.cairn.cli.quickstart;

import dev.cairn.client.CairnRun;
import dev.cairn.client.RunOptions;
import dev.cairn.core.error.CairnException;
import dev.cairn.core.error.ErrorCode;
import dev.cairn.core.hash.Sha256;
import dev.cairn.core.tracking.Dataset;
import dev.cairn.data.DataValidation;
import dev.cairn.data.ProfiledValidation;
import dev.cairn.data.RunRecorder;
import dev.cairn.data.check.CheckResult;
import dev.cairn.data.history.MetricsHistory;
import dev.cairn.data.schema.DataSpec;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * Records the example's data and validates it, through the REST API: a run that logs the dataset
 * as an input (with its SHA-256), profiles it and validates it against the reviewed
 * {@code schema.yaml}, and stores the profile and validation reports (HTML and JSON) and their
 * metrics with the run. An error-severity check that fails stops the example, as it would stop a
 * pipeline.
 */
final class DataStage implements Stage {

    @Override
    public String title() {
        return "Data: record the dataset, profile it and validate it against its reviewed schema";
    }

    @Override
    public void run(Example example) throws IOException {
        String digest = Sha256.of(example.data, "data");
        DataValidation data = new DataValidation();
        DataSpec spec = data.readSpec(example.folder.resolve("schema.yaml"));
        ProfiledValidation result = data.profileAndValidate(DataValidation.file(example.data), spec, "TRAINING", MetricsHistory.NONE);

        try (CairnRun run = example.client.startRun(Example.EXPERIMENT,
                RunOptions.named("validate-credit-g").withSource("cairn quickstart"))) {
            Path reports = example.home.resolve("reports").resolve(run.runId());
            // MLflow limits a dataset digest to 36 characters: the first 32 hex digits of the SHA-256
            // name the file; the whole digest is in the source and in a param.
            String source = "{\"uri\":\"" + example.data.toAbsolutePath().toUri() + "\",\"sha256\":\"" + digest + "\"}";
            run.logInput(new Dataset("credit-g", digest.substring(0, 32), "local", source, null, null), "training");
            run.logParam("dataset.sha256", digest);
            run.logParam("schema", example.folder.resolve("schema.yaml").toString());
            run.logParam("label", Example.LABEL);

            Staged staged = new Staged(run, reports);
            data.record(staged, "credit-g", result.profile());
            data.record(staged, "credit-g", result.validation());
            run.logArtifact(reports.resolve("data"), "");

            var validation = result.validation();
            example.say("run " + run.runId() + ": " + validation.rowCount() + " rows, sha256 " + digest.substring(0, 12) + "…");
            example.say(String.format(Locale.ROOT, "validation: %d checks, %d failed errors, %d failed warnings -> %s",
                    validation.checks(), validation.failedErrors(), validation.failedWarnings(),
                    validation.success() ? "PASSED" : "FAILED"));
            for (CheckResult failed : validation.failures()) {
                example.say("  " + failed.severity() + " " + failed.name() + ": observed " + (failed.observedText() != null ? failed.observedText() : failed.observed()) + ", expected " + failed.expected());
            }
            example.say("reports: " + reports.resolve("data/credit-g/validation.html"));
            example.pointTo("data validation report", reports.resolve("data/credit-g/validation.html").toString());
            example.pointTo("data profile report", reports.resolve("data/credit-g/profile.html").toString());
            if (!validation.success()) {
                throw new CairnException(ErrorCode.INVALID_STATE, "the credit data failed " + validation.failedErrors()
                        + " error-severity checks; see " + reports.resolve("data/credit-g/validation.html"));
            }
        }
    }

    /** Writes a run's data artifacts into a local folder (uploaded as a whole afterwards) and logs its metrics through the API. */
    private record Staged(CairnRun run, Path folder) implements RunRecorder {
        @Override
        public void logMetrics(Map<String, Double> metrics) {
            Map<String, Double> valid = new LinkedHashMap<>();
            metrics.forEach((key, value) -> {
                if (value != null && !value.isNaN()) valid.put(RunRecorder.metricKey(key), value);
            });
            run.logMetrics(valid, 0);
        }

        @Override
        public void putArtifact(String path, String content) {
            try {
                Path file = folder.resolve(path);
                Files.createDirectories(file.getParent());
                Files.writeString(file, content, StandardCharsets.UTF_8);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }
}
