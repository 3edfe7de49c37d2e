package dev.cairn.train;

import dev.cairn.core.store.MetadataStore;
import dev.cairn.core.store.Stores;
import dev.cairn.core.tracking.Run;
import dev.cairn.core.tracking.Tag;
import dev.cairn.train.tracking.Tracking;
import java.nio.file.Path;
import java.util.Map;
import java.util.stream.Collectors;

/** Opens a real SQLite metadata store and a local artifact root in a test's temporary directory. */
final class TestStores {
    static final Path CREDIT = Path.of("../examples/credit-risk/credit-g.csv").toAbsolutePath().normalize();
    static final Path SPACE = Path.of("../examples/credit-risk/space.yaml").toAbsolutePath().normalize();

    private TestStores() {}

    static MetadataStore open(Path dir) {
        return Stores.openMetadata("sqlite:" + dir.resolve("cairn.db"), dir.resolve("artifacts").toUri().toString());
    }

    static Tracking tracking(MetadataStore store) {
        return Tracking.of(store);
    }

    static Map<String, String> tags(Run run) {
        return run.data().tags().stream().collect(Collectors.toMap(Tag::key, Tag::value, (a, b) -> b));
    }

    /** A refused training or tuning leaves nothing behind: no experiment of that name, so no run either. */
    static boolean nothingRecorded(MetadataStore store, String experiment) {
        return store.experiments().getExperimentByName(experiment).isEmpty();
    }

    static Map<String, String> params(Run run) {
        return run.data().params().stream().collect(Collectors.toMap(p -> p.key(), p -> p.value()));
    }
}
