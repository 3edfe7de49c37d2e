package dev.cairn.pipeline.steps;

import dev.cairn.core.error.CairnException;
import dev.cairn.core.uri.ModelReference;
import dev.cairn.pipeline.engine.StepContext;
import java.net.URI;
import java.nio.file.Path;

/** How a step input naming a model is read: registry and run URIs as given, a local package inside the workspace. */
final class Models {
    private Models() {}

    /**
     * The model {@code key} names: {@code models:/} and {@code runs:/} URIs and storage URIs ({@code s3://}) as
     * given; a path or {@code file:} URI resolved in the workspace (so a confined workspace keeps it inside) and
     * given as an absolute {@code file:} URI, which means the same package from any directory.
     */
    static String uri(StepContext context, String key) {
        String model = context.text(key);
        ModelReference reference = Fields.naming(context, key, () -> ModelReference.parse(model));
        if (!(reference instanceof ModelReference.Location)) return model;
        String path;
        if (model.startsWith("file:")) {
            path = Fields.naming(context, key, () -> {
                try {
                    return Path.of(URI.create(model)).toString();
                } catch (IllegalArgumentException e) {
                    throw CairnException.invalid(key, model, "a file: URI of a package directory");
                }
            });
        } else if (model.matches("[a-zA-Z][a-zA-Z0-9+.\\-]+://.*")) {
            return model;
        } else {
            path = model;
        }
        return context.workspace().file(context.field(key), path).toUri().toString();
    }
}
