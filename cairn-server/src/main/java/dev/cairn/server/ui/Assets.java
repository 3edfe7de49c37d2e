package dev.cairn.server.ui;

import dev.cairn.core.error.CairnException;
import io.javalin.http.Context;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Map;
import java.util.Properties;

/**
 * The UI's scripts and styles, served by Cairn itself (the UI works offline and its policy allows no other origin):
 * ECharts and htmx from their WebJars on the class path, Cairn's own files from this package's {@code static/}.
 * Only the files named here are served, so no request path reaches an arbitrary class-path resource.
 */
final class Assets {

    static final String PREFIX = "/ui/assets/";

    private record Asset(String resource, String contentType) {}

    private final Map<String, Asset> assets = Map.of(
            "echarts.min.js", new Asset(webjar("echarts", "dist/echarts.min.js"), "text/javascript"),
            "htmx.min.js", new Asset(webjar("htmx.org", "dist/htmx.min.js"), "text/javascript"),
            "cairn.js", new Asset("dev/cairn/server/ui/static/cairn.js", "text/javascript"),
            "cairn.css", new Asset("dev/cairn/server/ui/static/cairn.css", "text/css"));

    /** The class-path name of a file in an npm WebJar, at the version on the class path (read from its pom.properties). */
    static String webjar(String name, String file) {
        String properties = "META-INF/maven/org.webjars.npm/" + name + "/pom.properties";
        try (InputStream in = Assets.class.getClassLoader().getResourceAsStream(properties)) {
            if (in == null) throw new IllegalStateException("The WebJar " + name + " is not on the class path (" + properties + ")");
            Properties p = new Properties();
            p.load(in);
            return "META-INF/resources/webjars/" + name + "/" + p.getProperty("version") + "/" + file;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    void serve(Context ctx) {
        SecurityHeaders.page(ctx);
        String name = ctx.pathParam("name");
        Asset asset = assets.get(name);
        if (asset == null) throw CairnException.notFound("UI asset", name);
        InputStream in = Assets.class.getClassLoader().getResourceAsStream(asset.resource());
        if (in == null) throw CairnException.notFound("UI asset", name);
        // The names carry no version, so a browser revalidates after an hour rather than keeping an old script.
        ctx.header("Cache-Control", "public, max-age=3600");
        ctx.contentType(asset.contentType() + "; charset=utf-8").result(in);
    }
}
