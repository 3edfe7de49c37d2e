package dev.cairn.core.auth;

import dev.cairn.core.error.CairnException;
import java.util.Locale;

/**
 * The kinds of resource permissions are granted on, each named by its public key: an experiment by its id (names
 * change on rename, ids do not, as in MLflow's auth app), a registered model, a deployment and a pipeline by name, and
 * a feature definition (a feature view, a feature service, an entity or a source) by its name, which is unique across
 * those kinds.
 */
public enum ResourceKind {
    EXPERIMENT,
    REGISTERED_MODEL,
    DEPLOYMENT,
    PIPELINE,
    FEATURE;

    /** The lower-case name used in URLs and JSON ({@code registered_model}). */
    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static ResourceKind parse(String field, String value) {
        if (value != null) {
            try {
                return valueOf(value.trim().toUpperCase(Locale.ROOT).replace('-', '_'));
            } catch (IllegalArgumentException e) {
                // falls through to the error naming the choices
            }
        }
        throw CairnException.invalid(field, value, "one of experiment, registered_model, deployment, pipeline, feature");
    }
}
