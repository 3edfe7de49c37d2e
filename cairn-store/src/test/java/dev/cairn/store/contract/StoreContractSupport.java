package dev.cairn.store.contract;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.cairn.core.error.CairnException;
import dev.cairn.core.store.MetadataStore;
import dev.cairn.core.store.Stores;
import dev.cairn.core.tracking.Metric;
import dev.cairn.core.tracking.Page;
import dev.cairn.core.tracking.Param;
import dev.cairn.core.tracking.Run;
import dev.cairn.core.tracking.RunStatus;
import dev.cairn.core.tracking.Tag;
import dev.cairn.core.tracking.ViewType;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;

/**
 * Set-up and helpers of the metadata-store contract: a new empty store for every test, opened
 * through {@link Stores} from the URI the database-specific subclass gives.
 */
public abstract class StoreContractSupport {

    protected static final String ARTIFACT_ROOT = "file:/tmp/cairn-contract-artifacts";

    /**
     * A model version source under {@link #ARTIFACT_ROOT}: a store keeps any source, but a server in front of it (the
     * remote store's contract) takes sources only from its artifact store.
     */
    protected static String source(String name) {
        return ARTIFACT_ROOT + "/models/" + name;
    }

    protected MetadataStore store;
    protected String storeUri;

    /** A URI of a new, empty store (a fresh file or database) for one test. */
    protected abstract String newStoreUri();

    /** A plain JDBC connection to the database behind {@code storeUri}, bypassing the store. */
    protected abstract Connection rawConnection(String storeUri) throws SQLException;

    @BeforeEach
    void openStore() {
        storeUri = newStoreUri();
        store = Stores.openMetadata(storeUri, ARTIFACT_ROOT);
    }

    @AfterEach
    void closeStore() {
        if (store != null) store.close();
    }

    // ---------------------------------------------------------------- helpers

    protected String experiment(String name) {
        return store.experiments().createExperiment(name, null, List.of());
    }

    protected Run run(String experimentId) {
        return store.runs().createRun(experimentId, "alice", System.currentTimeMillis(), null, List.of());
    }

    protected Run run(String experimentId, String name, long startTime) {
        return store.runs().createRun(experimentId, "alice", startTime, name, List.of());
    }

    protected static CairnException failure(Runnable action) {
        CairnException e = catchThrowableOfType(CairnException.class, action::run);
        assertThat(e).as("expected a CairnException").isNotNull();
        return e;
    }

    protected List<String> runNames(Page<Run> page) {
        return page.items().stream().map(r -> r.info().runName()).toList();
    }

    protected List<String> search(String experimentId, String filter, String... orderBy) {
        return runNames(store.runs().searchRuns(List.of(experimentId), filter, ViewType.ACTIVE_ONLY, List.of(orderBy), 1000, null));
    }

    /** Five runs with metrics, params and tags to search among; returns the experiment id. */
    protected String searchFixture() {
        String exp = experiment("search");
        String[] names = {"r1", "r2", "r3", "r4", "r5"};
        double[] auc = {0.70, 0.80, 0.85, 0.90, 0.95};
        String[] depth = {"3", "6", "6", "9", "12"};
        String[] team = {"risk", "growth", "Risk-EU", "risk", "ops"};
        for (int i = 0; i < names.length; i++) {
            String id = run(exp, names[i], 1000L + i).info().runId();
            List<Metric> metrics = new ArrayList<>(List.of(new Metric("auc", auc[i], 1, 0)));
            if (i != 2) metrics.add(new Metric("loss", 1 - auc[i], 1, 0));
            store.runs().logBatch(id, metrics, List.of(new Param("max_depth", depth[i]), new Param("model", i % 2 == 0 ? "xgb" : "linear")),
                    List.of(new Tag("team", team[i])));
            if (i == 4) store.runs().updateRun(id, RunStatus.FINISHED, 2000L, null);
        }
        return exp;
    }

}
