package dev.cairn.cli.quickstart;

import dev.cairn.client.CairnRun;
import dev.cairn.client.RunOptions;
import dev.cairn.core.tracking.Dataset;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * Records the example's data through the API: a run that logs the dataset as an input (with its
 * SHA-256), its shape as params and metrics, and the file itself as an artifact, so every later
 * run can point at exactly these bytes.
 */
final class DatasetStage implements Stage {

    @Override
    public String title() {
        return "Track: record the dataset (run, params, metrics, artifact) through the REST API";
    }

    @Override
    public void run(Example example) throws IOException {
        String digest = sha256(example.data);
        long rows;
        long bad;
        String header;
        try (BufferedReader reader = Files.newBufferedReader(example.data, StandardCharsets.UTF_8)) {
            header = reader.readLine();
            rows = 0;
            bad = 0;
            for (String line = reader.readLine(); line != null; line = reader.readLine()) {
                if (line.isBlank()) continue;
                rows++;
                if (line.endsWith(",bad")) bad++;
            }
        }
        int columns = header == null ? 0 : header.split(",", -1).length;
        try (CairnRun run = example.client.startRun(Example.EXPERIMENT,
                RunOptions.named("dataset-credit-g").withSource("cairn quickstart"))) {
            // MLflow limits a dataset digest to 36 characters: the first 32 hex digits of the SHA-256
            // identify the file; the whole digest is in the source and in a param.
            String source = "{\"uri\":\"" + example.data.toAbsolutePath().toUri() + "\",\"sha256\":\"" + digest + "\"}";
            run.logInput(new Dataset("credit-g", digest.substring(0, 32), "local", source, null, null), "training");
            run.logParam("dataset.path", example.data.toString());
            run.logParam("dataset.sha256", digest);
            run.logParam("label", Example.LABEL);
            run.logMetric("rows", rows);
            run.logMetric("columns", columns);
            run.logMetric("bad_rate", rows == 0 ? 0 : (double) bad / rows);
            run.logArtifact(example.data, "data");
            example.say("run " + run.runId() + ": " + rows + " rows x " + columns + " columns, sha256 " + digest.substring(0, 12) + "…, "
                    + String.format(java.util.Locale.ROOT, "%.1f%%", 100.0 * bad / Math.max(rows, 1)) + " bad");
        }
    }

    static String sha256(Path file) throws IOException {
        MessageDigest digest;
        try {
            digest = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every JDK", e);
        }
        try (InputStream in = new DigestInputStream(Files.newInputStream(file), digest)) {
            in.transferTo(OutputStream.nullOutputStream());
        }
        return HexFormat.of().formatHex(digest.digest());
    }
}
