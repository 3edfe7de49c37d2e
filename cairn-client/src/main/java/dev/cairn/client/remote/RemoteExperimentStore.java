package dev.cairn.client.remote;

import static dev.cairn.client.remote.Wire.API;
import static dev.cairn.client.remote.Wire.body;
import static dev.cairn.client.remote.Wire.segment;

import dev.cairn.client.RestClient;
import dev.cairn.core.error.CairnException;
import dev.cairn.core.error.ErrorCode;
import dev.cairn.core.store.ExperimentStore;
import dev.cairn.core.tracking.Experiment;
import dev.cairn.core.tracking.Page;
import dev.cairn.core.tracking.Tag;
import dev.cairn.core.tracking.ViewType;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** {@link ExperimentStore} over {@code /api/v1/experiments}. */
final class RemoteExperimentStore implements ExperimentStore {

    private static final String BASE = API + "/experiments";

    record ExperimentPage(List<Experiment> experiments, String nextPageToken) {}

    private final RestClient rest;

    RemoteExperimentStore(RestClient rest) {
        this.rest = rest;
    }

    @Override
    public String createExperiment(String name, String artifactLocation, List<Tag> tags) {
        return rest.post(BASE, body("name", name, "artifact_location", artifactLocation, "tags", tags), Experiment.class)
                .experimentId();
    }

    @Override
    public Experiment getExperiment(String experimentId) {
        return rest.get(BASE + "/" + segment(experimentId), null, Experiment.class);
    }

    @Override
    public Optional<Experiment> getExperimentByName(String name) {
        if (name == null || name.isEmpty()) return Optional.empty();
        try {
            return Optional.of(rest.get(BASE + "/by-name/" + RestClient.encodePath(name), null, Experiment.class));
        } catch (CairnException e) {
            if (e.code() == ErrorCode.RESOURCE_DOES_NOT_EXIST) return Optional.empty();
            throw e;
        }
    }

    @Override
    public Page<Experiment> searchExperiments(ViewType viewType, String filter, List<String> orderBy, int maxResults,
                                              String pageToken) {
        Map<String, Object> query = new LinkedHashMap<>();
        query.put("view_type", viewType == null ? null : viewType.name());
        query.put("filter", filter);
        query.put("order_by", orderBy);
        query.put("max_results", maxResults);
        query.put("page_token", pageToken);
        ExperimentPage page = rest.get(BASE, query, ExperimentPage.class);
        return new Page<>(page.experiments() == null ? List.of() : page.experiments(), page.nextPageToken());
    }

    @Override
    public void renameExperiment(String experimentId, String newName) {
        rest.patch(BASE + "/" + segment(experimentId), body("name", newName), Experiment.class);
    }

    @Override
    public void deleteExperiment(String experimentId) {
        rest.delete(BASE + "/" + segment(experimentId), null);
    }

    @Override
    public void restoreExperiment(String experimentId) {
        rest.post(BASE + "/" + segment(experimentId) + "/restore", null, null);
    }

    /** /api/v1 does not purge: a purge destroys runs for good, which the server leaves to its own operator. */
    @Override
    public void purgeExperiment(String experimentId) {
        throw Wire.noEndpoint("purge experiments", "purge experiment '" + experimentId
                + "' on the server's own store (embedded), or delete it (restorable) with deleteExperiment");
    }

    @Override
    public void setExperimentTag(String experimentId, Tag tag) {
        rest.post(BASE + "/" + segment(experimentId) + "/tags", tag, Experiment.class);
    }

    @Override
    public void deleteExperimentTag(String experimentId, String key) {
        rest.delete(BASE + "/" + segment(experimentId) + "/tags/" + RestClient.encodePath(key), null);
    }
}
