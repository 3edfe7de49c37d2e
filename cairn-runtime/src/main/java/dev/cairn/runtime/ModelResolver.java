package dev.cairn.runtime;

import dev.cairn.core.uri.ModelReference;
import java.nio.file.Path;

/**
 * Turns {@code models:/} and {@code runs:/} references into a local package (directory or zip).
 * The runtime has no registry and no HTTP client of its own: the server or the client library
 * supplies a resolver that knows where packages live.
 */
@FunctionalInterface
public interface ModelResolver {

    /** A local directory or zip file holding the referenced package. */
    Path resolve(ModelReference reference);
}
