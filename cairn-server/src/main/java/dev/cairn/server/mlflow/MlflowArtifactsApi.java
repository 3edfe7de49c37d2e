package dev.cairn.server.mlflow;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.cairn.core.auth.Permission;
import dev.cairn.core.error.CairnException;
import dev.cairn.core.error.ErrorCode;
import dev.cairn.core.store.ArtifactInfo;
import dev.cairn.core.store.ArtifactRepository;
import dev.cairn.server.ApiRoutes;
import dev.cairn.server.auth.Access;
import dev.cairn.server.auth.ResourceLocator;
import dev.cairn.server.auth.RouteAccess;
import io.javalin.config.JavalinConfig;
import io.javalin.http.Context;
import io.javalin.http.Handler;
import io.javalin.http.HandlerType;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URI;
import java.net.URLConnection;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * MLflow's proxied-artifact API ({@code mlflow/protos/mlflow_artifacts.proto}), as
 * {@code mlflow server --serve-artifacts} serves it: files under the server's artifact root,
 * addressed by paths relative to it. Uploads and downloads are streamed, never held in memory.
 *
 * <p>Multipart uploads follow MLflow's protocol: {@code mpu/create} answers with one
 * "credential" URL per part, the client PUTs each part's bytes to its URL and reads the
 * {@code ETag} header back, then {@code mpu/complete} writes the file whole. Where MLflow hands
 * out presigned cloud-storage URLs, Cairn's part URLs point back at this server
 * ({@code PUT …/mlflow-artifacts/mpu/part/<path>?upload_id=…&part_number=…}), which hands the part
 * to {@link ArtifactRepository.MultipartUpload}; so any server of a cluster can take any part.
 */
public final class MlflowArtifactsApi implements ApiRoutes {

    static final List<String> PREFIXES = List.of("/api/2.0/mlflow-artifacts", "/ajax-api/2.0/mlflow-artifacts");
    /** S3's limit, which MLflow's clients also respect. */
    static final int MAX_PARTS = 10_000;

    private final ArtifactRepository artifacts;
    private final ObjectMapper mapper = JsonMapper.builder().build();

    private final dev.cairn.server.tracking.VersionArtifacts versions;

    public MlflowArtifactsApi(ArtifactRepository artifacts) {
        this(artifacts, null);
    }

    /** {@code versions}: refuses deleting the package of a registered version (null: no registry to ask). */
    public MlflowArtifactsApi(ArtifactRepository artifacts, dev.cairn.server.tracking.VersionArtifacts versions) {
        this.artifacts = Objects.requireNonNull(artifacts, "artifacts");
        this.versions = versions;
    }

    /** The multipart-upload routes, which take JSON bodies (an upload's parts are raw bytes, of any type). */
    private final List<RequestBody> bodies = new java.util.concurrent.CopyOnWriteArrayList<>();

    @Override
    public List<RequestBody> requestBodies() {
        return List.copyOf(bodies);
    }

    @Override
    public void addRoutes(JavalinConfig config) {
        for (String prefix : PREFIXES) {
            add(config, HandlerType.GET, prefix + "/artifacts", this::list);
            add(config, HandlerType.GET, prefix + "/artifacts/<path>", this::download);
            add(config, HandlerType.PUT, prefix + "/artifacts/<path>", this::upload);
            add(config, HandlerType.DELETE, prefix + "/artifacts/<path>", this::delete);
            for (String suffix : List.of("", "/<path>")) {
                add(config, HandlerType.POST, prefix + "/mpu/create" + suffix, ctx -> createMultipart(ctx, prefix));
                add(config, HandlerType.POST, prefix + "/mpu/complete" + suffix, this::completeMultipart);
                add(config, HandlerType.POST, prefix + "/mpu/abort" + suffix, this::abortMultipart);
                for (String op : List.of("create", "complete", "abort")) {
                    bodies.add(new RequestBody(HandlerType.POST, prefix + "/mpu/" + op + suffix, "application/json"));
                }
            }
            add(config, HandlerType.PUT, prefix + "/mpu/part/<path>", this::uploadPart);
        }
    }

    private static void add(JavalinConfig config, HandlerType method, String path, Handler handler) {
        config.routes.addHttpHandler(method, path, handler);
    }

    /**
     * The proxied artifact store's paths start with the experiment id ({@code <experiment_id>/<run_id>/artifacts/…},
     * the layout of the default artifact root), so each route needs a permission on that experiment, as MLflow's auth
     * app decides for its artifact proxy: READ to list and download, EDIT to upload, MANAGE to delete. A path outside
     * that layout names no experiment and is judged by the default permission.
     */
    @Override
    public List<RouteAccess> access() {
        List<RouteAccess> out = new ArrayList<>();
        for (String prefix : PREFIXES) {
            out.add(new RouteAccess(HandlerType.GET, prefix + "/artifacts", Access.experiment(EXPERIMENT_OF_QUERY, Permission.READ)));
            out.add(new RouteAccess(HandlerType.GET, prefix + "/artifacts/<path>", Access.experiment(EXPERIMENT_OF_PATH, Permission.READ)));
            out.add(new RouteAccess(HandlerType.PUT, prefix + "/artifacts/<path>", Access.experiment(EXPERIMENT_OF_PATH, Permission.EDIT)));
            out.add(new RouteAccess(HandlerType.DELETE, prefix + "/artifacts/<path>", Access.experiment(EXPERIMENT_OF_PATH, Permission.MANAGE)));
            for (String suffix : List.of("", "/<path>")) {
                Access upload = Access.experiment(suffix.isEmpty() ? EXPERIMENT_OF_QUERY : EXPERIMENT_OF_PATH, Permission.EDIT);
                out.add(new RouteAccess(HandlerType.POST, prefix + "/mpu/create" + suffix, upload));
                out.add(new RouteAccess(HandlerType.POST, prefix + "/mpu/complete" + suffix, upload));
                out.add(new RouteAccess(HandlerType.POST, prefix + "/mpu/abort" + suffix, upload));
            }
            out.add(new RouteAccess(HandlerType.PUT, prefix + "/mpu/part/<path>", Access.experiment(EXPERIMENT_OF_PATH, Permission.EDIT)));
        }
        return out;
    }

    private static final ResourceLocator EXPERIMENT_OF_PATH = firstSegment(ResourceLocator.path("path"));
    private static final ResourceLocator EXPERIMENT_OF_QUERY = firstSegment(ResourceLocator.query("path"));

    private static ResourceLocator firstSegment(ResourceLocator path) {
        return (ctx, lookup) -> path.locate(ctx, lookup).stream().map(p -> {
            String trimmed = p.startsWith("/") ? p.substring(1) : p;
            int slash = trimmed.indexOf('/');
            return slash < 0 ? trimmed : trimmed.substring(0, slash);
        }).filter(segment -> !segment.isBlank()).toList();
    }

    /** GET /artifacts?path=dir: the immediate children of a directory, named by their base names. */
    private void list(Context ctx) throws IOException {
        String path = ArtifactPaths.check(ctx.queryParam("path"), "path");
        ObjectNode out = mapper.createObjectNode();
        List<ArtifactInfo> children = artifacts.list(path);
        if (!children.isEmpty()) {
            ArrayNode files = out.putArray("files");
            for (ArtifactInfo child : children) {
                ObjectNode file = files.addObject();
                file.put("path", ArtifactPaths.baseName(child.path()));
                file.put("is_dir", child.isDirectory());
                if (!child.isDirectory()) file.put("file_size", child.size());
            }
        }
        json(ctx, out);
    }

    /** GET /artifacts/<path>: the file's bytes, streamed, as an attachment (as MLflow, against XSS). */
    private void download(Context ctx) throws IOException {
        String path = requiredPath(ctx);
        ArtifactInfo info = artifacts.stat(path);
        if (info.isDirectory()) {
            throw CairnException.invalid("artifact_path", path,
                    "a file; to see a directory's contents use GET /api/2.0/mlflow-artifacts/artifacts?path=" + path);
        }
        String name = ArtifactPaths.baseName(path);
        String type = URLConnection.guessContentTypeFromName(name);
        try (InputStream in = artifacts.open(path)) {
            ctx.status(200);
            ctx.contentType(type == null ? "application/octet-stream" : type);
            ctx.header("Content-Disposition", "attachment; filename=\"" + name.replace("\"", "") + "\"");
            ctx.header("X-Content-Type-Options", "nosniff");
            ctx.res().setContentLengthLong(info.size());
            OutputStream out = ctx.res().getOutputStream();
            in.transferTo(out);
            out.flush();
        }
    }

    /** PUT /artifacts/<path>: the request body becomes the file, written whole or not at all. */
    private void upload(Context ctx) throws IOException {
        String path = requiredPath(ctx);
        try (InputStream body = ctx.req().getInputStream()) {
            artifacts.put(path, body);
        }
        json(ctx, mapper.createObjectNode());
    }

    /** DELETE /artifacts/<path>: a file or a whole directory; no error when absent. */
    private void delete(Context ctx) throws IOException {
        String path = requiredPath(ctx);
        if (versions != null) {
            versions.versionAt(path).ifPresent(v -> {
                throw new CairnException(ErrorCode.RESOURCE_IN_USE, "The artifacts at '" + path + "' hold the package of registered model '"
                        + v.name() + "' version " + v.version() + "; delete that version first",
                        Map.of("field", "path", "value", path, "expected", "artifacts no registered version uses",
                                "model", v.name(), "version", v.version()));
            });
        }
        artifacts.delete(path);
        json(ctx, mapper.createObjectNode());
    }

    /**
     * POST /mpu/create/<dir> {"path": local file, "num_parts": n}: starts an upload of
     * {@code <dir>/<base name of path>} (MLflow's client sends its local file name) and answers
     * {@code {"upload_id", "credentials": [{"url", "part_number", "headers"}]}}.
     */
    private void createMultipart(Context ctx, String prefix) throws IOException {
        MlflowRequest request = MlflowRequest.of(ctx, mapper);
        String destination = destination(ctx, request);
        long parts = request.int64OrDefault("num_parts", 1L);
        if (parts < 1 || parts > MAX_PARTS) {
            throw request.invalid("num_parts", parts, "an integer from 1 to " + MAX_PARTS);
        }
        ArtifactRepository.MultipartUpload upload = artifacts.startMultipart(destination);
        String base = baseUrl(ctx) + prefix + "/mpu/part/" + encodePath(destination)
                + "?upload_id=" + URLEncoder.encode(upload.uploadId(), StandardCharsets.UTF_8) + "&part_number=";
        ObjectNode out = mapper.createObjectNode();
        out.put("upload_id", upload.uploadId());
        ArrayNode credentials = out.putArray("credentials");
        for (int part = 1; part <= parts; part++) {
            ObjectNode credential = credentials.addObject();
            credential.put("url", base + part);
            credential.put("part_number", part);
            credential.putObject("headers");
        }
        json(ctx, out);
    }

    /** PUT /mpu/part/<path>?upload_id=…&part_number=…: one part's bytes; answers with its ETag. */
    private void uploadPart(Context ctx) throws IOException {
        String path = requiredPath(ctx);
        String uploadId = ctx.queryParam("upload_id");
        if (uploadId == null || uploadId.isEmpty()) {
            throw missing("upload_id");
        }
        String partText = ctx.queryParam("part_number");
        if (partText == null || partText.isEmpty()) {
            throw missing("part_number");
        }
        int part;
        try {
            part = Integer.parseInt(partText);
        } catch (NumberFormatException e) {
            throw CairnException.invalid("part_number", partText, "an integer from 1 to " + MAX_PARTS);
        }
        if (part < 1 || part > MAX_PARTS) {
            throw CairnException.invalid("part_number", part, "an integer from 1 to " + MAX_PARTS);
        }
        ArtifactRepository.MultipartUpload upload = artifacts.resumeMultipart(path, uploadId);
        MessageDigest md5 = md5();
        try (InputStream body = new DigestInputStream(ctx.req().getInputStream(), md5)) {
            upload.putPart(part, body);
        }
        ctx.header("ETag", "\"" + HexFormat.of().formatHex(md5.digest()) + "\"");
        json(ctx, mapper.createObjectNode());
    }

    /** POST /mpu/complete/<dir> {"path", "upload_id", "parts": [{"part_number", "etag"}]}. */
    private void completeMultipart(Context ctx) throws IOException {
        MlflowRequest request = MlflowRequest.of(ctx, mapper);
        String destination = destination(ctx, request);
        String uploadId = request.requiredString("upload_id");
        List<MlflowRequest> parts = request.objectList("parts");
        if (parts.isEmpty()) throw request.missing("parts");
        for (MlflowRequest part : parts) {
            long number = part.requiredInt64("part_number");
            if (number < 1 || number > MAX_PARTS) {
                throw part.invalid("part_number", number, "an integer from 1 to " + MAX_PARTS);
            }
        }
        artifacts.resumeMultipart(destination, uploadId).complete();
        json(ctx, mapper.createObjectNode());
    }

    /** POST /mpu/abort/<dir> {"path", "upload_id"}. */
    private void abortMultipart(Context ctx) throws IOException {
        MlflowRequest request = MlflowRequest.of(ctx, mapper);
        String destination = destination(ctx, request);
        String uploadId = request.requiredString("upload_id");
        artifacts.resumeMultipart(destination, uploadId).abort();
        json(ctx, mapper.createObjectNode());
    }

    /** The file a multipart request is about: the route's directory joined with the base name of "path". */
    private static String destination(Context ctx, MlflowRequest request) {
        String directory = ctx.pathParamMap().containsKey("path")
                ? ArtifactPaths.check(ctx.pathParam("path"), "artifact_path") : "";
        String localFile = request.requiredString("path").replace('\\', '/');
        String name = ArtifactPaths.baseName(localFile);
        if (name.isEmpty()) {
            throw request.invalid("path", localFile, "a file path whose last part is the file's name");
        }
        return ArtifactPaths.check(ArtifactPaths.join(directory, name), "path");
    }

    private static String requiredPath(Context ctx) {
        String path = ArtifactPaths.check(ctx.pathParam("path"), "artifact_path");
        if (path.isEmpty()) throw missing("artifact_path");
        return path;
    }

    private static CairnException missing(String field) {
        return new CairnException(ErrorCode.INVALID_PARAMETER_VALUE,
                "Missing value for required parameter '" + field + "'.", Map.of("field", field, "expected", "a value"));
    }

    /**
     * This server's own address as the client reached it, for the part URLs; behind a reverse proxy
     * the address the proxy names in X-Forwarded-Proto and X-Forwarded-Host.
     */
    private static String baseUrl(Context ctx) {
        URI uri = URI.create(ctx.url());
        String scheme = firstValue(ctx.header("X-Forwarded-Proto"));
        String host = firstValue(ctx.header("X-Forwarded-Host"));
        boolean usable = scheme != null && scheme.matches("https?") && host != null && host.matches("[A-Za-z0-9.\\-\\[\\]:]+");
        return usable ? scheme + "://" + host : uri.getScheme() + "://" + uri.getRawAuthority();
    }

    private static String firstValue(String header) {
        if (header == null) return null;
        int comma = header.indexOf(',');
        String value = (comma < 0 ? header : header.substring(0, comma)).trim();
        return value.isEmpty() ? null : value;
    }

    private static String encodePath(String path) {
        StringBuilder out = new StringBuilder();
        for (String part : path.split("/")) {
            if (!out.isEmpty()) out.append('/');
            out.append(URLEncoder.encode(part, StandardCharsets.UTF_8).replace("+", "%20"));
        }
        return out.toString();
    }

    private static MessageDigest md5() {
        try {
            return MessageDigest.getInstance("MD5");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("The JDK has no MD5", e);
        }
    }

    private void json(Context ctx, ObjectNode body) throws IOException {
        ctx.status(200).contentType("application/json").result(mapper.writeValueAsBytes(body));
    }
}
