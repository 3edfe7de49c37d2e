package dev.cairn.server.ui;

import dev.cairn.core.auth.ResourceKind;
import dev.cairn.core.error.CairnException;
import dev.cairn.server.auth.AccessControl;
import dev.cairn.server.serving.DeployAccess;
import dev.cairn.server.serving.Deployment;
import dev.cairn.server.serving.DeploymentSpec;
import dev.cairn.server.serving.Deployments;
import dev.cairn.server.serving.WindowStats;
import io.javalin.http.Context;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Deployments from the server's own {@link Deployments} (targets, weights, shadow, traffic since start) and the form
 * that changes their weights; and the entry points of the operations section's first routes, whose pages are
 * {@link MonitoringPages}, {@link PipelinePages}, {@link LineagePages} and {@link DataPages}. A server started without
 * deployments shows that it has none.
 */
public final class OperationsPages {

    private final Deployments deployments;
    private final Pages pages;
    private final MonitoringPages monitoringPages;
    private final PipelinePages pipelinePages;
    private final LineagePages lineagePages;
    private final DataPages dataPages;

    OperationsPages(Deployments deployments, Pages pages, MonitoringPages monitoringPages, PipelinePages pipelinePages, LineagePages lineagePages,
                    DataPages dataPages) {
        this.deployments = deployments;
        this.pages = pages;
        this.monitoringPages = monitoringPages;
        this.pipelinePages = pipelinePages;
        this.lineagePages = lineagePages;
        this.dataPages = dataPages;
    }

    public record RouteRow(String target, String model, String version, String modelHref, int weight, boolean shadow, long requests,
                           String errorRate, String p95) {}

    public record DeploymentRow(String name, boolean ready, boolean isDefault, String stickyKey, long generation, List<RouteRow> routes) {}

    public record DeploymentsView(boolean available, List<DeploymentRow> deployments, String csrf) {}

    void deployments(Context ctx) {
        List<DeploymentRow> rows = new ArrayList<>();
        if (deployments != null) {
            Deployment fallback = deployments.all().isEmpty() ? null : safeDefault();
            // With login on, only the deployments the user may read, as the API's listing.
            for (Deployment d : AccessControl.readable(ctx, ResourceKind.DEPLOYMENT, List.copyOf(deployments.all()), Deployment::name)) {
                List<RouteRow> routes = new ArrayList<>();
                for (Deployment.Route r : d.routes()) {
                    WindowStats.Totals totals = r.window() == null ? WindowStats.none() : r.window().totals();
                    boolean shadow = d.shadow() != null && d.shadow() == r;
                    routes.add(new RouteRow(r.target(), r.model().name(), r.model().version(), Links.model(r.model().name()) + "#v" + r.model().version(),
                            r.weight(), shadow, totals.requests(), totals.requests() == 0 ? "" : Links.number(totals.errorRate()),
                            totals.requests() == 0 ? "" : Links.number(totals.percentileMillis(0.95)) + " ms"));
                }
                rows.add(new DeploymentRow(d.name(), d.isReady(), d == fallback, d.spec().stickyKey() == null ? "" : d.spec().stickyKey(),
                        d.generation(), routes));
            }
        }
        pages.render(ctx, "deployments.jte", "Deployments", "deployments", new DeploymentsView(deployments != null, rows, Csrf.token(ctx)));
    }

    /**
     * Changes a deployment's weights from the deployments page's form: the same {@link Deployments#setWeights} call as
     * {@code POST /api/v1/deployments/{name}/weights} (audited with the acting user and the reason), after the form's
     * token, a confirmation and a reason are checked. Answers with a redirect to the deployment.
     */
    void setWeights(Context ctx) {
        Csrf.verify(ctx);
        if (deployments == null) throw CairnException.notFound("deployment", ctx.pathParam("name"));
        String name = ctx.pathParam("name");
        List<String> targets = ctx.formParams("target");
        List<String> weights = ctx.formParams("weight");
        if (targets.isEmpty() || targets.size() != weights.size()) {
            throw CairnException.invalid("weight", weights, "one weight for each target of the deployment");
        }
        Map<String, Integer> byTarget = new LinkedHashMap<>();
        for (int i = 0; i < targets.size(); i++) {
            try {
                byTarget.put(targets.get(i), Integer.parseInt(weights.get(i).strip()));
            } catch (NumberFormatException e) {
                throw CairnException.invalid("weight", weights.get(i), "a whole number from 0 to 1000000 for " + targets.get(i));
            }
        }
        String reason = ctx.formParam("reason");
        if (reason == null || reason.isBlank()) throw CairnException.invalid("reason", reason, "why the weights change, for the audit log");
        if (!"yes".equals(ctx.formParam("confirm"))) {
            throw CairnException.invalid("confirm", ctx.formParam("confirm"), "the confirmation box ticked");
        }
        // As the API's weights route: moving traffic onto a model needs READ on it.
        Deployment current = deployments.find(name);
        List<String> known = current == null ? List.of() : current.spec().targets().stream().map(DeploymentSpec.Target::model).toList();
        DeployAccess.check(ctx, byTarget.keySet().stream().filter(known::contains).toList());
        deployments.setWeights(name, byTarget, dev.cairn.server.api.Actors.from(ctx), reason.strip());
        ctx.redirect("/ui/deployments#deployment-" + Links.encode(name), io.javalin.http.HttpStatus.SEE_OTHER);
    }

    private Deployment safeDefault() {
        try {
            return deployments.defaultDeployment();
        } catch (CairnException e) {
            return null;
        }
    }

    // The operations section's other routes were declared here first; their pages are now features of their own.

    void monitoring(Context ctx) {
        monitoringPages.list(ctx);
    }

    void pipelines(Context ctx) {
        pipelinePages.pipelines(ctx);
    }

    void pipelineRun(Context ctx) {
        pipelinePages.pipelineRun(ctx);
    }

    void lineage(Context ctx) {
        lineagePages.lineage(ctx);
    }

    void data(Context ctx) {
        dataPages.list(ctx);
    }
}
