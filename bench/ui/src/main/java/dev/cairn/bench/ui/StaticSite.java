package dev.cairn.bench.ui;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.regex.Pattern;

/**
 * The browser's baseline: minimal static pages served from memory by the JDK's HTTP server on 127.0.0.1, with no
 * work per request. A page is one of Cairn's own pages, captured once, with its scripts and stylesheets taken out: the
 * same HTML for the browser to fetch and parse, nothing else. A chart page also gets the same ECharts file and
 * {@code draw.js}, which draws the raw histories the JSON API returns (no downsampling).
 */
final class StaticSite implements AutoCloseable {

    private static final Pattern SCRIPT = Pattern.compile("<script\\b[^>]*>.*?</script>", Pattern.DOTALL | Pattern.CASE_INSENSITIVE);
    private static final Pattern STYLESHEET = Pattern.compile("<link\\b[^>]*rel=\"stylesheet\"[^>]*>", Pattern.CASE_INSENSITIVE);

    private record Resource(String contentType, byte[] body) {}

    private final Map<String, Resource> resources = new ConcurrentHashMap<>();
    private final HttpServer server;
    private final ExecutorService executor = Executors.newFixedThreadPool(4);

    StaticSite(byte[] echarts) throws IOException {
        resources.put("/static/echarts.min.js", new Resource("text/javascript", echarts));
        try (InputStream in = StaticSite.class.getResourceAsStream("draw.js")) {
            resources.put("/static/draw.js", new Resource("text/javascript", in.readAllBytes()));
        }
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 64);
        server.createContext("/", this::serve);
        server.setExecutor(executor);
        server.start();
    }

    String url(String path) {
        return "http://127.0.0.1:" + server.getAddress().getPort() + path;
    }

    /** Cairn's page {@code html} without scripts and stylesheets, at {@code /static/NAME.html}; its URL. */
    String page(String name, String html) {
        String path = "/static/" + name + ".html";
        resources.put(path, new Resource("text/html; charset=utf-8", strip(html).getBytes(StandardCharsets.UTF_8)));
        return url(path);
    }

    /**
     * Cairn's page without its scripts and stylesheets, plus a chart drawing {@code rawJson} (a JSON array of
     * metrics/get-history answers) with ECharts; its URL.
     */
    String chartPage(String name, String html, byte[] rawJson) {
        String data = "/static/" + name + ".json";
        resources.put(data, new Resource("application/json", rawJson));
        String page = strip(html)
                .replace("</head>", "<script src=\"/static/echarts.min.js\" defer></script>\n<script src=\"/static/draw.js\" defer></script>\n</head>")
                .replace("</main>", "<div id=\"baseline-chart\" style=\"width:960px;height:320px\" data-raw=\"" + data + "\"></div>\n</main>");
        String path = "/static/" + name + ".html";
        resources.put(path, new Resource("text/html; charset=utf-8", page.getBytes(StandardCharsets.UTF_8)));
        return url(path);
    }

    static String strip(String html) {
        return STYLESHEET.matcher(SCRIPT.matcher(html).replaceAll("")).replaceAll("");
    }

    private void serve(HttpExchange exchange) throws IOException {
        try (exchange) {
            Resource resource = resources.get(exchange.getRequestURI().getPath());
            if (resource == null) {
                exchange.sendResponseHeaders(404, -1);
                return;
            }
            exchange.getResponseHeaders().set("Content-Type", resource.contentType());
            // Scripts are cached as Cairn caches its assets; pages and data are fetched on every visit, as Cairn's are.
            exchange.getResponseHeaders().set("Cache-Control",
                    resource.contentType().equals("text/javascript") ? "public, max-age=3600" : "no-store");
            exchange.sendResponseHeaders(200, resource.body().length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(resource.body());
            }
        }
    }

    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
    }
}
