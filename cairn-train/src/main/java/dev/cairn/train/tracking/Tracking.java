package dev.cairn.train.tracking;

import dev.cairn.core.store.ArtifactRepository;
import dev.cairn.core.store.ExperimentStore;
import dev.cairn.core.store.MetadataStore;
import dev.cairn.core.store.RegistryStore;
import dev.cairn.core.store.RunStore;
import dev.cairn.core.store.Stores;
import dev.cairn.core.tracking.RunInfo;
import java.util.List;
import java.util.function.Function;

/**
 * Where training records what it does: the stores behind the small interfaces of cairn-core, so a
 * trainer works the same against an embedded SQLite file or a remote server's client.
 * {@code runArtifacts} gives the artifact repository of a run (by default, opened from the run's
 * artifact URI).
 */
public record Tracking(ExperimentStore experiments, RunStore runs, RegistryStore registry,
                       Function<RunInfo, ArtifactRepository> runArtifacts, String user) {

    /**
     * {@code user} is who the runs, versions and aliases are recorded as: the operating-system user
     * when null (a person at a terminal), or the caller a server acts for.
     */
    public Tracking {
        if (user == null || user.isBlank()) {
            String os = System.getProperty("user.name");
            user = os == null || os.isBlank() ? "unknown" : os;
        }
    }

    public Tracking(ExperimentStore experiments, RunStore runs, RegistryStore registry,
                    Function<RunInfo, ArtifactRepository> runArtifacts) {
        this(experiments, runs, registry, runArtifacts, null);
    }

    /** The same stores, recording as {@code user} (e.g. the X-Cairn-User of a REST request). */
    public Tracking as(String user) {
        return new Tracking(experiments, runs, registry, runArtifacts, user);
    }

    /** One metadata store, embedded or remote, and run artifacts where that store reaches them. */
    public static Tracking of(MetadataStore store) {
        return new Tracking(store.experiments(), store.runs(), store.registry(), store::runArtifacts);
    }

    /** Like {@link #of(MetadataStore)} but every run's artifacts under {@code root}/{@code <run-id>}/artifacts. */
    public static Tracking of(MetadataStore store, ArtifactRepository root) {
        return new Tracking(store.experiments(), store.runs(), store.registry(),
                run -> root.child(run.runId() + "/artifacts"));
    }

    /** The id of the named experiment, created when missing. */
    public String experimentId(String name) {
        return experiments.getExperimentByName(name)
                .map(e -> e.experimentId())
                .orElseGet(() -> {
                    try {
                        return experiments.createExperiment(name, null, List.of());
                    } catch (dev.cairn.core.error.CairnException e) {
                        // Another trial or process created it in between.
                        return experiments.getExperimentByName(name).orElseThrow(() -> e).experimentId();
                    }
                });
    }
}
