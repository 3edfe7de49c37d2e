package dev.cairn.core.features;

import java.util.List;
import java.util.Optional;

/**
 * Feature definitions (entities, sources, feature views, feature services) with every version applied, in the
 * metadata store's database. What a definition says is the feature store's concern (cairn-features); this store
 * keeps names, kinds, versions, hashes and the canonical text. Every method is one transaction and throws
 * {@link dev.cairn.core.error.CairnException}.
 */
public interface FeatureRegistry {

    /**
     * Applies {@code drafts} in one transaction, all or nothing: a draft whose SHA-256 equals its name's latest
     * version changes nothing; any other becomes the name's next version (1 for a new name). A name given twice, a
     * name applied before as another kind, or a malformed name is INVALID_PARAMETER_VALUE, and nothing is stored.
     * Returns one result per draft, in the drafts' order.
     */
    List<AppliedFeatureDefinition> apply(List<FeatureDefinitionDraft> drafts, String actor);

    /** The latest version of every name, by kind (entities first, as {@link FeatureKind} lists them) then name. */
    List<FeatureDefinition> list();

    /** The latest version of a name. */
    Optional<FeatureDefinition> get(String name);

    /** One version of a name. */
    Optional<FeatureDefinition> get(String name, long version);

    /** Every version of a name, oldest first; empty for an unknown name. */
    List<FeatureDefinition> versions(String name);
}
