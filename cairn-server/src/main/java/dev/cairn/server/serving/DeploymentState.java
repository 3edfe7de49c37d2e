package dev.cairn.server.serving;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.cairn.core.error.CairnException;
import dev.cairn.core.error.ErrorCode;
import dev.cairn.server.JsonMappers;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.Collection;
import java.util.List;

/**
 * The deployments' specs in one JSON file, rewritten (temporary file, forced, renamed) after every
 * change, so that a restarted server serves what it served before, weights and all. Aliases stay
 * aliases in the file: a restart re-resolves them.
 */
public final class DeploymentState {

    private final Path file;
    private final ObjectMapper mapper = JsonMappers.lenient();

    public DeploymentState(Path file) {
        this.file = file;
    }

    public Path file() {
        return file;
    }

    public synchronized void save(Collection<Deployment> deployments) {
        List<DeploymentSpec> specs = deployments.stream().map(Deployment::spec).toList();
        Path temporary = file.resolveSibling("." + file.getFileName() + ".tmp");
        try {
            Files.createDirectories(file.toAbsolutePath().getParent());
            Files.write(temporary, mapper.writerWithDefaultPrettyPrinter().writeValueAsBytes(specs));
            try (FileChannel channel = FileChannel.open(temporary, StandardOpenOption.WRITE)) {
                channel.force(true);
            }
            try {
                Files.move(temporary, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(temporary, file, StandardCopyOption.REPLACE_EXISTING);
            }
        } catch (IOException e) {
            throw new CairnException(ErrorCode.INTERNAL_ERROR, "Could not save the deployments to " + file + ": " + e.getMessage(), e);
        }
    }

    /** The saved specs; none when the file does not exist yet. */
    public synchronized List<DeploymentSpec> load() {
        if (!Files.exists(file)) return List.of();
        try {
            return mapper.readValue(file.toFile(), new TypeReference<List<DeploymentSpec>>() {});
        } catch (IOException e) {
            throw new CairnException(ErrorCode.DATA_LOSS, "Could not read the saved deployments in " + file + ": " + e.getMessage(), e);
        }
    }
}
