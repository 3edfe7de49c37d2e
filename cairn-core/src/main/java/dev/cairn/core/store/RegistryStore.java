package dev.cairn.core.store;

import dev.cairn.core.registry.AliasPrecondition;
import dev.cairn.core.registry.AliasRequest;
import dev.cairn.core.registry.AuditEvent;
import dev.cairn.core.registry.ModelVersion;
import dev.cairn.core.registry.RegisteredModel;
import dev.cairn.core.tracking.Page;
import dev.cairn.core.tracking.Tag;
import java.util.List;

/**
 * The model registry. Every change of an alias or a stage, and every creation or deletion, is
 * written to the append-only audit log in the same transaction as the change itself;
 * {@code actor} says who did it.
 */
public interface RegistryStore {

    RegisteredModel createRegisteredModel(String name, String description, List<Tag> tags, String actor);

    RegisteredModel getRegisteredModel(String name);

    RegisteredModel renameRegisteredModel(String name, String newName, String actor);

    RegisteredModel updateRegisteredModel(String name, String description);

    /** Deletes the model, its versions and its aliases (as MLflow does); each alias removal is audited as ALIAS_DELETED. */
    void deleteRegisteredModel(String name, String actor);

    Page<RegisteredModel> searchRegisteredModels(String filter, List<String> orderBy, int maxResults, String pageToken);

    void setRegisteredModelTag(String name, Tag tag);

    void deleteRegisteredModelTag(String name, String key);

    /** Creates the next version of {@code name} (1, 2, …) from {@code source}, e.g. {@code runs:/<run>/model}. */
    ModelVersion createModelVersion(String name, String source, String runId, String description, List<Tag> tags, String actor);

    ModelVersion getModelVersion(String name, long version);

    ModelVersion updateModelVersion(String name, long version, String description);

    /**
     * Deletes the version and the aliases pointing at it (as MLflow does); each alias removal is
     * audited as ALIAS_DELETED. The version number is never given out again.
     */
    void deleteModelVersion(String name, long version, String actor);

    ModelVersion transitionModelVersionStage(String name, long version, String stage, boolean archiveExisting,
                                             String actor, String comment);

    /** Latest version per stage (all stages when {@code stages} is empty). */
    List<ModelVersion> getLatestVersions(String name, List<String> stages);

    Page<ModelVersion> searchModelVersions(String filter, List<String> orderBy, int maxResults, String pageToken);

    void setModelVersionTag(String name, long version, Tag tag);

    void deleteModelVersionTag(String name, long version, String key);

    /** Points the alias at the version, whatever it points at now. */
    default void setAlias(String name, String alias, long version, String actor, String comment) {
        setAlias(name, alias, version, actor, comment, AliasPrecondition.ANY);
    }

    /**
     * Points the alias at the version if {@code expected} holds, atomically (two stores on one database included);
     * otherwise CONFLICT naming what the alias points at and who moved it last.
     */
    void setAlias(String name, String alias, long version, String actor, String comment, AliasPrecondition expected);

    default void deleteAlias(String name, String alias, String actor, String comment) {
        deleteAlias(name, alias, actor, comment, AliasPrecondition.ANY);
    }

    /** Removes the alias if {@code expected} holds (an absent alias stays absent); otherwise CONFLICT. */
    void deleteAlias(String name, String alias, String actor, String comment, AliasPrecondition expected);

    ModelVersion getModelVersionByAlias(String name, String alias);

    /** The aliases of a model that move only with a second person's approval (four-eyes), sorted. */
    List<String> protectedAliases(String name);

    /** Protects an alias (or lifts the protection), audited; setAlias and deleteAlias then refuse it. */
    void protectAlias(String name, String alias, boolean protect, String actor, String comment);

    /**
     * Asks that a protected alias move to {@code version}; {@code expected} is what the requester saw (ANY: what it
     * points at now), checked now and again at approval. Audited as ALIAS_CHANGE_REQUESTED.
     */
    AliasRequest requestAliasChange(String name, String alias, long version, String actor, String comment, AliasPrecondition expected);

    /**
     * Approves (the alias moves, if it still points where it did when requested; else CONFLICT) or rejects a pending
     * request. The decider must not be the requester (PERMISSION_DENIED); both are in the audit log.
     */
    AliasRequest decideAliasChange(String name, long requestId, boolean approve, String actor, String comment);

    /** A model's alias requests, newest first; only the pending ones with {@code pendingOnly}. */
    List<AliasRequest> listAliasRequests(String name, boolean pendingOnly);

    /** Audit events, newest first; {@code modelName} null for all models. */
    Page<AuditEvent> listAuditEvents(String modelName, int maxResults, String pageToken);

    /** Appends an event that is not a registry change itself (a forced promotion, a deployment change, a rollback). */
    void appendAuditEvent(AuditEvent event);
}
