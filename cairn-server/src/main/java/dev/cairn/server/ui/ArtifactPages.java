package dev.cairn.server.ui;

import dev.cairn.core.error.CairnException;
import dev.cairn.core.store.ArtifactInfo;
import dev.cairn.core.store.ArtifactRepository;
import dev.cairn.core.store.MetadataStore;
import dev.cairn.core.tracking.Run;
import dev.cairn.server.tracking.ArtifactLocations;
import io.javalin.http.Context;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * One artifact of a run, previewed: text, JSON and YAML inline (the first {@value #TEXT_LIMIT} bytes), images as
 * images, HTML reports in a sandboxed frame (their own origin, no script), anything else as a download. The raw
 * file is served with a sandboxing policy too, so a stored HTML or SVG file opened on its own cannot run script in
 * Cairn's origin.
 */
public final class ArtifactPages {

    static final int TEXT_LIMIT = 256 * 1024;
    private static final Set<String> TEXT = Set.of("txt", "log", "json", "yaml", "yml", "csv", "tsv", "md", "py", "java", "properties",
            "toml", "ini", "cfg", "sql", "r", "sh", "jsonl", "xml", "mlmodel");
    private static final Map<String, String> IMAGES = Map.of("png", "image/png", "jpg", "image/jpeg", "jpeg", "image/jpeg",
            "gif", "image/gif", "svg", "image/svg+xml", "webp", "image/webp");
    private static final Set<String> HTML = Set.of("html", "htm");

    private final MetadataStore store;
    private final ArtifactLocations locations;
    private final Pages pages;

    ArtifactPages(MetadataStore store, ArtifactRepository artifacts, Pages pages) {
        this.store = store;
        this.locations = new ArtifactLocations(artifacts);
        this.pages = pages;
    }

    /** kind is one of text, image, html, binary. */
    public record ArtifactView(String runId, String runName, String runHref, String path, String kind, long size, String sha256,
                               String text, boolean truncated, String rawHref) {}

    void preview(Context ctx) {
        Run run = store.runs().getRun(ctx.pathParam("id"));
        String path = path(ctx);
        ArtifactRepository repository = locations.open(run.info().artifactUri());
        ArtifactInfo info = repository.stat(path);
        String kind = kind(path);
        String text = null;
        boolean truncated = false;
        if (kind.equals("text")) {
            try (InputStream in = repository.open(path)) {
                byte[] head = in.readNBytes(TEXT_LIMIT);
                truncated = info.size() > head.length;
                text = new String(head, StandardCharsets.UTF_8);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        String raw = Links.withQuery(Links.run(run.info().runId()) + "/artifact/raw", java.util.List.of(Map.entry("path", path)));
        String name = ExperimentPages.displayName(run);
        pages.render(ctx, "artifact.jte", path, "experiments", new ArtifactView(run.info().runId(), name, Links.run(run.info().runId()),
                path, kind, info.size(), info.sha256(), text, truncated, raw));
    }

    void raw(Context ctx) {
        SecurityHeaders.artifact(ctx);
        Run run = store.runs().getRun(ctx.pathParam("id"));
        String path = path(ctx);
        ArtifactRepository repository = locations.open(run.info().artifactUri());
        repository.stat(path);
        String extension = extension(path);
        String type = HTML.contains(extension) ? "text/html; charset=utf-8"
                : IMAGES.containsKey(extension) ? IMAGES.get(extension)
                : TEXT.contains(extension) ? "text/plain; charset=utf-8" : "application/octet-stream";
        if (type.equals("application/octet-stream")) {
            String file = path.substring(path.lastIndexOf('/') + 1).replaceAll("[^A-Za-z0-9._-]", "_");
            ctx.header("Content-Disposition", "attachment; filename=\"" + file + "\"");
        }
        ctx.contentType(type).result(repository.open(path));
    }

    private static String path(Context ctx) {
        String path = ctx.queryParam("path");
        if (path == null || path.isBlank()) throw CairnException.invalid("path", path, "an artifact path relative to the run's root");
        return path;
    }

    static String kind(String path) {
        String extension = extension(path);
        if (TEXT.contains(extension) || path.endsWith("MLmodel")) return "text";
        if (IMAGES.containsKey(extension)) return "image";
        if (HTML.contains(extension)) return "html";
        return "binary";
    }

    private static String extension(String path) {
        String file = path.substring(path.lastIndexOf('/') + 1);
        int dot = file.lastIndexOf('.');
        return dot < 0 ? "" : file.substring(dot + 1).toLowerCase(Locale.ROOT);
    }
}
