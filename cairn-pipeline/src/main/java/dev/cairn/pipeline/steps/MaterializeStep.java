package dev.cairn.pipeline.steps;

import dev.cairn.core.error.CairnException;
import dev.cairn.data.source.Progress;
import dev.cairn.features.FeatureStore;
import dev.cairn.features.online.Materializer;
import dev.cairn.features.online.OnlineStore;
import dev.cairn.features.online.OnlineStores;
import dev.cairn.pipeline.engine.StepContext;
import dev.cairn.pipeline.engine.StepResult;
import dev.cairn.pipeline.engine.StepRunner;
import dev.cairn.pipeline.engine.Workspace;
import dev.cairn.pipeline.spec.StepType;
import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * {@code materialize}: each entity's latest feature values into an online store (as {@code cairn features
 * materialize}), as of the run's time unless {@code as_of} says otherwise, incrementally by each view's event-time
 * watermark. An embedded store's file ({@code sqlite:online.db}) is relative to the spec, like every path of it. The
 * step writes the record serving reads, so it is never cached; each view at its version is recorded as its input and
 * the online store as its output.
 */
public final class MaterializeStep implements StepRunner {

    @Override
    public StepType type() {
        return StepType.MATERIALIZE;
    }

    @Override
    public StepResult run(StepContext context) {
        FeatureStore features = FeatureInputs.store(context, "online");
        String online = onlineUri(context);
        Instant asOf = context.optionalText("as_of").map(t -> instant(context, t)).orElse(context.run().logicalTime());
        String view = context.optionalText("view").orElse(null);
        boolean full = context.bool("full", false);
        context.checkCancelled();
        List<Materializer.Result> results;
        String where;
        try (OnlineStore store = Fields.naming(context, "online", () -> OnlineStores.open(online))) {
            where = store.uri();
            results = Fields.naming(context, "view", () -> features.materialize(store, view, asOf, full, Progress.NONE));
        }
        long written = 0;
        for (Materializer.Result r : results) {
            written += r.written();
            var stored = features.show(r.view(), null);
            context.consumed("feature_view", "feature_view:" + stored.name() + "/" + stored.version(), stored.sha256());
            context.log("Materialized " + r.view() + " v" + stored.version() + " as of " + asOf + ": " + r.written() + " entities written ("
                    + (r.full() ? "full" : "incremental") + ", watermark " + (r.watermark().eventTime() == null ? "none"
                    : r.watermark().eventTime()) + ")");
        }
        context.produced("online_store", where, null);
        Map<String, Object> outputs = new LinkedHashMap<>();
        outputs.put("views", (long) results.size());
        outputs.put("entities", written);
        outputs.put("as_of", asOf.toString());
        return StepResult.of(outputs);
    }

    /**
     * The online store's URI, an embedded store's relative file resolved in the workspace (and confined by it). In a
     * confined workspace (cairn server's) another store must start with one of the prefixes the server lets pipelines
     * reach ({@code --pipeline-jdbc-prefix}, e.g. {@code redis://cache:6379}): a spec, or a run's parameters, must not
     * make the server write to any host they name.
     */
    private static String onlineUri(StepContext context) {
        String uri = context.text("online").strip();
        if (uri.toLowerCase(Locale.ROOT).startsWith("sqlite:")) {
            String file = uri.substring("sqlite:".length());
            Path resolved = context.workspace().file(context.field("online"), file);
            return "sqlite:" + resolved;
        }
        Workspace workspace = context.workspace();
        if (workspace.confined() && workspace.jdbcPrefixes().stream().noneMatch(uri::startsWith)) {
            throw CairnException.invalid(context.field("online"), Workspace.redact(uri), "an sqlite: file inside the pipeline's workspace, "
                    + "or an online store this server allows (starting with one of " + (workspace.jdbcPrefixes().isEmpty()
                    ? "none configured: set cairn server --pipeline-jdbc-prefix, e.g. redis://cache:6379" : String.join(", ", workspace.jdbcPrefixes()))
                    + ")");
        }
        return uri;
    }

    /** An instant, a local date-time (UTC) or a date (its midnight, UTC), as {@code ${run.time}} and people write them. */
    static Instant instant(StepContext context, String text) {
        String t = text.strip();
        try {
            return OffsetDateTime.parse(t).toInstant();
        } catch (DateTimeParseException notOffset) {
            try {
                return LocalDateTime.parse(t).toInstant(ZoneOffset.UTC);
            } catch (DateTimeParseException notLocal) {
                try {
                    return LocalDate.parse(t).atStartOfDay(ZoneOffset.UTC).toInstant();
                } catch (DateTimeParseException notDate) {
                    throw CairnException.invalid(context.field("as_of"), text, "a time such as 2024-03-01T02:00:00Z, 2024-03-01T02:00 or 2024-03-01");
                }
            }
        }
    }
}
