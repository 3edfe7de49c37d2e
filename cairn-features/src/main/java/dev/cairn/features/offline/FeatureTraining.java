package dev.cairn.features.offline;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.cairn.core.error.CairnException;
import dev.cairn.core.error.ErrorCode;
import dev.cairn.core.features.FeatureDefinition;
import dev.cairn.core.tracking.Dataset;
import dev.cairn.core.tracking.DatasetInput;
import dev.cairn.core.tracking.SystemTags;
import dev.cairn.core.tracking.Tag;
import dev.cairn.features.definition.Catalog;
import dev.cairn.features.definition.Feature;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * A training set made to train on, with what the training must know beside the file: the entity rows' columns that
 * are not features (the join keys and the time; the label stays), the tags and dataset inputs that record, on the
 * training run, which feature service and views (at which definition versions) the model was trained on, and the
 * same as lineage references for a pipeline step. One description for every entry point ({@code cairn train},
 * {@code cairn tune}, the pipeline's train and tune steps), so they all record the same lineage.
 *
 * @param set          the training set written
 * @param notFeatures  the join keys and the timestamp column, in that order: ids and times a model must not learn
 * @param tags         the run's tags ({@link #TAG_SERVICE} and the others)
 * @param inputs       one dataset input per feature view, context {@value #CONTEXT_VIEW}
 * @param used         the service and each view as lineage references, service first
 */
public record FeatureTraining(TrainingSet set, List<String> notFeatures, Map<String, String> tags, List<DatasetInput> inputs,
                              List<Used> used) {
    /** The feature service the model was trained on. */
    public static final String TAG_SERVICE = "cairn.features.service";
    /** Its definition version. */
    public static final String TAG_SERVICE_VERSION = "cairn.features.service.version";
    /** The feature views with their definition versions: {@code customer_profile:1,customer_sales:2}. */
    public static final String TAG_VIEWS = "cairn.features.views";
    /** The entity rows' join keys, comma-separated: the fields a request needs to fetch the features online. */
    public static final String TAG_ENTITY_KEYS = "cairn.features.entity_keys";
    /** The entity rows' time column. */
    public static final String TAG_TIMESTAMP_COLUMN = "cairn.features.timestamp_column";
    /** The training set's SHA-256 (also the training dataset input's). */
    public static final String TAG_TRAINING_SET = "cairn.features.training_set.sha256";
    /** The dataset-input context of a feature view. */
    public static final String CONTEXT_VIEW = "feature_view";
    /** The digest of a view's input: the first 32 hex digits of its definition's SHA-256 (MLflow caps digests at 36). */
    static final int DIGEST_LENGTH = 32;

    private static final ObjectMapper JSON = new ObjectMapper();

    public FeatureTraining {
        notFeatures = List.copyOf(notFeatures);
        tags = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(tags));
        inputs = List.copyOf(inputs);
        used = List.copyOf(used);
    }

    /** A definition a training used, at its version: a lineage artifact. */
    public record Used(String kind, String name, long version, String sha256) {
        /** {@code feature_view:customer_sales/2}, {@code feature_service:credit_risk/1}: what lineage edges name. */
        public String uri() {
            return uri(kind, name, version);
        }

        public static String uri(String kind, String name, long version) {
            return kind + ":" + name + "/" + version;
        }
    }

    /** The lineage kind of a feature service. */
    public static final String KIND_SERVICE = "feature_service";
    /** The lineage kind of a feature view. */
    public static final String KIND_VIEW = "feature_view";

    /** Describes {@code set}, built from {@code catalog} with entity rows timed by {@code timestampColumn}. */
    public static FeatureTraining of(TrainingSet set, Catalog catalog, String timestampColumn) {
        List<Catalog.Selection> selections = catalog.select(catalog.service(set.service()));
        LinkedHashSet<String> keys = new LinkedHashSet<>();
        for (Catalog.Selection s : selections) keys.addAll(s.joinKeys());
        List<String> notFeatures = new ArrayList<>(keys);
        if (!notFeatures.contains(timestampColumn)) notFeatures.add(timestampColumn);

        List<Used> used = new ArrayList<>();
        FeatureDefinition service = catalog.stored(set.service());
        used.add(new Used(KIND_SERVICE, service.name(), service.version(), service.sha256()));
        List<DatasetInput> inputs = new ArrayList<>();
        for (Catalog.Selection s : selections) {
            FeatureDefinition view = catalog.stored(s.view().name());
            used.add(new Used(KIND_VIEW, view.name(), view.version(), view.sha256()));
            inputs.add(input(view, s, catalog.stored(s.source().name()), service));
        }

        Map<String, String> tags = new LinkedHashMap<>();
        tags.put(TAG_SERVICE, service.name());
        tags.put(TAG_SERVICE_VERSION, Long.toString(service.version()));
        tags.put(TAG_VIEWS, used.stream().filter(u -> u.kind().equals(KIND_VIEW)).map(u -> u.name() + ":" + u.version())
                .collect(Collectors.joining(",")));
        tags.put(TAG_ENTITY_KEYS, String.join(",", keys));
        tags.put(TAG_TIMESTAMP_COLUMN, timestampColumn);
        tags.put(TAG_TRAINING_SET, set.sha256());
        return new FeatureTraining(set, notFeatures, tags, inputs, used);
    }

    /** The columns not to train on: the given ones, then the join keys and the time not already among them. */
    public List<String> drop(List<String> given) {
        LinkedHashSet<String> all = new LinkedHashSet<>(given == null ? List.of() : given);
        all.addAll(notFeatures);
        return List.copyOf(all);
    }

    /**
     * A view as a dataset input: its name and version, the digest of its definition (so the runs trained on one
     * version of a view are those with that digest among their inputs), its source and the features used.
     */
    private static DatasetInput input(FeatureDefinition view, Catalog.Selection selection, FeatureDefinition source,
                                      FeatureDefinition service) {
        Map<String, Object> where = new LinkedHashMap<>();
        where.put("uri", Used.uri(KIND_VIEW, view.name(), view.version()));
        where.put("view", view.name());
        where.put("version", view.version());
        where.put("sha256", view.sha256());
        where.put("source", source.name());
        where.put("source_version", source.version());
        where.put("service", service.name());
        List<Map<String, String>> columns = new ArrayList<>();
        for (Feature f : selection.features()) {
            columns.add(Map.of("name", f.name(), "type", f instanceof Feature.Aggregate ? "aggregate" : "value"));
        }
        try {
            Dataset dataset = new Dataset(view.name() + " v" + view.version(), view.sha256().substring(0, DIGEST_LENGTH), KIND_VIEW,
                    JSON.writeValueAsString(where), JSON.writeValueAsString(Map.of("columns", columns)), null);
            return new DatasetInput(dataset, List.of(new Tag(SystemTags.DATASET_CONTEXT, CONTEXT_VIEW)));
        } catch (JsonProcessingException e) {
            throw new CairnException(ErrorCode.INTERNAL_ERROR, "Could not describe feature view '" + view.name() + "'", e);
        }
    }
}
