package dev.cairn.server.ui;

import dev.cairn.core.error.CairnException;
import io.javalin.http.Context;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The lineage page: from a prediction request id, a scored customer, a model version, a dataset hash or an artifact URI,
 * the graph of everything upstream and downstream ({@link LineageGraph}), drawn as SVG with every node a link to its
 * page, and listed as a table. What was asked for and is not there (or may not be read) is a 404.
 */
public final class LineagePages {

    private static final Pattern VERSION = Pattern.compile("(?:models:/)?(.+?)(?:/| v| version )(\\d+)");
    private static final List<String> FROM = List.of("request", "customer", "model", "dataset", "uri");

    private final LineageGraph lineage;
    private final Pages pages;

    LineagePages(LineageGraph lineage, Pages pages) {
        this.lineage = lineage;
        this.pages = pages;
    }

    public record NodeRow(String id, String side, String kind, String label, String detail, String href) {}

    public record LineageView(String from, String query, String field, String title, GraphLayout.Drawing drawing, List<NodeRow> nodes,
                              int edges, boolean truncated, int maxNodes) {}

    void lineage(Context ctx) {
        LineageGraph.Query query = query(ctx);
        String from = ExperimentPages.blankToNull(ctx.queryParam("from"));
        String q = ModelPages.nz(ctx.queryParam("q"));
        String field = ModelPages.nz(ctx.queryParam("field"));
        if (query == null) {
            pages.render(ctx, "lineage.jte", "Lineage", "lineage", new LineageView(from == null ? "request" : from, q,
                    field.isEmpty() ? LineageGraph.CUSTOMER_FIELD : field, null, null, List.of(), 0, false, LineageGraph.MAX_NODES));
            return;
        }
        LineageGraph.Graph graph = lineage.start(ctx, query).graph();
        List<GraphLayout.Node> nodes = new ArrayList<>();
        List<NodeRow> rows = new ArrayList<>();
        for (LineageGraph.Node n : graph.nodes().values()) {
            String side = graph.side().get(n.id());
            String detail = n.what().equals(n.detail()) ? n.what() : n.what() + " · " + n.detail();
            nodes.add(new GraphLayout.Node(n.id(), n.label(), detail, "lineage " + n.kind().cssClass() + (side.equals("start") ? " start" : ""), n.href()));
            rows.add(new NodeRow(n.id(), side, n.what(), n.label(), n.detail(), n.href()));
        }
        List<GraphLayout.Edge> edges = graph.edges().stream().map(e -> new GraphLayout.Edge(e.from(), e.to(), e.label())).toList();
        String title = String.join(", ", graph.starts().stream().map(LineageGraph.Node::label).toList());
        pages.render(ctx, "lineage.jte", "Lineage of " + title, "lineage", new LineageView(from == null ? kindOf(query) : from,
                q.isEmpty() ? text(query) : q, field.isEmpty() ? LineageGraph.CUSTOMER_FIELD : field, title, GraphLayout.layout(nodes, edges),
                rows, edges.size(), graph.truncated(), LineageGraph.MAX_NODES));
    }

    /**
     * What the request starts from: the form's {@code from} and {@code q} (and {@code field} for a customer), or the
     * parameters other pages link with ({@code uri}, {@code dataset}, {@code model} with {@code version}, {@code request},
     * {@code customer}); null when it names nothing (the empty form).
     */
    static LineageGraph.Query query(Context ctx) {
        String from = ExperimentPages.blankToNull(ctx.queryParam("from"));
        String field = ExperimentPages.blankToNull(ctx.queryParam("field"));
        if (from != null) {
            String q = ExperimentPages.blankToNull(ctx.queryParam("q"));
            if (!FROM.contains(from)) throw CairnException.invalid("from", from, "one of " + String.join(", ", FROM));
            if (q == null) return null;
            q = q.strip();
            return switch (from) {
                case "request" -> new LineageGraph.Query.Request(q);
                case "customer" -> new LineageGraph.Query.Customer(field == null ? LineageGraph.CUSTOMER_FIELD : field, q);
                case "model" -> version(q);
                case "dataset" -> new LineageGraph.Query.Dataset(q);
                default -> new LineageGraph.Query.Uri(q);
            };
        }
        Map<String, String> p = new java.util.LinkedHashMap<>();
        for (String k : List.of("request", "customer", "model", "version", "dataset", "uri")) {
            String v = ExperimentPages.blankToNull(ctx.queryParam(k));
            if (v != null) p.put(k, v.strip());
        }
        if (p.containsKey("request")) return new LineageGraph.Query.Request(p.get("request"));
        if (p.containsKey("customer")) return new LineageGraph.Query.Customer(field == null ? LineageGraph.CUSTOMER_FIELD : field, p.get("customer"));
        if (p.containsKey("model")) {
            String version = p.get("version");
            if (version == null || !version.matches("\\d{1,18}")) throw CairnException.invalid("version", version, "a version number of " + p.get("model"));
            return new LineageGraph.Query.Version(p.get("model"), Long.parseLong(version));
        }
        if (p.containsKey("dataset")) return new LineageGraph.Query.Dataset(p.get("dataset"));
        if (p.containsKey("uri")) return new LineageGraph.Query.Uri(p.get("uri"));
        return null;
    }

    private static LineageGraph.Query version(String text) {
        Matcher m = VERSION.matcher(text);
        if (!m.matches()) throw CairnException.invalid("q", text, "a model version: name/3, name v3 or models:/name/3");
        return new LineageGraph.Query.Version(m.group(1), Long.parseLong(m.group(2)));
    }

    private static String kindOf(LineageGraph.Query query) {
        return switch (query) {
            case LineageGraph.Query.Request r -> "request";
            case LineageGraph.Query.Customer c -> "customer";
            case LineageGraph.Query.Version v -> "model";
            case LineageGraph.Query.Dataset d -> "dataset";
            case LineageGraph.Query.Uri u -> "uri";
        };
    }

    private static String text(LineageGraph.Query query) {
        return switch (query) {
            case LineageGraph.Query.Request r -> r.id();
            case LineageGraph.Query.Customer c -> c.value();
            case LineageGraph.Query.Version v -> v.name() + "/" + v.version();
            case LineageGraph.Query.Dataset d -> d.hash();
            case LineageGraph.Query.Uri u -> u.uri();
        };
    }
}
