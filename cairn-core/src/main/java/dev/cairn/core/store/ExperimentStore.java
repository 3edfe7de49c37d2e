package dev.cairn.core.store;

import dev.cairn.core.tracking.Experiment;
import dev.cairn.core.tracking.Page;
import dev.cairn.core.tracking.Tag;
import dev.cairn.core.tracking.ViewType;
import java.util.List;
import java.util.Optional;

/** Experiments. Every method throws {@link dev.cairn.core.error.CairnException} on bad input or missing ids. */
public interface ExperimentStore {

    /**
     * Creates an experiment and returns its id. {@code artifactLocation} may be null: the store
     * then places it under the default artifact root. A name in use by an active or deleted (but
     * not purged) experiment is refused with RESOURCE_ALREADY_EXISTS.
     */
    String createExperiment(String name, String artifactLocation, List<Tag> tags);

    Experiment getExperiment(String experimentId);

    Optional<Experiment> getExperimentByName(String name);

    /**
     * Experiments in the given view. {@code filter} is MLflow's experiment filter ({@code name LIKE
     * 'credit%'}, {@code tags.team = 'risk'}) or null; {@code orderBy} like {@code name ASC}.
     */
    Page<Experiment> searchExperiments(ViewType viewType, String filter, List<String> orderBy, int maxResults, String pageToken);

    void renameExperiment(String experimentId, String newName);

    /** Soft delete: the experiment and its runs move to the DELETED lifecycle stage. */
    void deleteExperiment(String experimentId);

    void restoreExperiment(String experimentId);

    /** Hard delete of a soft-deleted experiment and its runs, after which its name may be reused. */
    void purgeExperiment(String experimentId);

    void setExperimentTag(String experimentId, Tag tag);

    /** Removes a tag; RESOURCE_DOES_NOT_EXIST when the experiment has no tag with that key. */
    void deleteExperimentTag(String experimentId, String key);
}
