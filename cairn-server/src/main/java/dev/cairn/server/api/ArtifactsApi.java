package dev.cairn.server.api;

import static dev.cairn.server.auth.ResourceLocator.experimentOfRun;
import static dev.cairn.server.auth.ResourceLocator.path;

import dev.cairn.core.auth.Permission;
import dev.cairn.core.error.CairnException;
import dev.cairn.core.store.ArtifactInfo;
import dev.cairn.core.store.ArtifactRepository;
import dev.cairn.core.store.RunStore;
import dev.cairn.core.tracking.RunInfo;
import dev.cairn.server.auth.Access;
import dev.cairn.server.tracking.ArtifactLocations;
import io.javalin.http.Context;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.List;

/**
 * A run's artifacts: upload (the raw body streamed to the repository, never held whole in
 * memory), download (streamed, checksum verified) and listing.
 */
public final class ArtifactsApi {

    static final String ARTIFACTS = RunsApi.BASE + "/{run_id}/artifacts";
    /** The SHA-256 recorded when the file was written; clients verify the bytes they receive against it. */
    public static final String SHA256_HEADER = "X-Cairn-Sha256";

    public record ArtifactList(String rootUri, String path, List<ArtifactInfo> files) {}

    private final RunStore runs;
    private final ArtifactLocations locations;

    public ArtifactsApi(RunStore runs, ArtifactLocations locations) {
        this.runs = runs;
        this.locations = locations;
    }

    public List<ApiRoute> routes() {
        return List.of(
                ApiRoute.put(ARTIFACTS + "/<path>", "Upload a file as the run's artifact at path (raw body)")
                        .tag("artifacts").rawBody("application/octet-stream").returns(ArtifactInfo.class).status(201)
                        .access(Access.experiment(experimentOfRun(path("run_id")), Permission.EDIT)).handle(this::upload),
                ApiRoute.get(ARTIFACTS + "/<path>", "Download one of the run's artifact files; header "
                                + SHA256_HEADER + " carries its SHA-256")
                        .tag("artifacts").returnsRaw("application/octet-stream").access(Access.experiment(experimentOfRun(path("run_id")), Permission.READ)).handle(this::download),
                ApiRoute.get(ARTIFACTS, "List the run's artifacts in a directory").tag("artifacts")
                        .query("path", "string", "A directory relative to the run's artifact root (default: the root)")
                        .returns(ArtifactList.class).access(Access.experiment(experimentOfRun(path("run_id")), Permission.READ)).handle(this::list));
    }

    private ArtifactRepository repository(Context ctx) {
        RunInfo info = runs.getRun(ctx.pathParam("run_id")).info();
        return locations.open(info.artifactUri());
    }

    private void upload(Context ctx) throws IOException {
        ArtifactRepository repository = repository(ctx);
        String path = ctx.pathParam("path");
        try (InputStream body = ctx.req().getInputStream()) {
            ArtifactInfo info = repository.put(path, body);
            ctx.status(201).json(info);
        }
    }

    private void download(Context ctx) throws IOException {
        ArtifactRepository repository = repository(ctx);
        String path = ctx.pathParam("path");
        ArtifactInfo info = repository.stat(path);
        if (info.isDirectory()) {
            throw CairnException.invalid("path", path, "a file; it is a directory (list it with GET " + ARTIFACTS + "?path=…)");
        }
        ctx.disableCompression();
        ctx.status(200).contentType(contentType(path));
        ctx.header("Content-Length", Long.toString(info.size()));
        if (info.sha256() != null) ctx.header(SHA256_HEADER, info.sha256());
        ctx.header("X-Content-Type-Options", "nosniff");
        try (InputStream in = repository.open(path)) {
            copyHoldingBackLastChunk(in, ctx.outputStream());
        }
    }

    /**
     * Reports people read (HTML, JSON, images) are served with their own type so that a browser shows
     * them; anything else is bytes. The reports are self-contained (no scripts from elsewhere), and
     * {@code nosniff} stops a browser from guessing another type.
     */
    static String contentType(String path) {
        String lower = path.toLowerCase(java.util.Locale.ROOT);
        if (lower.endsWith(".html") || lower.endsWith(".htm")) return "text/html; charset=utf-8";
        if (lower.endsWith(".json")) return "application/json";
        if (lower.endsWith(".yaml") || lower.endsWith(".yml") || lower.endsWith(".txt") || lower.endsWith(".csv")) return "text/plain; charset=utf-8";
        if (lower.endsWith(".svg")) return "image/svg+xml";
        if (lower.endsWith(".png")) return "image/png";
        return "application/octet-stream";
    }

    /**
     * Copies {@code in} to {@code out}, writing each chunk only once the next read succeeded. The
     * repository's stream verifies the checksum when it reaches its end and throws DATA_LOSS there;
     * holding back the last chunk means a corrupt file is never sent whole: the client gets an error
     * (small files) or a response shorter than its Content-Length (large ones), never wrong bytes
     * that look complete.
     */
    static void copyHoldingBackLastChunk(InputStream in, OutputStream out) throws IOException {
        final int size = 64 * 1024;
        byte[] pending = new byte[size];
        byte[] next = new byte[size];
        // readNBytes returns fewer bytes than asked only when it met the end of the stream, which is
        // where the checksum is verified: a short chunk is therefore known good before it is written.
        int pendingLength = in.readNBytes(pending, 0, size);
        while (pendingLength > 0) {
            int nextLength = pendingLength < size ? 0 : in.readNBytes(next, 0, size);
            out.write(pending, 0, pendingLength);
            byte[] swap = pending;
            pending = next;
            next = swap;
            pendingLength = nextLength;
        }
        out.flush();
    }

    private void list(Context ctx) {
        RunInfo info = runs.getRun(ctx.pathParam("run_id")).info();
        String path = ctx.queryParam("path") == null ? "" : ctx.queryParam("path");
        ArtifactRepository repository = locations.open(info.artifactUri());
        ctx.json(new ArtifactList(info.artifactUri(), path, repository.list(path)));
    }
}
