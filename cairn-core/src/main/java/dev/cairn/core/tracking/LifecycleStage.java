package dev.cairn.core.tracking;

/** MLflow's soft-delete state of experiments and runs. */
public enum LifecycleStage {
    ACTIVE, DELETED;

    /** MLflow writes these in lower case on the wire. */
    public String wireName() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }
}
