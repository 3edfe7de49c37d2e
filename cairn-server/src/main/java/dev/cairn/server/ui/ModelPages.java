package dev.cairn.server.ui;

import dev.cairn.core.auth.ResourceKind;
import dev.cairn.core.registry.AuditEvent;
import dev.cairn.core.registry.ModelAlias;
import dev.cairn.core.registry.ModelVersion;
import dev.cairn.core.registry.RegisteredModel;
import dev.cairn.core.store.MetadataStore;
import dev.cairn.core.tracking.Page;
import dev.cairn.core.tracking.Tag;
import dev.cairn.server.auth.AccessControl;
import dev.cairn.train.evaluation.Evaluations;
import io.javalin.http.Context;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** The registry: registered models, and one model's versions, aliases and audit log, each version linked to its run. */
public final class ModelPages {

    static final int AUDIT_PAGE = 100;

    private final MetadataStore store;
    private final Pages pages;

    ModelPages(MetadataStore store, Pages pages) {
        this.store = store;
        this.pages = pages;
    }

    public record ModelRow(String name, String href, String description, List<ModelAlias> aliases, String latest, String updated) {}

    public record ModelsView(List<ModelRow> models, String nextHref) {}

    void models(Context ctx) {
        Page<RegisteredModel> page = store.registry().searchRegisteredModels(null, List.of("name ASC"), 200,
                ExperimentPages.blankToNull(ctx.queryParam("page_token")));
        // With login on, only the models the user may read (as the API's listing).
        List<RegisteredModel> readable = AccessControl.readable(ctx, ResourceKind.REGISTERED_MODEL, page.items(), RegisteredModel::name);
        List<ModelRow> rows = readable.stream().map(m -> new ModelRow(m.name(), Links.model(m.name()),
                m.description() == null ? "" : m.description(), m.aliases(),
                m.latestVersions().stream().mapToLong(ModelVersion::version).max().stream().mapToObj(v -> "v" + v).findFirst().orElse(""),
                Links.time(m.lastUpdatedTimestamp()))).toList();
        String next = page.nextPageToken() == null ? null
                : Links.withQuery("/ui/models", List.of(Map.entry("page_token", page.nextPageToken())));
        pages.render(ctx, "models.jte", "Models", "models", new ModelsView(rows, next));
    }

    public record VersionRow(long version, String anchor, String created, String user, String stage, String status, List<String> aliases,
                             String source, String runId, String runHref, List<Tag> tags, String evaluationHref, String blessed,
                             String lineageHref) {}

    public record AuditRow(String time, String actor, String action, String version, String subject, String from, String to,
                           String comment) {}

    public record ModelView(String name, String description, List<ModelAlias> aliases, List<Tag> tags, List<VersionRow> versions,
                            List<AuditRow> audit, String auditNextHref, String csrf, String aliasAction) {}

    void model(Context ctx) {
        RegisteredModel model = store.registry().getRegisteredModel(ctx.pathParam("name"));
        String quoted = "'" + model.name().replace("'", "''") + "'";
        List<VersionRow> versions = new ArrayList<>();
        String token = null;
        do {
            Page<ModelVersion> page = store.registry().searchModelVersions("name = " + quoted, List.of("version_number DESC"), 200, token);
            for (ModelVersion v : page.items()) {
                versions.add(new VersionRow(v.version(), "v" + v.version(), Links.time(v.creationTimestamp()), v.userId(), v.currentStage(),
                        v.status() == null ? "" : v.status().name(), v.aliases(), v.source(), v.runId(),
                        v.runId() == null || v.runId().isBlank() ? null : Links.run(v.runId()), v.tags(), evaluationHref(v),
                        tag(v, Evaluations.TAG_BLESSED).map(b -> b.equals("true") ? "blessed" : "not blessed").orElse(""), lineageHref(v)));
            }
            token = page.nextPageToken();
        } while (token != null && versions.size() < 1000);
        Page<AuditEvent> audit = store.registry().listAuditEvents(model.name(), AUDIT_PAGE,
                ExperimentPages.blankToNull(ctx.queryParam("audit_token")));
        List<AuditRow> events = audit.items().stream().map(e -> new AuditRow(Links.time(e.timestamp()), e.actor(), e.action().name(),
                e.version() == null ? "" : "v" + e.version(), nz(e.subject()), nz(e.fromValue()), nz(e.toValue()), nz(e.comment()))).toList();
        String next = audit.nextPageToken() == null ? null
                : Links.withQuery(Links.model(model.name()), List.of(Map.entry("audit_token", audit.nextPageToken()))) + "#audit";
        pages.render(ctx, "model.jte", model.name(), "models", new ModelView(model.name(), nz(model.description()), model.aliases(),
                model.tags(), versions, events, next, Csrf.token(ctx), Links.model(model.name()) + "/aliases"));
    }

    /**
     * Points an alias at a version from the model page's form: the same registry call as {@code PUT
     * /api/v1/registered-models/{name}/aliases/{alias}}, audited with the acting user and the reason, after the
     * form's token, a confirmation and a reason are checked. Answers with a redirect to the model's audit log.
     */
    void setAlias(Context ctx) {
        Csrf.verify(ctx);
        RegisteredModel model = store.registry().getRegisteredModel(ctx.pathParam("name"));
        String alias = ctx.formParam("alias");
        if (alias == null || !alias.matches("[A-Za-z][A-Za-z0-9_-]{0,63}")) {
            throw dev.cairn.core.error.CairnException.invalid("alias", alias, "a name of letters, digits, '_' or '-', such as champion");
        }
        String versionText = ctx.formParam("version");
        long version;
        try {
            version = Long.parseLong(versionText == null ? "" : versionText.strip());
        } catch (NumberFormatException e) {
            throw dev.cairn.core.error.CairnException.invalid("version", versionText, "a version number of " + model.name());
        }
        String reason = ctx.formParam("reason");
        if (reason == null || reason.isBlank()) {
            throw dev.cairn.core.error.CairnException.invalid("reason", reason, "why the alias moves, for the audit log");
        }
        if (!"yes".equals(ctx.formParam("confirm"))) {
            throw dev.cairn.core.error.CairnException.invalid("confirm", ctx.formParam("confirm"), "the confirmation box ticked");
        }
        store.registry().setAlias(model.name(), alias, version, dev.cairn.server.api.Actors.from(ctx), reason.strip());
        ctx.redirect(Links.model(model.name()) + "#audit", io.javalin.http.HttpStatus.SEE_OTHER);
    }

    /** The evaluation the version was last evaluated by (the tag evaluation sets on it), or null. */
    static String evaluationHref(ModelVersion v) {
        return tag(v, Evaluations.TAG_RUN).map(Links::evaluation).orElse(null);
    }

    static String lineageHref(ModelVersion v) {
        return Links.lineageOf("models:/" + v.name() + "/" + v.version());
    }

    static Optional<String> tag(ModelVersion v, String key) {
        return v.tags() == null ? Optional.empty() : v.tags().stream().filter(t -> t.key().equals(key)).map(Tag::value).findFirst();
    }

    static String nz(String s) {
        return s == null ? "" : s;
    }
}
