package dev.cairn.server.serving;

import dev.cairn.core.error.CairnException;
import dev.cairn.core.error.ErrorCode;
import dev.cairn.core.features.FeatureRegistry;
import dev.cairn.features.online.OnlineService;
import dev.cairn.features.online.OnlineStore;
import java.util.Map;

/**
 * What a server serves features from: the registry that defines feature services and the online store it reads them
 * from. Both are the server's own configuration ({@code cairn server --online-store URI}): a request names a deployment,
 * whose feature service names views, and nothing a request carries chooses a store, a file or a connection.
 */
public final class FeatureServing implements AutoCloseable {

    private static final FeatureServing NONE = new FeatureServing(null, null);

    private final FeatureRegistry registry;
    private final OnlineStore store;

    /**
     * @param registry the feature definitions (the metadata store's), or null when the server has no metadata store
     * @param store    the online store, owned (closed) by this from now on, or null when the server reads none
     */
    public FeatureServing(FeatureRegistry registry, OnlineStore store) {
        this.registry = registry;
        this.store = store;
    }

    /** A server without an online store: deployments that declare a feature service are refused. */
    public static FeatureServing none() {
        return NONE;
    }

    /** The online store, or null. */
    public OnlineStore store() {
        return store;
    }

    /** The online store's URI (without a password), or null. */
    public String storeUri() {
        return store == null ? null : store.uri();
    }

    /** The latest definitions of {@code service}, resolved for a deployment; refused naming {@code feature_service}. */
    public OnlineService resolve(String service) {
        if (store == null) {
            throw new CairnException(ErrorCode.INVALID_STATE, "Feature service '" + service + "' cannot be served: this server reads no "
                    + "online store; start it with --online-store sqlite:/path/online.db or --online-store redis://host:port",
                    Map.of("field", "feature_service", "value", service, "expected", "a server started with --online-store URI"));
        }
        if (registry == null) {
            throw new CairnException(ErrorCode.INVALID_STATE, "Feature service '" + service + "' cannot be served: this server has no "
                    + "metadata store, where feature definitions live", Map.of("field", "feature_service", "value", service));
        }
        return OnlineService.resolve(registry, service, "feature_service");
    }

    @Override
    public void close() {
        if (store != null) store.close();
    }
}
