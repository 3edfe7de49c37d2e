package dev.cairn.runtime;

import dev.cairn.core.error.CairnException;
import dev.cairn.core.uri.ModelReference;
import dev.cairn.runtime.pkg.ModelPackage;
import dev.cairn.runtime.predict.ModelFactory;
import java.net.URI;
import java.nio.file.Path;

/** Loads models: {@code Model m = Models.load(Path.of("credit-model"))}. */
public final class Models {

    private Models() {
    }

    /** Loads a package directory or zip file, verifying its checksums and manifest. */
    public static Model load(Path path) {
        return load(ModelPackage.read(path));
    }

    /** Loads a package read already. */
    public static Model load(ModelPackage pkg) {
        return ModelFactory.create(pkg);
    }

    /** Loads from a path or {@code file:} URI. {@code models:/} and {@code runs:/} need {@link #load(String, ModelResolver)}. */
    public static Model load(String uri) {
        return load(uri, null);
    }

    /** Loads from a path, a {@code file:} URI, or a {@code models:/} / {@code runs:/} URI through {@code resolver}. */
    public static Model load(String uri, ModelResolver resolver) {
        ModelReference ref = ModelReference.parse(uri);
        if (ref instanceof ModelReference.Location loc) {
            String s = loc.uri();
            if (s.startsWith("file:")) return load(Path.of(URI.create(s)));
            if (s.matches("[a-zA-Z][a-zA-Z0-9+.\\-]{1,}:/.*")) {
                throw CairnException.invalid("model_uri", uri, "a local path or file: URI; other storage needs a ModelResolver");
            }
            return load(Path.of(s));
        }
        if (resolver == null) {
            throw CairnException.invalid("model_uri", uri,
                    "a local path: " + ref.getClass().getSimpleName() + " references need a ModelResolver (Models.load(uri, resolver))");
        }
        return load(resolver.resolve(ref));
    }
}
