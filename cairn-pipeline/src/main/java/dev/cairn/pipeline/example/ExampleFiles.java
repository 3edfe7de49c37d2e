package dev.cairn.pipeline.example;

import dev.cairn.core.error.CairnException;
import dev.cairn.core.error.ErrorCode;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;

/**
 * The example's pipeline files as they ship in this jar: the nightly and retrain specs, the reviewed schema and the
 * search space they name, and the feature store's variant: the feature definitions ({@value #FEATURES}: the customers'
 * profile and their sales over 30 and 90 days, the service {@code credit_risk}) and the spec that materializes them
 * and trains on the service's point-in-time training set ({@code train-features.yaml}). Written into a directory, they are a pipelines directory for {@code cairn server
 * --pipelines DIR} once {@link MasterData#create} has put {@code master.db} beside them.
 */
public final class ExampleFiles {
    /** The files, in the order they are written. */
    public static final List<String> NAMES = List.of("nightly.yaml", "retrain.yaml", "schema.yaml", "space.yaml", "features.yaml",
            "train-features.yaml");
    /** The feature definitions of the feature-store variant ({@code cairn features apply} them before its pipeline runs). */
    public static final String FEATURES = "features.yaml";

    private ExampleFiles() {}

    /** Writes every example file into {@code directory} (created if needed); an existing file is left alone. */
    public static List<Path> write(Path directory) {
        List<Path> written = new ArrayList<>();
        try {
            Files.createDirectories(directory);
            for (String name : NAMES) {
                Path target = directory.resolve(name);
                if (Files.exists(target)) continue;
                try (InputStream in = ExampleFiles.class.getResourceAsStream(name)) {
                    if (in == null) throw new CairnException(ErrorCode.INTERNAL_ERROR, "The example file " + name + " is missing from the jar");
                    Path temp = Files.createTempFile(directory, "." + name, ".tmp");
                    Files.copy(in, temp, StandardCopyOption.REPLACE_EXISTING);
                    Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE);
                }
                written.add(target);
            }
        } catch (IOException e) {
            throw CairnException.invalid("directory", directory.toString(), "a writable directory (" + e.getMessage() + ")");
        }
        return written;
    }
}
