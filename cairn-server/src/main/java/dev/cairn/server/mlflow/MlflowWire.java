package dev.cairn.server.mlflow;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.cairn.core.registry.ModelAlias;
import dev.cairn.core.registry.ModelVersion;
import dev.cairn.core.registry.RegisteredModel;
import dev.cairn.core.tracking.DatasetInput;
import dev.cairn.core.tracking.Experiment;
import dev.cairn.core.tracking.Metric;
import dev.cairn.core.tracking.Param;
import dev.cairn.core.tracking.Run;
import dev.cairn.core.tracking.RunInfo;
import dev.cairn.core.tracking.Tag;
import java.util.List;

/**
 * Cairn's records as MLflow's protos print them in JSON ({@code message_to_json}): snake_case
 * field names, int64 fields as JSON numbers, enums by name, unset fields and empty repeated
 * fields left out, a model version number as a string. Artifact locations go through
 * {@link ArtifactLocations} so that clients see {@code mlflow-artifacts:/} URIs for what this
 * server serves.
 */
final class MlflowWire {

    private static final JsonNodeFactory JSON = JsonNodeFactory.instance;

    private final ArtifactLocations locations;

    MlflowWire(ArtifactLocations locations) {
        this.locations = locations;
    }

    static ObjectNode object() {
        return JSON.objectNode();
    }

    ObjectNode experiment(Experiment e) {
        ObjectNode out = JSON.objectNode();
        out.put("experiment_id", e.experimentId());
        out.put("name", e.name());
        putIfNotNull(out, "artifact_location", locations.toClient(e.artifactLocation()));
        out.put("lifecycle_stage", e.lifecycleStage().wireName());
        out.put("last_update_time", e.lastUpdateTime());
        out.put("creation_time", e.creationTime());
        putTags(out, "tags", e.tags());
        return out;
    }

    ObjectNode run(Run run) {
        ObjectNode out = JSON.objectNode();
        out.set("info", runInfo(run.info()));
        ObjectNode data = out.putObject("data");
        if (run.data() != null) {
            if (!run.data().metrics().isEmpty()) {
                ArrayNode metrics = data.putArray("metrics");
                run.data().metrics().forEach(m -> metrics.add(metric(m)));
            }
            if (!run.data().params().isEmpty()) {
                ArrayNode params = data.putArray("params");
                for (Param p : run.data().params()) {
                    params.addObject().put("key", p.key()).put("value", p.value());
                }
            }
            putTags(data, "tags", run.data().tags());
        }
        ObjectNode inputs = out.putObject("inputs");
        if (run.inputs() != null && !run.inputs().isEmpty()) {
            ArrayNode datasetInputs = inputs.putArray("dataset_inputs");
            run.inputs().forEach(input -> datasetInputs.add(datasetInput(input)));
        }
        return out;
    }

    ObjectNode runInfo(RunInfo info) {
        ObjectNode out = JSON.objectNode();
        out.put("run_id", info.runId());
        out.put("run_uuid", info.runId());
        putIfNotNull(out, "run_name", info.runName());
        out.put("experiment_id", info.experimentId());
        putIfNotNull(out, "user_id", info.userId());
        out.put("status", info.status().name());
        out.put("start_time", info.startTime());
        if (info.endTime() != null) out.put("end_time", info.endTime());
        putIfNotNull(out, "artifact_uri", locations.toClient(info.artifactUri()));
        out.put("lifecycle_stage", info.lifecycleStage().wireName());
        return out;
    }

    static ObjectNode metric(Metric m) {
        ObjectNode out = JSON.objectNode();
        out.put("key", m.key());
        out.put("value", m.value());
        out.put("timestamp", m.timestamp());
        out.put("step", m.step());
        return out;
    }

    private static ObjectNode datasetInput(DatasetInput input) {
        ObjectNode out = JSON.objectNode();
        putTags(out, "tags", input.tags());
        ObjectNode dataset = out.putObject("dataset");
        dataset.put("name", input.dataset().name());
        dataset.put("digest", input.dataset().digest());
        dataset.put("source_type", input.dataset().sourceType());
        dataset.put("source", input.dataset().source());
        putIfNotNull(dataset, "schema", input.dataset().schema());
        putIfNotNull(dataset, "profile", input.dataset().profile());
        return out;
    }

    ObjectNode registeredModel(RegisteredModel m) {
        ObjectNode out = JSON.objectNode();
        out.put("name", m.name());
        out.put("creation_timestamp", m.creationTimestamp());
        out.put("last_updated_timestamp", m.lastUpdatedTimestamp());
        putIfNotNull(out, "description", m.description());
        if (m.latestVersions() != null && !m.latestVersions().isEmpty()) {
            ArrayNode latest = out.putArray("latest_versions");
            m.latestVersions().forEach(v -> latest.add(modelVersion(v)));
        }
        putTags(out, "tags", m.tags());
        if (m.aliases() != null && !m.aliases().isEmpty()) {
            ArrayNode aliases = out.putArray("aliases");
            for (ModelAlias alias : m.aliases()) {
                aliases.addObject().put("alias", alias.alias()).put("version", Long.toString(alias.version()));
            }
        }
        return out;
    }

    ObjectNode modelVersion(ModelVersion v) {
        ObjectNode out = JSON.objectNode();
        out.put("name", v.name());
        out.put("version", Long.toString(v.version()));
        out.put("creation_timestamp", v.creationTimestamp());
        out.put("last_updated_timestamp", v.lastUpdatedTimestamp());
        putIfNotNull(out, "user_id", v.userId());
        putIfNotNull(out, "current_stage", v.currentStage());
        putIfNotNull(out, "description", v.description());
        putIfNotNull(out, "source", locations.toClient(v.source()));
        putIfNotNull(out, "run_id", v.runId());
        if (v.status() != null) out.put("status", v.status().name());
        putIfNotNull(out, "status_message", v.statusMessage());
        putTags(out, "tags", v.tags());
        if (v.aliases() != null && !v.aliases().isEmpty()) {
            ArrayNode aliases = out.putArray("aliases");
            v.aliases().forEach(aliases::add);
        }
        return out;
    }

    private static void putTags(ObjectNode out, String field, List<Tag> tags) {
        if (tags == null || tags.isEmpty()) return;
        ArrayNode array = out.putArray(field);
        for (Tag t : tags) {
            array.addObject().put("key", t.key()).put("value", t.value());
        }
    }

    private static void putIfNotNull(ObjectNode out, String field, String value) {
        if (value != null) out.put(field, value);
    }
}
